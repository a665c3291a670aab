package server

import (
	"context"

	"go.lsp.dev/protocol"
)

func init() { register(protocol.MethodTextDocumentDidClose, notify((*Server).didClose)) }

// didClose forgets a document and clears its diagnostics, and those it
// published for files it includes.
func (s *Server) didClose(ctx context.Context, p *protocol.DidCloseTextDocumentParams) error {
	s.edit.Lock()
	defer s.edit.Unlock()
	key, _ := docKey(p.TextDocument.URI)
	s.mu.Lock()
	d := s.docs[key]
	delete(s.docs, key)
	delete(s.checkers, key)
	if t := s.timers[key]; t != nil {
		t.Stop()
		delete(s.timers, key)
	}
	inc := s.included[key]
	delete(s.included, key)
	pull := s.caps.pullDiagnostics
	s.mu.Unlock()
	if d == nil {
		return nil
	}
	s.pub.Lock() // after a publish for d that is under way
	defer s.pub.Unlock()
	if !pull {
		s.publish(ctx, d.uri, nil, nil)
	}
	for k := range inc {
		s.mu.Lock()
		_, open := s.docs[k]
		s.mu.Unlock()
		if open {
			s.schedule(k) // it reports its own diagnostics again
		} else {
			s.publish(ctx, fileURI(k), nil, nil)
		}
	}
	s.fileChanged(key)
	return nil
}
