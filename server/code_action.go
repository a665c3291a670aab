package server

import (
	"context"
	"strings"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/keepalived-ls/keepalived-ls/analysis"
	"github.com/keepalived-ls/keepalived-ls/parser"
)

func init() {
	register(protocol.MethodTextDocumentCodeAction, request(true, (*Server).codeAction))
	registerCapability(func(c *protocol.ServerCapabilities, _ clientCaps) {
		c.CodeActionProvider = &protocol.CodeActionOptions{CodeActionKinds: []protocol.CodeActionKind{
			protocol.CodeActionKindQuickFix, protocol.CodeActionKindSourceFixAll}}
	})
}

// codeAction offers the quick fixes of the diagnostics in the range, and
// source.fixAll for every safe fix of the document.
func (s *Server) codeAction(ctx context.Context, p *protocol.CodeActionParams) (any, error) {
	d := s.snapshot(p.TextDocument.URI)
	if d == nil {
		return nil, nil
	}
	want := func(kind protocol.CodeActionKind) bool {
		if len(p.Context.Only) == 0 {
			return true
		}
		for _, o := range p.Context.Only {
			if kind == o || strings.HasPrefix(string(kind), string(o)+".") {
				return true
			}
		}
		return false
	}
	diags := s.contextDiagnostics(d)
	actions := []protocol.CodeAction{}
	start := s.toPos(d.doc.Line, d.doc.LineCount(), p.Range.Start)
	end := s.toPos(d.doc.Line, d.doc.LineCount(), p.Range.End)
	sel := parser.Span{Start: start, End: end}
	if want(protocol.CodeActionKindQuickFix) {
		for _, dg := range diags {
			if dg.Src != nil || !overlaps(dg.Span, sel) {
				continue
			}
			for _, f := range dg.Fixes {
				kind := protocol.CodeActionKindQuickFix
				preferred := f.Preferred
				actions = append(actions, protocol.CodeAction{
					Title:       f.Title,
					Kind:        &kind,
					Diagnostics: s.convert(d, nil, []parser.Diagnostic{dg}, nil),
					IsPreferred: &preferred,
					Edit:        s.workspaceEdit(d, f.Edits),
				})
			}
		}
	}
	if want(protocol.CodeActionKindSourceFixAll) {
		if edits := analysis.FixAll(diags); len(edits) > 0 {
			kind := protocol.CodeActionKindSourceFixAll
			actions = append(actions, protocol.CodeAction{
				Title: "Fix all safe keepalived problems",
				Kind:  &kind,
				Edit:  s.workspaceEdit(d, edits),
			})
		}
	}
	return actions, nil
}

// overlaps reports whether a diagnostic touches the requested range (an
// empty range at a diagnostic's edge counts).
func overlaps(a, b parser.Span) bool {
	return !b.End.Less(a.Start) && !a.End.Less(b.Start)
}

// workspaceEdit converts edits (of the document or of included files).
func (s *Server) workspaceEdit(d *document, edits []parser.Edit) *protocol.WorkspaceEdit {
	changes := map[uri.URI][]protocol.TextEdit{}
	var order []uri.URI
	for _, e := range edits {
		u := s.uriOf(d, e.Src)
		if _, ok := changes[u]; !ok {
			order = append(order, u)
		}
		changes[u] = append(changes[u], protocol.TextEdit{Range: s.fromSpan(linesOf(d.doc, e.Src), e.Span), NewText: e.NewText})
	}
	if !s.caps.documentChanges {
		return &protocol.WorkspaceEdit{Changes: changes}
	}
	// Versioned edits: the client refuses them if a document changed since
	// (files that are not open get a null version: the disk is the truth).
	var dc []protocol.DocumentChange
	for _, u := range order {
		id := protocol.OptionalVersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: u}}
		if u == d.uri {
			v := d.version
			id.Version = &v
		} else if open := s.snapshot(u); open != nil {
			v := open.version
			id.Version = &v
		}
		tde := &protocol.TextDocumentEdit{TextDocument: id}
		for i := range changes[u] {
			tde.Edits = append(tde.Edits, &changes[u][i])
		}
		dc = append(dc, tde)
	}
	return &protocol.WorkspaceEdit{DocumentChanges: dc}
}

// contextDiagnostics returns the problems of a document as the client sees
// them: for a fragment included by another open document, those found in
// that document's context (see claimedBy), rebased on the fragment (Src
// nil; fixes that edit other files are left out).
func (s *Server) contextDiagnostics(d *document) []parser.Diagnostic {
	s.mu.Lock()
	root := s.docs[s.claimedBy(d.key)]
	s.mu.Unlock()
	if root == nil {
		return s.checker(d.key).Check(d.doc)
	}
	var out []parser.Diagnostic
	for _, dg := range s.checker(root.key).Check(root.doc) {
		if dg.Src == nil || dg.Src.Path != d.key {
			continue
		}
		// dg is a copy, but its slices are the checker's cache: replace
		// them, never write through them.
		dg.Src, dg.Related = nil, nil
		var fixes []parser.Fix
	fix:
		for _, f := range dg.Fixes {
			edits := make([]parser.Edit, len(f.Edits))
			for i, e := range f.Edits {
				if e.Src == nil || e.Src.Path != d.key {
					continue fix
				}
				e.Src = nil
				edits[i] = e
			}
			f.Edits = edits
			fixes = append(fixes, f)
		}
		dg.Fixes = fixes
		out = append(out, dg)
	}
	return out
}
