#!/usr/bin/env bash
# Meta-analysis benchmarks: Epsom (release build) beside metafor and statsmodels, same machine,
# same data, one run. Prints a Markdown table for docs/performance.md.
#   scripts/bench/run.sh [DATA_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
data=${1:-.build-bench-data}
python3 scripts/bench/make_data.py "$data"
swift build -c release --package-path Benchmarks >/dev/null
results=$(mktemp)
Benchmarks/.build/release/epsom-bench "$data" >>"$results"
Rscript scripts/bench/metafor.R "$data" >>"$results"
python3 scripts/bench/statsmodels_bench.py "$data" >>"$results"
Rscript scripts/bench/nof1_jags_bench.R "$data" >>"$results"
python3 - "$results" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    tool, workload, value, _ = line.split()
    rows.setdefault(workload, {})[tool] = value
def key(w):
    name, _, k = w.rpartition("_k")
    return (name, int(k)) if k.isdigit() else (w, 0)
def table(workloads, tools, titles):
    print("| workload | " + " | ".join(titles) + " |")
    print("|---|" + "---:|" * len(tools))
    for w in sorted(workloads, key=key):
        print(f"| {w} | " + " | ".join(rows[w].get(t, "–") for t in tools) + " |")
    print()
nof1 = [w for w in rows if w.startswith(("nof1_", "pool_"))]
table([w for w in rows if w not in nof1], ["epsom", "metafor", "statsmodels"], ["Epsom (ms)", "metafor 3.8.1 (ms)", "statsmodels (ms)"])
table(nof1, ["epsom", "jags"], ["Epsom, exact (ms)", "JAGS 4.3, 11,000 MCMC iterations (ms)"])
PY
echo
echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(swift --version 2>&1 | head -1); R $(Rscript -e 'cat(R.version.string)' 2>/dev/null)"
