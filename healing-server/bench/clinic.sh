#!/usr/bin/env bash
# Load test of the clinician's workspace: a clinic invented by `seed-demo` (by
# default 200 patients with a year of daily moods and fortnightly PHQ-9 and GAD-7
# each, all on one clinician's caseload, the heaviest case), then wrk at 50
# connections against the caseload's first page and one patient's summary (the
# default 28 days and a whole year), on SQLite and PostgreSQL, beside a bare axum
# handler as the ceiling. Every request is a signed-in clinician's with two-factor
# sign-in done, and each is audited.
#
# Usage (repository root): bash healing-server/bench/clinic.sh
# PATIENTS (default 200), DAYS (default 365), DURATION (seconds, default 10).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
patients=${PATIENTS:-200}
days=${DAYS:-365}
# shellcheck source=healing-server/bench/lib.sh
source healing-server/bench/lib.sh

password="demo password 2026"

# totp SECRET: the current six-digit code (RFC 6238, SHA-1, 30 s steps).
totp() {
  python3 - "$1" <<'PY'
import base64, hashlib, hmac, struct, sys, time
secret = sys.argv[1]
key = base64.b32decode(secret + "=" * (-len(secret) % 8))
digest = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
offset = digest[-1] & 15
print(f"{(struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}")
PY
}

# bench_clinic LABEL [env...]: seeds the clinic, signs the clinician in, measures.
bench_clinic() {
  local label=$1; shift
  local seeded secret
  seeded=$(cd "$work" && env "$@" "$bin" seed-demo --patients "$patients" --days "$days" --clinicians 1 --password "$password")
  secret=$(sed -n 's/.*Staff TOTP secret (add to an authenticator app): \([A-Z2-7]*\).*/\1/p' <<<"$seeded")
  start "$label" env "$@" "$bin" serve
  local body cookie csrf
  body=$(curl -fsS -D "$work/h" -H 'content-type: application/json' \
    -d "{\"username\":\"demo.clinician1\",\"password\":\"$password\"}" "$base/api/auth/login")
  cookie=$(sed -n 's/^[Ss]et-[Cc]ookie: \(healing_session=[^;]*\).*/\1/p' "$work/h" | head -n1)
  csrf=$(printf '%s' "$body" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["csrf_token"])')
  curl -fsS -o /dev/null -D "$work/h" -H 'content-type: application/json' -H "cookie: $cookie" \
    -H "x-csrf-token: $csrf" -d "{\"code\":\"$(totp "$secret")\"}" "$base/api/auth/verify-2fa"
  cookie=$(sed -n 's/^[Ss]et-[Cc]ookie: \(healing_session=[^;]*\).*/\1/p' "$work/h" | head -n1)
  local first
  first=$(curl -fsS -H "cookie: $cookie" "$base/api/clinician/caseload" \
    | python3 -c 'import json,sys; page=json.load(sys.stdin)["data"]; print(page["total"], page["patients"][0]["patient_id"])')
  echo "$label: caseload of ${first% *} patients; summary of the first, ${first#* }" >>"$work/notes"
  measure "$label caseload (first page of 50)" "$base/api/clinician/caseload" -H "cookie: $cookie"
  measure "$label summary (28 days)" "$base/api/clinician/patients/${first#* }/summary" -H "cookie: $cookie"
  measure "$label summary (365 days)" "$base/api/clinician/patients/${first#* }/summary?days=365" -H "cookie: $cookie"
  kill "${pids[-1]}"
}

machine
echo "clinic: $patients patients, $days days, one clinician"
each_backend bench_clinic
cat "$work/notes"
