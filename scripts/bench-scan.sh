#!/usr/bin/env bash
# Benchmark of `tuiding scan --json` on generated Alipay exports (GBK) that hold the heaviest
# shapes of a real history: one merchant with a fifth of all rows (up to 200,000: metro
# rides), a coffee every weekday, irregular food delivery, 1% of purchases refunded later,
# 200 recurring streams, and purchases at 800 shops (HEAVY=0 leaves the heavy merchants out).
# It measures, best of RUNS runs:
#   1. 1,000,000 rows against the floor: only decoding that file and splitting its rows with
#      the same crates (encoding_rs, csv-core), keeping nothing — target within 2×;
#   2. peak memory of that scan — target under 500 MB;
#   3. how time grows: 250,000 → 1,000,000 rows — target at most 4.5× (linear is 4×);
#   4. 200,000 rows against scripts/naive_detect.py (the same grouping in plain Python) —
#      target at least 10× faster.
# Optional: ROWS=… RUNS=… ; CALLGRIND=1 also counts instructions on 100,000 rows.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${ROWS:-1000000}
runs=${RUNS:-5}
mkdir -p target/bench
cargo build --release --quiet
cargo build --release --quiet -p tuiding-bills --examples
gen() { # rows → file
  local file=target/bench/alipay-heavy${HEAVY:-}-$1.csv
  [ -f "$file" ] || ./target/release/examples/gen_alipay "$1" "$file" 2>/dev/null
  echo "$file"
}
best() { sort -g | head -1; }
calc() { awk "BEGIN{printf \"$1\", $2}"; }
seconds() { # times command… → best wall time
  local n=$1; shift
  for _ in $(seq "$n"); do
    s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N); awk -v a="$s" -v b="$e" 'BEGIN{print b-a}'
  done | best
}
verdict() { if awk "BEGIN{exit !($1)}"; then echo "ok"; else echo "MISSED"; fi; }

file=$(gen "$rows")
baseline=$(for _ in $(seq "$runs"); do ./target/release/examples/split_baseline "$file" | sed -E 's/.* seconds=([0-9.]+).*/\1/'; done | best)
if [ -x /usr/bin/time ]; then
  scan_runs=$(for _ in $(seq "$runs"); do /usr/bin/time -f "%e %M" ./target/release/tuiding scan "$file" --json 2>&1 >/dev/null | tail -1; done)
  scan=$(echo "$scan_runs" | awk '{print $1}' | best)
  peak_kib=$(echo "$scan_runs" | awk '{print $2}' | sort -g | tail -1)
else
  scan=$(seconds "$runs" ./target/release/tuiding scan "$file" --json)
  peak_kib=0
fi
echo "file: $file ($(du -h "$file" | cut -f1), $rows rows), best of $runs runs"
echo "decode + split only: ${baseline}s ($(calc %d "$rows / $baseline") rows/s)"
echo "tuiding scan --json: ${scan}s ($(calc %d "$rows / $scan") rows/s), peak RSS ${peak_kib} KiB"
ratio=$(calc %.2f "$scan / $baseline")
echo "1. ratio to the floor: ${ratio}x (target <= 2): $(verdict "$ratio <= 2")"
echo "2. peak memory: $(calc %.0f "$peak_kib / 1024") MB (target < 500): $(verdict "$peak_kib < 512000")"

quarter=$(gen $((rows / 4)))
scan_quarter=$(seconds "$runs" ./target/release/tuiding scan "$quarter" --json)
growth=$(calc %.2f "$scan / $scan_quarter")
echo "3. $((rows / 4)) rows ${scan_quarter}s -> $rows rows ${scan}s: ${growth}x (target <= 4.5): $(verdict "$growth <= 4.5")"

small=$(gen 200000)
scan_small=$(seconds "$runs" ./target/release/tuiding scan "$small" --json)
if command -v python3 >/dev/null; then
  python=$(seconds 1 python3 scripts/naive_detect.py "$small")
  speedup=$(calc %.1f "$python / $scan_small")
  echo "4. 200000 rows: scan ${scan_small}s, naive Python ${python}s: ${speedup}x faster (target >= 10, goal 30): $(verdict "$speedup >= 10")"
fi

if [ "${CALLGRIND:-0}" = 1 ] && command -v valgrind >/dev/null; then
  hundred=$(gen 100000)
  count() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null | sed -nE 's/.*Collected : ([0-9]+).*/\1/p'; }
  a=$(count ./target/release/examples/split_baseline "$hundred")
  b=$(count ./target/release/tuiding scan "$hundred" --json)
  echo "instructions on 100,000 rows: split $a, scan $b, ratio $(calc %.2f "$b / $a")x"
fi
