package server

import (
	"context"
	"sort"
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
	"go.uber.org/zap"

	"github.com/keepalived-ls/keepalived-ls/analysis"
	"github.com/keepalived-ls/keepalived-ls/parser"
)

// schedule (re)starts the debounce timer of a document: diagnostics are
// computed once typing pauses.
func (s *Server) schedule(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delay := time.Duration(s.settings.debounceMS()) * time.Millisecond
	if t := s.timers[key]; t != nil {
		t.Stop()
	}
	s.timers[key] = time.AfterFunc(delay, func() { s.publishFor(key) })
}

// checker returns the document's checker (it caches per-unit results, so
// each document keeps its own).
func (s *Server) checker(key string) *analysis.Checker {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.checkers[key]
	if c == nil {
		path := ""
		if d := s.docs[key]; d != nil {
			path = d.path
		}
		st, _ := s.docSettings(path)
		cfg, _ := st.config()
		c = analysis.NewChecker(cfg)
		s.checkers[key] = c
	}
	return c
}

// fileDiags are the diagnostics of one file.
type fileDiags struct {
	uri   uri.URI
	key   string
	items []protocol.Diagnostic
}

// diagnose checks a document and converts the results per file: the
// document itself first, then each included file.
func (s *Server) diagnose(d *document) []fileDiags {
	diags := s.checker(d.key).CheckWith(d.doc, s.keepalivedDiagnostics(d))
	if extra := s.clusterDiagnostics(d); len(extra) > 0 { // server/cluster.go
		diags = append(diags, extra...)
		analysis.SortDiagnostics(diags)
	}
	byFile := map[*parser.Source][]parser.Diagnostic{}
	var own []parser.Diagnostic
	for _, dg := range diags {
		if dg.Src == nil {
			own = append(own, dg)
		} else {
			byFile[dg.Src] = append(byFile[dg.Src], dg)
		}
	}
	out := []fileDiags{{uri: d.uri, key: d.key, items: s.convert(d, nil, own, nil)}}
	srcs := make([]*parser.Source, 0, len(byFile))
	for src := range byFile {
		srcs = append(srcs, src)
	}
	sort.Slice(srcs, func(i, j int) bool { return srcs[i].Path < srcs[j].Path })
	var origins map[*parser.Source]*includeOrigin
	if len(srcs) > 0 {
		origins = includeOrigins(d.doc) // walks the whole tree: only when needed
	}
	for _, src := range srcs {
		via := origins[src]
		out = append(out, fileDiags{uri: fileURI(src.Path), key: src.Path, items: s.convert(d, src, byFile[src], via)})
	}
	// Files the document reads without problems get an empty list, which
	// clears what an earlier version reported.
	for _, f := range d.doc.IncludedFiles() {
		found := false
		for _, o := range out {
			if o.key == f {
				found = true
			}
		}
		if !found {
			out = append(out, fileDiags{uri: fileURI(f), key: f, items: []protocol.Diagnostic{}})
		}
	}
	return out
}

// includeOrigin is the include directive (in the document) that read a file.
type includeOrigin struct {
	span parser.Span // absolute
}

// includeOrigins maps each included source to the directive that read it.
func includeOrigins(d *parser.Doc) map[*parser.Source]*includeOrigin {
	out := map[*parser.Source]*includeOrigin{}
	var walk func(nodes []*parser.Node, base int32, top *includeOrigin)
	walk = func(nodes []*parser.Node, base int32, top *includeOrigin) {
		for _, n := range nodes {
			if n.Kind == parser.Include {
				o := top
				if o == nil && n.Src == nil {
					o = &includeOrigin{span: n.LineSpan().Shift(base)}
				}
				for _, f := range n.Files() {
					if _, seen := out[f.Source]; !seen && o != nil {
						out[f.Source] = o
					}
				}
				walk(n.Children, base, o)
				continue
			}
			walk(n.Children, base, top)
		}
	}
	for i, u := range d.Units() {
		walk(u.Nodes, d.UnitLine(i), nil)
	}
	return out
}

// convert turns analysis diagnostics of one file into LSP diagnostics.
func (s *Server) convert(d *document, src *parser.Source, diags []parser.Diagnostic, via *includeOrigin) []protocol.Diagnostic {
	lines := linesOf(d.doc, src)
	out := make([]protocol.Diagnostic, 0, len(diags))
	for _, dg := range diags {
		pd := protocol.Diagnostic{
			Range:    s.fromSpan(lines, dg.Span),
			Severity: protocol.DiagnosticSeverity(dg.Severity),
			Code:     protocol.String(dg.Rule),
			Source:   protocol.NewOptional(diagnosticSource(dg.Rule)),
			Message:  protocol.String(dg.Message),
		}
		if s.caps.codeDescription {
			pd.CodeDescription = protocol.CodeDescription{Href: uri.URI(ruleDocURL(dg.Rule))}
		}
		if s.caps.relatedInfo {
			for _, r := range dg.Related {
				pd.RelatedInformation = append(pd.RelatedInformation, protocol.DiagnosticRelatedInformation{
					Location: protocol.Location{URI: s.uriOf(d, r.Src), Range: s.fromSpan(linesOf(d.doc, r.Src), r.Span)},
					Message:  r.Message})
			}
			if via != nil {
				pd.RelatedInformation = append(pd.RelatedInformation, protocol.DiagnosticRelatedInformation{
					Location: protocol.Location{URI: d.uri, Range: s.fromSpan(d.doc.Line, via.span)},
					Message:  "included from here"})
			}
		}
		out = append(out, pd)
	}
	return out
}

func (s *Server) uriOf(d *document, src *parser.Source) uri.URI {
	if src == nil {
		return d.uri
	}
	return fileURI(src.Path)
}

func ruleDocURL(rule string) string {
	return "https://github.com/keepalived-ls/keepalived-ls/blob/main/docs/rules/" + rule + ".md"
}

// publishFor computes and publishes the diagnostics of a document (and of
// the files it includes), unless a newer version has arrived meanwhile.
func (s *Server) publishFor(key string) {
	s.mu.Lock()
	d := s.docs[key]
	claimed := s.claimedBy(key)
	pull := s.caps.pullDiagnostics
	refresh := s.caps.diagnosticRefresh
	s.mu.Unlock()
	if d == nil {
		return
	}
	start := time.Now()
	files := s.diagnose(d)
	ctx := context.Background()
	s.pub.Lock()
	defer s.pub.Unlock()
	s.mu.Lock()
	if cur := s.docs[key]; cur != d {
		s.mu.Unlock()
		return // a newer version will publish
	}
	prev := s.included[key]
	now := map[string]bool{}
	for _, f := range files[1:] {
		now[f.key] = true
	}
	s.included[key] = now
	s.mu.Unlock()
	if ce := s.log.Check(zap.DebugLevel, "diagnostics"); ce != nil {
		ce.Write(zap.String("uri", string(d.uri)), zap.Int32("version", d.version), zap.Int("count", len(files[0].items)), zap.Duration("took", time.Since(start)))
	}
	if !pull && claimed == "" {
		s.publish(ctx, d.uri, &d.version, files[0].items)
	}
	for _, f := range files[1:] {
		s.mu.Lock()
		_, open := s.docs[f.key]
		s.mu.Unlock()
		if pull && open {
			continue // the client pulls it
		}
		s.publish(ctx, f.uri, nil, f.items)
	}
	for k := range prev {
		if !now[k] {
			s.publish(ctx, fileURI(k), nil, []protocol.Diagnostic{})
		}
	}
	if pull && refresh && len(files) > 1 {
		go func() {
			if _, err := s.conn.Call(ctx, protocol.MethodWorkspaceDiagnosticRefresh, nil, nil); err != nil {
				s.log.Debug("diagnostic refresh failed", zap.Error(err))
			}
		}()
	}
}

// claimedBy returns the key of another open document that includes key
// (its diagnostics then come from that document's context; the first by
// key if several do). It asks the documents' current trees, not what they
// last published: a fragment opened together with its main file must not
// be checked on its own before the main file's first publish. Callers
// hold s.mu.
func (s *Server) claimedBy(key string) string {
	owner := ""
	for root, d := range s.docs {
		if root != key && (owner == "" || root < owner) && includes(d, key) {
			owner = root
		}
	}
	return owner
}

// publish sends textDocument/publishDiagnostics; nil items clear.
func (s *Server) publish(ctx context.Context, u uri.URI, version *int32, items []protocol.Diagnostic) {
	if items == nil {
		items = []protocol.Diagnostic{}
	}
	p := &protocol.PublishDiagnosticsParams{URI: u, Diagnostics: items}
	if version != nil && s.caps.versionSupport {
		p.Version = protocol.NewOptional(*version)
	}
	s.notifyClient(ctx, protocol.MethodTextDocumentPublishDiagnostics, p)
}

// diagnosticsOf returns the diagnostics of an open document as the client
// should see them: from the context of an open document that includes it,
// else its own.
func (s *Server) diagnosticsOf(key string) (*document, []protocol.Diagnostic) {
	s.mu.Lock()
	d := s.docs[key]
	root := s.claimedBy(key)
	rd := s.docs[root]
	s.mu.Unlock()
	if d == nil {
		return nil, nil
	}
	if rd != nil {
		for _, f := range s.diagnose(rd)[1:] {
			if f.key == key {
				return d, f.items
			}
		}
	}
	return d, s.diagnose(d)[0].items
}
