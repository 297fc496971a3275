#!/usr/bin/env bash
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/infra.sh
ensure_install
ensure_infra
build_all
node bench/fast-evaluation.bench.mjs
