#!/usr/bin/env bash
# The Native AOT build (publish profile Aot) does everything the JIT build does: publishes it, then runs the server's
# test project with VALUEMCP_TEST_SERVER pointing at the native executable, so that every test that starts a server
# (stdio and HTTP end to end, every tool, prompt and resource, the import command, bad input, crashes, limits, roles)
# talks to the AOT build. The in-process tests run as well (on the JIT, as always).
#   scripts/aot-check.sh            (a few minutes: the native compile is most of it)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
exe=$root/artifacts/publish/valuemcp-linux-x64-aot/valuemcp

echo "aot-check: publishing the Aot profile..."
start=$(date +%s)
dotnet publish src/ValueMcp.Server -p:PublishProfile=Aot -v q -nologo
echo "aot-check: published in $(( $(date +%s) - start )) s: $exe ($(du -h "$exe" | cut -f1))"
"$exe" --version

echo "aot-check: the server's tests against the native executable..."
VALUEMCP_TEST_SERVER=$exe dotnet test tests/ValueMcp.Server.Tests -nologo
