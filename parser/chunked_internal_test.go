package parser

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestChunkedWithDefinitions: a large text that defines $NAMEs at the top
// is still parsed in parallel (the head first, then the rest with the
// definitions in force), and is not when a definition changes later in
// the text than the head the parse started from.
func TestChunkedWithDefinitions(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		old := runtime.GOMAXPROCS(2)
		defer runtime.GOMAXPROCS(old)
	}
	uses := strings.Repeat("vrrp_instance V {\n interface ${IF}\n}\n", 20000)
	for _, c := range []struct {
		name     string
		text     string
		parallel bool
	}{
		{"no definitions", uses, true},
		{"definitions at the top", "$IF=eth0\n@n1 $X=1\nglobal_defs {\n include_check\n}\n" + uses, true},
		{"a definition read through an include", "include defs.conf\n" + uses, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "defs.conf"), []byte("$IF=eth9\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			d := &Doc{Path: filepath.Join(dir, "keepalived.conf")}
			got := d.chunked([]byte(c.text), true, func(int) {}, nil, func(int, *Unit) {})
			if got != c.parallel {
				t.Errorf("parsed in parallel: %v, want %v", got, c.parallel)
			}
		})
	}
}

func TestDefinitionsEnd(t *testing.T) {
	for _, c := range []struct {
		text string
		want int // the line after the last definition, 1-based; 0: none
	}{
		{"global_defs {\n}\n", 0},
		{"$A=1\nx\n", 1},
		{"  \t$A=1\n", 1},
		{"x\n@node1 $A=1\ny\n", 2},
		{"x\n@^node1\t$A=\ny\n", 2},
		{"x\n$A =1\n$1=2\n# $B=1\nkw $C=1\ny ${A}\n", 0},
		{"$A=1\nglobal_defs {\n include_check match\n}\nz\n", 3},
		{"$A=1\nglobal_defs {\n # include_check\n}\n", 1},
		{"$A=1 \\\n  more\n$B=2", 3},
	} {
		end := definitionsEnd([]byte(c.text))
		got := strings.Count(c.text[:end], "\n")
		if end == len(c.text) && !strings.HasSuffix(c.text, "\n") {
			got++
		}
		if got != c.want {
			t.Errorf("%q: definitions end after line %d, want %d", c.text, got, c.want)
		}
	}
}
