package server

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/keepalived-ls/keepalived-ls/internal/testenv"
)

// projectConfText has a keyword of keepalived 2.3.3 (line 3) and extra
// arguments (line 4).
const projectConfText = "global_defs {\n    router_id lb1\n    json_dump_file /tmp/keepalived.json\n    vrrp_version 2 3\n}\n"

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func codes(ds []protocol.Diagnostic) []string {
	var out []string
	for _, d := range ds {
		out = append(out, diagCode(d))
	}
	return out
}

// TestProjectFile: the project file above a document applies to it, and
// the client's settings win over it.
func TestProjectFile(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		".keepalived-ls.toml": "target-version = \"2.2.7\"\n[rules]\nextra-arguments = \"off\"\n",
		"etc/keepalived.conf": projectConfText,
	})
	u := uri.File(filepath.Join(dir, "etc", "keepalived.conf"))

	c := start(t, clientOptions{})
	c.open(u, projectConfText)
	if got := codes(c.diagsFor(u, 1)); !slices.Equal(got, []string{"unavailable-in-version"}) {
		t.Errorf("with the project file: %q", got)
	}

	c2 := start(t, clientOptions{InitOptions: map[string]any{"keepalived": map[string]any{
		"targetVersion": "2.4.3", "rules": map[string]string{"extra-arguments": "error"}}}})
	c2.open(u, projectConfText)
	ds := c2.diagsFor(u, 1)
	if got := codes(ds); !slices.Equal(got, []string{"extra-arguments"}) || ds[0].Severity != protocol.DiagnosticSeverityError {
		t.Errorf("client settings should win: %q", full(ds))
	}
}

// TestProjectFileChanges: a changed project file (workspace/
// didChangeWatchedFiles) is read again.
func TestProjectFileChanges(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"keepalived.conf": projectConfText})
	u := uri.File(filepath.Join(dir, "keepalived.conf"))
	c := start(t, clientOptions{})
	c.open(u, projectConfText)
	if got := codes(c.diagsFor(u, 1)); !slices.Equal(got, []string{"extra-arguments"}) {
		t.Fatalf("without a project file: %q", got)
	}
	n := c.seq()
	pf := filepath.Join(dir, ".keepalived-ls.toml")
	writeFiles(t, dir, map[string]string{".keepalived-ls.toml": "[rules]\nextra-arguments = \"off\"\n"})
	c.notify(protocol.MethodWorkspaceDidChangeWatchedFiles, &protocol.DidChangeWatchedFilesParams{
		Changes: []protocol.FileEvent{{URI: uri.File(pf), Type: protocol.FileChangeTypeCreated}}})
	p := c.nextPublish(u, n, func(p publish) bool { return len(p.diags) == 0 })
	if len(p.diags) != 0 {
		t.Errorf("after the project file appeared: %q", full(p.diags))
	}
}

// TestProjectIncludeRoots: an unsaved document resolves its relative
// includes in the include roots of the workspace's project file.
func TestProjectIncludeRoots(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		".keepalived-ls.toml":          "include-roots = [\"etc/keepalived\"]\n",
		"etc/keepalived/conf.d/a.conf": "global_defs {\n    router_idd lb1\n}\n",
	})
	c := start(t, clientOptions{RootURI: uri.File(root)})
	u := uri.URI("untitled:Untitled-1")
	c.open(u, "include conf.d/*.conf\n")
	if got := c.diagsFor(u, 1); len(got) != 0 {
		t.Errorf("the include should resolve: %q", full(got))
	}
	inc := uri.File(filepath.Join(root, "etc", "keepalived", "conf.d", "a.conf"))
	c.waitFor("diagnostics of the included file", func() bool { // c.mu held
		for i := len(c.publishes) - 1; i >= 0; i-- {
			if p := c.publishes[i]; p.uri == inc {
				return len(p.diags) == 1 && diagCode(p.diags[0]) == "unknown-keyword"
			}
		}
		return false
	})
}

// TestProjectFileError: a bad project file is reported to the user and
// ignored.
func TestProjectFileError(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		".keepalived-ls.toml": "target-version = \"banana\"\n",
		"keepalived.conf":     projectConfText,
	})
	u := uri.File(filepath.Join(dir, "keepalived.conf"))
	c := start(t, clientOptions{})
	c.open(u, projectConfText)
	if got := codes(c.diagsFor(u, 1)); !slices.Equal(got, []string{"extra-arguments"}) {
		t.Errorf("the bad project file should be ignored: %q", got)
	}
	c.waitFor("window/showMessage", func() bool { return slices.Contains(c.others, protocol.MethodWindowShowMessage) }) // c.mu held
}

// TestRunKeepalived: with runKeepalived, keepalived's own messages about a
// saved document are published with source "keepalived"; not while the
// buffer has unsaved changes.
func TestRunKeepalived(t *testing.T) {
	testenv.Tool(t, "keepalived", "apt-get install -y keepalived")
	dir := t.TempDir()
	text := "global_defs {\n    router_id lb1\n}\nvrrp_instance VI_1 {\n    interface nosuchif0\n    virtual_router_id 51\n    virtual_ipaddress {\n        192.168.1.10/24\n    }\n}\n"
	writeFiles(t, dir, map[string]string{"keepalived.conf": text})
	u := uri.File(filepath.Join(dir, "keepalived.conf"))

	c := start(t, clientOptions{InitOptions: map[string]any{"keepalived": map[string]any{"runKeepalived": true}}})
	c.open(u, text)
	ds := c.diagsFor(u, 1)
	if len(ds) != 1 || diagCode(ds[0]) != "keepalived-message" || ds[0].Range.Start.Line != 4 || !strings.Contains(diagMessage(ds[0]), "nosuchif0") {
		t.Fatalf("got %q", full(ds))
	}
	if src, _ := ds[0].Source.Get(); src != "keepalived" {
		t.Errorf("source %q", src)
	}
	v := c.replace(u, text+"\n")
	if ds := c.diagsFor(u, v); len(ds) != 0 {
		t.Errorf("unsaved buffer: %q", full(ds))
	}

	// Off by default.
	c2 := start(t, clientOptions{})
	c2.open(u, text)
	if ds := c2.diagsFor(u, 1); len(ds) != 0 {
		t.Errorf("without runKeepalived: %q", full(ds))
	}
}
