package server

import (
	"context"

	"go.lsp.dev/protocol"

	"github.com/keepalived-ls/keepalived-ls/parser"
)

func init() {
	register(protocol.MethodWorkspaceDidChangeWatchedFiles, notify((*Server).didChangeWatchedFiles))
}

// didChangeWatchedFiles reparses what read a file that changed on disk.
func (s *Server) didChangeWatchedFiles(ctx context.Context, p *protocol.DidChangeWatchedFilesParams) error {
	s.edit.Lock()
	defer s.edit.Unlock()
	created, projectFile := false, false
	for _, ch := range p.Changes {
		key, _ := docKey(ch.URI)
		if isProjectFile(key) {
			projectFile = true
			continue
		}
		s.mu.Lock()
		_, open := s.docs[key]
		s.mu.Unlock()
		if open { // an open buffer wins over the disk
			continue
		}
		if ch.Type == protocol.FileChangeTypeCreated {
			created = true // no document lists it as read yet
			continue
		}
		s.fileChanged(key)
	}
	if projectFile {
		s.projectFileChanged() // reparses everything
		return nil
	}
	if created {
		s.rereadIncludes()
	}
	return nil
}

// rereadIncludes reparses, in every open document, the units that have an
// include directive: a new file may match a pattern or be a file an
// include did not find. Callers hold s.edit.
func (s *Server) rereadIncludes() {
	s.mu.Lock()
	docs := make([]*document, 0, len(s.docs))
	for _, d := range s.docs {
		docs = append(docs, d)
	}
	s.mu.Unlock()
	for _, d := range docs {
		nd := *d
		for i, u := range d.doc.Units() {
			if hasInclude(u.Nodes) {
				ln := d.doc.UnitLine(i) // empty edits keep every line where it is
				nd.doc = nd.doc.Edit(parser.Pos{Line: ln}, parser.Pos{Line: ln}, nil)
			}
		}
		if nd.doc == d.doc {
			continue
		}
		s.mu.Lock()
		if s.docs[d.key] == d {
			s.docs[d.key] = &nd
		}
		s.mu.Unlock()
		s.schedule(d.key)
	}
}

func hasInclude(nodes []*parser.Node) bool {
	for _, n := range nodes {
		if n.Kind == parser.Include || hasInclude(n.Children) {
			return true
		}
	}
	return false
}

// fileChanged reparses the parts of other open documents that read the
// file at key (an include), and schedules their diagnostics and those of
// the open documents that have it as a cluster peer. Callers hold s.edit.
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
	s.clusterChanged(key)
}
