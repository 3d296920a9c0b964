#!/usr/bin/env bash
# Runs the Rust guide of plugins/README.md ("Your first plugin in ten minutes") as
# written: every ```sh block is run, in order, in one shell, and every block with a
# file name (```rust file=PATH) is written to that file first, in a scratch copy of
# the repository (tracked and untracked files, as a fresh clone has them), so the
# guide's new crate, its plugins folder and its key never touch this checkout.
#
#   plugins/guide-test.sh
#
# The copy's target folders are links to this checkout's (the root workspace's, or
# $CARGO_TARGET_DIR, and plugins/target), so the guide's builds reuse what the test
# build compiled: only the copy's own path crates are compiled again. Needs the
# wasm32-wasip2 target (rustup target add wasm32-wasip2).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
target_dir="${CARGO_TARGET_DIR:-$repo/target}"
mkdir -p "$target_dir" "$repo/plugins/target"
target_dir="$(cd "$target_dir" && pwd)"

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
(cd "$repo" && git ls-files -z --cached --others --exclude-standard \
  | tar --null --ignore-failed-read -T - -cf - 2>/dev/null) | tar -xf - -C "$scratch"
ln -s "$target_dir" "$scratch/target"
ln -s "$repo/plugins/target" "$scratch/plugins/target"

# The guide, from its heading to the next section's, as one script.
python3 - "$here/README.md" "$scratch/guide.sh" <<'PY'
import re, shlex, sys
text = open(sys.argv[1]).read()
start = text.index("## Your first plugin in ten minutes (Rust)")
end = text.index("### What the sandbox allows", start)
out = ["set -euxo pipefail"]
blocks = re.findall(r"^```([^\n]*)\n(.*?)^```", text[start:end], re.S | re.M)
for info, body in blocks:
    words = info.split()
    files = [w[len("file="):] for w in words if w.startswith("file=")]
    if files:
        out.append(f"mkdir -p \"$(dirname {shlex.quote(files[0])})\"")
        out.append(f"cat > {shlex.quote(files[0])} <<'GUIDE_FILE_END'\n{body}GUIDE_FILE_END")
    elif words[:1] == ["sh"]:
        out.append(body)
open(sys.argv[2], "w").write("\n".join(out) + "\n")
PY

# No leftover settings from the caller: the guide's own defaults are what is tested.
unset HEALING_DATA_DIR HEALING_PLUGIN_DIR HEALING_PLUGIN_KEY_FILE CARGO_TARGET_DIR
output="$(cd "$scratch" && bash guide.sh 2>&1)" || { echo "$output"; echo "plugins guide: a step failed (above)" >&2; exit 1; }
# What the guide says step 6 prints.
grep -q "level medium (rules .*+plugin/my-terms@0.1.0)" <<<"$output" \
  || { echo "$output"; echo "plugins guide: step 6 did not print the plugin's finding" >&2; exit 1; }
echo "plugins guide: every step ran as written"
