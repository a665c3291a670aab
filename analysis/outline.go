package analysis

import (
	"fmt"
	"sort"
	"strings"

	"github.com/keepalived-ls/keepalived-ls/parser"
	"github.com/keepalived-ls/keepalived-ls/parser/schema"
)

// SymbolClass says what an outline entry stands for; the server maps it to
// an LSP symbol kind.
type SymbolClass uint8

const (
	ClassOther         SymbolClass = iota
	ClassSettings                  // global_defs, static_ipaddress, ...
	ClassInstance                  // vrrp_instance
	ClassSyncGroup                 // vrrp_sync_group
	ClassScript                    // vrrp_script
	ClassTracker                   // vrrp_track_process, track_file, bfd_instance
	ClassGroup                     // virtual_server_group, track_group, garp_group
	ClassVirtualServer             // virtual_server
	ClassRealServer                // real_server, sorry_server
	ClassChecker                   // TCP_CHECK, HTTP_GET, ...
	ClassInclude                   // include directives
	ClassParameter                 // $NAME definitions
)

// OutlineItem is one entry of a document outline.
type OutlineItem struct {
	Name       string // "VI_1", "10.0.0.1 80", "global_defs", "$IFACE"
	Detail     string // the keyword, and a short summary
	Keyword    string
	Class      SymbolClass
	Src        *parser.Source // nil: the document
	Span       parser.Span    // the whole entry (absolute lines)
	Selection  parser.Span    // its name
	Deprecated bool
	Children   []OutlineItem
}

// classOf returns the outline class of a keyword, and whether the keyword
// appears in outlines at all.
func classOf(n *parser.Node, parent *schema.Keyword) (SymbolClass, bool) {
	if n.Kind == parser.Include {
		return ClassInclude, true
	}
	if n.Schema == nil {
		return 0, false
	}
	name := n.Schema.Name
	if parent == nil || parent.IsTop() {
		switch name {
		case "vrrp_instance":
			return ClassInstance, true
		case "vrrp_sync_group":
			return ClassSyncGroup, true
		case "vrrp_script":
			return ClassScript, true
		case "vrrp_track_process", "track_file", "vrrp_track_file", "bfd_instance":
			return ClassTracker, true
		case "virtual_server_group", "track_group", "garp_group":
			return ClassGroup, true
		case "virtual_server":
			return ClassVirtualServer, true
		}
		if n.Kind != parser.Statement {
			return ClassSettings, true
		}
		return 0, false
	}
	switch parent.Name {
	case "virtual_server":
		switch name {
		case "real_server", "sorry_server":
			return ClassRealServer, true
		}
	case "real_server":
		if n.Kind == parser.Block && strings.ToUpper(name) == name {
			return ClassChecker, true
		}
	}
	return 0, false
}

// outliner builds outline entries from nodes.
type outliner struct {
	d        *parser.Doc
	includes bool   // every file: the document and what it includes
	path     string // else only this file ("" the document)
}

// want reports whether entries of a file are wanted.
func (o *outliner) want(src *parser.Source) bool {
	switch {
	case o.includes:
		return true
	case src == nil:
		return o.path == ""
	}
	return src.Path == o.path
}

func (o *outliner) nodes(nodes []*parser.Node, parent *schema.Keyword, base int32) []OutlineItem {
	var out []OutlineItem
	for _, n := range nodes {
		if !o.want(n.Src) {
			// An included file's entries may sit in blocks of other files.
			if o.path != "" {
				switch {
				case n.Kind == parser.Include:
					out = append(out, o.nodes(n.Children, parent, base)...)
				case n.Schema != nil:
					out = append(out, o.nodes(n.Children, n.Schema, base)...)
				}
			}
			continue
		}
		class, ok := classOf(n, parent)
		if !ok {
			continue
		}
		abs := func(s parser.Span) parser.Span {
			if n.Src == nil {
				return s.Shift(base)
			}
			return s
		}
		it := OutlineItem{Keyword: n.Keyword.Text, Class: class, Src: n.Src, Span: abs(n.Span()), Selection: abs(n.Keyword.Span)}
		if class == ClassInclude {
			it.Name = n.Keyword.Text
			if len(n.Args) > 0 {
				it.Name += " " + n.Args[0].Text
				it.Span = abs(n.LineSpan())
			}
			files := n.Files()
			switch len(files) {
			case 0:
				it.Detail = "reads no file"
			case 1:
				it.Detail = "reads " + files[0].Source.Path
			default:
				it.Detail = fmt.Sprintf("reads %d files", len(files))
			}
			out = append(out, it)
			if o.includes || o.path != "" {
				out = append(out, o.nodes(n.Children, parent, base)...)
			}
			continue
		}
		it.Deprecated = n.Schema.Deprecated != ""
		it.Name = n.Keyword.Text
		it.Detail = n.Keyword.Text
		if len(n.Args) > 0 {
			it.Name = strings.Join(n.ArgTexts(), " ")
			it.Selection = abs(n.RawSpan())
		}
		if n.Kind == parser.Block {
			it.Children = o.nodes(n.Children, n.Schema, base)
			if class == ClassRealServer {
				var checkers []string
				for _, c := range it.Children {
					if c.Class == ClassChecker {
						checkers = append(checkers, c.Name)
					}
				}
				if len(checkers) > 0 {
					it.Detail += " · " + strings.Join(checkers, ", ")
				}
			}
		}
		out = append(out, it)
	}
	return out
}

// params lists the $NAME definitions of a unit.
func (o *outliner) params(u *parser.Unit, base int32) []OutlineItem {
	var out []OutlineItem
	for _, def := range u.Definitions {
		if !o.want(def.Src) {
			continue
		}
		s := def.Span
		if def.Src == nil {
			s = s.Shift(base)
		}
		full := s
		if full.Start.Col > 0 {
			full.Start.Col-- // the '$'
		}
		value := def.Value
		if i := strings.IndexByte(value, '\n'); i >= 0 {
			value = value[:i] + " …"
		}
		if len(value) > 60 {
			value = value[:57] + "..."
		}
		out = append(out, OutlineItem{Name: "$" + def.Name, Detail: value, Keyword: "$" + def.Name, Class: ClassParameter,
			Src: def.Src, Span: full, Selection: s})
	}
	return out
}

// Outline returns the outline of the document's own text: top-level blocks
// (instances, sync groups, scripts, trackers, groups, virtual servers with
// their real servers and checkers, global settings), include directives
// and $NAME definitions, in document order.
func Outline(d *parser.Doc) []OutlineItem { return OutlineFile(d, "") }

// OutlineFile is the outline of one file of the configuration: the
// document (path "") or a file it includes, with its entries as they are
// read in the document (an included file of real_server blocks lists them
// as real servers).
func OutlineFile(d *parser.Doc, path string) []OutlineItem {
	o := &outliner{d: d, path: path}
	var out []OutlineItem
	seen := map[parser.Span]bool{} // a file included twice
	for i, u := range d.Units() {
		base := d.UnitLine(i)
		items := append(o.nodes(u.Nodes, schema.Top, base), o.params(u, base)...)
		sort.SliceStable(items, func(a, b int) bool { return items[a].Span.Start.Less(items[b].Span.Start) })
		for _, it := range items {
			if path != "" && seen[it.Span] {
				continue
			}
			seen[it.Span] = true
			out = append(out, it)
		}
	}
	return out
}

// FlatSymbol is an outline entry with the name of the entry containing it.
type FlatSymbol struct {
	OutlineItem
	Container string
}

// FlatSymbols lists the outline entries of a document and of the files it
// includes, flattened (children follow their parent).
func FlatSymbols(d *parser.Doc) []FlatSymbol {
	o := &outliner{d: d, includes: true}
	var out []FlatSymbol
	var flatten func(items []OutlineItem, container string)
	flatten = func(items []OutlineItem, container string) {
		for _, it := range items {
			kids := it.Children
			it.Children = nil
			out = append(out, FlatSymbol{OutlineItem: it, Container: container})
			flatten(kids, it.Name)
		}
	}
	for i, u := range d.Units() {
		base := d.UnitLine(i)
		flatten(o.nodes(u.Nodes, schema.Top, base), "")
		flatten(o.params(u, base), "")
	}
	return out
}

// MatchSymbol scores how well a workspace-symbol query matches a name:
// 4 exact, 3 prefix, 2 substring, 1 the query's characters in order
// (fuzzy), all ignoring case; ok is false when it does not match. An empty
// query matches everything.
func MatchSymbol(query, name string) (score int, ok bool) {
	q, n := strings.ToLower(query), strings.ToLower(name)
	switch {
	case q == "":
		return 0, true
	case n == q:
		return 4, true
	case strings.HasPrefix(n, q):
		return 3, true
	case strings.Contains(n, q):
		return 2, true
	}
	i := 0
	for j := 0; j < len(n) && i < len(q); j++ {
		if n[j] == q[i] {
			i++
		}
	}
	return 1, i == len(q)
}
