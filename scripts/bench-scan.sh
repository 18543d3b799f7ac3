#!/usr/bin/env bash
# Benchmark of `tuiding scan` on a generated 1,000,000-row Alipay export (GBK), against
# the floor: only decoding that file and splitting its rows with the same crates
# (encoding_rs, csv-core), keeping nothing. Prints best-of-N wall times, rows per second,
# the ratio, and peak memory. Optional: ROWS=… RUNS=… ; CALLGRIND=1 also counts
# instructions on a 100,000-row file (deterministic, needs valgrind).
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${ROWS:-1000000}
runs=${RUNS:-5}
mkdir -p target/bench
file=target/bench/alipay-$rows.csv
cargo build --release --quiet
cargo build --release --quiet -p tuiding-bills --examples
[ -f "$file" ] || ./target/release/examples/gen_alipay "$rows" "$file"

best() { sort -g | head -1; }
baseline=$(for _ in $(seq "$runs"); do ./target/release/examples/split_baseline "$file" | sed -E 's/.* seconds=([0-9.]+).*/\1/'; done | best)
if [ -x /usr/bin/time ]; then
  scan_runs=$(for _ in $(seq "$runs"); do /usr/bin/time -f "%e %M" ./target/release/tuiding scan "$file" --json 2>&1 >/dev/null | tail -1; done)
  scan=$(echo "$scan_runs" | awk '{print $1}' | best)
  peak_kib=$(echo "$scan_runs" | awk '{print $2}' | sort -g | tail -1)
else
  scan=$(for _ in $(seq "$runs"); do s=$(date +%s.%N); ./target/release/tuiding scan "$file" --json >/dev/null; e=$(date +%s.%N); awk -v a="$s" -v b="$e" 'BEGIN{print b-a}'; done | best)
  peak_kib=unknown
fi
echo "file: $file ($(du -h "$file" | cut -f1), $rows rows), best of $runs runs"
calc() { awk "BEGIN{printf \"$1\", $2}"; }
echo "decode + split only: ${baseline}s ($(calc %d "$rows / $baseline") rows/s)"
echo "tuiding scan --json: ${scan}s ($(calc %d "$rows / $scan") rows/s), peak RSS ${peak_kib} KiB"
echo "ratio: $(calc %.2f "$scan / $baseline")x"
if [ "${CALLGRIND:-0}" = 1 ] && command -v valgrind >/dev/null; then
  small=target/bench/alipay-100000.csv
  [ -f "$small" ] || ./target/release/examples/gen_alipay 100000 "$small"
  count() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null | sed -nE 's/.*Collected : ([0-9]+).*/\1/p'; }
  a=$(count ./target/release/examples/split_baseline "$small")
  b=$(count ./target/release/tuiding scan "$small" --json)
  echo "instructions on 100,000 rows: split $a, scan $b, ratio $(calc %.2f "$b / $a")x"
fi
