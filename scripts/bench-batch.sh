#!/usr/bin/env bash
# Batch mode: 100,000-row CSV ingested, evaluated through llm-sim's Batch API on a fast clock (bench/batch-evaluation.bench.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/infra.sh
ensure_install
ensure_infra
build_all
node bench/batch-evaluation.bench.mjs
