#!/usr/bin/env bash
# Builds the `healing` wheel and tests it as a researcher would install it:
# a venv at the repository root (.venv), the pinned test requirements, the wheel
# built by maturin and installed into the venv, then pytest (including the mypy
# stubtest check; the research tests need PostgreSQL, see below) and the example
# notebook executed headless.
#
# Usage, from anywhere:  bash healing-py/run-tests.sh
# Environment: PYTHON (default python3) creates the venv if it is missing;
# HEALING_PY_PROFILE (default dev) is the cargo profile maturin builds with. After a
# workspace or test build (as scripts/test.sh runs first) a dev wheel compiles only pyo3 and
# healing-py: the workspace-hack crate gives healing-py alone the workspace's feature
# set, so every other dependency is reused. A release wheel compiles everything with
# optimisation, wasmtime and fhir-sdk included (about 25 minutes on 2 cores).
# Benchmarks need HEALING_PY_PROFILE=release. HEALING_PY_EXPECT_REUSE=1 (set by
# scripts/test.sh) fails the run when the wheel build compiles any other crate, so a
# dependency change that breaks that reuse shows at once instead of as a slow CI.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
venv="$root/.venv"
profile="${HEALING_PY_PROFILE:-dev}"

step() { printf '\n==> healing-py: %s\n' "$*"; }

if [ ! -x "$venv/bin/python" ]; then
  step "creating $venv"
  "${PYTHON:-python3}" -m venv "$venv"
fi
py="$venv/bin/python"

step "installing pinned test requirements"
"$py" -m pip install --quiet --disable-pip-version-check -r "$here/requirements-test.txt"

# CARGO_TARGET_DIR, when set, is where cargo and maturin build.
target_dir="${CARGO_TARGET_DIR:-$root/target}"
# cargo puts the dev profile's output in target/debug.
profile_dir="$profile"; [ "$profile" = dev ] && profile_dir=debug

# The test command passes the ones its test build made (HEALING_RESEARCH_FIXTURE,
# HEALING_POSTGRES_SCRATCH); otherwise they are built here, before the wheel and in
# the workspace's feature set: maturin's build sets PyO3's environment, which
# rebuilds pyo3 and healing-py, and a cargo build after it would rebuild them again.
if [ -z "${HEALING_RESEARCH_FIXTURE:-}" ] || [ -z "${HEALING_POSTGRES_SCRATCH:-}" ]; then
  step "building the research fixture writer and the PostgreSQL scratch-database tool"
  (cd "$root" && cargo build --locked --profile "$profile" --workspace --all-features \
    --example research_fixture --example postgres_scratch)
  export HEALING_RESEARCH_FIXTURE="$target_dir/$profile_dir/examples/research_fixture"
  export HEALING_POSTGRES_SCRATCH="$target_dir/$profile_dir/examples/postgres_scratch"
fi
for tool in "$HEALING_RESEARCH_FIXTURE" "$HEALING_POSTGRES_SCRATCH"; do
  [ -x "$tool" ] || { echo "missing $tool" >&2; exit 1; }
done

step "building the wheel (maturin, profile $profile)"
wheels="$target_dir/wheels"
rm -f "$wheels"/healing-*.whl
build_log="$(mktemp)"
trap 'rm -f "$build_log"' EXIT
(cd "$here" && "$venv/bin/maturin" build --locked --profile "$profile" --out "$wheels") 2>&1 | tee "$build_log"
if [ "${HEALING_PY_EXPECT_REUSE:-}" = 1 ]; then
  # Only PyO3 (whose build reads maturin's environment) and what depends on it (the
  # empty workspace-hack and the crate itself) may compile.
  recompiled=$(awk '$1 == "Compiling" {print $2}' "$build_log" \
    | grep -vxE 'pyo3|pyo3-build-config|pyo3-ffi|pyo3-macros|pyo3-macros-backend|workspace-hack|healing-py' || true)
  if [ -n "$recompiled" ]; then
    echo "the wheel build compiled again what the test build had compiled:" $recompiled >&2
    echo "healing-py alone resolves other features than the workspace: run 'cargo hakari generate'" >&2
    exit 1
  fi
fi
wheel="$(ls "$wheels"/healing-*.whl)"

step "installing $(basename "$wheel")"
"$py" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$wheel"

# The research tests run on SQLite and on PostgreSQL: a scratch database on
# HEALING_TEST_POSTGRES_URL's server (default postgres://postgres@127.0.0.1:5432/test).
step "pytest (with hypothesis and mypy stubtest; research tests on SQLite and PostgreSQL)"
# Run from the tests directory so the source tree never shadows the installed wheel.
(cd "$here/tests" && "$py" -m pytest -q -p no:cacheprovider --rootdir "$here" -c "$here/pyproject.toml" .)

step "executing examples/python/research.ipynb"
"$py" "$here/tests/run_notebook.py" "$root/examples/python/research.ipynb"

step "all healing-py checks passed"
