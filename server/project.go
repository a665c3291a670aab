package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"path/filepath"
	"sort"
	"sync"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/keepalived-ls/keepalived-ls/analysis"
	"github.com/keepalived-ls/keepalived-ls/internal/keepalivedcheck"
	"github.com/keepalived-ls/keepalived-ls/internal/project"
	"github.com/keepalived-ls/keepalived-ls/parser"
)

// projectState holds the project files (.keepalived-ls.toml) found for
// documents, and keepalived's own results (runKeepalived). It has its own
// lock: lookups happen while s.mu is held.
type projectState struct {
	mu       sync.Mutex
	byDir    map[string]projectEntry
	reported map[string]bool // project file errors already shown
	ka       map[kaKey][]keepalivedcheck.Message
	kaBin    string
}

type projectEntry struct {
	settings project.Settings
	path     string
	err      error
}

type kaKey struct {
	path, configID string
	sum            [32]byte
}

// lookup returns the project file that applies to documents in dir.
func (p *projectState) lookup(dir string) projectEntry {
	p.mu.Lock()
	defer p.mu.Unlock()
	if e, ok := p.byDir[dir]; ok {
		return e
	}
	var e projectEntry
	e.settings, e.path, e.err = project.Load(dir)
	if p.byDir == nil {
		p.byDir = map[string]projectEntry{}
	}
	p.byDir[dir] = e
	return e
}

// clear forgets the project files found (one changed on disk).
func (p *projectState) clear() {
	p.mu.Lock()
	p.byDir = nil
	p.mu.Unlock()
}

// docSettings returns the settings of a document: those of the project
// file nearest to it, with the client's settings winning, and the project's
// include roots. A document without a path uses the workspace root's
// project file. Callers may hold s.mu (this only reads s.settings and
// s.rootDir, which they guard).
func (s *Server) docSettings(path string) (Settings, []string) {
	st := s.settings
	dir := s.rootDir
	if path != "" {
		dir = filepath.Dir(path)
	}
	if dir == "" {
		return st, nil
	}
	e := s.proj.lookup(dir)
	if e.err != nil {
		s.projectError(e.err)
		return st, nil
	}
	if e.path == "" {
		return st, nil
	}
	ps := e.settings
	if st.TargetVersion == "" {
		st.TargetVersion = ps.TargetVersion
	}
	if st.ConfigID == "" {
		st.ConfigID = ps.ConfigID
	}
	if len(ps.Rules) > 0 {
		rules := make(map[string]string, len(ps.Rules)+len(st.Rules))
		for id, v := range ps.Rules {
			rules[id] = v
		}
		for id, v := range st.Rules {
			rules[id] = v
		}
		st.Rules = rules
	}
	return st, ps.IncludeRoots
}

// projectError logs a bad project file and tells the user, once per error.
func (s *Server) projectError(err error) {
	msg := err.Error()
	s.proj.mu.Lock()
	if s.proj.reported == nil {
		s.proj.reported = map[string]bool{}
	}
	seen := s.proj.reported[msg]
	s.proj.reported[msg] = true
	s.proj.mu.Unlock()
	if seen {
		return
	}
	s.log.Warn("project file ignored", zap.Error(err))
	go s.notifyClient(context.Background(), protocol.MethodWindowShowMessage, &protocol.ShowMessageParams{
		Type: protocol.MessageTypeWarning, Message: "keepalived-ls: project file ignored: " + msg})
}

// projectFileChanged rereads the project files: every document is parsed
// and checked again under its settings. Callers hold s.edit.
func (s *Server) projectFileChanged() {
	s.proj.clear()
	s.proj.mu.Lock()
	s.proj.reported = nil
	s.proj.mu.Unlock()
	s.mu.Lock()
	s.checkers = map[string]*analysis.Checker{}
	docs := make([]*document, 0, len(s.docs))
	for _, d := range s.docs {
		docs = append(docs, d)
	}
	s.mu.Unlock()
	sort.Slice(docs, func(i, j int) bool { return docs[i].key < docs[j].key })
	s.reparse(docs)
}

// reparse parses docs again under their current settings and schedules
// their checks; a document changed meanwhile keeps its newer version.
// Callers hold s.edit, not s.mu.
func (s *Server) reparse(docs []*document) {
	for _, d := range docs {
		s.mu.Lock()
		opts := s.parseOptions(d.path)
		s.mu.Unlock()
		nd := *d
		nd.doc = parser.Parse(docName(d), d.doc.Text(), opts)
		s.mu.Lock()
		if s.docs[d.key] == d {
			s.docs[d.key] = &nd
		}
		s.mu.Unlock()
		s.schedule(d.key)
	}
}

// isProjectFile reports whether a path is a project file.
func isProjectFile(path string) bool { return filepath.Base(path) == project.FileName }

// keepalivedDiagnostics runs keepalived -t on a document when the setting
// asks for it and the document is saved (keepalived reads the disk): its
// messages, for Checker.CheckWith. nil when keepalived does not run.
// Results are cached by file content.
func (s *Server) keepalivedDiagnostics(d *document) []parser.Diagnostic {
	s.mu.Lock()
	st, _ := s.docSettings(d.path)
	s.mu.Unlock()
	if !st.RunKeepalived || d.path == "" {
		return nil
	}
	text := d.doc.Text()
	disk, err := parser.ReadLocal(d.path)
	if err != nil || !bytes.Equal(disk, text) {
		return nil // unsaved changes: keepalived would check another text
	}
	key := kaKey{path: d.path, configID: st.ConfigID, sum: sha256.Sum256(text)}
	s.proj.mu.Lock()
	msgs, ok := s.proj.ka[key]
	if s.proj.kaBin == "" {
		s.proj.kaBin = keepalivedcheck.Find()
	}
	bin := s.proj.kaBin
	s.proj.mu.Unlock()
	if bin == "" {
		s.log.Info("runKeepalived: keepalived is not installed")
		return nil
	}
	if !ok {
		msgs, err = keepalivedcheck.Run(context.Background(), bin, d.path, st.ConfigID, 0)
		if err != nil {
			s.log.Warn("keepalived -t failed", zap.String("path", d.path), zap.Error(err))
			return nil
		}
		s.proj.mu.Lock()
		if s.proj.ka == nil || len(s.proj.ka) > 64 {
			s.proj.ka = map[kaKey][]keepalivedcheck.Message{}
		}
		s.proj.ka[key] = msgs
		s.proj.mu.Unlock()
	}
	return keepalivedcheck.Diagnostics(msgs, d.path, d.doc.Line, keepalivedcheck.Sources(d.doc))
}

// diagnosticSource names who found a diagnostic.
func diagnosticSource(rule string) string {
	if rule == keepalivedcheck.Rule {
		return "keepalived"
	}
	return "keepalived-ls"
}
