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
	// An open file included by another open document is read in that
	// document's context (the block it is included in), as diagnostics are.
	nc := s.navigate(p.TextDocument.URI)
	if nc == nil {
		return nil, nil
	}
	d := nc.self
	pos := s.navPos(nc, p.Position)
	text, span, unit, ok := analysis.HoverIn(nc.root.doc, nc.path, int(pos.Line), int(pos.Col), s.caps.markdownHover)
	if !ok && nc.path != "" {
		// Not read by the including document (e.g. behind a false @ID):
		// the file on its own.
		nc.path = ""
		text, span, unit, ok = analysis.Hover(d.doc, int(pos.Line), int(pos.Col), s.caps.markdownHover)
	}
	if !ok {
		return nil, nil
	}
	kind := protocol.MarkupKindPlainText
	if s.caps.markdownHover {
		kind = protocol.MarkupKindMarkdown
	}
	if nc.path == "" {
		span = span.Shift(d.doc.UnitLine(unit))
	}
	rng := s.fromSpan(d.doc.Line, span)
	return &protocol.Hover{Contents: &protocol.MarkupContent{Kind: kind, Value: text}, Range: &rng}, nil
}

// snapshot returns the current version of an open document, or nil.
func (s *Server) snapshot(u uri.URI) *document {
	key, _ := docKey(u)
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.docs[key]
}
