package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// Methods only the test binary knows, to reach the server's middleware.
func init() {
	register("test/panic", request(true, func(*Server, context.Context, *struct{}) (any, error) { panic("boom (async)") }))
	register("test/panicSync", request(false, func(*Server, context.Context, *struct{}) (any, error) { panic("boom (sync)") }))
	register("test/panicNotify", notify(func(*Server, context.Context, *struct{}) error { panic("boom (notification)") }))
	register("test/error", request(true, func(*Server, context.Context, *struct{}) (any, error) { return nil, errors.New("plain failure") }))
	register("test/slow", request(true, func(_ *Server, ctx context.Context, p *struct {
		Millis int `json:"millis"`
	}) (any, error) {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(time.Duration(p.Millis) * time.Millisecond):
			return "finished", nil
		}
	}))
}

func TestHandlerPanicRecovered(t *testing.T) {
	c := start(t, clientOptions{})
	u := uri.URI("untitled:a")
	c.open(u, simpleConf)
	c.diagsFor(u, 1)
	for _, method := range []string{"test/panic", "test/panicSync"} {
		err := c.call(method, map[string]any{}, nil)
		var e *jsonrpc2.Error
		if !errors.As(err, &e) || e.Code != jsonrpc2.InternalError || !strings.Contains(e.Message, "internal error in "+method+": boom") {
			t.Errorf("%s: %v", method, err)
		}
	}
	c.notify("test/panicNotify", map[string]any{})
	// A handler error that is not a JSON-RPC error still answers the call.
	if err := c.call("test/error", nil, nil); err == nil || !strings.Contains(err.Error(), "plain failure") {
		t.Errorf("test/error: %v", err)
	}
	// Still serving, documents intact.
	if h, err := c.hover(u, 1, 6); err != nil || h == nil {
		t.Errorf("hover after panics: %v %v", h, err)
	}
	v := c.replace(u, vrrpConf)
	if got := c.diagsFor(u, v); len(got) != 0 {
		t.Errorf("diagnostics %q", full(got))
	}
	panics := c.logs.FilterMessage("handler panic").All()
	if len(panics) != 3 {
		t.Fatalf("%d panics logged", len(panics))
	}
	if stack, _ := panics[0].ContextMap()["stack"].(string); !strings.Contains(stack, "robustness_test.go") {
		t.Errorf("panic logged without its stack: %v", panics[0].ContextMap())
	}
	if code := c.shutdownExit(); code != 0 {
		t.Errorf("exit code %d", code)
	}
}

func TestCancelRequest(t *testing.T) {
	rc, _, _ := newRawClient(t)
	rc.initialize(1)
	// Cancel a request in flight: RequestCancelled.
	rc.request(2, "test/slow", map[string]any{"millis": 5000})
	time.Sleep(20 * time.Millisecond)
	rc.notification("$/cancelRequest", map[string]any{"id": 2})
	if m := rc.response(2); m.Error == nil || m.Error.Code != -32800 {
		t.Errorf("cancelled request: %s", m.Body)
	}
	// The request and its cancellation in one write: the cancellation may
	// be read before the handler has started.
	for i := 3; i < 40; i++ {
		body := fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"test/slow","params":{"millis":5000}}`, i)
		rc.sendBytes(frame(body) + frame(fmt.Sprintf(`{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":%d}}`, i)))
		select {
		case m := <-rc.msgs:
			if string(m.ID) != fmt.Sprint(i) || m.Error == nil || m.Error.Code != -32800 {
				t.Fatalf("request %d: %s", i, m.Body)
			}
		case <-time.After(2 * time.Second):
			t.Fatalf("request %d cancelled at once was not answered", i)
		}
	}
	// String ids.
	rc.send(`{"jsonrpc":"2.0","id":"s-1","method":"test/slow","params":{"millis":5000}}`)
	rc.send(`{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":"s-1"}}`)
	if m := rc.until("response s-1", func(m rawMsg) bool { return string(m.ID) == `"s-1"` }); m.Error == nil || m.Error.Code != -32800 {
		t.Errorf("cancelled string id: %s", m.Body)
	}
	// Ids beyond 32 bits (JSON-RPC allows any number; some clients count
	// with 64-bit integers).
	for _, id := range []string{"4294967296", "9007199254740993", "-5"} {
		rc.send(`{"jsonrpc":"2.0","id":` + id + `,"method":"test/slow","params":{"millis":5000}}`)
		rc.send(`{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":` + id + `}}`)
		m := rc.until("response "+id, func(m rawMsg) bool { return string(m.ID) == id })
		if m.Error == nil || m.Error.Code != -32800 {
			t.Errorf("cancelled id %s: %s", id, m.Body)
		}
	}
	// A request that finishes is not affected by a late cancel.
	rc.request(50, "test/slow", map[string]any{"millis": 1})
	if m := rc.response(50); string(m.Result) != `"finished"` {
		t.Errorf("request 50: %s", m.Body)
	}
	rc.notification("$/cancelRequest", map[string]any{"id": 50})
	// Cancelling real requests: each is answered, with a result or
	// RequestCancelled, and the server keeps serving.
	rc.notification("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": "untitled:a", "languageId": "keepalived", "version": 1, "text": strings.Repeat(vrrpConf, 200)}})
	for i := 100; i < 120; i++ {
		rc.request(i, "textDocument/hover", hoverParams("untitled:a", 1, 6))
		rc.request(i+100, "textDocument/codeAction", map[string]any{"textDocument": map[string]any{"uri": "untitled:a"},
			"range":   map[string]any{"start": map[string]any{"line": 0, "character": 0}, "end": map[string]any{"line": 2000, "character": 0}},
			"context": map[string]any{"diagnostics": []any{}}})
		rc.notification("$/cancelRequest", map[string]any{"id": i})
		rc.notification("$/cancelRequest", map[string]any{"id": i + 100})
	}
	for i := 100; i < 120; i++ {
		for _, id := range []int{i, i + 100} {
			m := rc.response(id)
			if m.Error != nil && m.Error.Code != -32800 {
				t.Errorf("request %d: %s", id, m.Body)
			}
		}
	}
	rc.request(300, "textDocument/hover", hoverParams("untitled:a", 1, 6))
	if m := rc.response(300); m.Error != nil || !strings.Contains(string(m.Result), "router_id") {
		t.Errorf("hover after cancellations: %s", m.Body)
	}
}

// TestConcurrentRequests: hovers, code actions and pulls run in parallel
// with edits (run with -race). Each answer is about one consistent version.
func TestConcurrentRequests(t *testing.T) {
	c := start(t, clientOptions{Pull: true})
	u := uri.URI("untitled:busy")
	base := strings.Repeat(vrrpConf, 20)
	c.open(u, base)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	errs := make(chan error, 100)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				line := uint32((i*7 + g) % 240)
				var err error
				switch i % 3 {
				case 0:
					var h *protocol.Hover
					h, err = c.hover(u, line, 6)
					if err == nil && h != nil && h.Range != nil && h.Range.Start.Line != line {
						err = fmt.Errorf("hover on line %d answered for %s", line, rangeString(*h.Range))
					}
				case 1:
					var actions []protocol.CodeAction
					err = c.call(protocol.MethodTextDocumentCodeAction, &protocol.CodeActionParams{
						TextDocument: protocol.TextDocumentIdentifier{URI: u}, Range: rng(line, 0, line+5, 0),
						Context: protocol.CodeActionContext{Diagnostics: []protocol.Diagnostic{}}}, &actions)
				case 2:
					var rep json.RawMessage
					err = c.call(protocol.MethodTextDocumentDiagnostic, &protocol.DocumentDiagnosticParams{
						TextDocument: protocol.TextDocumentIdentifier{URI: u}}, &rep)
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	for i := range 60 {
		line := uint32(i % 200)
		if i%2 == 0 {
			c.change(u, partial(line, 0, line, 0, "# c\n"))
		} else {
			c.change(u, partial(line, 0, line, 0, "  x_y 1\n"), partial(line+3, 0, line+3, 0, "{\n"), partial(line+3, 0, line+4, 0, ""))
		}
	}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	got := c.pull(u)
	fresh := uri.URI("untitled:busy-fresh")
	c.open(fresh, c.text(u))
	want := c.pull(fresh)
	if len(got) != len(want) || len(got) == 0 {
		t.Errorf("after the edits: %d diagnostics, a fresh open has %d", len(got), len(want))
	}
}
