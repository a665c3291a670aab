package parser

import (
	"fmt"
	"sort"
	"strings"
)

// Dump renders the document's tree and diagnostics with absolute positions,
// one item per line. Tests compare dumps (golden files, incremental vs full).
func (d *Doc) Dump() string {
	var sb strings.Builder
	f := d.list.flatten()
	for i, u := range f.units {
		base := f.first[i]
		fmt.Fprintf(&sb, "unit %d lines %d-%d\n", i, base+1, int(base)+u.LineCount())
		for _, n := range u.Nodes {
			dumpNode(&sb, n, base, 1)
		}
		diags := append([]Diagnostic(nil), u.Diags...)
		sort.SliceStable(diags, func(a, b int) bool { return diags[a].Span.Start.Less(diags[b].Span.Start) })
		for _, dg := range diags {
			s := dg.Span
			file := ""
			if dg.Src == nil {
				s = s.Shift(base)
			} else {
				file = dg.Src.Path + ":"
			}
			fmt.Fprintf(&sb, "  ! %s%s %s %s [%s]\n", file, spanString(s), dg.Severity, dg.Message, dg.Rule)
		}
		for _, c := range u.Comments {
			fmt.Fprintf(&sb, "  # %s\n", spanString(c.Shift(base)))
		}
		for _, c := range u.Inactive {
			fmt.Fprintf(&sb, "  ~ inactive %s\n", spanString(c.Shift(base)))
		}
	}
	return sb.String()
}

func spanString(s Span) string {
	return fmt.Sprintf("%d:%d-%d:%d", s.Start.Line+1, s.Start.Col+1, s.End.Line+1, s.End.Col+1)
}

func dumpNode(sb *strings.Builder, n *Node, base int32, depth int) {
	shift := func(s Span) Span {
		if n.Src == nil {
			return s.Shift(base)
		}
		return s
	}
	ind := strings.Repeat("  ", depth)
	file := ""
	if n.Src != nil {
		file = n.Src.Path + ":"
	}
	known := "?"
	if n.Schema != nil {
		known = ""
	}
	fmt.Fprintf(sb, "%s%s%s %s%q%s", ind, file, n.Kind, known, n.Keyword.Text, "@"+spanString(shift(n.Keyword.Span)))
	for _, a := range n.Args {
		fmt.Fprintf(sb, " %q@%s", a.Text, spanString(shift(a.Span)))
		if a.Flags != 0 {
			fmt.Fprintf(sb, "/%d", a.Flags)
		}
	}
	if n.Flags&HasOpen != 0 {
		fmt.Fprintf(sb, " {@%s", spanString(shift(n.OpenSpan())))
	}
	if n.Flags&HasClose != 0 {
		fmt.Fprintf(sb, " }@%s", spanString(shift(n.CloseSpan())))
	}
	if n.Flags&MissingOpen != 0 {
		sb.WriteString(" missing-open")
	}
	if n.Raw() != "" {
		fmt.Fprintf(sb, " raw=%q", n.Raw())
	}
	sb.WriteString("\n")
	for _, v := range n.Values {
		vb := base
		if v.Src != nil {
			vb = 0
		}
		fmt.Fprintf(sb, "%s  value", ind)
		for _, t := range v.Tokens {
			fmt.Fprintf(sb, " %q@%s", t.Text, spanString(t.Span.Shift(vb)))
		}
		sb.WriteString("\n")
	}
	for _, f := range n.Files() {
		fmt.Fprintf(sb, "%s  file %s\n", ind, f.Source.Path)
	}
	for _, c := range n.Children {
		dumpNode(sb, c, base, depth+1)
	}
}
