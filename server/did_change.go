package server

import (
	"context"
	"fmt"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/keepalived-ls/keepalived-ls/parser"
)

func init() { register(protocol.MethodTextDocumentDidChange, notify((*Server).didChange)) }

// didChange applies edits in order, reparsing only what they touch.
func (s *Server) didChange(ctx context.Context, p *protocol.DidChangeTextDocumentParams) error {
	s.edit.Lock()
	defer s.edit.Unlock()
	key, _ := docKey(p.TextDocument.URI)
	s.mu.Lock()
	old := s.docs[key]
	opts := s.parseOptions(old.pathOrEmpty())
	s.mu.Unlock()
	if old == nil {
		return fmt.Errorf("change to a document that is not open: %s", p.TextDocument.URI)
	}
	d := *old
	d.version = p.TextDocument.Version
	for _, ch := range p.ContentChanges {
		switch c := ch.(type) {
		case *protocol.TextDocumentContentChangePartial:
			start := s.toPos(d.doc.Line, d.doc.LineCount(), c.Range.Start)
			end := s.toPos(d.doc.Line, d.doc.LineCount(), c.Range.End)
			d.doc = d.doc.Edit(start, end, []byte(c.Text))
		case *protocol.TextDocumentContentChangeWholeDocument:
			d.doc = parser.Parse(docName(&d), []byte(c.Text), opts)
		}
	}
	s.mu.Lock()
	s.docs[key] = &d
	s.mu.Unlock()
	if ce := s.log.Check(zap.DebugLevel, "change"); ce != nil {
		ce.Write(zap.String("uri", string(d.uri)), zap.Int32("version", d.version), zap.Int("changes", len(p.ContentChanges)))
	}
	s.schedule(key)
	s.fileChanged(key)
	return nil
}

func (d *document) pathOrEmpty() string {
	if d == nil {
		return ""
	}
	return d.path
}
