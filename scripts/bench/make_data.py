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
