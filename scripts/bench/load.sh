#!/usr/bin/env bash
# Load benchmark: diary writes (JSON API) and the history page, on SQLite and on PostgreSQL,
# with wrk from a second process on loopback; server and load share this machine's cores.
#   scripts/bench/load.sh            (needs wrk, and PostgreSQL's server binaries for the second half)
# Prints a Markdown table for docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product epsom >/dev/null
bin=.build/release/epsom
duration=${EPSOM_LOAD_SECONDS:-15}
connections=${EPSOM_LOAD_CONNECTIONS:-16}
work=$(mktemp -d /tmp/epsom-load.XXXXXX)
chmod 755 "$work"   # the postgres user must reach its data directory inside

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

run_against() {  # $1 label, $2 database location
    local label=$1 db=$2 port server token cookie jar page csrf
    port=$(free_port)
    "$bin" serve --port "$port" --database "$db" >"$work/$label.log" 2>&1 &
    server=$!
    for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
    curl -sf -X POST "http://127.0.0.1:$port/api/v1/accounts" -H 'content-type: application/json' \
        -d '{"email":"load@example.org","password":"correct horse battery","name":"Load"}' >/dev/null
    token=$(curl -sf -X POST "http://127.0.0.1:$port/api/v1/sessions" -H 'content-type: application/json' \
        -d '{"email":"load@example.org","password":"correct horse battery"}' | python3 -c 'import sys, json; print(json.load(sys.stdin)["token"])')
    # A browser session for the history page: the sign-in form with its CSRF cookie.
    jar="$work/$label.cookies"
    page=$(curl -sf -c "$jar" "http://127.0.0.1:$port/signin")
    csrf=$(printf '%s' "$page" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -1)
    curl -sf -b "$jar" -c "$jar" -o /dev/null -d "csrf=$csrf&email=load%40example.org&password=correct+horse+battery" \
        "http://127.0.0.1:$port/signin"
    cookie=$(awk '$6 == "epsom_session" {print $7}' "$jar")
    EPSOM_TOKEN=$token wrk -t2 -c"$connections" -d"${duration}s" --latency -s scripts/bench/diary_put.lua "http://127.0.0.1:$port" >"$work/$label-put.txt"
    wrk -t2 -c"$connections" -d"${duration}s" --latency -H "Cookie: epsom_session=$cookie" \
        "http://127.0.0.1:$port/history?from=2016-01-01&to=2026-12-31" >"$work/$label-history.txt"
    kill "$server"; wait "$server" 2>/dev/null || true
    for kind in put history; do
        python3 - "$label" "$kind" "$work/$label-$kind.txt" <<'PY'
import re, sys
label, kind, path = sys.argv[1:]
text = open(path).read()
rps = re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)
def pct(p):
    m = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", text)
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
name = "diary writes (PUT /api/v1/diary/{date})" if kind == "put" else "history page (GET /history, 10-year window)"
print(f"| {label} | {name} | {float(rps):,.0f} | {pct(50):.2f} | {pct(99):.2f} | {errors.group(1) if errors else 0} |")
PY
    done
}

echo "| database | workload | requests/s | p50 (ms) | p99 (ms) | non-2xx |"
echo "|---|---|---:|---:|---:|---:|"
run_against sqlite "sqlite:$work/load.sqlite"
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -n "$pgbin" ] && id postgres >/dev/null 2>&1; then
    pgport=$(free_port)
    mkdir -p "$work/pg" && chown postgres "$work/pg"
    runuser -u postgres -- "$pgbin/initdb" -D "$work/pg/data" -U epsom --auth=trust >/dev/null
    runuser -u postgres -- "$pgbin/pg_ctl" -D "$work/pg/data" -l "$work/pg/log" -w -o "-p $pgport -k $work/pg -c listen_addresses=127.0.0.1" start >/dev/null
    runuser -u postgres -- "$pgbin/createdb" -h 127.0.0.1 -p "$pgport" -U epsom epsom_load
    run_against postgresql "postgres://epsom@127.0.0.1:$pgport/epsom_load"
    runuser -u postgres -- "$pgbin/pg_ctl" -D "$work/pg/data" -m fast stop >/dev/null
fi
echo
echo "wrk -t2 -c$connections -d${duration}s on loopback; $(nproc) cores shared by server, database and load generator; $(date -u +%F)."
