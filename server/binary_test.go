package server

// The real keepalived-ls binary over stdin/stdout, framed by hand.

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the process's writes and the
// test's reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// buildBinary builds cmd/keepalived-ls into dir.
func buildBinary(t *testing.T, dir string) string {
	t.Helper()
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goTool); err != nil {
		if goTool, err = exec.LookPath("go"); err != nil {
			t.Skip("no go tool to build the binary")
		}
	}
	bin := filepath.Join(dir, "keepalived-ls")
	cmd := exec.Command(goTool, "build", "-o", bin, "github.com/keepalived-ls/keepalived-ls/cmd/keepalived-ls")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// process is a running server binary.
type process struct {
	t      *testing.T
	cmd    *exec.Cmd
	rc     *rawConn
	stdin  io.WriteCloser
	stderr *syncBuffer
	waited chan error
}

func startBinary(t *testing.T, bin string, args ...string) *process {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = t.TempDir()
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	// Our own pipe for stdout: Wait closes the one of StdoutPipe, maybe
	// while the reader still reads, and stdout must end in a clean EOF.
	stdout, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stdout.Close() })
	cmd.Stdout = w
	p := &process{t: t, cmd: cmd, stdin: stdin, stderr: &syncBuffer{}, waited: make(chan error, 1)}
	cmd.Stderr = p.stderr
	err = cmd.Start()
	w.Close()
	if err != nil {
		t.Fatal(err)
	}
	p.rc = newRawConn(t, stdout, stdin)
	go func() { p.waited <- cmd.Wait() }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
		}
		if t.Failed() {
			t.Logf("stderr of %s:\n%s", strings.Join(args, " "), p.stderr.String())
		}
	})
	return p
}

// exitCode waits for the process to end.
func (p *process) exitCode() int {
	p.t.Helper()
	select {
	case err := <-p.waited:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		if err != nil {
			p.t.Fatalf("wait: %v", err)
		}
		return 0
	case <-time.After(waitTimeout):
		p.t.Fatal("the server did not exit")
		return -1
	}
}

// stdoutClean requires that stdout ended cleanly: every byte was part of a
// well-formed frame.
func (p *process) stdoutClean() {
	p.t.Helper()
	for range p.rc.msgs {
	}
	if err := <-p.rc.errc; !errors.Is(err, io.EOF) {
		p.t.Errorf("stdout: %v", err)
	}
}

// session runs a whole editor session and returns the exit status.
func (p *process) session(t *testing.T) int {
	t.Helper()
	rc := p.rc
	rc.request(1, "initialize", map[string]any{"processId": os.Getpid(), "rootUri": nil, "clientInfo": map[string]any{"name": "binary-test"},
		"capabilities": map[string]any{"textDocument": map[string]any{"hover": map[string]any{"contentFormat": []string{"markdown"}},
			"publishDiagnostics": map[string]any{"versionSupport": true}}}})
	init := rc.response(1)
	var res struct {
		Capabilities map[string]json.RawMessage `json:"capabilities"`
		ServerInfo   struct{ Name string }      `json:"serverInfo"`
	}
	if err := json.Unmarshal(init.Result, &res); err != nil || res.ServerInfo.Name != "keepalived-ls" || res.Capabilities["hoverProvider"] == nil {
		t.Fatalf("initialize: %s", init.Body)
	}
	rc.notification("initialized", map[string]any{})
	rc.notification("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": "file:///nonexistent/keepalived.conf", "languageId": "keepalived", "version": 3, "text": simpleConf}})
	pub := rc.until("publishDiagnostics", func(m rawMsg) bool { return m.Method == "textDocument/publishDiagnostics" })
	var pd struct {
		URI         string `json:"uri"`
		Version     int    `json:"version"`
		Diagnostics []struct {
			Range struct {
				Start struct{ Line, Character int }
			}
			Code    string
			Message string
		}
	}
	if err := json.Unmarshal(pub.Params, &pd); err != nil || pd.URI != "file:///nonexistent/keepalived.conf" || pd.Version != 3 ||
		len(pd.Diagnostics) != 1 || pd.Diagnostics[0].Code != "unknown-keyword" || pd.Diagnostics[0].Range.Start.Line != 2 || pd.Diagnostics[0].Range.Start.Character != 4 {
		t.Errorf("publishDiagnostics: %s", pub.Params)
	}
	rc.request(2, "textDocument/hover", hoverParams("file:///nonexistent/keepalived.conf", 1, 6))
	if h := rc.response(2); !strings.Contains(string(h.Result), `**router_id**`) {
		t.Errorf("hover: %s", h.Body)
	}
	rc.request(3, "shutdown", nil)
	if m := rc.response(3); m.Error != nil || string(m.Result) != "null" {
		t.Errorf("shutdown: %s", m.Body)
	}
	rc.notification("exit", nil)
	code := p.exitCode()
	p.stdoutClean()
	return code
}

func TestBinary(t *testing.T) {
	bin := buildBinary(t, t.TempDir())
	for _, args := range [][]string{nil, {"--stdio"}, {"serve"}, {"serve", "--stdio"}} {
		t.Run("session "+strings.Join(append([]string{"keepalived-ls"}, args...), " "), func(t *testing.T) {
			p := startBinary(t, bin, args...)
			if code := p.session(t); code != 0 {
				t.Errorf("exit status %d, want 0", code)
			}
			// Logs went to stderr (info level: no debug lines).
			logs := p.stderr.String()
			for _, w := range []string{"starting", "initialize", "binary-test", "exiting"} {
				if !strings.Contains(logs, w) {
					t.Errorf("stderr lacks %q:\n%s", w, logs)
				}
			}
			if strings.Contains(logs, "DEBUG") {
				t.Errorf("debug lines at the default level:\n%s", logs)
			}
		})
	}
	t.Run("log-level-debug", func(t *testing.T) {
		p := startBinary(t, bin, "--log-level", "debug")
		if code := p.session(t); code != 0 {
			t.Errorf("exit status %d", code)
		}
		logs := p.stderr.String()
		for _, w := range []string{"DEBUG", "handled", "textDocument/hover", "diagnostics"} {
			if !strings.Contains(logs, w) {
				t.Errorf("debug stderr lacks %q:\n%s", w, logs)
			}
		}
	})
	t.Run("log-file", func(t *testing.T) {
		logFile := filepath.Join(t.TempDir(), "server.log")
		p := startBinary(t, bin, "serve", "--log-file", logFile, "--log-level=debug")
		if code := p.session(t); code != 0 {
			t.Errorf("exit status %d", code)
		}
		if s := p.stderr.String(); s != "" {
			t.Errorf("stderr with --log-file: %s", s)
		}
		b, err := os.ReadFile(logFile)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(b)), "\n")
		for _, l := range lines {
			var m map[string]any
			if err := json.Unmarshal([]byte(l), &m); err != nil {
				t.Errorf("log line is not JSON: %q", l)
			}
		}
		for _, w := range []string{`"msg":"starting"`, `"msg":"initialize"`, `"method":"textDocument/hover"`, `"level":"debug"`, `"msg":"exiting"`} {
			if !strings.Contains(string(b), w) {
				t.Errorf("log file lacks %s:\n%s", w, b)
			}
		}
	})
	t.Run("exit-without-shutdown", func(t *testing.T) {
		p := startBinary(t, bin)
		p.rc.initialize(1)
		p.rc.notification("exit", nil)
		if code := p.exitCode(); code != 1 {
			t.Errorf("exit status %d, want 1", code)
		}
	})
	t.Run("stdin-closed", func(t *testing.T) {
		p := startBinary(t, bin)
		p.rc.initialize(1)
		p.stdin.Close()
		if code := p.exitCode(); code != 1 {
			t.Errorf("exit status %d, want 1", code)
		}
		p.stdoutClean()
	})
	t.Run("malformed-input", func(t *testing.T) {
		p := startBinary(t, bin)
		p.rc.initialize(1)
		p.rc.sendBytes("Content-Length: 5\r\n\r\n{oops" + "garbage\r\n\r\n")
		p.rc.request(2, "textDocument/hover", hoverParams("untitled:x", 0, 0))
		if m := p.rc.response(2); m.Error != nil || string(m.Result) != "null" {
			t.Errorf("hover after garbage: %s", m.Body)
		}
		p.rc.request(3, "shutdown", nil)
		p.rc.response(3)
		p.rc.notification("exit", nil)
		if code := p.exitCode(); code != 0 {
			t.Errorf("exit status %d", code)
		}
		p.stdoutClean()
	})
	t.Run("bad-flag", func(t *testing.T) {
		out, err := exec.Command(bin, "serve", "--log-level", "loud").CombinedOutput()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 2 || !strings.Contains(string(out), "--log-level") {
			t.Errorf("bad log level: %v %s", err, out)
		}
	})
}
