package format_test

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/keepalived-ls/keepalived-ls/analysis"
	"github.com/keepalived-ls/keepalived-ls/analysis/format"
	"github.com/keepalived-ls/keepalived-ls/internal/testenv"
	"github.com/keepalived-ls/keepalived-ls/parser"
	"github.com/keepalived-ls/keepalived-ls/parser/schema"
)

// meaning renders what keepalived reads from a document without positions:
// the tree (kinds, keywords, arguments with their flags, raw script text,
// value lines, brace flags), the parser's and the analysis' rule ids and
// severities, comments, inactive lines, definitions, references,
// conditionals and generators. Two texts with the same meaning differ only
// in layout.
func meaning(doc *parser.Doc, cfg analysis.Config) string {
	// Units are not compared: splitting a line at a brace may start a new
	// one. Each kind of fact is listed in document order.
	var tree, diags, comments, inactive, defs, refs, conds, gens strings.Builder
	var diagList []string
	for _, u := range doc.Units() {
		for _, n := range u.Nodes {
			dumpNode(&tree, n, 0)
		}
		for _, d := range u.Diags {
			diagList = append(diagList, fmt.Sprintf("parser %s %s%s", d.Severity, d.Rule, srcName(d.Src)))
		}
		for _, c := range u.Comments {
			fmt.Fprintf(&comments, "comment %q\n", bytes.TrimRight(spanText(u, c), " \t"))
		}
		for _, c := range u.Inactive {
			fmt.Fprintf(&inactive, "inactive %q\n", bytes.TrimRight(spanText(u, c), " \t"))
		}
		for _, d := range u.Definitions {
			fmt.Fprintf(&defs, "define %s%s = %q\n", d.Name, srcName(d.Src), d.Value)
		}
		for _, r := range u.Refs {
			fmt.Fprintf(&refs, "ref %s%s defined=%v builtin=%v\n", r.Name, srcName(r.Src), r.Defined, r.Builtin)
		}
		for _, c := range u.Conditionals {
			fmt.Fprintf(&conds, "conditional %s negated=%v active=%v\n", c.ID, c.Negated, c.Active)
		}
		for _, g := range u.Generators {
			fmt.Fprintf(&gens, "generator %d\n", g.Count)
		}
	}
	for _, d := range analysis.Check(doc, cfg) {
		diagList = append(diagList, fmt.Sprintf("check %s %s%s", d.Severity, d.Rule, srcName(d.Src)))
	}
	sort.Strings(diagList)
	for _, d := range diagList {
		diags.WriteString(d + "\n")
	}
	return tree.String() + inactive.String() + defs.String() + refs.String() + conds.String() + gens.String() +
		diags.String() + comments.String()
}

func srcName(s *parser.Source) string {
	if s == nil {
		return ""
	}
	return " in " + filepath.Base(s.Path)
}

// spanText returns the text of a one-line span of a unit's own lines.
func spanText(u *parser.Unit, s parser.Span) []byte {
	line := u.Line(int(s.Start.Line))
	a, b := int(s.Start.Col), int(s.End.Col)
	if s.End.Line != s.Start.Line {
		b = len(line)
	}
	a, b = min(a, len(line)), min(b, len(line))
	return line[a:b]
}

func dumpNode(sb *strings.Builder, n *parser.Node, depth int) {
	sb.WriteString(strings.Repeat("  ", depth))
	path := "?"
	if n.Schema != nil {
		path = n.Schema.Path
	}
	fmt.Fprintf(sb, "%s %q [%s] flags=%d%s", n.Kind, n.Keyword.Text, path, n.Flags, srcName(n.Src))
	for _, a := range n.Args {
		fmt.Fprintf(sb, " %q/%d", a.Text, a.Flags)
	}
	if n.Raw() != "" {
		fmt.Fprintf(sb, " raw=%q", n.Raw())
	}
	sb.WriteString("\n")
	for _, v := range n.Values {
		sb.WriteString(strings.Repeat("  ", depth+1) + "value")
		for _, t := range v.Tokens {
			fmt.Fprintf(sb, " %q/%d", t.Text, t.Flags)
		}
		sb.WriteString(srcName(v.Src) + "\n")
	}
	for _, f := range n.Files() {
		fmt.Fprintf(sb, "%s  file %s\n", strings.Repeat("  ", depth), filepath.Base(f.Source.Path))
	}
	for _, c := range n.Children {
		dumpNode(sb, c, depth+1)
	}
}

// view is a way keepalived may read a file: a release and a config id.
type view struct {
	name string
	opts parser.Options
	cfg  analysis.Config
}

var conditionalID = regexp.MustCompile(`(?m)^[ \t]*@\^?([^ \t\n]+)`)

// views returns the readings a property must hold for: the newest
// keepalived, 2.2.7 (the reader before 2.4.0) and each config id the file
// uses (up to three).
func views(t testing.TB, text []byte, dir string, fsys parser.FS) []view {
	t.Helper()
	old, err := schema.ParseVersion("2.2.7")
	if err != nil {
		t.Fatal(err)
	}
	vs := []view{
		{name: "newest", opts: parser.Options{Dir: dir, FS: fsys}},
		{name: "2.2.7", opts: parser.Options{Dir: dir, FS: fsys, Version: old}, cfg: analysis.Config{Target: old}},
	}
	seen := map[string]bool{}
	for _, m := range conditionalID.FindAllSubmatch(text, -1) {
		id := string(m[1])
		if seen[id] || len(seen) == 3 {
			continue
		}
		seen[id] = true
		vs = append(vs, view{name: "id " + id, opts: parser.Options{Dir: dir, FS: fsys, ConfigID: id}})
	}
	return vs
}

// emptyFS has no files: corpus configurations include files of the
// machines they came from.
type emptyFS struct{}

func (emptyFS) ReadFile(string) ([]byte, error)  { return nil, fs.ErrNotExist }
func (emptyFS) Stat(string) (fs.FileInfo, error) { return nil, fs.ErrNotExist }
func (emptyFS) Glob(string) ([]string, error)    { return nil, nil }

// input is a file the properties are checked on.
type input struct {
	name string
	text []byte
	dir  string    // resolves its includes
	fs   parser.FS // nil: the disk
}

// inputs gathers the repository's test configurations and, when present,
// the shared corpus (real configurations and templates).
func inputs(t testing.TB, withCorpus bool) []input {
	t.Helper()
	root := testenv.RepoRoot(t)
	var out []input
	add := func(pattern string, fsys parser.FS) {
		files, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if st, err := os.Stat(f); err != nil || st.IsDir() {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			rel, _ := filepath.Rel(root, f)
			out = append(out, input{name: rel, text: b, dir: filepath.Dir(f), fs: fsys})
		}
	}
	add(filepath.Join(root, "testdata", "format", "*.conf"), nil)
	add(filepath.Join(root, "testdata", "parser", "*.conf"), nil)
	add(filepath.Join(root, "testdata", "check", "*", "*.conf"), nil)
	add(filepath.Join(root, "examples", "*.conf"), nil)
	if withCorpus {
		shared := testenv.Shared(t)
		add(filepath.Join(shared, "corpus", "configs", "*"), emptyFS{})
		add(filepath.Join(shared, "corpus", "templates", "*"), emptyFS{})
	}
	if len(out) == 0 {
		t.Fatal("no inputs found")
	}
	return out
}

// sharedPresent reports whether the shared reference material is there,
// without skipping (for seeding fuzz targets; see testenv.Shared).
func sharedPresent(tb testing.TB) bool {
	_, ok := testenv.SharedDir(tb)
	return ok
}

// applyEdits applies whole-line edits (in order, not overlapping) to text.
func applyEdits(t testing.TB, text []byte, edits []parser.Edit) []byte {
	t.Helper()
	starts := []int{0}
	for i, c := range text {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	offset := func(p parser.Pos) int {
		if int(p.Line) >= len(starts) {
			t.Fatalf("edit position %v past the end", p)
		}
		return starts[p.Line] + int(p.Col)
	}
	var out []byte
	at := 0
	for _, e := range edits {
		a, b := offset(e.Span.Start), offset(e.Span.End)
		if a < at || b < a {
			t.Fatalf("edits out of order or overlapping at %v", e.Span)
		}
		out = append(out, text[at:a]...)
		out = append(out, e.NewText...)
		at = b
	}
	return append(out, text[at:]...)
}

// firstDiff describes where two texts first differ, for failure messages.
func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y || i >= len(al) || i >= len(bl) {
			return fmt.Sprintf("line %d:\n  - %q\n  + %q", i+1, x, y)
		}
	}
	return "no difference"
}

var _ = format.Options{}
