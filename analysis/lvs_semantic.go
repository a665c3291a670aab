package analysis

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/keepalived-ls/keepalived-ls/parser"
)

func init() {
	blockChecks["virtual_server > real_server > FILE_CHECK"] = func(c *unitCtx, n *parser.Node, _ []*parser.Node) {
		if child(n, "track_file") == nil {
			c.add(n, E, "missing-required", n.Keyword.Span, "FILE_CHECK has no 'track_file': keepalived ignores this checker")
		}
	}
	blockChecks["virtual_server > real_server > BFD_CHECK"] = func(c *unitCtx, n *parser.Node, _ []*parser.Node) {
		if child(n, "name") == nil {
			c.add(n, E, "missing-required", n.Keyword.Span, "BFD_CHECK has no 'name' (the bfd_instance to follow): keepalived ignores this checker")
		}
	}
	blockChecks["virtual_server > real_server > DNS_CHECK"] = func(c *unitCtx, n *parser.Node, _ []*parser.Node) {
		if child(n, "name") == nil {
			c.add(n, I, "missing-required", n.Keyword.Span,
				"DNS_CHECK has no 'name': keepalived queries the root domain '.', which a server that does not answer for the root may refuse; name a domain the server answers for")
		}
	}
}

// lastInt returns the value of the last keyword name directly in n, and
// whether it is present and numeric.
func lastInt(n *parser.Node, name string) (int64, *parser.Node, bool) {
	var m *parser.Node
	for k := range n.Body {
		if k.Schema != nil && k.Kind != parser.Include && k.Keyword.Text == name && len(k.Args) > 0 {
			m = k
		}
	}
	if m == nil {
		return 0, nil, false
	}
	v, err := strconv.ParseInt(m.Args[0].Text, 10, 64)
	if err != nil {
		return 0, m, false
	}
	return v, m, true
}

// virtualServerSemantics runs the rules about one virtual_server that need
// its resolved real servers, and records it for the cross-unit rules.
// vsPort is the virtual server's port (0 none, -1 a group), reals and
// sorry come from checkVirtualServer.
func virtualServerSemantics(c *unitCtx, n *parser.Node, vsPort int, fwmark bool, reals []server) {
	f := &vsFact{at: locOf(n, n.LineSpan()), hasRS: len(reals) > 0, uncertain: c.uncertain(n)}
	proto := "UDP"
	if p := lastArg(n, "protocol"); p != "" {
		proto = strings.ToUpper(p)
	}
	if len(n.Args) > 0 {
		switch a0 := n.Args[0].Text; {
		case a0 == "fwmark" && len(n.Args) > 1:
			fam := lastArg(n, "ip_family")
			if fam == "" && len(reals) > 0 {
				fam = map[bool]string{true: "inet", false: "inet6"}[reals[0].addr.Is4()]
			}
			f.key = "fwmark|" + n.Args[1].Text + "|" + fam
			f.desc = "fwmark " + n.Args[1].Text
		case a0 == "group" && len(n.Args) > 1:
			f.key = "group|" + n.Args[1].Text + "|" + proto
			f.desc = "group " + n.Args[1].Text + " (" + proto + ")"
		default:
			if a, ok := parseAddr(a0); ok {
				f.key = "addr|" + a.String() + "|" + strconv.Itoa(max(vsPort, 0)) + "|" + proto
				f.desc = a.String()
				if vsPort > 0 {
					f.desc += " " + strconv.Itoa(vsPort)
				}
				f.desc += " (" + proto + ")"
			}
		}
	}
	c.addFact(f)

	// A real server without a port takes the virtual server's.
	if vsPort > 0 && !fwmark {
		for _, s := range reals {
			if s.port != 0 || len(s.node.Args) == 0 {
				continue
			}
			addr := s.node.Args[0]
			var fixes []parser.Fix
			if !addr.Is(parser.Expanded) {
				if len(s.node.Args) > 1 {
					fixes = append(fixes, parser.Fix{Title: fmt.Sprintf("Write port %d", vsPort),
						Edits: []parser.Edit{{Src: s.node.Src, Span: s.node.Args[1].Span, NewText: strconv.Itoa(vsPort)}}})
				} else {
					fixes = append(fixes, parser.Fix{Title: fmt.Sprintf("Write port %d", vsPort),
						Edits: []parser.Edit{{Src: s.node.Src, Span: parser.Span{Start: addr.Span.End, End: addr.Span.End}, NewText: " " + strconv.Itoa(vsPort)}}})
				}
			}
			c.add(s.node, I, "implicit-real-server-port", s.node.LineSpan(), fmt.Sprintf(
				"real_server %s has no port: keepalived uses the virtual server's port %d", addr.Text, vsPort), fixes...)
		}
	}

	// Quorum and hysteresis against the real servers' weights.
	quorum, qNode, qOK := lastInt(n, "quorum")
	if qNode != nil && !qOK {
		return
	}
	hyst, hNode, hOK := lastInt(n, "hysteresis")
	if hNode != nil && !hOK {
		return
	}
	if qNode == nil && hNode == nil {
		return
	}
	if qNode == nil {
		quorum = 1
	}
	vsWeight, wNode, wOK := lastInt(n, "weight")
	if wNode != nil && !wOK {
		return
	}
	if wNode == nil {
		vsWeight = 1
	}
	total := int64(0)
	type dest struct {
		addr string
		port int
	}
	seen := map[dest]bool{}
	for _, s := range reals {
		d := dest{s.addr.String(), s.port}
		if seen[d] {
			continue // keepalived removes an exact duplicate
		}
		seen[d] = true
		w, m, ok := lastInt(s.node, "weight")
		switch {
		case m == nil:
			w = vsWeight
		case !ok:
			return
		}
		total += w
	}
	if len(reals) == 0 {
		return
	}
	if qNode != nil && quorum > total {
		c.add(qNode, W, "quorum-unreachable", qNode.Args[0].Span, fmt.Sprintf(
			"quorum %d is more than the total weight of the real servers (%d): the service could never be up, so keepalived lowers the quorum to %d", quorum, total, total))
		quorum = total
	}
	if hNode != nil && hyst >= quorum && quorum > 0 {
		c.add(hNode, W, "quorum-unreachable", hNode.Args[0].Span, fmt.Sprintf(
			"hysteresis %d is not below the quorum %d: keepalived lowers it to %d", hyst, quorum, quorum-1))
	}
}

// lastArg returns the first argument of the last keyword name directly in
// n, or "".
func lastArg(n *parser.Node, name string) string {
	v := ""
	for k := range n.Body {
		if k.Schema != nil && k.Kind != parser.Include && k.Keyword.Text == name && len(k.Args) > 0 {
			v = k.Args[0].Text
		}
	}
	return v
}
