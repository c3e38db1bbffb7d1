#!/usr/bin/env bash
# Cold start to initialize-complete, in one run: ValueMcp (the Native AOT publish, the composite self-contained
# ReadyToRun publish, the framework-dependent ReadyToRun publish, and the plain build for reference)
# against a minimal MCP server made with the official TypeScript SDK (bench/coldstart/node-server.mjs) on Node 22.
# Node 22 and the SDK are installed from the npm registry into a cache folder on first use.
#   bench/coldstart.sh [REPS]        (default 10; publishes the Aot, Composite and ReadyToRun profiles first)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
reps=${1:-10}
# shellcheck source=../scripts/lib/node22.sh
. "$root/scripts/lib/node22.sh"
sdk_dir=$node_tools_cache/coldstart-node
ensure_node22
mkdir -p "$sdk_dir" && { [ -f "$sdk_dir/package.json" ] || echo '{"private":true,"type":"module"}' > "$sdk_dir/package.json"; }
ensure_npm_packages coldstart-node node_modules/@modelcontextprotocol/sdk @modelcontextprotocol/sdk@1 zod@3
cp "$root/bench/coldstart/node-server.mjs" "$sdk_dir/server.mjs"

echo "publishing the Aot, Composite and ReadyToRun profiles (the first two take a few minutes the first time)..." >&2
dotnet publish "$root/src/ValueMcp.Server" -p:PublishProfile=Aot -v q -nologo >&2
aot=$root/artifacts/publish/valuemcp-linux-x64-aot/valuemcp
dotnet publish "$root/src/ValueMcp.Server" -p:PublishProfile=Composite -v q -nologo >&2
composite=$root/artifacts/publish/valuemcp-linux-x64-composite/valuemcp
dotnet publish "$root/src/ValueMcp.Server" -p:PublishProfile=ReadyToRun -v q -nologo >&2
r2r=$root/artifacts/publish/valuemcp-linux-x64/valuemcp
dotnet build "$root/src/ValueMcp.Server" -c Release -v q -nologo >&2
plain=$root/src/ValueMcp.Server/bin/Release/net10.0/valuemcp.dll

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$r2r" demo --db "$work/demo.db" >/dev/null 2>&1
# --read-only: the benchmark measures start-up, not migrations (the database is already current either way).
"$node22/node" "$root/bench/coldstart/measure.mjs" "$reps" \
  node-typescript-sdk "$node22/node $sdk_dir/server.mjs" \
  valuemcp-native-aot "$aot serve --db $work/demo.db --read-only" \
  valuemcp-composite "$composite serve --db $work/demo.db --read-only" \
  valuemcp-readytorun "$r2r serve --db $work/demo.db --read-only" \
  valuemcp-dotnet-dll "dotnet $plain serve --db $work/demo.db --read-only"
echo "node $("$node22/node" --version), @modelcontextprotocol/sdk $(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$sdk_dir/node_modules/@modelcontextprotocol/sdk/package.json" | head -1), dotnet $(dotnet --version), $(nproc) cores"
