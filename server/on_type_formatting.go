package server

import (
	"context"

	"go.lsp.dev/protocol"

	"github.com/keepalived-ls/keepalived-ls/analysis/format"
)

func init() {
	register(protocol.MethodTextDocumentOnTypeFormatting, request(true, (*Server).onTypeFormatting))
	registerCapability(func(c *protocol.ServerCapabilities, _ clientCaps) {
		c.DocumentOnTypeFormattingProvider = protocol.DocumentOnTypeFormattingOptions{
			FirstTriggerCharacter: "}", MoreTriggerCharacter: []string{"\n"}}
	})
}

// onTypeFormatting re-indents the line after a '}' (the line holding it) or
// a newline (the new line), at the depth keepalived reads there, also while
// the document is incomplete.
func (s *Server) onTypeFormatting(ctx context.Context, p *protocol.DocumentOnTypeFormattingParams) (any, error) {
	d := s.snapshot(p.TextDocument.URI)
	if d == nil {
		return nil, nil
	}
	if p.Ch != "}" && p.Ch != "\n" {
		return []protocol.TextEdit{}, nil
	}
	pos := s.toPos(d.doc.Line, d.doc.LineCount(), p.Position)
	edits := format.OnType(d.doc.Text(), int(pos.Line), formatOptions(p.Options))
	return s.textEdits(d, edits), nil
}
