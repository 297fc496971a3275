#!/usr/bin/env bash
# From a fresh clone: install, build, migrate, start llm-sim and the five services, run the example evaluation, print its results.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/infra.sh
ensure_install
ensure_infra
build_all
bash scripts/services.sh start
node scripts/example-evaluation.mjs "http://127.0.0.1:3000/api/v1" examples/world-facts.csv
echo
echo "The services keep running: API http://127.0.0.1:3000/api/v1, docs http://127.0.0.1:3000/docs, logs in .data/logs."
echo "Your API key (send it as Authorization: Bearer <key>) is in .data/api-key."
echo "Stop them with: bash scripts/services.sh stop"
