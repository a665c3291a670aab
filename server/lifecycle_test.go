package server

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

const simpleConf = "global_defs {\n    router_id lb1\n    foo_bar 1\n}\n"

// hoverParams are raw hover params for simple requests.
func hoverParams(u string, line, char int) map[string]any {
	return map[string]any{"textDocument": map[string]any{"uri": u}, "position": map[string]any{"line": line, "character": char}}
}

func TestRequestsBeforeInitialize(t *testing.T) {
	c := newClient(t)
	for _, method := range []string{protocol.MethodTextDocumentHover, protocol.MethodShutdown, protocol.MethodTextDocumentCodeAction, protocol.MethodTextDocumentDiagnostic} {
		err := c.call(method, json.RawMessage(`{}`), nil)
		if got := errorCode(err); got != -32002 {
			t.Errorf("%s before initialize: error %v (code %d), want -32002", method, err, got)
		}
	}
	// Unknown requests are still MethodNotFound.
	if got := errorCode(c.call("custom/thing", nil, nil)); got != jsonrpc2.MethodNotFound {
		t.Errorf("unknown request before initialize: code %d", got)
	}
	res := c.initialize(clientOptions{})
	if res.ServerInfo.Name != "keepalived-ls" {
		t.Errorf("serverInfo %+v", res.ServerInfo)
	}
	if v, _ := res.ServerInfo.Version.Get(); v != "test" {
		t.Errorf("serverInfo.version %q", v)
	}
}

func TestInitializeResult(t *testing.T) {
	c := newClient(t)
	res := c.initialize(clientOptions{})
	caps := res.Capabilities
	if caps.PositionEncoding != protocol.PositionEncodingKindUTF16 {
		t.Errorf("positionEncoding %q, want utf-16", caps.PositionEncoding)
	}
	sync, ok := caps.TextDocumentSync.(*protocol.TextDocumentSyncOptions)
	if !ok || sync.Change == nil || *sync.Change != protocol.TextDocumentSyncKindIncremental || sync.OpenClose == nil || !*sync.OpenClose {
		t.Errorf("textDocumentSync %#v", caps.TextDocumentSync)
	}
	if caps.HoverProvider == nil {
		t.Error("no hoverProvider")
	}
	ca, ok := caps.CodeActionProvider.(*protocol.CodeActionOptions)
	if !ok || len(ca.CodeActionKinds) != 2 || ca.CodeActionKinds[0] != protocol.CodeActionKindQuickFix || ca.CodeActionKinds[1] != protocol.CodeActionKindSourceFixAll {
		t.Errorf("codeActionProvider %#v", caps.CodeActionProvider)
	}
	if caps.DiagnosticProvider != nil {
		t.Errorf("diagnosticProvider without client support: %#v", caps.DiagnosticProvider)
	}
}

func TestSecondInitializeRejected(t *testing.T) {
	c := start(t, clientOptions{})
	_, err := c.tryInitialize(clientOptions{UTF8: true})
	if got := errorCode(err); got != jsonrpc2.InvalidRequest {
		t.Fatalf("second initialize: %v (code %d), want InvalidRequest", err, got)
	}
	// The first session's settings stay: positions are still UTF-16.
	c.utf8 = false
	u := uri.URI("untitled:Untitled-1")
	c.open(u, "global_defs {\n  # é\n  é_bad 1\n}\n")
	d := oneWithCode(t, c.diagsFor(u, 1), "unknown-keyword")
	if d.Range != rng(2, 2, 2, 7) {
		t.Errorf("range %s, want UTF-16 2:2-2:7 (utf-8 would end at 8)", rangeString(d.Range))
	}
}

func TestNotificationsBeforeInitializeIgnored(t *testing.T) {
	c := newClient(t)
	early := uri.URI("untitled:early")
	c.open(early, simpleConf)
	c.notify(protocol.MethodInitialized, &protocol.InitializedParams{})
	c.notify(protocol.MethodWorkspaceDidChangeConfiguration, json.RawMessage(`{"settings":{"keepalived":{"targetVersion":"2.2.0"}}}`))
	c.initialize(clientOptions{})
	late := uri.URI("untitled:late")
	c.open(late, simpleConf)
	got := c.diagsFor(late, 1)
	if len(got) != 1 {
		t.Errorf("diagnostics %q", full(got))
	}
	if ps := c.publishesFor(early); len(ps) != 0 {
		t.Errorf("the document opened before initialize got diagnostics: %d publishes", len(ps))
	}
	h, err := c.hover(early, 1, 6)
	if err != nil || h != nil {
		t.Errorf("hover in a document opened before initialize: %v, %v", h, err)
	}
}

func TestShutdownExitCodes(t *testing.T) {
	for _, tc := range []struct {
		name   string
		params string // raw params member ("" for none)
	}{
		{"no-params", ""},
		{"null", `,"params":null`},
		{"empty-object", `,"params":{}`},
		{"empty-array", `,"params":[]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rc, served, _ := newRawClient(t)
			rc.initialize(1)
			rc.send(`{"jsonrpc":"2.0","id":2,"method":"shutdown"` + tc.params + `}`)
			m := rc.response(2)
			if m.Error != nil || !m.HasResult || string(m.Result) != "null" {
				t.Fatalf("shutdown answered %s", m.Body)
			}
			rc.send(`{"jsonrpc":"2.0","method":"exit"` + tc.params + `}`)
			select {
			case code := <-served:
				if code != 0 {
					t.Errorf("Serve returned %d after shutdown+exit, want 0", code)
				}
			case <-time.After(waitTimeout):
				t.Fatal("Serve did not return after exit")
			}
		})
	}
}

func TestExitWithoutShutdown(t *testing.T) {
	t.Run("after-initialize", func(t *testing.T) {
		c := start(t, clientOptions{})
		c.notify(protocol.MethodExit, nil)
		if code := c.exitCode(); code != 1 {
			t.Errorf("exit without shutdown: Serve returned %d, want 1", code)
		}
	})
	t.Run("before-initialize", func(t *testing.T) {
		c := newClient(t)
		c.notify(protocol.MethodExit, nil)
		if code := c.exitCode(); code != 1 {
			t.Errorf("exit before initialize: Serve returned %d, want 1", code)
		}
	})
	t.Run("stream-closed", func(t *testing.T) {
		c := start(t, clientOptions{})
		c.pipe.Close()
		if code := c.exitCode(); code != 1 {
			t.Errorf("stream closed without shutdown: Serve returned %d, want 1", code)
		}
	})
	t.Run("stream-closed-after-shutdown", func(t *testing.T) {
		c := start(t, clientOptions{})
		if err := c.call(protocol.MethodShutdown, nil, nil); err != nil {
			t.Fatal(err)
		}
		c.pipe.Close()
		if code := c.exitCode(); code != 0 {
			t.Errorf("stream closed after shutdown: Serve returned %d, want 0", code)
		}
	})
}

func TestRequestsAfterShutdown(t *testing.T) {
	c := start(t, clientOptions{})
	u := uri.URI("untitled:a")
	c.open(u, simpleConf)
	c.diagsFor(u, 1)
	if err := c.call(protocol.MethodShutdown, nil, nil); err != nil {
		t.Fatal(err)
	}
	for _, method := range []string{protocol.MethodTextDocumentHover, protocol.MethodTextDocumentCodeAction, protocol.MethodInitialize} {
		err := c.call(method, json.RawMessage(`{}`), nil)
		if got := errorCode(err); got != jsonrpc2.InvalidRequest {
			t.Errorf("%s after shutdown: %v (code %d), want InvalidRequest", method, err, got)
		}
	}
	// A second shutdown is harmless; notifications are ignored.
	if err := c.call(protocol.MethodShutdown, nil, nil); err != nil {
		t.Errorf("second shutdown: %v", err)
	}
	before := c.seq()
	c.replace(u, "garbage {\n")
	time.Sleep(100 * time.Millisecond)
	if n := c.seq(); n != before {
		t.Errorf("diagnostics published after shutdown: %s", c.publishLog())
	}
	c.notify(protocol.MethodExit, nil)
	if code := c.exitCode(); code != 0 {
		t.Errorf("Serve returned %d", code)
	}
}

func TestUnknownNotificationsIgnored(t *testing.T) {
	c := start(t, clientOptions{})
	c.notify("$/setTrace", map[string]any{"value": "verbose"})
	c.notify("$/anything", map[string]any{"x": []int{1, 2}})
	c.notify("$/anything", nil)
	c.notify("window/workDoneProgress/cancel", map[string]any{"token": "t1"})
	c.notify("$/progress", map[string]any{"token": 1, "value": map[string]any{"kind": "end"}})
	c.notify("workspace/didChangeWorkspaceFolders", map[string]any{"event": map[string]any{"added": []any{}, "removed": []any{}}})
	c.notify("textDocument/willSave", map[string]any{"textDocument": map[string]any{"uri": "file:///x"}, "reason": 1})
	c.notify(protocol.MethodTextDocumentDidSave, map[string]any{"textDocument": map[string]any{"uri": "file:///x"}})
	c.notify("some/futureNotification", json.RawMessage(`[1,2,3]`))
	c.notify("$/cancelRequest", map[string]any{"id": 12345})
	c.notify("$/cancelRequest", map[string]any{"id": "nope"})
	u := uri.URI("untitled:a")
	c.open(u, simpleConf)
	if got := c.diagsFor(u, 1); len(got) != 1 {
		t.Errorf("diagnostics %q", full(got))
	}
	if h, err := c.hover(u, 1, 6); err != nil || h == nil {
		t.Errorf("hover after unknown notifications: %v, %v", h, err)
	}
	if code := c.shutdownExit(); code != 0 {
		t.Errorf("exit code %d", code)
	}
}

func TestUnknownRequests(t *testing.T) {
	c := start(t, clientOptions{})
	for _, method := range []string{"custom/thing", "$/unknownRequest", "textDocument/notAFeature", "workspace/notAMethod", "textDocument/didOpen/", ""} {
		err := c.call(method, map[string]any{"a": 1}, nil)
		if got := errorCode(err); got != -32601 {
			t.Errorf("%s: %v (code %d), want -32601", method, err, got)
		}
	}
	u := uri.URI("untitled:a")
	c.open(u, simpleConf)
	c.diagsFor(u, 1)
	if h, err := c.hover(u, 1, 6); err != nil || h == nil {
		t.Errorf("hover after unknown requests: %v, %v", h, err)
	}
}

func TestWrongTypedParams(t *testing.T) {
	c := start(t, clientOptions{})
	u := uri.URI("untitled:a")
	c.open(u, simpleConf)
	c.diagsFor(u, 1)
	for _, tc := range []struct {
		method string
		params string
	}{
		{protocol.MethodTextDocumentHover, `{"textDocument":5,"position":{"line":0,"character":0}}`},
		{protocol.MethodTextDocumentHover, `{"textDocument":{"uri":"untitled:a"},"position":{"line":"zero","character":0}}`},
		{protocol.MethodTextDocumentHover, `{"textDocument":{"uri":"untitled:a"},"position":{"line":-1,"character":0}}`},
		{protocol.MethodTextDocumentHover, `[1,2]`},
		{protocol.MethodTextDocumentHover, `"text"`},
		{protocol.MethodTextDocumentCodeAction, `{"textDocument":{"uri":"untitled:a"},"range":"all","context":{"diagnostics":[]}}`},
		{protocol.MethodTextDocumentDiagnostic, `{"textDocument":[]}`},
		{protocol.MethodInitialize, `{"capabilities":"none"}`},
	} {
		err := c.call(tc.method, json.RawMessage(tc.params), nil)
		code := errorCode(err)
		if tc.method == protocol.MethodInitialize {
			// Already initialized: rejected before the params are read.
			if code != jsonrpc2.InvalidRequest {
				t.Errorf("%s %s: %v (code %d)", tc.method, tc.params, err, code)
			}
			continue
		}
		if code != jsonrpc2.InvalidParams {
			t.Errorf("%s %s: %v (code %d), want InvalidParams", tc.method, tc.params, err, code)
		}
	}
	// Notifications with bad params are dropped.
	c.notify(protocol.MethodTextDocumentDidOpen, json.RawMessage(`{"textDocument":{"uri":7,"text":1}}`))
	c.notify(protocol.MethodTextDocumentDidChange, json.RawMessage(`{"textDocument":{"uri":"untitled:a","version":"2"},"contentChanges":5}`))
	c.notify(protocol.MethodTextDocumentDidChange, json.RawMessage(`{"textDocument":{"uri":"untitled:nope","version":2},"contentChanges":[{"text":"x"}]}`))
	c.notify(protocol.MethodTextDocumentDidClose, json.RawMessage(`"x"`))
	c.notify(protocol.MethodWorkspaceDidChangeConfiguration, json.RawMessage(`{"settings":{"keepalived":{"rules":"all"}}}`))
	c.notify(protocol.MethodWorkspaceDidChangeWatchedFiles, json.RawMessage(`{"changes":{}}`))
	c.notify(protocol.MethodCancelRequest, json.RawMessage(`{"id":{"x":1}}`))
	// The server still works, and the document is unchanged.
	h, err := c.hover(u, 1, 6)
	if err != nil || h == nil {
		t.Fatalf("hover after bad params: %v, %v", h, err)
	}
	v := c.replace(u, simpleConf+"bad_top 1\n")
	if got := c.diagsFor(u, v); len(got) != 2 {
		t.Errorf("diagnostics after bad params: %q", full(got))
	}
}

// TestInitializeWithBadParams: an initialize the server cannot read is
// rejected and the session can still be initialized.
func TestInitializeWithBadParams(t *testing.T) {
	c := newClient(t)
	err := c.call(protocol.MethodInitialize, json.RawMessage(`{"capabilities":"none","processId":"x"}`), nil)
	if got := errorCode(err); got != jsonrpc2.InvalidParams {
		t.Fatalf("bad initialize: %v (code %d)", err, got)
	}
	c.initialize(clientOptions{})
	u := uri.URI("untitled:a")
	c.open(u, simpleConf)
	if got := c.diagsFor(u, 1); len(got) != 1 {
		t.Errorf("diagnostics %q", full(got))
	}
}

// TestInitializeVSCode initializes with what VS Code 1.100 really sends.
func TestInitializeVSCode(t *testing.T) {
	raw := readTestdata(t, "initialize-params.vscode-1.100.json")
	c := newClient(t)
	var res protocol.InitializeResult
	if err := c.call(protocol.MethodInitialize, json.RawMessage(raw), &res); err != nil {
		t.Fatalf("initialize: %v", err)
	}
	if res.Capabilities.PositionEncoding != protocol.PositionEncodingKindUTF16 {
		t.Errorf("positionEncoding %q", res.Capabilities.PositionEncoding)
	}
	// VS Code supports pull diagnostics.
	dp, ok := res.Capabilities.DiagnosticProvider.(*protocol.DiagnosticOptions)
	if !ok || !dp.InterFileDependencies {
		t.Errorf("diagnosticProvider %#v", res.Capabilities.DiagnosticProvider)
	}
	c.notify(protocol.MethodInitialized, &protocol.InitializedParams{})
	// It asks for the settings (VS Code has workspace.configuration) and
	// registers file watching.
	c.waitFor("workspace/configuration", func() bool { return len(c.configReqs) > 0 })
	var reg protocol.Registration
	c.waitFor("file watching registration", func() bool {
		for _, r := range c.registrations {
			if r.Method == protocol.MethodWorkspaceDidChangeWatchedFiles {
				reg = r
				return true
			}
		}
		return false
	})
	c.mu.Lock()
	cfg := c.configReqs[0]
	c.mu.Unlock()
	if !strings.Contains(string(reg.RegisterOptions), `"globPattern":"**/*"`) {
		t.Errorf("registration %s %s", reg.Method, reg.RegisterOptions)
	}
	if len(cfg.Items) != 1 || cfg.Items[0].Section == nil || *cfg.Items[0].Section != "keepalived" {
		t.Errorf("configuration request %+v", cfg)
	}
	u := uri.URI("file:///nonexistent/keepalived.conf")
	c.open(u, simpleConf)
	d := c.pull(u)
	if len(d) != 1 || diagCode(d[0]) != "unknown-keyword" || d[0].Range != rng(2, 4, 2, 11) {
		t.Errorf("pulled %q", full(d))
	}
	if !strings.HasSuffix(string(d[0].CodeDescription.Href), "/docs/rules/unknown-keyword.md") {
		t.Errorf("codeDescription %q", d[0].CodeDescription.Href)
	}
	if code := c.shutdownExit(); code != 0 {
		t.Errorf("exit code %d", code)
	}
}
