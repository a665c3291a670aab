package server

import (
	"context"
	"fmt"
	"strings"

	"go.lsp.dev/protocol"

	"github.com/keepalived-ls/keepalived-ls/analysis"
)

func init() {
	register(protocol.MethodTextDocumentDocumentLink, request(true, (*Server).documentLink))
	registerCapability(func(c *protocol.ServerCapabilities, _ clientCaps) {
		c.DocumentLinkProvider = &protocol.DocumentLinkOptions{}
	})
}

// documentLink links each include pattern to the first file it read; when
// it read several, the tooltip lists them all.
func (s *Server) documentLink(ctx context.Context, p *protocol.DocumentLinkParams) (any, error) {
	d := s.snapshot(p.TextDocument.URI)
	if d == nil {
		return nil, nil
	}
	links := analysis.DocumentLinks(d.doc)
	out := make([]protocol.DocumentLink, 0, len(links))
	for _, l := range links {
		target := fileURI(l.Files[0])
		dl := protocol.DocumentLink{Range: s.fromSpan(d.doc.Line, l.Span), Target: &target}
		if len(l.Files) > 1 {
			tip := fmt.Sprintf("reads %d files: %s", len(l.Files), strings.Join(l.Files, ", "))
			dl.Tooltip = &tip
		}
		out = append(out, dl)
	}
	return out, nil
}
