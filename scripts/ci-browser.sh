#!/usr/bin/env bash
# The browser tests of the portfolio view (tests/browser): Debian's chromium driven by playwright-core against a real
# `valuemcp serve --http` on the demo portfolio, (1) inside a test host page built on the ext-apps AppBridge and
# (2) as the page the server serves at /. Writes the screenshots to docs/screenshots/.
#   1. installs Debian's chromium when /usr/bin/chromium is missing (apt-get; SKIPPED, exit 0, only if apt cannot run),
#   2. npm ci in tests/browser (exact versions, package-lock.json),
#   3. builds the server (dotnet build src/ValueMcp.Server),
#   4. runs the tests; the last line is the runner's "browser: N passed, N failed". Exit 1 on any failure.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
say() { echo "ci-browser: $*"; }

chromium=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  if ! command -v apt-get >/dev/null 2>&1 || [ "$(id -u)" -ne 0 ]; then
    say "SKIPPED: $chromium is missing and apt-get cannot run here (not Debian, or not root); nothing was tested"
    exit 0
  fi
  say "installing Debian's chromium (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  if ! { timeout 600 apt-get update -qq && timeout 900 apt-get install -y -qq chromium >/dev/null; }; then
    say "apt-get could not install chromium"
    echo "browser: 0 passed, 1 failed"
    exit 1
  fi
fi
say "$("$chromium" --version 2>/dev/null | tail -1)"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  say "node and npm are needed (Node 20 or later)"
  echo "browser: 0 passed, 1 failed"
  exit 1
fi
say "node $(node --version), npm $(npm --version 2>/dev/null)"

say "npm ci (tests/browser)"
npm_log=$(mktemp)
(cd tests/browser && timeout 600 npm ci --no-audit --no-fund --loglevel=error) >"$npm_log" 2>&1
npm_status=$?
grep -v 'Unknown user config' "$npm_log" | grep -v 'install-scripts' || true
rm -f "$npm_log"
if [ "$npm_status" -ne 0 ]; then
  say "npm ci failed (exit $npm_status)"
  echo "browser: 0 passed, 1 failed"
  exit 1
fi

say "dotnet build src/ValueMcp.Server"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
build_log=$(mktemp)
if ! timeout 900 dotnet build src/ValueMcp.Server -v q -nologo >"$build_log" 2>&1; then
  tail -n 30 "$build_log"
  rm -f "$build_log"
  say "the server does not build"
  echo "browser: 0 passed, 1 failed"
  exit 1
fi
rm -f "$build_log"

export CHROMIUM_PATH="$chromium"
export VALUEMCP_DLL="$root/src/ValueMcp.Server/bin/Debug/net10.0/valuemcp.dll"
say "running tests/browser/run.mjs"
(cd tests/browser && timeout 1500 node run.mjs)
status=$?
if [ "$status" -eq 124 ]; then
  say "the tests did not finish within 25 minutes"
  echo "browser: 0 passed, 1 failed"
fi
exit "$status"
