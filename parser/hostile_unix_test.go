//go:build unix

package parser_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/keepalived-ls/keepalived-ls/internal/testenv"
	"github.com/keepalived-ls/keepalived-ls/parser"
)

// TestHostileIncludeFIFO: opening a FIFO for reading blocks until a writer
// comes. An include of a FIFO (directly or through a glob) is skipped
// without opening it, and OSFS.ReadFile refuses it without blocking.
func TestHostileIncludeFIFO(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "conf.d", "fifo.conf")
	writeFiles(t, dir, map[string]string{
		"keepalived.conf": "include conf.d/fifo.conf\ninclude conf.d/*.conf\n",
		"conf.d/a.conf":   "vrrp_script a {\n  script /bin/true\n}\n",
	})
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("cannot create a FIFO: %v", err)
	}
	doc := parseFile(t, dir, "keepalived.conf")
	msg := "keepalived skips '" + fifo + "': it only reads regular files that are not executable"
	wantDiag(t, doc, hostileDiag{"", 1, parser.Warning, "include-skipped", msg})
	wantDiag(t, doc, hostileDiag{"", 2, parser.Warning, "include-skipped", msg})
	if got := doc.IncludedFiles(); len(got) != 1 || filepath.Base(got[0]) != "a.conf" {
		t.Errorf("IncludedFiles() = %v, want a.conf", got)
	}
	var err error
	testenv.Within(t, hostileLimit, func() { _, err = parser.OSFS{}.ReadFile(fifo) })
	if err == nil || err.Error() != "not a regular file (a FIFO): keepalived-ls only reads regular files" {
		t.Errorf("OSFS.ReadFile(FIFO): %v", err)
	}
	// A FIFO with a writer waiting is not read either.
	go func() {
		if f, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil {
			f.Write([]byte("vrrp_script z {\n}\n"))
			f.Close()
		}
	}()
	testenv.Within(t, hostileLimit, func() { _, err = parser.OSFS{}.ReadFile(fifo) })
	if err == nil {
		t.Errorf("OSFS.ReadFile read a FIFO")
	}
	// Unblock the writer, whatever happened.
	if f, err := os.OpenFile(fifo, os.O_RDONLY|syscall.O_NONBLOCK, 0); err == nil {
		f.Close()
	}
}
