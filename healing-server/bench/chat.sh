#!/usr/bin/env bash
# Chat round trips: requests/s and p50/p99 latency of POST …/chat at 50 concurrent
# connections on SQLite and PostgreSQL, answered by the offline companion (a
# patient without `ai_chat` consent) and by the AI model path against
# bench/llm_server.py, a chat-completions server on loopback that answers at once
# (so what is measured is the server's own overhead: screening, consent, two
# sealed writes with the conversation read between them, and the model call).
# Uses wrk (Debian package `wrk`), loopback only; each run DURATION seconds (10).
#
# Usage (repository root): bash healing-server/bench/chat.sh
# PostgreSQL: BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
duration=${DURATION:-10}
connections=${CONNECTIONS:-50}
threads=${THREADS:-2}
pg_admin=${BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk"; exit 1; }

cargo build --quiet --release --locked -p healing-server --bins
target_dir=$(cargo metadata --format-version 1 --no-deps --locked | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
bin="$target_dir/release/healing-server"
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  if [ -n "${pg_db:-}" ]; then psql "$pg_admin" -qc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

python3 healing-server/bench/llm_server.py "$work/llm.port" &
pids+=($!)
for _ in $(seq 1 100); do [ -s "$work/llm.port" ] && break; sleep 0.05; done
llm="http://127.0.0.1:$(cat "$work/llm.port")/v1"

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

measure() {
  local label=$1 url=$2; shift 2
  local out rps p50 p99 non2xx errors
  out=$(wrk -t"$threads" -c"$connections" -d"${duration}s" --timeout 10s --latency "$@" "$url")
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $5}' <<<"$out")
  errors=$(awk '/Socket errors:/ {gsub(",", ""); print $4+$6+$8+$10}' <<<"$out")
  printf '| %-40s | %10s | %8s | %8s | %s | %s |\n' "$label" "$rps" "$p50" "$p99" "${non2xx:-0}" "${errors:-0}"
}

# patient NAME CONSENT: registers and signs in NAME, granting ai_chat if CONSENT is
# yes; sets $cookie, $csrf and $user.
patient() {
  local name=$1 consent=$2 body
  curl -fsS -o /dev/null -H 'content-type: application/json' \
    -d "{\"username\":\"$name\",\"email\":\"$name@example.test\",\"password\":\"plum orbit ladder seven\"}" "$base/api/auth/register"
  body=$(curl -fsS -D "$work/h" -H 'content-type: application/json' \
    -d "{\"username\":\"$name\",\"password\":\"plum orbit ladder seven\"}" "$base/api/auth/login")
  cookie=$(sed -n 's/^[Ss]et-[Cc]ookie: \(healing_session=[^;]*\).*/\1/p' "$work/h" | head -n1)
  user=$(printf '%s' "$body" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["user"]["id"])')
  csrf=$(printf '%s' "$body" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["csrf_token"])')
  if [ "$consent" = yes ]; then
    curl -fsS -o /dev/null -H 'content-type: application/json' -H "cookie: $cookie" -H "x-csrf-token: $csrf" \
      -d '{"purpose":"ai_chat","decision":"grant","wording_version":"ai_chat-2026-01"}' "$base/api/patients/$user/consent"
  fi
}

bench_backend() {
  local label=$1; shift
  start "$label" env "$@" HEALING_LLM_BASE_URL="$llm" HEALING_LLM_API_KEY=bench-key HEALING_LLM_MODEL=bench "$bin" serve
  patient offline.patient no
  measure "$label chat, offline companion" "$base/api/patients/$user/chat" \
    -s "$root/healing-server/bench/chat.lua" -H "cookie: $cookie" -H "x-csrf-token: $csrf"
  patient model.patient yes
  local answer
  answer=$(curl -fsS -H 'content-type: application/json' -H "cookie: $cookie" -H "x-csrf-token: $csrf" \
    -d '{"message":"hello"}' "$base/api/patients/$user/chat" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["source"])')
  [ "$answer" = model ] || { echo "the model path answered from $answer"; exit 1; }
  measure "$label chat, loopback model (instant)" "$base/api/patients/$user/chat" \
    -s "$root/healing-server/bench/chat.lua" -H "cookie: $cookie" -H "x-csrf-token: $csrf"
  kill "${pids[-1]}"
}

echo "machine: $(nproc) cores, load average $(cut -d" " -f1-3 /proc/loadavg), $(uname -sr); wrk $(wrk -v 2>&1 | head -n1 | awk '{print $2}')"
printf '| %-40s | %10s | %8s | %8s | %s | %s |\n' "endpoint ($connections connections, ${duration}s)" "req/s" "p50" "p99" "non-2xx" "socket errors"
mkdir -p "$work/sqlite"
bench_backend "sqlite" HEALING_DATA_DIR="$work/sqlite"
pg_db="healing_bench_chat_$$"
psql "$pg_admin" -qc "CREATE DATABASE $pg_db" >/dev/null
bench_backend "postgres" DATABASE_URL="${pg_admin%/*}/$pg_db" HEALING_DATA_DIR="$work/pg"
