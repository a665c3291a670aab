package analysis

import (
	"fmt"
	"strconv"

	"github.com/keepalived-ls/keepalived-ls/parser"
)

func init() {
	keywordChecks["vrrp_instance > virtual_routes"] = checkRoutes
	keywordChecks["static_routes"] = checkRoutes
	keywordChecks["vrrp_instance > virtual_rules"] = checkRules
	keywordChecks["static_rules"] = checkRules
	for _, p := range []string{"global_defs > notification_email"} {
		keywordChecks[p] = checkNotEmpty
	}
}

func checkNotEmpty(c *unitCtx, n *parser.Node, _ []*parser.Node) {
	for v := range n.AllValues {
		if len(v.Tokens) > 0 {
			return
		}
	}
	c.add(n, W, "empty-block", n.Keyword.Span, fmt.Sprintf("'%s' is empty: keepalived ignores it", n.Keyword.Text))
}

// checkRoutes looks at iproute-style route lines: old spellings, and routes
// keepalived cannot track because they name no interface.
func checkRoutes(c *unitCtx, n *parser.Node, _ []*parser.Node) {
	for v := range n.AllValues {
		line := &parser.Node{Src: v.Src}
		hasDev, noTrack, nexthop := false, false, false
		for _, t := range v.Tokens {
			switch t.Text {
			case "gw":
				c.add(line, W, "deprecated-syntax", t.Span, "'gw' is an old spelling: write 'via'",
					parser.Fix{Title: "Use 'via'", Preferred: true, Edits: []parser.Edit{{Src: v.Src, Span: t.Span, NewText: "via"}}})
			case "or":
				c.add(line, W, "deprecated-syntax", t.Span, "'or' is an old spelling: write 'nexthop'",
					parser.Fix{Title: "Use 'nexthop'", Preferred: true, Edits: []parser.Edit{{Src: v.Src, Span: t.Span, NewText: "nexthop"}}})
			case "dev", "oif":
				hasDev = hasDev || !nexthop // a nexthop's dev is not the route's
			case "nexthop":
				nexthop = true
			case "no_track":
				noTrack = true
			}
		}
		if !hasDev && !noTrack && len(v.Tokens) > 0 {
			c.add(line, W, "missing-required", v.Tokens[0].Span,
				"keepalived cannot track a route without 'dev IFNAME' and does not watch it; add 'dev' or 'no_track'")
		}
	}
}

// ruleOptions maps iproute rule options to the number of words they take.
var ruleOptions = map[string]int{
	"inet": 0, "inet6": 0, "from": 1, "to": 1, "table": 1, "lookup": 1, "preference": 1, "order": 1,
	"priority": 1, "tos": 1, "dsfield": 1, "fwmark": 1, "realms": 1, "suppress_prefixlength": 1,
	"sup_pl": 1, "suppress_ifgroup": 1, "sup_group": 1, "dev": 1, "iif": 1, "oif": 1, "tunnel-id": 1,
	"uidrange": 1, "l3mdev": 0, "protocol": 1, "ipproto": 1, "sport": 1, "dport": 1, "no_track": 0,
	"track_group": 1, "goto": 1, "nop": 0, "blackhole": 0, "unreachable": 0, "prohibit": 0, "type": 1,
	"not": 0,
}

// checkRules looks at iproute-style rule lines like keepalived's
// alloc_rule(): unknown options, bad addresses and a missing preference.
func checkRules(c *unitCtx, n *parser.Node, _ []*parser.Node) {
	for v := range n.AllValues {
		if len(v.Tokens) == 0 {
			continue
		}
		line := &parser.Node{Src: v.Src}
		hasPref := false
		ok := true
		for i := 0; i < len(v.Tokens); i++ {
			t := v.Tokens[i]
			argc, known := ruleOptions[t.Text]
			if !known {
				c.add(line, E, "invalid-value", t.Span, fmt.Sprintf("unknown rule option '%s': keepalived drops this rule", t.Text))
				ok = false
				break
			}
			if i+argc >= len(v.Tokens) {
				c.add(line, E, "missing-argument", t.Span, fmt.Sprintf("rule option '%s' needs a value", t.Text))
				ok = false
				break
			}
			switch t.Text {
			case "preference", "order", "priority":
				hasPref = true
				if _, err := strconv.ParseUint(v.Tokens[i+1].Text, 10, 32); err != nil {
					c.add(line, E, "invalid-value", v.Tokens[i+1].Span, fmt.Sprintf("invalid rule preference '%s'", v.Tokens[i+1].Text))
					ok = false
				}
			case "from", "to":
				w := v.Tokens[i+1].Text
				if w != "all" && w != "default" && family(w) == 0 {
					c.add(line, E, "invalid-value", v.Tokens[i+1].Span, fmt.Sprintf("invalid rule %s address '%s': keepalived drops this rule", t.Text, w))
					ok = false
				}
			}
			i += argc
		}
		if ok && !hasPref {
			c.add(line, W, "missing-required", v.Tokens[0].Span,
				"this rule has no 'preference': keepalived picks one for it, which is probably not what you want")
		}
	}
}
