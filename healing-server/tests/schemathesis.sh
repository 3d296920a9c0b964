#!/usr/bin/env bash
# Checks the running server against its own OpenAPI document: first the
# document itself with openapi-spec-validator (valid OpenAPI 3.1), then every
# route with schemathesis, which fails on a 5xx and on any answer the document
# does not describe (status, content type, headers, body schema). Starts the
# built binary on a random loopback port with a fresh SQLite data folder, signs
# a patient in so the fuzzer reaches authenticated handlers too, and stops the
# server at the end.
#
# Usage (from the repository root):   bash healing-server/tests/schemathesis.sh
# Uses .venv/bin/schemathesis if the repository has a .venv (created by the
# test command from healing-server/tests/requirements.txt), otherwise
# creates a venv in /tmp. Bounded: at most ~3 minutes.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

if [ -x "$root/.venv/bin/schemathesis" ] && [ -x "$root/.venv/bin/openapi-spec-validator" ]; then
  venv="$root/.venv"
else
  venv=/tmp/healing-schemathesis-venv
  if [ ! -x "$venv/bin/schemathesis" ] || [ ! -x "$venv/bin/openapi-spec-validator" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet -r healing-server/tests/requirements.txt
  fi
fi
st="$venv/bin/schemathesis"

# The test command passes the binary its test build made; building it here
# for healing-server alone would resolve features differently and compile again.
binary="${HEALING_SERVER_BIN:-}"
if [ -z "$binary" ]; then
  cargo build --quiet --locked -p healing-server
  binary="$root/target/debug/healing-server"
fi
work=$(mktemp -d)
log="$work/server.log"
(cd "$work" && HEALING_BIND=127.0.0.1:0 HEALING_LOG=warn exec "$binary" serve >"$work/stdout" 2>"$log") &
server=$!
cleanup() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

base=""
for _ in $(seq 1 300); do
  if grep -q '^listening on ' "$work/stdout" 2>/dev/null; then
    base=$(sed -n 's/^listening on //p' "$work/stdout" | head -n1)
    break
  fi
  sleep 0.1
done
[ -n "$base" ] || { echo "server did not start"; cat "$log"; exit 1; }
echo "server at $base"

# The document is valid OpenAPI 3.1 (every $ref resolves, parameters are well formed).
curl -fsS -o "$work/openapi.json" "$base/api/openapi.json"
"$venv/bin/openapi-spec-validator" --schema 3.1 "$work/openapi.json"

# A signed-in patient: cookie and CSRF token for the fuzzer's requests.
curl -fsS -o /dev/null -H 'content-type: application/json' \
  -d '{"username":"fuzz.patient","email":"fuzz@example.test","password":"plum orbit ladder seven"}' \
  "$base/api/auth/register"
login=$(curl -fsS -D "$work/headers" -H 'content-type: application/json' \
  -d '{"username":"fuzz.patient","password":"plum orbit ladder seven"}' "$base/api/auth/login")
session=$(sed -n 's/^[Ss]et-[Cc]ookie: healing_session=\([^;]*\).*/\1/p' "$work/headers" | head -n1)
csrf=$(printf '%s' "$login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["csrf_token"])')

status=0
# Every check schemathesis has (enabled in schemathesis.toml): no 5xx, and
# every answer as the document describes it (status, content type, headers,
# body schema), 405 with Allow for an undeclared method, schema-violating
# requests refused, routes refusing requests without their credentials.
# schemathesis.toml also passes the session and names the one check some
# routes cannot meet, and why.
(cd "$work" && HEALING_FUZZ_SESSION="$session" HEALING_FUZZ_CSRF="$csrf" timeout 170 \
  "$st" --config-file "$root/healing-server/tests/schemathesis.toml" run "$base/api/openapi.json" \
  --max-examples "${SCHEMATHESIS_MAX_EXAMPLES:-15}" \
  --generation-deterministic \
  --request-timeout 10 \
  --exclude-path /api/auth/logout --exclude-path /api/auth/logout-everywhere \
  --exclude-path /api/security/delete-account) || status=$?
if grep -q '"level":"ERROR"' "$log"; then
  echo "server logged errors:"; grep '"level":"ERROR"' "$log" | head -20
fi
exit "$status"
