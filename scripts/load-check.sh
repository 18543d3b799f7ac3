#!/usr/bin/env bash
# Load check of the web app: a data dir with 1,000 memberships (a generated Wallos export
# through `tuiding import-from`) and 100,000 bill transactions (a generated Alipay export
# through `tuiding import`), served by the release binary, measured with wrk (Debian's
# `wrk`): p50 / p99 latency and requests per second of the overview page and of the API.
# A case holds 100 MB of evidence (1,000 files of 100 KiB; EVIDENCE=0 for none), and the
# calendar feed is also asked with the ETag it sent (`If-None-Match`, answered 304).
# Optional: MEMBERSHIPS=… ROWS=… EVIDENCE=… DURATION=15s CONNECTIONS=8 THREADS=2.
set -euo pipefail
cd "$(dirname "$0")/.."
memberships=${MEMBERSHIPS:-1000}
rows=${ROWS:-100000}
evidence=${EVIDENCE:-1000}
duration=${DURATION:-15s}
connections=${CONNECTIONS:-8}
threads=${THREADS:-2}
today=2026-11-26
command -v wrk >/dev/null || { echo "wrk not found: apt-get install wrk" >&2; exit 1; }

cargo build --release --quiet
cargo build --release --quiet -p tuiding-bills --examples
mkdir -p target/bench
data=target/bench/web-data-$memberships-$rows
if [ ! -f "$data/tuiding.db" ]; then
  rm -rf "$data"
  wallos=target/bench/wallos-$memberships.json
  bash scripts/wallos-export.sh "$memberships" > "$wallos"
  ./target/release/tuiding --data-dir "$data" --today $today import-from wallos "$wallos" >/dev/null
  bills=target/bench/alipay-$rows.csv
  [ -f "$bills" ] || ./target/release/examples/gen_alipay "$rows" "$bills"
  ./target/release/tuiding --data-dir "$data" --today $today import "$bills" >/dev/null
  # Adopted streams make every overview check the bills for charges after cancellation.
  for n in 1 2 3; do ./target/release/tuiding --data-dir "$data" --today $today streams adopt $n >/dev/null || true; done
fi
if [ "$evidence" -gt 0 ] && ! ./target/release/tuiding --data-dir "$data" --today $today case list --json | grep -q '"id"'; then
  shots=$(mktemp -d)
  for i in $(seq "$evidence"); do head -c 102400 /dev/urandom >"$shots/shot-$i.png"; done
  ./target/release/tuiding --data-dir "$data" --today $today case open 1 >/dev/null
  ./target/release/tuiding --data-dir "$data" --today $today evidence add 1 "$shots"/*.png --kind operation >/dev/null
  rm -rf "$shots"
fi
adopted=$(./target/release/tuiding --data-dir "$data" --today $today streams --json | grep -c '"membership_id": [0-9]' || true)
count=$(./target/release/tuiding --data-dir "$data" --today $today list --json | grep -c '"platform"')
stored=$(./target/release/tuiding --data-dir "$data" --today $today streams --json | sed -nE 's/.*"transactions_stored": ([0-9]+).*/\1/p' | head -1)
port=$(( 20000 + RANDOM % 20000 ))
./target/release/tuiding --data-dir "$data" --today $today serve --listen 127.0.0.1:$port --remind-every 0 2>/dev/null &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/api/v1/summary" >/dev/null 2>&1 && break; sleep 0.1; done

echo "data: $count memberships, $stored transactions, $adopted streams adopted; wrk -t$threads -c$connections -d$duration, $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))"
echo
echo "| request | first request | p50 | p99 | requests/s |"
echo "|---|---|---|---|---|"
etag=$(curl -fsI "http://127.0.0.1:$port/calendar.ics" | tr -d '\r' | sed -n 's/^etag: //Ip')
paths="/ /memberships /api/v1/memberships /api/v1/summary /api/v1/memberships/500 /api/v1/renewals /calendar.ics /calendar.ics#304"
[ "$evidence" -gt 0 ] && paths="$paths /cases/1"
for path in $paths; do
  header=()
  if [ "$path" = "/calendar.ics#304" ]; then header=(-H "If-None-Match: $etag"); fi
  # The first request of a path computes what later ones reuse (some share work).
  first=$(curl -s -o /dev/null -w '%{time_total}' "${header[@]}" "http://127.0.0.1:$port${path%#*}" | awk '{printf "%.0fms", $1 * 1000}')
  out=$(wrk -t"$threads" -c"$connections" -d"$duration" --latency "${header[@]}" "http://127.0.0.1:$port${path%#*}")
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  errors=$(echo "$out" | grep -E "Non-2xx|Socket errors" || true)
  if [ "$path" = "/calendar.ics#304" ]; then
    errors=""; path="/calendar.ics (If-None-Match → 304)"
  fi
  echo "| GET $path | $first | $p50 | $p99 | $rps |${errors:+ $errors}"
done
