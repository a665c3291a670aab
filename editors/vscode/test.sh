#!/usr/bin/env bash
# Tests the VS Code extension: unit tests (grammar, folding, server lookup,
# manifest), packaging (.vsix per platform with the cross-compiled server),
# and an end-to-end run of the linux .vsix in the real VS Code workbench
# (code-server 4.100.3 = VS Code 1.100.3) driven by headless Chromium.
#
#   editors/vscode/test.sh
#
# Installs what it needs: npm packages (npm ci), code-server (cached in
# $KEEPALIVED_VSCODE_CACHE, default ~/.cache/keepalived-ls-vscode), and, as
# root with apt-get, the Debian packages chromium, ripgrep and the compilers
# for code-server's native modules. With CI=true anything missing is a
# failure; otherwise the test is skipped with a message.
#
# Environment:
#   VSCODE_TEST_TARGETS   targets to package (default: all five; the e2e run uses the host's)
#   KEEPALIVED_LS_SRC     Go module to build the server from (default: this repository)
#   CHROMIUM              browser binary (default: /usr/bin/chromium)
#   E2E_KEEP=1            keep the e2e run's temporary directory
#   E2E_SCREENSHOTS       where the screenshots go (default: editors/vscode/screenshots)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
t_start=$(date +%s%N)
ms() { echo $(( ($(date +%s%N) - t_start) / 1000000 )); }
say() { echo "vscode test [$(ms) ms]: $*" >&2; }
ci=false; case "${CI:-}" in true|1|yes) ci=true ;; esac
cache="${KEEPALIVED_VSCODE_CACHE:-$HOME/.cache/keepalived-ls-vscode}"
cs_version=4.100.3
cs_dir="$cache/code-server-$cs_version"
cs="$cs_dir/node_modules/.bin/code-server"
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
mkdir -p "$cache"

missing_exit() {
  if $ci; then echo "vscode test: FAIL: $* (CI=true: nothing may be missing)" >&2; exit 1; fi
  echo "vscode test: SKIP: $*" >&2; exit 0
}

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) host_target=linux-x64 ;;
  Linux-aarch64) host_target=linux-arm64 ;;
  *) missing_exit "the end-to-end test runs on Linux x64 or arm64 only (this is $(uname -s)-$(uname -m))" ;;
esac

# 1. tools. code-server's install needs compilers, ripgrep and Node.js 20.
code_server_cached=false
[ -x "$cs" ] && [ -e "$cs_dir/node_modules/code-server/lib/vscode/node_modules.asar" ] && code_server_cached=true
missing=()
apt_pkgs=()
have() { command -v "$1" >/dev/null 2>&1; }
for t in go node npm python3; do have "$t" || missing+=("$t"); done
[ -x "$CHROMIUM" ] || { missing+=("chromium ($CHROMIUM)"); apt_pkgs+=(chromium); }
if ! $code_server_cached; then
  have rg || { missing+=(rg); apt_pkgs+=(ripgrep); }
  { have g++ && have make; } || { missing+=("g++/make"); apt_pkgs+=(build-essential); }
  have pkg-config || { missing+=(pkg-config); apt_pkgs+=(pkg-config); }
  [ -e /usr/include/gssapi/gssapi.h ] || { missing+=("libkrb5-dev"); apt_pkgs+=(libkrb5-dev); }
fi
if [ ${#apt_pkgs[@]} -gt 0 ] && [ "$(id -u)" = 0 ] && have apt-get; then
  say "installing Debian packages: ${apt_pkgs[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -q "${apt_pkgs[@]}" >/dev/null 2>&1; then
    apt-get update -q >/dev/null 2>&1 || true
    apt-get install -y -q "${apt_pkgs[@]}" >/dev/null || true
  fi
  missing=()
  for t in go node npm python3; do have "$t" || missing+=("$t"); done
  [ -x "$CHROMIUM" ] || missing+=("chromium ($CHROMIUM)")
  if ! $code_server_cached; then
    have rg || missing+=(rg)
    { have g++ && have make; } || missing+=("g++/make")
    have pkg-config || missing+=(pkg-config)
    [ -e /usr/include/gssapi/gssapi.h ] || missing+=("libkrb5-dev")
  fi
fi
[ ${#missing[@]} -eq 0 ] || missing_exit "missing: ${missing[*]}"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if ! $code_server_cached && [ "$node_major" != 20 ]; then
  missing_exit "code-server $cs_version installs only with Node.js 20 (this is $(node --version))"
fi

# 2. npm packages
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "npm ci"
  npm ci --no-audit --no-fund --loglevel=error || { echo "vscode test: FAIL: npm ci" >&2; exit 1; }
fi

# 3. unit tests
say "unit tests"
# (packages always get the current rule list; this only keeps package.json tidy)
# The rule settings in package.json are generated from docs/rules; drift
# means users cannot configure the newer rules from the Settings UI.
if ! node scripts/sync-rules.mjs --check; then
	[ "${CI:-}" = true ] && { echo "vscode test: package.json rules are stale; run 'npm run rules:sync' in editors/vscode" >&2; exit 1; }
	echo "vscode test: WARNING: run 'npm run rules:sync' in editors/vscode" >&2
fi
node --test --test-reporter=dot test/unit.test.mjs || { echo "vscode test: FAIL: unit tests (node --test test/unit.test.mjs)" >&2; exit 1; }

# 4. packages: one .vsix per target, then a look inside each
read -r -a targets <<< "${VSCODE_TEST_TARGETS:-linux-x64 linux-arm64 darwin-x64 darwin-arm64 win32-x64}"
case " ${targets[*]} " in *" $host_target "*) ;; *) targets+=("$host_target") ;; esac
say "packaging ${targets[*]}"
SKIP_NPM_CI=1 ./package.sh "${targets[@]}" || { echo "vscode test: FAIL: package.sh" >&2; exit 1; }
version="$(node -p 'require("./package.json").version')"
for t in "${targets[@]}"; do
  python3 - "dist/keepalived-ls-$t-$version.vsix" "$t" <<'PY' || { echo "vscode test: FAIL: bad package for $t" >&2; exit 1; }
import sys, zipfile
path, target = sys.argv[1], sys.argv[2]
z = zipfile.ZipFile(path)
names = set(z.namelist())
exe = 'extension/server/keepalived-ls' + ('.exe' if target.startswith('win32') else '')
need = {'extension/package.json', 'extension/out/extension.js', 'extension/syntaxes/keepalived.tmLanguage.json',
        'extension/language-configuration.json', 'extension/THIRD_PARTY_NOTICES.txt', exe}
if need - names: sys.exit(f'{path}: missing {sorted(need - names)}')
if any(n.startswith('extension/node_modules/') or n.startswith('extension/src/') for n in names):
    sys.exit(f'{path}: ships node_modules or sources')
if f'TargetPlatform="{target}"' not in z.read('extension.vsixmanifest').decode():
    sys.exit(f'{path}: manifest is not for {target}')
head = z.open(exe).read(20)
magic = {'linux': b'\x7fELF', 'darwin': b'\xcf\xfa\xed\xfe', 'win32': b'MZ'}[target.split('-')[0]]
if not head.startswith(magic): sys.exit(f'{path}: {exe} is not a {target} executable')
if target.split('-')[0] == 'linux':
    machine = int.from_bytes(head[18:20], 'little')
    if machine != {'x64': 62, 'arm64': 183}[target.split('-')[1]]: sys.exit(f'{path}: wrong ELF machine {machine}')
if not target.startswith('win32') and not (z.getinfo(exe).external_attr >> 16) & 0o111:
    sys.exit(f'{path}: {exe} is not executable')
PY
done
say "packages checked"

# 5. code-server
if ! $code_server_cached; then
  say "installing code-server $cs_version into $cs_dir"
  scripts/install-code-server.sh "$cs_dir" || { echo "vscode test: FAIL: code-server install" >&2; exit 1; }
fi

# 6. end to end in the workbench
say "end-to-end test in code-server + headless Chromium"
rc=0
node test/e2e.mjs --vsix "dist/keepalived-ls-$host_target-$version.vsix" --code-server "$cs" --chromium "$CHROMIUM" || rc=$?
if [ "$rc" -ne 0 ]; then
  echo "vscode test: FAIL: end-to-end test (exit $rc), $(ms) ms" >&2
  exit 1
fi
say "all passed"
