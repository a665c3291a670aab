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
func Locate(d *parser.Doc, line, col int) (Target, bool) {
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
	u := units[ui]
	p := parser.Pos{Line: int32(line) - d.UnitLine(ui), Col: int32(col)}
	for i := range u.Refs {
		r := &u.Refs[i]
		if r.Src == nil && r.Span.Contains(p) {
			return Target{Unit: ui, Param: r, Arg: -1}, true
		}
	}
	var found Target
	ok := false
	var walk func(nodes []*parser.Node, parent *schema.Keyword)
	walk = func(nodes []*parser.Node, parent *schema.Keyword) {
		for _, n := range nodes {
			if n.Src != nil {
				continue
			}
			if n.Kind == parser.Include {
				if n.Keyword.Span.Contains(p) || len(n.Args) > 0 && n.Args[0].Span.Contains(p) {
					found, ok = Target{Unit: ui, Node: n, Parent: parent, Token: n.Keyword, Arg: -1}, true
				}
				walk(n.Children, parent)
				continue
			}
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
			for _, v := range n.Values {
				if v.Src != nil {
					continue
				}
				for i, t := range v.Tokens {
					if t.Span.Contains(p) {
						found, ok = Target{Unit: ui, Node: n, Parent: parent, Token: t, Arg: i, Value: v}, true
						return
					}
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
