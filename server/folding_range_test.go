package server

import (
	"fmt"
	"slices"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// structureConf is the configuration of the folding and selection tests.
const structureConf = `# keepalived-ls folding test
# two comment lines fold together
global_defs {
    router_id lb1
}
include /nonexistent/a.conf
include /nonexistent/b.conf

vrrp_instance VI_1 {
    state MASTER
    # a lone comment
    virtual_ipaddress {
        10.0.0.1/24
    }
    track_script { chk }
}
`

// foldingRanges asks for the folding ranges of a document.
func (c *testClient) foldingRanges(u uri.URI) []protocol.FoldingRange {
	c.t.Helper()
	var out []protocol.FoldingRange
	if err := c.call(protocol.MethodTextDocumentFoldingRange, &protocol.FoldingRangeParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: u}}, &out); err != nil {
		c.t.Fatalf("foldingRange: %v", err)
	}
	return out
}

// foldString formats a folding range as "1:2-3:4 kind" (characters
// omitted when absent).
func foldString(f protocol.FoldingRange) string {
	s := fmt.Sprint(f.StartLine)
	if f.StartCharacter != nil {
		s += fmt.Sprintf(":%d", *f.StartCharacter)
	}
	s += fmt.Sprintf("-%d", f.EndLine)
	if f.EndCharacter != nil {
		s += fmt.Sprintf(":%d", *f.EndCharacter)
	}
	return s + " " + string(f.Kind)
}

func foldStrings(fs []protocol.FoldingRange) []string {
	out := make([]string, 0, len(fs))
	for _, f := range fs {
		out = append(out, foldString(f))
	}
	return out
}

// withFolding returns the default test capabilities with folding range
// capabilities.
func withFolding(lineOnly bool, limit uint32) *protocol.ClientCapabilities {
	caps := clientOptions{}.capabilities()
	fr := &protocol.FoldingRangeClientCapabilities{LineFoldingOnly: &lineOnly}
	if limit > 0 {
		fr.RangeLimit = &limit
	}
	caps.TextDocument.FoldingRange = fr
	return &caps
}

func TestFoldingRanges(t *testing.T) {
	for _, tc := range []struct {
		name string
		caps *protocol.ClientCapabilities
		want []string
	}{
		{"characters", nil, []string{
			"0:0-1:33 comment",
			"2:13-4:0 region",
			"5:27-6:27 imports",
			"8:20-15:0 region",
			"11:23-13:4 region",
		}},
		{"line folding only", withFolding(true, 0), []string{
			"0-1 comment",
			"2-3 region", // the closing brace stays visible
			"5-6 imports",
			"8-14 region",
			"11-12 region",
		}},
		{"range limit", withFolding(true, 2), []string{
			"0-1 comment",
			"2-3 region",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := start(t, clientOptions{Capabilities: tc.caps})
			u := uri.URI("untitled:folding")
			c.open(u, structureConf)
			if got := foldStrings(c.foldingRanges(u)); !slices.Equal(got, tc.want) {
				t.Errorf("folding ranges\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

// TestFoldingRangesUTF16: characters count UTF-16 code units unless the
// client takes UTF-8.
func TestFoldingRangesUTF16(t *testing.T) {
	text := "vrrp_script \"chk 😀\" {\n    interval 2\n}\n"
	for _, tc := range []struct {
		utf8 bool
		want string
	}{{false, "0:22-2:0 region"}, {true, "0:24-2:0 region"}} {
		c := start(t, clientOptions{UTF8: tc.utf8})
		u := uri.URI("untitled:folding-utf16")
		c.open(u, text)
		if got := foldStrings(c.foldingRanges(u)); !slices.Equal(got, []string{tc.want}) {
			t.Errorf("utf8=%v: folding ranges %q, want %q", tc.utf8, got, tc.want)
		}
	}
}

// TestFoldingUnknownDocument: a document that is not open has no ranges.
func TestFoldingUnknownDocument(t *testing.T) {
	c := start(t, clientOptions{})
	if got := c.foldingRanges(uri.URI("untitled:nothing")); len(got) != 0 {
		t.Errorf("folding ranges of an unknown document: %q", foldStrings(got))
	}
}
