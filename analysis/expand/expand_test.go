package expand

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/keepalived-ls/keepalived-ls/parser"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestGolden expands each testdata/CASE/keepalived.conf (with the config id
// in CASE/config-id, if any) and compares with CASE/want.txt, and with
// comments kept with CASE/want-comments.txt.
func TestGolden(t *testing.T) {
	cases, err := filepath.Glob("testdata/*/keepalived.conf")
	if err != nil || len(cases) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	for _, conf := range cases {
		dir := filepath.Dir(conf)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			abs, err := filepath.Abs(conf)
			if err != nil {
				t.Fatal(err)
			}
			text, err := os.ReadFile(abs)
			if err != nil {
				t.Fatal(err)
			}
			id, _ := os.ReadFile(filepath.Join(dir, "config-id"))
			d := parser.Parse(abs, text, parser.Options{ConfigID: strings.TrimSpace(string(id))})
			for _, g := range []struct {
				file string
				opts Options
			}{{"want.txt", Options{}}, {"want-comments.txt", Options{Comments: true}}} {
				got := String(d, g.opts)
				golden := filepath.Join(dir, g.file)
				if *update {
					if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run go test -update)", err)
				}
				if got != string(want) {
					t.Errorf("%s differs:\n--- got\n%s--- want\n%s", golden, got, want)
				}
			}
		})
	}
}

// TestExpandedReadsBack: the expanded text of every case parses to the
// same keywords and arguments as the original, with no includes, $NAME
// definitions, conditionals or generators left.
func TestExpandedReadsBack(t *testing.T) {
	cases, _ := filepath.Glob("testdata/*/keepalived.conf")
	for _, conf := range cases {
		abs, _ := filepath.Abs(conf)
		text, err := os.ReadFile(abs)
		if err != nil {
			t.Fatal(err)
		}
		id, _ := os.ReadFile(filepath.Join(filepath.Dir(conf), "config-id"))
		opts := parser.Options{ConfigID: strings.TrimSpace(string(id))}
		d := parser.Parse(abs, text, opts)
		out := String(d, Options{NoMarkers: true})
		again := parser.Parse("/nonexistent/expanded.conf", []byte(out), parser.Options{})
		if a, b := outline(d), outline(again); a != b {
			t.Errorf("%s: expanded text reads differently:\n--- original\n%s--- expanded\n%s", conf, a, b)
		}
		if String(again, Options{NoMarkers: true}) != out {
			t.Errorf("%s: expanding the expanded text changes it", conf)
		}
	}
}

// outline lists a document's keyword lines and value lines by depth,
// looking through includes.
func outline(d *parser.Doc) string {
	var b strings.Builder
	var walk func(n *parser.Node, depth int)
	walk = func(n *parser.Node, depth int) {
		if n.Kind != parser.Include {
			b.WriteString(strings.Repeat(".", depth) + words(n) + "\n")
			depth++
		}
		for c := range n.Body {
			if c.Kind != parser.Include {
				walk(c, depth)
			}
		}
		// Value lines sorted: AllValues lists a value block's includes last.
		var vals []string
		for v := range n.AllValues {
			vals = append(vals, strings.Repeat(".", depth)+join(v.Tokens)+"\n")
		}
		slices.Sort(vals)
		for _, v := range vals {
			b.WriteString(v)
		}
	}
	for _, u := range d.Units() {
		for _, n := range u.Nodes {
			walk(n, 0)
		}
	}
	return b.String()
}
