#!/usr/bin/env bash
# Tests the Neovim and Emacs integrations (editors/nvim, editors/emacs) in the
# real editors, headless, against a keepalived-ls built from this checkout:
#
#   editors/test-nvim-emacs.sh
#
# Steps (each bounded by a timeout; any failure makes the exit status non-zero):
#   build            go build -o TMP/keepalived-ls ./cmd/keepalived-ls
#   nvim-unit        filetype detection, ftplugin, syntax, indentation, LSP config defaults
#   nvim-e2e         setup() + the server: exact diagnostic, hover, quick fix, formatting
#   nvim-e2e-guard   the same e2e with the rule turned off by a .keepalived-ls.toml must FAIL
#                    (the e2e cannot pass without the server's real answers)
#   emacs-compile    byte-compile keepalived-mode.el with byte-compile-error-on-warn
#   emacs-ert        ERT tests of keepalived-mode (loading the compiled file)
#   emacs-e2e        eglot + the server: flymake diagnostic, eldoc hover, code action, formatting
#   emacs-e2e-guard  as nvim-e2e-guard, for the eglot e2e
#   emacs-lsp-mode   the lsp-mode client registration of editors/emacs/README.md against the
#                    server (skipped when lsp-mode is not installed: apt-get install elpa-lsp-mode)
#
# Needs Go, Neovim 0.7+, Emacs 28+ and eglot (Debian: apt-get install -y neovim emacs-nox
# elpa-eglot). When one is missing: with CI=true the script fails; otherwise it says what to
# install, runs the rest and exits 0 unless something that ran failed.
# Env: EDITOR_TEST_TIMEOUT (seconds per editor run, default 120), EDITOR_TEST_WAIT (seconds each
# check waits for the server, default 20: a passing run does not wait that long, it only gives a
# loaded machine time; the guards use 1.5), KEEP_TMP=1 (keep the scratch directory: the server
# binary, the edited files, Neovim's lsp.log).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
nvim_dir="$here/nvim"
emacs_dir="$here/emacs"
limit="${EDITOR_TEST_TIMEOUT:-120}"
wait_s="${EDITOR_TEST_WAIT:-20}"
ci="${CI:-}"
export PATH="$PATH:/usr/local/go/bin"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/keepalived-editors.XXXXXX")"
cleanup() { if [ "${KEEP_TMP:-}" = 1 ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi; }
trap cleanup EXIT

t_start=$(date +%s%N)
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
results=()
failed=0

# run NAME CMD...: runs one step with its output shown, records PASS/FAIL/SKIP (exit 77)
# and the time.
run() {
  local name="$1"; shift
  local t0 rc=0
  t0=$(date +%s%N)
  echo "=== $name"
  "$@" || rc=$?
  if [ "$rc" -eq 0 ]; then
    results+=("$(printf '%-16s PASS %7d ms' "$name" "$(ms_since "$t0")")")
  elif [ "$rc" -eq 77 ]; then
    results+=("$(printf '%-16s SKIP %7d ms' "$name" "$(ms_since "$t0")")")
  else
    results+=("$(printf '%-16s FAIL %7d ms (exit %d)' "$name" "$(ms_since "$t0")" "$rc")")
    failed=$((failed + 1))
  fi
}

# expect_fail CMD...: a guard step; passes only if CMD fails by its own checks (exit 1 or
# 2), not by success, a hang (timeout: 124) or a signal.
expect_fail() {
  local rc=0
  "$@" || rc=$?
  case "$rc" in
    1|2) echo "(as expected: exit $rc)"; return 0 ;;
    0) echo "GUARD FAILED: the test passed although the server did not report the problem" >&2; return 1 ;;
    *) echo "GUARD FAILED: exit $rc (timeout or crash), expected a clean failure" >&2; return 1 ;;
  esac
}

# --- what is installed ---------------------------------------------------------
missing=()
have_nvim=0 have_emacs=0 have_eglot=0
if command -v nvim >/dev/null 2>&1 &&
   timeout 20 nvim --headless -u NONE -i NONE -n \
     +'lua if vim.fn.has("nvim-0.7") == 0 then vim.cmd("cquit 1") end' +'qall!' </dev/null >/dev/null 2>&1; then
  have_nvim=1
else
  missing+=("neovim (0.7 or later)")
fi
# Emacs's -Q skips site-lisp, so package.el is pointed at Debian's elpa directory
# (elpa-eglot) before eglot is looked for; a newer Emacs has eglot built in.
elpa_init='(progn (require (quote package))
  (add-to-list (quote package-directory-list) "/usr/share/emacs/site-lisp/elpa")
  (setq package-user-dir (expand-file-name "elpa" (getenv "HOME")))
  (package-initialize))'
mkdir -p "$tmp/home"
if command -v emacs >/dev/null 2>&1 &&
   HOME="$tmp/home" timeout 30 emacs -Q --batch \
     --eval '(unless (version<= "28" emacs-version) (kill-emacs 1))' </dev/null >/dev/null 2>&1; then
  have_emacs=1
  if HOME="$tmp/home" timeout 30 emacs -Q --batch --eval "$elpa_init" \
       --eval '(require (quote eglot))' </dev/null >/dev/null 2>&1; then
    have_eglot=1
  else
    missing+=("eglot")
  fi
else
  missing+=("emacs (28 or later)" "eglot")
fi
if [ "${#missing[@]}" -gt 0 ]; then
  msg="missing: $(IFS=,; echo "${missing[*]}" | sed 's/,/, /g'). Install with: apt-get install -y neovim emacs-nox elpa-eglot"
  if [ "$ci" = true ]; then
    echo "FAIL: $msg" >&2
    exit 1
  fi
  if [ "$have_nvim" = 0 ] && [ "$have_emacs" = 0 ]; then
    echo "SKIP: $msg" >&2
    exit 0
  fi
  echo "SKIP (partly): $msg" >&2
fi

# --- the server --------------------------------------------------------------
server="$tmp/bin/keepalived-ls"
build() { (cd "$root" && go build -o "$server" ./cmd/keepalived-ls) && "$server" version; }
run build build
if [ ! -x "$server" ]; then
  echo "FAIL: could not build the server" >&2
  printf '%s\n' "${results[@]}"
  exit 1
fi

# --- Neovim ----------------------------------------------------------------------
nvim_run() { # nvim_run NAME LUAFILE [ENV=VALUE...]: headless Neovim, no user config
  local name="$1" script="$2"; shift 2
  local home="$tmp/nvim-$name"
  mkdir -p "$home"
  env XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" XDG_STATE_HOME="$home/state" \
    XDG_CACHE_HOME="$home/cache" NVIM_PLUGIN_DIR="$nvim_dir" "$@" \
    timeout -k 5 "$limit" nvim --headless -u NONE -i NONE -n \
    --cmd "set rtp^=$nvim_dir" -c "luafile $script" </dev/null
}
if [ "$have_nvim" = 1 ]; then
  run nvim-unit nvim_run unit "$nvim_dir/test/unit.lua" TEST_TMP="$tmp/nvim-unit/files"
  run nvim-e2e nvim_run e2e "$nvim_dir/test/e2e.lua" LSP_SERVER="$server" TEST_DIR="$tmp/nvim-e2e/files" \
    LSP_TIMEOUT_MS="$((wait_s * 1000))"
  mkdir -p "$tmp/nvim-guard/files"
  printf '[rules]\nduplicate-real-server = "off"\n' >"$tmp/nvim-guard/files/.keepalived-ls.toml"
  run nvim-e2e-guard expect_fail nvim_run guard "$nvim_dir/test/e2e.lua" \
    LSP_SERVER="$server" TEST_DIR="$tmp/nvim-guard/files" LSP_TIMEOUT_MS=1500
fi

# --- Emacs -------------------------------------------------------------------------
emacs_run() { # emacs_run ARGS...: batch Emacs, no init file, private HOME
  HOME="$tmp/home" timeout -k 5 "$limit" emacs -Q --batch "$@" </dev/null
}
emacs_test() { # emacs_test SCRIPT DIR [VAR=VALUE...]: an end-to-end test against the server
  local script="$1" dir="$2"; shift 2
  env LSP_SERVER="$server" TEST_DIR="$dir" HOME="$tmp/home" LSP_TIMEOUT="$wait_s" "$@" \
    timeout -k 5 "$limit" emacs -Q --batch -l "$script" </dev/null
}
compile() {
  mkdir -p "$tmp/elc"
  cp "$emacs_dir/keepalived-mode.el" "$tmp/elc/"
  emacs_run --eval '(setq byte-compile-error-on-warn t)' -f batch-byte-compile "$tmp/elc/keepalived-mode.el" &&
    [ -f "$tmp/elc/keepalived-mode.elc" ]
}
if [ "$have_emacs" = 1 ]; then
  run emacs-compile compile
  # load-path starts with the -L directories in order: the compiled copy comes first.
  run emacs-ert emacs_run -L "$tmp/elc" -L "$emacs_dir" -l "$emacs_dir/keepalived-mode-tests.el" \
    -f ert-run-tests-batch-and-exit
  if [ "$have_eglot" = 1 ]; then
    run emacs-e2e emacs_test "$emacs_dir/test/eglot-e2e.el" "$tmp/emacs-e2e/files"
    mkdir -p "$tmp/emacs-guard/files"
    printf '[rules]\nduplicate-real-server = "off"\n' >"$tmp/emacs-guard/files/.keepalived-ls.toml"
    run emacs-e2e-guard expect_fail emacs_test "$emacs_dir/test/eglot-e2e.el" "$tmp/emacs-guard/files" \
      LSP_TIMEOUT=1.5
  fi
  lsp_mode() { # exit 3 from the test: lsp-mode is not installed
    local rc=0
    emacs_test "$emacs_dir/test/lsp-mode-e2e.el" "$tmp/emacs-lsp-mode/files" || rc=$?
    if [ "$rc" -eq 3 ]; then
      echo "lsp-mode is not installed (apt-get install -y elpa-lsp-mode); skipped"
      return 77
    fi
    return "$rc"
  }
  run emacs-lsp-mode lsp_mode
fi

# --- summary -------------------------------------------------------------------------
echo "==="
printf '%s\n' "${results[@]}"
[ "${#missing[@]}" -eq 0 ] || echo "skipped: ${missing[*]}"
echo "total $(ms_since "$t_start") ms, $failed failed"
[ "$failed" -eq 0 ]
