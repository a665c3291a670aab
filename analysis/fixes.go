package analysis

import (
	"sort"

	"github.com/keepalived-ls/keepalived-ls/parser"
)

// FixAll collects the edits of every preferred fix, in document order,
// leaving out a fix that overlaps one already taken; applying them all at
// once is safe. Only edits to the document itself (Src nil) are returned.
func FixAll(diags []parser.Diagnostic) []parser.Edit {
	type cand struct {
		edits []parser.Edit
		start parser.Pos
	}
	var cands []cand
	for _, d := range diags {
		for _, f := range d.Fixes {
			if !f.Preferred || len(f.Edits) == 0 {
				continue
			}
			own := true
			for _, e := range f.Edits {
				if e.Src != nil {
					own = false
				}
			}
			if !own {
				continue
			}
			start := f.Edits[0].Span.Start
			for _, e := range f.Edits {
				if e.Span.Start.Less(start) {
					start = e.Span.Start
				}
			}
			cands = append(cands, cand{f.Edits, start})
			break
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].start.Less(cands[j].start) })
	var out []parser.Edit
	var taken []parser.Span
	overlaps := func(s parser.Span) bool {
		for _, t := range taken {
			if s.Start.Less(t.End) && t.Start.Less(s.End) || s == t {
				return true
			}
		}
		return false
	}
	for _, c := range cands {
		clash := false
		for _, e := range c.edits {
			if overlaps(e.Span) {
				clash = true
			}
		}
		if clash {
			continue
		}
		for _, e := range c.edits {
			taken = append(taken, e.Span)
			out = append(out, e)
		}
	}
	return out
}
