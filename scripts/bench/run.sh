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
python3 - "$results" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    tool, workload, value, _ = line.split()
    rows.setdefault(workload, {})[tool] = value
print("| workload | Epsom (ms) | metafor 3.8.1 (ms) | statsmodels (ms) |")
print("|---|---:|---:|---:|")
def key(w):
    name, k = w.rsplit("_k", 1)
    return (name, int(k))
for w in sorted(rows, key=key):
    r = rows[w]
    print(f"| {w} | {r.get('epsom', '–')} | {r.get('metafor', '–')} | {r.get('statsmodels', '–')} |")
PY
echo
echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(swift --version 2>&1 | head -1); R $(Rscript -e 'cat(R.version.string)' 2>/dev/null)"
