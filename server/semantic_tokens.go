package server

import (
	"context"
	"strconv"

	"go.lsp.dev/protocol"

	"github.com/keepalived-ls/keepalived-ls/analysis"
	"github.com/keepalived-ls/keepalived-ls/parser"
	"github.com/keepalived-ls/keepalived-ls/parser/schema"
)

func init() {
	register(protocol.MethodTextDocumentSemanticTokensFull, request(true, (*Server).semanticTokensFull))
	register(protocol.MethodTextDocumentSemanticTokensFullDelta, request(true, (*Server).semanticTokensDelta))
	register(protocol.MethodTextDocumentSemanticTokensRange, request(true, (*Server).semanticTokensRange))
	registerCapability(func(c *protocol.ServerCapabilities, _ clientCaps) {
		delta := true
		c.SemanticTokensProvider = &protocol.SemanticTokensOptions{
			Legend: protocol.SemanticTokensLegend{
				TokenTypes:     analysis.TokenTypeNames(),
				TokenModifiers: analysis.TokenModNames(),
			},
			Range: protocol.Boolean(true),
			Full:  &protocol.SemanticTokensFullDelta{Delta: &delta},
		}
	})
}

// The legend is analysis's token types and modifiers in their order: a
// token's type is its TokenType and its modifier bits are its TokenMod.

func (s *Server) semanticTokensFull(ctx context.Context, p *protocol.SemanticTokensParams) (any, error) {
	d := s.snapshot(p.TextDocument.URI)
	if d == nil {
		return nil, nil
	}
	data := s.tokenData(d, 0, d.doc.LineCount()-1)
	id := s.storeTokens(d, data)
	return &protocol.SemanticTokens{ResultID: &id, Data: data}, nil
}

// semanticTokensDelta answers with the edits from the result the client
// has, or with all tokens when that result is not the last one sent.
func (s *Server) semanticTokensDelta(ctx context.Context, p *protocol.SemanticTokensDeltaParams) (any, error) {
	d := s.snapshot(p.TextDocument.URI)
	if d == nil {
		return nil, nil
	}
	data := s.tokenData(d, 0, d.doc.LineCount()-1)
	st := s.structure()
	st.mu.Lock()
	prev, ok := st.tokens[d.key]
	st.mu.Unlock()
	id := s.storeTokens(d, data)
	if !ok || prev.id != p.PreviousResultID {
		return &protocol.SemanticTokens{ResultID: &id, Data: data}, nil
	}
	return &protocol.SemanticTokensDelta{ResultID: &id, Edits: tokenEdits(prev.data, data)}, nil
}

func (s *Server) semanticTokensRange(ctx context.Context, p *protocol.SemanticTokensRangeParams) (any, error) {
	d := s.snapshot(p.TextDocument.URI)
	if d == nil {
		return nil, nil
	}
	from, to := s.rangeLines(d, p.Range)
	return &protocol.SemanticTokens{Data: s.tokenData(d, from, to)}, nil
}

// rangeLines returns the lines a range covers: a range that ends at the
// start of a line does not cover that line.
func (s *Server) rangeLines(d *document, r protocol.Range) (from, to int) {
	a := s.toPos(d.doc.Line, d.doc.LineCount(), r.Start)
	b := s.toPos(d.doc.Line, d.doc.LineCount(), r.End)
	if b.Col == 0 && b.Line > a.Line {
		b.Line--
	}
	return int(a.Line), int(b.Line)
}

// tokenData classifies lines from..to and encodes the tokens relative to
// each other, with columns in the negotiated encoding. Tokens are single
// lines. A huge document gets only its first tokens.
func (s *Server) tokenData(d *document, from, to int) []uint32 {
	limit := hugeLimit(d, analysis.HugeMaxTokens)
	if from == 0 && to >= d.doc.LineCount()-1 {
		data, capped := s.documentTokenData(d, limit)
		if capped {
			s.warnCapped(d, "semanticTokens", limit)
		}
		return data
	}
	return s.rangeTokenData(d, from, to, limit)
}

// rangeTokenData is tokenData for any lines, classified afresh.
func (s *Server) rangeTokenData(d *document, from, to, limit int) []uint32 {
	toks, capped := analysis.SemanticTokens(d.doc, from, to, limit)
	if capped {
		s.warnCapped(d, "semanticTokens", limit)
	}
	// The line of the previous conversion is kept: tokens come line by line.
	cur, text := -1, []byte(nil)
	lines := func(n int) []byte {
		if n != cur {
			cur, text = n, d.doc.Line(n)
		}
		return text
	}
	data := make([]uint32, 0, 5*len(toks))
	var prevLine, prevChar uint32
	for _, t := range toks {
		start := s.fromPos(lines, parser.Pos{Line: t.Line, Col: t.Start})
		end := s.fromPos(lines, parser.Pos{Line: t.Line, Col: t.End})
		if end.Character <= start.Character {
			continue
		}
		dl, dc := start.Line-prevLine, start.Character
		if dl == 0 {
			dc -= prevChar
		}
		data = append(data, dl, dc, end.Character-start.Character, uint32(t.Type), uint32(t.Mods))
		prevLine, prevChar = start.Line, start.Character
	}
	return data
}

// unitTokens are a unit's encoded tokens, the first one's line counted
// from the unit's first line, and the line of its last token.
type unitTokens struct {
	data     []uint32
	lastLine uint32
}

// documentTokenData encodes the whole document from tokens cached on its
// units: after an edit only the units the edit reparsed are classified and
// encoded again, and a large document's tokens are put together by copying
// (each unit's first token is made relative to the previous unit's last).
// With limit > 0 at most limit tokens are returned.
func (s *Server) documentTokenData(d *document, limit int) ([]uint32, bool) {
	target := d.doc.Options().Version
	key := "semanticTokens:" + target.String()
	if s.caps.utf8 {
		key += ":utf-8"
	}
	var data []uint32
	var prevLine uint32
	for i, u := range d.doc.Units() {
		ut := u.View(key, func() any { return s.encodeUnitTokens(u, target) }).(*unitTokens)
		if len(ut.data) == 0 {
			continue
		}
		add := ut.data
		capped := limit > 0 && len(data)/5+len(add)/5 > limit
		if capped {
			add = add[:(limit-len(data)/5)*5]
		}
		if len(add) > 0 {
			at := len(data)
			data = append(data, add...)
			first := uint32(d.doc.UnitLine(i)) + add[0]
			data[at] = first - prevLine // units do not share lines
			prevLine = uint32(d.doc.UnitLine(i)) + ut.lastLine
		}
		if capped {
			return data, true
		}
	}
	return data, false
}

// encodeUnitTokens encodes a unit's tokens with lines relative to the
// unit's first line.
func (s *Server) encodeUnitTokens(u *parser.Unit, target schema.Version) *unitTokens {
	toks := analysis.UnitSemanticTokens(u, target)
	ut := &unitTokens{data: make([]uint32, 0, 5*len(toks))}
	var prevLine, prevChar uint32
	for _, t := range toks {
		start := s.fromPos(u.Line, parser.Pos{Line: t.Line, Col: t.Start})
		end := s.fromPos(u.Line, parser.Pos{Line: t.Line, Col: t.End})
		if end.Character <= start.Character {
			continue
		}
		dl, dc := start.Line-prevLine, start.Character
		if dl == 0 && len(ut.data) > 0 {
			dc -= prevChar
		}
		ut.data = append(ut.data, dl, dc, end.Character-start.Character, uint32(t.Type), uint32(t.Mods))
		prevLine, prevChar = start.Line, start.Character
		ut.lastLine = start.Line
	}
	return ut
}

// storeTokens keeps a full result for later deltas and returns its id.
// Results of documents that are no longer open are dropped.
func (s *Server) storeTokens(d *document, data []uint32) string {
	st := s.structure()
	st.mu.Lock()
	defer st.mu.Unlock()
	st.nextID++
	id := strconv.FormatUint(st.nextID, 10)
	st.tokens[d.key] = tokenResult{id: id, data: data}
	if len(st.tokens) > 1 {
		s.mu.Lock()
		for k := range st.tokens {
			if s.docs[k] == nil {
				delete(st.tokens, k)
			}
		}
		s.mu.Unlock()
	}
	return id
}

// tokenEdits turns old into new with at most one edit, replacing the
// tokens between their common prefix and suffix (in whole tokens).
func tokenEdits(old, new []uint32) []protocol.SemanticTokensEdit {
	p := 0
	for p < len(old) && p < len(new) && old[p] == new[p] {
		p++
	}
	p -= p % 5
	q := 0
	for q < len(old)-p && q < len(new)-p && old[len(old)-1-q] == new[len(new)-1-q] {
		q++
	}
	q -= q % 5
	if p+q == len(old) && p+q == len(new) {
		return []protocol.SemanticTokensEdit{}
	}
	return []protocol.SemanticTokensEdit{{Start: uint32(p), DeleteCount: uint32(len(old) - p - q),
		Data: append([]uint32{}, new[p:len(new)-q]...)}}
}
