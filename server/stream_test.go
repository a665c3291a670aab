package server

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"
)

// TestMalformedInput writes broken frames and bodies to the server: each
// gets an error response (id null) or is skipped, and the server keeps
// answering the well-formed requests that follow.
func TestMalformedInput(t *testing.T) {
	const (
		parseError     = -32700
		invalidRequest = -32600
	)
	ping := func(id int) string {
		return frame(fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"textDocument/hover","params":{"textDocument":{"uri":"untitled:a"},"position":{"line":1,"character":6}}}`, id))
	}
	for _, tc := range []struct {
		name  string
		bytes string
		code  int // the error response expected before the ping's answer; 0: none
	}{
		{"invalid-json", frame(`{"jsonrpc":"2.0","id":1,"method":`), parseError},
		{"invalid-json-garbage", frame(`}{ not json at all`), parseError},
		{"trailing-garbage", frame(`{"jsonrpc":"2.0","id":1,"method":"x"} extra`), parseError},
		{"json-array-batch", frame(`[{"jsonrpc":"2.0","id":77,"method":"shutdown"}]`), invalidRequest},
		{"empty-array", frame(`[]`), invalidRequest},
		{"json-number", frame(`42`), invalidRequest},
		{"json-string", frame(`"hello"`), invalidRequest},
		{"json-null", frame(`null`), invalidRequest},
		{"not-json-rpc", frame(`{"foo":1}`), invalidRequest},
		{"method-not-a-string", frame(`{"jsonrpc":"2.0","id":5,"method":5}`), invalidRequest},
		{"id-an-object", frame(`{"jsonrpc":"2.0","id":{"a":1},"method":"textDocument/hover"}`), invalidRequest},
		{"unknown-response", frame(`{"jsonrpc":"2.0","id":999,"result":{"x":1}}`), 0},
		{"unknown-error-response", frame(`{"jsonrpc":"2.0","id":"zz","error":{"code":-1,"message":"m"}}`), 0},
		{"header-lines-lf-only", "Content-Length: 2\n\n{}", invalidRequest},
		{"lowercase-header-and-content-type", "content-length: 2\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}", invalidRequest},
		{"garbage-header-line", "this is not a header\r\n" + frame(`{}`), invalidRequest},
		{"empty-header-block", "\r\n", 0},
		{"bad-content-length", "Content-Length: abc\r\n\r\n", 0},
		{"zero-content-length", "Content-Length: 0\r\n\r\n", 0},
		{"negative-content-length", "Content-Length: -4\r\n\r\n", 0},
		// Bodies the server cannot frame: the next header follows the
		// body on the same "line".
		{"missing-content-length-then-body", "Content-Type: x\r\n\r\n" + `{"jsonrpc":"2.0","id":1,"method":"x"}`, 0},
		{"content-length-too-short", "Content-Length: 10\r\n\r\n" + `{"jsonrpc":"2.0","id":1,"method":"x"}`, parseError},
		{"duplicate-member-names", frame(`{"jsonrpc":"2.0","method":"$/x","method":"$/y","params":{"a":1,"a":2}}`), 0},
		{"oversized-unframed-body", "Content-Type: x\r\n\r\n" + `{"jsonrpc":"2.0","method":"x","params":"` + strings.Repeat("y", 20000) + `"}`, 0},
		{"misspelled-header-then-body", "Content-Lenght: 37\r\n\r\n" + `{"jsonrpc":"2.0","id":1,"method":"x"}`, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rc, _, _ := newRawClient(t)
			rc.initialize(100)
			rc.notification("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
				"uri": "untitled:a", "languageId": "keepalived", "version": 1, "text": simpleConf}})
			rc.sendBytes(tc.bytes)
			rc.sendBytes(ping(101))
			m := rc.response(101)
			if m.Error != nil || !strings.Contains(string(m.Result), "router_id") {
				t.Errorf("hover after %s: %s", tc.name, m.Body)
			}
			var errs []int
			for _, s := range rc.seen {
				if s.Error != nil {
					errs = append(errs, s.Error.Code)
					if string(s.ID) != "null" && tc.name != "method-not-a-string" {
						t.Errorf("error response with id %s: %s", s.ID, s.Body)
					}
				}
			}
			switch {
			case tc.code == 0 && len(errs) > 0:
				t.Errorf("unexpected error responses %v", errs)
			case tc.code != 0 && (len(errs) != 1 || errs[0] != tc.code):
				t.Errorf("error responses %v, want [%d]", errs, tc.code)
			}
			// And it keeps going.
			rc.sendBytes(ping(102))
			if m := rc.response(102); m.Error != nil {
				t.Errorf("second hover: %s", m.Body)
			}
		})
	}
}

// TestSplitWrites delivers frames in small pieces and several frames in one
// write.
func TestSplitWrites(t *testing.T) {
	rc, _, _ := newRawClient(t)
	rc.initialize(1)
	open := frame(`{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"untitled:a","languageId":"keepalived","version":1,"text":"global_defs {\n    router_id lb1\n}\n"}}}`)
	hover := frame(`{"jsonrpc":"2.0","id":2,"method":"textDocument/hover","params":{"textDocument":{"uri":"untitled:a"},"position":{"line":1,"character":6}}}`)
	all := open + hover + hover[:7]
	for i := 0; i < len(all); i += 5 {
		rc.sendBytes(all[i:min(i+5, len(all))])
		time.Sleep(time.Microsecond)
	}
	if m := rc.response(2); m.Error != nil || !strings.Contains(string(m.Result), "router_id") {
		t.Fatalf("hover: %s", m.Body)
	}
	rc.sendBytes(hover[7:] + frame(`{"jsonrpc":"2.0","id":4,"method":"shutdown"}`))
	rc.response(2)
	if m := rc.response(4); m.Error != nil {
		t.Fatalf("shutdown: %s", m.Body)
	}
}

// TestInvalidUTF8 opens a document with bytes that are not UTF-8.
func TestInvalidUTF8(t *testing.T) {
	rc, _, _ := newRawClient(t)
	rc.initialize(1)
	body := "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{\"textDocument\":{\"uri\":\"untitled:a\",\"languageId\":\"keepalived\",\"version\":1,\"text\":\"global_defs {\\n  # \xff\xfe\\n  bad\xc3 1\\n}\\n\"}}}"
	rc.sendBytes(frame(body))
	m := rc.until("diagnostics", func(m rawMsg) bool { return m.Method == "textDocument/publishDiagnostics" })
	if !strings.Contains(string(m.Params), "unknown-keyword") {
		t.Errorf("diagnostics %s", m.Params)
	}
	rc.request(2, "textDocument/hover", hoverParams("untitled:a", 2, 3))
	if m := rc.response(2); m.Error != nil {
		t.Errorf("hover: %s", m.Body)
	}
}

// TestStreamKeepsOnlySmallBuffers: a large message (opening a big file)
// is read into a buffer of its own, so the connection does not hold that
// much memory for the rest of the session; small messages share one.
func TestStreamKeepsOnlySmallBuffers(t *testing.T) {
	msg := func(n int) string {
		return frame(`{"jsonrpc":"2.0","method":"$/x","params":"` + strings.Repeat("y", n) + `"}`)
	}
	in := msg(100) + msg(8<<20) + msg(200)
	s := newStream(rwc{strings.NewReader(in)}, zap.NewNop())
	for i, want := range []int{100, 8 << 20, 200} {
		body, _, err := s.ReadFrame(context.Background())
		if err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		if !strings.Contains(string(body), strings.Repeat("y", want)) {
			t.Fatalf("message %d: wrong body", i)
		}
		if cap(s.buf) > keepFrame {
			t.Fatalf("after message %d the stream keeps a buffer of %d bytes", i, cap(s.buf))
		}
	}
}

// rwc reads from a reader and discards writes.
type rwc struct{ io.Reader }

func (rwc) Write(p []byte) (int, error) { return len(p), nil }
func (rwc) Close() error                { return nil }
