#!/usr/bin/env bash
# Sourced by scripts/test.sh: makes sure a PostgreSQL answers at
# HEALING_TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test) for
# the storage, server and research tests. When nothing answers there, it starts a
# throwaway server from Debian's postgresql package: initdb in a temporary folder
# (owned by the package's postgres user, as initdb refuses root), trust
# authentication, a free loopback port, stopped and deleted when the test
# command exits. Exports HEALING_TEST_POSTGRES_URL either way.

export HEALING_TEST_POSTGRES_URL="${HEALING_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"

postgres_answers() {
  command -v psql >/dev/null && psql "$1" -qAtc 'SELECT 1' >/dev/null 2>&1
}

if postgres_answers "$HEALING_TEST_POSTGRES_URL"; then
  echo "PostgreSQL answers at $HEALING_TEST_POSTGRES_URL"
else
  echo "nothing answers at $HEALING_TEST_POSTGRES_URL: starting a throwaway PostgreSQL"
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    apt-get update -qq && apt-get install -y -qq postgresql postgresql-client >/dev/null
  fi
  pg_bin=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n1)")
  pg_dir=$(mktemp -d /tmp/healing-test-postgres.XXXXXX)
  chown postgres "$pg_dir"
  pg_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  as_postgres() { runuser -u postgres -- "$@"; }
  as_postgres "$pg_bin/initdb" -D "$pg_dir/data" -U postgres -A trust >/dev/null
  as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w \
    -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off" start >/dev/null
  stop_throwaway_postgres() {
    as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
  }
  trap stop_throwaway_postgres EXIT
  as_postgres "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -qc 'CREATE DATABASE test' >/dev/null
  export HEALING_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$pg_port/test"
  echo "throwaway PostgreSQL at $HEALING_TEST_POSTGRES_URL (stopped at exit)"
fi
