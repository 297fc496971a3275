#!/usr/bin/env bash
# The whole test suite: unit, integration (real Postgres, NATS, Redis, S3 server) and end-to-end.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/infra.sh
ensure_install
ensure_infra
build_all
npx tsc -p tsconfig.json --noEmit
npx jest --ci --maxWorkers=2 "$@"
