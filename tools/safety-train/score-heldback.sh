#!/usr/bin/env bash
# Scores the combined safety engine (lexicon + learned reader) on the held-back
# writers of the safety corpus (w22–w28) against the acceptance bars of issue 19.
# Run it once per release of the learned reader, after every decision is made,
# and record the figures in healing-core/src/safety/CHANGELOG.md whatever they are
# (tools/safety-corpus/README.md, "The held-back rule").
#
#   tools/safety-train/score-heldback.sh [path/to/safety_eval]
#
# Needs ../shared/safety/score.py (the project's scorer) beside the repository.
set -euo pipefail
cd "$(dirname "$0")/../.."
scorer=../shared/safety/score.py
eval_binary=${1:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for writer in w22 w23 w24 w25 w26 w27 w28; do
  cat "tools/safety-corpus/data/$writer.jsonl"
done > "$work/heldback.jsonl"
if [ -z "$eval_binary" ]; then
  cargo build --quiet --release --locked -p healing-core --example safety_eval
  target_dir=$(cargo metadata --format-version 1 --no-deps --locked | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
  eval_binary="$target_dir/release/examples/safety_eval"
fi
"$eval_binary" "$work/heldback.jsonl" "$work/predictions.jsonl"
python3 "$scorer" "$work/heldback.jsonl" "$work/predictions.jsonl" \
  --min flag_recall=0.95 --min critical_recall=0.90 --max none_false_alarm=0.03 \
  --min exact_accuracy=0.80 --min category_f1=0.85
