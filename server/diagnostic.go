package server

import (
	"context"

	"go.lsp.dev/protocol"
)

func init() {
	register(protocol.MethodTextDocumentDiagnostic, request(true, (*Server).pullDiagnostics))
	// Advertised only to clients that pull: the others get pushes.
	registerCapability(func(c *protocol.ServerCapabilities, cc clientCaps) {
		if cc.pullDiagnostics {
			id := "keepalived-ls"
			c.DiagnosticProvider = &protocol.DiagnosticOptions{Identifier: &id, InterFileDependencies: true}
		}
	})
}

// pullDiagnostics answers textDocument/diagnostic with a full report.
func (s *Server) pullDiagnostics(ctx context.Context, p *protocol.DocumentDiagnosticParams) (any, error) {
	key, _ := docKey(p.TextDocument.URI)
	_, items := s.diagnosticsOf(key)
	if items == nil {
		items = []protocol.Diagnostic{}
	}
	return &protocol.RelatedFullDocumentDiagnosticReport{
		FullDocumentDiagnosticReport: protocol.FullDocumentDiagnosticReport{Kind: "full", Items: items},
	}, nil
}
