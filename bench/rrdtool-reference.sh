#!/usr/bin/env bash
# The reference for bench/rrd-ingest.sh: the same round-robin workload through Debian's rrdtool
# (librrd driven by `rrdtool -`, one process, no start-up per update) and through rrdcached
# (updates sent as BATCH over its unix socket, then FLUSHALL, timed until every data set is on
# disk: per slot as in real time, and a backlog of all slots coalesced). Same four archives as callwatch's RrdLayout (10 s x 8640, 1 min x 20160, 10 min x 13248,
# 1 h x 9600; AVERAGE, since rrdtool has no TOTAL archive, same size per row).
# Usage: bench/rrdtool-reference.sh [FILES] [DS_PER_FILE] [SLOTS]   (needs: apt-get install rrdtool rrdcached)
#   300 20 -> callwatch's layout for 6,000 series;  6000 1 -> one series per file.
set -euo pipefail
FILES=${1:-300}
DS=${2:-20}
SLOTS=${3:-30}
command -v rrdtool >/dev/null && command -v rrdcached >/dev/null || { echo "needs rrdtool and rrdcached (apt-get install rrdtool rrdcached)" >&2; exit 2; }
dir=$(mktemp -d /tmp/callwatch-rrdtool-XXXXXX)
trap 'rm -rf "$dir"' EXIT

now=$(( $(date +%s) / 10 * 10 ))
first=$(( now - (SLOTS + 2) * 10 ))

python3 - "$dir" "$FILES" "$DS" "$SLOTS" "$first" <<'EOF'
import os, random, socket, subprocess, sys, time
d, files, ds, slots, first = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
dss = " ".join(f"DS:c{i}:GAUGE:20:0:U" for i in range(ds))
rras = "RRA:AVERAGE:0.999:1:8640 RRA:AVERAGE:0.999:6:20160 RRA:AVERAGE:0.999:60:13248 RRA:AVERAGE:0.999:360:9600"

def run_pipe(commands):
    p = subprocess.Popen(["rrdtool", "-"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    p.communicate("\n".join(commands) + "\n")
    if p.returncode != 0:
        sys.exit("rrdtool failed")

def create(sub):
    os.makedirs(f"{d}/{sub}")
    t0 = time.time()
    run_pipe([f"create {d}/{sub}/f{i}.rrd --start {first} --step 10 {dss} {rras}" for i in range(files)])
    return time.time() - t0

def values(rnd):
    return ":".join(str(rnd.randint(0, 50)) for _ in range(ds))

def median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2]

rnd = random.Random(1)
# 1. librrd directly: slot after slot, every file once per slot (callwatch's writer pattern)
create_secs = create("direct")
size = os.path.getsize(f"{d}/direct/f0.rrd")
rates = []
for s in range(1, slots + 1):
    t = first + s * 10
    cmds = [f"update {d}/direct/f{i}.rrd {t}:{values(rnd)}" for i in range(files)]
    t0 = time.time()
    run_pipe(cmds)
    rates.append(files / (time.time() - t0))
direct = median(rates)
print(f"librrd (rrdtool -): median {direct:,.0f} file updates/s = {direct * ds:,.0f} series updates/s over {slots} slots", flush=True)

# 2. rrdcached: all slots in one batch, then flushed; timed until every data set is written
create("cached")
sock = f"{d}/cached.sock"
cached = subprocess.Popen(["rrdcached", "-g", "-l", f"unix:{sock}", "-b", d, "-B", "-w", "3600", "-f", "7200", "-F"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
while not os.path.exists(sock):
    if cached.poll() is not None:
        sys.exit("rrdcached did not start")
    time.sleep(0.05)
c = socket.socket(socket.AF_UNIX)
c.connect(sock)
f = c.makefile("rw")
def ask(line):
    f.write(line + "\n"); f.flush()
    status = f.readline()
    n = int(status.split()[0])
    return status, [f.readline() for _ in range(max(n, 0))]
def batch(lines):
    f.write("BATCH\n"); f.flush()
    f.readline()  # "0 Go ahead. End with dot '.' on its own line."
    for l in lines:
        f.write(l)
    f.write(".\n"); f.flush()
    status = f.readline()  # "N errors", then one line per error
    errors = [f.readline() for _ in range(int(status.split()[0]))]
    if errors:
        sys.exit("rrdcached refused updates: " + errors[0])

def flushed(expected):
    ask("FLUSHALL")
    while True:
        _, stats = ask("STATS")
        if int(next(l for l in stats if l.startswith("DataSetsWritten")).split(":")[1]) >= expected:
            return
        time.sleep(0.002)

# 2a. live: each slot sent and flushed to disk before the next (as a 10 s step in real time)
rates = []
for s in range(1, slots + 1):
    t = first + s * 10
    lines = [f"UPDATE {d}/cached/f{i}.rrd {t}:{values(rnd)}\n" for i in range(files)]
    t0 = time.time()
    batch(lines)
    flushed(files * s)
    rates.append(files / (time.time() - t0))
cached_live = median(rates)
# 2b. backlog: the same number of slots at once, coalesced by the cache into one write per file
t0 = time.time()
batch([f"UPDATE {d}/cached/f{i}.rrd {first + (slots + s) * 10}:{values(rnd)}\n" for s in range(1, slots + 1) for i in range(files)])
flushed(files * slots * 2)
cached_secs = time.time() - t0
cached.terminate()
cached_rate = files * slots / cached_secs

print(f"rrdtool {subprocess.run(['rrdtool'], capture_output=True, text=True).stdout.split()[1]}: {files:,} files x {ds} DS = "
      f"{files * ds:,} series, {size / 1024:,.0f} KB per file = {size / 1024 / ds:,.0f} KB per series, created in {create_secs:.1f} s")
print(f"rrdcached, each slot flushed: median {cached_live:,.0f} file updates/s = {cached_live * ds:,.0f} series updates/s")
print(f"rrdcached, {slots} slots coalesced: {cached_rate:,.0f} file updates/s = {cached_rate * ds:,.0f} series updates/s "
      f"({files * slots:,} updates in {cached_secs:.1f} s)")
EOF
