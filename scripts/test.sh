#!/usr/bin/env bash
# Runs every check the project has, from a fresh machine: formatting, lints, docs,
# all tests, the dependency boundary and the safety engine's development-set score.
# This is the README's test command; .ci/run calls it and nothing else.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
if [ "${CI:-}" = "true" ]; then export CARGO_INCREMENTAL=0; fi

# Each step prints the minutes since the start, so a slow step shows in the CI log.
started=$SECONDS
step() { printf '\n==> [%dm%02ds] %s\n' $(((SECONDS - started) / 60)) $(((SECONDS - started) % 60)) "$*"; }

step "set-up: system tools, Python virtual environment and npm packages for the outside validators"
missing=()
for tool in gcc g++ valgrind make clang-14 wasm-ld-14; do command -v "$tool" >/dev/null || missing+=("$tool"); done
[ -f /usr/lib/wasm32-wasi/libc.a ] || missing+=(wasi-libc)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]} from Debian"
  apt-get update -qq && apt-get install -y -qq gcc g++ valgrind make clang-14 lld-14 wasi-libc >/dev/null
fi
rustup target add wasm32-wasip2 >/dev/null
# A debug build of the test runner: it only starts processes and reads their output,
# and compiles in about half the time of a release build.
command -v cargo-nextest >/dev/null || cargo install --locked --debug cargo-nextest
# shellcheck source=scripts/test-postgres.sh
source scripts/test-postgres.sh
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install --quiet -r tools/fhir-validate/requirements.txt -r healing-server/tests/requirements.txt \
  -r tools/safety-train/requirements.txt
(cd tools/fhir-validate && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)

step "formatting"
cargo fmt --all --check

step "lints (clippy -D warnings)"
cargo clippy --workspace --all-targets --all-features --locked -- -D warnings

step "docs (no warnings)"
RUSTDOCFLAGS=-Dwarnings cargo doc --workspace --all-features --no-deps --locked

step "tests: build (also the C library, the server binary and every example the steps below run)"
# One build for everything: `cargo test` also builds every library (the C one with
# every feature, so with the plugin host), binary and example, and the steps below
# run those artefacts from target/debug instead of building their own. In the dev
# profile, not cargo's `test` profile, whose artefacts would be kept apart; and no
# second `cargo build` of the workspace: the C and Python libraries have no hash in
# their file names, so a build that selects other targets compiles them again.
tests=(--workspace --all-features --locked --cargo-profile dev)
cargo nextest run "${tests[@]}" --no-run
target_dir=$(cargo metadata --format-version 1 --no-deps --locked | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
example() {
  local binary="$target_dir/debug/examples/$1"
  [ -x "$binary" ] || { echo "missing $binary: the test build did not make it" >&2; exit 1; }
  shift
  "$binary" "$@"
}

step "tests: run (the store suite runs on SQLite and on PostgreSQL at \$HEALING_TEST_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/test)"
cargo nextest run "${tests[@]}" --no-fail-fast
cargo test --workspace --all-features --doc --locked --profile dev

step "C API: header examples and bad-input tests with gcc and g++, plain and under valgrind; the plugin host from C (started in the background: valgrind runs a program on one core for minutes, beside the next steps; its output and result come after the browser journeys). Retraining the learned reader starts in the background too"
# The C library the test build linked healing-ffi's tests against: cargo copies a
# cdylib up to target/debug only when a build asks for it by name, so it is in deps/.
c_log=$(mktemp)
healing-ffi/tests/run-c-tests.sh "$target_dir/debug/deps" >"$c_log" 2>&1 &
c_tests=$!
# Retraining the learned reader (two minutes of Python on both cores) starts now
# too; its result is read at the end.
train_log=$(mktemp)
.venv/bin/python tools/safety-train/train.py --check >"$train_log" 2>&1 &
train_check=$!
# (Also stops the throwaway PostgreSQL of test-postgres.sh, whose exit trap this replaces.)
trap 'kill "$c_tests" "$train_check" 2>/dev/null || true; rm -f "$c_log" "$train_log"
  if declare -F stop_throwaway_postgres >/dev/null; then stop_throwaway_postgres; fi' EXIT

# The result of a background job: its output, then stop the run if it failed.
background_result() {
  local pid="$1" log="$2" what="$3" status=0
  wait "$pid" || status=$?
  cat "$log"
  if [ "$status" != 0 ]; then
    echo "$what failed (exit $status): see above" >&2
    exit 1
  fi
}

step "Python bindings: wheel built with maturin into .venv, pytest with hypothesis and mypy stubtest, the research notebook headless"
CARGO_TARGET_DIR="$target_dir" HEALING_PY_EXPECT_REUSE=1 \
  HEALING_RESEARCH_FIXTURE="$target_dir/debug/examples/research_fixture" \
  HEALING_POSTGRES_SCRATCH="$target_dir/debug/examples/postgres_scratch" \
  bash healing-py/run-tests.sh

step "boundary: healing-core reaches no HTTP, SQL, async, Python, WASM or randomness crate (default, fhir and all-features builds)"
banned='tokio|sqlx|axum|hyper|http|reqwest|pyo3|wasmtime|getrandom'
for features in "" "--features=fhir" "--all-features"; do
  if cargo tree -p healing-core $features --locked -e normal,build --prefix none --format '{p}' \
      | awk '{print $1}' | grep -xE "$banned"; then
    echo "healing-core ${features:-(default features)} depends on a boundary crate (above)" >&2
    exit 1
  fi
done
echo "ok: none of $banned"

step "server: /api/openapi.json checked by openapi-spec-validator, then schemathesis fuzzes every route and fails on a 5xx or any answer the document does not describe"
HEALING_SERVER_BIN="$target_dir/debug/healing-server" bash healing-server/tests/schemathesis.sh

step "web app: browser journeys (real server binary, Debian chromium headless, axe-core in both themes, 360 px, keyboard only, offline crisis page)"
HEALING_SERVER_BIN="$target_dir/debug/healing-server" CARGO_TARGET_DIR="$target_dir" bash healing-server/web/tests/run.sh

step "C API: the result of the background run (valgrind outlasts the steps before the browser journeys, so they start beside it)"
background_result "$c_tests" "$c_log" "the C tests"

step "plugins: guest SDK and examples natively, the README's guide run as written, then the committed .wasm fixtures (Rust and C) rebuilt and compared"
(cd plugins && cargo test --workspace --locked --quiet)
CARGO_TARGET_DIR="$target_dir" plugins/guide-test.sh
cargo fmt --manifest-path plugins/tools/c-plugin/Cargo.toml --check
CARGO_TARGET_DIR=plugins/target/fixtures cargo clippy --manifest-path plugins/tools/c-plugin/Cargo.toml --locked --quiet -- -D warnings
plugins/build-fixtures.sh --check

step "example: score a PHQ-9"
example score_phq9

step "FHIR: golden exports, the demo export and the server's signed GDPR export and clinician download checked by the HL7 R4 JSON schema and fhir.resources"
.venv/bin/python tools/fhir-validate/validate.py healing-core/tests/data/fhir
fhir_out=$(mktemp -d)
example fhir_bundle "$fhir_out"
# The server's signed /api/security/export-data?format=fhir for a seeded demo patient and
# their clinician's /api/clinician/patients/{id}/fhir (temporary SQLite; signatures verified).
example fhir_export "$fhir_out"
.venv/bin/python tools/fhir-validate/validate.py "$fhir_out"
rm -rf "$fhir_out"

step "safety engine on the development set"
dev_set=../shared/safety/dev.jsonl
if [ -f "$dev_set" ]; then
  predictions=$(mktemp)
  # The debug example the test build made (healing-core is optimised in dev).
  example safety_eval "$dev_set" "$predictions"
  python3 ../shared/safety/score.py "$dev_set" "$predictions" \
    --min flag_recall=0.97 --max none_false_alarm=0.02 --min critical_recall=0.9 \
    --min exact_accuracy=0.8 --min category_f1=0.85
  rm -f "$predictions"
else
  echo "SKIPPED: $dev_set is absent in this clone, so the development-set targets were not checked"
fi

step "safety learned reader: the hashing self-test, and retraining reproduces the committed weights byte for byte (the background run)"
background_result "$train_check" "$train_log" "retraining the learned reader"

step "all checks passed (total: the time above)"
