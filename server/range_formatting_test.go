package server

import (
	"reflect"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// fmtRange asks for textDocument/rangeFormatting.
func (c *testClient) fmtRange(u uri.URI, r protocol.Range, opts protocol.FormattingOptions) []protocol.TextEdit {
	c.t.Helper()
	var edits []protocol.TextEdit
	if err := c.call(protocol.MethodTextDocumentRangeFormatting, &protocol.DocumentRangeFormattingParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: u}, Range: r, Options: opts}, &edits); err != nil {
		c.t.Fatalf("rangeFormatting: %v", err)
	}
	return edits
}

func TestRangeFormatting(t *testing.T) {
	c := start(t, clientOptions{})
	u := uri.URI("untitled:range")
	in := "global_defs {\n  router_id   lb1\n  script_user   root\n}\nvrrp_instance VI_1\n{\nstate MASTER\n}\n"
	c.open(u, in)
	for _, tc := range []struct {
		name string
		r    protocol.Range
		want []string
	}{
		// A selection of whole lines ends at the start of the next one,
		// which is left out.
		{"whole-line", rng(2, 0, 3, 0), []string{`2:0-3:0 "    script_user root\n"`}},
		{"inside-lines", rng(1, 5, 2, 3), []string{`1:0-3:0 "    router_id lb1\n    script_user root\n"`}},
		{"empty-range", rng(1, 4, 1, 4), []string{`1:0-2:0 "    router_id lb1\n"`}},
		// The brace joins its keyword only when both lines are selected.
		{"brace-alone", rng(5, 0, 6, 12), []string{`6:0-7:0 "    state MASTER\n"`}},
		{"brace-and-keyword", rng(4, 0, 5, 1), []string{`4:0-6:0 "vrrp_instance VI_1 {\n"`}},
		{"formatted-lines", rng(0, 0, 0, 13), nil},
		{"past-the-end", rng(7, 0, 40, 0), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := editList(c.fmtRange(u, tc.r, spaces4)); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("edits %q, want %q", got, tc.want)
			}
		})
	}
}
