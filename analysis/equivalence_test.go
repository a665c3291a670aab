package analysis

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/keepalived-ls/keepalived-ls/internal/benchgen"
	"github.com/keepalived-ls/keepalived-ls/internal/testenv"
	"github.com/keepalived-ls/keepalived-ls/parser"
)

func corpusFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(testenv.Shared(t), "corpus", "configs", "*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus files: %v", err)
	}
	sort.Strings(files)
	return files
}

// TestCheckTextEqualsCheckCorpus: CheckText and Check(Parse(...)) agree on
// every corpus file, for the newest and the oldest target.
func TestCheckTextEqualsCheckCorpus(t *testing.T) {
	files := corpusFiles(t)
	for _, target := range []string{"", "2.2.7"} {
		cfg := Config{Target: targetVersion(t, target)}
		for _, f := range files {
			text, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			t.Run(target+"/"+filepath.Base(f), func(t *testing.T) {
				checkBoth(t, f, text, cfg, parser.Options{})
			})
		}
	}
}

// benchgenText is the benchmark generator's output for 10 instances, 300
// virtual servers and 4 real servers each (about 340 KB).
func benchgenText(t *testing.T) []byte {
	t.Helper()
	var gen bytes.Buffer
	if err := benchgen.Write(&gen, 10, 300, 4); err != nil {
		t.Fatal(err)
	}
	return gen.Bytes()
}

// corpusText is the whole corpus in one file (about 1.4 MB).
func corpusText(t *testing.T) []byte {
	t.Helper()
	var all bytes.Buffer
	for _, f := range corpusFiles(t) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		all.Write(b)
		if !bytes.HasSuffix(b, []byte("\n")) {
			all.WriteByte('\n')
		}
	}
	return all.Bytes()
}

// TestCheckTextEqualsCheckLarge: on large documents (parsed in parallel
// chunks) CheckText and Check(Parse(...)) agree, whatever the number of
// CPUs, and agree with a sequential parse (GOMAXPROCS=1).
func TestCheckTextEqualsCheckLarge(t *testing.T) {
	for name, get := range map[string]func(*testing.T) []byte{"benchgen": benchgenText, "corpus": corpusText} {
		t.Run(name, func(t *testing.T) {
			text := get(t)
			if len(text) < 300<<10 {
				t.Fatalf("%s is only %d bytes: too small to be split", name, len(text))
			}
			path := "/nonexistent/" + name + ".conf"
			var sequential []string
			for _, procs := range []int{1, 2, 3, 4, 8} {
				old := runtime.GOMAXPROCS(procs)
				got := diagStrings(checkBoth(t, path, text, Config{}, parser.Options{}))
				runtime.GOMAXPROCS(old)
				if procs == 1 {
					sequential = got
					continue
				}
				if !reflect.DeepEqual(sequential, got) {
					t.Errorf("GOMAXPROCS=%d differs from a sequential check:\n%s", procs, diffLines(sequential, got))
				}
			}
			if name == "benchgen" {
				// benchgen writes configurations keepalived 2.2.7 accepts.
				for _, d := range sequential {
					t.Errorf("benchgen output has a diagnostic: %s", d)
				}
			}
		})
	}
}

// TestCheckTextLargeWithDefinitions: a $NAME definition in force across
// the chunk boundaries forces a sequential parse; results still agree.
func TestCheckTextLargeWithDefinitions(t *testing.T) {
	text := "$WEIGHT=7\n" + strings.Replace(string(benchgenText(t)), "weight 1\n", "weight $WEIGHT\n", -1) +
		"global_defs {\n    router_id $UNDEFINED_AT_END\n}\n"
	old := runtime.GOMAXPROCS(1)
	sequential := diagStrings(Check(parser.Parse("/nonexistent/x.conf", []byte(text), parser.Options{}), Config{}))
	runtime.GOMAXPROCS(4)
	got := diagStrings(checkBoth(t, "/nonexistent/x.conf", []byte(text), Config{}, parser.Options{}))
	runtime.GOMAXPROCS(old)
	if !reflect.DeepEqual(sequential, got) {
		t.Errorf("parallel differs from sequential:\n%s", diffLines(sequential, got))
	}
	if n := len(got); n != 1 || !strings.Contains(got[0], "undefined-parameter") {
		t.Errorf("want one undefined-parameter diagnostic, got %d: %q", n, got)
	}
}

// TestNoDiagnosticsOnValidConfigs: the realistic configurations in
// testdata/check/valid (all accepted by keepalived 2.2.7 `-t` without a
// single message) produce no diagnostic of any severity, for the newest
// target and for 2.2.7.
func TestNoDiagnosticsOnValidConfigs(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(testenv.RepoRoot(t), "testdata", "check", "valid", "*.conf"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 6 {
		t.Fatalf("only %d valid configurations", len(files))
	}
	for _, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, target := range []string{"", "2.2.7", "2.3.3"} {
			t.Run(filepath.Base(f)+"/"+targetVersion(t, target).String(), func(t *testing.T) {
				got := checkBoth(t, f, text, Config{Target: targetVersion(t, target)}, parser.Options{})
				for _, d := range got {
					t.Errorf("unexpected diagnostic: %s", diagString(d))
				}
			})
		}
	}
}
