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
# shellcheck source=healing-server/bench/lib.sh
source healing-server/bench/lib.sh

python3 healing-server/bench/llm_server.py "$work/llm.port" &
pids+=($!)
for _ in $(seq 1 100); do [ -s "$work/llm.port" ] && break; sleep 0.05; done
llm="http://127.0.0.1:$(cat "$work/llm.port")/v1"

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

machine
each_backend bench_backend
