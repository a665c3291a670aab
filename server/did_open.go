package server

import (
	"context"
	"fmt"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/keepalived-ls/keepalived-ls/parser"
)

func init() { register(protocol.MethodTextDocumentDidOpen, notify((*Server).didOpen)) }

func (s *Server) didOpen(ctx context.Context, p *protocol.DidOpenTextDocumentParams) error {
	if p.TextDocument.URI == "" {
		// {} decodes without error: opening it would publish diagnostics
		// for the URI "", which clients reject.
		return fmt.Errorf("%w: didOpen without textDocument.uri", jsonrpc2.ErrInvalidParams)
	}
	s.edit.Lock()
	defer s.edit.Unlock()
	key, path := docKey(p.TextDocument.URI)
	d := &document{uri: p.TextDocument.URI, key: key, path: path, version: p.TextDocument.Version}
	s.mu.Lock()
	opts := s.parseOptions(path)
	s.mu.Unlock()
	d.doc = parser.Parse(docName(d), []byte(p.TextDocument.Text), opts)
	s.mu.Lock()
	s.docs[key] = d
	s.mu.Unlock()
	s.log.Debug("open", zap.String("uri", string(d.uri)), zap.Int("lines", d.doc.LineCount()))
	s.schedule(key)
	s.fileChanged(key)
	return nil
}
