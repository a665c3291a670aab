package analysis

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/keepalived-ls/keepalived-ls/parser"
)

func init() {
	blockChecks["vrrp_sync_group"] = func(c *unitCtx, n *parser.Node, anc []*parser.Node) {
		checkDuplicateEntries(c, n, anc)
		syncGroupFacts(c, n)
	}
}

// parseAddr reads an address word as keepalived does: anything after the
// first '/' or '-' is dropped.
func parseAddr(w string) (netip.Addr, bool) {
	if i := strings.IndexAny(w, "/-"); i >= 0 {
		w = w[:i]
	}
	a, err := netip.ParseAddr(w)
	if err != nil || a.Zone() != "" {
		return netip.Addr{}, false
	}
	return a, true
}

// uncertain reports whether n holds an "@^ID" line that applies: such lines
// are dropped on the node whose id is ID, so the object differs between
// nodes and may not coexist with the others on one node.
func (c *unitCtx) uncertain(n *parser.Node) bool {
	if c.unit == nil {
		return false
	}
	sp := n.Span()
	for _, cd := range c.unit.Conditionals {
		if cd.Src == n.Src && cd.Negated && cd.Active && cd.Span.Start.Line >= sp.Start.Line && cd.Span.Start.Line <= sp.End.Line {
			return true
		}
	}
	return false
}

// instanceSemantics runs the rules about one vrrp_instance's settings and
// records what the cross-unit rules need. fam is the instance's address
// family as checkInstance found it (0: none).
func instanceSemantics(c *unitCtx, n *parser.Node, fam int) {
	if fam == 0 {
		fam = 4
	}
	f := &instFact{name: argText(n, 0), at: locOf(n, n.Keyword.Span), family: fam, uncertain: c.uncertain(n)}
	if len(n.Args) > 0 {
		f.at = locOf(n, n.Args[0].Span)
	}
	f.vridAt, f.stateAt, f.prioAt = f.at, f.at, f.at
	var state255, nopreempt, preemptDelay *parser.Node
	master := false
	type vipSeen struct {
		at   semLoc
		line *parser.Node
	}
	vips := map[netip.Addr]vipSeen{}
	for m := range n.Body {
		if m.Schema == nil || m.Kind == parser.Include {
			continue
		}
		switch m.Keyword.Text {
		case "virtual_router_id":
			if len(m.Args) > 0 {
				if v, err := strconv.Atoi(m.Args[0].Text); err == nil && v >= 1 && v <= 255 {
					f.vrid, f.vridAt = v, locOf(m, m.Args[0].Span)
				}
			}
		case "interface":
			if len(m.Args) > 0 {
				f.iface = m.Args[0].Text
			}
		case "mcast_dst_ip":
			if len(m.Args) > 0 {
				f.mcast = m.Args[0].Text
				if a, ok := parseAddr(f.mcast); ok && (a == netip.MustParseAddr("224.0.0.18") || a == netip.MustParseAddr("ff02::12")) {
					f.mcast = ""
				}
			}
		case "unicast_src_ip", "mcast_src_ip":
			if len(m.Args) > 0 {
				if a, ok := parseAddr(m.Args[0].Text); ok {
					f.src = a
				}
			}
		case "unicast_peer":
			for v := range m.AllValues {
				if len(v.Tokens) == 0 {
					continue
				}
				if a, ok := parseAddr(v.Tokens[0].Text); ok && family(v.Tokens[0].Text) == fam {
					f.peers = append(f.peers, a)
					f.unicast = true
				}
			}
		case "state":
			if len(m.Args) > 0 {
				switch m.Args[0].Text {
				case "MASTER":
					master = true
					f.state, f.stateAt = "MASTER", locOf(m, m.Args[0].Span)
					state255 = m
				case "BACKUP":
					if !master { // BACKUP after MASTER is ignored
						f.state, f.stateAt = "BACKUP", locOf(m, m.Args[0].Span)
						state255 = m
					}
				}
			}
		case "priority":
			if len(m.Args) > 0 {
				if v, err := strconv.Atoi(m.Args[0].Text); err == nil && v >= 1 && v <= 255 {
					f.priority, f.prioAt = v, locOf(m, m.Args[0].Span)
				}
			}
		case "nopreempt":
			nopreempt = m
		case "preempt":
			nopreempt = nil
		case "preempt_delay":
			preemptDelay = m
			if len(m.Args) > 0 {
				if v, err := strconv.ParseFloat(m.Args[0].Text, 64); err == nil && v == 0 {
					preemptDelay = nil
				}
			}
		case "virtual_ipaddress":
			for v := range m.AllValues {
				if len(v.Tokens) == 0 {
					continue
				}
				t := v.Tokens[0]
				a, ok := parseAddr(t.Text)
				if !ok || family(t.Text) != fam {
					continue
				}
				line := &parser.Node{Src: v.Src}
				if prev, dup := vips[a]; dup {
					c.out = append(c.out, parser.Diagnostic{Src: v.Src, Span: t.Span, Severity: W, Rule: "duplicate-vip",
						Message: fmt.Sprintf("%s is already a virtual address of this instance: keepalived 2.3.3 and later ignore the repeat; older releases try to add the address twice", a),
						Related: []parser.Related{{Src: prev.at.src, Span: prev.at.span, Message: "first listed here"}},
						Fixes:   []parser.Fix{c.deleteValueFix(line, v, "Delete the repeated address")}})
					continue
				}
				vips[a] = vipSeen{locOf(line, t.Span), line}
				dev := ""
				for i := 1; i+1 < len(v.Tokens); i++ {
					if v.Tokens[i].Text == "dev" {
						dev = v.Tokens[i+1].Text
					}
				}
				f.vips = append(f.vips, vipFact{a, dev, locOf(line, t.Span)})
			}
		}
	}
	// Addresses without a 'dev' go on the instance's interface, or on
	// its own VMAC or ipvlan interface.
	dev := f.iface
	if child(n, "use_vmac") != nil || child(n, "use_ipvlan") != nil {
		dev = "the VMAC interface of " + f.name
	}
	for i := range f.vips {
		if f.vips[i].dev == "" {
			f.vips[i].dev = dev
		}
	}
	// Own address among the unicast peers.
	if f.src.IsValid() {
		for m := range n.Body {
			if m.Schema == nil || m.Keyword.Text != "unicast_peer" {
				continue
			}
			for v := range m.AllValues {
				if len(v.Tokens) == 0 {
					continue
				}
				if a, ok := parseAddr(v.Tokens[0].Text); ok && a == f.src {
					line := &parser.Node{Src: v.Src}
					c.add(line, W, "unicast-peer-is-self", v.Tokens[0].Span, fmt.Sprintf(
						"%s is this instance's own unicast_src_ip: the instance sends its adverts to itself; list only the other nodes (a peer list shared by all nodes needs each node's own address left out)", a),
						c.deleteValueFix(line, v, "Remove the instance's own address"))
				}
			}
		}
	}
	state := f.effectiveState()
	prio := f.effectivePriority()
	if f.priority == 255 && f.state == "BACKUP" && state255 != nil {
		c.add(state255, W, "state-priority-mismatch", f.stateAt.span,
			"priority 255 makes this instance the address owner: it becomes MASTER whatever its state, so 'state BACKUP' is misleading; use state MASTER, or a priority below 255 for a real backup")
	}
	if nopreempt != nil {
		switch {
		case prio == 255:
			c.add(nopreempt, W, "preemption-conflict", nopreempt.Keyword.Span,
				"nopreempt does not work with priority 255 (the address owner always preempts): keepalived clears it; use a priority below 255")
		case state == "MASTER":
			c.add(nopreempt, W, "preemption-conflict", nopreempt.Keyword.Span,
				"nopreempt does not work with state MASTER: keepalived clears it; use state BACKUP on every node of this virtual router")
		case f.state == "":
			c.add(nopreempt, I, "preemption-conflict", nopreempt.Keyword.Span,
				"nopreempt needs the initial state BACKUP: without 'state' this instance starts as BACKUP only because its priority is below 255; write 'state BACKUP' to make it explicit")
		}
	}
	if preemptDelay != nil {
		switch {
		case nopreempt != nil && prio != 255 && state != "MASTER":
			c.add(preemptDelay, W, "preemption-conflict", preemptDelay.Keyword.Span,
				"preempt_delay has no effect with nopreempt (the instance never preempts): keepalived resets it to 0")
		case state == "MASTER":
			c.add(preemptDelay, W, "preemption-conflict", preemptDelay.Keyword.Span,
				"preempt_delay does not work with state MASTER: keepalived clears it; use state BACKUP")
		}
	}
	c.addFact(f)
}

// deleteValueFix deletes one line of a value block when it has the line to
// itself.
func (c *unitCtx) deleteValueFix(line *parser.Node, v *parser.ValueLine, title string) parser.Fix {
	span := v.Tokens[0].Span.Cover(v.Tokens[len(v.Tokens)-1].Span)
	text := c.line(line, int(span.Start.Line))
	if span.Start.Line == span.End.Line && int(span.End.Col) <= len(text) &&
		strings.TrimSpace(string(text[:span.Start.Col])) == "" && strings.TrimSpace(string(text[span.End.Col:])) == "" {
		span = parser.Span{Start: parser.Pos{Line: span.Start.Line}, End: parser.Pos{Line: span.Start.Line + 1}}
	}
	return parser.Fix{Title: title, Edits: []parser.Edit{{Src: v.Src, Span: span, NewText: ""}}}
}

// syncGroupFacts records a sync group's members for the cross-unit rules.
func syncGroupFacts(c *unitCtx, n *parser.Node) {
	if len(n.Args) == 0 {
		return
	}
	f := &syncFact{name: n.Args[0].Text, at: locOf(n, n.Args[0].Span)}
	g := child(n, "group")
	if g == nil {
		return
	}
	for v := range g.AllValues {
		line := &parser.Node{Src: v.Src}
		for _, t := range v.Tokens {
			f.members = append(f.members, syncMember{t.Text, locOf(line, t.Span)})
		}
	}
	c.addFact(f)
}
