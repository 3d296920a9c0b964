#!/usr/bin/env bash
# Shared by the load tests in this folder (sourced, not run): the release build,
# a scratch folder cleaned up on exit with every server it started, and the
# helpers that start a server and print one wrk measurement as a table row.
# The caller sets `root` (the repository root) and may set DURATION, CONNECTIONS,
# THREADS and BENCH_POSTGRES_URL.
duration=${DURATION:-10}
connections=${CONNECTIONS:-50}
threads=${THREADS:-2}
pg_admin=${BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk"; exit 1; }

cargo build --quiet --release --locked -p healing-server --bins --examples
target_dir=$(cargo metadata --format-version 1 --no-deps --locked | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
bin="$target_dir/release/healing-server"
bare="$target_dir/release/examples/bare"
work=$(mktemp -d)
pids=()
cleanup() {
  for err in "$work"/*.err; do
    [ -f "$err" ] || continue
    count=$(grep -c '"level":"ERROR"' "$err" || true)
    if [ "$count" -gt 0 ]; then
      echo "$(basename "$err" .err): $count server errors, e.g.:"
      grep '"level":"ERROR"' "$err" | grep -o '"detail":"[^"]*"' | sort | uniq -c | sort -rn | head -3
    fi
  done
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  if [ -n "${pg_db:-}" ]; then psql "$pg_admin" -qc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# start NAME COMMAND... : runs a server, waits for its "listening on" line, sets $base.
start() {
  local name=$1; shift
  (cd "$work" && HEALING_BIND=127.0.0.1:0 HEALING_LOG=warn exec "$@" >"$work/$name.out" 2>"$work/$name.err") &
  pids+=($!)
  base=""
  for _ in $(seq 1 300); do
    base=$(sed -n 's/^listening on //p' "$work/$name.out" 2>/dev/null | head -n1)
    [ -n "$base" ] && return 0
    sleep 0.1
  done
  echo "$name did not start"; cat "$work/$name.err"; exit 1
}

# measure LABEL URL [wrk args...]: prints one table row.
measure() {
  local label=$1 url=$2; shift 2
  local out
  out=$(wrk -t"$threads" -c"$connections" -d"${duration}s" --timeout 10s --latency "$@" "$url")
  local rps p50 p99 non2xx
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $5}' <<<"$out")
  errors=$(awk '/Socket errors:/ {gsub(",", ""); print $4+$6+$8+$10}' <<<"$out")
  printf '| %-34s | %10s | %8s | %8s | %s | %s |\n' "$label" "$rps" "$p50" "$p99" "${non2xx:-0}" "${errors:-0}"
}

header() {
  printf '| %-34s | %10s | %8s | %8s | %s | %s |\n' "endpoint ($connections connections, ${duration}s)" "req/s" "p50" "p99" "non-2xx" "socket errors"
  printf '|%s|%s|%s|%s|%s|%s|\n' "------------------------------------" "------------" "----------" "----------" "---------" "---------------"
}

# machine: one line naming what the figures were measured on.
machine() {
  echo "machine: $(nproc) cores, load average $(cut -d" " -f1-3 /proc/loadavg), $(uname -sr); wrk $(wrk -v 2>&1 | head -n1 | awk '{print $2}')"
}

# new_postgres_database: creates healing_bench_<pid> (dropped on exit) and sets $pg_url to it.
new_postgres_database() {
  pg_db="healing_bench_$$"
  psql "$pg_admin" -qc "CREATE DATABASE $pg_db" >/dev/null
  pg_url="${pg_admin%/*}/$pg_db"
}

# each_backend FUNCTION: the table's header, the bare handler's ceiling, then
# `FUNCTION LABEL VARIABLE=VALUE...` on SQLite and on a new PostgreSQL database.
each_backend() {
  local bench=$1
  header
  start bare "$bare"
  measure "bare axum handler (ceiling)" "$base/"
  mkdir -p "$work/sqlite"
  "$bench" "sqlite" HEALING_DATA_DIR="$work/sqlite"
  new_postgres_database
  "$bench" "postgres" DATABASE_URL="$pg_url" HEALING_DATA_DIR="$work/pg"
  echo
}
