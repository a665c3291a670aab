package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/keepalived-ls/keepalived-ls/parser"
)

func init() {
	decode := notify((*Server).didChange)
	register(protocol.MethodTextDocumentDidChange, handler{call: func(s *Server, ctx context.Context, raw []byte) (any, error) {
		if err := checkRanges(raw); err != nil {
			return nil, err
		}
		return decode.call(s, ctx, raw)
	}})
}

// checkRanges rejects a didChange with a change whose "range" is not a
// valid range (a string, null, a negative or too large position). The
// protocol decoder would take such a change for a whole-document change
// (or, for null, an insertion at 0:0) and the document would be replaced
// by the fragment; instead the notification is invalid and dropped as a
// whole.
func checkRanges(raw []byte) error {
	if !bytes.Contains(raw, []byte(`"range"`)) {
		return nil // whole-document changes: no second pass over the text
	}
	var p struct {
		ContentChanges []map[string]json.RawMessage `json:"contentChanges"`
	}
	if json.Unmarshal(raw, &p) != nil {
		return nil // the protocol decoder reports it
	}
	for i, ch := range p.ContentChanges {
		r, ok := ch["range"]
		if !ok {
			continue
		}
		var rng protocol.Range
		if string(r) == "null" || protocol.Unmarshal(r, &rng) != nil {
			return fmt.Errorf("%w: contentChanges[%d]: invalid range %.100s", jsonrpc2.ErrInvalidParams, i, r)
		}
	}
	return nil
}

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
