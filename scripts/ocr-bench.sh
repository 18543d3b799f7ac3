#!/usr/bin/env bash
# Benchmark of reading evidence screenshots (issue 19), on the drawn fixtures in
# crates/tuiding-ocr/tests/fixtures:
#   1. each 1170×2532 (and other) phone screenshot read 5 times by the release build:
#      min / median / max milliseconds (decoding, preparing and Tesseract);
#   2. two screenshots read at once (two processes) on this machine's cores;
#   3. `tuiding evidence add` of one screenshot, end to end (store, read, propose);
#   4. the accuracy sweep (72 refund pages: 4 widths × light/dark × 3 text sizes ×
#      PNG/JPEG/bold) and a long capture of three screens against one.
# Needs Tesseract with chi_sim and the Noto CJK fonts:
#   sudo apt-get install tesseract-ocr tesseract-ocr-chi-sim fonts-noto-cjk
set -euo pipefail
cd "$(dirname "$0")/.."
command -v tesseract >/dev/null || { echo "needs tesseract: sudo apt-get install tesseract-ocr tesseract-ocr-chi-sim" >&2; exit 1; }
cargo build --release --quiet -p tuiding-ocr --example read
cargo build --release --quiet
read_bin=$PWD/target/release/examples/read
bin=$PWD/target/release/tuiding
fixtures=crates/tuiding-ocr/tests/fixtures
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(tesseract --version 2>&1 | head -1)"
echo
echo "== one screenshot at a time (ms: min / median / max of 5)"
for f in "$fixtures"/*.png; do
  size=$(python3 -c "import struct,sys; d=open(sys.argv[1],'rb').read(24); print('%d×%d' % struct.unpack('>II', d[16:24]))" "$f" 2>/dev/null || echo "?")
  times=$(for _ in 1 2 3 4 5; do "$read_bin" "$f" --quiet | sed -E 's/.* in ([0-9]+) ms.*/\1/'; done | sort -n | tr '\n' ' ')
  set -- $times
  printf "  %-34s %-10s %5s / %5s / %5s\n" "$(basename "$f")" "$size" "$1" "$3" "$5"
done
echo
echo "== two 1170×2532 screenshots at once (two processes)"
s=$(date +%s%N)
"$read_bin" "$fixtures/refund-promise-light-1170.png" --quiet >/dev/null &
"$read_bin" "$fixtures/order-charge-dark-1170.png" --quiet >/dev/null &
wait
e=$(date +%s%N)
echo "  both done in $(( (e - s) / 1000000 )) ms"
echo
echo "== tuiding evidence add of one 1170×2532 screenshot (store, read, propose), 5 runs"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export TUIDING_DATA_DIR=$work/data TUIDING_TODAY=2026-11-29 NO_COLOR=1
"$bin" add --platform 爱奇艺 --plan 黄金VIP连续包月 --period month --price 25 --start 2026-01-31 --auto-renew wechat_pay >/dev/null
"$bin" case open 1 >/dev/null
for i in 1 2 3 4 5; do
  # A different file each time (one pixel of the PNG's text chunk would do; a copy with a
  # new name and a trailing byte keeps the image decodable and its digest new).
  cp "$fixtures/refund-promise-light-1170.png" "$work/shot-$i.png"
  printf '%s' "$i" >>"$work/shot-$i.png"
  s=$(date +%s%N)
  "$bin" evidence add 1 "$work/shot-$i.png" --kind operation >/dev/null
  e=$(date +%s%N)
  echo "  run $i: $(( (e - s) / 1000000 )) ms"
done
echo
echo "== accuracy sweep and a long capture"
cargo test --release --quiet -p tuiding-ocr --test sweep -- --ignored --nocapture --test-threads 1 2>&1 \
  | grep -E "^(width|[0-9]{3,4} |fields read|1170×)"
