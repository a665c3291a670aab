package server

import (
	"slices"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// selectionRanges asks for the selection ranges of positions.
func (c *testClient) selectionRanges(u uri.URI, positions ...protocol.Position) []protocol.SelectionRange {
	c.t.Helper()
	var out []protocol.SelectionRange
	if err := c.call(protocol.MethodTextDocumentSelectionRange, &protocol.SelectionRangeParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: u}, Positions: positions}, &out); err != nil {
		c.t.Fatalf("selectionRange: %v", err)
	}
	return out
}

// chain lists a selection range and its parents, innermost first.
func chain(sr protocol.SelectionRange) []string {
	var out []string
	for r := &sr; r != nil; r = r.Parent {
		out = append(out, rangeString(r.Range))
	}
	return out
}

func TestSelectionRanges(t *testing.T) {
	c := start(t, clientOptions{})
	u := uri.URI("untitled:selection")
	c.open(u, structureConf)
	const doc = "0:0-16:0"
	cases := []struct {
		name string
		pos  protocol.Position
		want []string
	}{
		// word (the line holds only it) -> value block -> vrrp_instance ->
		// unit (from the blank line before it) -> document
		{"value", protocol.Position{Line: 12, Character: 10}, []string{"12:8-12:19", "11:4-13:5", "8:0-15:1", "7:0-15:1", doc}},
		// word -> line -> block -> unit -> document
		{"argument", protocol.Position{Line: 9, Character: 12}, []string{"9:10-9:16", "9:4-9:16", "8:0-15:1", "7:0-15:1", doc}},
		// the unit starts with the comments before global_defs
		{"keyword", protocol.Position{Line: 3, Character: 5}, []string{"3:4-3:13", "3:4-3:17", "2:0-4:1", "0:0-4:1", doc}},
		{"block name", protocol.Position{Line: 8, Character: 15}, []string{"8:14-8:18", "8:0-8:20", "8:0-15:1", "7:0-15:1", doc}},
		{"comment", protocol.Position{Line: 10, Character: 8}, []string{"10:4-10:20", "8:0-15:1", "7:0-15:1", doc}},
		{"one-line block", protocol.Position{Line: 14, Character: 20}, []string{"14:19-14:22", "14:4-14:24", "8:0-15:1", "7:0-15:1", doc}},
		{"include pattern", protocol.Position{Line: 6, Character: 12}, []string{"6:8-6:27", "6:0-6:27", doc}},
		{"inside a block, between lines", protocol.Position{Line: 13, Character: 0}, []string{"11:4-13:5", "8:0-15:1", "7:0-15:1", doc}},
	}
	var positions []protocol.Position
	for _, tc := range cases {
		positions = append(positions, tc.pos)
	}
	got := c.selectionRanges(u, positions...)
	if len(got) != len(cases) {
		t.Fatalf("%d selection ranges for %d positions", len(got), len(cases))
	}
	for i, tc := range cases {
		if g := chain(got[i]); !slices.Equal(g, tc.want) {
			t.Errorf("%s: selection ranges\n got %q\nwant %q", tc.name, g, tc.want)
		}
	}
}

// TestSelectionRangesUTF16: ranges count UTF-16 code units.
func TestSelectionRangesUTF16(t *testing.T) {
	text := "global_defs {\n    router_id \"😀 lb\" # 注释\n}\n"
	c := start(t, clientOptions{})
	u := uri.URI("untitled:selection-utf16")
	c.open(u, text)
	got := c.selectionRanges(u, protocol.Position{Line: 1, Character: 22})
	want := []string{"1:22-1:26", "1:4-1:26", "0:0-2:1", "0:0-3:0"} // "# 注释" starts after the emoji (2 units)
	if g := chain(got[0]); !slices.Equal(g, want) {
		t.Errorf("selection ranges\n got %q\nwant %q", g, want)
	}
}
