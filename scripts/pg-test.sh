#!/usr/bin/env bash
# The server's whole test project, and the store's PostgreSQL tests, against PostgreSQL: a throwaway cluster
# (scripts/pg-cluster.sh) on a loopback port in a temporary folder, stopped by its PID at the end whatever happens.
# Tests about the SQLite file itself (its bytes, WAL, pragmas, permissions) are skipped there and say so.
#
#   scripts/pg-test.sh [extra dotnet test arguments, e.g. --filter ...]
#
# Prints "pg-test: N passed, N failed" last; "pg-test: SKIPPED: ..." (exit 0) when PostgreSQL's server cannot be had
# (not on the machine, and `apt-get install postgresql` failed or was not allowed).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

have_pg() {
  command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ] && return 0
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null && return 0
  command -v initdb >/dev/null 2>&1
}

if ! have_pg; then
  echo "pg-test: PostgreSQL's server is not on this machine: trying apt-get install postgresql"
  if [ "$(id -u)" -eq 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >/tmp/valuemcp-pg-apt.log 2>&1 || true
  else
    (sudo -n apt-get update -qq && sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >/tmp/valuemcp-pg-apt.log 2>&1 || true
  fi
  if ! have_pg; then
    echo "pg-test: SKIPPED: PostgreSQL could not be installed (see /tmp/valuemcp-pg-apt.log); the PostgreSQL store was not tested"
    echo "pg-test: 0 passed, 0 failed"
    exit 0
  fi
fi

cluster=$(bash scripts/pg-cluster.sh start) || { echo "pg-test: the throwaway cluster did not start"; echo "pg-test: 0 passed, 1 failed"; exit 1; }
dir=$(sed -n 's/^DIR=//p' <<<"$cluster")
url=$(sed -n 's/^URL=//p' <<<"$cluster")
trap 'bash scripts/pg-cluster.sh stop "$dir"' EXIT
echo "pg-test: cluster in $dir at ${url%%:*}://...@${url##*@}"

export VALUEMCP_TEST_STORE=postgres VALUEMCP_TEST_PG="$url"
log=$(mktemp)
timeout 600 dotnet build ValueMcp.sln -v q -nologo >/dev/null 2>&1 || true
status=0
timeout 2400 dotnet test tests/ValueMcp.Store.Tests --no-build --filter "FullyQualifiedName~Postgres" "$@" 2>&1 | tee -a "$log" || status=1
timeout 3600 dotnet test tests/ValueMcp.Server.Tests --no-build "$@" 2>&1 | tee -a "$log" || status=1
passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
[ "$status" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
rm -f "$log"
echo "pg-test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
