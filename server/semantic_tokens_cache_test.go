package server

import (
	"bytes"
	"math/rand"
	"slices"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/keepalived-ls/keepalived-ls/internal/benchgen"
)

// TestSemanticTokensCachedPerUnit: whole-document tokens are put together
// from tokens cached on the document's units. Through random edits
// (braces, blocks over several lines, non-ASCII text, $NAME definitions),
// what the client holds after each full or delta answer must equal the
// tokens of the whole document classified afresh, in UTF-16 and in UTF-8.
func TestSemanticTokensCachedPerUnit(t *testing.T) {
	for _, utf8 := range []bool{false, true} {
		name := "utf-16"
		if utf8 {
			name = "utf-8"
		}
		t.Run(name, func(t *testing.T) {
			c := newClient(t)
			c.initialize(clientOptions{UTF8: utf8, OnlyUTF8: utf8})
			var gen bytes.Buffer
			if err := benchgen.Write(&gen, 2, 12, 2); err != nil {
				t.Fatal(err)
			}
			doc := newSoakDoc(gen.String() + "# é 😀 名前\n$X=1\nglobal_defs {\n    router_id \"名前 😀\" ${X}\n}\n")
			size := doc.size
			u := uri.URI("untitled:cache")
			c.open(u, doc.text())
			res := c.semanticTokensFull(u)
			data, id := res.Data, *res.ResultID
			rnd := rand.New(rand.NewSource(11))
			deltas := 0
			for i := range 300 {
				r, text := doc.randomEdit(rnd, size)
				send := r
				if utf8 { // the soak document counts UTF-16 code units
					send.Start.Character = uint32(byteOf(doc.lines[r.Start.Line], r.Start.Character))
					send.End.Character = uint32(byteOf(doc.lines[r.End.Line], r.End.Character))
				}
				doc.apply(r, text)
				c.change(u, &protocol.TextDocumentContentChangePartial{Range: send, Text: text})
				delta, full := c.semanticTokensDelta(u, id)
				if delta != nil {
					data, id = applyTokenEdits(t, data, delta.Edits), *delta.ResultID
					deltas++
				} else {
					data, id = full.Data, *full.ResultID
				}
				d := c.srv.snapshot(u)
				if got := string(d.doc.Text()); got != doc.text() {
					t.Fatalf("edit %d: the server's text differs from the client's", i)
				}
				want := c.srv.rangeTokenData(d, 0, d.doc.LineCount()-1, 0)
				if !slices.Equal(data, want) {
					t.Fatalf("edit %d: the client's tokens (%d values) differ from a fresh classification (%d values)", i, len(data), len(want))
				}
			}
			if deltas < 290 {
				t.Errorf("only %d of 300 answers were deltas", deltas)
			}
		})
	}
}
