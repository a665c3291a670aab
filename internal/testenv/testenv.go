// Package testenv finds what tests need outside the repository: the shared
// reference material (../shared) and external tools (keepalived, nvim...).
package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
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
