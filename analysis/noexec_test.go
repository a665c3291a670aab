package analysis_test

// keepalived-ls never executes the scripts a configuration names, never
// writes files on its own and reads only what the configuration includes
// (docs/limits.md, "Guarantees"). The configuration below names a script in
// every place keepalived runs one; the script would leave a marker file.
// The check pipeline, the formatter and the editor features run over it,
// then the command line (check in every output format, with keepalived -t
// when installed, fmt, expand) and the language server (serve, driven over
// stdin/stdout); the marker must never appear and the configuration must be
// unchanged.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/keepalived-ls/keepalived-ls/analysis"
	"github.com/keepalived-ls/keepalived-ls/analysis/format"
	"github.com/keepalived-ls/keepalived-ls/internal/testenv"
	"github.com/keepalived-ls/keepalived-ls/parser"
	"github.com/keepalived-ls/keepalived-ls/parser/schema"
)

// scriptConfig names the script (its absolute path) everywhere keepalived
// runs one; included files do too.
func scriptConfig(script string) map[string]string {
	s := func(args string) string { return `"` + script + " " + args + `"` }
	return map[string]string{
		"keepalived.conf": `global_defs {
    router_id lb1
    enable_script_security
    script_user root
    notify_fifo /tmp/keepalived-ls-noexec.fifo
    notify_fifo_script ` + s("notify_fifo") + `
    vrrp_notify_fifo_script ` + s("vrrp_notify_fifo") + `
    lvs_notify_fifo_script ` + s("lvs_notify_fifo") + `
    startup_script ` + s("startup") + `
    shutdown_script ` + s("shutdown") + `
}
$SCRIPT=` + script + `
vrrp_script chk {
    script ` + s("vrrp_script") + `
    interval 1
}
vrrp_script chk_def {
    script "${SCRIPT} definition"
}
vrrp_instance VI_1 {
    state MASTER
    interface eth0
    virtual_router_id 51
    priority 100
    notify ` + s("notify") + `
    notify_master ` + s("master") + `
    notify_backup ` + s("backup") + `
    notify_fault ` + s("fault") + `
    notify_stop ` + s("stop") + `
    notify_deleted ` + s("deleted") + `
    track_script {
        chk
        chk_def
    }
    virtual_ipaddress {
        192.0.2.1/24
    }
}
vrrp_sync_group G {
    group {
        VI_1
    }
    notify ` + s("sync") + `
}
virtual_server 10.0.0.1 80 {
    quorum_up ` + s("quorum_up") + `
    quorum_down ` + s("quorum_down") + `
    real_server 10.0.0.2 80 {
        notify_up ` + s("notify_up") + `
        notify_down ` + s("notify_down") + `
        MISC_CHECK {
            misc_path ` + s("misc") + `
        }
    }
}
include scripts.conf
include ` + script + `
include ` + filepath.Dir(script) + `/*.sh
`,
		"scripts.conf": "vrrp_script chk_inc {\n    script " + s("included") + "\n}\n",
	}
}

// noexecSetup writes the script and the configuration into a new directory.
// The script appends its arguments to the marker file.
func noexecSetup(t *testing.T) (dir, conf, marker string) {
	t.Helper()
	dir = t.TempDir()
	marker = filepath.Join(dir, "MARKER")
	script := filepath.Join(dir, "bin", "mark.sh")
	if err := os.MkdirAll(filepath.Dir(script), 0o755); err != nil {
		t.Fatal(err)
	}
	body := "#!/bin/sh\necho \"$*\" >> '" + marker + "'\n"
	if err := os.WriteFile(script, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, text := range scriptConfig(script) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	conf = filepath.Join(dir, "keepalived.conf")
	if runtime.GOOS != "windows" {
		// The marker script works: running it by hand creates the marker.
		probe := filepath.Join(t.TempDir(), "probe.sh")
		if err := os.WriteFile(probe, []byte("#!/bin/sh\necho probe > '"+marker+".probe'\n"), 0o755); err == nil {
			if err := exec.Command(probe).Run(); err != nil {
				t.Fatalf("the marker script mechanism does not work here: %v", err)
			}
			if _, err := os.Stat(marker + ".probe"); err != nil {
				t.Fatalf("the probe script left no marker: %v", err)
			}
			os.Remove(marker + ".probe")
		}
	}
	return dir, conf, marker
}

// noMarker fails when a script ran; unchanged fails when a file changed.
func noMarker(t *testing.T, marker, after string) {
	t.Helper()
	if b, err := os.ReadFile(marker); err == nil {
		t.Fatalf("a script named in the configuration ran %s: %q", after, b)
	}
}

func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		files[p] = fmt.Sprintf("%v %s", info.Mode(), b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func unchanged(t *testing.T, dir string, before map[string]string, after string) {
	t.Helper()
	now := snapshot(t, dir)
	for p, s := range before {
		if now[p] != s {
			t.Errorf("%s changed %s", p, after)
		}
	}
	for p := range now {
		if _, ok := before[p]; !ok {
			t.Errorf("%s was created %s", p, after)
		}
	}
}

// TestNeverExecutesAnalysis runs the check pipeline, the formatter and the
// editor features over the configuration.
func TestNeverExecutesAnalysis(t *testing.T) {
	dir, conf, marker := noexecSetup(t)
	before := snapshot(t, dir)
	text, err := os.ReadFile(conf)
	if err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{"", "2.2.7"} {
		cfg := analysis.Config{Target: targetOf(t, target)}
		opts := parser.Options{Version: cfg.Target}
		doc := parser.Parse(conf, text, opts)
		diags := analysis.Check(doc, cfg)
		analysis.NewChecker(cfg).CheckText(conf, text, opts)
		for _, d := range diags {
			for _, f := range d.Fixes {
				_ = f.Edits // fixes are data: nothing applies them
			}
		}
		format.Format(text, format.Options{})
		analysis.Outline(doc)
		analysis.FoldingRanges(doc)
		analysis.SemanticTokens(doc, 0, doc.LineCount(), 0)
		analysis.InlayHints(doc, 0, doc.LineCount())
		for ln := 0; ln < doc.LineCount(); ln++ {
			line := doc.Line(ln)
			for _, col := range []int{0, len(line) / 2, len(line)} {
				analysis.Hover(doc, ln, col, true)
				analysis.Complete(doc, ln, col, analysis.CompletionOptions{Target: cfg.Target})
			}
		}
		if len(doc.IncludedFiles()) != 1 || filepath.Base(doc.IncludedFiles()[0]) != "scripts.conf" {
			t.Errorf("read %v through includes, want scripts.conf only (the script is executable)", doc.IncludedFiles())
		}
	}
	noMarker(t, marker, "during the analysis")
	unchanged(t, dir, before, "during the analysis")
}

func targetOf(t *testing.T, s string) schema.Version {
	t.Helper()
	v, err := schema.ParseVersion(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// cliBinary builds keepalived-ls into a temporary directory.
func cliBinary(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		if testenv.CI() {
			t.Fatalf("go is not in PATH: %v", err)
		}
		t.Skipf("go is not in PATH: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "keepalived-ls")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	cmd := exec.Command(goTool, "build", "-o", bin, "./cmd/keepalived-ls")
	cmd.Dir = testenv.RepoRoot(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/keepalived-ls: %v\n%s", err, out)
	}
	return bin
}

// runBin runs the binary with a time limit and returns its exit status and
// output.
func runBin(t *testing.T, stdin io.Reader, bin string, args ...string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), hostileLimit)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stdin = stdin
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("keepalived-ls %s did not finish within %v", strings.Join(args, " "), hostileLimit)
	}
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("keepalived-ls %s: %v", strings.Join(args, " "), err)
	}
	return code, out.String(), errb.String()
}

// TestNeverExecutesCLI runs the command line over the configuration, then
// the language server, and checks hostile inputs of the command line.
func TestNeverExecutesCLI(t *testing.T) {
	bin := cliBinary(t)
	dir, conf, marker := noexecSetup(t)
	before := snapshot(t, dir)
	for _, args := range [][]string{
		{"check", conf},
		{"check", "--format", "json", conf},
		{"check", "--format", "sarif", "--target-version", "2.2.7", conf},
		{"fmt", conf},
		{"fmt", "--diff", conf},
		{"fmt", "--check", conf},
		{"expand", conf},
	} {
		code, out, errOut := runBin(t, nil, bin, args...)
		if code == 2 || out == "" && args[0] != "fmt" {
			t.Errorf("keepalived-ls %s: exit %d, stdout %q, stderr %q", strings.Join(args, " "), code, out, errOut)
		}
		noMarker(t, marker, "during keepalived-ls "+strings.Join(args, " "))
	}
	code, _, _ := runBin(t, strings.NewReader(scriptConfig(filepath.Join(dir, "bin", "mark.sh"))["keepalived.conf"]), bin, "check", "-")
	if code == 2 {
		t.Errorf("check - failed")
	}
	noMarker(t, marker, "during keepalived-ls check -")
	unchanged(t, dir, before, "by the command line")

	t.Run("with-keepalived", func(t *testing.T) {
		// keepalived -t checks the configuration; it does not run its
		// scripts either.
		testenv.Tool(t, "keepalived", "apt-get install keepalived")
		if code, out, errOut := runBin(t, nil, bin, "check", "--with-keepalived", conf); code == 2 {
			t.Errorf("check --with-keepalived: exit 2\n%s%s", out, errOut)
		}
		noMarker(t, marker, "during keepalived-ls check --with-keepalived")
		unchanged(t, dir, before, "by keepalived -t")
	})

	t.Run("serve", func(t *testing.T) {
		lspSession(t, bin, conf)
		noMarker(t, marker, "during keepalived-ls serve")
		unchanged(t, dir, before, "by the language server")
	})

	t.Run("hostile inputs", func(t *testing.T) {
		hdir := t.TempDir()
		big := filepath.Join(hdir, "big.conf")
		f, err := os.Create(big)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Truncate(100 << 20); err != nil {
			t.Fatal(err)
		}
		f.Close()
		code, out, errOut := runBin(t, nil, bin, "check", big)
		if wantErr := "keepalived-ls check: " + big + ": file is larger than 64 MB\n"; code != 2 || out != "" || errOut != wantErr {
			t.Errorf("check of a 100 MB file: exit %d, stdout %q, stderr %q; want exit 2 and %q", code, out, errOut, wantErr)
		}
		loop := filepath.Join(hdir, "loop.conf")
		if err := os.WriteFile(loop, []byte("include loop.conf\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		code, out, _ = runBin(t, nil, bin, "check", loop)
		if want := loop + ":1:9: error: include cycle: loop.conf → loop.conf (keepalived would loop until it runs out of file handles) [include-cycle]\n"; code != 1 || out != want {
			t.Errorf("check of a self-including file: exit %d, stdout %q; want exit 1 and %q", code, out, want)
		}
	})
}

// lspSession runs keepalived-ls serve, opens the configuration, waits for
// its diagnostics, asks for hover, formatting, code actions and symbols,
// then shuts the server down.
func lspSession(t *testing.T, bin, conf string) {
	t.Helper()
	text, err := os.ReadFile(conf)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), hostileLimit)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "serve")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		cancel()
		<-exited
	}()
	send := func(msg map[string]any) {
		msg["jsonrpc"] = "2.0"
		b, _ := json.Marshal(msg)
		fmt.Fprintf(stdin, "Content-Length: %d\r\n\r\n%s", len(b), b)
	}
	frames := make(chan map[string]any, 64)
	go func() {
		defer close(frames)
		r := bufio.NewReader(stdout)
		for {
			n := -1
			for {
				line, err := r.ReadString('\n')
				if err != nil {
					return
				}
				line = strings.TrimSpace(line)
				if line == "" {
					break
				}
				if v, ok := strings.CutPrefix(line, "Content-Length: "); ok {
					n, _ = strconv.Atoi(v)
				}
			}
			if n < 0 {
				return
			}
			body := make([]byte, n)
			if _, err := io.ReadFull(r, body); err != nil {
				return
			}
			var m map[string]any
			if json.Unmarshal(body, &m) == nil {
				frames <- m
			}
		}
	}()
	// wait reads frames until one satisfies ok.
	wait := func(what string, ok func(map[string]any) bool) map[string]any {
		for {
			select {
			case m, open := <-frames:
				if !open {
					t.Fatalf("the server closed stdout while waiting for %s; stderr:\n%s", what, stderr.String())
				}
				if ok(m) {
					return m
				}
			case <-ctx.Done():
				t.Fatalf("no %s from the server; stderr:\n%s", what, stderr.String())
			}
		}
	}
	response := func(id int) func(map[string]any) bool {
		return func(m map[string]any) bool {
			v, ok := m["id"].(float64)
			return ok && int(v) == id && m["method"] == nil
		}
	}
	docURI := (&url.URL{Scheme: "file", Path: filepath.ToSlash(conf)}).String()
	rootURI := (&url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Dir(conf))}).String()
	send(map[string]any{"id": 1, "method": "initialize", "params": map[string]any{
		"processId": nil, "rootUri": rootURI, "capabilities": map[string]any{}}})
	wait("initialize response", response(1))
	send(map[string]any{"method": "initialized", "params": map[string]any{}})
	send(map[string]any{"method": "textDocument/didOpen", "params": map[string]any{
		"textDocument": map[string]any{"uri": docURI, "languageId": "keepalived", "version": 1, "text": string(text)}}})
	wait("diagnostics", func(m map[string]any) bool {
		p, _ := m["params"].(map[string]any)
		return m["method"] == "textDocument/publishDiagnostics" && p["uri"] == docURI
	})
	td := map[string]any{"uri": docURI}
	send(map[string]any{"id": 2, "method": "textDocument/formatting", "params": map[string]any{
		"textDocument": td, "options": map[string]any{"tabSize": 4, "insertSpaces": true}}})
	wait("formatting response", response(2))
	send(map[string]any{"id": 3, "method": "textDocument/hover", "params": map[string]any{
		"textDocument": td, "position": map[string]any{"line": 13, "character": 8}}})
	wait("hover response", response(3))
	send(map[string]any{"id": 4, "method": "textDocument/codeAction", "params": map[string]any{
		"textDocument": td, "range": map[string]any{"start": map[string]any{"line": 0, "character": 0}, "end": map[string]any{"line": 60, "character": 0}},
		"context": map[string]any{"diagnostics": []any{}}}})
	wait("code action response", response(4))
	send(map[string]any{"id": 5, "method": "textDocument/documentSymbol", "params": map[string]any{"textDocument": td}})
	wait("document symbol response", response(5))
	send(map[string]any{"method": "textDocument/didSave", "params": map[string]any{"textDocument": td}})
	send(map[string]any{"id": 6, "method": "shutdown"})
	wait("shutdown response", response(6))
	send(map[string]any{"method": "exit"})
	stdin.Close()
	select {
	case err := <-exited:
		exited <- err // for the deferred wait
		if err != nil {
			t.Errorf("the server exited with %v; stderr:\n%s", err, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Errorf("the server did not exit after exit")
	}
}
