package analysis

import (
	"sort"

	"github.com/keepalived-ls/keepalived-ls/parser"
)

// The structure of a document for the editor: folding ranges, selection
// ranges and links to included files. Positions are absolute lines of the
// document and byte columns; only the document's own text is described
// (nodes read from included files are skipped).

// Limits on huge documents. A document is huge when it has more than
// HugeLines lines or more than HugeBytes bytes; the features whose output
// grows with the document (semantic tokens, folding ranges, the outline)
// then return only their first items. This is the one place these numbers
// are set.
const (
	HugeLines      = 100_000
	HugeBytes      = 5 << 20
	HugeMaxFolds   = 5_000   // folding ranges of a huge document (VS Code shows at most 5,000)
	HugeMaxTokens  = 200_000 // semantic tokens of a huge document (about 70,000 lines of configuration)
	HugeMaxSymbols = 10_000  // outline entries of a document (see CapOutline)
)

// CapOutline keeps at most limit entries of an outline, level by level:
// every top-level entry first (as far as the limit allows), then their
// children in document order, then grandchildren, so that a huge
// document's outline still lists all its instances and virtual servers.
// It reports whether entries were left out. The items are not modified.
func CapOutline(items []OutlineItem, limit int) ([]OutlineItem, bool) {
	// The number of entries at each depth.
	var widths []int
	var count func([]OutlineItem, int)
	count = func(l []OutlineItem, depth int) {
		if len(l) == 0 {
			return
		}
		if depth == len(widths) {
			widths = append(widths, 0)
		}
		widths[depth] += len(l)
		for i := range l {
			count(l[i].Children, depth+1)
		}
	}
	count(items, 0)
	total := 0
	for _, w := range widths {
		total += w
	}
	if total <= limit {
		return items, false
	}
	budget := make([]int, len(widths))
	left := limit
	for d, w := range widths {
		budget[d] = min(w, left)
		left -= budget[d]
	}
	var cut func(l []OutlineItem, depth int) []OutlineItem
	cut = func(l []OutlineItem, depth int) []OutlineItem {
		if depth >= len(budget) || budget[depth] == 0 {
			return nil
		}
		n := min(len(l), budget[depth])
		budget[depth] -= n
		out := make([]OutlineItem, n)
		for i, it := range l[:n] {
			it.Children = cut(it.Children, depth+1)
			out[i] = it
		}
		return out
	}
	return cut(items, 0), true
}

// IsHuge reports whether a document is above the size limits.
func IsHuge(d *parser.Doc) bool { return d.LineCount() > HugeLines || d.Size() > HugeBytes }

// FoldKind says what a folding range folds.
type FoldKind uint8

const (
	FoldRegion  FoldKind = iota // a block
	FoldComment                 // a run of full-line comments
	FoldImports                 // a run of include lines
)

func (k FoldKind) String() string { return [...]string{"region", "comment", "imports"}[k] }

// Fold is a foldable range. Start is where the fold begins (after the
// block's '{', or the end of the keyword line); End is the closing brace
// when Closed, else the end of the last folded line.
type Fold struct {
	Start, End parser.Pos
	Kind       FoldKind
	Closed     bool // End is a '}' that should stay visible
}

// FoldingRanges lists the folding ranges of a document, ordered by start:
// every block that spans several lines (from its keyword line to its
// closing brace), runs of two or more full-line comments, and runs of two
// or more consecutive include lines.
func FoldingRanges(d *parser.Doc) []Fold {
	var folds []Fold
	var includes []int32 // lines of include directives
	var comments []parser.Span
	for ui, u := range d.Units() {
		base := d.UnitLine(ui)
		var walk func(nodes []*parser.Node)
		walk = func(nodes []*parser.Node) {
			for _, n := range nodes {
				if n.Src != nil {
					continue
				}
				switch n.Kind {
				case parser.Include:
					includes = append(includes, base+n.Keyword.Span.Start.Line)
					continue // what it read is another file's
				case parser.Block, parser.ValueBlock:
					if f, ok := blockFold(n); ok {
						f.Start.Line += base
						f.End.Line += base
						folds = append(folds, f)
					}
				}
				walk(n.Children)
			}
		}
		walk(u.Nodes)
		for _, c := range u.Comments {
			if fullLineComment(u, c) {
				comments = append(comments, c.Shift(base))
			}
		}
	}
	// Runs of full-line comments on consecutive lines.
	for i := 0; i < len(comments); {
		j := i + 1
		for j < len(comments) && comments[j].Start.Line == comments[j-1].Start.Line+1 {
			j++
		}
		if j-i >= 2 {
			folds = append(folds, Fold{Start: comments[i].Start, End: comments[j-1].End, Kind: FoldComment})
		}
		i = j
	}
	// Runs of include lines.
	for i := 0; i < len(includes); {
		j := i + 1
		for j < len(includes) && includes[j] <= includes[j-1]+1 {
			j++
		}
		if includes[j-1] > includes[i] {
			first, last := includes[i], includes[j-1]
			folds = append(folds, Fold{Start: parser.Pos{Line: first, Col: int32(len(d.Line(int(first))))},
				End: parser.Pos{Line: last, Col: int32(len(d.Line(int(last))))}, Kind: FoldImports})
		}
		i = j
	}
	sort.SliceStable(folds, func(i, j int) bool {
		a, b := folds[i], folds[j]
		if a.Start.Line != b.Start.Line {
			return a.Start.Line < b.Start.Line
		}
		return b.End.Less(a.End) // the larger first
	})
	return folds
}

// blockFold returns the fold of a block (unit-relative lines).
func blockFold(n *parser.Node) (Fold, bool) {
	line := n.LineSpan()
	start := line.End
	if n.Flags&parser.HasOpen != 0 && n.Open.Line == line.End.Line {
		start = n.OpenSpan().End
	}
	f := Fold{Start: start, Kind: FoldRegion}
	if n.Flags&parser.HasClose != 0 {
		f.End, f.Closed = n.Close, true
	} else {
		f.End = n.Span().End
	}
	if f.End.Line <= f.Start.Line {
		return Fold{}, false
	}
	return f, true
}

// fullLineComment reports whether a comment is alone on its line.
func fullLineComment(u *parser.Unit, c parser.Span) bool {
	line := u.Line(int(c.Start.Line))
	for _, b := range line[:min(int(c.Start.Col), len(line))] {
		if b != ' ' && b != '\t' {
			return false
		}
	}
	return true
}

// SelectionRanges returns the ranges that grow from an absolute position:
// the word there (keyword, argument, value, $NAME reference, comment), its
// line, the block it is in and each block around that, the unit (the
// top-level statement with the comments before it) and the whole document.
// Each span contains the one before it; equal spans are given once.
func SelectionRanges(d *parser.Doc, line, col int) []parser.Span {
	if d.LineCount() == 0 {
		return nil
	}
	line = max(0, min(line, d.LineCount()-1))
	col = max(0, min(col, len(d.Line(line))))
	ui := unitIndex(d, line)
	u := d.Units()[ui]
	base := d.UnitLine(ui)
	p := parser.Pos{Line: int32(line) - base, Col: int32(col)}

	// The chain of nodes around p, outermost first.
	var chain []*parser.Node
	nodes := u.Nodes
	for {
		var in *parser.Node
		for _, n := range nodes {
			if n.Src == nil && n.Span().Contains(p) {
				in = n
			}
		}
		if in == nil {
			break
		}
		chain = append(chain, in)
		if in.Kind == parser.Include {
			break
		}
		nodes = in.Children
	}

	var spans []parser.Span // unit-relative, innermost first
	if w, ok := wordAt(u, chain, p); ok {
		spans = append(spans, w)
	}
	if ls, ok := lineContent(u, p.Line); ok && ls.Contains(p) {
		spans = append(spans, ls)
	}
	for i := len(chain) - 1; i >= 0; i-- {
		spans = append(spans, chain[i].Span())
	}
	last := int32(u.LineCount() - 1)
	spans = append(spans, parser.Span{End: parser.Pos{Line: last, Col: int32(len(u.Line(int(last))))}})

	out := make([]parser.Span, 0, len(spans)+1)
	add := func(s parser.Span) {
		if len(out) > 0 {
			prev := out[len(out)-1]
			if s == prev || !s.Contains(prev.Start) || !s.Contains(prev.End) {
				return
			}
		}
		out = append(out, s)
	}
	for _, s := range spans {
		add(s.Shift(base))
	}
	end := int32(d.LineCount() - 1)
	add(parser.Span{End: parser.Pos{Line: end, Col: int32(len(d.Line(int(end))))}})
	return out
}

// unitIndex returns the index of the unit holding an absolute line.
func unitIndex(d *parser.Doc, line int) int {
	n := len(d.Units())
	i := sort.Search(n, func(i int) bool { return int(d.UnitLine(i)) > line }) - 1
	return max(i, 0)
}

// wordAt finds the word at p: a $NAME reference, a comment, an @ID prefix,
// or a word of the innermost node of chain.
func wordAt(u *parser.Unit, chain []*parser.Node, p parser.Pos) (parser.Span, bool) {
	for _, r := range u.Refs {
		if r.Src == nil && r.Span.Contains(p) {
			return r.Span, true
		}
	}
	for _, c := range u.Comments {
		if c.Contains(p) {
			return c, true
		}
	}
	for _, c := range u.Conditionals {
		if c.Src == nil && c.Span.Contains(p) {
			return c.Span, true
		}
	}
	if len(chain) == 0 {
		return parser.Span{}, false
	}
	n := chain[len(chain)-1]
	if n.Keyword.Span.Contains(p) {
		return n.Keyword.Span, true
	}
	for _, a := range n.Args {
		if a.Span.Contains(p) {
			return a.Span, true
		}
	}
	for _, v := range n.Values {
		if v.Src != nil {
			continue
		}
		for _, t := range v.Tokens {
			if t.Span.Contains(p) {
				return t.Span, true
			}
		}
	}
	return parser.Span{}, false
}

// lineContent covers a line of a unit from its first to its last non-blank
// byte.
func lineContent(u *parser.Unit, ln int32) (parser.Span, bool) {
	text := u.Line(int(ln))
	a, b := 0, len(text)
	for a < b && (text[a] == ' ' || text[a] == '\t') {
		a++
	}
	for b > a && (text[b-1] == ' ' || text[b-1] == '\t') {
		b--
	}
	if a == b {
		return parser.Span{}, false
	}
	return parser.Span{Start: parser.Pos{Line: ln, Col: int32(a)}, End: parser.Pos{Line: ln, Col: int32(b)}}, true
}

// Link is an include pattern and the files it read, in keepalived's order.
type Link struct {
	Span  parser.Span // the pattern (absolute)
	Files []string
}

// DocumentLinks lists the include directives of the document that read at
// least one file.
func DocumentLinks(d *parser.Doc) []Link {
	var links []Link
	for ui, u := range d.Units() {
		base := d.UnitLine(ui)
		var walk func(nodes []*parser.Node)
		walk = func(nodes []*parser.Node) {
			for _, n := range nodes {
				if n.Src != nil {
					continue
				}
				if n.Kind == parser.Include {
					files := n.Files()
					if len(files) > 0 && len(n.Args) > 0 {
						l := Link{Span: n.Args[0].Span.Shift(base)}
						for _, f := range files {
							l.Files = append(l.Files, f.Source.Path)
						}
						links = append(links, l)
					}
					continue
				}
				walk(n.Children)
			}
		}
		walk(u.Nodes)
	}
	return links
}
