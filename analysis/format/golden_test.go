package format_test

// Golden tests: every testdata/format/NAME.conf is formatted and compared
// with testdata/format/NAME.golden. Run
//
//	go test ./analysis/format -run Golden -update-format
//
// to rewrite the golden files, then read the diff. Names containing "tabs"
// are formatted with tabs, names containing "indent2" with two spaces.

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keepalived-ls/keepalived-ls/analysis/format"
	"github.com/keepalived-ls/keepalived-ls/internal/testenv"
)

var updateFormat = flag.Bool("update-format", false, "rewrite the golden files of testdata/format")

func goldenOptions(name string) format.Options {
	switch {
	case strings.Contains(name, "tabs"):
		return format.Options{UseTabs: true}
	case strings.Contains(name, "indent2"):
		return format.Options{TabSize: 2}
	}
	return format.Options{}
}

func TestGolden(t *testing.T) {
	dir := filepath.Join(testenv.RepoRoot(t), "testdata", "format")
	files, err := filepath.Glob(filepath.Join(dir, "*.conf"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no inputs in %s", dir)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".conf")
		t.Run(name, func(t *testing.T) {
			text, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			got := format.Format(text, goldenOptions(name))
			golden := filepath.Join(dir, name+".golden")
			if *updateFormat {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update-format to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("formatting %s differs from %s.golden: %s", name, name, firstDiff(string(want), string(got)))
			}
		})
	}
}
