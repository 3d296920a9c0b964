#!/usr/bin/env bash
# Load test of care between appointments: a clinic invented by `seed-demo` (by
# default 200 patients on one clinician's caseload), filled through the HTTP API
# by care_seed.py with each patient's conversation with the clinician (MESSAGES
# each, default 100), a community channel of ten posts from every patient and
# the clinician's weekly availability; then wrk at 50 connections against the
# clinician's inbox, one conversation's first page, the channel's first page
# and booking (each request a different open slot of the coming year, as the
# next patient in turn), on SQLite and PostgreSQL, beside a bare axum handler.
#
# Usage (repository root): bash healing-server/bench/care.sh
# PATIENTS (default 200), MESSAGES (default 100), DURATION (seconds, default 10).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
patients=${PATIENTS:-200}
messages=${MESSAGES:-100}
# shellcheck source=healing-server/bench/lib.sh
source healing-server/bench/lib.sh

password="demo password 2026"

# bench_care LABEL [env...]: seeds the clinic and its care traffic, then measures.
bench_care() {
  local label=$1; shift
  local seeded secret started
  seeded=$(cd "$work" && env "$@" "$bin" seed-demo --patients "$patients" --days 28 --clinicians 1 --password "$password")
  secret=$(sed -n 's/.*Staff TOTP secret (add to an authenticator app): \([A-Z2-7]*\).*/\1/p' <<<"$seeded")
  start "$label" env "$@" "$bin" serve
  started=$SECONDS
  python3 healing-server/bench/care_seed.py "$base" "$secret" "$password" "$patients" "$messages" \
    "$work/$label.slots" >"$work/$label.env"
  # shellcheck disable=SC1090
  source "$work/$label.env"
  echo "$label: $patients conversations of $messages messages, $((patients * 10)) posts in one channel, $SLOT_COUNT open slots; written in $((SECONDS - started)) s" >>"$work/notes"
  measure "$label inbox (clinician, 50 of $patients)" "$base/api/messages" -H "cookie: $CLINICIAN_COOKIE"
  measure "$label conversation (50 of $messages)" "$base/api/messages/threads/$THREAD_ID" -H "cookie: $PATIENT_COOKIE"
  measure "$label channel page (50 of $((patients * 10)))" "$base/api/community/channels/$CHANNEL_ID/posts" -H "cookie: $PATIENT_COOKIE"
  export SLOTS="$work/$label.slots" THREADS="$threads"
  measure "$label booking (a new slot each)" "$base/api/clinicians/$CLINICIAN_ID/appointments" -s healing-server/bench/book.lua
  kill "${pids[-1]}"
}

machine
echo "care: $patients patients, $messages messages each, one clinician"
each_backend bench_care
cat "$work/notes"
