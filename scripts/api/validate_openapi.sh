#!/usr/bin/env bash
# Serves Epsom on a temporary SQLite file and a free loopback port, fetches /openapi.json, and
# checks it against the OpenAPI 3.1 specification with openapi-spec-validator (pinned).
# Usage: scripts/api/validate_openapi.sh .build/debug/epsom
set -euo pipefail
binary=${1:?path to the epsom binary}
venv=test-output/venv-openapi
if [ ! -x "$venv/bin/openapi-spec-validator" ]; then
    mkdir -p test-output
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q 'openapi-spec-validator==0.9.0'
fi
dir=$(mktemp -d /tmp/epsom-openapi.XXXXXX)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$binary" serve --host 127.0.0.1 --port "$port" --database "sqlite:$dir/epsom.sqlite" >"$dir/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break
    sleep 0.1
done
curl -sf "http://127.0.0.1:$port/openapi.json" >"$dir/openapi.json"
"$venv/bin/openapi-spec-validator" "$dir/openapi.json"
