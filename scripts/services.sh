#!/usr/bin/env bash
# Starts llm-sim and the five services in the background (logs and pids under .data/), or stops them: services.sh start|stop
set -euo pipefail
cd "$(dirname "$0")/.."
RUN_DIR=.data/run
LOG_DIR=.data/logs
mkdir -p "$RUN_DIR" "$LOG_DIR" .data

export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/yardstick}
export NATS_URL=${NATS_URL:-nats://127.0.0.1:4222}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
export BLOB_FS_ROOT=${BLOB_FS_ROOT:-$PWD/.data/blobs}
export PROVIDER_BASE_URL=${PROVIDER_BASE_URL:-http://127.0.0.1:4010/v1}
# The keyring that seals provider API keys: made once per machine, kept in .data (never committed).
if [ -z "${SECRET_KEYS:-}" ]; then
  [ -s .data/secret-keys ] || { umask 077; echo "local:$(node -e "process.stdout.write(require('crypto').randomBytes(32).toString('base64'))")" > .data/secret-keys; }
  SECRET_KEYS=$(cat .data/secret-keys)
  export SECRET_KEYS
fi

declare -A PORTS=([llm-sim]=4010 [gateway]=3000 [orchestrator]=3001 [llm-caller]=3002 [scorer]=3003 [webhook-dispatcher]=3004)

stop_all() {
  for pidfile in "$RUN_DIR"/*.pid; do
    [ -e "$pidfile" ] || continue
    kill -TERM "$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile"
  done
}

start_one() {
  local name=$1 script=$2
  # The services' heap cap, as in k8s/configmap.yaml (docs/decisions.md).
  NODE_OPTIONS="${NODE_OPTIONS:---max-old-space-size=192}" nohup node "$script" >"$LOG_DIR/$name.log" 2>&1 &
  echo $! >"$RUN_DIR/$name.pid"
}

wait_ready() {
  local name=$1 url=$2
  for _ in $(seq 1 100); do
    curl -fsS "$url" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "error: $name is not ready at $url; see $LOG_DIR/$name.log" >&2
  tail -n 20 "$LOG_DIR/$name.log" >&2
  return 1
}

case "${1:-start}" in
  stop) stop_all ;;
  start)
    stop_all
    node scripts/lib/create-database.mjs
    for app in gateway orchestrator llm-caller webhook-dispatcher; do node "apps/$app/dist/migrate.js"; done
    # The first API key of this machine's "local" organization and "default" project, made once and kept in .data.
    if [ ! -s .data/api-key ]; then
      (umask 077; node apps/gateway/dist/admin.js create-key --organization local --project default --name local \
        | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>process.stdout.write(JSON.parse(s).api_key))" > .data/api-key)
    fi
    LLM_SIM_PORT=${PORTS[llm-sim]} LLM_SIM_ANSWER_KEY=${LLM_SIM_ANSWER_KEY:-examples/world-facts.csv} \
      LLM_SIM_LATENCY_MS=${LLM_SIM_LATENCY_MS:-50} start_one llm-sim tools/llm-sim/dist/main.js
    wait_ready llm-sim "http://127.0.0.1:${PORTS[llm-sim]}/healthz"
    for app in orchestrator llm-caller scorer webhook-dispatcher gateway; do
      PORT=${PORTS[$app]} start_one "$app" "apps/$app/dist/main.js"
    done
    for app in orchestrator llm-caller scorer webhook-dispatcher gateway; do
      wait_ready "$app" "http://127.0.0.1:${PORTS[$app]}/readyz"
    done
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
