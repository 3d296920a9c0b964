#!/usr/bin/env bash
# Runs every check the project has, from a fresh machine: formatting, lints, docs,
# all tests, the dependency boundary and the safety engine's development-set score.
# This is the README's test command; .ci/run calls it and nothing else.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
if [ "${CI:-}" = "true" ]; then export CARGO_INCREMENTAL=0; fi

step() { printf '\n==> %s\n' "$*"; }

step "formatting"
cargo fmt --all --check

step "lints (clippy -D warnings)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "docs (no warnings)"
RUSTDOCFLAGS=-Dwarnings cargo doc --workspace --no-deps --locked

step "tests"
cargo nextest run --workspace --locked --no-fail-fast
cargo test --workspace --doc --locked

step "boundary: healing-core reaches no HTTP, SQL, async, Python or WASM crate"
banned='tokio|sqlx|axum|hyper|http|reqwest|pyo3|wasmtime'
if cargo tree -p healing-core --locked -e normal,build --prefix none --format '{p}' \
    | awk '{print $1}' | grep -xE "$banned"; then
  echo "healing-core depends on a boundary crate (above)" >&2
  exit 1
fi
echo "ok: none of $banned"

step "example: score a PHQ-9"
cargo run --quiet --locked -p healing-core --example score_phq9

step "safety engine on the development set"
dev_set=../shared/safety/dev.jsonl
if [ -f "$dev_set" ]; then
  predictions=$(mktemp)
  cargo run --quiet --release --locked -p healing-core --example safety_eval -- "$dev_set" "$predictions"
  python3 ../shared/safety/score.py "$dev_set" "$predictions" \
    --min flag_recall=0.97 --max none_false_alarm=0.02 --min critical_recall=0.9 \
    --min exact_accuracy=0.8 --min category_f1=0.85
  rm -f "$predictions"
else
  echo "SKIPPED: $dev_set is absent in this clone, so the development-set targets were not checked"
fi

step "all checks passed"
