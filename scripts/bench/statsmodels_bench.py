"""Times statsmodels' combine_effects on the benchmark inputs: "statsmodels <workload> <median ms> <runs>".

statsmodels has no REML estimator for combine_effects; it offers DerSimonian-Laird
(method_re="chi2") and Paule-Mandel (method_re="iterated"), timed here against Epsom's DL and PM.
"""
import sys, time
import numpy as np
from statsmodels.stats.meta_analysis import combine_effects, effectsize_smd

d = sys.argv[1] if len(sys.argv) > 1 else "bench-data"

def time_it(name, f):
    s, total = [], 0.0
    while len(s) < 5 or (total < 1 and len(s) < 200):
        t0 = time.perf_counter(); f(); t = time.perf_counter() - t0
        s.append(t); total += t
    print(f"statsmodels {name} {np.median(s) * 1000:.3f} {len(s)}")

for k in (1_000, 10_000, 100_000, 1_000_000):
    yi, vi = np.loadtxt(f"{d}/generic_{k}.csv", delimiter=",", skiprows=1, unpack=True)
    print(f"statsmodels reml_k{k} unsupported 0")
    time_it(f"dl_k{k}", lambda: combine_effects(yi, vi, method_re="chi2"))
    time_it(f"pm_k{k}", lambda: combine_effects(yi, vi, method_re="iterated"))
m1, sd1, n1, m2, sd2, n2 = np.loadtxt(f"{d}/means_1000000.csv", delimiter=",", skiprows=1, unpack=True)
time_it("smd_escalc_k1000000", lambda: effectsize_smd(m1, sd1, n1, m2, sd2, n2))
