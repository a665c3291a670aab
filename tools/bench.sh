#!/usr/bin/env bash
# bench.sh: compare the speed and memory of `keepalived-ls check` with
# `keepalived -t` on generated configurations (internal/benchgen).
#
# Usage: tools/bench.sh [-r RUNS] [-w WARMUP] [-m RSS_RUNS] [-k DIR]
#
#   -r RUNS      timed runs per command and file (default 10)
#   -w WARMUP    untimed warm-up runs (default 2)
#   -m RSS_RUNS  runs under /usr/bin/time for peak RSS; the median is shown (default 3)
#   -k DIR       keep the results (hyperfine JSON, report.md) in DIR
#
# Environment: TARGET_VERSION overrides the --target-version given to
# keepalived-ls (default: the version of the installed keepalived);
# BENCH_NO_HYPERFINE=1 forces the /usr/bin/time fallback.
#
# Needs go, keepalived and GNU time (/usr/bin/time); uses hyperfine when it
# is installed and falls back to repeated /usr/bin/time runs otherwise.
# keepalived -t runs as the current user; it needs no root to parse a file.
# On a machine without the generated interfaces (eth1..eth3) or the
# referenced scripts keepalived -t reports that and exits non-zero; the
# timings still cover reading and checking the whole file.
set -euo pipefail

runs=10
warmup=2
rss_runs=3
keep=""
while getopts "r:w:m:k:h" opt; do
	case $opt in
	r) runs=$OPTARG ;;
	w) warmup=$OPTARG ;;
	m) rss_runs=$OPTARG ;;
	k) keep=$OPTARG ;;
	h)
		sed -n "2,21p" "$0" | sed 's/^# \{0,1\}//'
		exit 0
		;;
	*) exit 2 ;;
	esac
done
for n in "$runs" "$warmup" "$rss_runs"; do
	if ! [[ $n =~ ^[0-9]+$ ]]; then
		echo "bench.sh: counts must be whole numbers" >&2
		exit 2
	fi
done
if ((runs < 2 || rss_runs < 1)); then
	echo "bench.sh: need at least 2 runs and 1 RSS run" >&2
	exit 2
fi

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

# --- tools -----------------------------------------------------------------
missing=()
command -v go >/dev/null 2>&1 || missing+=("go: Go toolchain (https://go.dev/dl/)")
keepalived=$(command -v keepalived 2>/dev/null || true)
if [[ -z $keepalived ]]; then
	for p in /usr/sbin/keepalived /sbin/keepalived /usr/local/sbin/keepalived; do
		[[ -x $p ]] && keepalived=$p && break
	done
fi
[[ -n $keepalived ]] || missing+=("keepalived: apt-get install keepalived (or dnf install keepalived)")
gnutime=/usr/bin/time
if ! [[ -x $gnutime ]] || ! "$gnutime" -f %M true >/dev/null 2>&1; then
	missing+=("GNU time at /usr/bin/time: apt-get install time (or dnf install time)")
fi
command -v awk >/dev/null 2>&1 || missing+=("awk: apt-get install gawk")
if ((${#missing[@]})); then
	echo "bench.sh: missing tools:" >&2
	printf '  - %s\n' "${missing[@]}" >&2
	exit 1
fi
hyperfine=$(command -v hyperfine 2>/dev/null || true)
[[ -n ${BENCH_NO_HYPERFINE:-} ]] && hyperfine=""
if [[ -z $hyperfine ]]; then
	echo "bench.sh: hyperfine not found (apt-get install hyperfine); using repeated /usr/bin/time runs" >&2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kls-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

kver=$("$keepalived" -v 2>&1 | head -n1 || true)
target=${TARGET_VERSION:-$(sed -n 's/^Keepalived v\([0-9][0-9.]*\).*/\1/p' <<<"$kver")}
target=${target:-2.2.7}

# --- build and generate ----------------------------------------------------
echo "building keepalived-ls and benchgen..." >&2
go build -o "$tmp/keepalived-ls" ./cmd/keepalived-ls
go build -o "$tmp/benchgen" ./cmd/benchgen
kls=$tmp/keepalived-ls

"$tmp/benchgen" -instances 200 -virtual-servers 5000 -real-servers 4 -o "$tmp/large.conf"
"$tmp/benchgen" -instances 1 -virtual-servers 25 -real-servers 4 -o "$tmp/small.conf"
files=(large small)

# --- measure ---------------------------------------------------------------
# mean and sample standard deviation (seconds) of the numbers on stdin.
stats() {
	awk '{ s += $1; q += $1 * $1; n++ }
	     END { m = s / n; v = n > 1 ? (q - n * m * m) / (n - 1) : 0; if (v < 0) v = 0
	           printf "%.6f %.6f\n", m, sqrt(v) }'
}
# median of the numbers on stdin.
median() {
	sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# time_cmd NAME FILE -- CMD...: prints "MEAN STDDEV" in seconds.
time_cmd() {
	local name=$1 file=$2
	shift 3
	if [[ -n $hyperfine ]]; then
		"$hyperfine" -N -i --style none --runs "$runs" --warmup "$warmup" \
			--export-json "$tmp/$file-$name.json" --export-csv "$tmp/$file-$name.csv" \
			-n "$name" "$(printf '%q ' "$@")" >/dev/null
		# command,mean,stddev,median,user,system,min,max
		awk -F, 'NR == 2 { printf "%.6f %.6f\n", $2, $3 }' "$tmp/$file-$name.csv"
	else
		local i t0 t1
		for ((i = 0; i < warmup; i++)); do "$@" >/dev/null 2>&1 || true; done
		for ((i = 0; i < runs; i++)); do
			t0=$(date +%s%N)
			"$gnutime" -f '%e %M' -o "$tmp/time.out" "$@" >/dev/null 2>&1 || true
			t1=$(date +%s%N)
			echo "$(((t1 - t0) / 1000)) $(tail -n1 "$tmp/time.out")" >>"$tmp/$file-$name.runs"
			echo "$(((t1 - t0) / 1000))"
		done | awk '{ printf "%.6f\n", $1 / 1e6 }' | stats
	fi
}

# rss_cmd CMD...: median peak RSS in KiB.
rss_cmd() {
	local i
	for ((i = 0; i < rss_runs; i++)); do
		"$gnutime" -f '%M' -o "$tmp/rss.out" "$@" >/dev/null 2>&1 || true
		tail -n1 "$tmp/rss.out"
	done | median
}

declare -A mean sd rss status notes lines bytes
for f in "${files[@]}"; do
	conf=$tmp/$f.conf
	lines[$f]=$(wc -l <"$conf")
	bytes[$f]=$(wc -c <"$conf")
	kls_cmd=("$kls" check --target-version "$target" "$conf")
	ka_cmd=("$keepalived" -t -n -l -f "$conf")

	# One plain run of each to record what it reports.
	set +e
	"${kls_cmd[@]}" >"$tmp/$f-kls.out" 2>&1
	status[$f,kls]=$?
	"${ka_cmd[@]}" >"$tmp/$f-ka.out" 2>&1
	status[$f,ka]=$?
	set -e
	notes[$f,kls]="$(grep -c ': error: ' "$tmp/$f-kls.out" || true) errors, $(grep -c ': warning: ' "$tmp/$f-kls.out" || true) warnings"
	notes[$f,ka]="$(grep -c . "$tmp/$f-ka.out" || true) messages"

	echo "timing $f.conf (${lines[$f]} lines)..." >&2
	read -r mean[$f,kls] sd[$f,kls] < <(time_cmd keepalived-ls "$f" -- "${kls_cmd[@]}")
	read -r mean[$f,ka] sd[$f,ka] < <(time_cmd keepalived "$f" -- "${ka_cmd[@]}")
	rss[$f,kls]=$(rss_cmd "${kls_cmd[@]}")
	rss[$f,ka]=$(rss_cmd "${ka_cmd[@]}")
done

# --- report ----------------------------------------------------------------
ms() { awk -v m="$1" -v s="$2" 'BEGIN { printf "%.1f ± %.1f ms", m * 1000, s * 1000 }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'; }

cpu=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo 2>/dev/null | head -n1)
os=$(sed -n 's/^PRETTY_NAME="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' /etc/os-release 2>/dev/null | head -n1)
{
	echo "## keepalived-ls check vs keepalived -t"
	echo
	echo "| File | Lines | Size | keepalived-ls check | keepalived -t | Ratio (keepalived / keepalived-ls) | keepalived-ls peak RSS | keepalived peak RSS |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|"
	for f in "${files[@]}"; do
		ratio=$(awk -v a="${mean[$f,ka]}" -v b="${mean[$f,kls]}" 'BEGIN { printf "%.2f×", a / b }')
		size=$(awk -v b="${bytes[$f]}" 'BEGIN { printf (b >= 1e6 ? "%.2f MB" : "%.1f kB"), (b >= 1e6 ? b / 1e6 : b / 1e3) }')
		echo "| $f.conf | ${lines[$f]} | $size | $(ms "${mean[$f,kls]}" "${sd[$f,kls]}") | $(ms "${mean[$f,ka]}" "${sd[$f,ka]}") | $ratio | $(mib "${rss[$f,kls]}") | $(mib "${rss[$f,ka]}") |"
	done
	echo
	echo "Times are the mean ± standard deviation of $runs runs after $warmup warm-up run(s) ($([[ -n $hyperfine ]] && echo "hyperfine -N" || echo "date + /usr/bin/time")); peak RSS is the median of $rss_runs run(s) of /usr/bin/time -f %M."
	echo "A ratio above 1 means keepalived-ls is faster."
	echo
	echo "Exit status and output of one run:"
	echo
	for f in "${files[@]}"; do
		echo "- $f.conf: keepalived-ls exit ${status[$f,kls]} (${notes[$f,kls]}); keepalived -t exit ${status[$f,ka]} (${notes[$f,ka]})"
	done
	echo
	echo "Machine and tools:"
	echo
	echo "- CPU: ${cpu:-unknown} ($(nproc) CPUs)"
	echo "- Kernel: $(uname -srm)${os:+; OS: $os}"
	echo "- $("$kls" version 2>/dev/null | head -n1 || echo "keepalived-ls (version unknown)"), --target-version $target; $(go version)"
	echo "- ${kver:-keepalived (version unknown)} ($keepalived)"
	[[ -n $hyperfine ]] && echo "- $("$hyperfine" --version)"
	echo "- $("$gnutime" --version 2>&1 | head -n1)"
} | tee "$tmp/report.md"

# --- language server -------------------------------------------------------
echo "measuring the language server..." >&2
{
	echo
	echo "## Language server"
	echo
	echo "In-process server (debounce 0) on generated files of growing size (internal/lspbench):"
	echo "200 one-character edits typed into a line in the middle of the file, each waited for until"
	echo "the diagnostics of that version arrive; then 200 hover, 200 completion and 200 definition"
	echo "(track_script names) requests spread over the file, and 5 formattings of the whole file."
	echo "Then resident memory of the real binary before and after opening a file."
	echo
	KEEPALIVED_LS_BENCH=1 go test ./internal/lspbench -run 'TestKeystrokeLatency|TestMemoryAfterOpen' -count=1 -v 2>&1 |
		sed -n 's/^ *lspbench_test.go:[0-9]*: //p' | awk '/^\| Lines \| Size/ { print "" } { print }'
	echo
	echo "## Go benchmarks"
	echo
	echo '```'
	go test ./internal/benchgen ./analysis/format -run '^$' -bench . -benchmem 2>&1 | grep -E '^Benchmark'
	# What an editor asks after edits: semantic tokens as a delta, the outline.
	go test ./server -run '^$' -bench 'SemanticTokensDelta|DocumentSymbolLarge' -benchtime 20x -benchmem 2>&1 | grep -E '^Benchmark'
	echo '```'
} | tee -a "$tmp/report.md"

if [[ -n $keep ]]; then
	mkdir -p "$keep"
	cp "$tmp"/report.md "$keep"/
	cp "$tmp"/*.json "$keep"/ 2>/dev/null || true
	cp "$tmp"/*.runs "$keep"/ 2>/dev/null || true
	cp "$tmp"/*-kls.out "$tmp"/*-ka.out "$keep"/
	echo "results kept in $keep" >&2
fi
