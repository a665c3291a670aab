package analysis

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/keepalived-ls/keepalived-ls/parser"
	"github.com/keepalived-ls/keepalived-ls/parser/schema"
)

// confText drops the newline that follows the opening backquote of a raw
// string, so that line 1 of the configuration is the first line written.
func confText(s string) string { return strings.TrimPrefix(s, "\n") }

// targetVersion parses a target version; "" is the newest.
func targetVersion(t testing.TB, s string) schema.Version {
	t.Helper()
	v, err := schema.ParseVersion(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// writeTestFiles writes files (relative names) below dir.
func writeTestFiles(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		mode := os.FileMode(0o644)
		if strings.HasSuffix(name, ".sh") {
			mode = 0o755
		}
		if err := os.WriteFile(p, []byte(text), mode); err != nil {
			t.Fatal(err)
		}
	}
}

// checkBoth checks text with Check(Parse(...)) and with CheckText and fails
// the test when they disagree. It returns the Check result.
func checkBoth(t testing.TB, path string, text []byte, cfg Config, opts parser.Options) []parser.Diagnostic {
	t.Helper()
	opts.Version = cfg.Target
	got := Check(parser.Parse(path, text, opts), cfg)
	streamed := NewChecker(cfg).CheckText(path, text, opts)
	if a, b := diagStrings(got), diagStrings(streamed); !reflect.DeepEqual(a, b) {
		t.Errorf("CheckText differs from Check(Parse(...)):\n%s", diffLines(a, b))
	}
	return got
}

// diagString renders a diagnostic as "[@FILE ]RULE SEVERITY L:C-L:C MESSAGE"
// with 1-based lines and byte columns; FILE is the base name of an included
// file.
func diagString(d parser.Diagnostic) string {
	s := fmt.Sprintf("%s %s %d:%d-%d:%d %s", d.Rule, d.Severity,
		d.Span.Start.Line+1, d.Span.Start.Col+1, d.Span.End.Line+1, d.Span.End.Col+1, d.Message)
	if d.Src != nil {
		s = "@" + filepath.Base(d.Src.Path) + " " + s
	}
	return s
}

// diagStrings renders diagnostics completely (fixes and related places
// too), for comparing two results.
func diagStrings(ds []parser.Diagnostic) []string {
	out := make([]string, 0, len(ds))
	for _, d := range ds {
		s := diagString(d)
		if d.Src != nil {
			s = d.Src.Path + " " + s
		}
		for _, r := range d.Related {
			s += fmt.Sprintf(" | related %v %v %q", r.Src != nil, r.Span, r.Message)
		}
		for _, f := range d.Fixes {
			s += fmt.Sprintf(" | fix %q %v", f.Title, f.Preferred)
			for _, e := range f.Edits {
				s += fmt.Sprintf(" %v %v %q", e.Src != nil, e.Span, e.NewText)
			}
		}
		out = append(out, s)
	}
	return out
}

func diffLines(a, b []string) string {
	var sb strings.Builder
	n := max(len(a), len(b))
	for i := 0; i < n; i++ {
		var x, y string
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if x != y {
			fmt.Fprintf(&sb, "  #%d\n    - %s\n    + %s\n", i, x, y)
		}
	}
	return sb.String()
}

// expectation is one expected diagnostic: "[@FILE ]RULE SEVERITY L:C-L:C
// MESSAGE-SUBSTRING"; a message written "=TEXT" must be exactly TEXT.
type expectation struct {
	file, rule, sev, span, msg string
}

func parseExpectation(t testing.TB, s string) expectation {
	t.Helper()
	var e expectation
	if strings.HasPrefix(s, "@") {
		f, rest, _ := strings.Cut(s[1:], " ")
		e.file, s = f, rest
	}
	parts := strings.SplitN(s, " ", 4)
	if len(parts) < 3 {
		t.Fatalf("bad expectation %q: want RULE SEVERITY L:C-L:C MESSAGE", s)
	}
	e.rule, e.sev, e.span = parts[0], parts[1], parts[2]
	if len(parts) == 4 {
		e.msg = parts[3]
	}
	if _, ok := LookupRule(e.rule); !ok {
		t.Fatalf("expectation %q names an unknown rule", s)
	}
	return e
}

func (e expectation) matches(d parser.Diagnostic) bool {
	file := ""
	if d.Src != nil {
		file = filepath.Base(d.Src.Path)
	}
	span := fmt.Sprintf("%d:%d-%d:%d", d.Span.Start.Line+1, d.Span.Start.Col+1, d.Span.End.Line+1, d.Span.End.Col+1)
	msgOK := strings.Contains(d.Message, e.msg)
	if exact, ok := strings.CutPrefix(e.msg, "="); ok {
		msgOK = d.Message == exact
	}
	return file == e.file && d.Rule == e.rule && d.Severity.String() == e.sev && span == e.span && msgOK
}

// matchDiags reports whether got holds exactly the expected diagnostics, in
// order, and describes both lists when it does not.
func matchDiags(t testing.TB, got []parser.Diagnostic, want []string) (bool, string) {
	t.Helper()
	ok := len(got) == len(want)
	for i := 0; ok && i < len(want); i++ {
		ok = parseExpectation(t, want[i]).matches(got[i])
	}
	if ok {
		return true, ""
	}
	var sb strings.Builder
	sb.WriteString("got:\n")
	for _, d := range got {
		fmt.Fprintf(&sb, "    %q\n", diagString(d))
	}
	sb.WriteString("want:\n")
	for _, w := range want {
		fmt.Fprintf(&sb, "    %q\n", w)
	}
	return false, sb.String()
}

// assertDiags requires that got holds exactly the expected diagnostics, in
// order.
func assertDiags(t testing.TB, got []parser.Diagnostic, want []string) {
	t.Helper()
	if ok, msg := matchDiags(t, got, want); !ok {
		t.Errorf("diagnostics differ\n%s", msg)
	}
}

// applyTestEdits applies edits of the document (Src nil, absolute lines, byte
// columns) to text.
func applyTestEdits(t testing.TB, text string, edits []parser.Edit) string {
	t.Helper()
	starts := []int{0}
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			starts = append(starts, i+1)
		}
	}
	offset := func(p parser.Pos) int {
		if int(p.Line) >= len(starts) {
			return len(text)
		}
		end := len(text)
		if int(p.Line)+1 < len(starts) {
			end = starts[p.Line+1] - 1
		}
		o := starts[p.Line] + int(p.Col)
		if o > end && p.Col > 0 {
			t.Fatalf("edit position %v is past the end of line %d", p, p.Line+1)
		}
		return o
	}
	type rep struct {
		lo, hi int
		text   string
	}
	var reps []rep
	for _, e := range edits {
		if e.Src != nil {
			t.Fatalf("edit of another file %s", e.Src.Path)
		}
		lo, hi := offset(e.Span.Start), offset(e.Span.End)
		if lo > hi {
			t.Fatalf("edit span %v is reversed", e.Span)
		}
		reps = append(reps, rep{lo, hi, e.NewText})
	}
	sort.SliceStable(reps, func(i, j int) bool { return reps[i].lo > reps[j].lo })
	for i := 1; i < len(reps); i++ {
		if reps[i].hi > reps[i-1].lo {
			t.Fatalf("overlapping edits %v", edits)
		}
	}
	for _, r := range reps {
		text = text[:r.lo] + r.text + text[r.hi:]
	}
	return text
}
