package analysis

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/keepalived-ls/keepalived-ls/parser"
)

func init() {
	keywordChecks["vrrp_instance > authentication > auth_pass"] = checkAuthPass
	blockChecks["vrrp_instance"] = checkInstance
	blockChecks["vrrp_script"] = func(c *unitCtx, n *parser.Node, _ []*parser.Node) {
		if child(n, "script") == nil {
			c.add(n, E, "missing-required", n.Keyword.Span, fmt.Sprintf(
				"vrrp_script '%s' has no 'script': keepalived removes it, and tracking it does nothing", argText(n, 0)))
			c.removed(n, "vrrp_script", "it has no 'script'")
		}
	}
	blockChecks["bfd_instance"] = func(c *unitCtx, n *parser.Node, _ []*parser.Node) {
		if child(n, "neighbor_ip") == nil && child(n, "neighbour_ip") == nil {
			c.add(n, E, "missing-required", n.Keyword.Span, fmt.Sprintf(
				"bfd_instance '%s' has no 'neighbor_ip': keepalived disables it", argText(n, 0)))
			c.removed(n, "bfd_instance", "it has no 'neighbor_ip'")
		}
	}
	for _, p := range []string{"vrrp_script > interval", "vrrp_script > timeout"} {
		keywordChecks[p] = func(c *unitCtx, n *parser.Node, _ []*parser.Node) {
			if len(n.Args) > 0 {
				if f, err := strconv.ParseFloat(n.Args[0].Text, 64); err == nil && f == 0 {
					c.add(n, W, "questionable-value", n.Args[0].Span, fmt.Sprintf(
						"%s 0 is not allowed: keepalived uses 1 second instead", n.Keyword.Text))
				}
			}
		}
	}
	keywordChecks["vrrp_instance > use_vmac"] = vmacName
	keywordChecks["vrrp_instance > use_ipvlan"] = vmacName
}

// argText returns argument i of a node, or "".
func argText(n *parser.Node, i int) string {
	if i < len(n.Args) {
		return n.Args[i].Text
	}
	return ""
}

// removed records that keepalived drops the object n defines, so that
// references to it can say why they do nothing.
func (c *unitCtx) removed(n *parser.Node, kind, why string) {
	if len(n.Args) == 0 {
		return
	}
	for i := len(c.syms) - 1; i >= 0; i-- {
		s := &c.syms[i]
		if s.def && s.kind == kind && s.span == n.Args[0].Span && s.src == n.Src {
			s.removed = why
			return
		}
	}
}

func checkAuthPass(c *unitCtx, n *parser.Node, _ []*parser.Node) {
	if len(n.Args) == 0 {
		return
	}
	a := n.Args[0]
	if len(a.Text) <= 8 {
		return
	}
	// keepalived keeps 8 bytes, which may end inside a multi-byte character.
	kept := a.Text[:8]
	wholeChars := utf8.ValidString(kept)
	var fixes []parser.Fix
	if !a.Is(parser.Expanded) && wholeChars {
		text := kept
		if a.Is(parser.Quoted) {
			text = `"` + kept + `"`
		}
		fixes = append(fixes, parser.Fix{Title: fmt.Sprintf("Truncate to '%s'", kept), Preferred: true,
			Edits: []parser.Edit{{Src: n.Src, Span: a.Span, NewText: text}}})
	}
	msg := fmt.Sprintf("auth_pass is %d characters long; keepalived uses only the first 8 ('%s'), so peers must use the same 8", len(a.Text), kept)
	if utf8.RuneCountInString(a.Text) != len(a.Text) {
		shown := kept
		if !wholeChars {
			shown = strings.ToValidUTF8(kept, "…")
		}
		msg = fmt.Sprintf("auth_pass is %d bytes long (%d characters); keepalived uses only the first 8 bytes ('%s'), so peers must use the same 8 bytes",
			len(a.Text), utf8.RuneCountInString(a.Text), shown)
		if !wholeChars {
			msg += "; the 8th byte falls inside a character, so no text can say the same: use an ASCII password"
		}
	}
	c.add(n, W, "auth-pass-truncated", a.Span, msg, fixes...)
}

// checkDuplicateEntries reports an object tracked twice by one instance or
// sync group (in one track_* block or in two).
func checkDuplicateEntries(c *unitCtx, n *parser.Node, _ []*parser.Node) {
	seen := map[string]bool{}
	for m := range n.Body {
		if m.Kind != parser.ValueBlock || !strings.HasPrefix(m.Keyword.Text, "track_") {
			continue
		}
		for v := range m.AllValues {
			if len(v.Tokens) == 0 {
				continue
			}
			key := m.Keyword.Text + " " + v.Tokens[0].Text
			if seen[key] {
				line := &parser.Node{Src: v.Src}
				c.add(line, W, "duplicate-keyword", v.Tokens[0].Span, fmt.Sprintf(
					"'%s' is already in this %s's %s; keepalived ignores the repeat", v.Tokens[0].Text, n.Keyword.Text, m.Keyword.Text))
			}
			seen[key] = true
		}
	}
}

// vmacName records the interface name a use_vmac or use_ipvlan creates, so
// that two instances giving the same name are reported.
func vmacName(c *unitCtx, n *parser.Node, _ []*parser.Node) {
	if len(n.Args) == 0 {
		return
	}
	w := n.Args[0]
	if strings.Contains(w.Text, ":") || w.Text == "group" || w.Text == "name" || w.Text == "netlink_notify_msg" {
		return
	}
	c.syms = append(c.syms, symEvent{def: true, kind: "vmac interface", name: w.Text, src: n.Src, span: w.Span})
}

// family returns 4 or 6 for an address word (prefix or range allowed), 0
// when it is not an address.
func family(w string) int {
	if i := strings.IndexAny(w, "/-"); i >= 0 {
		w = w[:i]
	}
	a, err := netip.ParseAddr(w)
	if err != nil {
		return 0
	}
	if a.Is4() {
		return 4
	}
	return 6
}

// checkInstance runs the vrrp_instance rules that need the whole block.
func checkInstance(c *unitCtx, n *parser.Node, anc []*parser.Node) {
	checkDuplicateEntries(c, n, anc)
	iface := child(n, "interface")
	unicast := child(n, "unicast_peer") != nil || child(n, "unicast_src_ip") != nil
	vmac := child(n, "use_vmac")
	if vmac == nil {
		vmac = child(n, "use_ipvlan")
	}
	if unicast && vmac != nil && iface == nil {
		c.add(n, W, "missing-required", n.Keyword.Span, fmt.Sprintf(
			"'%s' with unicast peers needs an 'interface': keepalived turns %s off for this instance", vmac.Keyword.Text, vmac.Keyword.Text))
	}
	// The instance's address family comes from its first address (or
	// native_ipv6); VIPs and unicast peers of the other family are dropped.
	fam := 0
	for m := range n.Body {
		if m.Schema == nil || m.Kind == parser.Include {
			continue
		}
		switch m.Keyword.Text {
		case "unicast_src_ip", "mcast_src_ip", "mcast_dst_ip":
			if fam == 0 && len(m.Args) > 0 {
				fam = family(m.Args[0].Text)
			}
		case "native_ipv6":
			if fam == 4 {
				c.add(m, E, "invalid-value", m.Keyword.Span,
					"native_ipv6 in an instance that already has IPv4 addresses: keepalived ignores it (put native_ipv6 first, with IPv6 addresses only)")
				continue
			}
			fam = 6
		case "unicast_peer", "virtual_ipaddress":
			for v := range m.AllValues {
				if len(v.Tokens) == 0 {
					continue
				}
				f := family(v.Tokens[0].Text)
				if f == 0 {
					continue
				}
				if fam == 0 {
					fam = f
					continue
				}
				if f != fam {
					line := &parser.Node{Src: v.Src}
					if m.Keyword.Text == "virtual_ipaddress" {
						c.add(line, E, "invalid-value", v.Tokens[0].Span, fmt.Sprintf(
							"IPv%d address in an IPv%d instance: keepalived ignores it (put it in virtual_ipaddress_excluded or a separate instance)", f, fam))
					} else {
						c.add(line, E, "invalid-value", v.Tokens[0].Span, fmt.Sprintf(
							"IPv%d unicast peer in an IPv%d instance: keepalived skips it (peers must have the instance's address family)", f, fam))
					}
				}
			}
		}
	}
	instanceSemantics(c, n, fam)
}
