package server

import (
	"reflect"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// fmtOnType sends textDocument/onTypeFormatting.
func (c *testClient) fmtOnType(u uri.URI, line, char uint32, ch string, opts protocol.FormattingOptions) []protocol.TextEdit {
	c.t.Helper()
	var edits []protocol.TextEdit
	if err := c.call(protocol.MethodTextDocumentOnTypeFormatting, &protocol.DocumentOnTypeFormattingParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: u}, Position: protocol.Position{Line: line, Character: char},
		Ch: ch, Options: opts}, &edits); err != nil {
		c.t.Fatalf("onTypeFormatting: %v", err)
	}
	return edits
}

// TestOnTypeFormatting types a block the way a user does: the editor sends
// each change, then asks for formatting after a newline or a '}'.
func TestOnTypeFormatting(t *testing.T) {
	c := start(t, clientOptions{})
	u := uri.URI("untitled:typing")
	c.open(u, "vrrp_instance VI_1 {")
	step := func(change *protocol.TextDocumentContentChangePartial, ch string, line, char uint32, want []string) {
		t.Helper()
		c.change(u, change)
		edits := c.fmtOnType(u, line, char, ch, spaces4)
		if got := editList(edits); !reflect.DeepEqual(got, want) {
			t.Fatalf("after typing %q: edits %q, want %q", ch, got, want)
		}
		c.change(u, &protocol.TextDocumentContentChangePartial{Range: edits[0].Range, Text: edits[0].NewText})
	}
	// Enter after the '{': the new line is indented one level.
	step(partial(0, 20, 0, 20, "\n"), "\n", 1, 0, []string{`1:0-1:0 "    "`})
	c.change(u, partial(1, 4, 1, 4, "authentication {"))
	// Enter inside the nested block: two levels, although the document's
	// braces do not balance yet.
	step(partial(1, 20, 1, 20, "\n"), "\n", 2, 0, []string{`2:0-2:0 "        "`})
	c.change(u, partial(2, 8, 2, 8, "auth_type PASS"))
	step(partial(2, 22, 2, 22, "\n"), "\n", 3, 0, []string{`3:0-3:0 "        "`})
	// '}' typed at the deeper indentation moves back to the block's level.
	step(partial(3, 8, 3, 8, "}"), "}", 3, 9, []string{`3:0-3:8 "    "`})
	step(partial(3, 5, 3, 5, "\n"), "\n", 4, 0, []string{`4:0-4:0 "    "`})
	step(partial(4, 4, 4, 4, "}"), "}", 4, 5, []string{`4:0-4:4 ""`})
	want := "vrrp_instance VI_1 {\n    authentication {\n        auth_type PASS\n    }\n}"
	if got := c.text(u); got != want {
		t.Errorf("typed:\n%s\nwant:\n%s", got, want)
	}
}

func TestOnTypeFormattingCases(t *testing.T) {
	c := start(t, clientOptions{})
	u := uri.URI("untitled:ontype")
	c.open(u, "global_defs {\nrouter_id lb1\n    }\n$X=a \\\n\n")
	for _, tc := range []struct {
		name       string
		line, char uint32
		ch         string
		opts       protocol.FormattingOptions
		want       []string
	}{
		{"tabs", 1, 0, "\n", protocol.FormattingOptions{TabSize: 4}, []string{`1:0-1:0 "\t"`}},
		{"close", 2, 5, "}", spaces4, []string{`2:0-2:4 ""`}},
		// Another character: nothing to do.
		{"other-character", 1, 0, ";", spaces4, nil},
		// Blanks inside a multi-line definition are not touched.
		{"definition", 4, 0, "\n", spaces4, nil},
		{"already-indented", 0, 13, "\n", spaces4, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := editList(c.fmtOnType(u, tc.line, tc.char, tc.ch, tc.opts)); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("edits %q, want %q", got, tc.want)
			}
		})
	}
}
