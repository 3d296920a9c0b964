#!/usr/bin/env bash
# Rebuilds the prebuilt plugins the host's tests load (plugins/healing-plugins/tests/fixtures/*.wasm)
# from the guest workspace in plugins/ (Rust) and from examples/c-* (C). With --check,
# builds them afresh and fails if any differs from the committed file.
#
#   rustup target add wasm32-wasip2
#   apt-get install clang-14 lld-14 wasi-libc   # for the C plugins (Debian 12)
#   plugins/build-fixtures.sh            # rebuild and overwrite
#   plugins/build-fixtures.sh --check    # rebuild and compare
#
# Builds are reproducible: paths of the repository, cargo home and rustup home are remapped,
# there is no debug info, and Cargo.lock pins every guest dependency. C plugins are compiled
# by one pinned clang (Debian 12's clang-14; another version gives other bytes) without
# debug info, and their bindings come from tools/c-plugin, pinned by its own Cargo.lock.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
cargo_home="$(cd "${CARGO_HOME:-$HOME/.cargo}" && pwd)"
rustup_home="$(cd "${RUSTUP_HOME:-$HOME/.rustup}" && pwd)"
fixtures="$here/healing-plugins/tests/fixtures"
plugins=(local_terms thought_record box_breathing grounding_54321 hostile_rule hostile_tool sneaky_rule)
# C plugins: fixture name, example folder, world.
c_plugins=("c_local_terms examples/c-local-terms risk-rule")
clang="${HEALING_CLANG:-clang-14}"
wasi_sysroot=/usr  # Debian's wasi-libc: /usr/include/wasm32-wasi, /usr/lib/wasm32-wasi

mode="${1:-build}"
case "$mode" in
  build|--check) ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

out="$here/target/fixtures"
export CARGO_TARGET_DIR="$out"
export RUSTFLAGS="--remap-path-prefix=$repo=/healing --remap-path-prefix=$cargo_home=/cargo --remap-path-prefix=$rustup_home=/rustup -C debuginfo=0"
unset CARGO_ENCODED_RUSTFLAGS CARGO_BUILD_RUSTFLAGS
cargo build --manifest-path "$here/Cargo.toml" --workspace --release --target wasm32-wasip2 --locked --quiet

# A C plugin: bindings generated from wit/, compiled and linked by clang against
# wasi-libc (for malloc and string functions only: the module imports nothing), then
# made a component at $out/c/<name>/<name>.wasm.
build_c_plugin() {
  local name="$1" dir="$here/$2" world="$3"
  local gen="$out/c/$name" stem="${3//-/_}"
  rm -rf "$gen" && mkdir -p "$gen"
  "$c_tool" bindings "$here/wit" "$world" "$gen"
  "$clang" --target=wasm32-wasi --sysroot="$wasi_sysroot" -fuse-ld="$wasm_ld" -O2 -std=c11 \
    -Wall -Wextra -Werror -nostdlib -I "$gen" -Wl,--no-entry -Wl,--strip-all \
    -o "$gen/$name.core.wasm" "$dir"/*.c "$gen/$stem.c" "$gen/${stem}_component_type.o" \
    "$wasi_sysroot/lib/wasm32-wasi/libc.a"
  "$c_tool" component "$gen/$name.core.wasm" "$gen/$name.wasm"
}

if ! command -v "$clang" >/dev/null; then
  echo "$clang not found: apt-get install clang-14 lld-14 wasi-libc (Debian 12)" >&2
  exit 1
fi
# Debian's clang-14 looks for wasm-ld beside /usr/bin/clang-14 and on PATH, but
# lld-14 installs it as /usr/bin/wasm-ld-14 and /usr/lib/llvm-14/bin/wasm-ld, so
# without the unversioned `lld` package clang names a bare `wasm-ld` it cannot run.
# Find it ourselves and give clang the path.
wasm_ld=$("$clang" --target=wasm32-wasi -print-prog-name=wasm-ld)
if [[ ! -x "$wasm_ld" ]]; then
  wasm_ld=$(command -v wasm-ld-14 || command -v wasm-ld || true)
fi
if [[ ! -x "$wasm_ld" ]]; then
  echo "$clang finds no wasm-ld: apt-get install lld-14 (Debian 12)" >&2
  exit 1
fi
if [[ ! -f "$wasi_sysroot/lib/wasm32-wasi/libc.a" ]]; then
  echo "wasi-libc not found: apt-get install wasi-libc (Debian 12)" >&2
  exit 1
fi
# The bindings and component tool runs natively; a debug build is enough and is
# several times quicker to compile than a release one.
cargo build --manifest-path "$here/tools/c-plugin/Cargo.toml" --locked --quiet
c_tool="$out/debug/healing-c-plugin"

status=0
mkdir -p "$fixtures"
built_paths=()
for name in "${plugins[@]}"; do
  built_paths+=("$name $out/wasm32-wasip2/release/$name.wasm")
done
for entry in "${c_plugins[@]}"; do
  read -r name dir world <<<"$entry"
  build_c_plugin "$name" "$dir" "$world"
  built_paths+=("$name $out/c/$name/$name.wasm")
done
for entry in "${built_paths[@]}"; do
  read -r name built <<<"$entry"
  committed="$fixtures/$name.wasm"
  if [[ "$mode" == --check ]]; then
    if ! cmp -s "$built" "$committed"; then
      echo "fixture $name.wasm differs from a fresh build (run plugins/build-fixtures.sh)" >&2
      status=1
    fi
  else
    cp "$built" "$committed"
    echo "$name.wasm $(wc -c < "$committed") bytes"
  fi
done
if [[ "$mode" == --check && $status -eq 0 ]]; then
  echo "all ${#built_paths[@]} fixtures match a fresh build"
fi
exit $status
