package parser_test

// Golden tests: every testdata/parser/*.conf is parsed and its Dump() is
// compared with testdata/parser/NAME.golden. Run
//
//	go test ./parser -run Golden -update
//
// to rewrite the golden files, then read the diff: each golden file must show
// what keepalived itself would read (see ../shared/reference/lexical.md).

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keepalived-ls/keepalived-ls/parser"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files of testdata/parser")

// goldenDir returns the absolute path of testdata/parser.
func goldenDir(t testing.TB) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "testdata", "parser"))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// goldenOptions are the options a golden input is parsed with.
func goldenOptions(dir, name string) parser.Options {
	opts := parser.Options{Dir: dir}
	if strings.Contains(name, "conditional") {
		opts.ConfigID = "node1"
	}
	return opts
}

// goldenPortable replaces the machine-specific testdata path in a dump.
func goldenPortable(dump, dir string) string {
	return strings.ReplaceAll(dump, dir, "TESTDATA")
}

func goldenInputs(t testing.TB) (string, []string) {
	t.Helper()
	dir := goldenDir(t)
	files, err := filepath.Glob(filepath.Join(dir, "*.conf"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no golden inputs in %s", dir)
	}
	return dir, files
}

func TestGolden(t *testing.T) {
	dir, files := goldenInputs(t)
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".conf")
		t.Run(name, func(t *testing.T) {
			text, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			input := append([]byte(nil), text...)
			doc := parser.Parse(file, text, goldenOptions(dir, name))
			if got := doc.Text(); !bytes.Equal(got, input) {
				t.Errorf("Text() differs from the input:\n got %q\nwant %q", got, input)
			}
			got := goldenPortable(doc.Dump(), dir)
			golden := filepath.Join(dir, name+".golden")
			if *updateGolden {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./parser -run Golden -update)", err)
			}
			if got != string(want) {
				t.Errorf("Dump() differs from %s (run with -update to rewrite, then review the diff)\n--- got\n%s\n--- want\n%s\n--- diff\n%s",
					golden, got, want, goldenLineDiff(string(want), got))
			}
		})
	}
}

// TestGoldenFilesHaveInputs keeps stale golden files from piling up.
func TestGoldenFilesHaveInputs(t *testing.T) {
	dir := goldenDir(t)
	goldens, err := filepath.Glob(filepath.Join(dir, "*.golden"))
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range goldens {
		in := strings.TrimSuffix(g, ".golden") + ".conf"
		if _, err := os.Stat(in); err != nil {
			t.Errorf("%s has no input %s", filepath.Base(g), filepath.Base(in))
		}
	}
}

// goldenLineDiff is a small line-based diff for failure messages: it lists the
// lines only in want (-) and only in got (+), in order.
func goldenLineDiff(want, got string) string {
	a, b := strings.Split(want, "\n"), strings.Split(got, "\n")
	// Longest common subsequence, fine for golden-sized inputs.
	n, m := len(a), len(b)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var sb strings.Builder
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && a[i] == b[j]:
			i++
			j++
		case j < m && (i == n || lcs[i][j+1] >= lcs[i+1][j]):
			sb.WriteString("+ " + b[j] + "\n")
			j++
		default:
			sb.WriteString("- " + a[i] + "\n")
			i++
		}
	}
	return sb.String()
}

// TestGoldenExecutableInclude: keepalived only reads regular files that are
// not executable. The executable file is made here, since a mode does not
// survive every checkout of testdata.
func TestGoldenExecutableInclude(t *testing.T) {
	dir := t.TempDir()
	for name, mode := range map[string]os.FileMode{"a.conf": 0o644, "b.conf": 0o755} {
		p := filepath.Join(dir, "conf.d", name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("vrrp_script "+strings.TrimSuffix(name, ".conf")+" {\n}\n"), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
	}
	main := filepath.Join(dir, "keepalived.conf")
	doc := parser.Parse(main, []byte("include conf.d/*.conf\ninclude conf.d/b.conf\n"), parser.Options{})
	got := strings.ReplaceAll(doc.Dump(), dir, "TEMP")
	want := `unit 0 lines 1-1
  include ?"include"@1:1-1:8 "conf.d/*.conf"@1:9-1:22
    file TEMP/conf.d/a.conf
    TEMP/conf.d/a.conf:block "vrrp_script"@1:1-1:12 "a"@1:13-1:14 {@1:15-1:16 }@2:1-2:2
  ! 1:9-1:22 warning keepalived skips 'TEMP/conf.d/b.conf': it only reads regular files that are not executable [include-skipped]
unit 1 lines 2-2
  include ?"include"@2:1-2:8 "conf.d/b.conf"@2:9-2:22
  ! 2:9-2:22 warning keepalived skips 'TEMP/conf.d/b.conf': it only reads regular files that are not executable [include-skipped]
unit 2 lines 3-3
`
	if got != want {
		t.Errorf("Dump():\n%s\nwant:\n%s\ndiff:\n%s", got, want, goldenLineDiff(want, got))
	}
}
