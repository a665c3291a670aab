package server

import (
	"bytes"
	"testing"
	"time"

	"go.lsp.dev/uri"

	"github.com/keepalived-ls/keepalived-ls/analysis"
	"github.com/keepalived-ls/keepalived-ls/internal/benchgen"
)

// TestHugeDocumentLimits: on the standard benchmark file (about 280,000
// lines, above the size limit), semantic tokens and folding ranges return
// their first items only, and the server warns once per document version.
func TestHugeDocumentLimits(t *testing.T) {
	if testing.Short() {
		t.Skip("large document")
	}
	var b bytes.Buffer
	if err := benchgen.Write(&b, benchgen.StdInstances, benchgen.StdVirtualServers, benchgen.StdRealServers); err != nil {
		t.Fatal(err)
	}
	c := start(t, clientOptions{})
	u := uri.URI("untitled:huge")
	c.open(u, b.String())

	full := c.semanticTokensFull(u) // waits for the document to be parsed
	if len(full.Data) != 5*analysis.HugeMaxTokens {
		t.Errorf("%d tokens, want the first %d", len(full.Data)/5, analysis.HugeMaxTokens)
	}
	start := time.Now()
	c.semanticTokensFull(u)
	t.Logf("semantic tokens of %d lines: %v", c.srv.snapshot(u).doc.LineCount(), time.Since(start))
	if got := len(c.foldingRanges(u)); got != analysis.HugeMaxFolds {
		t.Errorf("%d folding ranges, want the first %d", got, analysis.HugeMaxFolds)
	}
	c.foldingRanges(u)
	warnings := func() map[string]int {
		n := map[string]int{}
		for _, e := range c.logs.FilterMessage("huge document: result cut").All() {
			n[e.ContextMap()["feature"].(string)]++
		}
		return n
	}
	if got := warnings(); got["semanticTokens"] != 1 || got["foldingRange"] != 1 {
		t.Errorf("warnings after two requests each: %v, want one per feature", got)
	}
	c.change(u, partial(0, 0, 0, 0, "# edited\n"))
	c.semanticTokensFull(u)
	c.foldingRanges(u)
	if got := warnings(); got["semanticTokens"] != 2 || got["foldingRange"] != 2 {
		t.Errorf("warnings after a new version: %v, want two per feature", got)
	}
}
