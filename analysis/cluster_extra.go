package analysis

import (
	"strings"

	"github.com/keepalived-ls/keepalived-ls/parser"
)

// IsClusterRule reports whether a rule compares the configurations of
// several hosts (package analysis/cluster). A single-file check never
// reports them, so a suppression comment naming one is not judged unused.
func IsClusterRule(id string) bool { return strings.HasPrefix(id, "cluster-") }

// FinishExtra applies the checker's rule settings and the document's
// suppression comments to diagnostics found outside the single-file check
// (the cluster rules of analysis/cluster): lines are absolute, Src nil is
// the document. It adds the suppression quick fixes and sorts the result.
// Unused suppressions are left to Check.
func (c *Checker) FinishExtra(d *parser.Doc, diags []parser.Diagnostic) []parser.Diagnostic {
	if len(diags) == 0 {
		return nil
	}
	out := append([]parser.Diagnostic(nil), diags...)
	var dirs []*suppDirective
	seen := map[*parser.Source]bool{}
	for i, u := range d.Units() {
		first := d.UnitLine(i)
		for _, dd := range unitDirectives(u) {
			dd.line += first
			for k := range dd.rules {
				dd.rules[k].span = dd.rules[k].span.Shift(first)
			}
			dirs = append(dirs, &dd)
		}
		if len(u.Includes) > 0 {
			for _, dd := range includeDirectives(u.Nodes, seen, nil) {
				dirs = append(dirs, &dd)
			}
		}
	}
	lines := func(src *parser.Source, ln int) []byte {
		if src != nil {
			return src.Line(ln)
		}
		return d.Line(ln)
	}
	if len(dirs) > 0 {
		out = suppress(out, dirs, lines, d.LineCount(), false)
	}
	kept := out[:0]
	for _, dg := range out {
		if dg.Rule != "unused-suppression" && c.cfg.apply(&dg) {
			kept = append(kept, dg)
		}
	}
	addSuppressFixes(kept, lines)
	SortDiagnostics(kept)
	return kept
}
