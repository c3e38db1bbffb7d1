#!/usr/bin/env bash
# Packs ValueMcp as a .NET tool into ./artifacts, installs it from that folder the way a user would
# (dotnet tool install --add-source ./artifacts) into a throw-away tool path, and runs `valuemcp --version`
# and `valuemcp token --help`. Exit 0 when the installed tool answers with the version of the build.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
say() { echo "tool-install: $*"; }

rm -f artifacts/ValueMcp.*.nupkg
timeout 600 dotnet pack src/ValueMcp.Server -c Release -o artifacts -v q -nologo || { say "dotnet pack failed"; exit 1; }
nupkg=$(ls artifacts/ValueMcp.*.nupkg 2>/dev/null | head -1)
[ -n "$nupkg" ] || { say "no package in ./artifacts"; exit 1; }
version=$(basename "$nupkg" .nupkg | sed 's/^ValueMcp\.//')

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A private package cache: a package of the same version installed earlier must not stand in for this one.
export NUGET_PACKAGES=$work/packages
timeout 300 dotnet tool install --tool-path "$work/tools" ValueMcp --version "$version" --add-source ./artifacts --ignore-failed-sources ||
  { say "dotnet tool install failed"; exit 1; }
out=$("$work/tools/valuemcp" --version) || { say "valuemcp --version failed"; exit 1; }
say "installed ValueMcp $version from ./artifacts; valuemcp --version: $out"
case "$out" in
  "$version"*) ;;
  *) say "expected version $version"; exit 1 ;;
esac
"$work/tools/valuemcp" token --help >/dev/null || { say "valuemcp token --help failed"; exit 1; }
# The package carries the MCP server description (NuGet's McpServer package type reads it from there).
server_json=$(find "$work/tools/.store" -path '*/.mcp/server.json' | head -1)
[ -n "$server_json" ] || { say "the package has no .mcp/server.json"; exit 1; }
grep -q "\"version\": \"${version%%+*}\"" "$server_json" || { say ".mcp/server.json does not name version $version"; exit 1; }
grep -q '<packageType name="McpServer"' "$(find "$work/tools/.store" -name 'ValueMcp.nuspec' | head -1)" ||
  { say "the package is not of type McpServer"; exit 1; }
say "ok"
