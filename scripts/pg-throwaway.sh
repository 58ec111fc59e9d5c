#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests: created in a temporary folder owned by the postgres user
# (initdb refuses root), listening only on 127.0.0.1, stopped by its pid.
#   scripts/pg-throwaway.sh start   -> prints the connection URL on stdout, state in $PG_STATE_FILE
#   scripts/pg-throwaway.sh stop
# PG_OPTIONS adds server settings, e.g. for a diagnosis of the bench's statements:
#   PG_OPTIONS='-c shared_preload_libraries=pg_stat_statements' (then `create extension pg_stat_statements`)
set -euo pipefail
STATE_FILE="${PG_STATE_FILE:-/tmp/ballou-pg-throwaway.state}"

find_bin() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$bin" ] && [ -x "$bin/initdb" ] && echo "$bin"
}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
  start)
    BIN=$(find_bin) || true
    if [ -z "${BIN:-}" ]; then
      echo "installing PostgreSQL (Debian package postgresql)..." >&2
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq >&2 && apt-get install -y -qq postgresql >&2
      BIN=$(find_bin)
    fi
    DIR=$(mktemp -d /tmp/ballou-pg.XXXXXX)
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$DIR"
    PORT=${PG_PORT:-$(( 20000 + RANDOM % 20000 ))}
    as_postgres "$BIN/initdb" -D "$DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    as_postgres "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=off -c max_connections=200 ${PG_OPTIONS:-}" start >/dev/null
    PID=$(head -n 1 "$DIR/data/postmaster.pid")
    printf 'DIR=%s\nPID=%s\nPORT=%s\n' "$DIR" "$PID" "$PORT" >"$STATE_FILE"
    echo "postgres://postgres@127.0.0.1:$PORT/postgres"
    ;;
  stop)
    [ -f "$STATE_FILE" ] || exit 0
    # shellcheck disable=SC1090
    . "$STATE_FILE"
    kill -INT "$PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$PID" 2>/dev/null || break; sleep 0.2; done
    rm -rf "$DIR" "$STATE_FILE"
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
