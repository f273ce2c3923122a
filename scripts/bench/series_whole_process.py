"""The whole process of `epsom series` a user waits for, on a large series.

python3 scripts/bench/series_whole_process.py PATH/TO/RELEASE/epsom [DIR] [--participants 1000] [--cycles 6]

Makes DIR/series_<participants>x<days>.csv with scripts/fixtures/make_series.py (seed 17; 6
cycles of two 7-day periods are 84 days), then times `epsom series FILE --format json` and
`--format text` from process start to exit, output to /dev/null: median of 5 runs, and peak
resident memory from /usr/bin/time -v. Prints a Markdown table for docs/performance.md. Plain
Python, no packages. Run it under the build lock (`epsom-build python3 …`) so that no build
shares the cores.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

parser = argparse.ArgumentParser()
parser.add_argument("epsom")
parser.add_argument("dir", nargs="?", default="bench-data/whole")
parser.add_argument("--participants", type=int, default=1000)
parser.add_argument("--cycles", type=int, default=6)
args = parser.parse_args()
epsom = os.path.abspath(args.epsom)
os.makedirs(args.dir, exist_ok=True)

path = f"{args.dir}/series_{args.participants}x{args.cycles * 14}.csv"
if not os.path.exists(path):
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "make_series.py")
    subprocess.run([sys.executable, script, path, "--participants", str(args.participants), "--cycles", str(args.cycles),
                    "--withdrawn", "0", "--seed", "17"], check=True)


def run(command, runs=5):
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - t0)
    peak = subprocess.run(["/usr/bin/time", "-v"] + command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True).stderr
    kb = next(int(line.split(":")[1]) for line in peak.splitlines() if "Maximum resident set size" in line)
    return statistics.median(times), kb / 1024


print("| workload | Epsom whole process (ms) | peak memory (MB) |")
print("|---|---:|---:|")
for fmt in ("json", "text"):
    t, mb = run([epsom, "series", path, "--format", fmt])
    print(f"| series, {args.participants:,} participants x {args.cycles * 14} days, {fmt} | {t * 1000:.0f} | {mb:.0f} |")
