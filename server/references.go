package server

import (
	"context"

	"go.lsp.dev/protocol"
)

func init() {
	register(protocol.MethodTextDocumentReferences, request(true, (*Server).references))
	registerCapability(func(c *protocol.ServerCapabilities, _ clientCaps) { c.ReferencesProvider = protocol.Boolean(true) })
}

// references lists every use of the named object at the position, in the
// document and the files it includes (and its definitions when asked).
func (s *Server) references(ctx context.Context, p *protocol.ReferenceParams) (any, error) {
	nc := s.navigate(p.TextDocument.URI)
	if nc == nil {
		return nil, nil
	}
	pos := s.navPos(nc, p.Position)
	occs := nc.ix.ReferencesAt(nc.path, int(pos.Line), int(pos.Col), p.Context.IncludeDeclaration)
	if occs == nil {
		return nil, nil
	}
	out := protocol.LocationSlice{}
	for _, o := range occs {
		out = append(out, s.location(nc.root, o.Src, o.Span))
	}
	return out, nil
}
