package analysis

import (
	"fmt"

	"github.com/keepalived-ls/keepalived-ls/parser"
)

// symEvent is a definition or a use of a named object, in document order.
type symEvent struct {
	def     bool
	removed string // keepalived drops the object defined here, and why
	kind    string // vrrp_script, vrrp_instance, ...
	name    string
	src     *parser.Source
	span    parser.Span
}

// parseTimeKinds are resolved by keepalived while it reads the file, so the
// definition must come first.
var parseTimeKinds = map[string]bool{
	"vrrp_script": true, "track_file": true, "vrrp_track_process": true,
	"bfd_instance": true, "track_group": true, "garp_group": true,
}

// symDiag is a symbol diagnostic with lines relative to results[unit].
type symDiag struct {
	unit    int // results index the diagnostic's lines are relative to
	related int // results index its related location's lines are relative to
	diag    parser.Diagnostic
}

// checkSymbols resolves references across the whole document. Diagnostics
// keep unit-relative lines (see symDiag).
func checkSymbols(results []*unitResult) []symDiag {
	type loc struct {
		src  *parser.Source
		span parser.Span
		unit int
	}
	type symKey struct{ kind, name string }
	key := func(kind, name string) symKey { return symKey{kind, name} }
	defined := map[symKey]loc{} // usable definitions seen so far
	seen := map[symKey]loc{}    // every definition seen so far
	gone := map[symKey]string{} // definitions keepalived removes, and why
	later := map[symKey]bool{}  // usable definitions anywhere
	for _, r := range results {
		for _, s := range r.syms {
			if s.def && s.removed == "" {
				later[key(s.kind, s.name)] = true
			}
		}
	}
	var out []symDiag
	for i, r := range results {
		abs := func(_ *parser.Source, s parser.Span) parser.Span { return s }
		emit := func(d parser.Diagnostic, related int) { out = append(out, symDiag{unit: i, related: related, diag: d}) }
		for _, s := range r.syms {
			k := key(s.kind, s.name)
			if s.def {
				if first, ok := seen[k]; ok {
					sev := W
					if s.kind == "vrrp_instance" || s.kind == "vrrp_sync_group" {
						sev = E
					}
					msg := fmt.Sprintf("%s '%s' is already defined", s.kind, s.name)
					if s.kind == "vmac interface" {
						msg = fmt.Sprintf("another vrrp_instance already creates interface '%s': keepalived ignores this name", s.name)
					}
					emit(parser.Diagnostic{Src: s.src, Span: abs(s.src, s.span), Severity: sev, Rule: "duplicate-name",
						Message: msg, Related: []parser.Related{{Src: first.src, Span: first.span, Message: "first definition"}}}, first.unit)
					if _, usable := defined[k]; usable {
						continue // keepalived keeps the first one
					}
				}
				seen[k] = loc{s.src, abs(s.src, s.span), i}
				if s.removed != "" {
					gone[k] = s.removed
					continue
				}
				defined[k] = seen[k]
				continue
			}
			if _, ok := defined[k]; ok {
				continue
			}
			var msg, rule string
			switch {
			case later[k] && parseTimeKinds[s.kind]:
				rule = "reference-before-definition"
				msg = fmt.Sprintf("%s '%s' is defined further down: keepalived looks it up while reading, so it ignores this reference; move the definition above", s.kind, s.name)
			case later[k]:
				continue // resolved after reading: order does not matter
			case gone[k] != "":
				rule = "undefined-reference"
				msg = fmt.Sprintf("keepalived removes %s '%s' (%s), so this reference does nothing", s.kind, s.name, gone[k])
			default:
				rule = "undefined-reference"
				msg = fmt.Sprintf("there is no %s named '%s'", s.kind, s.name)
			}
			emit(parser.Diagnostic{Src: s.src, Span: abs(s.src, s.span), Severity: E, Rule: rule, Message: msg}, i)
		}
	}
	return out
}
