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
	node    *parser.Node
}

// parseTimeKinds are resolved by keepalived while it reads the file, so the
// definition must come first.
var parseTimeKinds = map[string]bool{
	"vrrp_script": true, "track_file": true, "vrrp_track_process": true,
	"bfd_instance": true, "track_group": true, "garp_group": true,
}

// checkSymbols resolves references across the whole document.
func checkSymbols(firsts []int32, results []*unitResult) []parser.Diagnostic {
	type loc struct {
		src  *parser.Source
		span parser.Span
	}
	defined := map[string]map[string]loc{}
	all := map[string]map[string]bool{}
	gone := map[string]map[string]string{}
	for _, r := range results {
		for _, s := range r.syms {
			if s.removed != "" {
				if gone[s.kind] == nil {
					gone[s.kind] = map[string]string{}
				}
				gone[s.kind][s.name] = s.removed
			}
			if s.def {
				if all[s.kind] == nil {
					all[s.kind] = map[string]bool{}
				}
				all[s.kind][s.name] = true
			}
		}
	}
	var out []parser.Diagnostic
	for i, r := range results {
		base := firsts[i]
		abs := func(src *parser.Source, s parser.Span) parser.Span {
			if src == nil {
				return s.Shift(base)
			}
			return s
		}
		for _, s := range r.syms {
			if s.removed != "" {
				continue
			}
			if s.def {
				if defined[s.kind] == nil {
					defined[s.kind] = map[string]loc{}
				}
				if first, ok := defined[s.kind][s.name]; ok {
					sev := W
					if s.kind == "vrrp_instance" || s.kind == "vrrp_sync_group" {
						sev = E
					}
					msg := fmt.Sprintf("%s '%s' is already defined", s.kind, s.name)
					if s.kind == "vmac interface" {
						msg = fmt.Sprintf("another vrrp_instance already creates interface '%s': keepalived ignores this name", s.name)
					}
					out = append(out, parser.Diagnostic{Src: s.src, Span: abs(s.src, s.span), Severity: sev, Rule: "duplicate-name",
						Message: msg,
						Related: []parser.Related{{Src: first.src, Span: first.span, Message: "first definition"}}})
					continue
				}
				defined[s.kind][s.name] = loc{s.src, abs(s.src, s.span)}
				continue
			}
			if _, ok := defined[s.kind][s.name]; ok {
				if why := gone[s.kind][s.name]; why != "" {
					out = append(out, parser.Diagnostic{Src: s.src, Span: abs(s.src, s.span), Severity: E, Rule: "undefined-reference",
						Message: fmt.Sprintf("keepalived removes %s '%s' (%s), so this reference does nothing", s.kind, s.name, why)})
				}
				continue
			}
			if all[s.kind][s.name] {
				if parseTimeKinds[s.kind] {
					out = append(out, parser.Diagnostic{Src: s.src, Span: abs(s.src, s.span), Severity: E, Rule: "reference-before-definition",
						Message: fmt.Sprintf("%s '%s' is defined further down: keepalived looks it up while reading, so it ignores this reference; move the definition above", s.kind, s.name)})
				}
				continue
			}
			out = append(out, parser.Diagnostic{Src: s.src, Span: abs(s.src, s.span), Severity: E, Rule: "undefined-reference",
				Message: fmt.Sprintf("there is no %s named '%s'", s.kind, s.name)})
		}
	}
	return out
}
