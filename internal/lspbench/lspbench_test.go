package lspbench

import (
	"bytes"
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
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

// TestKeystrokeLatency types into a 1.5k-line and a 280k-line file and
// requires the latency on the large file to stay within 2x of the small one
// (plus 2 ms of slack for timer noise) and under 5 ms at p50.
func TestKeystrokeLatency(t *testing.T) {
	benchOnly(t)
	small, err := Run(inProcess(t), "file:///tmp/small.conf", generate(t, 1, 25, 4), 200)
	if err != nil {
		t.Fatal(err)
	}
	large, err := Run(inProcess(t), "file:///tmp/large.conf", generate(t, benchgen.StdInstances, benchgen.StdVirtualServers, benchgen.StdRealServers), 200)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []Result{small, large} {
		t.Logf("%7d lines: open %v, keystroke p50 %v p95 %v max %v, %d diagnostics",
			r.Lines, r.Open.Round(time.Millisecond), r.P50.Round(10*time.Microsecond), r.P95.Round(10*time.Microsecond), r.Max.Round(10*time.Microsecond), r.Diagnostics)
	}
	if large.P50 > 2*small.P50+2*time.Millisecond {
		t.Errorf("keystroke latency grows with file size: p50 %v on %d lines vs %v on %d lines", large.P50, large.Lines, small.P50, small.Lines)
	}
	if large.P50 > 5*time.Millisecond {
		t.Errorf("keystroke p50 on %d lines is %v, want under 5 ms", large.Lines, large.P50)
	}
}

// TestMemoryAfterOpen starts the real binary, opens the 280k-line file and
// reads the process's resident memory once its diagnostics are out.
func TestMemoryAfterOpen(t *testing.T) {
	benchOnly(t)
	bin := filepath.Join(t.TempDir(), "keepalived-ls")
	build := exec.Command("go", "build", "-o", bin, "github.com/keepalived-ls/keepalived-ls/cmd/keepalived-ls")
	build.Dir = testenv.RepoRoot(t)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	c := NewClient(stdout, stdin)
	text := generate(t, benchgen.StdInstances, benchgen.StdVirtualServers, benchgen.StdRealServers)
	if _, err := c.Call("initialize", map[string]any{"capabilities": map[string]any{
		"textDocument": map[string]any{"publishDiagnostics": map[string]any{"versionSupport": true}}}}); err != nil {
		t.Fatal(err)
	}
	c.Notify("initialized", map[string]any{})
	c.Notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": "file:///tmp/large.conf", "languageId": "keepalived", "version": 1, "text": text}})
	if _, err := c.WaitDiagnostics("file:///tmp/large.conf", 1); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond)
	status, err := os.ReadFile("/proc/" + itoa(cmd.Process.Pid) + "/status")
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	var rssKB int
	for _, l := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			rssKB = atoi(strings.Fields(v)[0])
		}
	}
	t.Logf("resident memory after opening %d lines (%.1f MB): %d MB", strings.Count(text, "\n"), float64(len(text))/(1<<20), rssKB>>10)
	if rssKB > 150<<10 {
		t.Errorf("resident memory %d MB, want under 150 MB", rssKB>>10)
	}
}

func itoa(n int) string { return strings.TrimSpace(strings.Repeat(" ", 0) + fmtInt(n)) }

func fmtInt(n int) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(b[i:])
		}
	}
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}
