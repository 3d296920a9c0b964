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

echo "machine: $(nproc) cores, load average $(cut -d" " -f1-3 /proc/loadavg), $(uname -sr); wrk $(wrk -v 2>&1 | head -n1 | awk '{print $2}')"
header
start bare "$bare"
measure "bare axum handler (ceiling)" "$base/"
mkdir -p "$work/sqlite"
bench_backend "sqlite" HEALING_DATA_DIR="$work/sqlite"
pg_db="healing_bench_$$"
psql "$pg_admin" -qc "CREATE DATABASE $pg_db" >/dev/null
bench_backend "postgres" DATABASE_URL="${pg_admin%/*}/$pg_db" HEALING_DATA_DIR="$work/pg"
echo
printf '%s\n' "${latencies[@]}" "${drains[@]}"
