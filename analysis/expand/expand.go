// Package expand prints the configuration keepalived actually reads: the
// parsed tree written back as text, with included files inlined, $NAME
// references and ~SEQ/~LST generators expanded, @ID lines resolved for
// the parse's config id and definitions dropped. Blocks are printed the
// way keepalived understood them, so a missing brace shows where a block
// really ends.
//
// "# from FILE:LINE" lines mark where the text continues in another file:
// when an include starts, when it ends, and between the files of a glob.
package expand

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/keepalived-ls/keepalived-ls/parser"
)

// Options control the output.
type Options struct {
	// Comments keeps the whole-line comments of every file read.
	Comments bool
	// NoMarkers leaves out the "# from FILE:LINE" lines.
	NoMarkers bool
	// Indent is one level of indentation; "" means four spaces.
	Indent string
}

// Write prints the effective configuration of d to w.
func Write(w io.Writer, d *parser.Doc, opts Options) error {
	if opts.Indent == "" {
		opts.Indent = "    "
	}
	p := &printer{w: bufio.NewWriter(w), d: d, opts: opts, last: map[*parser.Source]int{}, cur: docSource}
	for i, u := range d.Units() {
		p.base = int(d.UnitLine(i))
		for _, n := range u.Nodes {
			p.node(n, 0)
		}
	}
	if opts.Comments {
		p.comments(docSource, d.LineCount(), 0)
	}
	return p.w.Flush()
}

// String is Write into a string.
func String(d *parser.Doc, opts Options) string {
	var b strings.Builder
	Write(&b, d, opts) // a strings.Builder does not fail
	return b.String()
}

// docSource stands for the document itself in the printer's bookkeeping
// (nodes of the document have a nil Src).
var docSource = &parser.Source{}

type printer struct {
	w    *bufio.Writer
	d    *parser.Doc
	opts Options
	base int // first line of the current unit of the document

	cur     *parser.Source         // file of the last line printed
	curLine int                    // and its line (0-based, absolute)
	last    map[*parser.Source]int // per file: 1 + the last line printed or scanned for comments
}

// at converts a position of a node read from src to the file and absolute
// line it is in.
func (p *printer) at(src *parser.Source, ln int32) (*parser.Source, int) {
	if src == nil {
		return docSource, p.base + int(ln)
	}
	return src, int(ln)
}

// line prints one output line that comes from line ln of src.
func (p *printer) line(src *parser.Source, ln, depth int, text string) {
	if p.opts.Comments {
		p.comments(src, ln, depth)
	}
	p.mark(src, ln, depth)
	p.indent(depth)
	p.w.WriteString(text)
	p.w.WriteByte('\n')
	p.cur, p.curLine = src, ln
	if ln+1 > p.last[src] {
		p.last[src] = ln + 1
	}
}

// mark prints a "# from" line, indented like the line it announces, when
// the output moves to another file.
func (p *printer) mark(src *parser.Source, ln, depth int) {
	if p.opts.NoMarkers || src == p.cur {
		return
	}
	p.indent(depth)
	fmt.Fprintf(p.w, "# from %s:%d\n", p.name(src), ln+1)
	p.cur = src
}

// name shows a file relative to the main file's directory when it is below
// it, else as it is.
func (p *printer) name(src *parser.Source) string {
	path := p.d.Path
	if src != docSource {
		path = src.Path
	}
	if path == "" {
		return "(stdin)"
	}
	if dir := filepath.Dir(p.d.Path); filepath.IsAbs(p.d.Path) && filepath.IsAbs(path) {
		if rel, err := filepath.Rel(dir, path); err == nil && !strings.HasPrefix(rel, "..") {
			return rel
		}
	}
	return path
}

// comments prints the whole-line comments of src from the last line seen
// up to line ln (exclusive).
func (p *printer) comments(src *parser.Source, ln, depth int) {
	from := p.last[src]
	for k := from; k < ln; k++ {
		var text []byte
		if src == docSource {
			text = p.d.Line(k)
		} else {
			text = src.Line(k)
		}
		t := bytes.TrimSpace(text)
		if len(t) > 0 && (t[0] == '#' || t[0] == '!') {
			p.mark(src, k, depth)
			p.indent(depth)
			p.w.Write(t)
			p.w.WriteByte('\n')
		}
	}
	if ln > from {
		p.last[src] = ln
	}
}

func (p *printer) indent(depth int) {
	for range depth {
		p.w.WriteString(p.opts.Indent)
	}
}

func (p *printer) node(n *parser.Node, depth int) {
	if n.Kind == parser.Include {
		// Transparent: what the include read continues at this depth.
		p.body(n, depth)
		return
	}
	src, ln := p.at(n.Src, n.Keyword.Span.Start.Line)
	text := words(n)
	if n.Kind == parser.Statement {
		p.line(src, ln, depth, text)
		return
	}
	p.line(src, ln, depth, text+" {")
	p.body(n, depth+1)
	// The closing brace: where it is written, else (keepalived closed the
	// block at the end of its input) after the last line printed.
	closeSrc, closeLn := p.cur, p.curLine
	if n.Flags&parser.HasClose != 0 {
		closeSrc, closeLn = p.at(n.Src, n.Close.Line)
	}
	p.line(closeSrc, closeLn, depth, "}")
}

// body prints the children and value lines of a block, value block or
// include, in the order they were read.
// A value block keeps its value lines and its includes apart: they are
// merged back by line where they are in the same file.
func (p *printer) body(n *parser.Node, depth int) {
	vals, kids := n.Values, n.Children
	for len(vals) > 0 || len(kids) > 0 {
		if len(vals) > 0 && len(vals[0].Tokens) == 0 {
			vals = vals[1:]
			continue
		}
		if len(kids) > 0 && (len(vals) == 0 || p.before(kids[0], vals[0])) {
			p.node(kids[0], depth)
			kids = kids[1:]
			continue
		}
		v := vals[0]
		vals = vals[1:]
		src, ln := p.at(v.Src, v.Tokens[0].Span.Start.Line)
		p.line(src, ln, depth, join(v.Tokens))
	}
}

// before reports whether child c was read before value line v.
func (p *printer) before(c *parser.Node, v *parser.ValueLine) bool {
	cs, cl := p.at(c.Src, c.Keyword.Span.Start.Line)
	vs, vl := p.at(v.Src, v.Tokens[0].Span.Start.Line)
	return cs == vs && cl < vl
}

// words is a node's keyword line as keepalived reads it.
func words(n *parser.Node) string {
	if raw := n.Raw(); raw != "" {
		return n.Keyword.Text + " " + raw
	}
	if len(n.Args) == 0 {
		return n.Keyword.Text
	}
	return n.Keyword.Text + " " + join(n.Args)
}

// join writes tokens separated by single spaces, quoting those that were
// quoted so that the output reads back the same.
func join(toks []parser.Token) string {
	var b strings.Builder
	for i, t := range toks {
		if i > 0 {
			b.WriteByte(' ')
		}
		if t.Is(parser.Quoted) {
			b.WriteByte('"')
			b.WriteString(t.Text)
			b.WriteByte('"')
		} else {
			b.WriteString(t.Text)
		}
	}
	return b.String()
}
