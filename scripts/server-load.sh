#!/usr/bin/env bash
# Load check of a server of accounts (issue 17, docs/server.md): ACCOUNTS accounts with
# MEMBERSHIPS memberships each on one PostgreSQL, PROCESSES `tuiding serve` processes on it,
# wrk (Debian's `wrk`) asking every process for the overview page (`GET /`) of every
# account in turn, each request with another account's session. Reports p50 / p99 and
# requests per second per process, the non-2xx answers, and — checked by a second client
# reading every answer while wrk runs — whether any answer held another account's mark.
# Then a process is killed (SIGKILL) while another keeps writing: every write the other
# acknowledged must be there.
#
# Uses the database TUIDING_TEST_DATABASE_URL names (a scratch database `tuiding_load` is
# made beside it), else starts a throwaway cluster (scripts/pg-cluster.sh).
# Optional: ACCOUNTS=100 MEMBERSHIPS=1000 PROCESSES=5 DURATION=20s CONNECTIONS=4.
set -euo pipefail
cd "$(dirname "$0")/.."
accounts=${ACCOUNTS:-100}
memberships=${MEMBERSHIPS:-1000}
processes=${PROCESSES:-5}
duration=${DURATION:-20s}
connections=${CONNECTIONS:-4}
today=2026-11-26
command -v wrk >/dev/null || { echo "wrk not found: apt-get install wrk" >&2; exit 1; }
command -v psql >/dev/null || { echo "psql not found: apt-get install postgresql-client" >&2; exit 1; }

cargo build --release --quiet
bin=$PWD/target/release/tuiding
work=$PWD/target/bench/server-load
mkdir -p "$work"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  if [ -n "${own_cluster:-}" ]; then bash scripts/pg-cluster.sh stop "$own_cluster" || true; fi
}
trap cleanup EXIT

url=${TUIDING_TEST_DATABASE_URL:-}
if [ -z "$url" ]; then
  own_cluster=$work/pg
  url=$(bash scripts/pg-cluster.sh start "$own_cluster")
fi
psql "$url" -qc "DROP DATABASE IF EXISTS tuiding_load WITH (FORCE)"
psql "$url" -qc "CREATE DATABASE tuiding_load"
db="${url%/*}/tuiding_load"
base=$work/files
rm -rf "$base"

# One SQLite data dir with MEMBERSHIPS memberships (a generated Wallos export), migrated into
# every account; each account then gets one membership only it has: its mark.
src=$work/src-$memberships
if [ ! -f "$src/tuiding.db" ]; then
  rm -rf "$src"
  bash scripts/wallos-export.sh "$memberships" > "$work/wallos-$memberships.json"
  "$bin" --data-dir "$src" --today $today import-from wallos "$work/wallos-$memberships.json" >/dev/null
fi
SECONDS=0
seq "$accounts" | xargs -P 2 -I{} sh -c '
  "$0" --data-dir "$1" --today '$today' migrate --to "$2" --account load{} --create --files-dir "$3" >/dev/null &&
  printf "load-password-{}\n" | "$0" --database-url "$2" user passwd load{} --password-stdin >/dev/null &&
  "$0" --data-dir "$3" --database-url "$2" --user load{} --today '$today' add --platform "账户{}专属" --plan 标记 \
      --period month --price 1 --start 2026-11-01 >/dev/null
' "$bin" "$src" "$db" "$base"
echo "setup: $accounts accounts × $((memberships + 1)) memberships in ${SECONDS} s"

port0=$(( 20000 + RANDOM % 20000 ))
for i in $(seq 0 $((processes - 1))); do
  TUIDING_DB_POOL=8 "$bin" --data-dir "$base" --database-url "$db" --today $today serve \
    --listen 127.0.0.1:$((port0 + i)) --remind-every 0 2>"$work/server-$i.log" &
  pids+=($!)
done
for i in $(seq 0 $((processes - 1))); do
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$((port0 + i))/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
done

# One session per account (sessions live in the database: every process knows them).
: > "$work/cookies.txt"
for n in $(seq "$accounts"); do
  cookie=$(curl -fsi -H 'content-type: application/json' \
    -d "{\"name\":\"load$n\",\"password\":\"load-password-$n\"}" "http://127.0.0.1:$port0/api/v1/login" |
    tr -d '\r' | sed -n 's/^set-cookie: \(tuiding_session=[0-9a-f]*\).*/\1/Ip')
  echo "$n $cookie" >> "$work/cookies.txt"
done

# Every process computes each account's overview once (what later requests reuse).
python3 - "$work/cookies.txt" "$port0" "$processes" <<'PY'
import sys, time, http.client, concurrent.futures
cookies = [l.split() for l in open(sys.argv[1])]
port0, processes = int(sys.argv[2]), int(sys.argv[3])
def warm(job):
    (n, cookie), p = job
    c = http.client.HTTPConnection("127.0.0.1", port0 + p, timeout=60)
    t = time.time(); c.request("GET", "/", headers={"Cookie": cookie}); r = c.getresponse(); r.read()
    return (time.time() - t) * 1000, r.status
jobs = [(c, p) for c in cookies for p in range(processes)]
with concurrent.futures.ThreadPoolExecutor(4) as ex:
    out = list(ex.map(warm, jobs))
times = sorted(t for t, _ in out)
print(f"first overview per account and process: median {times[len(times)//2]:.0f} ms, max {times[-1]:.0f} ms, statuses {sorted(set(s for _, s in out))}")
PY

cat > "$work/rotate.lua" <<LUA
local cookies = {}
local i = 0
init = function(args)
  for line in io.lines("$work/cookies.txt") do
    local n, cookie = line:match("(%d+) (.+)")
    cookies[#cookies + 1] = cookie
  end
  i = math.random(#cookies)
end
request = function()
  i = i % #cookies + 1
  return wrk.format("GET", "/", {["Cookie"] = cookies[i]})
end
LUA

# While wrk runs, a second client reads whole answers and checks each holds its own
# account's mark and no other.
python3 - "$work/cookies.txt" "$port0" "$processes" "${duration%s}" > "$work/cross.txt" <<'PY' &
import sys, re, time, http.client, random
cookies = [l.split() for l in open(sys.argv[1])]
port0, processes, seconds = int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
mark = re.compile(r"账户(\d+)专属")
end = time.time() + seconds - 1
checked = foreign = failed = 0
conns = [http.client.HTTPConnection("127.0.0.1", port0 + p, timeout=30) for p in range(processes)]
rounds = 0
while time.time() < end:
    n, cookie = random.choice(cookies)
    p = random.randrange(processes)
    rounds += 1
    # The whole ledger (1,000 memberships) now and then; the overview and the API's
    # renewals every time.
    paths = ["/", "/api/v1/renewals?within=60d"]
    if rounds % 10 == 0:
        paths += ["/api/v1/memberships", "/calendar.ics"]
    for path in paths:
        conns[p].request("GET", path, headers={"Cookie": cookie})
        r = conns[p].getresponse(); body = r.read().decode("utf-8", "replace")
        if r.status != 200:
            failed += 1
            continue
        seen = set(mark.findall(body))
        checked += 1
        if seen != {n}:
            foreign += 1
print(f"{checked} answers read whole while wrk ran: {foreign} with another account's mark (or without its own), {failed} not 200")
PY
checker=$!

echo
echo "wrk -t1 -c$connections -d$duration per process, $processes processes, $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))"
echo "| process | p50 | p99 | requests/s | errors |"
echo "|---|---|---|---|---|"
wrks=()
for i in $(seq 0 $((processes - 1))); do
  wrk -t1 -c"$connections" -d"$duration" --latency -s "$work/rotate.lua" "http://127.0.0.1:$((port0 + i))/" > "$work/wrk-$i.txt" &
  wrks+=($!)
done
wait "${wrks[@]}"
wait "$checker" || true
for i in $(seq 0 $((processes - 1))); do
  out=$(cat "$work/wrk-$i.txt")
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  errors=$(echo "$out" | grep -E "Non-2xx|Socket errors" | tr '\n' ' ' || true)
  echo "| $((port0 + i)) | $p50 | $p99 | $rps | ${errors:-none} |"
done
echo
cat "$work/cross.txt"

# Kill one process while another writes: every write the other acknowledged is there.
cookie=$(sed -n '1p' "$work/cookies.txt" | cut -d' ' -f2)
count() { curl -fs -H "Cookie: $cookie" "http://127.0.0.1:$port0/api/v1/memberships" | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))'; }
before=$(count)
acked=0
for k in $(seq 50); do
  if [ "$k" = 10 ]; then kill -9 "${pids[1]}"; fi
  curl -fs -o /dev/null -H "Cookie: $cookie" -H 'content-type: application/json' \
    -d "{\"platform\":\"写入$k\",\"plan\":\"x\",\"period\":\"month\",\"price\":\"1\",\"start\":\"2026-11-01\"}" \
    "http://127.0.0.1:$port0/api/v1/memberships" && acked=$((acked + 1))
  curl -s -o /dev/null -m 0.05 -H "Cookie: $cookie" "http://127.0.0.1:$((port0 + 1))/" || true
done
after=$(count)
echo "a process killed (SIGKILL) mid-run: $acked writes acknowledged by another, $((after - before)) found after"
