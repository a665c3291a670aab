package server

import (
	"sync"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/keepalived-ls/keepalived-ls/analysis"
	"github.com/keepalived-ls/keepalived-ls/parser"
)

// Shared by the navigation and editing handlers (completion, definition,
// references, highlights, rename, symbols).

// navCaps are the client capabilities those handlers act on.
type navCaps struct {
	snippets            bool // completion items may be snippets
	plainCompletion     bool // completion documentation only as plain text
	completionTags      bool // completion items take the deprecated tag
	completionDepr      bool // completion items take the deprecated property
	hierarchicalSymbols bool // DocumentSymbol[] rather than SymbolInformation[]
	symbolTags          bool // document symbols take the deprecated tag
}

func readNavCaps(td *protocol.TextDocumentClientCapabilities) navCaps {
	var nc navCaps
	yes := func(b *bool) bool { return b != nil && *b }
	if c := td.Completion; c != nil && c.CompletionItem != nil {
		ci := c.CompletionItem
		nc.snippets = yes(ci.SnippetSupport)
		if len(ci.DocumentationFormat) > 0 {
			nc.plainCompletion = true
			for _, f := range ci.DocumentationFormat {
				if f == protocol.MarkupKindMarkdown {
					nc.plainCompletion = false
				}
			}
		}
		for _, t := range ci.TagSupport.ValueSet {
			if t == protocol.CompletionItemTagDeprecated {
				nc.completionTags = true
			}
		}
		nc.completionDepr = yes(ci.DeprecatedSupport)
	}
	if ds := td.DocumentSymbol; ds != nil {
		nc.hierarchicalSymbols = yes(ds.HierarchicalDocumentSymbolSupport)
		for _, t := range ds.TagSupport.ValueSet {
			if t == protocol.SymbolTagDeprecated {
				nc.symbolTags = true
			}
		}
	}
	return nc
}

// navContext is a document seen in the configuration it belongs to: an
// open file included by another open document is navigated in that
// document's context, so that names defined there (and in its other
// includes) resolve.
type navContext struct {
	self *document // the document of the request
	root *document // the document whose index is used (self, or the one including it)
	path string    // self's path in root's index: "" when root is self
	ix   *analysis.Index
}

// navigate returns the navigation context of an open document (nil when it
// is not open).
func (s *Server) navigate(u uri.URI) *navContext {
	self := s.snapshot(u)
	if self == nil {
		return nil
	}
	nc := &navContext{self: self, root: self}
	s.mu.Lock()
	if root := s.docs[s.claimedBy(self.key)]; root != nil {
		nc.root, nc.path = root, self.key
	}
	s.mu.Unlock()
	nc.ix = s.symbolIndex(nc.root)
	return nc
}

// pos converts a request position in the requesting document.
func (s *Server) navPos(nc *navContext, p protocol.Position) parser.Pos {
	return s.toPos(nc.self.doc.Line, nc.self.doc.LineCount(), p)
}

// location converts a span of the root document or of a file it includes.
func (s *Server) location(d *document, src *parser.Source, span parser.Span) protocol.Location {
	return protocol.Location{URI: s.uriOf(d, src), Range: s.fromSpan(linesOf(d.doc, src), span)}
}

// indexCache keeps the symbol indexes of the last few document versions:
// requests that follow each other on one version build it once.
var indexCache struct {
	mu      sync.Mutex
	entries [8]indexEntry
	next    int
}

type indexEntry struct {
	doc *parser.Doc
	ix  *analysis.Index
}

func (s *Server) symbolIndex(d *document) *analysis.Index {
	indexCache.mu.Lock()
	for _, e := range indexCache.entries {
		if e.doc == d.doc {
			indexCache.mu.Unlock()
			return e.ix
		}
	}
	indexCache.mu.Unlock()
	ix := analysis.BuildIndex(d.doc, d.doc.Options().Version)
	indexCache.mu.Lock()
	indexCache.entries[indexCache.next] = indexEntry{d.doc, ix}
	indexCache.next = (indexCache.next + 1) % len(indexCache.entries)
	indexCache.mu.Unlock()
	return ix
}
