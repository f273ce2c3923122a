"""The whole process a user waits for, beside the tool they would otherwise use.

python3 scripts/bench/whole_process.py PATH/TO/RELEASE/epsom [DIR]

- `epsom meta FILE --measure GEN --method M --format json|text` on `study,yi,vi` files of
  k = 100,000 and 1,000,000 studies: process start to exit, output to /dev/null; median of 5
  runs (3 at k = 1,000,000), and peak resident memory from /usr/bin/time -v.
- pandas.read_csv + statsmodels `combine_effects` on the same file, timed inside Python (start-up
  and imports not counted, as the issue asks): DL (`chi2`) and PM (`iterated`); statsmodels has
  no REML.
- `epsom analyze` on a 10-year daily diary (3,650 rows, three arms, with --trend).
Prints a Markdown table for docs/performance.md. Needs pandas and statsmodels (a venv is made in
test-output/venv-bench when they are missing).
"""
import os, statistics, subprocess, sys, time

import numpy as np

epsom = os.path.abspath(sys.argv[1])
out = sys.argv[2] if len(sys.argv) > 2 else "bench-data/whole"
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(20261129)


def study_file(k):
    path = f"{out}/studies_{k}.csv"
    if not os.path.exists(path):
        vi = rng.uniform(0.01, 0.5, k)
        yi = 0.2 + 0.3 * rng.standard_normal(k) + np.sqrt(vi) * rng.standard_normal(k)
        with open(path, "w") as f:
            f.write("study,yi,vi\n")
            f.writelines(f"Study {i + 1},{y:.17g},{v:.17g}\n" for i, (y, v) in enumerate(zip(yi, vi)))
    return path


def diary_file():
    path = f"{out}/diary_3650.csv"
    if not os.path.exists(path):
        n = 3650
        order = [a for _ in range(n // 21 + 1) for a in rng.permutation(3)]
        arms = ["none", "oral", "cream"]
        e = 0.0
        with open(path, "w") as f:
            f.write("date,arm,pain\n")
            day = np.datetime64("2016-01-01")
            for d in range(n):
                arm = order[d // 7]
                e = 0.5 * e + rng.standard_normal()
                pain = min(10, max(0, 5 - 0.5 * (arm == 1) - 1.0 * (arm == 2) + 0.0002 * d + e))
                cell = "" if rng.random() < 0.03 else f"{pain:.1f}"
                f.write(f"{day + d},{arms[arm]},{cell}\n")
    return path


def run(args, runs):
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(args, stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - t0)
    peak = subprocess.run(["/usr/bin/time", "-v"] + args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True).stderr
    kb = next(int(l.split(":")[1]) for l in peak.splitlines() if "Maximum resident set size" in l)
    return statistics.median(times), kb / 1024


def python_peer(path, method, runs):
    code = f"""
import time, statistics, pandas, numpy
from statsmodels.stats.meta_analysis import combine_effects
times = []
for _ in range({runs}):
    t0 = time.perf_counter()
    d = pandas.read_csv({path!r})
    r = combine_effects(d["yi"].to_numpy(), d["vi"].to_numpy(), method_re={method!r})
    _ = (r.mean_effect_re, r.tau2)
    times.append(time.perf_counter() - t0)
print(statistics.median(times))
"""
    return float(subprocess.run([peer_python, "-c", code], capture_output=True, text=True, check=True).stdout)


peer_python = sys.executable
try:
    import pandas, statsmodels  # noqa: F401
except ImportError:
    venv = "test-output/venv-bench"
    if not os.path.exists(f"{venv}/bin/python"):
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        subprocess.run([f"{venv}/bin/pip", "install", "-q", "pandas", "statsmodels"], check=True)
    peer_python = f"{venv}/bin/python"
versions = subprocess.run(
    [peer_python, "-c", "import pandas, statsmodels; print(pandas.__version__, statsmodels.__version__)"],
    capture_output=True, text=True, check=True).stdout.split()

print(f"pandas {versions[0]}, statsmodels {versions[1]}\n")
print("| workload | Epsom whole process (ms) | peak memory (MB) | pandas + statsmodels in process (ms) | ratio |")
print("|---|---:|---:|---:|---:|")
for k in (100_000, 1_000_000):
    path = study_file(k)
    runs = 5 if k <= 100_000 else 3
    for method, peer in (("DL", "chi2"), ("PM", "iterated"), ("REML", None)):
        t, mb = run([epsom, "meta", path, "--measure", "GEN", "--method", method, "--format", "json"], runs)
        p = python_peer(path, peer, runs) if peer else None
        ratio = f"{p / t:.1f}x faster" if p else "no REML"
        print(f"| meta k={k:,} {method}, JSON | {t * 1000:.0f} | {mb:.0f} | {p * 1000:.0f} |" if p else
              f"| meta k={k:,} {method}, JSON | {t * 1000:.0f} | {mb:.0f} | unsupported |", ratio, "|")
    t, mb = run([epsom, "meta", path, "--measure", "GEN", "--method", "REML"], runs)
    print(f"| meta k={k:,} REML, text report | {t * 1000:.0f} | {mb:.0f} | | |")
t, mb = run([epsom, "analyze", diary_file(), "--trend", "--format", "json"], 5)
print(f"| analyze, 3,650-day diary, 3 arms, trend, JSON | {t * 1000:.0f} | {mb:.0f} | | |")
