package server

// Protocol abuse against the real binary over stdin/stdout: broken frames,
// bad params, lifecycle violations, cancellation storms and a thousand open
// documents. After each abuse the server must answer with the right
// JSON-RPC error (or ignore a notification), still answer a normal hover
// correctly, never panic, and exit 0 after shutdown and exit.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/keepalived-ls/keepalived-ls/internal/benchgen"
)

// JSON-RPC and LSP error codes, spelled out: the tests assert the numbers
// a client sees on the wire.
const (
	codeParseError           = -32700
	codeInvalidRequest       = -32600
	codeMethodNotFound       = -32601
	codeInvalidParams        = -32602
	codeInternalError        = -32603
	codeServerNotInitialized = -32002
	codeRequestCancelled     = -32800
)

// abuseURI is the document every abuse session opens and hovers in.
const abuseURI = "file:///nonexistent/keepalived.conf"

// maxRSSThousandDocs bounds the peak resident memory (VmHWM) of the server
// with 1,000 open documents of 190 lines (about 4 MB of text in all), each
// changed once. Measured (2026-11, go1.26): VmRSS 130-150 MB with the
// documents open, VmHWM about 200 MB after the changes (garbage not yet
// returned to the system). A parsed document takes about 20 times its
// text (parser nodes and tokens, see the report of issue 8).
const maxRSSThousandDocs = 300 << 20

// TestBinaryAbuse runs each abuse in a fresh server process.
func TestBinaryAbuse(t *testing.T) {
	bin := buildBinary(t, t.TempDir())
	for _, tc := range []struct {
		name string
		run  func(t *testing.T, p *process)
		// raw cases drive the session themselves from the start
		// (lifecycle tests); the others get an initialized server with
		// abuseURI open.
		raw bool
	}{
		{name: "malformed-json", run: abuseMalformedJSON},
		{name: "content-length-shorter", run: abuseContentLengthShorter},
		{name: "content-length-longer", run: abuseContentLengthLonger},
		{name: "huge-headers", run: abuseHugeHeaders},
		{name: "missing-content-length", run: abuseMissingContentLength},
		{name: "wrong-param-types", run: abuseWrongParamTypes},
		{name: "positions-out-of-range", run: abusePositions},
		{name: "unopened-documents", run: abuseUnopened},
		{name: "before-initialize", run: abuseBeforeInitialize, raw: true},
		{name: "after-shutdown", run: abuseAfterShutdown, raw: true},
		{name: "second-initialize", run: abuseSecondInitialize},
		{name: "odd-ids", run: abuseOddIDs},
		{name: "cancellation-storm", run: abuseCancelStorm},
		{name: "unknown-methods", run: abuseUnknownMethods},
		{name: "thousand-documents", run: abuseThousandDocuments},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			p := startBinary(t, bin)
			if tc.raw {
				tc.run(t, p)
			} else {
				p.abuseInit(t, 1)
				p.openMain(t)
				tc.run(t, p)
				p.serves(t, 900001)
				p.finish(t)
			}
			p.noPanic(t)
			t.Logf("%s: %v", tc.name, time.Since(start).Round(time.Millisecond))
		})
	}
}

// --- session helpers

// abuseInit initializes like an editor: markdown hover, versioned
// diagnostics.
func (p *process) abuseInit(t *testing.T, id int) {
	t.Helper()
	p.rc.request(id, "initialize", initParams())
	m := p.rc.response(id)
	if m.Error != nil || !strings.Contains(string(m.Result), `"hoverProvider"`) {
		t.Fatalf("initialize: %s", m.Body)
	}
	p.rc.notification("initialized", map[string]any{})
}

func initParams() map[string]any {
	return map[string]any{"processId": os.Getpid(), "rootUri": nil, "clientInfo": map[string]any{"name": "abuse-test"},
		"capabilities": map[string]any{"textDocument": map[string]any{
			"hover":              map[string]any{"contentFormat": []string{"markdown"}},
			"publishDiagnostics": map[string]any{"versionSupport": true}}}}
}

// openMain opens abuseURI (simpleConf, version 1) and checks its one
// diagnostic.
func (p *process) openMain(t *testing.T) {
	t.Helper()
	p.rc.notification("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": abuseURI, "languageId": "keepalived", "version": 1, "text": simpleConf}})
	pd := p.publishOf(t, abuseURI, 1)
	if got := diagSummary(pd); got != "2:4 unknown-keyword" {
		t.Fatalf("diagnostics of the opened document: %q", got)
	}
}

// wirePublish is a publishDiagnostics as sent.
type wirePublish struct {
	URI         string `json:"uri"`
	Version     *int   `json:"version"`
	Diagnostics []struct {
		Range struct {
			Start struct{ Line, Character int }
		}
		Code    string
		Message string
	} `json:"diagnostics"`
	raw []byte
}

func decodePublish(t *testing.T, m rawMsg) wirePublish {
	t.Helper()
	var pd wirePublish
	if err := json.Unmarshal(m.Params, &pd); err != nil {
		t.Fatalf("bad publishDiagnostics %s: %v", m.Params, err)
	}
	pd.raw = m.Params
	return pd
}

// publishOf waits for the publish of a document version.
func (p *process) publishOf(t *testing.T, uri string, version int) wirePublish {
	t.Helper()
	m := p.rc.until(fmt.Sprintf("diagnostics of %s v%d", uri, version), func(m rawMsg) bool {
		if m.Method != "textDocument/publishDiagnostics" {
			return false
		}
		var pd wirePublish
		return json.Unmarshal(m.Params, &pd) == nil && pd.URI == uri && pd.Version != nil && *pd.Version == version
	})
	return decodePublish(t, m)
}

// diagSummary lists diagnostics as "line:char code", comma separated.
func diagSummary(pd wirePublish) string {
	var out []string
	for _, d := range pd.Diagnostics {
		out = append(out, fmt.Sprintf("%d:%d %s", d.Range.Start.Line, d.Range.Start.Character, d.Code))
	}
	return strings.Join(out, ", ")
}

// hoverResult is the part of a hover result the tests check.
type hoverResult struct {
	Contents struct{ Kind, Value string }
	Range    struct{ Start, End struct{ Line, Character int } }
}

// serves asks for a hover over router_id in abuseURI and checks the answer
// exactly: the server is still serving, with the document intact.
func (p *process) serves(t *testing.T, id int) {
	t.Helper()
	p.rc.request(id, "textDocument/hover", hoverParams(abuseURI, 1, 6))
	m := p.rc.response(id)
	checkRouterIDHover(t, m)
}

func checkRouterIDHover(t *testing.T, m rawMsg) {
	t.Helper()
	var h hoverResult
	if m.Error != nil || json.Unmarshal(m.Result, &h) != nil {
		t.Fatalf("hover: %s", m.Body)
	}
	if h.Contents.Kind != "markdown" || !strings.HasPrefix(h.Contents.Value, "**router_id**") ||
		h.Range.Start.Line != 1 || h.Range.Start.Character != 4 || h.Range.End.Line != 1 || h.Range.End.Character != 13 {
		t.Fatalf("hover answered %s", m.Body)
	}
}

// wantError waits for the response to a request and checks its error code.
func (p *process) wantError(t *testing.T, id int, code int) rawMsg {
	t.Helper()
	m := p.rc.response(id)
	if m.Error == nil || m.Error.Code != code || m.HasResult {
		t.Errorf("request %d: %s, want error %d", id, m.Body, code)
	}
	return m
}

// wantNullIDErrors checks that the error responses with id null read so far
// (the server answers frames it cannot read with id null) are exactly want.
// Call it after a request that follows the broken input was answered: the
// answers to broken frames are written before the next frame is read.
func (p *process) wantNullIDErrors(t *testing.T, want ...int) {
	t.Helper()
	var got []int
	for _, m := range p.rc.seen {
		if m.Error != nil && string(m.ID) == "null" {
			got = append(got, m.Error.Code)
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("error responses with id null: %v, want %v", got, want)
	}
}

// noResponse fails if a response with one of the ids was read.
func (p *process) noResponse(t *testing.T, ids ...string) {
	t.Helper()
	for _, m := range p.rc.seen {
		for _, id := range ids {
			if m.Method == "" && string(m.ID) == id {
				t.Errorf("unexpected response %s", m.Body)
			}
		}
	}
}

// finish sends shutdown and exit and checks the exit status and stdout.
func (p *process) finish(t *testing.T) {
	t.Helper()
	p.rc.request(999999, "shutdown", nil)
	if m := p.rc.response(999999); m.Error != nil || string(m.Result) != "null" {
		t.Errorf("shutdown: %s", m.Body)
	}
	p.rc.notification("exit", nil)
	if code := p.exitCode(); code != 0 {
		t.Errorf("exit status %d after shutdown and exit, want 0", code)
	}
	p.stdoutClean()
}

// noPanic checks stderr for a recovered or fatal panic.
func (p *process) noPanic(t *testing.T) {
	t.Helper()
	logs := p.stderr.String()
	if strings.Contains(strings.ToLower(logs), "panic") || strings.Contains(logs, "goroutine ") {
		t.Errorf("panic on stderr:\n%s", logs)
	}
}

// rss returns the resident and peak resident memory of the process.
func (p *process) rss(t *testing.T) (rss, hwm int64) {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	field := func(name string) int64 {
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			if v, ok := strings.CutPrefix(sc.Text(), name+":"); ok {
				kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
				if err != nil {
					t.Fatalf("%s: %q", name, v)
				}
				return kb << 10
			}
		}
		t.Fatalf("no %s in /proc/PID/status", name)
		return 0
	}
	return field("VmRSS"), field("VmHWM")
}

// rawFrame frames a body with a declared length that may be wrong.
func rawFrame(length int, body string) string {
	return fmt.Sprintf("Content-Length: %d\r\n\r\n%s", length, body)
}

// hoverBody is a hover request for router_id in abuseURI.
func hoverBody(id int) string {
	return fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"textDocument/hover","params":{"textDocument":{"uri":%q},"position":{"line":1,"character":6}}}`, id, abuseURI)
}

// --- the abuses

// abuseMalformedJSON: bodies that are not JSON get ParseError with id null,
// one per frame.
func abuseMalformedJSON(t *testing.T, p *process) {
	bodies := []string{
		`{"jsonrpc":"2.0","id":7,"method":`,
		`{"jsonrpc":"2.0","id":7,"method":"textDocument/hover","params":{"textDocument":{"uri":"x"}}`,
		`{'jsonrpc':'2.0','id':7}`,
		"\x00\x01\x02\xff",
		`{"jsonrpc":"2.0","id":7,"method":"textDocument/hover",}`,
		`{"jsonrpc":"2.0","id":7,"method":"textDocument/hover"}}`,
		`{"jsonrpc":"2.0","id":NaN,"method":"textDocument/hover"}`,
		strings.Repeat("[", 100000),
	}
	var want []int
	for _, b := range bodies {
		p.rc.sendBytes(frame(b))
		want = append(want, codeParseError)
	}
	p.serves(t, 2)
	p.wantNullIDErrors(t, want...)
	p.noResponse(t, "7")
}

// abuseContentLengthShorter: a declared length shorter than the body. The
// server reads the declared bytes (not JSON here: ParseError), then finds
// the next header after the rest of the body. When the shorter length
// happens to cover a complete message, that message is served and the
// rest skipped.
func abuseContentLengthShorter(t *testing.T, p *process) {
	body := hoverBody(7)
	p.rc.sendBytes(rawFrame(len(body)-10, body))
	p.serves(t, 2)
	p.wantNullIDErrors(t, codeParseError)
	p.noResponse(t, "7")

	// The declared length covers exactly the first of two messages
	// written back to back: the first is served, the tail skipped.
	first := hoverBody(8)
	p.rc.sendBytes(rawFrame(len(first), first+hoverBody(9)))
	checkRouterIDHover(t, p.rc.response(8))
	p.serves(t, 3)
	p.wantNullIDErrors(t, codeParseError)
	p.noResponse(t, "9")
}

// abuseContentLengthLonger: a declared length longer than the body. The
// server cannot know the body ended: it takes the start of the next frame
// as the rest of the body (ParseError, and that next message is lost),
// then finds the header after it.
func abuseContentLengthLonger(t *testing.T, p *process) {
	body := hoverBody(7)
	p.rc.sendBytes(rawFrame(len(body)+40, body))
	p.rc.sendBytes(frame(hoverBody(8))) // its first 40 bytes complete the body above
	p.serves(t, 2)
	p.wantNullIDErrors(t, codeParseError)
	p.noResponse(t, "7", "8")

	// Longer by trailing whitespace only: still one valid message.
	body = hoverBody(9)
	p.rc.sendBytes(rawFrame(len(body)+4, body+" \r\n\t"))
	checkRouterIDHover(t, p.rc.response(9))
	p.serves(t, 3)
	p.wantNullIDErrors(t, codeParseError)
}

// abuseHugeHeaders: 1 MB header lines are skipped without losing the
// message they belong to; 1 MB of garbage before a header is skipped.
func abuseHugeHeaders(t *testing.T, p *process) {
	huge := strings.Repeat("a", 1<<20)
	// An unknown header with a 1 MB value, then the real Content-Length.
	p.rc.sendBytes("X-Padding: " + huge + "\r\n" + frame(hoverBody(7)))
	checkRouterIDHover(t, p.rc.response(7))
	// A 1 MB line without a colon after the Content-Length.
	b := hoverBody(8)
	p.rc.sendBytes(fmt.Sprintf("Content-Length: %d\r\n%s\r\n\r\n%s", len(b), huge, b))
	checkRouterIDHover(t, p.rc.response(8))
	// 1 MB of garbage with no line end, then a frame: resynchronised at
	// the header.
	p.rc.sendBytes(huge + frame(hoverBody(9)))
	checkRouterIDHover(t, p.rc.response(9))
	// A header block made only of a 1 MB line: skipped.
	p.rc.sendBytes("Content-Type: " + huge + "\r\n\r\n")
	// Many header lines in one block.
	p.rc.sendBytes(strings.Repeat("X-A: b\r\n", 50000) + frame(hoverBody(10)))
	checkRouterIDHover(t, p.rc.response(10))
	p.serves(t, 2)
	p.wantNullIDErrors(t)
	if rss, _ := p.rss(t); rss > 200<<20 {
		t.Errorf("RSS %d MB after huge headers", rss>>20)
	}
}

// abuseMissingContentLength: a header block without a usable
// Content-Length. The body cannot be framed; it is skipped (nothing to
// answer: its id is unknown) and the next header is found after it.
func abuseMissingContentLength(t *testing.T, p *process) {
	for i, header := range []string{
		"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n",
		"\r\n",
		"Content-Length: abc\r\n\r\n",
		"Content-Length: -37\r\n\r\n",
		"Content-Length: 0\r\n\r\n",
		"Content-Length:\r\n\r\n",
		"Content-Length: 99999999999999999999999\r\n\r\n",
		"Content-Lenght: 120\r\n\r\n",
	} {
		id := 10 + i
		p.rc.sendBytes(header + hoverBody(id))
		p.serves(t, 100+i)
		p.noResponse(t, strconv.Itoa(id))
	}
	p.wantNullIDErrors(t)
}

// abuseWrongParamTypes: requests whose params do not decode get
// InvalidParams; notifications with bad params are dropped and the
// document is unchanged.
func abuseWrongParamTypes(t *testing.T, p *process) {
	requests := []struct {
		method, params string
	}{
		{"textDocument/hover", `{"textDocument":{"uri":"` + abuseURI + `"},"position":"1:6"}`},
		{"textDocument/hover", `{"textDocument":{"uri":"` + abuseURI + `"},"position":{"line":"1","character":6}}`},
		{"textDocument/hover", `{"textDocument":{"uri":"` + abuseURI + `"},"position":{"line":1.5,"character":6}}`},
		{"textDocument/hover", `{"textDocument":5,"position":{"line":1,"character":6}}`},
		{"textDocument/hover", `[1,2]`},
		{"textDocument/hover", `"x"`},
		{"textDocument/hover", `true`},
		{"textDocument/completion", `{"textDocument":{"uri":"` + abuseURI + `"},"position":{"line":1,"character":6},"context":"x"}`},
		{"textDocument/codeAction", `{"textDocument":{"uri":"` + abuseURI + `"},"range":"all","context":{"diagnostics":[]}}`},
		{"textDocument/codeAction", `{"textDocument":{"uri":"` + abuseURI + `"},"range":{"start":{"line":0,"character":0},"end":{"line":1,"character":0}},"context":{"diagnostics":{}}}`},
		{"textDocument/formatting", `{"textDocument":{"uri":"` + abuseURI + `"},"options":[]}`},
		{"textDocument/semanticTokens/range", `{"textDocument":{"uri":"` + abuseURI + `"},"range":[0,0,1,1]}`},
		{"textDocument/rename", `{"textDocument":{"uri":"` + abuseURI + `"},"position":{"line":1,"character":6},"newName":7}`},
		{"workspace/symbol", `{"query":["x"]}`},
	}
	for i, r := range requests {
		p.rc.send(fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":%q,"params":%s}`, 10+i, r.method, r.params))
	}
	for i, r := range requests {
		if m := p.wantError(t, 10+i, codeInvalidParams); t.Failed() {
			t.Logf("%s %s -> %s", r.method, r.params, m.Body)
		}
	}
	// Notifications with bad params: dropped, no answer, no change.
	for _, n := range []struct{ method, params string }{
		{"textDocument/didChange", `{"textDocument":{"uri":"` + abuseURI + `","version":2},"contentChanges":{"text":"garbage {"}}`},
		{"textDocument/didChange", `{"textDocument":{"uri":"` + abuseURI + `","version":2},"contentChanges":"garbage {"}`},
		{"textDocument/didChange", `{"textDocument":{"uri":"` + abuseURI + `","version":"2"},"contentChanges":[{"text":"garbage {"}]}`},
		{"textDocument/didChange", `{"textDocument":{"uri":"` + abuseURI + `","version":2},"contentChanges":[{"range":"all","text":"garbage {"}]}`},
		{"textDocument/didChange", `{"textDocument":{"uri":"` + abuseURI + `","version":2},"contentChanges":[{"text":5}]}`},
		{"textDocument/didChange", `[]`},
		{"textDocument/didOpen", `{"textDocument":{"uri":"` + abuseURI + `","version":2,"text":7}}`},
		{"textDocument/didOpen", `{"textDocument":"` + abuseURI + `"}`},
		{"textDocument/didOpen", `{}`},
		{"textDocument/didOpen", `{"textDocument":{"languageId":"keepalived","version":1,"text":"garbage {\n"}}`},
		{"textDocument/didChange", `{"textDocument":{"version":2},"contentChanges":[{"text":"garbage {"}]}`},
		{"textDocument/didClose", `{"textDocument":[]}`},
		{"textDocument/didSave", `{"textDocument":1}`},
		{"workspace/didChangeConfiguration", `{"settings":{"keepalived":{"debounce":"soon","rules":[1]}}}`},
		{"workspace/didChangeWatchedFiles", `{"changes":"all"}`},
		{"$/cancelRequest", `{"id":[1]}`},
		{"initialized", `[1]`},
	} {
		p.rc.send(fmt.Sprintf(`{"jsonrpc":"2.0","method":%q,"params":%s}`, n.method, n.params))
	}
	p.serves(t, 3)
	// No document without a URI was opened: a hover without params finds
	// nothing.
	p.rc.send(`{"jsonrpc":"2.0","id":4,"method":"textDocument/hover","params":{}}`)
	if m := p.rc.response(4); m.Error != nil || string(m.Result) != "null" {
		t.Errorf("hover with empty params: %s", m.Body)
	}
	// The document is still version 1 with its text: the next change is
	// applied to it.
	p.rc.notification("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": abuseURI, "version": 2},
		"contentChanges": []any{map[string]any{"range": lspRange(2, 4, 2, 11), "text": "bad_kw"}}})
	if got := diagSummary(p.publishOf(t, abuseURI, 2)); got != "2:4 unknown-keyword" {
		t.Errorf("diagnostics after a valid change: %q", got)
	}
	p.noResponse(t, "null")
	p.wantNullIDErrors(t)
	for _, m := range p.rc.seen {
		if m.Method == "textDocument/publishDiagnostics" {
			t.Errorf("unexpected publish: %s", m.Params)
		}
	}
	if s := p.stderr.String(); !strings.Contains(s, "notification failed") {
		t.Errorf("dropped notifications were not logged:\n%s", s)
	}
}

func lspRange(l1, c1, l2, c2 int) map[string]any {
	return map[string]any{"start": map[string]any{"line": l1, "character": c1}, "end": map[string]any{"line": l2, "character": c2}}
}

// positionMethods are the requests that take a position or a range, with
// params builders.
var positionMethods = []struct {
	method string
	params func(uri string, l, c int64) string
}{
	{"textDocument/hover", posParamsJSON},
	{"textDocument/completion", posParamsJSON},
	{"textDocument/definition", posParamsJSON},
	{"textDocument/references", func(u string, l, c int64) string {
		return strings.TrimSuffix(posParamsJSON(u, l, c), "}") + `,"context":{"includeDeclaration":true}}`
	}},
	{"textDocument/documentHighlight", posParamsJSON},
	{"textDocument/prepareRename", posParamsJSON},
	{"textDocument/rename", func(u string, l, c int64) string {
		return strings.TrimSuffix(posParamsJSON(u, l, c), "}") + `,"newName":"x"}`
	}},
	{"textDocument/onTypeFormatting", func(u string, l, c int64) string {
		return strings.TrimSuffix(posParamsJSON(u, l, c), "}") + `,"ch":"}","options":{"tabSize":4,"insertSpaces":true}}`
	}},
	{"textDocument/selectionRange", func(u string, l, c int64) string {
		return fmt.Sprintf(`{"textDocument":{"uri":%q},"positions":[{"line":%d,"character":%d},{"line":0,"character":0}]}`, u, l, c)
	}},
	{"textDocument/codeAction", func(u string, l, c int64) string {
		return fmt.Sprintf(`{"textDocument":{"uri":%q},"range":{"start":{"line":0,"character":0},"end":{"line":%d,"character":%d}},"context":{"diagnostics":[]}}`, u, l, c)
	}},
	{"textDocument/rangeFormatting", func(u string, l, c int64) string {
		return fmt.Sprintf(`{"textDocument":{"uri":%q},"range":{"start":{"line":%d,"character":%d},"end":{"line":0,"character":0}},"options":{"tabSize":4,"insertSpaces":true}}`, u, l, c)
	}},
	{"textDocument/inlayHint", func(u string, l, c int64) string {
		return fmt.Sprintf(`{"textDocument":{"uri":%q},"range":{"start":{"line":%d,"character":%d},"end":{"line":%d,"character":%d}}}`, u, l, c, l, c)
	}},
	{"textDocument/semanticTokens/range", func(u string, l, c int64) string {
		return fmt.Sprintf(`{"textDocument":{"uri":%q},"range":{"start":{"line":%d,"character":%d},"end":{"line":%d,"character":%d}}}`, u, l, c, l, c)
	}},
}

func posParamsJSON(u string, l, c int64) string {
	return fmt.Sprintf(`{"textDocument":{"uri":%q},"position":{"line":%d,"character":%d}}`, u, l, c)
}

// abusePositions: positions past the end of lines and of the document are
// clamped (no error), negative or too large positions are InvalidParams;
// edits past the end append, edits with negative positions are dropped.
func abusePositions(t *testing.T, p *process) {
	const maxU32 = 1<<32 - 1
	// A document with non-ASCII text (UTF-16 columns) and an unfinished
	// block, so every handler has something to look at.
	const other = "file:///nonexistent/other.conf"
	p.rc.notification("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": other, "languageId": "keepalived", "version": 1, "text": "global_defs {\n    router_id 😀é\n  notification_email {\n"}})
	p.publishOf(t, other, 1)
	id := 100
	type sent struct {
		id     int
		method string
		l, c   int64
	}
	var clamp, invalid []sent
	for _, m := range positionMethods {
		for _, u := range []string{abuseURI, other} {
			for _, pos := range [][2]int64{{1, 100000}, {1000, 0}, {1000, 1000}, {maxU32, maxU32}, {0, maxU32}, {1, 15}, {1, 16}} {
				p.rc.send(fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":%q,"params":%s}`, id, m.method, m.params(u, pos[0], pos[1])))
				clamp = append(clamp, sent{id, m.method, pos[0], pos[1]})
				id++
			}
			for _, pos := range [][2]int64{{-1, 0}, {0, -1}, {1 << 32, 0}, {0, 1 << 40}} {
				p.rc.send(fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":%q,"params":%s}`, id, m.method, m.params(u, pos[0], pos[1])))
				invalid = append(invalid, sent{id, m.method, pos[0], pos[1]})
				id++
			}
		}
	}
	for _, s := range clamp {
		m := p.rc.response(s.id)
		// rename may refuse a position without a name (InvalidParams or
		// RequestFailed); nothing else may fail.
		if m.Error != nil && !(strings.Contains(s.method, "ename") && m.Error.Code != codeInternalError) {
			t.Errorf("%s at %d:%d: %s", s.method, s.l, s.c, m.Body)
		}
	}
	for _, s := range invalid {
		if m := p.wantError(t, s.id, codeInvalidParams); m.Error == nil {
			t.Logf("%s at %d:%d", s.method, s.l, s.c)
		}
	}
	// Hover past the end of the document: null.
	p.rc.request(20, "textDocument/hover", hoverParams(abuseURI, 1000, 0))
	if m := p.rc.response(20); m.Error != nil || string(m.Result) != "null" {
		t.Errorf("hover past the end: %s", m.Body)
	}
	// Edits: past the end (appends), reversed range (the parser swaps the
	// ends), negative (dropped), then a check that the text is what the
	// valid edits make of it.
	change := func(version int, changes ...any) {
		p.rc.notification("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": abuseURI, "version": version},
			"contentChanges": changes})
	}
	change(2, map[string]any{"range": lspRange(1000, 5, 2000, 0), "text": "\nbad_top 1\n"})
	if got := diagSummary(p.publishOf(t, abuseURI, 2)); got != "2:4 unknown-keyword, 5:0 unknown-keyword" {
		t.Errorf("after an edit past the end: %q", got)
	}
	change(3, map[string]any{"range": lspRange(maxU32, maxU32, maxU32, maxU32), "text": "bad_end 2\n"})
	if got := diagSummary(p.publishOf(t, abuseURI, 3)); got != "2:4 unknown-keyword, 5:0 unknown-keyword, 6:0 unknown-keyword" {
		t.Errorf("after an edit at the largest position: %q", got)
	}
	change(4, map[string]any{"range": lspRange(-1, 0, 0, 0), "text": "x"})
	change(4, map[string]any{"range": lspRange(0, 0, 0, 1<<40), "text": "x"})
	change(4, map[string]any{"range": lspRange(7, 0, 4, 0), "text": ""}) // reversed: deletes lines 4-6
	if got := diagSummary(p.publishOf(t, abuseURI, 4)); got != "2:4 unknown-keyword" {
		t.Errorf("after a reversed range: %q", got)
	}
	// Inside a surrogate pair and past the end of a line.
	p.rc.notification("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": other, "version": 2},
		"contentChanges": []any{map[string]any{"range": lspRange(1, 15, 1, 16), "text": ""},
			map[string]any{"range": lspRange(1, 100, 1, 200), "text": "x"}}})
	p.publishOf(t, other, 2)
	p.serves(t, 3)
}

// abuseUnopened: edits, saves and closes of documents that are not open
// are ignored (no document appears, nothing is published for them);
// requests about them answer empty results.
func abuseUnopened(t *testing.T, p *process) {
	const ghost = "file:///nonexistent/ghost.conf"
	p.rc.notification("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": ghost, "version": 2},
		"contentChanges": []any{map[string]any{"text": "garbage {\n"}}})
	p.rc.notification("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": ghost, "version": 3},
		"contentChanges": []any{map[string]any{"range": lspRange(0, 0, 0, 0), "text": "x"}}})
	p.rc.notification("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": "untitled:ghost", "version": 3},
		"contentChanges": []any{map[string]any{"range": lspRange(0, 0, 0, 0), "text": "x"}}})
	p.rc.notification("textDocument/didSave", map[string]any{"textDocument": map[string]any{"uri": ghost}, "text": "garbage {\n"})
	p.rc.notification("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": ghost}})
	p.rc.notification("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": "untitled:never"}})
	// A document closed twice.
	const twice = "untitled:twice"
	p.rc.notification("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": twice, "languageId": "keepalived", "version": 1, "text": simpleConf}})
	p.publishOf(t, twice, 1)
	p.rc.notification("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": twice}})
	p.rc.notification("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": twice}})
	p.rc.notification("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": twice, "version": 2},
		"contentChanges": []any{map[string]any{"text": "x"}}})
	id := 10
	for _, u := range []string{ghost, twice} {
		for _, m := range positionMethods {
			p.rc.send(fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":%q,"params":%s}`, id, m.method, m.params(u, 0, 0)))
			if r := p.rc.response(id); r.Error != nil {
				t.Errorf("%s on %s: %s", m.method, u, r.Body)
			}
			id++
		}
		for _, method := range []string{"textDocument/documentSymbol", "textDocument/foldingRange", "textDocument/documentLink",
			"textDocument/semanticTokens/full", "textDocument/formatting", "textDocument/diagnostic"} {
			p.rc.send(fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":%q,"params":{"textDocument":{"uri":%q},"options":{"tabSize":4,"insertSpaces":true}}}`, id, method, u))
			if r := p.rc.response(id); r.Error != nil {
				t.Errorf("%s on %s: %s", method, u, r.Body)
			}
			id++
		}
	}
	p.rc.request(5, "textDocument/hover", hoverParams(ghost, 0, 0))
	if m := p.rc.response(5); m.Error != nil || string(m.Result) != "null" {
		t.Errorf("hover in a document that was only changed: %s", m.Body)
	}
	p.serves(t, 3)
	time.Sleep(100 * time.Millisecond) // past the debounce
	p.serves(t, 4)
	var twicePublishes []string
	for _, m := range p.rc.seen {
		if m.Method != "textDocument/publishDiagnostics" {
			continue
		}
		pd := decodePublish(t, m)
		switch pd.URI {
		case ghost, "untitled:ghost", "untitled:never":
			t.Errorf("diagnostics published for a document that is not open: %s", m.Params)
		case twice:
			twicePublishes = append(twicePublishes, string(m.Params))
		}
	}
	// Opened, closed (cleared), closed again (nothing).
	if len(twicePublishes) != 1 || !strings.Contains(twicePublishes[0], `"diagnostics":[]`) {
		t.Errorf("publishes for %s after its open: %q", twice, twicePublishes)
	}
}

// abuseBeforeInitialize: requests before initialize get
// ServerNotInitialized, notifications are ignored, unknown requests are
// MethodNotFound; initialize then works.
func abuseBeforeInitialize(t *testing.T, p *process) {
	for i, method := range []string{"textDocument/hover", "shutdown", "textDocument/codeAction", "textDocument/completion",
		"textDocument/diagnostic", "workspace/symbol", "textDocument/formatting"} {
		p.rc.send(fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":%q,"params":{}}`, 10+i, method))
		p.wantError(t, 10+i, codeServerNotInitialized)
	}
	p.rc.request(30, "custom/unknown", map[string]any{})
	p.wantError(t, 30, codeMethodNotFound)
	// Ignored: no document is opened, nothing published.
	p.rc.notification("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": abuseURI, "languageId": "keepalived", "version": 1, "text": "garbage {\n"}})
	p.rc.notification("initialized", map[string]any{})
	p.rc.notification("$/cancelRequest", map[string]any{"id": 10})
	p.abuseInit(t, 1)
	p.rc.request(2, "textDocument/hover", hoverParams(abuseURI, 1, 6))
	if m := p.rc.response(2); m.Error != nil || string(m.Result) != "null" {
		t.Errorf("hover in a document opened before initialize: %s", m.Body)
	}
	p.openMain(t)
	p.serves(t, 3)
	for _, m := range p.rc.seen {
		if m.Method == "textDocument/publishDiagnostics" {
			t.Errorf("publish for the document opened before initialize: %s", m.Params)
		}
	}
	p.finish(t)
}

// abuseAfterShutdown: after shutdown, requests get InvalidRequest (unknown
// ones MethodNotFound), notifications are ignored, shutdown again is
// harmless, and exit ends the process with status 0.
func abuseAfterShutdown(t *testing.T, p *process) {
	p.abuseInit(t, 1)
	p.openMain(t)
	p.serves(t, 2)
	p.rc.request(3, "shutdown", nil)
	if m := p.rc.response(3); m.Error != nil || string(m.Result) != "null" {
		t.Fatalf("shutdown: %s", m.Body)
	}
	for i, method := range []string{"textDocument/hover", "initialize", "textDocument/codeAction", "textDocument/completion",
		"textDocument/diagnostic", "workspace/symbol", "textDocument/formatting", "textDocument/semanticTokens/full"} {
		params := `{"textDocument":{"uri":"` + abuseURI + `"},"position":{"line":1,"character":6}}`
		if method == "initialize" {
			b, _ := json.Marshal(initParams())
			params = string(b)
		}
		p.rc.send(fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":%q,"params":%s}`, 10+i, method, params))
		p.wantError(t, 10+i, codeInvalidRequest)
	}
	p.rc.request(30, "custom/unknown", nil)
	p.wantError(t, 30, codeMethodNotFound)
	p.rc.notification("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": abuseURI, "version": 2},
		"contentChanges": []any{map[string]any{"text": "garbage {\n"}}})
	p.rc.notification("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": "untitled:late", "languageId": "keepalived", "version": 1, "text": "garbage {\n"}})
	p.rc.notification("$/setTrace", map[string]any{"value": "verbose"})
	// The document and state did not change: still InvalidRequest, and no
	// diagnostics are published.
	p.rc.request(31, "textDocument/hover", hoverParams(abuseURI, 1, 6))
	p.wantError(t, 31, codeInvalidRequest)
	p.rc.request(32, "shutdown", nil)
	if m := p.rc.response(32); m.Error != nil || string(m.Result) != "null" {
		t.Errorf("second shutdown: %s", m.Body)
	}
	time.Sleep(100 * time.Millisecond) // past the debounce
	p.rc.notification("exit", nil)
	if code := p.exitCode(); code != 0 {
		t.Errorf("exit status %d, want 0", code)
	}
	p.stdoutClean()
	for _, m := range p.rc.seen {
		if m.Method == "textDocument/publishDiagnostics" && !strings.Contains(string(m.Params), `"version":1`) {
			t.Errorf("publish after shutdown: %s", m.Params)
		}
	}
}

// abuseSecondInitialize: a second initialize is InvalidRequest and changes
// nothing.
func abuseSecondInitialize(t *testing.T, p *process) {
	b, _ := json.Marshal(initParams())
	for id := 10; id < 13; id++ {
		p.rc.send(fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"initialize","params":%s}`, id, b))
		p.wantError(t, id, codeInvalidRequest)
	}
	p.rc.send(`{"jsonrpc":"2.0","id":13,"method":"initialize","params":{"capabilities":"none"}}`)
	p.wantError(t, 13, codeInvalidRequest)
	p.rc.notification("initialized", map[string]any{})
	p.serves(t, 2)
}

// abuseOddIDs: unusual but valid ids are echoed exactly; invalid ones are
// InvalidRequest with id null.
func abuseOddIDs(t *testing.T, p *process) {
	params := fmt.Sprintf(`{"textDocument":{"uri":%q},"position":{"line":1,"character":6}}`, abuseURI)
	for _, id := range []string{`0`, `-1`, `9007199254740993`, `""`, `"ü 😀"`, `"1"`, `"a\"b"`} {
		p.rc.send(fmt.Sprintf(`{"jsonrpc":"2.0","id":%s,"method":"textDocument/hover","params":%s}`, id, params))
		m := p.rc.until("response "+id, func(m rawMsg) bool { return m.Method == "" && string(m.ID) != "null" })
		var want, got any
		_ = json.Unmarshal([]byte(id), &want)
		_ = json.Unmarshal(m.ID, &got)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("id %s answered with id %s", id, m.ID)
		}
		checkRouterIDHover(t, m)
	}
	// The same id twice: two answers with that id.
	p.rc.sendBytes(frame(hoverBody(5)) + frame(hoverBody(5)))
	checkRouterIDHover(t, p.rc.response(5))
	checkRouterIDHover(t, p.rc.response(5))
	var want []int
	for _, id := range []string{`1.5`, `{"a":1}`, `[1]`, `true`} {
		p.rc.send(fmt.Sprintf(`{"jsonrpc":"2.0","id":%s,"method":"textDocument/hover","params":%s}`, id, params))
		want = append(want, codeInvalidRequest)
	}
	p.serves(t, 2)
	p.wantNullIDErrors(t, want...)
}

// abuseCancelStorm: hundreds of $/cancelRequest for requests in flight,
// answered, unknown and not yet sent, interleaved with hovers (in one
// write, so cancellations race the handlers). Every request gets exactly
// one answer: its correct result or RequestCancelled.
func abuseCancelStorm(t *testing.T, p *process) {
	// A bigger document too, so some requests take long enough to be
	// cancelled.
	const big = "untitled:big"
	p.rc.notification("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": big, "languageId": "keepalived", "version": 1, "text": strings.Repeat(simpleConf, 3000)}})
	p.publishOf(t, big, 1)
	cancel := func(id any) string {
		b, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "method": "$/cancelRequest", "params": map[string]any{"id": id}})
		return frame(string(b))
	}
	const n = 400
	var buf strings.Builder
	for i := range n {
		id := 1000 + i
		buf.WriteString(frame(hoverBody(id)))
		buf.WriteString(cancel(id + 1)) // not yet sent: ignored
		if i%2 == 0 {
			buf.WriteString(cancel(id)) // in flight or answered
		}
		buf.WriteString(cancel(500000 + i))            // unknown
		buf.WriteString(cancel(fmt.Sprint(id)))        // same digits as a string
		buf.WriteString(cancel(fmt.Sprintf("s%d", i))) // unknown string
		if i%10 == 0 {
			// Heavy requests on the big document, cancelled at once.
			cid := 5000 + i
			b, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": cid, "method": "textDocument/codeAction", "params": map[string]any{
				"textDocument": map[string]any{"uri": big}, "range": lspRange(0, 0, 12000, 0), "context": map[string]any{"diagnostics": []any{}}}})
			buf.WriteString(frame(string(b)))
			b, _ = json.Marshal(map[string]any{"jsonrpc": "2.0", "id": cid + 1, "method": "textDocument/semanticTokens/full", "params": map[string]any{
				"textDocument": map[string]any{"uri": big}}})
			buf.WriteString(frame(string(b)))
			buf.WriteString(cancel(cid))
			buf.WriteString(cancel(cid + 1))
		}
	}
	written := make(chan error, 1)
	go func() { _, err := io.WriteString(p.stdin, buf.String()); written <- err }() // the test reads meanwhile
	want := map[string]bool{}
	for i := range n {
		want[strconv.Itoa(1000+i)] = true
		if i%10 == 0 {
			want[strconv.Itoa(5000+i)], want[strconv.Itoa(5001+i)] = true, true
		}
	}
	answered := map[string]bool{}
	results, cancelled := 0, 0
	deadline := time.After(60 * time.Second)
	for len(answered) < len(want) {
		var m rawMsg
		select {
		case m = <-p.rc.msgs:
		case <-deadline:
			t.Fatalf("%d of %d requests answered", len(answered), len(want))
		}
		if m.Method != "" {
			continue
		}
		id := string(m.ID)
		if !want[id] {
			t.Fatalf("unexpected response %s", m.Body)
		}
		if answered[id] {
			t.Fatalf("second response to %s: %s", id, m.Body)
		}
		answered[id] = true
		switch {
		case m.Error != nil && m.Error.Code == codeRequestCancelled:
			cancelled++
		case m.Error != nil:
			t.Errorf("request %s: %s", id, m.Body)
		default:
			results++
			if n, _ := strconv.Atoi(id); n < 5000 {
				checkRouterIDHover(t, m)
			}
		}
		// Hovers with an odd number were never cancelled (only their
		// string twin and before they were sent): they have results.
		if n, _ := strconv.Atoi(id); n < 5000 && n%2 == 1 && m.Error != nil {
			t.Errorf("request %s was not cancelled but answered %s", id, m.Body)
		}
	}
	if err := <-written; err != nil {
		t.Fatal(err)
	}
	t.Logf("cancellation storm: %d requests, %d answered with results, %d cancelled", len(want), results, cancelled)
	p.serves(t, 2)
	// Nothing else arrives for the storm (no answers to notifications).
	p.rc.request(3, "textDocument/hover", hoverParams(abuseURI, 1, 6))
	checkRouterIDHover(t, p.rc.response(3))
	for _, m := range p.rc.seen {
		if m.Method == "" {
			t.Errorf("unexpected message %s", m.Body)
		}
	}
}

// abuseUnknownMethods: unknown requests get MethodNotFound with their id;
// unknown notifications are ignored.
func abuseUnknownMethods(t *testing.T, p *process) {
	for i, method := range []string{"custom/thing", "$/unknownRequest", "textDocument/notAFeature", "workspace/executeCommand/x", "",
		"textDocument/hover/", "TEXTDOCUMENT/HOVER", strings.Repeat("m", 100000)} {
		p.rc.request(10+i, method, map[string]any{"a": []int{1, 2}})
		p.wantError(t, 10+i, codeMethodNotFound)
	}
	for _, method := range []string{"$/setTrace", "$/logTrace", "$/progress", "$/anything", "custom/notification",
		"textDocument/willSave", "window/workDoneProgress/cancel", "workspace/didChangeWorkspaceFolders", strings.Repeat("n", 100000)} {
		p.rc.notification(method, map[string]any{"value": "verbose", "token": 1})
		p.rc.notification(method, nil)
		p.rc.send(fmt.Sprintf(`{"jsonrpc":"2.0","method":%q,"params":[1,"2",null]}`, method))
	}
	p.serves(t, 2)
	p.wantNullIDErrors(t)
	p.noResponse(t, "null")
}

// abuseThousandDocuments opens 1,000 documents, changes and closes each,
// and checks every publish, the cleared diagnostics after the closes and
// the process's memory.
func abuseThousandDocuments(t *testing.T, p *process) {
	const n = 1000
	var gen bytes.Buffer
	if err := benchgen.Write(&gen, 1, 2, 2); err != nil {
		t.Fatal(err)
	}
	base := gen.String()
	if !strings.Contains(base, "\trouter_id LVS_BENCH_01\n") {
		t.Fatal("benchgen output changed: no router_id line")
	}
	routerLine := strings.Count(base[:strings.Index(base, "\trouter_id")], "\n")
	uriOf := func(i int) string { return fmt.Sprintf("file:///nonexistent/docs/k%04d.conf", i) }
	textOf := func(i int) string {
		return strings.Replace(base, "\trouter_id LVS_BENCH_01\n", fmt.Sprintf("\trouter_id doc_%d\n\tfoo_bar_%d 1\n", i, i), 1)
	}
	rss0, _ := p.rss(t)
	// send writes in the background: the server publishes while the test
	// writes, and the test must read meanwhile.
	send := func(build func(i int) string) chan error {
		done := make(chan error, 1)
		go func() {
			w := bufio.NewWriterSize(p.stdin, 1<<20)
			for i := range n {
				if _, err := w.WriteString(build(i)); err != nil {
					done <- err
					return
				}
			}
			done <- w.Flush()
		}()
		return done
	}
	notif := func(method string, params any) string {
		b, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "method": method, "params": params})
		return frame(string(b))
	}
	// collect reads publishes until each document has one satisfying ok.
	collect := func(phase string, ok func(i int, pd wirePublish) bool) map[int]wirePublish {
		got := map[int]wirePublish{}
		deadline := time.After(120 * time.Second)
		for len(got) < n {
			var m rawMsg
			select {
			case m = <-p.rc.msgs:
			case <-deadline:
				t.Fatalf("%s: %d of %d documents published", phase, len(got), n)
			}
			if m.Method != "textDocument/publishDiagnostics" {
				t.Fatalf("%s: unexpected message %s", phase, m.Body)
			}
			pd := decodePublish(t, m)
			var i int
			if _, err := fmt.Sscanf(pd.URI, "file:///nonexistent/docs/k%04d.conf", &i); err != nil {
				t.Fatalf("%s: publish for %s", phase, pd.URI)
			}
			if ok(i, pd) {
				if _, dup := got[i]; dup {
					t.Errorf("%s: two publishes for document %d", phase, i)
				}
				got[i] = pd
			}
		}
		return got
	}
	start := time.Now()
	done := send(func(i int) string {
		return notif("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
			"uri": uriOf(i), "languageId": "keepalived", "version": 1, "text": textOf(i)}})
	})
	opened := collect("open", func(i int, pd wirePublish) bool { return pd.Version != nil && *pd.Version == 1 })
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	// Each document has its unknown keyword and what the generated base
	// has (unused vrrp_script definitions).
	wantOpen := diagSummary(opened[0])
	if !strings.HasPrefix(wantOpen, fmt.Sprintf("%d:1 unknown-keyword", routerLine+1)) {
		t.Fatalf("document 0 v1: %q", wantOpen)
	}
	for i, pd := range opened {
		if got := diagSummary(pd); got != wantOpen {
			t.Fatalf("document %d v1: %q, want %q", i, got, wantOpen)
		}
	}
	rssOpen, _ := p.rss(t)
	tOpen := time.Since(start)
	// Change each: remove the bad line (incremental edit) and rename the
	// router.
	start = time.Now()
	done = send(func(i int) string {
		return notif("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": uriOf(i), "version": 2},
			"contentChanges": []any{
				map[string]any{"range": lspRange(routerLine+1, 0, routerLine+2, 0), "text": ""},
				map[string]any{"range": lspRange(routerLine, 11, routerLine, 11), "text": "x"},
			}})
	})
	changed := collect("change", func(i int, pd wirePublish) bool { return pd.Version != nil && *pd.Version == 2 })
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	for i, pd := range changed {
		if len(pd.Diagnostics) != len(opened[0].Diagnostics)-1 || strings.Contains(diagSummary(pd), "unknown-keyword") {
			t.Fatalf("document %d v2: %s", i, pd.raw)
		}
	}
	// Hover in one of them sees the change.
	p.rc.request(7, "textDocument/hover", hoverParams(uriOf(500), routerLine, 13))
	if m := p.rc.response(7); m.Error != nil || !strings.Contains(string(m.Result), "router_id") {
		t.Errorf("hover in document 500: %s", m.Body)
	}
	rssChange, _ := p.rss(t)
	tChange := time.Since(start)
	// Close each: every document's diagnostics are cleared with [].
	start = time.Now()
	done = send(func(i int) string {
		return notif("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": uriOf(i)}})
	})
	collect("close", func(i int, pd wirePublish) bool {
		if pd.Version != nil || len(pd.Diagnostics) != 0 || !strings.Contains(string(pd.raw), `"diagnostics":[]`) {
			t.Errorf("publish after the close of document %d: %s", i, pd.raw)
		}
		return true
	})
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	tClose := time.Since(start)
	// Nothing more for the closed documents, even after the debounce.
	time.Sleep(200 * time.Millisecond)
	p.serves(t, 8)
	for _, m := range p.rc.seen {
		if m.Method == "textDocument/publishDiagnostics" {
			t.Errorf("publish after the documents were closed: %s", m.Params)
		}
	}
	rssClose, hwm := p.rss(t)
	t.Logf("1000 documents of %d lines: open+publish %v, change+publish %v, close+clear %v",
		strings.Count(base, "\n")+1, tOpen.Round(time.Millisecond), tChange.Round(time.Millisecond), tClose.Round(time.Millisecond))
	t.Logf("VmRSS: start %d MB, 1000 open %d MB, changed %d MB, closed %d MB; VmHWM %d MB (limit %d MB)",
		rss0>>20, rssOpen>>20, rssChange>>20, rssClose>>20, hwm>>20, maxRSSThousandDocs>>20)
	if hwm > maxRSSThousandDocs {
		t.Errorf("peak RSS %d MB with 1000 open documents, limit %d MB", hwm>>20, maxRSSThousandDocs>>20)
	}
}

// TestCancelRequestIDKinds: $/cancelRequest cancels the request with its
// id only: the string "7" is not the number 7. A request whose id a client
// reuses while the first one runs stays cancellable.
func TestCancelRequestIDKinds(t *testing.T) {
	rc, _, _ := newRawClient(t)
	rc.initialize(1)
	rc.send(`{"jsonrpc":"2.0","id":7,"method":"test/slow","params":{"millis":300}}`)
	rc.send(`{"jsonrpc":"2.0","id":"8","method":"test/slow","params":{"millis":300}}`)
	time.Sleep(20 * time.Millisecond)
	rc.notification("$/cancelRequest", map[string]any{"id": "7"})
	rc.notification("$/cancelRequest", map[string]any{"id": 8})
	if m := rc.response(7); string(m.Result) != `"finished"` {
		t.Errorf("request 7 after cancelling \"7\": %s", m.Body)
	}
	if m := rc.until(`response "8"`, func(m rawMsg) bool { return string(m.ID) == `"8"` }); string(m.Result) != `"finished"` {
		t.Errorf("request \"8\" after cancelling 8: %s", m.Body)
	}
	// The same id twice in flight: the first one to finish must not make
	// the other uncancellable; one cancellation reaches both.
	rc.send(`{"jsonrpc":"2.0","id":9,"method":"test/slow","params":{"millis":1}}`)
	rc.send(`{"jsonrpc":"2.0","id":9,"method":"test/slow","params":{"millis":5000}}`)
	if m := rc.response(9); string(m.Result) != `"finished"` {
		t.Fatalf("first request 9: %s", m.Body)
	}
	rc.notification("$/cancelRequest", map[string]any{"id": 9})
	if m := rc.response(9); m.Error == nil || m.Error.Code != codeRequestCancelled {
		t.Errorf("second request 9: %s", m.Body)
	}
	rc.send(`{"jsonrpc":"2.0","id":10,"method":"test/slow","params":{"millis":5000}}`)
	rc.send(`{"jsonrpc":"2.0","id":10,"method":"test/slow","params":{"millis":5000}}`)
	time.Sleep(20 * time.Millisecond)
	rc.notification("$/cancelRequest", map[string]any{"id": 10})
	for range 2 {
		if m := rc.response(10); m.Error == nil || m.Error.Code != codeRequestCancelled {
			t.Errorf("request 10: %s", m.Body)
		}
	}
}
