package server

import (
	"context"

	"go.lsp.dev/protocol"

	"github.com/keepalived-ls/keepalived-ls/analysis/format"
)

func init() {
	register(protocol.MethodTextDocumentRangeFormatting, request(true, (*Server).rangeFormatting))
	registerCapability(func(c *protocol.ServerCapabilities, _ clientCaps) {
		c.DocumentRangeFormattingProvider = protocol.Boolean(true)
	})
}

// rangeFormatting lays out the lines the range touches; lines outside it
// are not edited. A range ending at the start of a line leaves that line
// out.
func (s *Server) rangeFormatting(ctx context.Context, p *protocol.DocumentRangeFormattingParams) (any, error) {
	d := s.snapshot(p.TextDocument.URI)
	if d == nil {
		return nil, nil
	}
	start := s.toPos(d.doc.Line, d.doc.LineCount(), p.Range.Start)
	end := s.toPos(d.doc.Line, d.doc.LineCount(), p.Range.End)
	last := end.Line
	if end.Col == 0 && p.Range.End.Character == 0 && last > start.Line {
		last--
	}
	res := format.Range(d.doc.Text(), int(start.Line), int(last), formatOptions(p.Options))
	return s.textEdits(d, res.Edits()), nil
}
