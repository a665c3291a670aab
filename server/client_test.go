package server

// An in-process LSP client for the tests: the server runs on one end of a
// net.Pipe, exactly as it runs on stdin/stdout, and the tests drive the
// other end through a jsonrpc2 connection (typed requests and
// notifications) or through raw frames (rawConn, for malformed input).

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"
)

// waitTimeout bounds every wait for the server; generous for -race.
const waitTimeout = 10 * time.Second

// clientOptions choose what the test client advertises in initialize.
type clientOptions struct {
	UTF8          bool // offer utf-8 (and utf-16) position encodings
	OnlyUTF8      bool // offer utf-8 only (the server must still pick one it supports)
	PlainHover    bool // hover contentFormat [plaintext]
	Pull          bool // textDocument.diagnostic (pull diagnostics)
	Refresh       bool // workspace.diagnostics.refreshSupport
	NoRelated     bool // no publishDiagnostics.relatedInformation
	NoVersion     bool // no publishDiagnostics.versionSupport
	Configuration bool // workspace.configuration
	WatchDynamic  bool // workspace.didChangeWatchedFiles.dynamicRegistration
	DocChanges    bool // workspace.workspaceEdit.documentChanges
	ViewRefresh   bool // workspace.semanticTokens and inlayHint refreshSupport
	// InitOptions is sent as initializationOptions (marshaled with
	// encoding/json); nil sends none.
	InitOptions any
	// Settings answer workspace/configuration (one per item); nil answers
	// null.
	Settings any
	RootURI  uri.URI
	// Capabilities, when set, replace everything above.
	Capabilities *protocol.ClientCapabilities
	// Debounce sets the debounce through initializationOptions when
	// InitOptions is nil (0 keeps the server's default).
	Debounce int
}

// publish is one textDocument/publishDiagnostics the server sent.
type publish struct {
	seq        int
	uri        uri.URI
	version    int32
	hasVersion bool
	diags      []protocol.Diagnostic
	raw        []byte // the params as sent
}

// testClient is the editor side of a session.
type testClient struct {
	t      testing.TB
	ctx    context.Context
	conn   jsonrpc2.Conn
	pipe   net.Conn
	srv    *Server
	served chan int // Serve's result
	logs   *observer.ObservedLogs
	utf8   bool // negotiated position encoding

	mu            sync.Mutex
	changed       chan struct{} // closed and replaced on every event
	publishes     []publish
	configReqs    []protocol.ConfigurationParams
	registrations []protocol.Registration
	refreshes     int
	others        []string // other methods the server sent
	settings      json.RawMessage
	docs          map[uri.URI]*clientDoc
}

// clientDoc is the client's copy of an open document.
type clientDoc struct {
	text    string
	version int32
}

// newTestServer starts a server on a pipe and returns the server's log
// and the client end; Serve's exit code arrives on the channel.
func newTestServer(t testing.TB) (*Server, net.Conn, chan int, *observer.ObservedLogs) {
	t.Helper()
	core, logs := observer.New(zapcore.DebugLevel)
	srv := New(Options{Logger: zap.New(core), Version: "test"})
	serverEnd, clientEnd := net.Pipe()
	served := make(chan int, 1)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { served <- srv.Serve(ctx, serverEnd) }()
	t.Cleanup(func() {
		cancel()
		clientEnd.Close()
		serverEnd.Close()
		if t.Failed() {
			dumpLogs(t, logs)
		}
	})
	return srv, clientEnd, served, logs
}

func dumpLogs(t testing.TB, logs *observer.ObservedLogs) {
	for _, e := range logs.All() {
		var fields []string
		for k, v := range e.ContextMap() {
			s := fmt.Sprint(v)
			if len(s) > 300 {
				s = s[:300] + "…"
			}
			fields = append(fields, k+"="+s)
		}
		sort.Strings(fields)
		t.Logf("server log: %s %s %s", e.Level, e.Message, strings.Join(fields, " "))
	}
}

// newClient starts a server and connects a client, without initializing.
func newClient(t testing.TB) *testClient {
	t.Helper()
	srv, pipe, served, logs := newTestServer(t)
	c := &testClient{
		t: t, ctx: context.Background(), pipe: pipe, srv: srv, served: served, logs: logs,
		changed: make(chan struct{}), docs: map[uri.URI]*clientDoc{},
	}
	c.conn = jsonrpc2.NewConn(jsonrpc2.NewHeaderStream(pipe), jsonrpc2.WithCodec(codec{}))
	c.conn.Go(context.Background(), c.handle)
	t.Cleanup(func() {
		c.checkVersionsMonotonic()
		pipe.Close()
		select {
		case <-c.conn.Done():
		case <-time.After(waitTimeout):
			t.Errorf("client connection did not end")
		}
	})
	return c
}

// start starts a server, initializes it and returns the client.
func start(t testing.TB, o clientOptions) *testClient {
	t.Helper()
	c := newClient(t)
	c.initialize(o)
	return c
}

// handle answers the server's requests and records its notifications.
func (c *testClient) handle(ctx context.Context, req *jsonrpc2.Request) (any, error) {
	method := strings.Clone(req.Method())
	params := slices.Clone([]byte(req.Params()))
	c.mu.Lock()
	defer c.mu.Unlock()
	defer c.signal()
	switch method {
	case protocol.MethodTextDocumentPublishDiagnostics:
		var p protocol.PublishDiagnosticsParams
		if err := protocol.Unmarshal(params, &p); err != nil {
			c.t.Errorf("bad publishDiagnostics %s: %v", params, err)
			return nil, nil
		}
		v, has := p.Version.Get()
		c.publishes = append(c.publishes, publish{seq: len(c.publishes) + 1, uri: p.URI, version: v, hasVersion: has, diags: p.Diagnostics, raw: params})
		return nil, nil
	case protocol.MethodWorkspaceConfiguration:
		var p protocol.ConfigurationParams
		if err := protocol.Unmarshal(params, &p); err != nil {
			return nil, jsonrpc2.NewError(jsonrpc2.InvalidParams, err.Error())
		}
		c.configReqs = append(c.configReqs, p)
		out := make([]json.RawMessage, len(p.Items))
		for i := range out {
			out[i] = json.RawMessage("null")
			if c.settings != nil {
				out[i] = c.settings
			}
		}
		b, _ := json.Marshal(out)
		return jsonrpc2.RawMessage(b), nil
	case protocol.MethodClientRegisterCapability:
		var p protocol.RegistrationParams
		if err := protocol.Unmarshal(params, &p); err != nil {
			return nil, jsonrpc2.NewError(jsonrpc2.InvalidParams, err.Error())
		}
		c.registrations = append(c.registrations, p.Registrations...)
		return nil, nil
	case protocol.MethodWorkspaceDiagnosticRefresh:
		c.refreshes++
		return nil, nil
	}
	c.others = append(c.others, method)
	if req.IsCall() {
		return nil, jsonrpc2.ErrMethodNotFound
	}
	return nil, nil
}

// signal wakes up waiters; callers hold c.mu.
func (c *testClient) signal() {
	close(c.changed)
	c.changed = make(chan struct{})
}

// waitFor waits until cond (called with c.mu held) holds.
func (c *testClient) waitFor(what string, cond func() bool) {
	c.t.Helper()
	deadline := time.After(waitTimeout)
	for {
		c.mu.Lock()
		ok := cond()
		ch := c.changed
		c.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-ch:
		case <-deadline:
			c.t.Fatalf("timed out waiting for %s; publishes so far:\n%s", what, c.publishLog())
		}
	}
}

// publishLog describes every publish, for failure messages.
func (c *testClient) publishLog() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var b strings.Builder
	for _, p := range c.publishes {
		fmt.Fprintf(&b, "  #%d %s", p.seq, p.uri)
		if p.hasVersion {
			fmt.Fprintf(&b, " v%d", p.version)
		}
		fmt.Fprintf(&b, " %q\n", summarize(p.diags))
	}
	return b.String()
}

// seq is the number of publishes so far.
func (c *testClient) seq() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.publishes)
}

// diagsFor waits for the diagnostics of a document version.
func (c *testClient) diagsFor(u uri.URI, version int32) []protocol.Diagnostic {
	c.t.Helper()
	return c.publishFor(u, version).diags
}

// publishFor waits for the publish of a document version and returns it.
func (c *testClient) publishFor(u uri.URI, version int32) publish {
	c.t.Helper()
	var got publish
	c.waitFor(fmt.Sprintf("diagnostics of %s version %d", u, version), func() bool {
		for _, p := range c.publishes {
			if p.uri == u && p.hasVersion && p.version == version {
				got = p
				return true
			}
		}
		return false
	})
	return got
}

// nextPublish waits for a publish for u after publish number after that
// satisfies ok (nil: any) and returns it.
func (c *testClient) nextPublish(u uri.URI, after int, ok func(publish) bool) publish {
	c.t.Helper()
	var got publish
	c.waitFor(fmt.Sprintf("a publish for %s after #%d", u, after), func() bool {
		for _, p := range c.publishes[after:] {
			if p.uri == u && (ok == nil || ok(p)) {
				got = p
				return true
			}
		}
		return false
	})
	return got
}

// latest returns the last publish for u (false if none).
func (c *testClient) latest(u uri.URI) (publish, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := len(c.publishes) - 1; i >= 0; i-- {
		if c.publishes[i].uri == u {
			return c.publishes[i], true
		}
	}
	return publish{}, false
}

// publishesFor returns every publish for u.
func (c *testClient) publishesFor(u uri.URI) []publish {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []publish
	for _, p := range c.publishes {
		if p.uri == u {
			out = append(out, p)
		}
	}
	return out
}

// checkVersionsMonotonic reports a publish of an older version after a
// newer one of the same document. A publish without version (close, or
// diagnostics from another document's context) starts over.
func (c *testClient) checkVersionsMonotonic() {
	c.mu.Lock()
	defer c.mu.Unlock()
	last := map[uri.URI]int32{}
	for _, p := range c.publishes {
		if !p.hasVersion {
			delete(last, p.uri)
			continue
		}
		if v, ok := last[p.uri]; ok && p.version < v {
			c.t.Errorf("publish #%d of %s has version %d after version %d", p.seq, p.uri, p.version, v)
		}
		last[p.uri] = p.version
	}
}

// setSettings changes the answer to workspace/configuration.
func (c *testClient) setSettings(v any) {
	b, err := json.Marshal(v)
	if err != nil {
		c.t.Fatal(err)
	}
	c.mu.Lock()
	c.settings = b
	c.mu.Unlock()
}

// capabilities builds the client capabilities of o.
func (o clientOptions) capabilities() protocol.ClientCapabilities {
	if o.Capabilities != nil {
		return *o.Capabilities
	}
	yes := func(b bool) *bool { return &b }
	caps := protocol.ClientCapabilities{
		General: &protocol.GeneralClientCapabilities{PositionEncodings: []protocol.PositionEncodingKind{protocol.PositionEncodingKindUTF16}},
		TextDocument: &protocol.TextDocumentClientCapabilities{
			Synchronization: &protocol.TextDocumentSyncClientCapabilities{},
			Hover:           &protocol.HoverClientCapabilities{ContentFormat: []protocol.MarkupKind{protocol.MarkupKindMarkdown, protocol.MarkupKindPlainText}},
			PublishDiagnostics: &protocol.PublishDiagnosticsClientCapabilities{
				DiagnosticsCapabilities: protocol.DiagnosticsCapabilities{RelatedInformation: yes(!o.NoRelated), CodeDescriptionSupport: yes(true)},
				VersionSupport:          yes(!o.NoVersion),
			},
			CodeAction: &protocol.CodeActionClientCapabilities{IsPreferredSupport: yes(true)},
		},
		Workspace: &protocol.WorkspaceClientCapabilities{
			Configuration:          yes(o.Configuration),
			DidChangeConfiguration: &protocol.DidChangeConfigurationClientCapabilities{},
			DidChangeWatchedFiles:  &protocol.DidChangeWatchedFilesClientCapabilities{DynamicRegistration: yes(o.WatchDynamic)},
		},
	}
	if o.UTF8 {
		caps.General.PositionEncodings = []protocol.PositionEncodingKind{protocol.PositionEncodingKindUTF8, protocol.PositionEncodingKindUTF16}
	}
	if o.OnlyUTF8 {
		caps.General.PositionEncodings = []protocol.PositionEncodingKind{protocol.PositionEncodingKindUTF8}
	}
	if o.PlainHover {
		caps.TextDocument.Hover.ContentFormat = []protocol.MarkupKind{protocol.MarkupKindPlainText}
	}
	if o.Pull {
		caps.TextDocument.Diagnostic = &protocol.DiagnosticClientCapabilities{
			DiagnosticsCapabilities: protocol.DiagnosticsCapabilities{RelatedInformation: yes(!o.NoRelated)},
		}
	}
	if o.Refresh {
		caps.Workspace.Diagnostics = &protocol.DiagnosticWorkspaceClientCapabilities{RefreshSupport: yes(true)}
	}
	if o.ViewRefresh {
		caps.Workspace.SemanticTokens = &protocol.SemanticTokensWorkspaceClientCapabilities{RefreshSupport: yes(true)}
		caps.Workspace.InlayHint = &protocol.InlayHintWorkspaceClientCapabilities{RefreshSupport: yes(true)}
	}
	if o.DocChanges {
		caps.Workspace.WorkspaceEdit = &protocol.WorkspaceEditClientCapabilities{DocumentChanges: yes(true)}
	}
	return caps
}

// initialize sends initialize and initialized.
func (c *testClient) initialize(o clientOptions) *protocol.InitializeResult {
	c.t.Helper()
	res, err := c.tryInitialize(o)
	if err != nil {
		c.t.Fatalf("initialize: %v", err)
	}
	c.notify(protocol.MethodInitialized, &protocol.InitializedParams{})
	return res
}

func (c *testClient) tryInitialize(o clientOptions) (*protocol.InitializeResult, error) {
	c.t.Helper()
	pid := int32(1)
	p := &protocol.InitializeParams{
		ProcessID:    &pid,
		ClientInfo:   protocol.ClientInfo{Name: "keepalived-ls-test"},
		Capabilities: o.capabilities(),
	}
	if o.RootURI != "" {
		r := o.RootURI
		p.RootURI = &r
	}
	opts := o.InitOptions
	if opts == nil && o.Debounce != 0 {
		opts = map[string]any{"keepalived": map[string]any{"debounce": o.Debounce}}
	}
	if opts != nil {
		b, err := json.Marshal(opts)
		if err != nil {
			c.t.Fatal(err)
		}
		p.InitializationOptions = b
	}
	if o.Settings != nil {
		c.setSettings(o.Settings)
	}
	var res protocol.InitializeResult
	if err := c.call(protocol.MethodInitialize, p, &res); err != nil {
		return nil, err
	}
	c.utf8 = res.Capabilities.PositionEncoding == protocol.PositionEncodingKindUTF8
	return &res, nil
}

// call sends a request and waits for its answer.
func (c *testClient) call(method string, params, result any) error {
	ctx, cancel := context.WithTimeout(c.ctx, waitTimeout)
	defer cancel()
	_, err := c.conn.Call(ctx, method, params, result)
	return err
}

// notify sends a notification.
func (c *testClient) notify(method string, params any) {
	c.t.Helper()
	if err := c.conn.Notify(c.ctx, method, params); err != nil {
		c.t.Fatalf("notify %s: %v", method, err)
	}
}

// errorCode returns the JSON-RPC error code of a call's error (0 if none).
func errorCode(err error) jsonrpc2.Code {
	var e *jsonrpc2.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return 0
}

// open sends didOpen (version 1) and returns the version.
func (c *testClient) open(u uri.URI, text string) int32 {
	c.t.Helper()
	c.mu.Lock()
	c.docs[u] = &clientDoc{text: text, version: 1}
	c.mu.Unlock()
	c.notify(protocol.MethodTextDocumentDidOpen, &protocol.DidOpenTextDocumentParams{
		TextDocument: protocol.TextDocumentItem{URI: u, LanguageID: "keepalived", Version: 1, Text: text}})
	return 1
}

// change sends one didChange with the changes, applying them to the
// client's copy, and returns the new version.
func (c *testClient) change(u uri.URI, changes ...protocol.TextDocumentContentChangeEvent) int32 {
	c.t.Helper()
	c.mu.Lock()
	d := c.docs[u]
	c.mu.Unlock()
	if d == nil {
		c.t.Fatalf("change of %s that is not open", u)
	}
	text := d.text
	for _, ch := range changes {
		switch ch := ch.(type) {
		case *protocol.TextDocumentContentChangePartial:
			text = applyTextEdits(c.t, text, []protocol.TextEdit{{Range: ch.Range, NewText: ch.Text}}, c.utf8)
		case *protocol.TextDocumentContentChangeWholeDocument:
			text = ch.Text
		}
	}
	c.mu.Lock()
	d.text = text
	d.version++
	v := d.version
	c.mu.Unlock()
	c.notify(protocol.MethodTextDocumentDidChange, &protocol.DidChangeTextDocumentParams{
		TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: u}, Version: v},
		ContentChanges: changes,
	})
	return v
}

// replace sends the whole new text and returns the new version.
func (c *testClient) replace(u uri.URI, text string) int32 {
	c.t.Helper()
	return c.change(u, &protocol.TextDocumentContentChangeWholeDocument{Text: text})
}

// text returns the client's copy of a document.
func (c *testClient) text(u uri.URI) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.docs[u].text
}

// close sends didClose.
func (c *testClient) close(u uri.URI) {
	c.t.Helper()
	c.mu.Lock()
	delete(c.docs, u)
	c.mu.Unlock()
	c.notify(protocol.MethodTextDocumentDidClose, &protocol.DidCloseTextDocumentParams{TextDocument: protocol.TextDocumentIdentifier{URI: u}})
}

// hover asks for hover at a position.
func (c *testClient) hover(u uri.URI, line, char uint32) (*protocol.Hover, error) {
	var h *protocol.Hover
	err := c.call(protocol.MethodTextDocumentHover, &protocol.HoverParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: u}, Position: protocol.Position{Line: line, Character: char}}}, &h)
	return h, err
}

// codeActions asks for the code actions of a range.
func (c *testClient) codeActions(u uri.URI, rng protocol.Range, diags []protocol.Diagnostic, only ...protocol.CodeActionKind) []protocol.CodeAction {
	c.t.Helper()
	if diags == nil {
		diags = []protocol.Diagnostic{}
	}
	var actions []protocol.CodeAction
	err := c.call(protocol.MethodTextDocumentCodeAction, &protocol.CodeActionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: u}, Range: rng,
		Context: protocol.CodeActionContext{Diagnostics: diags, Only: only},
	}, &actions)
	if err != nil {
		c.t.Fatalf("codeAction: %v", err)
	}
	return actions
}

// pull sends textDocument/diagnostic and returns the full report's items.
func (c *testClient) pull(u uri.URI) []protocol.Diagnostic {
	c.t.Helper()
	var rep protocol.RelatedFullDocumentDiagnosticReport
	if err := c.call(protocol.MethodTextDocumentDiagnostic, &protocol.DocumentDiagnosticParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: u}}, &rep); err != nil {
		c.t.Fatalf("textDocument/diagnostic: %v", err)
	}
	if rep.Kind != "full" {
		c.t.Fatalf("report kind %q, want full", rep.Kind)
	}
	if rep.Items == nil {
		c.t.Fatalf("report items are null")
	}
	return rep.Items
}

// shutdownExit ends the session cleanly and returns Serve's result.
func (c *testClient) shutdownExit() int {
	c.t.Helper()
	if err := c.call(protocol.MethodShutdown, nil, nil); err != nil {
		c.t.Fatalf("shutdown: %v", err)
	}
	c.notify(protocol.MethodExit, nil)
	return c.exitCode()
}

// exitCode waits for Serve to return.
func (c *testClient) exitCode() int {
	c.t.Helper()
	select {
	case code := <-c.served:
		return code
	case <-time.After(waitTimeout):
		c.t.Fatal("Serve did not return")
		return -1
	}
}

// --- diagnostics helpers

// diagCode returns a diagnostic's code as a string.
func diagCode(d protocol.Diagnostic) string {
	switch v := d.Code.(type) {
	case protocol.String:
		return string(v)
	case protocol.Integer:
		return strconv.Itoa(int(v))
	}
	return ""
}

// diagMessage returns a diagnostic's message text.
func diagMessage(d protocol.Diagnostic) string {
	switch v := d.Message.(type) {
	case protocol.String:
		return string(v)
	case *protocol.MarkupContent:
		return v.Value
	}
	return ""
}

// rangeString formats a range as 1:2-1:5 (0-based, as on the wire).
func rangeString(r protocol.Range) string {
	return fmt.Sprintf("%d:%d-%d:%d", r.Start.Line, r.Start.Character, r.End.Line, r.End.Character)
}

// summarize lists diagnostics as "range severity code".
func summarize(ds []protocol.Diagnostic) []string {
	out := make([]string, 0, len(ds))
	for _, d := range ds {
		out = append(out, fmt.Sprintf("%s %d %s", rangeString(d.Range), d.Severity, diagCode(d)))
	}
	return out
}

// full lists diagnostics with their messages and related information.
func full(ds []protocol.Diagnostic) []string {
	out := make([]string, 0, len(ds))
	for _, d := range ds {
		s := fmt.Sprintf("%s %d %s: %s", rangeString(d.Range), d.Severity, diagCode(d), diagMessage(d))
		for _, r := range d.RelatedInformation {
			s += fmt.Sprintf(" [related %s %s %q]", r.Location.URI, rangeString(r.Location.Range), r.Message)
		}
		out = append(out, s)
	}
	return out
}

// withCode returns the diagnostics with a code.
func withCode(ds []protocol.Diagnostic, code string) []protocol.Diagnostic {
	var out []protocol.Diagnostic
	for _, d := range ds {
		if diagCode(d) == code {
			out = append(out, d)
		}
	}
	return out
}

// oneWithCode returns the only diagnostic with a code.
func oneWithCode(t testing.TB, ds []protocol.Diagnostic, code string) protocol.Diagnostic {
	t.Helper()
	got := withCode(ds, code)
	if len(got) != 1 {
		t.Fatalf("want one %s diagnostic, got %d in %q", code, len(got), full(ds))
	}
	return got[0]
}

func rng(l1, c1, l2, c2 uint32) protocol.Range {
	return protocol.Range{Start: protocol.Position{Line: l1, Character: c1}, End: protocol.Position{Line: l2, Character: c2}}
}

// partial is an incremental content change.
func partial(l1, c1, l2, c2 uint32, text string) *protocol.TextDocumentContentChangePartial {
	return &protocol.TextDocumentContentChangePartial{Range: rng(l1, c1, l2, c2), Text: text}
}

// --- text edits

// offsetOf converts an LSP position to a byte offset of text.
func offsetOf(t testing.TB, text string, p protocol.Position, utf8Cols bool) int {
	t.Helper()
	off := 0
	for line := uint32(0); line < p.Line; line++ {
		i := strings.IndexByte(text[off:], '\n')
		if i < 0 {
			t.Fatalf("position %d:%d is past the end of the text", p.Line, p.Character)
		}
		off += i + 1
	}
	end := len(text)
	if i := strings.IndexByte(text[off:], '\n'); i >= 0 {
		end = off + i
	}
	line := strings.TrimSuffix(text[off:end], "\r")
	if utf8Cols {
		if int(p.Character) > len(line) {
			t.Fatalf("column %d past the end of line %d (%q)", p.Character, p.Line, line)
		}
		return off + int(p.Character)
	}
	units := 0
	for i, r := range line {
		if units == int(p.Character) {
			return off + i
		}
		if units > int(p.Character) {
			t.Fatalf("column %d splits a character on line %d", p.Character, p.Line)
		}
		units += utf16.RuneLen(r)
	}
	if units != int(p.Character) {
		t.Fatalf("column %d past the end of line %d (%q)", p.Character, p.Line, line)
	}
	return off + len(line)
}

// utf16Len is the length of s in UTF-16 code units.
func utf16Len(s string) uint32 {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return uint32(n)
}

// applyTextEdits applies non-overlapping edits (any order) to text.
func applyTextEdits(t testing.TB, text string, edits []protocol.TextEdit, utf8Cols bool) string {
	t.Helper()
	type span struct {
		start, end int
		text       string
	}
	spans := make([]span, 0, len(edits))
	for _, e := range edits {
		s, en := offsetOf(t, text, e.Range.Start, utf8Cols), offsetOf(t, text, e.Range.End, utf8Cols)
		if en < s {
			t.Fatalf("edit with end before start: %s", rangeString(e.Range))
		}
		spans = append(spans, span{s, en, e.NewText})
	}
	sort.SliceStable(spans, func(i, j int) bool { return spans[i].start > spans[j].start })
	for i := 1; i < len(spans); i++ {
		if spans[i].end > spans[i-1].start {
			t.Fatalf("overlapping edits in %v", edits)
		}
	}
	for _, s := range spans {
		text = text[:s.start] + s.text + text[s.end:]
	}
	return text
}

// applyWorkspaceEdit applies the edits of one document.
func applyWorkspaceEdit(t testing.TB, text string, u uri.URI, we *protocol.WorkspaceEdit, utf8Cols bool) string {
	t.Helper()
	if we == nil {
		t.Fatal("code action without an edit")
	}
	if len(we.DocumentChanges) > 0 {
		t.Fatalf("unexpected documentChanges")
	}
	for k := range we.Changes {
		if k != u {
			t.Fatalf("edit of another document %s (want %s)", k, u)
		}
	}
	return applyTextEdits(t, text, we.Changes[u], utf8Cols)
}

// --- raw frames

// rawMsg is one decoded message from the server.
type rawMsg struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id,omitempty"`
	Method  string          `json:"method,omitempty"`
	Params  json.RawMessage `json:"params,omitempty"`
	Result  json.RawMessage `json:"result,omitempty"`
	Error   *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error,omitempty"`
	HasResult bool `json:"-"`
	Body      []byte
}

// rawConn speaks LSP frames over a byte stream, for malformed input and for
// the binary.
type rawConn struct {
	t    testing.TB
	w    io.Writer
	msgs chan rawMsg
	errc chan error // the reader's end
	seen []rawMsg   // messages read while waiting for something else
}

func newRawConn(t testing.TB, r io.Reader, w io.Writer) *rawConn {
	rc := &rawConn{t: t, w: w, msgs: make(chan rawMsg, 1000), errc: make(chan error, 1)}
	go rc.read(bufio.NewReader(r))
	return rc
}

// newRawClient starts a server and a raw client on a pipe.
func newRawClient(t testing.TB) (*rawConn, chan int, *observer.ObservedLogs) {
	_, pipe, served, logs := newTestServer(t)
	return newRawConn(t, pipe, pipe), served, logs
}

func (rc *rawConn) read(r *bufio.Reader) {
	defer close(rc.msgs)
	for {
		length := -1
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				rc.errc <- err
				return
			}
			line = strings.TrimRight(line, "\r\n")
			if line == "" {
				break
			}
			name, value, _ := strings.Cut(line, ":")
			if strings.EqualFold(name, "Content-Length") {
				length, _ = strconv.Atoi(strings.TrimSpace(value))
			} else if !strings.EqualFold(name, "Content-Type") {
				rc.errc <- fmt.Errorf("unexpected header line %q", line)
				return
			}
		}
		if length < 0 {
			rc.errc <- fmt.Errorf("frame without Content-Length")
			return
		}
		body := make([]byte, length)
		if _, err := io.ReadFull(r, body); err != nil {
			rc.errc <- err
			return
		}
		var m rawMsg
		if err := json.Unmarshal(body, &m); err != nil {
			rc.errc <- fmt.Errorf("server sent invalid JSON %q: %v", body, err)
			return
		}
		var probe map[string]json.RawMessage
		_ = json.Unmarshal(body, &probe)
		_, m.HasResult = probe["result"]
		m.Body = body
		rc.msgs <- m
	}
}

// sendBytes writes bytes as they are.
func (rc *rawConn) sendBytes(b string) {
	rc.t.Helper()
	if _, err := io.WriteString(rc.w, b); err != nil {
		rc.t.Fatalf("write: %v", err)
	}
}

// frame wraps a body in a Content-Length header.
func frame(body string) string {
	return fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(body), body)
}

// send writes one framed message (a string is sent as it is, anything else
// is marshaled).
func (rc *rawConn) send(v any) {
	rc.t.Helper()
	body, ok := v.(string)
	if !ok {
		b, err := json.Marshal(v)
		if err != nil {
			rc.t.Fatal(err)
		}
		body = string(b)
	}
	rc.sendBytes(frame(body))
}

// request sends a request with params (nil: none).
func (rc *rawConn) request(id int, method string, params any) {
	rc.t.Helper()
	m := map[string]any{"jsonrpc": "2.0", "id": id, "method": method}
	if params != nil {
		m["params"] = params
	}
	rc.send(m)
}

// notification sends a notification with params (nil: none).
func (rc *rawConn) notification(method string, params any) {
	rc.t.Helper()
	m := map[string]any{"jsonrpc": "2.0", "method": method}
	if params != nil {
		m["params"] = params
	}
	rc.send(m)
}

// next returns the next message (false when the stream ended or timed out).
func (rc *rawConn) next(timeout time.Duration) (rawMsg, bool) {
	select {
	case m, ok := <-rc.msgs:
		return m, ok
	case <-time.After(timeout):
		return rawMsg{}, false
	}
}

// until returns the first message that satisfies ok, from those already
// read (seen) or the next ones; the others are kept in seen.
func (rc *rawConn) until(what string, ok func(rawMsg) bool) rawMsg {
	rc.t.Helper()
	for i, m := range rc.seen {
		if ok(m) {
			rc.seen = slices.Delete(rc.seen, i, i+1)
			return m
		}
	}
	deadline := time.After(waitTimeout)
	for {
		select {
		case m, open := <-rc.msgs:
			if !open {
				err := <-rc.errc
				rc.errc <- err
				rc.t.Fatalf("stream ended waiting for %s: %v", what, err)
			}
			if ok(m) {
				return m
			}
			rc.seen = append(rc.seen, m)
		case <-deadline:
			rc.t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// response waits for the response with a numeric id.
func (rc *rawConn) response(id int) rawMsg {
	rc.t.Helper()
	want := strconv.Itoa(id)
	return rc.until("response "+want, func(m rawMsg) bool {
		return m.Method == "" && string(m.ID) == want
	})
}

// nullIDError waits for an error response with a null id.
func (rc *rawConn) nullIDError() rawMsg {
	rc.t.Helper()
	return rc.until("an error response with id null", func(m rawMsg) bool {
		return m.Method == "" && string(m.ID) == "null" && m.Error != nil
	})
}

// initializeRaw initializes through raw frames.
func (rc *rawConn) initialize(id int) {
	rc.t.Helper()
	rc.request(id, "initialize", map[string]any{"processId": nil, "rootUri": nil, "capabilities": map[string]any{}})
	if m := rc.response(id); m.Error != nil {
		rc.t.Fatalf("initialize failed: %s", m.Body)
	}
	rc.notification("initialized", map[string]any{})
}

// readTestdata reads a file of server/testdata.
func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// writeFile writes a file, creating its directory.
func writeFile(t testing.TB, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// hoverText returns the text of a hover.
func hoverText(h *protocol.Hover) string {
	if h == nil {
		return ""
	}
	switch v := h.Contents.(type) {
	case *protocol.MarkupContent:
		return v.Value
	case protocol.String:
		return string(v)
	}
	return fmt.Sprintf("%#v", h.Contents)
}

func removeFile(path string) error { return os.Remove(path) }
