#!/usr/bin/env bash
# Mutation fuzzing on stable Rust of every parser of untrusted input (crates/tuiding-fuzz):
# bill exports (CSV, XLSX, XLS), policy TOML, agreements, Wallos exports, dossier and backup
# archives, and JSON API bodies. Seeds are the repository's fixtures.
#
#   scripts/fuzz.sh                    # 500,000 inputs per target (3,000,000 in all)
#   INPUTS=20000 scripts/fuzz.sh       # a quick pass
#   TARGET=bills SEED=7 scripts/fuzz.sh
#
# Each input is written to target/fuzz/TARGET.current before it runs, so an abort the
# process cannot catch leaves its cause behind; panics are saved as TARGET-crash-N.bin and
# inputs slower than 2 s as TARGET-slow-N.bin. Memory is capped (ulimit -v, 8 GB) so an
# unbounded allocation aborts instead of swapping. Exit 1 when anything was found.
set -euo pipefail
cd "$(dirname "$0")/.."
inputs=${INPUTS:-500000}
seed=${SEED:-1}
out=${OUT:-target/fuzz}
cargo build --release --quiet -p tuiding-fuzz
mkdir -p "$out"
args=(--inputs "$inputs" --seed "$seed" --out "$out")
if [ -n "${TARGET:-}" ]; then
  args+=(--target "$TARGET")
fi
echo "== tuiding-fuzz ${args[*]} ($(nproc) cores, $(uname -m))"
started=$(date +%s)
set +e
( ulimit -v 8000000; target/release/tuiding-fuzz "${args[@]}" > "$out/stdout.log" 2> "$out/stderr.log" )
status=$?
set -e
echo "== $(( $(date +%s) - started )) s; exit $status"
[ -f "$out/summary.txt" ] && cat "$out/summary.txt"
if [ $status -gt 1 ]; then
  echo "the fuzzer itself died (signal or abort): the input that caused it is in $out/*.current"
  tail -5 "$out/stderr.log"
fi
exit $status
