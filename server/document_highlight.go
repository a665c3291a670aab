package server

import (
	"context"

	"go.lsp.dev/protocol"
)

func init() {
	register(protocol.MethodTextDocumentDocumentHighlight, request(true, (*Server).documentHighlight))
	registerCapability(func(c *protocol.ServerCapabilities, _ clientCaps) {
		c.DocumentHighlightProvider = protocol.Boolean(true)
	})
}

// documentHighlight marks the occurrences of the named object at the
// position in the same file: definitions as writes, uses as reads.
func (s *Server) documentHighlight(ctx context.Context, p *protocol.DocumentHighlightParams) (any, error) {
	nc := s.navigate(p.TextDocument.URI)
	if nc == nil {
		return nil, nil
	}
	pos := s.navPos(nc, p.Position)
	occs := nc.ix.HighlightsAt(nc.path, int(pos.Line), int(pos.Col))
	if len(occs) == 0 {
		return nil, nil
	}
	out := make([]protocol.DocumentHighlight, 0, len(occs))
	for _, o := range occs {
		kind := protocol.DocumentHighlightKindRead
		if o.Def {
			kind = protocol.DocumentHighlightKindWrite
		}
		// Highlights are in the requesting document: its own lines.
		out = append(out, protocol.DocumentHighlight{Range: s.fromSpan(nc.self.doc.Line, o.Span), Kind: kind})
	}
	return out, nil
}
