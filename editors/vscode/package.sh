#!/usr/bin/env bash
# Builds one platform-specific .vsix per target, each with keepalived-ls
# cross-compiled into server/, into editors/vscode/dist/.
#
#   ./package.sh                   all targets: linux-x64 linux-arm64 darwin-x64 darwin-arm64 win32-x64
#   ./package.sh linux-x64 ...     only these
#   ./package.sh universal         one .vsix without a server, for other platforms
#                                  (it runs keepalived-ls from PATH or keepalived.server.path)
#
# Environment:
#   KEEPALIVED_LS_VERSION   version stamped into the server (default: git describe of the repository)
#   KEEPALIVED_LS_SRC       Go module to build the server from (default: this repository)
#   SKIP_NPM_CI=1           use the node_modules already installed
# Needs Go (the repository's go.mod), Node.js 20+ and npm; the only network
# access is `npm ci` (and Go modules, if not cached yet).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "${KEEPALIVED_LS_SRC:-$here/../..}" && pwd)"
cd "$here"

all_targets=(linux-x64 linux-arm64 darwin-x64 darwin-arm64 win32-x64)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")

goos_goarch() {
  case "$1" in
    linux-x64) echo "linux amd64" ;;
    linux-arm64) echo "linux arm64" ;;
    darwin-x64) echo "darwin amd64" ;;
    darwin-arm64) echo "darwin arm64" ;;
    win32-x64) echo "windows amd64" ;;
    universal) echo "- -" ;;
    *) echo "package.sh: unknown target '$1' (known: ${all_targets[*]})" >&2; return 1 ;;
  esac
}
for t in "${targets[@]}"; do goos_goarch "$t" >/dev/null; done

for tool in go node npm; do
  command -v "$tool" >/dev/null || { echo "package.sh: $tool is not installed" >&2; exit 1; }
done

ms() { echo $(( ($(date +%s%N) - start) / 1000000 )); }
start=$(date +%s%N)

# 1. the extension: npm packages, type check, bundle (one file, no node_modules in the .vsix)
if [ "${SKIP_NPM_CI:-}" != 1 ] || [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
npx --no-install tsc -p . --noEmit
npx --no-install esbuild src/extension.ts --bundle --platform=node --format=cjs --target=node18 \
  --external:vscode --outfile=out/extension.js --minify --legal-comments=none --log-level=warning
echo "package.sh: extension built ($(ms) ms)" >&2

ext_version="$(node -p 'require("./package.json").version')"
ext_name="$(node -p 'require("./package.json").name')"
server_version="${KEEPALIVED_LS_VERSION:-$(git -C "$repo" describe --tags --always --dirty 2>/dev/null || echo "(devel)")}"

# 2. notices for what the .vsix ships: the bundled npm packages and the Go modules in the server
notices="$(mktemp)"
trap 'rm -f "$notices"' EXIT
{
  echo "Third-party software shipped in this extension"
  echo "=============================================="
  echo
  echo "out/extension.js bundles these npm packages:"
  npm ls --omit=dev --all --parseable 2>/dev/null | tail -n +2 | sort -u | while read -r dir; do
    name="$(node -p "const p=require('$dir/package.json'); p.name+'@'+p.version+' ('+(p.license||'see below')+')'")"
    echo
    echo "--- $name"
    lic="$(ls "$dir" | grep -iE '^(licen[cs]e|copying)' | head -1 || true)"
    [ -n "$lic" ] && cat "$dir/$lic"
  done
  echo
  echo "server/keepalived-ls is built from github.com/keepalived-ls/keepalived-ls (MIT, see LICENSE) with these Go modules:"
  (cd "$repo" && go list -deps -f '{{with .Module}}{{if not .Main}}{{.Path}}@{{.Version}} {{.Dir}}{{end}}{{end}}' ./cmd/keepalived-ls) \
    | sort -u | while read -r mod dir; do
      echo
      echo "--- $mod"
      lic="$(ls "$dir" 2>/dev/null | grep -iE '^(licen[cs]e|copying)' | head -1 || true)"
      [ -n "$lic" ] && cat "$dir/$lic"
    done
} > "$notices"
chmod 644 "$notices"

# 3. one .vsix per target, each packaged from its own staging directory
mkdir -p dist
vsce="$here/node_modules/.bin/vsce"
base="https://github.com/keepalived-ls/keepalived-ls"
for t in "${targets[@]}"; do
  read -r goos goarch < <(goos_goarch "$t")
  stage="$(mktemp -d)"
  cp -r README.md CHANGELOG.md LICENSE language-configuration.json syntaxes .vscodeignore "$stage/"
  # package.json with the rule ids of docs/rules/README.md as they are now
  node scripts/sync-rules.mjs --out "$stage/package.json" >/dev/null
  mkdir -p "$stage/out" "$stage/server"
  cp out/extension.js "$stage/out/"
  cp "$notices" "$stage/THIRD_PARTY_NOTICES.txt"
  target_flag=(--target "$t")
  if [ "$t" = universal ]; then
    rmdir "$stage/server"
    target_flag=()
  else
    exe=""; [ "$goos" = windows ] && exe=".exe"
    (cd "$repo" && CGO_ENABLED=0 GOOS="$goos" GOARCH="$goarch" go build -trimpath \
        -ldflags "-s -w -X main.version=$server_version" -o "$stage/server/keepalived-ls$exe" ./cmd/keepalived-ls)
  fi
  out="$here/dist/$ext_name-$t-$ext_version.vsix"
  (cd "$stage" && "$vsce" package --no-dependencies "${target_flag[@]}" \
      --baseContentUrl "$base/blob/HEAD/editors/vscode" --baseImagesUrl "$base/raw/HEAD/editors/vscode" \
      -o "$out" >/dev/null)
  rm -rf "$stage"
  echo "package.sh: $(basename "$out") $(( $(stat -c %s "$out") / 1024 )) KiB ($(ms) ms)" >&2
done
echo "package.sh: ${#targets[@]} package(s) in $here/dist (server $server_version)" >&2
