package server

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"go.lsp.dev/protocol"

	"github.com/keepalived-ls/keepalived-ls/analysis"
)

func init() {
	register(protocol.MethodWorkspaceSymbol, request(true, (*Server).workspaceSymbol))
	registerCapability(func(c *protocol.ServerCapabilities, _ clientCaps) {
		c.WorkspaceSymbolProvider = protocol.Boolean(true)
	})
}

// maxWorkspaceSymbols bounds the answer to workspace/symbol.
const maxWorkspaceSymbols = 500

// workspaceSymbol searches the named entries (instances, scripts, virtual
// servers, ...) of every open document and of the files they include. The
// query matches names exactly, as a prefix, as a substring or fuzzily (its
// characters in order), ignoring case; better matches come first.
func (s *Server) workspaceSymbol(ctx context.Context, p *protocol.WorkspaceSymbolParams) (any, error) {
	s.mu.Lock()
	docs := make([]*document, 0, len(s.docs))
	for _, d := range s.docs {
		docs = append(docs, d)
	}
	s.mu.Unlock()
	sort.Slice(docs, func(i, j int) bool { return docs[i].key < docs[j].key })
	type hit struct {
		score int
		si    protocol.SymbolInformation
	}
	var hits []hit
	seen := map[string]bool{}
	for _, d := range docs {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		for _, fs := range analysis.FlatSymbols(d.doc) {
			score, ok := analysis.MatchSymbol(p.Query, fs.Name)
			if !ok {
				continue
			}
			u := s.uriOf(d, fs.Src)
			loc := s.location(d, fs.Src, fs.Span)
			// A file may be both open and included: report it once, in
			// the coordinates of the file itself.
			key := string(u) + "\x00" + fs.Name + "\x00" + rangeKey(loc.Range)
			if seen[key] {
				continue
			}
			seen[key] = true
			si := protocol.SymbolInformation{
				BaseSymbolInformation: protocol.BaseSymbolInformation{Name: fs.Name, Kind: symbolKind(fs.Class)},
				Location:              loc,
			}
			if fs.Container != "" {
				c := fs.Container
				si.ContainerName = &c
			}
			hits = append(hits, hit{score, si})
		}
	}
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].score != hits[j].score {
			return hits[i].score > hits[j].score
		}
		return strings.ToLower(hits[i].si.Name) < strings.ToLower(hits[j].si.Name)
	})
	out := protocol.SymbolInformationSlice{}
	for i, h := range hits {
		if i == maxWorkspaceSymbols {
			break
		}
		out = append(out, h.si)
	}
	return out, nil
}

func rangeKey(r protocol.Range) string {
	return fmt.Sprintf("%d:%d-%d:%d", r.Start.Line, r.Start.Character, r.End.Line, r.End.Character)
}
