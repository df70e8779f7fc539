#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on 127.0.0.1 for the store tests, and print its URL.
#
# Installs Debian's postgresql if it is missing, initialises a cluster in a temporary folder
# (trust authentication, loopback only) and starts it as user postgres. Idempotent: when a server
# already answers on the port, it only prints the URL. Logs go to stderr; stdout is the URL alone,
# so `.ci/run` can do EVENTWIRE_TEST_PG_URL="$(bash .ci/postgres.sh)".
set -euo pipefail

PORT="${EVENTWIRE_PG_PORT:-55432}"
DIR="${EVENTWIRE_PG_DIR:-/tmp/eventwire-pg-$PORT}"
URL="postgresql://postgres@127.0.0.1:${PORT}/postgres"
log() { echo "postgres.sh: $*" >&2; }

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

BIN="$(pg_bin)"
if [ -z "$BIN" ]; then
  log "installing Debian's postgresql"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update >&2
  apt-get install -y postgresql >&2
  BIN="$(pg_bin)"
fi
[ -n "$BIN" ] || { log "no PostgreSQL binaries found"; exit 1; }

if "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
  log "already running on port $PORT"
  echo "$URL"
  exit 0
fi

run_as_postgres() {
  if [ "$(id -un)" = "postgres" ]; then "$@"; else runuser -u postgres -- "$@"; fi
}

mkdir -p "$DIR"
chown postgres:postgres "$DIR" 2>/dev/null || true
chmod 700 "$DIR"
if [ ! -f "$DIR/PG_VERSION" ]; then
  log "initdb in $DIR"
  run_as_postgres "$BIN/initdb" -D "$DIR" -A trust -U postgres >&2
fi
log "starting on 127.0.0.1:$PORT"
run_as_postgres "$BIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR" start >&2

# The Python driver the store uses for postgresql:// URLs (the `postgres` extra).
python -c "import psycopg" 2>/dev/null || pip install -q "psycopg[binary]>=3.1" >&2 || log "psycopg could not be installed"
echo "$URL"
