package server

import (
	"context"

	"go.lsp.dev/protocol"

	"github.com/keepalived-ls/keepalived-ls/analysis"
)

func init() {
	register(protocol.MethodTextDocumentInlayHint, request(true, (*Server).inlayHint))
	registerCapability(func(c *protocol.ServerCapabilities, _ clientCaps) {
		c.InlayHintProvider = protocol.Boolean(true)
	})
}

// inlayHint shows the values of $NAME references and how many lines
// ~SEQ/~LST lines produce.
func (s *Server) inlayHint(ctx context.Context, p *protocol.InlayHintParams) (any, error) {
	d := s.snapshot(p.TextDocument.URI)
	if d == nil {
		return nil, nil
	}
	from, to := s.rangeLines(d, p.Range)
	hints := analysis.InlayHints(d.doc, from, to)
	out := make([]protocol.InlayHint, 0, len(hints))
	pad := true
	for _, h := range hints {
		ih := protocol.InlayHint{Position: s.fromPos(d.doc.Line, h.Pos), Label: protocol.String(h.Label), PaddingLeft: &pad}
		if h.Tooltip != "" {
			ih.Tooltip = protocol.String(h.Tooltip)
		}
		out = append(out, ih)
	}
	return out, nil
}
