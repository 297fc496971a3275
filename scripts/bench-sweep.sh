#!/usr/bin/env bash
# Guided vs random search on llm-sim's accuracy profiles over several seeds (bench/sweep-strategies.bench.mjs).
# Needs no services: it runs the compiled strategies against llm-sim's answer code. Args: [seeds] [runs per sweep] [wave size].
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/infra.sh
ensure_install
for dir in libs/contracts libs/prompting tools/llm-sim apps/orchestrator; do (cd "$dir" && npm run build --silent); done
node bench/sweep-strategies.bench.mjs "$@"
