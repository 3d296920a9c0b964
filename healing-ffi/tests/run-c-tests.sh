#!/usr/bin/env bash
# Builds the C and C++ programs that use include/healing.h (the EHR examples, the
# bad-input test and, when the library has the plugin host, the plugins test),
# links them against the library that `cargo build -p healing-ffi` made, runs
# them, then runs them again under valgrind, which must report no leak and no
# memory error.
#
# Usage: healing-ffi/tests/run-c-tests.sh [TARGET_PROFILE_DIR]
#   TARGET_PROFILE_DIR holds libhealing.so and libhealing.a (default:
#   $CARGO_TARGET_DIR/debug, or target/debug).
#   Build it first: cargo build -p healing-ffi --features plugins
#   (or --release with target/release; without the feature plugins.c is not run).
#
# Linking: every program is linked against the shared library (-lhealing, with an
# rpath to TARGET_PROFILE_DIR), as EHR vendors deploy it; the bad-input test is also
# linked against the static library, so both artefacts are exercised.
# Set HEALING_SKIP_VALGRIND=1 to skip the valgrind pass (it is required in CI).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
lib_dir=${1:-"${CARGO_TARGET_DIR:-$root/target}/debug"}
if [ ! -f "$lib_dir/libhealing.so" ] || [ ! -f "$lib_dir/libhealing.a" ]; then
  echo "run-c-tests: no libhealing.so/libhealing.a in $lib_dir; run 'cargo build -p healing-ffi' first" >&2
  exit 1
fi
lib_dir=$(cd "$lib_dir" && pwd)

build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT

cflags=(-std=c99 -Wall -Wextra -Werror -pedantic -O1 -g -I"$root/include")
cxxflags=(-std=c++17 -Wall -Wextra -Werror -pedantic -O1 -g -I"$root/include")
shared=(-L"$lib_dir" -lhealing -Wl,-rpath,"$lib_dir")
# What Rust's standard library needs from the system when linked statically (Linux).
static=("$lib_dir/libhealing.a" -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc)

echo "==> compiling against $lib_dir"
gcc "${cflags[@]}" -o "$build/bad_input" "$here/c/bad_input.c" "${shared[@]}"
gcc "${cflags[@]}" -o "$build/bad_input_static" "$here/c/bad_input.c" "${static[@]}"
gcc "${cflags[@]}" -o "$build/ehr_integration" "$root/examples/c/ehr_integration.c" "${shared[@]}"
g++ "${cxxflags[@]}" -o "$build/ehr_integration_cpp" "$root/examples/c/ehr_integration.cpp" "${shared[@]}"

programs=(bad_input bad_input_static ehr_integration ehr_integration_cpp)

for program in "${programs[@]}"; do
  echo "==> running $program"
  "$build/$program"
done

# The plugin host's C API exists only in a library built with `--features plugins`.
with_plugins=
if nm -D --defined-only "$lib_dir/libhealing.so" | grep -q ' healing_plugin_host_new$'; then
  with_plugins=1
  gcc "${cflags[@]}" -o "$build/plugins" "$here/c/plugins.c" "${shared[@]}"
fi
# A fresh plugins folder, as an operator lays it out: the committed fixtures with
# their manifests, and one whose manifest names the wrong SHA-256. plugins.c
# installs into it, so each run gets a new one.
fresh_plugin_root() {
  local fixtures="$root/plugins/healing-plugins/tests/fixtures" plugin_root
  plugin_root=$(mktemp -d "$build/plugin-root.XXXXXX")
  add_plugin() { # id world fixture [sha256]
    mkdir -p "$plugin_root/$1"
    cp "$fixtures/$3.wasm" "$plugin_root/$1/"
    local sha=${4:-$(sha256sum "$fixtures/$3.wasm" | cut -d' ' -f1)}
    printf '{"id":"%s","version":"0.1.0","world":"%s","file":"%s.wasm","sha256":"%s","limits":{},"capabilities":[]}\n' \
      "$1" "$2" "$3" "$sha" >"$plugin_root/$1/manifest.json"
  }
  add_plugin local-terms risk_rule local_terms
  add_plugin box-breathing cbt_tool box_breathing
  add_plugin hostile-rule risk_rule hostile_rule
  add_plugin tampered risk_rule local_terms "$(printf '0%.0s' {1..64})"
  echo "$plugin_root"
}
if [ -n "$with_plugins" ]; then
  echo "==> running plugins (the WebAssembly plugin host through the C API)"
  "$build/plugins" "$(fresh_plugin_root)"
else
  echo "NOT RUN: plugins.c, because $lib_dir/libhealing.so was built without the plugins feature (cargo build -p healing-ffi --features plugins)"
fi

if [ "${HEALING_SKIP_VALGRIND:-}" = "1" ]; then
  echo "SKIPPED: valgrind pass (HEALING_SKIP_VALGRIND=1)"
  exit 0
fi
if ! command -v valgrind >/dev/null; then
  echo "run-c-tests: valgrind is not installed (apt-get install valgrind)" >&2
  exit 1
fi
# The static build of bad_input runs the same code as the shared one, so one
# valgrind pass over it is enough. valgrind runs a program on one core, so the
# passes run side by side: the plugins pass (about 3 minutes: Cranelift compiles
# three components under valgrind) beside the others (about a minute each).
valgrind_check() { # name program [args]; a failure leaves the name in valgrind-failed
  local name=$1; shift
  valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect,possible \
    --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=1 "$@" \
    >/dev/null 2>"$build/valgrind-$name.log" || echo "$name" >>"$build/valgrind-failed"
}
passes=(bad_input ehr_integration ehr_integration_cpp)
if [ -n "$with_plugins" ]; then
  passes+=(plugins)
  valgrind_check plugins "$build/plugins" "$(fresh_plugin_root)" &
fi
for program in bad_input ehr_integration ehr_integration_cpp; do
  valgrind_check "$program" "$build/$program"
done
wait
failed=0
for name in "${passes[@]}"; do
  if grep -qx "$name" "$build/valgrind-failed" 2>/dev/null; then
    echo "==> valgrind $name: FAILED" >&2
    cat "$build/valgrind-$name.log" >&2
    failed=1
  else
    echo "==> valgrind $name: no leak, no memory error"
  fi
done
[ "$failed" = 0 ] || exit 1
echo "==> C tests passed (plain and under valgrind)"
