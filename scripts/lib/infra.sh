# Makes sure Postgres, Redis and NATS (with JetStream) answer on loopback, starting them when their
# binaries are here and they are not running; otherwise says exactly what is missing and fails.
# shellcheck shell=bash

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() {
  local name=$1 port=$2
  for _ in $(seq 1 50); do port_open "$port" && return 0; sleep 0.2; done
  echo "error: $name did not come up on 127.0.0.1:$port" >&2
  return 1
}

ensure_postgres() {
  port_open 5432 && return 0
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    echo "starting Postgres"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
    wait_port Postgres 5432
  else
    echo "error: Postgres is not answering on 127.0.0.1:5432 and pg_ctlcluster is not installed (apt-get install postgresql)" >&2
    return 1
  fi
}

ensure_redis() {
  port_open 6379 && return 0
  if command -v redis-server >/dev/null; then
    echo "starting Redis"
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
    wait_port Redis 6379
  else
    echo "error: Redis is not answering on 127.0.0.1:6379 and redis-server is not installed (apt-get install redis-server)" >&2
    return 1
  fi
}

ensure_nats() {
  port_open 4222 && return 0
  if [ -x /usr/sbin/nats-server ] || command -v nats-server >/dev/null; then
    echo "starting nats-server with JetStream"
    local bin; bin=$(command -v nats-server || echo /usr/sbin/nats-server)
    mkdir -p /var/lib/nats-server
    start-stop-daemon --start --oknodo --background --exec "$bin" -- -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log
    wait_port NATS 4222
  else
    echo "error: NATS is not answering on 127.0.0.1:4222 and nats-server is not installed (apt-get install nats-server)" >&2
    return 1
  fi
}

ensure_infra() {
  ensure_postgres && ensure_redis && ensure_nats
}

ensure_install() {
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    # npm ci rejects this lockfile: npm 11 leaves other platforms' optional binaries (swc, nx) out of it. See docs/decisions.md.
    npm install --no-audit --no-fund
  fi
}

build_all() {
  NX_NO_CLOUD=true NX_DAEMON=false npx nx run-many -t build --output-style=static
}
