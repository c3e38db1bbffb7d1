#!/usr/bin/env bash
# The HTTP and distribution checks CI runs after `dotnet test`, each counted as one test:
#   1. the official MCP conformance suite against `serve --http`, for the 2025-11-25 and the 2026-07-28 revision
#      (tests/conformance/run.sh),
#   2. the .NET tool packed to ./artifacts and installed from there (scripts/tool-install-check.sh),
#   3. the load test in its short form: 16 clients for 10 s on loopback (bench-http of bench/ValueMcp.Bench, against
#      the same valuemcp.dll),
#   4. the portfolio view's embedded page is what web/ builds (scripts/build-app.sh --check),
#   5. the MCP Inspector's app probe finds the view on get_portfolio_health and list_accounts (scripts/app-probe.sh),
#      and the Inspector tries the README's client configurations in both revisions (scripts/inspector-trials.sh),
#   6. the Native AOT build: published, then the server's tests, the conformance suite and the app probe run against
#      it (scripts/aot-check.sh).
# Prints "ci-http: N passed, N failed" last (and "skipped" for a step that could not run, e.g. no npm registry).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
passed=0 failed=0 skipped=0

step() {
  local name=$1; shift
  echo "== ci-http: $name"
  local log
  log=$(mktemp)
  "$@" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  if [ "$status" -eq 0 ] && grep -q 'SKIPPED' "$log"; then
    skipped=$((skipped + 1)); echo "== ci-http: $name skipped"
  elif [ "$status" -eq 0 ]; then
    passed=$((passed + 1)); echo "== ci-http: $name passed"
  else
    failed=$((failed + 1)); echo "== ci-http: $name FAILED (exit $status)"
  fi
  rm -f "$log"
}

timeout 600 dotnet build src/ValueMcp.Server -v q -nologo >/dev/null 2>&1 || true
timeout 600 dotnet build bench/ValueMcp.Bench -v q -nologo >/dev/null 2>&1 || true
dll=src/ValueMcp.Server/bin/Debug/net10.0/valuemcp.dll
bench=bench/ValueMcp.Bench/bin/Debug/net10.0/ValueMcp.Bench.dll
step "MCP conformance suite (2025-11-25 and 2026-07-28)" timeout 900 bash tests/conformance/run.sh "$dll"
step ".NET tool install from ./artifacts" timeout 900 bash scripts/tool-install-check.sh
step "load test, short form (16 clients, 10 s)" timeout 300 dotnet "$bench" bench-http --server "$dll" --duration 10 --clients 16
step "portfolio view: the embedded page is what web/ builds" timeout 900 bash scripts/build-app.sh --check
step "portfolio view: the Inspector's app probe" timeout 900 bash scripts/app-probe.sh "$dll"
step "README client configurations with the Inspector (stdio, HTTP token, OAuth; both revisions)" timeout 600 bash scripts/inspector-trials.sh "$dll"
step "Native AOT build: the server's tests against the native executable" timeout 1500 bash scripts/aot-check.sh
echo "ci-http: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
