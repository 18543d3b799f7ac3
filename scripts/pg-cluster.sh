#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests: no system service, no port, a Unix socket in a
# directory of its own.
#
#   bash scripts/pg-cluster.sh start DIR   # initdb + pg_ctl start; prints the URL
#   bash scripts/pg-cluster.sh stop DIR    # pg_ctl stop; DIR can then be removed
#
# Then: TUIDING_TEST_DATABASE_URL=$(bash scripts/pg-cluster.sh start /tmp/pg) cargo test
# Needs Debian's postgresql (sudo apt-get install postgresql); run as root, the cluster
# belongs to the `postgres` user the package creates (initdb refuses to run as root).
set -euo pipefail
cmd=${1:?usage: pg-cluster.sh start|stop DIR}
dir=${2:?usage: pg-cluster.sh start|stop DIR}

bin=""
for candidate in "$(command -v pg_config >/dev/null && pg_config --bindir || true)" \
  $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
  if [ -n "$candidate" ] && [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ]; then
    bin=$candidate
    break
  fi
done
if [ -z "$bin" ]; then
  echo "pg-cluster.sh: initdb and pg_ctl not found; install PostgreSQL (sudo apt-get install postgresql)" >&2
  exit 1
fi

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "$cmd" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 \
        --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    # No TCP port (listen_addresses empty): only this socket directory. fsync off: the
    # cluster is thrown away.
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o \
      "-k $dir -c listen_addresses= -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
      start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    # tuiding connects as a role of its own, not a superuser: row-level security applies
    # to it (superusers bypass it), as it should in production (docs/server.md).
    as_owner "$bin/psql" -h "$dir" -U postgres -d postgres -qAtc \
      "SELECT 1 FROM pg_roles WHERE rolname = 'tuiding'" | grep -q 1 ||
      as_owner "$bin/psql" -h "$dir" -U postgres -d postgres -qc "CREATE ROLE tuiding LOGIN CREATEDB"
    as_owner "$bin/psql" -h "$dir" -U postgres -d postgres -qAtc \
      "SELECT 1 FROM pg_database WHERE datname = 'tuiding_test'" | grep -q 1 ||
      as_owner "$bin/createdb" -h "$dir" -U postgres -O tuiding tuiding_test
    host=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$dir" 2>/dev/null ||
      printf '%s' "$dir" | sed 's|/|%2F|g')
    echo "postgresql://tuiding@$host/tuiding_test"
    ;;
  stop)
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    ;;
  *)
    echo "usage: pg-cluster.sh start|stop DIR" >&2
    exit 2
    ;;
esac
