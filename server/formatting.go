package server

import (
	"context"

	"go.lsp.dev/protocol"

	"github.com/keepalived-ls/keepalived-ls/analysis/format"
	"github.com/keepalived-ls/keepalived-ls/parser"
)

func init() {
	register(protocol.MethodTextDocumentFormatting, request(true, (*Server).formatting))
	registerCapability(func(c *protocol.ServerCapabilities, _ clientCaps) {
		c.DocumentFormattingProvider = protocol.Boolean(true)
	})
}

// formatting lays out the whole document (analysis/format), answering with
// edits of the changed lines only. Parts with syntax errors stay as they
// are.
func (s *Server) formatting(ctx context.Context, p *protocol.DocumentFormattingParams) (any, error) {
	d := s.snapshot(p.TextDocument.URI)
	if d == nil {
		return nil, nil
	}
	res := format.Document(d.doc.Text(), formatOptions(p.Options))
	return s.textEdits(d, res.Edits()), nil
}

// formatOptions takes the indentation the client asks for. The formatter
// always trims trailing blanks and keeps one final newline.
func formatOptions(o protocol.FormattingOptions) format.Options {
	return format.Options{TabSize: int(min(o.TabSize, 16)), UseTabs: !o.InsertSpaces}
}

// textEdits converts edits of the document itself; never null.
func (s *Server) textEdits(d *document, edits []parser.Edit) []protocol.TextEdit {
	out := make([]protocol.TextEdit, 0, len(edits))
	for _, e := range edits {
		out = append(out, protocol.TextEdit{Range: s.fromSpan(d.doc.Line, e.Span), NewText: e.NewText})
	}
	return out
}
