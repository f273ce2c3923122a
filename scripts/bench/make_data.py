"""Deterministic benchmark inputs shared by Epsom, metafor and statsmodels.

python3 scripts/bench/make_data.py DIR
"""
import sys, os
import numpy as np

out = sys.argv[1] if len(sys.argv) > 1 else "bench-data"
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(20261125)
for k in (1_000, 10_000, 100_000, 1_000_000):
    vi = rng.uniform(0.01, 0.5, k)
    yi = 0.2 + 0.3 * rng.standard_normal(k) + np.sqrt(vi) * rng.standard_normal(k)
    np.savetxt(f"{out}/generic_{k}.csv", np.column_stack([yi, vi]), delimiter=",", header="yi,vi", comments="", fmt="%.17g")
k = 1_000_000
n1, n2 = rng.integers(10, 200, k), rng.integers(10, 200, k)
sd1, sd2 = rng.uniform(1, 3, k), rng.uniform(1, 3, k)
m1, m2 = 5 + rng.standard_normal(k), 5.5 + rng.standard_normal(k)
np.savetxt(f"{out}/means_{k}.csv", np.column_stack([m1, sd1, n1, m2, sd2, n2]), delimiter=",",
           header="m1i,sd1i,n1i,m2i,sd2i,n2i", comments="", fmt="%.17g")

# A 365-day diary, three arms in randomised 7-day periods, AR(1) errors, a few missing days.
n = 365
order = [a for _ in range(18) for a in rng.permutation(3)]
arm = np.array([order[d // 7] for d in range(n)])
e = np.zeros(n)
for d in range(1, n):
    e[d] = 0.5 * e[d - 1] + rng.standard_normal()
pain = np.clip(5 - 0.5 * (arm == 1) - 1.0 * (arm == 2) + 0.002 * np.arange(n) + e, 0, 10).round(1)
keep = np.sort(rng.choice(n, n - 10, replace=False))
np.savetxt(f"{out}/nof1_365.csv", np.column_stack([keep, arm[keep], pain[keep]]), delimiter=",",
           header="day,arm,pain", comments="", fmt=["%d", "%d", "%.1f"])
# Per-person contrasts for pooling.
for k in (1_000, 100_000):
    b = rng.normal(-0.8, 0.6, k) + rng.normal(0, 0.3, k)
    v = rng.uniform(0.05, 0.5, k)
    np.savetxt(f"{out}/pool_{k}.csv", np.column_stack([b, v]), delimiter=",", header="estimate,variance", comments="", fmt="%.17g")
