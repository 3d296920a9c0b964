#!/usr/bin/env bash
# Copies the two screenshots the README shows from the browser journeys' last
# run (<target>/web-screenshots/) into healing-server/web/screenshots/:
#   bash healing-server/web/tests/run.sh && bash healing-server/web/tests/readme-screenshots.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
shots="${CARGO_TARGET_DIR:-$root/target}/web-screenshots"
# README image <- the journey screen it is taken from.
declare -A from=(
  [today.png]=tools/11-today-tasks-light.png
  [caseload.png]=alerts-clinician/07-home-open-alert-light.png
)
for name in "${!from[@]}"; do
  source="$shots/${from[$name]}"
  [ -f "$source" ] || { echo "missing $source: run the browser journeys first" >&2; exit 1; }
  cp "$source" "$here/../screenshots/$name"
done
echo "updated ${!from[*]} in healing-server/web/screenshots/"
