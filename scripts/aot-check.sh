#!/usr/bin/env bash
# The Native AOT build (publish profile Aot) does everything the JIT build does: publishes it, then runs the server's
# test project with VALUEMCP_TEST_SERVER pointing at the native executable, so that every test that starts a server
# (stdio and HTTP end to end, every tool, prompt and resource, the CLI commands, bad input, crashes, limits, roles)
# talks to the AOT build (the in-process tests run as well, on the JIT as always); then the MCP conformance suite and
# the Inspector's app probe against it.
#   scripts/aot-check.sh            (a few minutes: the native compile is most of it)
# Needs a C toolchain to link (gcc or clang; zlib's development files); says SKIPPED without one.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
exe=$root/artifacts/publish/valuemcp-linux-x64-aot/valuemcp

if ! command -v gcc >/dev/null 2>&1 && ! command -v clang >/dev/null 2>&1; then
  echo "aot-check: SKIPPED: no C toolchain (gcc or clang) to link a Native AOT executable"
  exit 0
fi
echo "aot-check: publishing the Aot profile..."
start=$(date +%s)
dotnet publish src/ValueMcp.Server -p:PublishProfile=Aot -v q -nologo
echo "aot-check: published in $(( $(date +%s) - start )) s: $exe ($(du -h "$exe" | cut -f1))"
"$exe" --version

echo "aot-check: the server's tests against the native executable..."
VALUEMCP_TEST_SERVER=$exe dotnet test tests/ValueMcp.Server.Tests -nologo

echo "aot-check: the MCP conformance suite and the Inspector's app probe against the native executable..."
bash tests/conformance/run.sh "$exe"
bash scripts/app-probe.sh "$exe"
