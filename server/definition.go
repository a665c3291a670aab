package server

import (
	"context"

	"go.lsp.dev/protocol"

	"github.com/keepalived-ls/keepalived-ls/analysis"
)

func init() {
	register(protocol.MethodTextDocumentDefinition, request(true, (*Server).definition))
	registerCapability(func(c *protocol.ServerCapabilities, _ clientCaps) { c.DefinitionProvider = protocol.Boolean(true) })
}

// definition goes from a use of a named object (track_script entry, sync
// group member, ${NAME}, ...) to its definition, possibly in an included
// file, and from an include directive to the files it reads.
func (s *Server) definition(ctx context.Context, p *protocol.DefinitionParams) (any, error) {
	nc := s.navigate(p.TextDocument.URI)
	if nc == nil {
		return nil, nil
	}
	pos := s.navPos(nc, p.Position)
	var out protocol.LocationSlice
	for _, o := range nc.ix.DefinitionAt(nc.path, int(pos.Line), int(pos.Col)) {
		out = append(out, s.location(nc.root, o.Src, o.Span))
	}
	if len(out) == 0 {
		for _, f := range analysis.IncludedFilesAt(nc.self.doc, int(pos.Line), int(pos.Col)) {
			out = append(out, protocol.Location{URI: fileURI(f)})
		}
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}
