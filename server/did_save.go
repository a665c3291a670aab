package server

import (
	"context"

	"go.lsp.dev/protocol"
)

// didSave: open buffers are already what the server reads, but keepalived
// itself (runKeepalived) only checks saved files, so a save checks the
// document again.
func init() {
	register(protocol.MethodTextDocumentDidSave, notify((*Server).didSave))
	registerCapability(func(c *protocol.ServerCapabilities, _ clientCaps) {
		if sync, ok := c.TextDocumentSync.(*protocol.TextDocumentSyncOptions); ok {
			sync.Save = &protocol.SaveOptions{}
		}
	})
}

func (s *Server) didSave(ctx context.Context, p *protocol.DidSaveTextDocumentParams) error {
	key, _ := docKey(p.TextDocument.URI)
	s.mu.Lock()
	d := s.docs[key]
	run := false
	if d != nil {
		st, _ := s.docSettings(d.path)
		run = st.RunKeepalived
	}
	root := s.claimedBy(key)
	s.mu.Unlock()
	if !run {
		return nil
	}
	if root != "" {
		key = root // its diagnostics come from the including document
	}
	s.schedule(key)
	return nil
}
