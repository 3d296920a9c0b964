#!/usr/bin/env bash
# Rebuilds the prebuilt plugins the host's tests load (plugins/host/tests/fixtures/*.wasm)
# from the guest workspace in plugins/. With --check, builds them afresh and fails if any
# differs from the committed file.
#
#   rustup target add wasm32-wasip2
#   plugins/build-fixtures.sh            # rebuild and overwrite
#   plugins/build-fixtures.sh --check    # rebuild and compare
#
# Builds are reproducible: paths of the repository, cargo home and rustup home are remapped,
# there is no debug info, and Cargo.lock pins every guest dependency.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
cargo_home="$(cd "${CARGO_HOME:-$HOME/.cargo}" && pwd)"
rustup_home="$(cd "${RUSTUP_HOME:-$HOME/.rustup}" && pwd)"
fixtures="$here/host/tests/fixtures"
plugins=(local_terms thought_record box_breathing grounding_54321 hostile_rule sneaky_rule)

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

status=0
mkdir -p "$fixtures"
for name in "${plugins[@]}"; do
  built="$out/wasm32-wasip2/release/$name.wasm"
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
  echo "all ${#plugins[@]} fixtures match a fresh build"
fi
exit $status
