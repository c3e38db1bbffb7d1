#!/usr/bin/env bash
# Builds the portfolio view (web/) into the one HTML file the server embeds: src/ValueMcp.Server/Ui/portfolio.html.
#   scripts/build-app.sh           install web/'s packages when missing or stale (npm ci), type-check, build
#   scripts/build-app.sh --check   build to a temp file and fail (exit 1) when it differs from the committed file
# Needs Node 20+ and npm with access to the npm registry (only when web/node_modules must be installed).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
web=$root/web
out=$root/src/ValueMcp.Server/Ui/portfolio.html

check=false
case "${1:-}" in
  --check) check=true ;;
  "") ;;
  *) echo "usage: scripts/build-app.sh [--check]" >&2; exit 2 ;;
esac

command -v node >/dev/null || { echo "build-app: node is not installed (Node 20 or later is needed)" >&2; exit 2; }
major=$(node -p 'process.versions.node.split(".")[0]')
[ "$major" -ge 20 ] || { echo "build-app: Node $major found, Node 20 or later is needed" >&2; exit 2; }

cd "$web"
# node_modules is stale when package-lock.json changed since the last install (its hash is kept next to the packages).
stamp=node_modules/.valuemcp-lock-sha256
want=$(node -e 'process.stdout.write(require("crypto").createHash("sha256").update(require("fs").readFileSync("package-lock.json")).digest("hex"))')
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "build-app: installing web/ packages (npm ci)" >&2
  # No install scripts: nothing here needs one (esbuild and TypeScript ship their binaries as optional packages).
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
  printf '%s' "$want" > "$stamp"
fi

node_modules/.bin/tsc --noEmit -p .

if $check; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  node build.mjs --out "$tmp/portfolio.html" >/dev/null
  if ! cmp -s "$tmp/portfolio.html" "$out"; then
    echo "build-app: src/ValueMcp.Server/Ui/portfolio.html is out of date with web/ (or was edited by hand)." >&2
    echo "build-app: run scripts/build-app.sh and commit the rebuilt file." >&2
    exit 1
  fi
  echo "build-app: src/ValueMcp.Server/Ui/portfolio.html is up to date"
else
  node build.mjs
fi
