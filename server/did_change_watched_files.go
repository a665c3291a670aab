package server

import (
	"context"

	"go.lsp.dev/protocol"
)

func init() {
	register(protocol.MethodWorkspaceDidChangeWatchedFiles, notify((*Server).didChangeWatchedFiles))
}

// didChangeWatchedFiles reparses what read a file that changed on disk.
func (s *Server) didChangeWatchedFiles(ctx context.Context, p *protocol.DidChangeWatchedFilesParams) error {
	s.edit.Lock()
	defer s.edit.Unlock()
	for _, ch := range p.Changes {
		key, _ := docKey(ch.URI)
		s.mu.Lock()
		_, open := s.docs[key]
		s.mu.Unlock()
		if !open { // an open buffer wins over the disk
			s.fileChanged(key)
		}
	}
	return nil
}

// fileChanged reparses the parts of other open documents that read the
// file at key (an include), and schedules their diagnostics. Callers hold
// s.edit.
func (s *Server) fileChanged(key string) {
	s.mu.Lock()
	var roots []*document
	for k, d := range s.docs {
		if k != key && includes(d, key) {
			roots = append(roots, d)
		}
	}
	s.mu.Unlock()
	for _, r := range roots {
		nd := *r
		nd.doc = r.doc.Reparse(map[string]bool{key: true})
		s.mu.Lock()
		if s.docs[r.key] == r {
			s.docs[r.key] = &nd
		}
		s.mu.Unlock()
		s.schedule(r.key)
	}
}
