#!/usr/bin/env bash
# Browser journeys of the web app: the built server binary, Debian's chromium
# (installed if missing), playwright-core and axe-core from package-lock.json.
#   bash healing-server/web/tests/run.sh     (from anywhere; about 2.5 minutes on 2 busy cores)
# Uses $HEALING_SERVER_BIN, else $CARGO_TARGET_DIR/debug/healing-server (or
# target/debug/healing-server), building it with cargo if it is missing.
# Screenshots go to <target>/web-screenshots/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
export HEALING_SERVER_BIN="${HEALING_SERVER_BIN:-$target/debug/healing-server}"
if [ ! -x "$HEALING_SERVER_BIN" ]; then
  (cd "$root" && cargo build --locked -p healing-server)
fi
if [ ! -x /usr/bin/chromium ]; then
  echo "installing Debian chromium"
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi
bash "$here/../refresh-vendor.sh" --check
cd "$here"
npm ci --no-audit --no-fund --loglevel=error
node --test --test-concurrency=1 --test-reporter=spec journeys/
