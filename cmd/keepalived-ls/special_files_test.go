//go:build linux

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/keepalived-ls/keepalived-ls/internal/testenv"
)

// A FIFO without a writer, or a device that never ends, must give a usage
// error at once: reading them would hang the CLI or fill the memory.
func TestCLIRefusesFIFOsAndDevices(t *testing.T) {
	dir := writeConf(t, map[string]string{"clean.conf": cleanConf})
	fifo := filepath.Join(dir, "pipe.conf")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatalf("mkfifo: %v", err)
	}
	clean := filepath.Join(dir, "clean.conf")
	type tc struct {
		name string
		args []string
		want string
	}
	cases := []tc{
		{"check-fifo", []string{"check", fifo}, fifo + ": not a regular file (a FIFO)"},
		{"fmt-fifo", []string{"fmt", fifo}, "not a regular file (a FIFO)"},
		{"expand-fifo", []string{"expand", fifo}, "not a regular file (a FIFO)"},
		{"cluster-fifo", []string{"check", "--cluster", clean, fifo}, "not a regular file (a FIFO)"},
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		cases = append(cases,
			tc{"check-dev-zero", []string{"check", "/dev/zero"}, "/dev/zero: not a regular file (a character device)"},
			tc{"fmt-dev-zero", []string{"fmt", "/dev/zero"}, "not a regular file (a character device)"})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var code int
			var errOut string
			testenv.Within(t, 10*time.Second, func() { code, _, errOut = runCLI(t, "", c.args...) })
			if code != 2 {
				t.Errorf("exit status %d, want 2 (stderr %q)", code, errOut)
			}
			if !strings.Contains(errOut, c.want) {
				t.Errorf("stderr %q does not contain %q", errOut, c.want)
			}
		})
	}
}

// A project file that is a FIFO must not hang the CLI either.
func TestProjectFileFIFO(t *testing.T) {
	dir := writeConf(t, map[string]string{"clean.conf": cleanConf})
	if err := syscall.Mkfifo(filepath.Join(dir, ".keepalived-ls.toml"), 0o644); err != nil {
		t.Fatalf("mkfifo: %v", err)
	}
	var code int
	var errOut string
	testenv.Within(t, 10*time.Second, func() { code, _, errOut = runCLI(t, "", "check", filepath.Join(dir, "clean.conf")) })
	if code != 2 || !strings.Contains(errOut, ".keepalived-ls.toml: not a regular file (a FIFO)") {
		t.Errorf("exit status %d, stderr %q: want 2 and the project file named with why it was refused", code, errOut)
	}
}
