#!/usr/bin/env bash
# Builds the Swift client that swift-openapi-generator makes from docs/openapi.json (the
# test-only package Tests/Client) and runs its walk-through against BINARY, which it starts on a
# free loopback port with a temporary SQLite file.
# Usage: scripts/api/client_test.sh .build/debug/epsom
set -euo pipefail
cd "$(dirname "$0")/../.."
binary=${1:?path to the epsom binary}
[ -x "$binary" ] || { echo "not an executable file: $binary" >&2; exit 1; }
EPSOM_BINARY=$(realpath "$binary") swift test --package-path Tests/Client
