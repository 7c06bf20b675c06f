#!/usr/bin/env bash
# A JFR recording's collector and threads: young/old/full collections, their pauses and the
# collector's CPU; CPU samples by thread (numbers folded); and for threads matching PATTERN, the
# innermost callwatch frame (with its line and two callers) of each sample, how many of them have
# METHOD anywhere on their stack, and when in the recording they fell (samples per second); the
# memory allocated (JFR's estimate from its allocation samples) and its largest sites. Record as for bench/jfr-top.sh (settings=profile), then:
#   bench/jfr-gc-threads.sh /tmp/agg.jfr [PATTERN=callwatch-detect] [METHOD]
# e.g. `partition-operation GetAllOperation` for Hazelcast's getAll on the partition threads.
# Needs the JDK's jfr tool and python3.
set -euo pipefail
rec=$1 pattern=${2:-callwatch-detect} method=${3:-}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
jfr print --events jdk.GarbageCollection "$rec" > "$tmp/gc.txt"
jfr print --events jdk.GCCPUTime "$rec" > "$tmp/gccpu.txt"
jfr print --events jdk.ExecutionSample --stack-depth 40 "$rec" > "$tmp/exec.txt"
jfr print --events jdk.ObjectAllocationSample --stack-depth 40 "$rec" > "$tmp/alloc.txt"
python3 - "$tmp" "$pattern" "$method" <<'PY'
import re, sys
from collections import Counter
tmp, pattern, method = sys.argv[1], sys.argv[2], sys.argv[3]
def ms(v, unit):
    return float(v) * {"s": 1000, "ms": 1, "us": 0.001, "ns": 1e-6}.get(unit, 1)
gc = open(tmp + "/gc.txt").read().split("jdk.GarbageCollection {")[1:]
kinds = Counter(re.search(r'name = "(\w+)"', e).group(1) for e in gc)
pauses = sum(ms(*re.search(r"sumOfPauses = ([\d.]+) (\w+)", e).groups()) for e in gc)
cpu = open(tmp + "/gccpu.txt").read()
user = sum(ms(v, u) for v, u in re.findall(r"userTime = ([\d.]+) (\w+)", cpu))
system = sum(ms(v, u) for v, u in re.findall(r"systemTime = ([\d.]+) (\w+)", cpu))
print("collections:", dict(kinds), "pauses %.2f s, collector CPU %.2f s (user %.2f, system %.2f)"
      % (pauses / 1000, (user + system) / 1000, user / 1000, system / 1000))
samples = open(tmp + "/exec.txt").read().split("jdk.ExecutionSample {")[1:]
threads, frames = Counter(), Counter()
all_by_second, matching_by_second = Counter(), Counter()
with_method = 0
for e in samples:
    t = re.search(r'sampledThread = "([^"]*)"', e)
    name = re.sub(r"\d+", "N", t.group(1)) if t else "?"
    threads[name] += 1
    second = re.search(r"startTime = (\d+:\d+:\d+)", e)
    second = second.group(1) if second else "?"
    all_by_second[second] += 1
    if pattern in name:
        matching_by_second[second] += 1
        if method and method in e: with_method += 1
        own = [f for f in re.findall(r"^\s+([\w.$<>]+)\(.*line: (\d+)", e, re.M) if f[0].startswith("callwatch")]
        frames[" < ".join(".".join(f[0].split(".")[-2:]) + ":" + f[1] for f in own[:3]) or "(no callwatch frame)"] += 1
print("%d CPU samples by thread:" % len(samples))
for name, n in threads.most_common(15): print("%6d  %s" % (n, name))
print("threads matching '%s' (%d samples), by innermost callwatch frame:" % (pattern, sum(frames.values())))
for f, n in frames.most_common(15): print("%6d  %s" % (n, f))
if method: print("of which %d with %s on the stack" % (with_method, method))
print("samples by second of the recording (all threads / threads matching '%s'):" % pattern)
for second in sorted(all_by_second): print("  %s %6d %6d" % (second, all_by_second[second], matching_by_second[second]))
units = {"bytes": 1, "kB": 1e3, "MB": 1e6, "GB": 1e9}
sites, total = Counter(), 0.0
for e in open(tmp + "/alloc.txt").read().split("jdk.ObjectAllocationSample {")[1:]:
    w = re.search(r"weight = ([\d.]+) (\w+)", e)
    if not w: continue
    bytes_ = float(w.group(1)) * units.get(w.group(2), 1)
    total += bytes_
    stack = re.findall(r"^\s+([\w.$<>]+)\(", e, re.M)
    own = [f for f in stack if f.startswith("callwatch")]
    top = ".".join(stack[0].split(".")[-2:]) if stack else "?"
    sites[top + " @ " + (".".join(own[0].split(".")[-2:]) if own else "-")] += bytes_
print("allocated %.1f GB (JFR's estimate); largest sites (top frame @ innermost callwatch frame):" % (total / 1e9))
for site, b in sites.most_common(16): print("%8.0f MB  %s" % (b / 1e6, site))
PY
