package server

import (
	"context"

	"go.lsp.dev/protocol"

	"github.com/keepalived-ls/keepalived-ls/analysis"
)

func init() {
	register(protocol.MethodTextDocumentSelectionRange, request(true, (*Server).selectionRange))
	registerCapability(func(c *protocol.ServerCapabilities, _ clientCaps) {
		c.SelectionRangeProvider = protocol.Boolean(true)
	})
}

// selectionRange answers, for each position, the chain word → line →
// enclosing blocks → top-level statement → document.
func (s *Server) selectionRange(ctx context.Context, p *protocol.SelectionRangeParams) (any, error) {
	d := s.snapshot(p.TextDocument.URI)
	if d == nil {
		return nil, nil
	}
	out := make([]protocol.SelectionRange, 0, len(p.Positions))
	for _, lp := range p.Positions {
		pos := s.toPos(d.doc.Line, d.doc.LineCount(), lp)
		spans := analysis.SelectionRanges(d.doc, int(pos.Line), int(pos.Col))
		var sr *protocol.SelectionRange
		for i := len(spans) - 1; i >= 0; i-- {
			sr = &protocol.SelectionRange{Range: s.fromSpan(d.doc.Line, spans[i]), Parent: sr}
		}
		if sr == nil {
			sr = &protocol.SelectionRange{Range: protocol.Range{Start: lp, End: lp}}
		}
		out = append(out, *sr)
	}
	return out, nil
}
