#!/usr/bin/env bash
# Installs code-server (VS Code's workbench and extension host, served to a
# browser) from the npm registry into $1 (a cache directory), once.
#   scripts/install-code-server.sh DIR   -> DIR/node_modules/.bin/code-server
# 4.100.3 (VS Code 1.100.3) is the newest code-server whose install accepts
# Node.js 20. Its native modules compile from source (GitHub prebuilds are out
# of reach here): needs g++, make, python3, pkg-config and libkrb5-dev, and
# ripgrep (Debian's rg stands in for the download of @vscode/ripgrep).
set -euo pipefail
dir="${1:?usage: install-code-server.sh DIR}"
version="${CODE_SERVER_VERSION:-4.100.3}"
cs="$dir/node_modules/.bin/code-server"
if [ -x "$cs" ] && [ -e "$dir/node_modules/code-server/lib/vscode/node_modules.asar" ] \
   && [ "$(node -p "require('$dir/node_modules/code-server/package.json').version")" = "$version" ]; then
  exit 0
fi
command -v rg >/dev/null || { echo "install-code-server: ripgrep (rg) is needed" >&2; exit 1; }
# @vscode/ripgrep's postinstall downloads rg from GitHub unless its cache in
# $TMPDIR holds the release tarball: seed it with the system rg.
tmpd="$(dirname "$(mktemp -u)")"
cache="$tmpd/vscode-ripgrep-cache-1.15.11"
seed="$(mktemp -d)"
mkdir -p "$cache"
cp "$(command -v rg)" "$seed/rg"
tar czf "$cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$seed" rg
rm -rf "$seed"
rm -rf "$dir"
mkdir -p "$dir"
echo '{"name":"keepalived-ls-code-server","private":true}' > "$dir/package.json"
# unsafe_perm: code-server's postinstall refuses root without it (npm 10).
# yes: node-pty's postinstall runs `npx node-gyp`.
# dangerously_allow_all_scripts: npm 11 skips dependency install scripts
# unless allowed, and code-server's postinstall runs further npm installs.
echo "install-code-server: installing code-server $version into $dir (about 1 minute)" >&2
if ! (cd "$dir" && npm_config_unsafe_perm=true npm_config_yes=true npm_config_dangerously_allow_all_scripts=true \
      npm install --no-audit --no-fund --loglevel=error "code-server@$version" >"$dir/install.log" 2>&1); then
  tail -n 40 "$dir/install.log" >&2
  echo "install-code-server: npm install code-server@$version failed (log: $dir/install.log)" >&2
  exit 1
fi
if [ ! -e "$dir/node_modules/code-server/lib/vscode/node_modules.asar" ]; then
  tail -n 40 "$dir/install.log" >&2
  echo "install-code-server: code-server's postinstall did not run (npm install scripts blocked?)" >&2
  exit 1
fi
