package lspbench

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/keepalived-ls/keepalived-ls/internal/benchgen"
	"github.com/keepalived-ls/keepalived-ls/internal/testenv"
	"github.com/keepalived-ls/keepalived-ls/server"
)

// benchOnly skips measurements unless KEEPALIVED_LS_BENCH=1 (tools/bench.sh
// sets it): timings mean nothing under -race or on a busy machine.
func benchOnly(t *testing.T) {
	if os.Getenv("KEEPALIVED_LS_BENCH") != "1" {
		t.Skip("a measurement: run with KEEPALIVED_LS_BENCH=1 (tools/bench.sh)")
	}
}

func generate(t testing.TB, instances, vs, rs int) string {
	var b bytes.Buffer
	if err := benchgen.Write(&b, instances, vs, rs); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// inProcess runs a server on one end of a pipe.
func inProcess(t testing.TB) *Client {
	a, b := net.Pipe()
	s := server.New(server.Options{})
	go s.Serve(context.Background(), a)
	t.Cleanup(func() { a.Close(); b.Close() })
	return NewClient(b, b)
}

// sizes are the generated files measured, from about 1.5k to 300k lines:
// vrrp_instances and virtual_servers (4 real_servers each) for benchgen.
var sizes = []struct{ instances, virtualServers int }{
	{1, 25}, {6, 175}, {20, 530}, {70, 1770}, {benchgen.StdInstances, benchgen.StdVirtualServers},
}

// TestKeystrokeLatency types into files of 1k to 283k lines and requires
// the latency on the largest to stay within 2x of the smallest (plus 2 ms
// of slack for timer noise) and under 5 ms at p50. It also times hover,
// completion and definition requests across each file (p95 under 20 ms)
// and formatting each whole file (under 1 s).
func TestKeystrokeLatency(t *testing.T) {
	benchOnly(t)
	var results []Result
	for _, sz := range sizes {
		text := generate(t, sz.instances, sz.virtualServers, benchgen.StdRealServers)
		r, err := Run(inProcess(t), "file:///tmp/bench.conf", text, 200)
		if err != nil {
			t.Fatal(err)
		}
		results = append(results, r)
	}
	t.Logf("| Lines | Open | Keystroke p50 | p95 | max | Hover p50 | p95 | Completion p50 | p95 | Definition p50 | p95 | Format file (median) |")
	t.Logf("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, r := range results {
		t.Logf("| %d | %v | %v | %v | %v | %v | %v | %v | %v | %v | %v | %v |", r.Lines, r.Open.Round(time.Millisecond),
			us(r.P50), us(r.P95), us(r.Max), us(r.Hover.P50), us(r.Hover.P95), us(r.Completion.P50), us(r.Completion.P95),
			us(r.Definition.P50), us(r.Definition.P95), us(r.Formatting.P50))
	}
	small, large := results[0], results[len(results)-1]
	if large.P50 > 2*small.P50+2*time.Millisecond {
		t.Errorf("keystroke latency grows with file size: p50 %v on %d lines vs %v on %d lines", large.P50, large.Lines, small.P50, small.Lines)
	}
	if large.P50 > 5*time.Millisecond {
		t.Errorf("keystroke p50 on %d lines is %v, want under 5 ms", large.Lines, large.P50)
	}
	for _, r := range results {
		if r.Hover.P95 > 20*time.Millisecond || r.Completion.P95 > 20*time.Millisecond || r.Definition.P95 > 20*time.Millisecond {
			t.Errorf("%d lines: hover p95 %v, completion p95 %v, definition p95 %v, want under 20 ms",
				r.Lines, r.Hover.P95, r.Completion.P95, r.Definition.P95)
		}
		if r.Formatting.P50 > time.Second {
			t.Errorf("%d lines: formatting takes %v, want under 1 s", r.Lines, r.Formatting.P50)
		}
	}
}

func us(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }

// TestMemoryAfterOpen starts the real binary, opens generated files of
// growing size (one process each) and reads the resident memory before
// and after, once the diagnostics are out: memory per MB of configuration.
func TestMemoryAfterOpen(t *testing.T) {
	benchOnly(t)
	bin := filepath.Join(t.TempDir(), "keepalived-ls")
	build := exec.Command("go", "build", "-o", bin, "github.com/keepalived-ls/keepalived-ls/cmd/keepalived-ls")
	build.Dir = testenv.RepoRoot(t)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	t.Logf("| Lines | Size | RSS before open | RSS after open | per MB of config |")
	t.Logf("|---:|---:|---:|---:|---:|")
	for _, sz := range sizes[2:] {
		text := generate(t, sz.instances, sz.virtualServers, benchgen.StdRealServers)
		before, after := openAndMeasure(t, bin, text)
		mb := float64(len(text)) / (1 << 20)
		t.Logf("| %d | %.1f MB | %d MB | %d MB | %.1f MB |", strings.Count(text, "\n"), mb, before>>10, after>>10, float64(after-before)/1024/mb)
		if after > 150<<10 {
			t.Errorf("resident memory %d MB after opening %.1f MB, want under 150 MB", after>>10, mb)
		}
	}
}

// openAndMeasure returns the binary's resident memory (KiB) after
// initialize and after opening text.
func openAndMeasure(t *testing.T, bin, text string) (before, after int) {
	cmd := exec.Command(bin)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	c := NewClient(stdout, stdin)
	if _, err := c.Call("initialize", map[string]any{"capabilities": map[string]any{
		"textDocument": map[string]any{"publishDiagnostics": map[string]any{"versionSupport": true}}}}); err != nil {
		t.Fatal(err)
	}
	c.Notify("initialized", map[string]any{})
	time.Sleep(200 * time.Millisecond)
	before = rss(t, cmd.Process.Pid)
	c.Notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": "file:///tmp/large.conf", "languageId": "keepalived", "version": 1, "text": text}})
	if _, err := c.WaitDiagnostics("file:///tmp/large.conf", 1); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond)
	return before, rss(t, cmd.Process.Pid)
}

// rss reads a process's resident memory in KiB from /proc.
func rss(t *testing.T, pid int) int {
	status, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	for _, l := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			if f := strings.Fields(v); len(f) > 0 {
				kb, _ := strconv.Atoi(f[0])
				return kb
			}
		}
	}
	t.Fatal("no VmRSS in /proc/PID/status")
	return 0
}
