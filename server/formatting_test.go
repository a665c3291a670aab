package server

import (
	"fmt"
	"reflect"
	"testing"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// spaces4 is what most editors send for a keepalived file.
var spaces4 = protocol.FormattingOptions{TabSize: 4, InsertSpaces: true}

// fmtDocument asks for textDocument/formatting.
func (c *testClient) fmtDocument(u uri.URI, opts protocol.FormattingOptions) []protocol.TextEdit {
	c.t.Helper()
	var edits []protocol.TextEdit
	if err := c.call(protocol.MethodTextDocumentFormatting, &protocol.DocumentFormattingParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: u}, Options: opts}, &edits); err != nil {
		c.t.Fatalf("formatting: %v", err)
	}
	return edits
}

// rawResult sends a request and returns its result as sent.
func (c *testClient) rawResult(method string, params any) string {
	c.t.Helper()
	var raw jsonrpc2.RawMessage
	if err := c.call(method, params, &raw); err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
	return string(raw)
}

// editList renders edits as "range text".
func editList(edits []protocol.TextEdit) []string {
	var out []string
	for _, e := range edits {
		out = append(out, fmt.Sprintf("%s %q", rangeString(e.Range), e.NewText))
	}
	return out
}

func TestFormattingCapabilities(t *testing.T) {
	c := newClient(t)
	caps := c.initialize(clientOptions{}).Capabilities
	if caps.DocumentFormattingProvider != protocol.Boolean(true) {
		t.Errorf("documentFormattingProvider %#v", caps.DocumentFormattingProvider)
	}
	if caps.DocumentRangeFormattingProvider != protocol.Boolean(true) {
		t.Errorf("documentRangeFormattingProvider %#v", caps.DocumentRangeFormattingProvider)
	}
	ot := caps.DocumentOnTypeFormattingProvider
	if ot.FirstTriggerCharacter != "}" || !reflect.DeepEqual(ot.MoreTriggerCharacter, []string{"\n"}) {
		t.Errorf("documentOnTypeFormattingProvider %#v", ot)
	}
}

func TestFormatting(t *testing.T) {
	c := start(t, clientOptions{})
	u := uri.URI("untitled:format")
	in := "global_defs {\n  router_id   lb1\n    script_user root\n}\nvrrp_instance VI_1\n{\n    state MASTER\n        virtual_ipaddress { 10.0.0.1/24 }\n}\n\n\n"
	c.open(u, in)
	edits := c.fmtDocument(u, spaces4)
	// Only the changed lines are edited.
	want := []string{
		`1:0-2:0 "    router_id lb1\n"`,
		`4:0-6:0 "vrrp_instance VI_1 {\n"`,
		`7:0-8:0 "    virtual_ipaddress {\n        10.0.0.1/24\n    }\n"`,
		`9:0-11:0 ""`,
	}
	if got := editList(edits); !reflect.DeepEqual(got, want) {
		t.Errorf("edits:\n got %q\nwant %q", got, want)
	}
	out := applyTextEdits(t, in, edits, c.utf8)
	wantText := "global_defs {\n    router_id lb1\n    script_user root\n}\nvrrp_instance VI_1 {\n    state MASTER\n    virtual_ipaddress {\n        10.0.0.1/24\n    }\n}\n"
	if out != wantText {
		t.Fatalf("formatted:\n%s\nwant:\n%s", out, wantText)
	}
	// The formatted document needs no edits: the answer is [], not null.
	c.replace(u, out)
	if got := c.rawResult(protocol.MethodTextDocumentFormatting, &protocol.DocumentFormattingParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: u}, Options: spaces4}); got != "[]" {
		t.Errorf("formatting a formatted document: %s", got)
	}
}

func TestFormattingIndentOptions(t *testing.T) {
	c := start(t, clientOptions{})
	u := uri.URI("untitled:indent")
	in := "global_defs {\nnotification_email {\nroot\n}\n}\n"
	c.open(u, in)
	for _, tc := range []struct {
		opts protocol.FormattingOptions
		want string
	}{
		{protocol.FormattingOptions{TabSize: 8, InsertSpaces: false}, "global_defs {\n\tnotification_email {\n\t\troot\n\t}\n}\n"},
		{protocol.FormattingOptions{TabSize: 2, InsertSpaces: true}, "global_defs {\n  notification_email {\n    root\n  }\n}\n"},
		{protocol.FormattingOptions{InsertSpaces: true}, "global_defs {\n    notification_email {\n        root\n    }\n}\n"},
	} {
		if got := applyTextEdits(t, in, c.fmtDocument(u, tc.opts), c.utf8); got != tc.want {
			t.Errorf("%+v:\n%s", tc.opts, got)
		}
	}
}

// TestFormattingPositions checks the end of an edit of the last line, which
// has no newline, in both position encodings.
func TestFormattingPositions(t *testing.T) {
	in := "global_defs {\n  router_id lb1\n}\n# café 😀"
	for _, tc := range []struct {
		utf8 bool
		want []string
	}{
		{false, []string{`1:0-2:0 "    router_id lb1\n"`, `3:0-3:9 "# café 😀\n"`}},
		{true, []string{`1:0-2:0 "    router_id lb1\n"`, `3:0-3:12 "# café 😀\n"`}},
	} {
		c := start(t, clientOptions{UTF8: tc.utf8})
		u := uri.URI("untitled:positions")
		c.open(u, in)
		edits := c.fmtDocument(u, spaces4)
		if got := editList(edits); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("utf8=%v: edits %q, want %q", tc.utf8, got, tc.want)
		}
		if got := applyTextEdits(t, in, edits, c.utf8); got != "global_defs {\n    router_id lb1\n}\n# café 😀\n" {
			t.Errorf("utf8=%v: formatted %q", tc.utf8, got)
		}
	}
}

// TestFormattingSyntaxErrors: the statement with unbalanced braces is left
// as written, the others are formatted.
func TestFormattingSyntaxErrors(t *testing.T) {
	c := start(t, clientOptions{})
	u := uri.URI("untitled:broken")
	in := "global_defs {\n  router_id lb1\n}\nvrrp_instance VI_1 {\n  state   MASTER\n  virtual_ipaddress { 10.0.0.1\n"
	c.open(u, in)
	got := applyTextEdits(t, in, c.fmtDocument(u, spaces4), c.utf8)
	if want := "global_defs {\n    router_id lb1\n}\nvrrp_instance VI_1 {\n  state   MASTER\n  virtual_ipaddress { 10.0.0.1\n"; got != want {
		t.Errorf("formatted:\n%s", got)
	}
}

func TestFormattingUnknownDocument(t *testing.T) {
	c := start(t, clientOptions{})
	if got := c.rawResult(protocol.MethodTextDocumentFormatting, &protocol.DocumentFormattingParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: "untitled:nothing"}, Options: spaces4}); got != "null" {
		t.Errorf("formatting a document that is not open: %s", got)
	}
}
