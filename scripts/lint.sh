#!/usr/bin/env bash
# Lints every Swift file in the repository (as git lists them, so no build folder) with the
# toolchain's swift-format and the rules in .swift-format; any finding fails.
# `swift format format -i` on the same files fixes what is only layout.
set -euo pipefail
cd "$(dirname "$0")/.."
git ls-files -z '*.swift' | xargs -0 swift format lint --strict --parallel
