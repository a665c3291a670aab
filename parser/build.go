package parser

import (
	"fmt"
	"strings"
	"unsafe"

	"github.com/keepalived-ls/keepalived-ls/parser/schema"
)

// frame is an open block on the builder's stack.
type frame struct {
	node    *Node
	schema  *schema.Keyword // keyword blocks: the keywords allowed inside
	values  bool            // a value block
	include bool            // an include: transparent, cannot be closed by '}'
	kids    int             // where this frame's children start in builder.kids
	vals    int             // where its value lines start in builder.vals
}

// push opens a frame.
func (b *builder) push(f frame) {
	f.kids, f.vals = len(b.kids), len(b.vals)
	b.stack = append(b.stack, f)
}

// pop closes the innermost frame, giving its node exactly sized Children
// and Values.
func (b *builder) pop() frame {
	f := b.stack[len(b.stack)-1]
	b.stack = b.stack[:len(b.stack)-1]
	if k := b.kids[f.kids:]; len(k) > 0 {
		if f.node.Children == nil {
			f.node.Children = b.nodePtrs(k)
		} else {
			f.node.Children = append(f.node.Children, b.nodePtrs(k)...)
		}
		clear(k)
		b.kids = b.kids[:f.kids]
	}
	if v := b.vals[f.vals:]; len(v) > 0 {
		s := b.slabs
		if len(s.vptrs) < len(v) {
			s.vptrs = make([]*ValueLine, max(chunkSize(len(s.vptrChunk), 16, 512), len(v)))
			s.vptrChunk = s.vptrs
			s.alloc.vptrs += len(s.vptrs)
		}
		s.used.vptrs += len(v)
		vs := s.vptrs[:len(v):len(v)]
		s.vptrs = s.vptrs[len(v):]
		copy(vs, v)
		if f.node.Values == nil {
			f.node.Values = vs
		} else {
			f.node.Values = append(f.node.Values, vs...)
		}
		clear(v)
		b.vals = b.vals[:f.vals]
	}
	return f
}

// nodePtrs copies node pointers into a slab slice of exactly that size.
func (b *builder) nodePtrs(k []*Node) []*Node {
	s := b.slabs
	if len(s.ptrs) < len(k) {
		s.ptrs = make([]*Node, max(chunkSize(len(s.ptrChunk), 32, 1024), len(k)))
		s.ptrChunk = s.ptrs
		s.alloc.ptrs += len(s.ptrs)
	}
	s.used.ptrs += len(k)
	out := s.ptrs[:len(k):len(k)]
	s.ptrs = s.ptrs[len(k):]
	copy(out, k)
	return out
}

// builder is keepalived's process_stream(): it matches logical lines
// against the keyword tree and builds nodes, reproducing how keepalived
// itself reads unbalanced or unknown input.
type builder struct {
	rd       *reader
	src      *Source // file of the lines being fed (nil: the document)
	stack    []frame
	floor    int // '}' may not close frames below this (inside an include)
	nodes    []*Node
	needBOB  *Node        // a block keyword waiting for its '{'
	rawDepth int          // keepalived's running brace count
	kids     []*Node      // children of open frames, innermost last
	vals     []*ValueLine // value lines of open frames

	significant  bool  // the last physical line had content
	lastUnknown  *Node // the last keyword keepalived would not know, for messages
	pendingUndef []ParamRef

	diags        []Diagnostic
	comments     []Span
	inactives    []Span
	definitions  []Definition
	refs         []ParamRef
	conditionals []Conditional
	generators   []Generator
	includes     []string // files read, for invalidation
	includeStack []string // files being read, for cycle detection
	includeReads int      // files read through includes (see maxIncludeReads)
	includeBytes int      // and their bytes (see maxIncludeBytes)
	includeOver  bool     // the include budget was reported
	lineDiags    int      // where the current physical line's diagnostics start
	seenDiags    map[diagKey]struct{}
	binaryLines  int

	slabs *slabs
}

// slabs hand out nodes, value lines and tokens in chunks; one set serves
// every unit of a parse.
type slabs struct {
	nodes  []Node
	values []ValueLine
	toks   []Token
	ptrs   []*Node
	vptrs  []*ValueLine
	// The latest chunk of each kind, for rewind.
	nodeChunk  []Node
	valueChunk []ValueLine
	tokChunk   []Token
	ptrChunk   []*Node
	vptrChunk  []*ValueLine
	// Items handed out and allocated, by kind (see Doc.Edit).
	used, alloc slabCounts
}

// slabCounts counts slab items of each kind.
type slabCounts struct{ nodes, values, toks, ptrs, vptrs int }

// bytes is the memory the items take.
func (c slabCounts) bytes() int {
	return c.nodes*int(unsafe.Sizeof(Node{})) + c.values*int(unsafe.Sizeof(ValueLine{})) +
		c.toks*int(unsafe.Sizeof(Token{})) + (c.ptrs+c.vptrs)*int(unsafe.Sizeof(uintptr(0)))
}

// reserve starts slabs holding exactly c items of each kind: a second
// parse of text already parsed once fits them without waste.
func (s *slabs) reserve(c slabCounts) {
	*s = slabs{}
	s.nodes, s.values, s.toks = make([]Node, c.nodes), make([]ValueLine, c.values), make([]Token, c.toks)
	s.ptrs, s.vptrs = make([]*Node, c.ptrs), make([]*ValueLine, c.vptrs)
	s.nodeChunk, s.valueChunk, s.tokChunk, s.ptrChunk, s.vptrChunk = s.nodes, s.values, s.toks, s.ptrs, s.vptrs
	s.alloc = c
}

// chunkSize is the size of the next chunk of a kind after one of prev
// items: chunks start small and double up to most. A parse's slabs stay
// alive as long as any of its units does, and an incremental edit parses
// only a unit or two: full-size first chunks would pin about 70 KB per
// edited unit, most of it unused.
func chunkSize(prev, least, most int) int {
	if prev == 0 {
		return least
	}
	return min(max(prev*2, least), most)
}

// rewind makes the latest chunks available again. Only for streaming,
// where a unit's nodes are dropped once it has been handed out.
func (s *slabs) rewind() {
	s.nodes, s.values, s.toks, s.ptrs, s.vptrs = s.nodeChunk, s.valueChunk, s.tokChunk, s.ptrChunk, s.vptrChunk
}

// newNode returns a zeroed node from the slab.
func (b *builder) newNode() *Node {
	s := b.slabs
	if len(s.nodes) == 0 {
		s.nodes = make([]Node, chunkSize(len(s.nodeChunk), 8, 128))
		s.nodeChunk = s.nodes
		s.alloc.nodes += len(s.nodes)
	}
	s.used.nodes++
	n := &s.nodes[0]
	s.nodes = s.nodes[1:]
	return n
}

// tokens returns a slice of n tokens from the slab.
func (b *builder) tokens(n int) []Token {
	s := b.slabs
	if len(s.toks) < n {
		s.toks = make([]Token, max(chunkSize(len(s.tokChunk), 32, 1024), n))
		s.tokChunk = s.toks
		s.alloc.toks += len(s.toks)
	}
	s.used.toks += n
	t := s.toks[:n:n]
	s.toks = s.toks[n:]
	return t
}

func (b *builder) diag(sev Severity, rule string, span Span, msg string) {
	d := Diagnostic{Src: b.src, Span: span, Severity: sev, Rule: rule, Message: msg}
	if len(b.diags) > b.lineDiags && b.repeated(d) {
		return
	}
	b.diags = append(b.diags, d)
}

// diagKey identifies a diagnostic for repeated.
type diagKey struct {
	src           *Source
	span          Span
	rule, message string
}

// repeated reports whether the physical line being read already has the
// same diagnostic. Expansion repeats them: every brace of a definition's
// value, or every line a generator produces, would otherwise report the same
// problem at the same place again (a 3-byte "$B" line expanding to 1000
// braces gave 1000 identical diagnostics).
func (b *builder) repeated(d Diagnostic) bool {
	key := diagKey{d.Src, d.Span, d.Rule, d.Message}
	line := b.diags[b.lineDiags:]
	if len(line) < 8 {
		for i := range line {
			if x := &line[i]; x.Src == d.Src && x.Span == d.Span && x.Rule == d.Rule && x.Message == d.Message {
				return true
			}
		}
		return false
	}
	if b.seenDiags == nil {
		b.seenDiags = make(map[diagKey]struct{}, 2*len(line))
	}
	if len(b.seenDiags) == 0 {
		for i := range line {
			x := &line[i]
			b.seenDiags[diagKey{x.Src, x.Span, x.Rule, x.Message}] = struct{}{}
		}
	}
	if _, ok := b.seenDiags[key]; ok {
		return true
	}
	b.seenDiags[key] = struct{}{}
	return false
}

// startLine marks the start of a physical line's diagnostics.
func (b *builder) startLine() {
	b.lineDiags = len(b.diags)
	if len(b.seenDiags) > 0 {
		clear(b.seenDiags)
	}
}

func (b *builder) comment(s Span) {
	if b.src == nil {
		b.comments = append(b.comments, s)
	}
}

func (b *builder) inactive(s Span) {
	if b.src == nil {
		b.inactives = append(b.inactives, s)
	}
}

func (b *builder) binaryLine(s Span) {
	b.binaryLines++
	switch {
	case b.binaryLines <= 10:
		b.diag(Error, "binary-content", s, "this line contains a NUL byte: it is not text, and keepalived ignores the line")
	case b.binaryLines == 11:
		b.diag(Error, "binary-content", s, "more lines contain NUL bytes; the file looks binary (further lines not reported)")
	}
}

// clean reports whether the builder is at the top level with nothing pending:
// a unit may end here.
// (keepalived's raw brace count only affects messages, not structure, so
// it does not stop a unit from ending.)
func (b *builder) clean() bool {
	return len(b.stack) == 0 && b.needBOB == nil && b.rd.openDef == ""
}

// semantic returns the innermost non-include frame, or nil at the top level.
func (b *builder) semantic() *frame {
	for i := len(b.stack) - 1; i >= 0; i-- {
		if !b.stack[i].include {
			return &b.stack[i]
		}
	}
	return nil
}

func (b *builder) inValues() bool {
	f := b.semantic()
	return f != nil && f.values
}

// attach adds a node to the innermost open block (or the top level).
func (b *builder) attach(n *Node) {
	if len(b.stack) == 0 {
		b.nodes = append(b.nodes, n)
		return
	}
	b.kids = append(b.kids, n)
}

func (b *builder) addValue(ll *logical) {
	s := b.slabs
	if len(s.values) == 0 {
		s.values = make([]ValueLine, chunkSize(len(s.valueChunk), 8, 128))
		s.valueChunk = s.values
		s.alloc.values += len(s.values)
	}
	s.used.values++
	v := &s.values[0]
	s.values = s.values[1:]
	*v = ValueLine{Src: b.src, Tokens: ll.toks}
	b.vals = append(b.vals, v)
}

// undefined reports $NAME references with no definition; script-line
// keywords are exempt (their shell may mean its own variables).
func (b *builder) undefined(ll *logical, kw *schema.Keyword) {
	if kw != nil && kw.Quoted {
		return
	}
	for _, u := range ll.undef {
		b.diag(Warning, "undefined-parameter", u.Span, fmt.Sprintf(
			"'%s' is not defined before this line; keepalived leaves the text as written", u.Name))
	}
}

// unclosed reports a quoted word whose closing quote is missing, unless the
// line already has that diagnostic or keepalived re-reads the word itself
// (script lines since 2.3.0).
func (b *builder) unclosed(ll *logical, kw *schema.Keyword) {
	if b.rd.unclosed {
		return
	}
	for i, t := range ll.toks {
		if !t.Is(Unclosed) {
			continue
		}
		if i > 0 && kw != nil && kw.Quoted && (b.rd.opts.Version.IsNewest() || !b.rd.opts.Version.Less(kw.QuotedSince)) {
			return
		}
		b.rd.unclosed = true
		b.diag(Error, "unterminated-quote", t.Span, "this quoted word has no closing '\"': keepalived drops the rest of the line")
		return
	}
}

func (b *builder) feed(ll *logical) {
	if ll.include != nil {
		b.undefined(ll, nil)
		b.include(ll.include)
		return
	}
	tok := ll.toks[0]
	switch ll.brace {
	case '{':
		b.rawDepth++
		if n := b.needBOB; n != nil {
			b.needBOB = nil
			n.Open = tok.Span.Start
			n.Flags |= HasOpen
			return
		}
		if b.inValues() {
			b.addValue(ll)
			b.diag(Error, "unbalanced-braces", tok.Span,
				"a value block cannot contain '{': keepalived reads it as a value, and the braces of the file no longer balance")
			return
		}
		msg := "unexpected '{': no block keyword comes before it, so keepalived ignores it"
		if u := b.lastUnknown; u != nil && u.Src == b.src && tok.Span.Start.Line-u.Keyword.Span.Start.Line <= 1 {
			msg = fmt.Sprintf("unexpected '{': keepalived does not know '%s' here, so it ignores this '{' and reads the lines that follow at the top level", u.Keyword.Text)
			if f := b.semantic(); f != nil {
				where := "'" + f.node.Keyword.Text + "'"
				msg = fmt.Sprintf("unexpected '{': keepalived does not know '%s' here, so it ignores this '{', reads the lines that follow as part of %s, and the matching '}' ends %s",
					u.Keyword.Text, where, where)
			}
		}
		b.diag(Error, "unbalanced-braces", tok.Span, msg)
		return
	case '}':
		b.rawDepth--
		extra := b.rawDepth < 0
		if extra {
			b.rawDepth = 0
		}
		if n := b.needBOB; n != nil {
			b.needBOB = nil
			b.missingOpen(n, tok.Span)
		}
		if len(b.stack) > b.floor {
			f := b.pop()
			f.node.Close = tok.Span.Start
			f.node.Flags |= HasClose
			if extra {
				b.diag(Error, "unbalanced-braces", tok.Span, fmt.Sprintf(
					"this '}' has no matching '{' (keepalived still ends '%s' here)", f.node.Keyword.Text))
			}
			return
		}
		if b.floor > 0 && b.semantic() != nil {
			b.diag(Error, "unbalanced-braces", tok.Span,
				"this '}' would close a block opened outside this included file; keepalived-ls ignores it")
			return
		}
		b.diag(Error, "unbalanced-braces", tok.Span, "unexpected '}': no block is open here")
		return
	}
	if n := b.needBOB; n != nil {
		b.needBOB = nil
		b.missingOpen(n, ll.textSpan)
	}
	if b.inValues() {
		b.undefined(ll, nil)
		b.unclosed(ll, nil)
		b.addValue(ll)
		return
	}
	parent := schema.Top
	if f := b.semantic(); f != nil {
		parent = f.schema
	}
	kw := parent.Child(tok.Text)
	var flags NodeFlags
	if kw != nil {
		tok.Text = kw.Name // share the schema's string
		if !kw.AvailableIn(b.rd.opts.Version) {
			// The target release does not know it: it reads like an
			// unknown keyword (a '{' after it is unexpected).
			flags = Unavailable
		}
	}
	n := b.newNode()
	*n = Node{Src: b.src, Keyword: tok, Args: ll.toks[1:], Schema: kw, Flags: flags}
	if len(n.Args) == 0 {
		n.Args = nil
	}
	b.undefined(ll, kw)
	b.unclosed(ll, kw)
	b.attach(n)
	b.lastUnknown = nil
	if kw == nil || flags&Unavailable != 0 {
		b.lastUnknown = n
		return
	}
	if kw.Name == "include_check" {
		b.rd.includeCheckSet(n.Args) // how strictly later includes are checked
	}
	if kw.Quoted && len(n.Args) > 0 {
		n.ext = &nodeExt{raw: strings.TrimLeft(ll.text[rawKeywordLen(ll):], " \t\f\v")}
	}
	switch kw.Block {
	case schema.KeywordBlock:
		n.Kind = Block
		b.push(frame{node: n, schema: kw})
		b.needBOB = n
	case schema.ValueBlock:
		n.Kind = ValueBlock
		b.push(frame{node: n, values: true})
		b.needBOB = n
	}
}

// rawKeywordLen is the length of the first word as written in ll.text.
func rawKeywordLen(ll *logical) int {
	t := ll.toks[0]
	if t.Is(Quoted) {
		if i := strings.IndexByte(ll.text[1:], '"'); i >= 0 {
			return i + 2
		}
		return len(ll.text)
	}
	i := strings.IndexAny(ll.text, " \t\f\v\"")
	if i < 0 {
		return len(ll.text)
	}
	return i
}

// missingOpen reports a block keyword whose '{' never came: keepalived then
// reads the following lines as the block's content.
func (b *builder) missingOpen(n *Node, at Span) {
	n.Flags |= MissingOpen
	if n.Kind == ValueBlock && len(n.Args) > 0 {
		list := make([]string, len(n.Args))
		for i, a := range n.Args {
			list[i] = a.Text
		}
		d := Diagnostic{Src: n.Src, Span: n.LineSpan(), Severity: Error, Rule: "value-list-without-braces",
			Message: fmt.Sprintf("the values of '%s' must be inside braces: keepalived ignores '%s' here and reads the following lines as values up to the next '}'",
				n.Keyword.Text, strings.Join(list, " "))}
		if n.Src == b.src {
			// One entry when the words form a valid line of the block,
			// else one entry per word (a list of addresses, say).
			entries := []string{strings.Join(list, " ")}
			if spec := n.Schema.LineSpec(); spec != nil {
				if _, probs := spec.Match(list); len(probs) > 0 {
					entries = list
				}
			}
			indent := strings.Repeat(" ", int(n.Keyword.Span.Start.Col))
			body := ""
			for _, e := range entries {
				body += "\n" + indent + "    " + e
			}
			d.Fixes = []Fix{{Title: fmt.Sprintf("Put the values of '%s' in braces", n.Keyword.Text), Preferred: true,
				Edits: []Edit{{Src: n.Src, Span: Span{n.Keyword.Span.End, n.Args[len(n.Args)-1].Span.End},
					NewText: " {" + body + "\n" + indent + "}"}}}}
		}
		b.diags = append(b.diags, d)
		return
	}
	b.diags = append(b.diags, Diagnostic{Src: b.src, Span: at, Severity: Error, Rule: "unbalanced-braces",
		Message: fmt.Sprintf("missing '{' after '%s': keepalived reads what follows as its content", n.Keyword.Text),
		Related: []Related{{Src: n.Src, Span: n.LineSpan(), Message: "the block that needs '{'"}}})
}

// closeAll reports the blocks still open at the end of a file (down to floor).
func (b *builder) closeAll(floor int) {
	if n := b.needBOB; n != nil && len(b.stack) > floor && b.stack[len(b.stack)-1].node == n {
		b.needBOB = nil
		n.Flags |= MissingOpen
		b.diags = append(b.diags, Diagnostic{Src: n.Src, Span: n.LineSpan(), Severity: Error, Rule: "unbalanced-braces",
			Message: fmt.Sprintf("'%s' needs a '{ ... }' block, but the file ends here", n.Keyword.Text)})
		b.pop()
	}
	for len(b.stack) > floor {
		f := b.pop()
		if f.include {
			continue
		}
		n := f.node
		b.diags = append(b.diags, Diagnostic{Src: n.Src, Span: n.LineSpan(), Severity: Error, Rule: "unbalanced-braces",
			Message: fmt.Sprintf("'%s' is never closed: a '}' is missing", n.Keyword.Text)})
	}
}
