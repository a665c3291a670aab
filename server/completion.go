package server

import (
	"context"

	"go.lsp.dev/protocol"

	"github.com/keepalived-ls/keepalived-ls/analysis"
)

func init() {
	register(protocol.MethodTextDocumentCompletion, request(true, (*Server).completion))
	registerCapability(func(c *protocol.ServerCapabilities, _ clientCaps) {
		c.CompletionProvider = &protocol.CompletionOptions{TriggerCharacters: []string{" ", "$", "{"}}
	})
}

// completionKind maps analysis item kinds to LSP ones.
func completionKind(k analysis.CompletionKind) protocol.CompletionItemKind {
	switch k {
	case analysis.CompleteKeyword:
		return protocol.CompletionItemKindKeyword
	case analysis.CompleteBlock:
		return protocol.CompletionItemKindStruct
	case analysis.CompleteValue:
		return protocol.CompletionItemKindEnumMember
	case analysis.CompleteOption:
		return protocol.CompletionItemKindProperty
	case analysis.CompleteReference:
		return protocol.CompletionItemKindReference
	case analysis.CompleteParameter:
		return protocol.CompletionItemKindVariable
	case analysis.CompleteFile:
		return protocol.CompletionItemKindFile
	case analysis.CompleteFolder:
		return protocol.CompletionItemKindFolder
	case analysis.CompleteSnippet:
		return protocol.CompletionItemKindSnippet
	}
	return protocol.CompletionItemKindText
}

// completion proposes keywords of the enclosing block, argument values,
// names of defined objects, $NAMEs, include paths and block snippets.
func (s *Server) completion(ctx context.Context, p *protocol.CompletionParams) (any, error) {
	nc := s.navigate(p.TextDocument.URI)
	if nc == nil {
		return nil, nil
	}
	d := nc.self
	pos := s.navPos(nc, p.Position)
	opts := analysis.CompletionOptions{Target: d.doc.Options().Version, Markdown: !s.caps.nav.plainCompletion}
	if nc.root == d {
		opts.Index = nc.ix
	} else {
		opts.Root, opts.Path, opts.Names = nc.root.doc, nc.path, nc.ix
	}
	res := analysis.Complete(d.doc, int(pos.Line), int(pos.Col), opts)
	list := &protocol.CompletionList{Items: []protocol.CompletionItem{}}
	// A space typed in indentation or after a word that takes nothing we
	// know: stay quiet rather than pop up every keyword.
	if tc := p.Context.TriggerCharacter; tc != nil && *tc == " " &&
		(res.Context == analysis.KeywordContext || len(res.Items) == 0) {
		return list, nil
	}
	rng := s.fromSpan(d.doc.Line, res.Replace)
	docKind := protocol.MarkupKindMarkdown
	if s.caps.nav.plainCompletion {
		docKind = protocol.MarkupKindPlainText
	}
	for _, it := range res.Items {
		if it.Snippet && !s.caps.nav.snippets {
			continue
		}
		ci := protocol.CompletionItem{
			Label:    it.Label,
			Kind:     completionKind(it.Kind),
			SortText: protocol.NewOptional(it.SortText),
			TextEdit: &protocol.TextEdit{Range: rng, NewText: it.InsertText},
		}
		if it.Detail != "" {
			ci.Detail = protocol.NewOptional(it.Detail)
		}
		if it.Doc != "" {
			ci.Documentation = &protocol.MarkupContent{Kind: docKind, Value: it.Doc}
		}
		if it.FilterText != "" {
			ci.FilterText = protocol.NewOptional(it.FilterText)
		}
		if it.Snippet {
			ci.InsertTextFormat = protocol.InsertTextFormatSnippet
		} else {
			ci.InsertTextFormat = protocol.InsertTextFormatPlainText
		}
		if it.Deprecated {
			if s.caps.nav.completionTags {
				ci.Tags = []protocol.CompletionItemTag{protocol.CompletionItemTagDeprecated}
			} else if s.caps.nav.completionDepr {
				ci.Deprecated = protocol.NewOptional(true)
			}
		}
		list.Items = append(list.Items, ci)
	}
	return list, nil
}
