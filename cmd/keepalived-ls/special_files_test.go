//go:build linux

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
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
			type result struct {
				code   int
				errOut string
			}
			done := make(chan result, 1)
			go func() {
				code, _, errOut := runCLI(t, "", c.args...)
				done <- result{code, errOut}
			}()
			select {
			case r := <-done:
				if r.code != 2 {
					t.Errorf("exit status %d, want 2 (stderr %q)", r.code, r.errOut)
				}
				if !strings.Contains(r.errOut, c.want) {
					t.Errorf("stderr %q does not contain %q", r.errOut, c.want)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("%v did not return within 10 s", c.args)
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
	done := make(chan string, 1)
	go func() {
		code, _, errOut := runCLI(t, "", "check", filepath.Join(dir, "clean.conf"))
		if code != 2 {
			errOut = "unexpected exit status: " + errOut
		}
		done <- errOut
	}()
	select {
	case errOut := <-done:
		if !strings.Contains(errOut, ".keepalived-ls.toml: not a regular file (a FIFO)") {
			t.Errorf("stderr %q does not name the project file and why it was refused", errOut)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("check did not return within 10 s")
	}
}
