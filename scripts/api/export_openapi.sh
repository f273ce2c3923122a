#!/usr/bin/env bash
# Writes the served OpenAPI document to docs/openapi.json (keys sorted, 4-space indent, as
# `python3 -m json.tool --sort-keys` prints it): serves Epsom on a temporary SQLite file and a
# free loopback port and fetches /openapi.json. Rerun it whenever the API's description changes;
# Tests/Client generates its Swift client from that file.
# Usage: scripts/api/export_openapi.sh .build/debug/epsom [OUTPUT (default docs/openapi.json)]
set -euo pipefail
binary=${1:?path to the epsom binary}
output=${2:-docs/openapi.json}
dir=$(mktemp -d /tmp/epsom-openapi-export.XXXXXX)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$binary" serve --host 127.0.0.1 --port "$port" --database "sqlite:$dir/epsom.sqlite" >"$dir/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break
    sleep 0.1
done
curl -sf "http://127.0.0.1:$port/openapi.json" | python3 -m json.tool --sort-keys >"$dir/openapi.json"
mv "$dir/openapi.json" "$output"
echo "wrote $output"
