package analysis

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/keepalived-ls/keepalived-ls/parser"
)

// InlayKind says what an inlay hint shows.
type InlayKind uint8

const (
	InlayValue     InlayKind = iota // the value of a ${NAME} reference
	InlayGenerator                  // how many lines a ~SEQ/~LST line expands to
)

// InlayHint is a label shown after a position (absolute line, byte column).
type InlayHint struct {
	Pos     parser.Pos
	Label   string
	Tooltip string
	Kind    InlayKind
}

// inlayValueMax is the length (in characters) from which values are cut.
const inlayValueMax = 30

// InlayHints returns the hints of lines from..to (absolute, inclusive), in
// order: after each $NAME / ${NAME} reference the value it stands for (when
// the definition in force is a single line; nested references expanded),
// and after each ~SEQ/~LST line the number of lines it produces.
func InlayHints(d *parser.Doc, from, to int) []InlayHint {
	var out []InlayHint
	defs := map[string]string{} // values in force; multi-line ones are dropped
	type event struct {
		at  parser.Pos // unit-relative
		def *parser.Definition
		ref *parser.ParamRef
	}
	var events []event
	for ui, u := range d.Units() {
		base := d.UnitLine(ui)
		if int(base) > to {
			break
		}
		inRange := int(base)+u.LineCount()-1 >= from
		if !inRange && len(u.Definitions) == 0 {
			continue
		}
		// Definitions of included files take effect at their include line.
		var anchors map[*parser.Source]parser.Pos
		events = events[:0]
		for i := range u.Definitions {
			def := &u.Definitions[i]
			at := def.Span.Start
			if def.Src != nil {
				if anchors == nil {
					anchors = includeAnchors(u)
				}
				at = anchors[def.Src]
			}
			events = append(events, event{at: at, def: def})
		}
		if inRange {
			seen := map[parser.Span]bool{}
			for i := range u.Refs {
				r := &u.Refs[i]
				if r.Src == nil && !seen[r.Span] {
					seen[r.Span] = true
					events = append(events, event{at: r.Span.Start, ref: r})
				}
			}
		}
		sort.SliceStable(events, func(i, j int) bool { return events[i].at.Less(events[j].at) })
		var genVars map[int32][]string // generator variables by line
		for _, e := range events {
			if e.def != nil {
				if multiLineDef(u, e.def) {
					delete(defs, e.def.Name)
				} else {
					defs[e.def.Name] = e.def.Value
				}
				continue
			}
			r := e.ref
			line := int(base + r.Span.Start.Line)
			if line < from || line > to || !r.Defined || r.Builtin || r.Span.Start.Line != r.Span.End.Line {
				continue
			}
			if genVars == nil {
				genVars = generatorVars(u)
			}
			if contains(genVars[r.Span.Start.Line], r.Name) {
				continue
			}
			v, ok := defs[r.Name]
			if !ok {
				continue
			}
			v = expandValue(v, defs, 0)
			label, tip := "= "+v, ""
			if v == "" {
				label = `= ""`
			}
			if utf8.RuneCountInString(v) > inlayValueMax {
				label = "= " + string([]rune(v)[:inlayValueMax-1]) + "…"
				tip = v
			}
			out = append(out, InlayHint{Pos: shiftPos(r.Span.End, base), Label: label, Tooltip: tip, Kind: InlayValue})
		}
		if !inRange {
			continue
		}
		// Generators: one hint per line, with the lines the innermost
		// generators of the line produce in all.
		type genLine struct {
			end   parser.Pos
			col   int32
			count int
		}
		var lines []genLine
		for _, g := range u.Generators {
			if g.Src != nil {
				continue
			}
			ln := g.Span.Start.Line
			k := len(lines) - 1
			if k < 0 || lines[k].end.Line != ln {
				lines = append(lines, genLine{end: g.Span.End, col: g.Span.Start.Col, count: g.Count})
				continue
			}
			switch {
			case g.Span.Start.Col > lines[k].col:
				lines[k].col, lines[k].count = g.Span.Start.Col, g.Count
			case g.Span.Start.Col == lines[k].col:
				lines[k].count += g.Count
			}
			if lines[k].end.Less(g.Span.End) {
				lines[k].end = g.Span.End
			}
		}
		for _, gl := range lines {
			line := int(base + gl.end.Line)
			if line < from || line > to {
				continue
			}
			label := fmt.Sprintf("%d lines", gl.count)
			if gl.count == 1 {
				label = "1 line"
			}
			out = append(out, InlayHint{Pos: shiftPos(gl.end, base), Label: label,
				Tooltip: fmt.Sprintf("keepalived reads this line as %s", label), Kind: InlayGenerator})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Pos.Less(out[j].Pos) })
	return out
}

// includeAnchors maps every file read in a unit to the position of the
// document's include directive that (directly or not) read it.
func includeAnchors(u *parser.Unit) map[*parser.Source]parser.Pos {
	anchors := map[*parser.Source]parser.Pos{}
	var walk func(nodes []*parser.Node, anchor *parser.Pos)
	walk = func(nodes []*parser.Node, anchor *parser.Pos) {
		for _, n := range nodes {
			a := anchor
			if n.Kind == parser.Include {
				if a == nil {
					p := n.Keyword.Span.Start
					a = &p
				}
				for _, f := range n.Files() {
					anchors[f.Source] = *a
				}
			}
			walk(n.Children, a)
		}
	}
	walk(u.Nodes, nil)
	return anchors
}

// generatorVars returns, by unit-relative line, the variables the
// generators of the document's lines set.
func generatorVars(u *parser.Unit) map[int32][]string {
	out := map[int32][]string{}
	for _, g := range u.Generators {
		if g.Src != nil || g.Span.Start.Line != g.Span.End.Line {
			continue
		}
		line := u.Line(int(g.Span.Start.Line))
		i := strings.IndexByte(string(line[min(int(g.Span.Start.Col), len(line)):]), '(')
		if i < 0 {
			continue
		}
		rest := string(line[int(g.Span.Start.Col)+i+1:])
		rest = strings.TrimLeft(rest, " \t")
		var list string
		if strings.HasPrefix(rest, "{") {
			list, _, _ = strings.Cut(rest[1:], "}")
		} else {
			list = rest[:strings.IndexAny(rest+",)", ",)")]
		}
		for _, v := range strings.Split(list, ",") {
			if v = strings.TrimSpace(v); v != "" {
				out[g.Span.Start.Line] = append(out[g.Span.Start.Line], v)
			}
		}
	}
	return out
}

// multiLineDef reports whether a definition continues on the next lines
// (its line ends with a backslash).
func multiLineDef(u *parser.Unit, def *parser.Definition) bool {
	var line []byte
	if def.Src != nil {
		line = def.Src.Line(int(def.Span.Start.Line))
	} else {
		line = u.Line(int(def.Span.Start.Line))
	}
	return strings.HasSuffix(strings.TrimRight(string(line), " \t"), "\\") || strings.Contains(def.Value, "\n")
}

func shiftPos(p parser.Pos, lines int32) parser.Pos {
	return parser.Pos{Line: p.Line + lines, Col: p.Col}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// expandValue replaces the references in a definition's value by the values
// in force, as keepalived does where the definition is used.
func expandValue(v string, defs map[string]string, depth int) string {
	if depth > 8 || !strings.Contains(v, "$") {
		return v
	}
	var b strings.Builder
	line := []byte(v)
	for i := 0; i < len(line); i++ {
		if line[i] == '$' {
			if name, _, end := scanRef(line, i); name != "" {
				if val, ok := defs[name]; ok {
					b.WriteString(expandValue(val, defs, depth+1))
					i = end - 1
					continue
				}
			}
		}
		b.WriteByte(line[i])
	}
	return b.String()
}
