package server

import (
	"bytes"
	"testing"

	"go.lsp.dev/uri"

	"github.com/keepalived-ls/keepalived-ls/internal/benchgen"
)

// BenchmarkSemanticTokensDelta is what an editor asks after each keystroke
// in a large file (30,000 lines): a one-character edit, then the tokens
// as a delta from the previous result.
func BenchmarkSemanticTokensDelta(b *testing.B) {
	var gen bytes.Buffer
	if err := benchgen.Write(&gen, 20, 530, benchgen.StdRealServers); err != nil {
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
}
