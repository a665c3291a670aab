package server

import (
	"context"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/keepalived-ls/keepalived-ls/analysis"
)

func init() {
	register(protocol.MethodTextDocumentHover, request(true, (*Server).hover))
	registerCapability(func(c *protocol.ServerCapabilities, _ clientCaps) { c.HoverProvider = protocol.Boolean(true) })
}

// hover documents the keyword, argument or $NAME under the cursor.
func (s *Server) hover(ctx context.Context, p *protocol.HoverParams) (any, error) {
	d := s.snapshot(p.TextDocument.URI)
	if d == nil {
		return nil, nil
	}
	pos := s.toPos(d.doc.Line, d.doc.LineCount(), p.Position)
	text, span, unit, ok := analysis.Hover(d.doc, int(pos.Line), int(pos.Col), s.caps.markdownHover)
	if !ok {
		return nil, nil
	}
	kind := protocol.MarkupKindPlainText
	if s.caps.markdownHover {
		kind = protocol.MarkupKindMarkdown
	}
	rng := s.fromSpan(d.doc.Line, span.Shift(d.doc.UnitLine(unit)))
	return &protocol.Hover{Contents: &protocol.MarkupContent{Kind: kind, Value: text}, Range: &rng}, nil
}

// snapshot returns the current version of an open document, or nil.
func (s *Server) snapshot(u uri.URI) *document {
	key, _ := docKey(u)
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.docs[key]
}
