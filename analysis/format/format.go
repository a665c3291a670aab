// Package format lays out keepalived configuration files canonically:
// indentation by block depth, one statement per line, "keyword args {" with
// the brace on the keyword line, closing braces on their own line, single
// spaces between words and at most one blank line in a row.
//
// The formatter only makes changes that keepalived cannot tell apart. It
// changes blanks around words, moves lines apart at braces (keepalived
// splits a line at its first brace and reads the rest as a new line anyway)
// and joins a lone "{" to its keyword line. It keeps as written:
//
//   - every comment (a trailing comment follows the last line made from its
//     line, after one space);
//   - quoted strings, byte for byte;
//   - the entries of value blocks and script lines (notify, script, ...),
//     whose spacing keepalived may read;
//   - lines keepalived processes as a whole before splitting braces:
//     $NAME definitions and the continuation lines of multi-line ones, @ID
//     conditional lines, ~SEQ/~LST generators, include lines, and every line
//     with a $NAME reference or a backslash (only their indentation
//     changes);
//   - whole top-level statements that have syntax errors (unbalanced braces,
//     unterminated quotes, over-long lines, ...): their text is left exactly
//     as it is, see Result.Skipped.
//
// The package works on text and parser trees only; the language server and
// the command line turn its results into edits and files.
package format

import (
	"bytes"
	"io/fs"
	"strings"

	"github.com/keepalived-ls/keepalived-ls/parser"
	"github.com/keepalived-ls/keepalived-ls/parser/schema"
)

// Options control the layout.
type Options struct {
	// TabSize is the number of spaces per level when indenting with
	// spaces; 0 means 4.
	TabSize int
	// UseTabs indents with one tab per level.
	UseTabs bool
}

func (o Options) unit() []byte {
	if o.UseTabs {
		return []byte{'\t'}
	}
	n := o.TabSize
	if n <= 0 {
		n = 4
	}
	return bytes.Repeat([]byte{' '}, n)
}

// Region is a part of a file the formatter left as written.
type Region struct {
	StartLine, EndLine int    // 0-based, inclusive
	Line               int    // 0-based line of the first problem
	Rule               string // its rule id
}

// Result is a formatted document.
type Result struct {
	src     []byte
	starts  []int32 // offset of each line of src
	out     []byte
	spans   []int32 // out[spans[i]:spans[i+1]] replaces line i
	skipped []Region
}

// Format returns the formatted text.
func Format(text []byte, opts Options) []byte { return Document(text, opts).Text() }

// FormatRange returns the text with lines startLine to endLine (0-based,
// inclusive) formatted; the other lines are unchanged.
func FormatRange(text []byte, startLine, endLine int, opts Options) []byte {
	return Range(text, startLine, endLine, opts).Text()
}

// Document formats a whole document.
func Document(text []byte, opts Options) *Result { return run(text, 0, -1, opts) }

// Range formats lines startLine to endLine (0-based, inclusive). Lines
// outside the range are kept as they are; their content still decides the
// indentation inside it.
func Range(text []byte, startLine, endLine int, opts Options) *Result {
	if endLine < startLine {
		startLine, endLine = endLine, startLine
	}
	return run(text, max(startLine, 0), endLine+1, opts)
}

// Text returns the formatted text.
func (r *Result) Text() []byte { return r.out }

// Changed reports whether formatting changed the text.
func (r *Result) Changed() bool { return !bytes.Equal(r.src, r.out) }

// Skipped lists the top-level statements left as written because of
// syntax errors, in order.
func (r *Result) Skipped() []Region { return r.skipped }

// Edits returns the changes as edits of whole lines of the original text
// (spans with byte columns), in order and not overlapping: each replaces a
// run of consecutive changed lines.
func (r *Result) Edits() []parser.Edit {
	var edits []parser.Edit
	n := len(r.starts)
	for i := 0; i < n; {
		if r.same(i) {
			i++
			continue
		}
		j := i + 1
		for j < n && !r.same(j) {
			j++
		}
		end := parser.Pos{Line: int32(j)}
		if j == n {
			end = parser.Pos{Line: int32(n - 1), Col: int32(len(r.content(n - 1)))}
			if end.Line < int32(i) {
				end = parser.Pos{Line: int32(i)}
			}
		}
		start := parser.Pos{Line: int32(i)}
		edits = append(edits, parser.Edit{Span: parser.Span{Start: start, End: end},
			NewText: string(r.out[r.spans[i]:r.spans[j]])})
		i = j
	}
	return edits
}

// raw returns line i with its line ending.
func (r *Result) raw(i int) []byte {
	end := len(r.src)
	if i+1 < len(r.starts) {
		end = int(r.starts[i+1])
	}
	return r.src[r.starts[i]:end]
}

// content returns line i without its line ending (as the parser's lines).
func (r *Result) content(i int) []byte {
	b := r.raw(i)
	b = bytes.TrimSuffix(b, []byte{'\n'})
	return bytes.TrimSuffix(b, []byte{'\r'})
}

func (r *Result) same(i int) bool { return bytes.Equal(r.out[r.spans[i]:r.spans[i+1]], r.raw(i)) }

// lineStarts indexes the lines of text like the parser: a text ending in a
// newline has a last, empty line.
func lineStarts(text []byte) []int32 {
	starts := make([]int32, 1, bytes.Count(text, []byte{'\n'})+1)
	for i, c := range text {
		if c == '\n' {
			starts = append(starts, int32(i+1))
		}
	}
	return starts
}

// noFS answers every include with "not found": the layout of a file never
// depends on the files it includes (their braces stay inside them).
type noFS struct{}

func (noFS) ReadFile(string) ([]byte, error)       { return nil, fs.ErrNotExist }
func (noFS) Stat(string) (fs.FileInfo, error)      { return nil, fs.ErrNotExist }
func (noFS) Glob(pattern string) ([]string, error) { return nil, nil }

// parse reads text the way the formatter sees it: the newest reader, no
// config id, no included files.
func parse(text []byte) *parser.Doc {
	return parser.Parse("", text, parser.Options{FS: noFS{}, Dir: "/"})
}

// scriptWords are keywords whose line keepalived re-reads as written
// (script lines); their words keep their spacing wherever they appear.
var scriptWords = func() map[string]bool {
	m := map[string]bool{}
	for _, k := range schema.All() {
		if k.Quoted {
			m[k.Name] = true
		}
	}
	return m
}()

// blocking reports a parser diagnostic that makes the formatter leave its
// statement alone: an error about the structure or reading of the text.
// Include problems do not affect the layout of the including file.
func blocking(d parser.Diagnostic) bool {
	return d.Src == nil && d.Severity == parser.Error && !strings.HasPrefix(d.Rule, "include-")
}

// event is a brace of the tree as the parser read it.
type event struct {
	line, col int32
	open      bool
	kind      parser.NodeKind
	node      *parser.Node
}

// events lists the braces of a unit's own nodes in document order. A block
// whose '{' is missing opens where its keyword line ends, as keepalived
// reads it.
func events(nodes []*parser.Node, out []event) []event {
	for _, n := range nodes {
		if n.Src != nil {
			continue
		}
		switch {
		case n.Flags&parser.HasOpen != 0:
			out = append(out, event{line: n.Open.Line, col: n.Open.Col, open: true, kind: n.Kind, node: n})
		case n.Flags&parser.MissingOpen != 0 && (n.Kind == parser.Block || n.Kind == parser.ValueBlock):
			e := n.LineSpan().End
			out = append(out, event{line: e.Line, col: e.Col, open: true, kind: n.Kind, node: n})
		}
		out = events(n.Children, out)
		if n.Flags&parser.HasClose != 0 {
			out = append(out, event{line: n.Close.Line, col: n.Close.Col, kind: n.Kind, node: n})
		}
	}
	return out
}

// continuations marks the lines keepalived may read as continuation lines of
// a multi-line $NAME definition, with the current reader or the one before
// 2.4.0 (their comment handling differs). Both are followed; a line counts
// when either reader continues a definition there. Such lines are kept as
// written: a line of blanks in a definition neither ends nor adds to it,
// while an empty line ends it.
func continuations(text []byte, starts []int32) []bool {
	cont := make([]bool, len(starts))
	var open [2]bool // current reader, legacy reader
	for i := range starts {
		line := lineContent(text, starts, i)
		cont[i] = open[0] || open[1]
		if len(line) == 0 {
			open = [2]bool{}
			continue
		}
		if !cont[i] && bytes.IndexByte(line, '$') < 0 {
			continue
		}
		hasSlash := bytes.IndexByte(line, '\\') >= 0
		for v := range open {
			if !hasSlash {
				if open[v] {
					// A line without a backslash ends the definition
					// unless it holds no text.
					open[v] = len(decomment(line, v == 1)) == 0
				}
				continue
			}
			t := decomment(line, v == 1)
			if open[v] {
				open[v] = len(t) == 0 || t[len(t)-1] == '\\'
			} else {
				open[v] = bytes.IndexByte(t, '$') >= 0 && t[len(t)-1] == '\\'
			}
		}
	}
	return cont
}

// lineContent returns line i without its line ending.
func lineContent(text []byte, starts []int32, i int) []byte {
	end := len(text)
	if i+1 < len(starts) {
		end = int(starts[i+1]) - 1
	}
	b := text[starts[i]:end]
	if n := len(b); n > 0 && b[n-1] == '\r' {
		b = b[:n-1]
	}
	return b
}

// formatter holds the state of one run over a document.
type formatter struct {
	r        *Result
	opts     Options
	unitInd  []byte
	eol      []byte
	cont     []bool
	from, to int // lines to format: [from, to)
	last     int // last line with content; blank lines after it are dropped

	// Output state, saved and restored around a unit.
	empty   bool // the last line written is empty
	written bool // a line with content was written

	// Per unit.
	depth     []parser.NodeKind // open blocks
	evs       []event
	ev        int // next event
	pieces    []piece
	words     []word
	line      []byte // the output line being built
	lineAt    int    // indentation depth of line; -1: no line pending
	lastStart int    // where the last line written starts in the output
	lastDepth int    // and its depth
	fail      string // why the unit could not be laid out
}

func run(text []byte, from, to int, opts Options) *Result {
	r := &Result{src: text, starts: lineStarts(text)}
	n := len(r.starts)
	if to < 0 || to > n {
		to = n
	}
	f := &formatter{r: r, opts: opts, unitInd: opts.unit(), from: from, to: to, lineAt: -1}
	f.eol = []byte{'\n'}
	if i := bytes.IndexByte(text, '\n'); i > 0 && text[i-1] == '\r' {
		f.eol = []byte("\r\n")
	}
	f.cont = continuations(text, r.starts)
	f.last = -1
	for i := n - 1; i >= 0; i-- {
		if !isBlankLine(r.content(i)) || f.cont[i] {
			f.last = i
			break
		}
	}
	r.out = make([]byte, 0, len(text)+len(text)/8)
	r.spans = make([]int32, n+1)
	doc := parse(text)
	for k, u := range doc.Units() {
		first := int(doc.UnitLine(k))
		f.unit(u, first, min(first+u.LineCount(), n))
	}
	r.spans[n] = int32(len(r.out))
	return r
}

// unit formats the lines [first, end) of one unit, or copies them when the
// unit has syntax errors, is outside the range, or does not read the way
// the formatter expects.
func (f *formatter) unit(u *parser.Unit, first, end int) {
	if end <= f.from || first >= f.to {
		f.verbatim(first, end)
		return
	}
	for _, d := range u.Diags {
		if blocking(d) {
			f.skip(first, end, first+int(d.Span.Start.Line), d.Rule)
			return
		}
	}
	for _, n := range u.Nodes {
		if n.Src == nil && n.Schema == nil && n.Kind != parser.Include {
			// A keyword keepalived does not know at the top level: usually
			// the rest of a block a stray '}' closed too early. Its layout
			// waits until the braces are fixed.
			f.skip(first, end, first+int(n.Keyword.Span.Start.Line), "unknown-keyword")
			return
		}
	}
	src := f.r.src
	if end == len(f.r.starts) && len(src) > 0 && src[len(src)-1] == '\r' {
		// A last line ending in a lone '\r': positions (the parser's, the
		// editor's) cannot address that byte, so edits could not keep it.
		f.skip(first, end, end-1, "unusual-whitespace")
		return
	}
	for i := first; i < end; i++ {
		if weird(f.r.content(i)) {
			f.skip(first, end, i, "unusual-whitespace")
			return
		}
	}
	mark, empty, written := len(f.r.out), f.empty, f.written
	f.fail = ""
	if f.layout(u, first, end) {
		return
	}
	// A line would become too long, or the text did not line up with the
	// tree: keep the unit as written.
	f.r.out = f.r.out[:mark]
	f.empty, f.written = empty, written
	if f.fail == "" {
		f.fail = "unexpected-structure"
	}
	f.skip(first, end, first, f.fail)
}

func (f *formatter) skip(first, end, line int, rule string) {
	f.r.skipped = append(f.r.skipped, Region{StartLine: first, EndLine: end - 1, Line: line, Rule: rule})
	f.verbatim(first, end)
}

// verbatim copies lines as they are.
func (f *formatter) verbatim(first, end int) {
	for i := first; i < end; i++ {
		f.r.spans[i] = int32(len(f.r.out))
		raw := f.r.raw(i)
		f.r.out = append(f.r.out, raw...)
		f.noteWritten(f.r.content(i), len(raw) > 0)
	}
}

func (f *formatter) noteWritten(content []byte, present bool) {
	if !present {
		return
	}
	f.empty = len(content) == 0
	if !isBlankLine(content) {
		f.written = true
	}
}

// layout formats a unit. It returns false when a line would become too
// long or the text and the parser's tree disagree about the braces.
func (f *formatter) layout(u *parser.Unit, first, end int) bool {
	f.evs = events(u.Nodes, f.evs[:0])
	f.ev, f.lineAt = 0, -1
	f.depth = f.depth[:0]
	join := -1 // column of the words that end the previous line, when a '{' may join them
	for i := first; i < end; i++ {
		f.r.spans[i] = int32(len(f.r.out))
		rel := int32(i - first)
		content := f.r.content(i)
		if i < f.from || i >= f.to {
			// Outside the range: copy, keeping track of the blocks.
			for f.ev < len(f.evs) && f.evs[f.ev].line == rel {
				f.apply(f.evs[f.ev], true)
				f.ev++
			}
			raw := f.r.raw(i)
			f.r.out = append(f.r.out, raw...)
			f.noteWritten(content, len(raw) > 0)
			join = -1
			continue
		}
		prevJoin := join
		join = -1
		switch {
		case i == len(f.r.starts)-1 && len(content) == 0:
			// The empty last line of a text ending in a newline.
		case f.cont[i] && isBlankLine(content):
			// Blanks inside a multi-line definition: they must not become
			// an empty line, which would end it.
			f.r.out = append(f.r.out, content...)
			f.r.out = append(f.r.out, f.eol...)
			f.noteWritten(content, true)
		case isBlankLine(content):
			if f.written && !f.empty && i < f.last {
				f.r.out = append(f.r.out, f.eol...)
				f.empty = true
			}
		case f.cont[i] || special(trimLeft(content)) || keptAsWritten(content):
			if !f.verbatimLine(rel, f.cont[i], content) {
				return false
			}
		default:
			ok, j := f.plain(i, rel, content, prevJoin)
			if !ok {
				return false
			}
			join = j
		}
		if f.ev < len(f.evs) && f.evs[f.ev].line <= rel {
			return false // a brace the line did not account for
		}
	}
	return f.ev == len(f.evs)
}

// keptAsWritten reports a line whose text keepalived reads as a whole or
// whose spacing may matter: backslashes (escapes, continuation), $NAME
// references, an unterminated quote.
func keptAsWritten(content []byte) bool {
	if bytes.IndexByte(content, '\\') >= 0 {
		return true
	}
	code, _, _, open := cut(content)
	return open || bytes.IndexByte(code, '$') >= 0
}

// verbatimLine writes a line whose content is kept: indented at the lowest
// depth its braces reach (continuation lines one level deeper), trailing
// blanks removed unless it has a backslash.
func (f *formatter) verbatimLine(rel int32, cont bool, content []byte) bool {
	low := len(f.depth)
	if cont && (f.ev == len(f.evs) || f.evs[f.ev].line != rel) {
		low++
	}
	for f.ev < len(f.evs) && f.evs[f.ev].line == rel {
		if !f.apply(f.evs[f.ev], false) {
			return false
		}
		low = min(low, len(f.depth))
		f.ev++
	}
	body := trimLeft(content)
	if bytes.IndexByte(body, '\\') < 0 {
		body = trimRight(body)
	}
	return f.emit(low, body)
}

// apply opens or closes a block. A close with no open block fails unless
// lenient.
func (f *formatter) apply(e event, lenient bool) bool {
	if e.open {
		f.depth = append(f.depth, e.kind)
		return true
	}
	if len(f.depth) == 0 {
		return lenient
	}
	f.depth = f.depth[:len(f.depth)-1]
	return true
}

// emit writes one output line at a depth.
func (f *formatter) emit(depth int, body []byte) bool {
	start := len(f.r.out)
	for range depth {
		f.r.out = append(f.r.out, f.unitInd...)
	}
	f.r.out = append(f.r.out, body...)
	if len(f.r.out)-start+len(f.eol)-1 > parser.MaxLineLength {
		f.fail = "line-too-long" // keepalived would not read the line the same way
		return false
	}
	f.r.out = append(f.r.out, f.eol...)
	f.noteWritten(body, true)
	f.lastStart, f.lastDepth = start, depth
	return true
}

// plain formats a line keepalived reads as words and braces. prevJoin is
// the column of the words ending the previous line when a '{' starting this
// line may join them; plain returns the same for this line (or -1).
func (f *formatter) plain(i int, rel int32, content []byte, prevJoin int) (bool, int) {
	code, col, comment, _ := cut(content)
	f.pieces = split(code, col, f.pieces)
	joinCol := -1
	prev := byte(0)
	for k, p := range f.pieces {
		switch p.kind {
		case 'w':
			if !f.flush() {
				return false, -1
			}
			f.lineAt = len(f.depth)
			f.line = f.wordsText(f.line[:0], p.text)
			joinCol = p.col
		case '{':
			e, ok := f.next(rel, p.col, true)
			if !ok {
				return false, -1
			}
			kw := e.node.Keyword.Span.Start
			switch {
			case prev == 'w':
				f.line = append(f.line, " {"...)
			case k == 0 && prevJoin >= 0 && kw.Line == rel-1 && int(kw.Col) == prevJoin:
				// "keyword args" then "{" alone: one line.
				f.unemit()
				f.r.spans[i] = int32(len(f.r.out))
				f.line = append(f.line, " {"...)
			default:
				if !f.flush() {
					return false, -1
				}
				f.lineAt = len(f.depth)
				f.line = append(f.line[:0], '{')
			}
			f.apply(e, false)
			joinCol = -1
		case '}':
			e, ok := f.next(rel, p.col, false)
			if !ok || !f.flush() || !f.apply(e, false) {
				return false, -1
			}
			f.lineAt = len(f.depth)
			f.line = append(f.line[:0], '}')
			joinCol = -1
		case 'v':
			if !f.flush() {
				return false, -1
			}
			low := len(f.depth)
			for f.ev < len(f.evs) && f.evs[f.ev].line == rel {
				if !f.apply(f.evs[f.ev], false) {
					return false, -1
				}
				low = min(low, len(f.depth))
				f.ev++
			}
			f.lineAt = low
			f.line = append(f.line[:0], p.text...)
			joinCol = -1
		}
		prev = p.kind
	}
	if comment != nil {
		if f.lineAt < 0 {
			f.lineAt = len(f.depth)
			f.line = f.line[:0]
		} else {
			f.line = append(f.line, ' ')
		}
		f.line = append(f.line, comment...)
		joinCol = -1
	}
	if !f.flush() {
		return false, -1
	}
	return true, joinCol
}

// next takes the next brace of the tree, which must be the one at rel:col.
func (f *formatter) next(rel int32, col int, open bool) (event, bool) {
	if f.ev >= len(f.evs) {
		return event{}, false
	}
	e := f.evs[f.ev]
	if e.line != rel || int(e.col) != col || e.open != open {
		return event{}, false
	}
	f.ev++
	return e, true
}

// flush writes the pending output line.
func (f *formatter) flush() bool {
	if f.lineAt < 0 {
		return true
	}
	ok := f.emit(f.lineAt, f.line)
	f.lineAt = -1
	return ok
}

// unemit takes the last line written back as the pending line.
func (f *formatter) unemit() {
	body := f.r.out[f.lastStart : len(f.r.out)-len(f.eol)]
	body = body[f.lastDepth*len(f.unitInd):]
	f.line = append(f.line[:0], body...)
	f.lineAt = f.lastDepth
	f.r.out = f.r.out[:f.lastStart]
}

// wordsText appends the words of a logical line: single spaces between
// words that had blanks between them. Value block entries and script lines
// are kept as written.
func (f *formatter) wordsText(dst, text []byte) []byte {
	if n := len(f.depth); n > 0 && f.depth[n-1] == parser.ValueBlock {
		return append(dst, text...)
	}
	var first []byte
	f.words, first = words(text, f.words)
	if scriptWords[string(first)] {
		// keepalived re-reads the text after the keyword as written.
		if ws := f.words; len(ws) > 1 && ws[1].i > ws[0].j {
			dst = append(dst, text[:ws[0].j]...)
			dst = append(dst, ' ')
			return append(dst, text[ws[1].i:]...)
		}
		return append(dst, text...)
	}
	for k, w := range f.words {
		if k > 0 && w.i > f.words[k-1].j {
			dst = append(dst, ' ')
		}
		dst = append(dst, text[w.i:w.j]...)
	}
	return dst
}
