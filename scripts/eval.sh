#!/usr/bin/env bash
# Scores recurring-charge detection on the labelled exports in $EVAL_DIR (required):
# builds tuiding, runs `tuiding scan --json` on every set and prints score.py's line for each.
# Exit 1 when any set scores below F1 0.95.
set -euo pipefail
cd "$(dirname "$0")/.."
eval_dir=${EVAL_DIR:?set EVAL_DIR to the folder of labelled sets (each with truth.json) and score.py}
cargo build --release --quiet
status=0
for set in "$eval_dir"/*/; do
  name=$(basename "$set")
  files=("$set"*.csv)
  out=$(mktemp)
  ./target/release/tuiding scan "${files[@]}" --json > "$out"
  printf '%-16s ' "$name"
  python3 "$eval_dir/score.py" "$set/truth.json" "$out" --min-f1 0.95 || status=1
  rm -f "$out"
done
exit $status
