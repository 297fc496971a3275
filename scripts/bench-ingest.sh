#!/usr/bin/env bash
# 100,000-row dataset ingestion (CSV and JSONL) and run creation: wall times and peak RSS against the goals.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/infra.sh
ensure_install
ensure_infra
build_all
node bench/dataset-ingest.bench.mjs
