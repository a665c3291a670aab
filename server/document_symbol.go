package server

import (
	"context"

	"go.lsp.dev/protocol"

	"github.com/keepalived-ls/keepalived-ls/analysis"
)

func init() {
	register(protocol.MethodTextDocumentDocumentSymbol, request(true, (*Server).documentSymbol))
	registerCapability(func(c *protocol.ServerCapabilities, _ clientCaps) {
		label := "keepalived"
		c.DocumentSymbolProvider = &protocol.DocumentSymbolOptions{Label: &label}
	})
}

// symbolKind maps outline classes to LSP symbol kinds.
func symbolKind(c analysis.SymbolClass) protocol.SymbolKind {
	switch c {
	case analysis.ClassSettings:
		return protocol.SymbolKindModule
	case analysis.ClassInstance:
		return protocol.SymbolKindClass
	case analysis.ClassSyncGroup:
		return protocol.SymbolKindNamespace
	case analysis.ClassScript:
		return protocol.SymbolKindFunction
	case analysis.ClassTracker:
		return protocol.SymbolKindEvent
	case analysis.ClassGroup:
		return protocol.SymbolKindArray
	case analysis.ClassVirtualServer:
		return protocol.SymbolKindInterface
	case analysis.ClassRealServer:
		return protocol.SymbolKindObject
	case analysis.ClassChecker:
		return protocol.SymbolKindMethod
	case analysis.ClassInclude:
		return protocol.SymbolKindFile
	case analysis.ClassParameter:
		return protocol.SymbolKindConstant
	}
	return protocol.SymbolKindKey
}

// documentSymbol is the outline of a document: hierarchical when the
// client supports it, else a flat list with container names. An open file
// included by another open document is outlined as it is read there.
func (s *Server) documentSymbol(ctx context.Context, p *protocol.DocumentSymbolParams) (any, error) {
	nc := s.navigate(p.TextDocument.URI)
	if nc == nil {
		return nil, nil
	}
	items := analysis.OutlineFile(nc.root.doc, nc.path)
	// An outline of tens of thousands of entries is megabytes of JSON on
	// every edit: keep every level down to where the limit allows.
	items, capped := analysis.CapOutline(items, analysis.HugeMaxSymbols)
	if capped {
		s.warnCapped(nc.self, "documentSymbol", analysis.HugeMaxSymbols)
	}
	lines := nc.self.doc.Line
	deprecated := func(it analysis.OutlineItem) ([]protocol.SymbolTag, *bool) {
		if !it.Deprecated {
			return nil, nil
		}
		if s.caps.nav.symbolTags {
			return []protocol.SymbolTag{protocol.SymbolTagDeprecated}, nil
		}
		yes := true
		return nil, &yes
	}
	if s.caps.nav.hierarchicalSymbols {
		var convert func(items []analysis.OutlineItem) []protocol.DocumentSymbol
		convert = func(items []analysis.OutlineItem) []protocol.DocumentSymbol {
			out := make([]protocol.DocumentSymbol, 0, len(items))
			for _, it := range items {
				ds := protocol.DocumentSymbol{Name: it.Name, Kind: symbolKind(it.Class),
					Range: s.fromSpan(lines, it.Span), SelectionRange: s.fromSpan(lines, it.Selection)}
				if it.Detail != "" {
					detail := it.Detail
					ds.Detail = &detail
				}
				ds.Tags, ds.Deprecated = deprecated(it)
				if len(it.Children) > 0 {
					ds.Children = convert(it.Children)
				}
				out = append(out, ds)
			}
			return out
		}
		return protocol.DocumentSymbolSlice(convert(items)), nil
	}
	out := protocol.SymbolInformationSlice{}
	var flatten func(items []analysis.OutlineItem, container string)
	flatten = func(items []analysis.OutlineItem, container string) {
		for _, it := range items {
			si := protocol.SymbolInformation{
				BaseSymbolInformation: protocol.BaseSymbolInformation{Name: it.Name, Kind: symbolKind(it.Class)},
				Location:              protocol.Location{URI: nc.self.uri, Range: s.fromSpan(lines, it.Span)},
			}
			if container != "" {
				c := container
				si.ContainerName = &c
			}
			si.Tags, si.Deprecated = deprecated(it)
			out = append(out, si)
			flatten(it.Children, it.Name)
		}
	}
	flatten(items, "")
	return out, nil
}
