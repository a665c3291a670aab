package server

import (
	"bytes"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/keepalived-ls/keepalived-ls/internal/benchgen"
)

// BenchmarkSemanticTokensDelta is what an editor asks after each keystroke
// in a large file: a one-character edit, then the tokens as a delta from
// the previous result (the 283k-line file is huge: its first 200,000
// tokens).
func BenchmarkSemanticTokensDelta(b *testing.B) {
	for _, sz := range []struct {
		name      string
		instances int
		vs        int
	}{{"lines=30k", 20, 530}, {"lines=283k", benchgen.StdInstances, benchgen.StdVirtualServers}} {
		b.Run(sz.name, func(b *testing.B) {
			var gen bytes.Buffer
			if err := benchgen.Write(&gen, sz.instances, sz.vs, benchgen.StdRealServers); err != nil {
				b.Fatal(err)
			}
			c := newClient(b)
			c.initialize(clientOptions{})
			u := uri.URI("untitled:bench")
			c.open(u, gen.String())
			id := *c.semanticTokensFull(u).ResultID
			line := uint32(c.srv.snapshot(u).doc.LineCount() / 2)
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				if i%2 == 0 {
					c.change(u, partial(line, 0, line, 0, "#"))
				} else {
					c.change(u, partial(line, 0, line, 1, ""))
				}
				delta, full := c.semanticTokensDelta(u, id)
				if delta != nil {
					id = *delta.ResultID
				} else {
					id = *full.ResultID
				}
			}
		})
	}
}

// BenchmarkDocumentSymbolLarge is the outline of the 283k-line file, as an
// editor asks for it after edits (capped at HugeMaxSymbols entries).
func BenchmarkDocumentSymbolLarge(b *testing.B) {
	var gen bytes.Buffer
	if err := benchgen.Write(&gen, benchgen.StdInstances, benchgen.StdVirtualServers, benchgen.StdRealServers); err != nil {
		b.Fatal(err)
	}
	c := start(b, clientOptions{Capabilities: fullCaps()})
	u := uri.URI("untitled:bench")
	c.open(u, gen.String())
	params := &protocol.DocumentSymbolParams{TextDocument: protocol.TextDocumentIdentifier{URI: u}}
	b.ResetTimer()
	for b.Loop() {
		var syms []protocol.DocumentSymbol
		c.mustCall(protocol.MethodTextDocumentDocumentSymbol, params, &syms)
	}
}
