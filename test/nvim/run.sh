#!/usr/bin/env bash
# Neovim's built-in LSP client against keepalive-lint-server: prints the diagnostics it receives for
# one file. Usage: test/nvim/run.sh FILE [WORKSPACE_ROOT]
# Installs Debian's neovim when it is missing (as root, or with sudo): CI starts on a fresh machine.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
if ! command -v nvim >/dev/null 2>&1; then
  sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || { echo "test/nvim: neovim is not installed and this is not root: apt-get install neovim" >&2; exit 1; }
    sudo=(sudo)
  fi
  echo "test/nvim: installing Debian neovim" >&2
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq >/dev/null
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends neovim >/dev/null
fi
[[ -f "$repo/dist/server.js" ]] || { echo "test/nvim: dist/server.js is missing: npm run build" >&2; exit 1; }
file="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
root="$(cd "${2:-$(dirname "$file")}" && pwd)"
# -u: only our init (no user config); -i NONE: no shada; -n: no swap file.
KL_FILE="$file" KL_ROOT="$root" KL_SERVER="$repo/dist/server.js" \
  exec nvim --headless -n -i NONE -u "$here/init.lua"
