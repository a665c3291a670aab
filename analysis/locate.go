package analysis

import (
	"github.com/keepalived-ls/keepalived-ls/parser"
	"github.com/keepalived-ls/keepalived-ls/parser/schema"
)

// Target is what sits at a position of a document: a keyword, an argument
// of a keyword line, a word of a value line, or a $NAME reference.
type Target struct {
	Unit   int             // unit index in the document
	Node   *parser.Node    // the keyword line (for a value word: its block)
	Parent *schema.Keyword // the block the keyword is in (schema.Top at the top level)
	Token  parser.Token    // the word under the position (unit-relative span)
	Arg    int             // -1: the keyword itself; else index in Args (or in the value line)
	Value  *parser.ValueLine
	Param  *parser.ParamRef // a $NAME reference
}

// Locate finds what is at an absolute position (0-based line, byte column)
// of the document's own text.
func Locate(d *parser.Doc, line, col int) (Target, bool) { return LocateIn(d, "", line, col) }

// LocateIn is Locate in the text of a file the document includes (path
// as the parser names it; "" is the document itself): an included file
// read in the context of the document that includes it. Spans of a target
// in an included file are in that file's lines.
func LocateIn(d *parser.Doc, path string, line, col int) (Target, bool) {
	if path != "" {
		return locateIncluded(d, path, line, col)
	}
	if line < 0 || line >= d.LineCount() {
		return Target{}, false
	}
	units := d.Units()
	ui := 0
	for i := range units {
		if int(d.UnitLine(i)) <= line {
			ui = i
		}
	}
	p := parser.Pos{Line: int32(line) - d.UnitLine(ui), Col: int32(col)}
	return locateIn(units[ui], ui, func(src *parser.Source) bool { return src == nil }, p)
}

// locateIncluded searches every unit for the position in the included file.
func locateIncluded(d *parser.Doc, path string, line, col int) (Target, bool) {
	in := func(src *parser.Source) bool { return src != nil && src.Path == path }
	p := parser.Pos{Line: int32(line), Col: int32(col)}
	for ui, u := range d.Units() {
		if len(u.Includes) == 0 {
			continue
		}
		if t, ok := locateIn(u, ui, in, p); ok {
			return t, true
		}
	}
	return Target{}, false
}

// locateIn finds position p among the words of unit u that were read from
// a file for which in is true.
func locateIn(u *parser.Unit, ui int, in func(*parser.Source) bool, p parser.Pos) (Target, bool) {
	for i := range u.Refs {
		r := &u.Refs[i]
		if in(r.Src) && r.Span.Contains(p) {
			return Target{Unit: ui, Param: r, Arg: -1}, true
		}
	}
	var found Target
	ok := false
	var walk func(nodes []*parser.Node, parent *schema.Keyword)
	walk = func(nodes []*parser.Node, parent *schema.Keyword) {
		for _, n := range nodes {
			if ok {
				return
			}
			mine := in(n.Src)
			if n.Kind == parser.Include {
				if mine && (n.Keyword.Span.Contains(p) || len(n.Args) > 0 && n.Args[0].Span.Contains(p)) {
					found, ok = Target{Unit: ui, Node: n, Parent: parent, Token: n.Keyword, Arg: -1}, true
					return
				}
				walk(n.Children, parent)
				for _, v := range n.Values {
					if in(v.Src) && valueAt(&found, &ok, ui, n, parent, v, p) {
						return
					}
				}
				continue
			}
			if mine {
				if n.Keyword.Span.Contains(p) {
					found, ok = Target{Unit: ui, Node: n, Parent: parent, Token: n.Keyword, Arg: -1}, true
					return
				}
				for i, a := range n.Args {
					if a.Span.Contains(p) {
						found, ok = Target{Unit: ui, Node: n, Parent: parent, Token: a, Arg: i}, true
						return
					}
				}
			}
			for _, v := range n.Values {
				if in(v.Src) && valueAt(&found, &ok, ui, n, parent, v, p) {
					return
				}
			}
			if n.Schema != nil {
				walk(n.Children, n.Schema)
			}
		}
	}
	walk(u.Nodes, schema.Top)
	return found, ok
}

// valueAt records the word of value line v at p, if any.
func valueAt(found *Target, ok *bool, ui int, n *parser.Node, parent *schema.Keyword, v *parser.ValueLine, p parser.Pos) bool {
	for i, t := range v.Tokens {
		if t.Span.Contains(p) {
			*found, *ok = Target{Unit: ui, Node: n, Parent: parent, Token: t, Arg: i, Value: v}, true
			return true
		}
	}
	return false
}
