// Package testenv finds what tests need outside the repository: the shared
// reference material (../shared) and external tools (keepalived, nvim...).
package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"
	"time"
)

// RepoRoot returns the directory holding go.mod.
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test's directory")
		}
		dir = parent
	}
}

// Shared returns the shared reference directory (KEEPALIVED_LS_SHARED, or
// ../shared next to the repository). Tests that need it skip when it is
// absent: users run the tests without it.
func Shared(t testing.TB) string {
	t.Helper()
	dir, ok := SharedDir(t)
	if !ok {
		t.Skipf("shared reference material not found at %s (set KEEPALIVED_LS_SHARED): skipping", dir)
	}
	return dir
}

// SharedDir returns where the shared reference directory is looked for and
// whether it is there, without skipping: for tests that only use it when
// they can, such as fuzz targets seeded from the corpus.
func SharedDir(t testing.TB) (string, bool) {
	t.Helper()
	dir := os.Getenv("KEEPALIVED_LS_SHARED")
	if dir == "" {
		dir = filepath.Join(RepoRoot(t), "..", "shared")
	}
	_, err := os.Stat(filepath.Join(dir, "corpus", "manifest.tsv"))
	return dir, err == nil
}

// CI reports whether the tests run in CI, where missing tools are failures.
func CI() bool { return os.Getenv("CI") == "true" }

// Tool returns the path of an external program. In CI a missing program
// fails the test; elsewhere the test is skipped with an install hint.
func Tool(t testing.TB, name, install string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if CI() {
			t.Fatalf("%s is required in CI but not installed (%s)", name, install)
		}
		t.Skipf("%s not installed (%s): skipping", name, install)
	}
	return p
}

// CorpusSeeds returns the texts fuzz targets start from: the repository's
// files matching patterns (relative to the repository root) and, when the
// shared reference material is present, the corpus of real configurations
// and templates. Unlike Shared it never skips: without the corpus the
// targets are seeded from the repository alone. Files larger than maxSize
// are left out (the fuzzer mutates small inputs much faster).
func CorpusSeeds(tb testing.TB, maxSize int64, patterns ...string) [][]byte {
	tb.Helper()
	root := RepoRoot(tb)
	var globs []string
	for _, p := range patterns {
		globs = append(globs, filepath.Join(root, p))
	}
	if shared, ok := SharedDir(tb); ok {
		globs = append(globs,
			filepath.Join(shared, "corpus", "configs", "*"),
			filepath.Join(shared, "corpus", "templates", "*"))
	}
	var out [][]byte
	for _, g := range globs {
		files, _ := filepath.Glob(g)
		sort.Strings(files)
		for _, f := range files {
			if st, err := os.Stat(f); err != nil || !st.Mode().IsRegular() || st.Size() > maxSize {
				continue
			}
			if b, err := os.ReadFile(f); err == nil {
				out = append(out, b)
			}
		}
	}
	return out
}

// Within runs f and fails the test if it does not return within limit: a
// read that blocks (a FIFO) or work that multiplies must not hang a test.
// It returns how long f took.
func Within(t testing.TB, limit time.Duration, f func()) time.Duration {
	t.Helper()
	done := make(chan struct{})
	start := time.Now()
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
		return time.Since(start)
	case <-time.After(limit):
		t.Fatalf("did not finish within %v", limit)
		return 0
	}
}
