#!/usr/bin/env bash
# Chaos tests: kill -9 each service, restart NATS (and wipe its JetStream store), restart Postgres, provider error storms.
# They start their own nats-server and Postgres on other ports and data directories, never touching the shared ones.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/infra.sh
ensure_install
ensure_infra
build_all
YARDSTICK_CHAOS=1 npx jest --ci --selectProjects chaos --runInBand "$@"
