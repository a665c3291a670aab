package server

import (
	"context"

	"go.lsp.dev/protocol"

	"github.com/keepalived-ls/keepalived-ls/analysis"
)

func init() {
	register(protocol.MethodTextDocumentFoldingRange, request(true, (*Server).foldingRange))
	registerCapability(func(c *protocol.ServerCapabilities, _ clientCaps) {
		c.FoldingRangeProvider = protocol.Boolean(true)
	})
}

var foldKinds = [...]protocol.FoldingRangeKind{
	analysis.FoldRegion:  protocol.FoldingRangeKindRegion,
	analysis.FoldComment: protocol.FoldingRangeKindComment,
	analysis.FoldImports: protocol.FoldingRangeKindImports,
}

// foldingRange folds blocks, comment runs and include runs. For clients
// that fold whole lines only, a block's fold ends on the line before its
// closing brace, so that the brace stays visible.
func (s *Server) foldingRange(ctx context.Context, p *protocol.FoldingRangeParams) (any, error) {
	d := s.snapshot(p.TextDocument.URI)
	if d == nil {
		return nil, nil
	}
	caps := s.structCaps()
	huge := hugeLimit(d, analysis.HugeMaxFolds)
	limit := huge
	if l := int(caps.foldingRangeLimit); l > 0 && (limit == 0 || l < limit) {
		limit = l
	}
	folds := analysis.FoldingRanges(d.doc)
	out := make([]protocol.FoldingRange, 0, len(folds))
	lastStart := -1
	for _, f := range folds {
		if limit > 0 && len(out) == limit {
			if huge > 0 {
				s.warnCapped(d, "foldingRange", huge)
			}
			break
		}
		var fr protocol.FoldingRange
		if caps.lineFoldingOnly {
			end := f.End.Line
			if f.Closed {
				end--
			}
			if end <= f.Start.Line || int(f.Start.Line) == lastStart {
				continue // nothing to fold, or a fold already starts on this line
			}
			fr = protocol.FoldingRange{StartLine: uint32(f.Start.Line), EndLine: uint32(end)}
		} else {
			start := s.fromPos(d.doc.Line, f.Start)
			end := s.fromPos(d.doc.Line, f.End)
			fr = protocol.FoldingRange{StartLine: start.Line, StartCharacter: &start.Character,
				EndLine: end.Line, EndCharacter: &end.Character}
		}
		fr.Kind = foldKinds[f.Kind]
		lastStart = int(f.Start.Line)
		out = append(out, fr)
	}
	return out, nil
}
