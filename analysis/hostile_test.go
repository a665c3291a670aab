package analysis_test

// Hostile configurations through the API the command line uses
// (Checker.CheckText, and Check on a parsed document as the language
// server does): each gives a clear diagnostic and finishes in bounded time
// and memory. docs/limits.md lists the limits and these measurements.

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/keepalived-ls/keepalived-ls/analysis"
	"github.com/keepalived-ls/keepalived-ls/analysis/format"
	"github.com/keepalived-ls/keepalived-ls/internal/benchgen"
	"github.com/keepalived-ls/keepalived-ls/internal/testenv"
	"github.com/keepalived-ls/keepalived-ls/parser"
)

// raceEnabled is set by race_test.go under the race detector.
var raceEnabled bool

// hostileLimit is the time every hostile case must finish in; they take
// well under a few seconds, the margin is for -race and busy machines.
const hostileLimit = 120 * time.Second

// render is "LINE:COL SEVERITY MESSAGE [RULE]" (1-based line, byte column),
// with "FILE:" before it for diagnostics of included files.
func render(d parser.Diagnostic) string {
	s := fmt.Sprintf("%d:%d %s %s [%s]", d.Span.Start.Line+1, d.Span.Start.Col+1, d.Severity, d.Message, d.Rule)
	if d.Src != nil {
		s = filepath.Base(d.Src.Path) + ":" + s
	}
	return s
}

// checkText checks text with CheckText as `keepalived-ls check` does, and
// with Check(Parse(...)) as the language server does; both must agree.
func checkText(t *testing.T, path string, text []byte) []string {
	t.Helper()
	var streamed, full []parser.Diagnostic
	el := testenv.Within(t, hostileLimit, func() {
		streamed = analysis.NewChecker(analysis.Config{}).CheckText(path, text, parser.Options{})
		full = analysis.Check(parser.Parse(path, text, parser.Options{}), analysis.Config{})
	})
	var out []string
	for _, d := range streamed {
		out = append(out, render(d))
	}
	var other []string
	for _, d := range full {
		other = append(other, render(d))
	}
	if !slices.Equal(out, other) {
		t.Errorf("CheckText and Check(Parse(...)) differ: %d and %d diagnostics", len(out), len(other))
	}
	t.Logf("%d bytes: %d diagnostics in %v", len(text), len(out), el)
	return out
}

// want fails unless every wanted diagnostic is there.
func want(t *testing.T, got []string, wanted ...string) {
	t.Helper()
	for _, w := range wanted {
		if !slices.Contains(got, w) {
			t.Errorf("missing %q; got %d:\n  %s", w, len(got), strings.Join(got[:min(len(got), 15)], "\n  "))
		}
	}
}

func TestHostileCheckIncludeCycle(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{
		"keepalived.conf": "global_defs {\n  router_id a\n}\ninclude vrrp.conf\n",
		"vrrp.conf":       "include keepalived.conf\ninclude vrrp.conf\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, "keepalived.conf")
	text, _ := os.ReadFile(path)
	got := checkText(t, path, text)
	want(t, got,
		"vrrp.conf:1:9 error include cycle: keepalived.conf → vrrp.conf → keepalived.conf (keepalived would loop until it runs out of file handles) [include-cycle]",
		"vrrp.conf:2:9 error include cycle: vrrp.conf → vrrp.conf (keepalived would loop until it runs out of file handles) [include-cycle]")
}

// TestHostileDeepNesting: 10,000 levels of '{' (bare, and after known and
// unknown block keywords), checked and formatted.
func TestHostileDeepNesting(t *testing.T) {
	const n = 10000
	cases := map[string]struct {
		text  string
		first string
	}{
		"bare braces": {strings.Repeat("{\n", n) + strings.Repeat("}\n", n),
			"1:1 error unexpected '{': no block keyword comes before it, so keepalived ignores it [unbalanced-braces]"},
		"braces on one line": {strings.Repeat("{", n) + strings.Repeat("}", n) + "\n",
			"1:1023 error line is 20000 characters long; keepalived reads at most 1022 (2.4 and later drop the line, older releases split it) [line-too-long]"},
		"unknown blocks": {strings.Repeat("block {\n", n) + strings.Repeat("}\n", n),
			"1:1 error unknown keyword 'block' at the top level [unknown-keyword]"},
		"blocks never closed": {"virtual_server 10.0.0.1 80 {\n" + strings.Repeat("real_server 10.0.0.2 80 {\nHTTP_GET {\nurl {\n", n/3),
			"1:1 error 'virtual_server' is never closed: a '}' is missing [unbalanced-braces]"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			got := checkText(t, "/etc/keepalived/keepalived.conf", []byte(c.text))
			want(t, got, c.first)
			var out []byte
			el := testenv.Within(t, hostileLimit, func() { out = format.Format([]byte(c.text), format.Options{}) })
			t.Logf("formatted in %v", el)
			if again := format.Format(out, format.Options{}); !bytes.Equal(again, out) {
				t.Errorf("formatting is not idempotent")
			}
		})
	}
}

// TestHostileLongLine: lines of several megabytes.
func TestHostileLongLine(t *testing.T) {
	word := strings.Repeat("x", 4<<20)
	got := checkText(t, "/etc/keepalived/keepalived.conf", []byte("global_defs {\n  router_id "+word+"\n}\n"+word+"\n"))
	want(t, got,
		fmt.Sprintf("2:1023 error line is %d characters long; keepalived reads at most 1022 (2.4 and later drop the line, older releases split it) [line-too-long]", len(word)+12),
		fmt.Sprintf("4:1023 error line is %d characters long; keepalived reads at most 1022 (2.4 and later drop the line, older releases split it) [line-too-long]", len(word)))
	braces := strings.Repeat("a { ", 1<<20)
	got = checkText(t, "/etc/keepalived/keepalived.conf", []byte(braces+"\n"))
	// "a { " splits twice: 2048 pieces end at column 4096.
	want(t, got, "1:4097 error this line has more than 2048 braces; keepalived-ls reads no further [line-too-long]")
	if len(got) > 10000 {
		t.Errorf("%d diagnostics for one line", len(got))
	}
}

// TestHostileBinary: NUL bytes and invalid UTF-8.
func TestHostileBinary(t *testing.T) {
	var sb strings.Builder
	sb.WriteString("global_defs {\n")
	for i := 0; i < 12; i++ {
		sb.WriteString("  router_id a\x00b\n")
	}
	sb.WriteString("}\n")
	got := checkText(t, "/etc/keepalived/keepalived.conf", []byte(sb.String()))
	want(t, got,
		"2:14 error this line contains a NUL byte: it is not text, and keepalived ignores the line [binary-content]",
		"11:14 error this line contains a NUL byte: it is not text, and keepalived ignores the line [binary-content]",
		"12:14 error more lines contain NUL bytes; the file looks binary (further lines not reported) [binary-content]")
	if len(got) != 11 {
		t.Errorf("%d diagnostics, want 11:\n%s", len(got), strings.Join(got, "\n"))
	}

	// Invalid UTF-8: keepalived reads bytes, so a value may hold any; an
	// unknown keyword is reported with its bytes (the JSON output and the
	// language server turn them into U+FFFD).
	got = checkText(t, "/etc/keepalived/keepalived.conf", []byte("global_defs {\n  router_id \xff\xfe\n  \xc3\x28 1\n}\n\xe6\x97 {\n}\n"))
	want(t, got,
		"3:3 error unknown keyword '\xc3(' in 'global_defs' [unknown-keyword]",
		"5:1 error unknown keyword '\xe6\x97' at the top level [unknown-keyword]",
		"6:1 error unexpected '}': no block is open here [unbalanced-braces]")
	if len(got) != 4 {
		t.Errorf("%d diagnostics, want 4 (router_id takes any bytes):\n%s", len(got), strings.Join(got, "\n"))
	}

	// Random bytes: no panic, a bounded number of diagnostics.
	b := make([]byte, 1<<20)
	x := uint32(1)
	for i := range b {
		x = x*1664525 + 1013904223
		b[i] = byte(x >> 24)
	}
	got = checkText(t, "/etc/keepalived/keepalived.conf", b)
	if len(got) > len(b) {
		t.Errorf("%d diagnostics for %d bytes", len(got), len(b))
	}
}

// heapPeak samples the live heap while f runs and returns its largest
// value and the bytes allocated.
func heapPeak(f func()) (peak, allocated uint64) {
	samples := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/allocs:bytes"}}
	runtime.GC()
	metrics.Read(samples)
	before := samples[1].Value.Uint64()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		metrics.Read(samples)
		peak = max(peak, samples[0].Value.Uint64())
		select {
		case <-done:
			metrics.Read(samples)
			return max(peak, samples[0].Value.Uint64()), samples[1].Value.Uint64() - before
		case <-tick.C:
		}
	}
}

// TestHostileHugeFile: a 100 MB configuration (86,000 virtual servers,
// 4.8 million lines) is checked by CheckText in bounded time and memory:
// it streams, so the heap holds the text and little more. Under -race or
// -short the file is 10 MB. (The command line refuses files over 64 MB
// before reading them; the language server parses whatever the editor
// sends.)
func TestHostileHugeFile(t *testing.T) {
	vs := 92000 // about 100 MB
	if raceEnabled || testing.Short() {
		vs = 9200
	}
	var buf bytes.Buffer
	if err := benchgen.Write(&buf, 200, vs, 4); err != nil {
		t.Fatal(err)
	}
	text := buf.Bytes()
	var diags []parser.Diagnostic
	var el time.Duration
	peak, alloc := heapPeak(func() {
		el = testenv.Within(t, hostileLimit, func() {
			diags = analysis.NewChecker(analysis.Config{}).CheckText("/etc/keepalived/keepalived.conf", text, parser.Options{FS: noFS{}})
		})
	})
	lines := bytes.Count(text, []byte{'\n'})
	t.Logf("CheckText: %d MB, %d lines, %d diagnostics in %v; heap peak %d MB (the text is %d MB), %d MB allocated",
		len(text)>>20, lines, len(diags), el, peak>>20, len(text)>>20, alloc>>20)
	// The text itself is on the heap; the check must not need a multiple
	// of it.
	if over := int64(peak) - int64(cap(text)); over > 512<<20 {
		t.Errorf("CheckText needed %d MB of heap beyond the text", over>>20)
	}
	if len(diags) > lines {
		t.Errorf("%d diagnostics for %d lines", len(diags), lines)
	}

	// The language server keeps the tree of an open document.
	var doc *parser.Doc
	var full []parser.Diagnostic
	peak, _ = heapPeak(func() {
		el = testenv.Within(t, hostileLimit, func() {
			doc = parser.Parse("/etc/keepalived/keepalived.conf", text, parser.Options{FS: noFS{}})
			full = analysis.Check(doc, analysis.Config{})
		})
	})
	t.Logf("Parse and Check: %d diagnostics in %v; heap peak %d MB", len(full), el, peak>>20)
	if len(full) != len(diags) {
		t.Errorf("Check(Parse(...)) gives %d diagnostics, CheckText %d", len(full), len(diags))
	}
	if peak > 24*uint64(len(text)) {
		t.Errorf("the tree of a %d MB document needs %d MB", len(text)>>20, peak>>20)
	}
	runtime.KeepAlive(doc)
}

// noFS has no files (benchgen's configuration includes none).
type noFS struct{}

func (noFS) ReadFile(string) ([]byte, error)       { return nil, os.ErrNotExist }
func (noFS) Stat(string) (os.FileInfo, error)      { return nil, os.ErrNotExist }
func (noFS) Glob(pattern string) ([]string, error) { return nil, nil }

// TestHostileDiagnosticFlood: a problem on every one of 45,000 lines. A
// check reports the first MaxDiagnosticsPerFile of them and one
// too-many-diagnostics diagnostic that counts the rest, with the severity
// of the worst of them (here an error among warnings, so that the verdict
// of the check stays "errors"); the streaming check (which counts instead
// of keeping after a while) and the check of a parsed document agree. A
// disable-file comment at the very end still turns them all off.
func TestHostileDiagnosticFlood(t *testing.T) {
	// 150,000 lines are parsed in parallel chunks, each of which counts.
	for _, lines := range []int{45000, 150000} {
		t.Run(fmt.Sprint(lines), func(t *testing.T) { diagnosticFlood(t, lines) })
	}
}

func diagnosticFlood(t *testing.T, lines int) {
	var b strings.Builder
	for i := range lines {
		if i == lines-3 {
			b.WriteString("foo\n") // unknown-keyword: an error
		} else {
			b.WriteString("}\n") // unbalanced-braces, made a warning below
		}
	}
	flood := []byte(b.String())
	cfg := analysis.Config{Severity: map[string]parser.Severity{"unbalanced-braces": parser.Warning}}
	max := analysis.MaxDiagnosticsPerFile
	for _, c := range []struct {
		name  string
		check func(text []byte) []parser.Diagnostic
	}{
		{"CheckText", func(text []byte) []parser.Diagnostic {
			return analysis.NewChecker(cfg).CheckText("/etc/keepalived/flood.conf", text, parser.Options{})
		}},
		{"Parse+Check", func(text []byte) []parser.Diagnostic {
			return analysis.Check(parser.Parse("/etc/keepalived/flood.conf", text, parser.Options{}), cfg)
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var ds []parser.Diagnostic
			testenv.Within(t, hostileLimit, func() { ds = c.check(flood) })
			if len(ds) != max+1 {
				t.Fatalf("%d diagnostics, want %d", len(ds), max+1)
			}
			for i, d := range ds[:max] {
				if d.Rule != "unbalanced-braces" || d.Severity != parser.Warning || int(d.Span.Start.Line) != i {
					t.Fatalf("diagnostic %d: %s, want an unbalanced-braces warning on line %d", i, render(d), i+1)
				}
			}
			want := fmt.Sprintf("%d:1 error %d more problems in this file are not shown: keepalived-ls reports at most %d per file; "+
				"this is the first of them: unexpected '}': no block is open here [unbalanced-braces] [too-many-diagnostics]", max+1, lines-max, max)
			if got := render(ds[max]); got != want {
				t.Errorf("last diagnostic\n got %s\nwant %s", got, want)
			}
			// Turned off by a comment at the end of the file: nothing at
			// all, not even an unused-suppression.
			off := append(slices.Clip(flood), "# keepalived-ls: disable-file=unbalanced-braces,unknown-keyword\n"...)
			if ds := c.check(off); len(ds) != 0 {
				t.Errorf("with disable-file: %d diagnostics, first %s", len(ds), render(ds[0]))
			}
		})
	}
}
