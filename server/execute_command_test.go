package server

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

func (c *testClient) showExpanded(arg any) (string, error) {
	b, err := json.Marshal(arg)
	if err != nil {
		c.t.Fatal(err)
	}
	var out string
	err = c.call(protocol.MethodWorkspaceExecuteCommand, &protocol.ExecuteCommandParams{
		Command: CommandShowExpanded, Arguments: []protocol.LSPAny{b}}, &out)
	return out, err
}

// TestShowExpanded: keepalived.showExpanded returns the open buffer's
// effective configuration (unsaved text, included file from disk, the
// configured config id or the one asked for).
func TestShowExpanded(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "vips.conf"), []byte("10.0.0.10/24\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "keepalived.conf")
	if err := os.WriteFile(path, []byte("# saved text, not the buffer\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c := start(t, clientOptions{InitOptions: map[string]any{"keepalived": map[string]any{"configId": "lb2"}}})
	u := uri.File(path)
	c.open(u, `@lb1 $PRIO=150
@^lb1 $PRIO=100
vrrp_instance VI_1 {
    priority $PRIO
    virtual_ipaddress {
        include vips.conf
    }
}
`)
	want := func(prio string) string {
		return "vrrp_instance VI_1 {\n    priority " + prio + "\n    virtual_ipaddress {\n        # from vips.conf:1\n        10.0.0.10/24\n    # from keepalived.conf:7\n    }\n}\n"
	}
	for _, tc := range []struct {
		arg  any
		want string
	}{
		{string(u), want("100")},
		{map[string]any{"uri": string(u)}, want("100")},
		{map[string]any{"uri": string(u), "configId": "lb1"}, want("150")},
		{map[string]any{"uri": string(u), "configId": "lb2"}, want("100")},
	} {
		got, err := c.showExpanded(tc.arg)
		if err != nil || got != tc.want {
			t.Errorf("%v: %v\n%s\nwant:\n%s", tc.arg, err, got, tc.want)
		}
	}
	// A file that is not open is read from disk.
	got, err := c.showExpanded(string(uri.File(filepath.Join(dir, "vips.conf"))))
	if err != nil || got != "10.0.0.10/24\n" {
		t.Errorf("closed file: %v %q", err, got)
	}
	// Bad arguments are errors, and the server keeps serving.
	for _, arg := range []any{42, map[string]any{"configId": "x"}, string(uri.File(filepath.Join(dir, "missing.conf"))), "untitled:Untitled-1"} {
		if _, err := c.showExpanded(arg); errorCode(err) != jsonrpc2.InvalidParams {
			t.Errorf("%v: got %v, want invalid params", arg, err)
		}
	}
	var out any
	err = c.call(protocol.MethodWorkspaceExecuteCommand, &protocol.ExecuteCommandParams{Command: "keepalived.nope"}, &out)
	if errorCode(err) != jsonrpc2.InvalidParams {
		t.Errorf("unknown command: %v", err)
	}
	if got, err := c.showExpanded(string(u)); err != nil || got != want("100") {
		t.Errorf("after errors: %v %q", err, got)
	}
}

// TestExecuteCommandCapability lists the command.
func TestExecuteCommandCapability(t *testing.T) {
	c := newClient(t)
	res := c.initialize(clientOptions{})
	if cmds := res.Capabilities.ExecuteCommandProvider.Commands; len(cmds) != 1 || cmds[0] != CommandShowExpanded {
		t.Errorf("commands %v", cmds)
	}
}
