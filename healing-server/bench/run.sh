#!/usr/bin/env bash
# Load test: requests/s and p50/p99 latency for login, check-session, an
# authenticated read (a patient's moods, which also writes an audit entry) and
# mood writes (an ordinary note; a risky note, which is screened, encrypted,
# audited and raises an alert with a webhook delivery) at 50 concurrent
# connections, on SQLite and PostgreSQL, beside a bare axum handler as the
# ceiling; the time from a risky write to its webhook's arrival at a local
# receiver (30 writes one at a time with an empty outbox, p50/p99), and how fast
# the risky burst's deliveries then leave. Uses wrk (Debian package `wrk`) against
# loopback only; each run is bounded (DURATION seconds, default 10).
#
# Usage (repository root): bash healing-server/bench/run.sh
# PostgreSQL: BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test);
# a database healing_bench_<pid> is created and dropped.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
# shellcheck source=healing-server/bench/lib.sh
source healing-server/bench/lib.sh

# The on-call webhook receiver every server delivers alerts to.
python3 healing-server/bench/webhook_receiver.py "$work/receiver.port" >"$work/received.log" &
pids+=($!)
for _ in $(seq 1 100); do [ -s "$work/receiver.port" ] && break; sleep 0.05; done
webhook="http://127.0.0.1:$(cat "$work/receiver.port")/alerts"
secret="bench-webhook-secret-0123456789abcdef"
risky="I've saved my tablets and I'm taking them tonight"

received() { wc -l <"$work/received.log"; }

# Waits until no webhook has arrived for two seconds (the outbox has drained).
wait_for_quiet() {
  local last now
  last=$(received)
  while sleep 2; now=$(received); [ "$now" != "$last" ]; do last=$now; done
}

# alert_latency LABEL URL COOKIE CSRF: 30 risky writes one at a time, each timed
# from just before the request to its webhook's arrival.
alert_latency() {
  local label=$1 url=$2 cookie=$3 csrf=$4 before sent
  wait_for_quiet
  : >"$work/latency.txt"
  for _ in $(seq 1 30); do
    before=$(received)
    sent=$(date +%s.%N)
    curl -fsS -o /dev/null -H 'content-type: application/json' -H "cookie: $cookie" -H "x-csrf-token: $csrf" \
      -d "{\"mood\": 2, \"note\": \"$risky\"}" "$url"
    for _ in $(seq 1 1000); do [ "$(received)" -gt "$before" ] && break; sleep 0.005; done
    echo "$sent $(tail -n1 "$work/received.log" | cut -d' ' -f1)" >>"$work/latency.txt"
  done
  python3 - "$label" "$work/latency.txt" <<'PY'
import statistics, sys
label, path = sys.argv[1], sys.argv[2]
gaps = sorted((float(b) - float(a)) * 1000 for a, b in (line.split() for line in open(path)))
p99 = gaps[min(len(gaps) - 1, round(0.99 * (len(gaps) - 1)))]
print(f"{label} risky write to webhook arrival: p50 {statistics.median(gaps):.0f} ms, p99 {p99:.0f} ms ({len(gaps)} writes)")
PY
}

# bench_backend LABEL [env...]: the three real endpoints on one database.
bench_backend() {
  local label=$1; shift
  start "$label" env "$@" HEALING_ALERT_WEBHOOK_URL="$webhook" HEALING_ALERT_WEBHOOK_SECRET="$secret" "$bin" serve
  curl -fsS -o /dev/null -H 'content-type: application/json' \
    -d '{"username":"bench.patient","email":"bench@example.test","password":"plum orbit ladder seven"}' "$base/api/auth/register"
  local body cookie user
  body=$(curl -fsS -D "$work/h" -H 'content-type: application/json' \
    -d '{"username":"bench.patient","password":"plum orbit ladder seven"}' "$base/api/auth/login")
  cookie=$(sed -n 's/^[Ss]et-[Cc]ookie: \(healing_session=[^;]*\).*/\1/p' "$work/h" | head -n1)
  user=$(printf '%s' "$body" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["user"]["id"])')
  csrf=$(printf '%s' "$body" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["csrf_token"])')
  for i in $(seq 1 30); do
    curl -fsS -o /dev/null -H 'content-type: application/json' -H "cookie: $cookie" -H "x-csrf-token: $csrf" \
      -d "{\"mood\": $(( i % 10 + 1 )), \"note\": \"bench note $i\"}" "$base/api/patients/$user/moods"
  done
  # Write-to-webhook time first, while the outbox is empty.
  latencies+=("$(alert_latency "$label" "$base/api/patients/$user/moods" "$cookie" "$csrf")")
  measure "$label login" "$base/api/auth/login" -s "$root/healing-server/bench/login.lua"
  measure "$label check-session" "$base/api/auth/check-session" -H "cookie: $cookie"
  measure "$label GET moods (30 entries)" "$base/api/patients/$user/moods" -H "cookie: $cookie"
  NOTE="A calm walk by the river today" measure "$label POST mood, ordinary note" \
    "$base/api/patients/$user/moods" -s "$root/healing-server/bench/mood_write.lua" -H "cookie: $cookie" -H "x-csrf-token: $csrf"
  NOTE="$risky" measure "$label POST mood, risky note (alert)" \
    "$base/api/patients/$user/moods" -s "$root/healing-server/bench/mood_write.lua" -H "cookie: $cookie" -H "x-csrf-token: $csrf"
  # How fast the burst's deliveries leave, over the 10 seconds after it; then
  # this server stops, so its backlog does not load the next back end's run.
  local before
  before=$(received)
  sleep 10
  drains+=("$label after the risky burst: $(( ($(received) - before) / 10 )) webhook deliveries/s")
  kill "${pids[-1]}"
}
latencies=()
drains=()

machine
each_backend bench_backend
printf '%s\n' "${latencies[@]}" "${drains[@]}"
