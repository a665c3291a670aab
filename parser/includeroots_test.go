package parser

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestIncludeRoots: the relative includes of a document without a
// directory are tried in each include root, in order.
func TestIncludeRoots(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	if err := os.MkdirAll(filepath.Join(b, "conf.d"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(b, "conf.d", "x.conf"), []byte("global_defs {\n    router_id x\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	text := []byte("include conf.d/*.conf\n")
	d := Parse("untitled:1", text, Options{IncludeRoots: []string{a, b}})
	files := d.IncludedFiles()
	if len(files) != 1 || files[0] != filepath.Join(b, "conf.d", "x.conf") {
		t.Errorf("included %q", files)
	}
	for _, u := range d.Units() {
		for _, dg := range u.Diags {
			t.Errorf("unexpected %s: %s", dg.Rule, dg.Message)
		}
	}
	// Nothing matches in any root: said so.
	d = Parse("untitled:1", []byte("include nope/*.conf\n"), Options{IncludeRoots: []string{a, b}})
	var msgs []string
	for _, u := range d.Units() {
		for _, dg := range u.Diags {
			msgs = append(msgs, dg.Rule+": "+dg.Message)
		}
	}
	if len(msgs) != 1 || !strings.Contains(msgs[0], "include-not-found: this relative include matches nothing in the include roots") {
		t.Errorf("got %q", msgs)
	}
}
