package analysis

import (
	"net/netip"
	"slices"
	"sort"
	"sync"

	"github.com/keepalived-ls/keepalived-ls/parser"
	"github.com/keepalived-ls/keepalived-ls/parser/argspec"
	"github.com/keepalived-ls/keepalived-ls/parser/schema"
)

// Semantic classification of the document's own text, for syntax
// highlighting that knows keepalived's keyword tree.

// TokenType is what a word is. The names (TokenTypeNames) are LSP's
// standard semantic token types, in the order of the constants.
type TokenType uint8

const (
	TokKeyword    TokenType = iota // a known keyword; include directives are macros
	TokVariable                    // the name of an object: defined (vrrp_instance VI_1) or referenced (track_script entries)
	TokParameter                   // $NAME definitions and ${NAME} references
	TokString                      // quoted words, script lines, include paths
	TokNumber                      // numbers, IP addresses and prefixes
	TokEnumMember                  // a value from a fixed set (enum, yes/no)
	TokComment                     // comments; the text of lines an @ID conditional drops
	TokMacro                       // @ID prefixes, ~SEQ/~LST heads, include directives
	TokOperator                    // the '=' of a $NAME definition
	TokProperty                    // (reserved)
	numTokenTypes
)

var tokenTypeNames = [numTokenTypes]string{"keyword", "variable", "parameter", "string", "number", "enumMember",
	"comment", "macro", "operator", "property"}

func (t TokenType) String() string { return tokenTypeNames[t] }

// TokenTypeNames returns the names of the token types, indexed by TokenType.
func TokenTypeNames() []string { return slices.Clone(tokenTypeNames[:]) }

// TokenMod is a set of token modifiers.
type TokenMod uint16

const (
	ModDeclaration    TokenMod = 1 << iota // where an object or $NAME is defined
	ModDefinition                          // (with ModDeclaration)
	ModDeprecated                          // a deprecated keyword
	ModReadonly                            // a built-in $NAME
	ModDefaultLibrary                      // a built-in $NAME
	ModBlock                               // a keyword that opens a block (keyword or value block)
	ModDisabled                            // on a line an @ID conditional drops
	numTokenMods      = 7
)

var tokenModNames = [numTokenMods]string{"declaration", "definition", "deprecated", "readonly", "defaultLibrary",
	"block", "disabled"}

// TokenModNames returns the modifier names, indexed by bit number.
func TokenModNames() []string { return slices.Clone(tokenModNames[:]) }

// SemToken is one classified word: an absolute line and byte columns on it.
type SemToken struct {
	Line       int32
	Start, End int32
	Type       TokenType
	Mods       TokenMod
}

// SemanticTokens classifies the document's lines from..to (absolute,
// inclusive), sorted and not overlapping. With limit > 0 at most limit
// tokens are returned (the first ones) and capped reports whether some were
// left out.
func SemanticTokens(d *parser.Doc, from, to, limit int) (toks []SemToken, capped bool) {
	units := d.Units()
	if len(units) == 0 || to < from {
		return nil, false
	}
	z := tokenizer{target: d.Options().Version}
	for ui := unitIndex(d, from); ui < len(units); ui++ {
		base := d.UnitLine(ui)
		if int(base) > to {
			break
		}
		for _, t := range z.unit(units[ui]) {
			t.Line += base
			if int(t.Line) < from || int(t.Line) > to {
				continue
			}
			if limit > 0 && len(toks) == limit {
				return toks, true
			}
			toks = append(toks, t)
		}
	}
	return toks, false
}

// UnitSemanticTokens classifies one unit, with lines relative to its first
// line: what SemanticTokens returns for the unit's lines, for callers that
// cache tokens per unit.
func UnitSemanticTokens(u *parser.Unit, target schema.Version) []SemToken {
	z := tokenizer{target: target}
	return slices.Clone(z.unit(u))
}

// tokenizer classifies units, reusing its buffers.
type tokenizer struct {
	target schema.Version
	u      *parser.Unit
	out    []SemToken // unit-relative lines
	m      argspec.Matcher
	texts  []string
	cls    []wordClass
}

type wordClass struct {
	typ  TokenType
	mods TokenMod
	ok   bool
}

// unit returns the tokens of a unit (unit-relative lines), valid until the
// next call.
func (z *tokenizer) unit(u *parser.Unit) []SemToken {
	z.u, z.out = u, z.out[:0]
	// Reader-level constructs first: where they overlap a word (a ${NAME}
	// inside it), they win.
	for _, r := range u.Refs {
		if r.Src == nil {
			mods := TokenMod(0)
			if r.Builtin {
				mods = ModReadonly | ModDefaultLibrary
			}
			z.add(r.Span, TokParameter, mods)
		}
	}
	for _, def := range u.Definitions {
		if def.Src != nil {
			continue
		}
		s := def.Span
		line := u.Line(int(s.Start.Line))
		if s.Start.Col > 0 && int(s.Start.Col) <= len(line) && line[s.Start.Col-1] == '$' {
			s.Start.Col--
		}
		z.add(s, TokParameter, ModDeclaration|ModDefinition)
		eq := int(def.Span.End.Col)
		if eq >= len(line) || line[eq] != '=' {
			continue
		}
		ln := def.Span.End.Line
		z.add(parser.Span{Start: def.Span.End, End: parser.Pos{Line: ln, Col: int32(eq + 1)}}, TokOperator, 0)
		// References in the value (keepalived expands them where the
		// definition is used).
		for i := eq + 1; i < len(line); i++ {
			if line[i] != '$' {
				continue
			}
			if name, _, end := scanRef(line, i); name != "" {
				mods := TokenMod(0)
				if isBuiltinParam(name) {
					mods = ModReadonly | ModDefaultLibrary
				}
				z.add(parser.Span{Start: parser.Pos{Line: ln, Col: int32(i)}, End: parser.Pos{Line: ln, Col: int32(end)}}, TokParameter, mods)
				i = end - 1
			}
		}
	}
	for _, g := range u.Generators {
		if g.Src != nil {
			continue
		}
		s := g.Span
		if s.Start.Line == s.End.Line {
			line := u.Line(int(s.Start.Line))
			for i := int(s.Start.Col); i < int(s.End.Col) && i < len(line); i++ {
				if line[i] == ')' {
					s.End.Col = int32(i + 1)
					break
				}
			}
		}
		z.add(s, TokMacro, 0)
	}
	for _, in := range u.Inactive {
		rest := in
		for _, c := range u.Conditionals {
			if c.Src == nil && c.Span.Start == in.Start {
				z.add(c.Span, TokMacro, ModDisabled)
				rest.Start = c.Span.End
				line := u.Line(int(rest.Start.Line))
				for int(rest.Start.Col) < len(line) && (line[rest.Start.Col] == ' ' || line[rest.Start.Col] == '\t') {
					rest.Start.Col++
				}
				break
			}
		}
		z.add(rest, TokComment, ModDisabled)
	}
	for _, c := range u.Conditionals {
		if c.Src == nil && c.Active {
			z.add(c.Span, TokMacro, 0)
		}
	}
	for _, c := range u.Comments {
		z.add(c, TokComment, 0)
	}
	for _, n := range u.Nodes {
		z.node(n)
	}
	// Sort and drop overlaps (generated lines repeat their words; the first
	// added wins).
	sort.SliceStable(z.out, func(i, j int) bool {
		a, b := z.out[i], z.out[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Start < b.Start
	})
	kept := z.out[:0]
	for _, t := range z.out {
		if k := len(kept); k > 0 && kept[k-1].Line == t.Line && t.Start < kept[k-1].End {
			continue
		}
		kept = append(kept, t)
	}
	z.out = kept
	return kept
}

// add records a span, split by line (a multi-line span covers its lines to
// their ends).
func (z *tokenizer) add(s parser.Span, typ TokenType, mods TokenMod) {
	for ln := max(s.Start.Line, 0); ln <= s.End.Line && int(ln) < z.u.LineCount(); ln++ {
		a, b := int32(0), int32(len(z.u.Line(int(ln))))
		if ln == s.Start.Line {
			a = s.Start.Col
		}
		if ln == s.End.Line {
			b = min(b, s.End.Col)
		}
		if a < b {
			z.out = append(z.out, SemToken{Line: ln, Start: a, End: b, Type: typ, Mods: mods})
		}
	}
}

// literal reports whether a token is written where its span is, as it is
// (not produced by a $NAME substitution).
func (z *tokenizer) literal(t parser.Token) bool {
	if !t.Is(parser.Expanded) {
		return true
	}
	s := t.Span
	if s.Start.Line != s.End.Line {
		return false
	}
	line := z.u.Line(int(s.Start.Line))
	if s.Start.Col < 0 || int(s.End.Col) > len(line) || s.End.Col < s.Start.Col {
		return false
	}
	text := string(line[s.Start.Col:s.End.Col])
	if text == t.Text {
		return true
	}
	return t.Is(parser.Quoted) && (text == `"`+t.Text+`"` || t.Is(parser.Unclosed) && text == `"`+t.Text)
}

func (z *tokenizer) word(t parser.Token, typ TokenType, mods TokenMod) {
	if z.literal(t) {
		z.add(t.Span, typ, mods)
	}
}

func (z *tokenizer) node(n *parser.Node) {
	if n.Src != nil {
		return
	}
	if n.Kind == parser.Include {
		z.word(n.Keyword, TokMacro, 0)
		if len(n.Args) > 0 {
			z.word(n.Args[0], TokString, 0)
		}
		return // what it read is another file's
	}
	k := n.Schema
	if k == nil {
		// An unknown keyword: only its quoted words are classified.
		z.words(nil, n.Args, false)
		for _, v := range n.Values {
			if v.Src == nil {
				z.words(nil, v.Tokens, false)
			}
		}
	} else {
		var mods TokenMod
		if k.Block != schema.NoBlock {
			mods |= ModBlock
		}
		if k.Deprecated != "" {
			mods |= ModDeprecated
		}
		z.word(n.Keyword, TokKeyword, mods)
		z.words(k.ArgSpecFor(z.target), n.Args, k.Quoted)
		var line *argspec.Spec
		if len(n.Values) > 0 {
			line = k.LineSpecFor(z.target)
		}
		for _, v := range n.Values {
			if v.Src == nil {
				z.words(line, v.Tokens, false)
			}
		}
	}
	for _, c := range n.Children {
		z.node(c)
	}
}

// words classifies the words of a keyword line or value line through the
// argument spec: names defined and referenced, enum values, numbers,
// addresses, the spec's literal words; quoted words otherwise are strings.
// The words of a script line are strings.
func (z *tokenizer) words(spec *argspec.Spec, toks []parser.Token, script bool) {
	if len(toks) == 0 {
		return
	}
	if script {
		for _, t := range toks {
			z.word(t, TokString, 0)
		}
		return
	}
	z.cls = append(z.cls[:0], make([]wordClass, len(toks))...)
	if spec != nil && len(spec.Items) > 0 {
		z.texts = z.texts[:0]
		for _, t := range toks {
			z.texts = append(z.texts, t.Text)
		}
		binds, _ := z.m.Match(spec, z.texts)
		bound := 0
		for _, b := range binds {
			if b.Word < len(toks) {
				z.cls[b.Word] = classify(b.Arg.Type, toks[b.Word].Text)
				bound++
			}
		}
		if bound < len(toks) {
			lits := specLiterals(spec)
			for i, t := range toks {
				if !z.cls[i].ok && lits[t.Text] {
					z.cls[i] = wordClass{typ: TokKeyword, ok: true}
				}
			}
		}
	}
	for i, t := range toks {
		c := z.cls[i]
		if !c.ok && t.Is(parser.Quoted) {
			c = wordClass{typ: TokString, ok: true}
		}
		if c.ok {
			z.word(t, c.typ, c.mods)
		}
	}
}

// classify says what a word bound to an argument of a type is; values that
// do not fit the type are left unclassified.
func classify(t argspec.Type, w string) wordClass {
	fits := func() bool { _, msg := argspec.CheckValue(t, w); return msg == "" }
	switch t.Kind {
	case argspec.TDef:
		return wordClass{typ: TokVariable, mods: ModDeclaration | ModDefinition, ok: true}
	case argspec.TRef:
		return wordClass{typ: TokVariable, ok: true}
	case argspec.TEnum, argspec.TIEnum, argspec.TBool:
		return wordClass{typ: TokEnumMember, ok: fits()}
	case argspec.TInt, argspec.TDecimal, argspec.TTimer, argspec.TPort, argspec.THex32,
		argspec.TIP, argspec.TIP4, argspec.TIP6, argspec.TPrefix, argspec.TMcast:
		return wordClass{typ: TokNumber, ok: fits()}
	case argspec.THost:
		_, err := netip.ParseAddr(w)
		return wordClass{typ: TokNumber, ok: err == nil}
	}
	return wordClass{}
}

// specLiterals returns the literal words of a spec ("dev", "weight", ...).
var specLits sync.Map // *argspec.Spec -> map[string]bool

func specLiterals(spec *argspec.Spec) map[string]bool {
	if v, ok := specLits.Load(spec); ok {
		return v.(map[string]bool)
	}
	lits := map[string]bool{}
	var walk func(items []argspec.Item)
	walk = func(items []argspec.Item) {
		for _, it := range items {
			switch it.Kind {
			case argspec.Literal:
				lits[it.Literal] = true
			case argspec.Optional:
				walk(it.Seq)
			case argspec.Alt:
				for _, a := range it.Alts {
					walk(a)
				}
			}
		}
	}
	walk(spec.Items)
	specLits.Store(spec, lits)
	return lits
}
