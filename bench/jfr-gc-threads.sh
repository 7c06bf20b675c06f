#!/usr/bin/env bash
# A JFR recording's collector and threads: young/old/full collections, their pauses and the
# collector's CPU; CPU samples by thread (numbers folded); and for threads matching PATTERN, the
# innermost callwatch frame (with its line and two callers) of each sample. Record as for
# bench/jfr-top.sh (settings=profile), then:
#   bench/jfr-gc-threads.sh /tmp/agg.jfr [PATTERN=callwatch-detect]
# e.g. PATTERN callwatch-query for the series queries. Needs the JDK's jfr tool and python3.
set -euo pipefail
rec=$1 pattern=${2:-callwatch-detect}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
jfr print --events jdk.GarbageCollection "$rec" > "$tmp/gc.txt"
jfr print --events jdk.GCCPUTime "$rec" > "$tmp/gccpu.txt"
jfr print --events jdk.ExecutionSample --stack-depth 40 "$rec" > "$tmp/exec.txt"
python3 - "$tmp" "$pattern" <<'PY'
import re, sys
from collections import Counter
tmp, pattern = sys.argv[1], sys.argv[2]
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
for e in samples:
    t = re.search(r'sampledThread = "([^"]*)"', e)
    name = re.sub(r"\d+", "N", t.group(1)) if t else "?"
    threads[name] += 1
    if pattern in name:
        own = [f for f in re.findall(r"^\s+([\w.$<>]+)\(.*line: (\d+)", e, re.M) if f[0].startswith("callwatch")]
        frames[" < ".join(".".join(f[0].split(".")[-2:]) + ":" + f[1] for f in own[:3]) or "(no callwatch frame)"] += 1
print("%d CPU samples by thread:" % len(samples))
for name, n in threads.most_common(15): print("%6d  %s" % (n, name))
print("threads matching '%s' (%d samples), by innermost callwatch frame:" % (pattern, sum(frames.values())))
for f, n in frames.most_common(15): print("%6d  %s" % (n, f))
PY
