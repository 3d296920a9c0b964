#!/usr/bin/env bash
# Builds the `healing` wheel and tests it as a researcher would install it:
# a venv at the repository root (.venv), the pinned test requirements, the wheel
# built by maturin and installed into the venv, then pytest (including the mypy
# stubtest check; the research tests need PostgreSQL, see below) and the example
# notebook executed headless.
#
# Usage, from anywhere:  bash healing-py/run-tests.sh
# Environment: PYTHON (default python3) creates the venv if it is missing;
# HEALING_PY_PROFILE (default dev) is the cargo profile maturin builds with. maturin
# resolves features for healing-py alone, which differ from the workspace build's for
# about a dozen shared crates, so even a dev wheel compiles much of the dependency
# graph again (about 4 minutes on 2 cores); a release wheel compiles all of it with
# optimisation, wasmtime and fhir-sdk included (about 25 minutes on 2 cores).
# Benchmarks need HEALING_PY_PROFILE=release.
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

step "building the wheel (maturin, profile $profile)"
wheels="$root/target/wheels"
rm -f "$wheels"/healing-*.whl
(cd "$here" && "$venv/bin/maturin" build --locked --profile "$profile" --out "$wheels")
wheel="$(ls "$wheels"/healing-*.whl)"

step "installing $(basename "$wheel")"
"$py" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$wheel"

step "building the research fixture writer and the PostgreSQL scratch-database tool"
# Built in the workspace's feature set (as scripts/test.sh builds every example
# just before), so that nothing is compiled a second time for healing-py alone.
(cd "$root" && cargo build --locked --profile "$profile" --workspace --all-features \
  --example research_fixture --example postgres_scratch)
# cargo puts the dev profile's output in target/debug.
profile_dir="$profile"; [ "$profile" = dev ] && profile_dir=debug
export HEALING_RESEARCH_FIXTURE="$root/target/$profile_dir/examples/research_fixture"
export HEALING_POSTGRES_SCRATCH="$root/target/$profile_dir/examples/postgres_scratch"

# The research tests run on SQLite and on PostgreSQL: a scratch database on
# HEALING_TEST_POSTGRES_URL's server (default postgres://postgres@127.0.0.1:5432/test).
step "pytest (with hypothesis and mypy stubtest; research tests on SQLite and PostgreSQL)"
# Run from the tests directory so the source tree never shadows the installed wheel.
(cd "$here/tests" && "$py" -m pytest -q -p no:cacheprovider --rootdir "$here" -c "$here/pyproject.toml" .)

step "executing examples/python/research.ipynb"
"$py" "$here/tests/run_notebook.py" "$root/examples/python/research.ipynb"

step "all healing-py checks passed"
