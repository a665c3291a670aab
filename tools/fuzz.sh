#!/usr/bin/env bash
# fuzz.sh: run every Go fuzz target of keepalived-ls for a bounded time.
#
# Usage: tools/fuzz.sh [SECONDS]
#
#   SECONDS   fuzzing time per target (default 20). With the default the whole
#             run takes about 3 minutes on 2 CPUs (7 targets, plus building
#             the instrumented test binaries and replaying the seed corpus).
#
# Environment: FUZZ_TARGETS restricts the run to some targets (a space
# separated list of names, e.g. "FuzzParse FuzzCheck"); FUZZ_PARALLEL sets
# the number of fuzzing workers (go test -parallel; default: GOMAXPROCS).
#
# The targets:
#
#   parser           FuzzLexer        decomment/tokenize of one physical line
#                    FuzzReader       definitions, @ID, ~SEQ/~LST, $NAME, includes;
#                                     Parse vs ParseStream
#                    FuzzParse        Parse never panics, keeps the text and positions
#                    FuzzIncremental  random edit scripts: Doc.Edit equals a full parse
#                    FuzzColumns      UTF-16/byte/rune column conversions
#   analysis         FuzzCheck        Check and CheckText agree; memoised re-checks
#   analysis/format  FuzzFormat       idempotent, meaning-preserving formatting
#
# Seeds come from the repository's configurations (testdata, examples) and,
# when ../shared is present (or KEEPALIVED_LS_SHARED points at it), from the
# 358 corpus configurations; without it the targets are seeded from the
# repository alone.
#
# Crashers: when a target fails, go test writes the failing input to
# PKG/testdata/fuzz/FuzzX/<hash> and this script exits non-zero, listing the
# new files. Commit them with the fix: a plain `go test ./...` replays every
# file of testdata/fuzz/FuzzX/ as a regression test (go test -run
# 'FuzzX/<hash>' ./PKG replays one). Inputs that are merely "interesting"
# (new coverage) stay in Go's cache ($(go env GOCACHE)/fuzz) and make later
# runs start from where this one stopped.
set -euo pipefail
cd "$(dirname "$0")/.."

secs=${1:-20}
case $secs in
'' | *[!0-9]*)
	echo "usage: $0 [SECONDS]" >&2
	exit 2
	;;
esac

# package and target, in the order they run.
all=(
	"./parser FuzzLexer"
	"./parser FuzzReader"
	"./parser FuzzParse"
	"./parser FuzzIncremental"
	"./parser FuzzColumns"
	"./analysis FuzzCheck"
	"./analysis/format FuzzFormat"
)

parallel=()
if [ -n "${FUZZ_PARALLEL:-}" ]; then
	parallel=(-parallel "$FUZZ_PARALLEL")
fi

# Every target of the packages must be in the list: a new fuzz target that
# nobody runs is a mistake.
for pkg in ./parser ./analysis ./analysis/format; do
	for name in $(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' "$pkg"/*_test.go); do
		found=no
		for entry in "${all[@]}"; do
			[ "$entry" = "$pkg $name" ] && found=yes
		done
		if [ $found = no ]; then
			echo "fuzz.sh: $pkg $name is not in the list of targets" >&2
			exit 2
		fi
	done
done

before=$(git ls-files --others --exclude-standard -- '*/testdata/fuzz/*' 'testdata/fuzz/*' | sort)
start=$SECONDS
failed=()
for entry in "${all[@]}"; do
	read -r pkg name <<<"$entry"
	if [ -n "${FUZZ_TARGETS:-}" ] && [[ " $FUZZ_TARGETS " != *" $name "* ]]; then
		continue
	fi
	t0=$SECONDS
	echo "=== $name ($pkg, ${secs}s)"
	if ! go test "${parallel[@]}" -run '^$' -fuzz "^${name}\$" -fuzztime "${secs}s" "$pkg" >"${TMPDIR:-/tmp}/fuzz-$name.log" 2>&1; then
		cat "${TMPDIR:-/tmp}/fuzz-$name.log"
		failed+=("$name")
	else
		tail -n 2 "${TMPDIR:-/tmp}/fuzz-$name.log" | grep -v '^PASS$' || true
	fi
	echo "--- $name: $((SECONDS - t0))s"
done
echo "fuzz.sh: $((SECONDS - start))s in all"

if [ ${#failed[@]} -gt 0 ]; then
	after=$(git ls-files --others --exclude-standard -- '*/testdata/fuzz/*' 'testdata/fuzz/*' | sort)
	echo "fuzz.sh: failing targets: ${failed[*]}" >&2
	echo "fuzz.sh: new crashers (replayed by go test; commit them with the fix):" >&2
	comm -13 <(echo "$before") <(echo "$after") | sed 's/^/  /' >&2
	exit 1
fi
