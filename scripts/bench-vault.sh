#!/usr/bin/env bash
# Benchmark of the evidence vault: N files of SIZE bytes (default 1,000 × 100 KiB = ~100 MB)
# added to one case in one command, then `vault verify` (re-hash every object with SHA-256 and
# SM3 and walk the journal), `case export` (zip with manifest) and `dossier verify`. For
# reference, `sha256sum` over the same files (one digest where the vault computes two).
# Optional: FILES=… SIZE=…
set -euo pipefail
cd "$(dirname "$0")/.."
files=${FILES:-1000}
size=${SIZE:-102400}
cargo build --release --quiet
bin=$PWD/target/release/tuiding
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export TUIDING_DATA_DIR=$work/data TUIDING_TODAY=2026-11-20 NO_COLOR=1
mkdir -p "$work/in"
for i in $(seq "$files"); do head -c "$size" /dev/urandom >"$work/in/shot-$i.png"; done
"$bin" add --platform 爱奇艺 --plan 黄金VIP连续包月 --period month --price 25 --start 2026-01-31 --auto-renew wechat_pay >/dev/null
"$bin" case open 1 >/dev/null
t() { local s e; s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N); awk -v a="$s" -v b="$e" 'BEGIN{printf "%.3f", b-a}'; }
mb=$(awk -v n="$files" -v s="$size" 'BEGIN{printf "%.1f", n*s/1e6}')
echo "$files files × $size bytes = $mb MB"
echo "evidence add (all in one command): $(t "$bin" evidence add 1 "$work"/in/*.png --kind operation)s"
echo "vault verify:                      $(t "$bin" vault verify)s"
echo "case export:                       $(t "$bin" case export 1 --out "$work/d.zip")s"
echo "dossier verify:                    $(t "$bin" dossier verify "$work/d.zip")s"
echo "sha256sum of the same files:       $(t sha256sum "$work"/in/*.png)s"
