package analysis

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/keepalived-ls/keepalived-ls/parser"
	"github.com/keepalived-ls/keepalived-ls/parser/schema"
)

func init() {
	blockChecks["virtual_server"] = checkVirtualServer
	keywordChecks["virtual_server_group"] = func(c *unitCtx, n *parser.Node, a []*parser.Node) {
		checkNotEmpty(c, n, a)
		for v := range n.AllValues {
			if len(v.Tokens) > 0 && v.Tokens[0].Text != "fwmark" {
				checkVSGAddress(c, &parser.Node{Src: v.Src}, v.Tokens[0])
			}
		}
	}
	for _, ck := range []string{"HTTP_GET", "SSL_GET"} {
		blockChecks["virtual_server > real_server > "+ck] = func(c *unitCtx, n *parser.Node, _ []*parser.Node) {
			urls, usable := 0, 0
			for m := range n.Body {
				if m.Schema != nil && m.Keyword.Text == "url" {
					urls++
					if child(m, "path") != nil {
						usable++
					}
				}
			}
			switch {
			case urls == 0:
				c.add(n, E, "missing-required", n.Keyword.Span, fmt.Sprintf("%s has no 'url' block: keepalived ignores this checker", n.Keyword.Text))
			case usable == 0:
				c.add(n, E, "missing-required", n.Keyword.Span, fmt.Sprintf("none of the urls of this %s has a 'path': keepalived ignores this checker", n.Keyword.Text))
			}
		}
		keywordChecks["virtual_server > real_server > "+ck+" > url > status_code"] = checkStatusCodes
		blockChecks["virtual_server > real_server > "+ck+" > url"] = func(c *unitCtx, n *parser.Node, _ []*parser.Node) {
			if child(n, "path") == nil {
				c.add(n, E, "missing-required", n.Keyword.Span, "this url has no 'path': keepalived ignores it")
			}
		}
	}
	blockChecks["virtual_server > real_server > MISC_CHECK"] = func(c *unitCtx, n *parser.Node, _ []*parser.Node) {
		if child(n, "misc_path") == nil {
			c.add(n, E, "missing-required", n.Keyword.Span, "MISC_CHECK has no 'misc_path': keepalived ignores this checker")
		}
	}
}

// checkVSGAddress validates an address entry of a virtual_server_group:
// IP, IP-LAST, IP1-IP2 or IP/LEN.
func checkVSGAddress(c *unitCtx, line *parser.Node, t parser.Token) {
	w := t.Text
	bad := func(why string) {
		c.add(line, E, "invalid-value", t.Span, fmt.Sprintf("invalid virtual_server_group entry '%s': %s; keepalived skips it", w, why))
	}
	base, rest := w, ""
	if i := strings.IndexAny(w, "/-"); i >= 0 {
		base, rest = w[:i], w[i:]
	}
	a, err := netip.ParseAddr(base)
	if err != nil || a.Zone() != "" {
		bad("not a numeric IP address")
		return
	}
	switch {
	case strings.HasPrefix(rest, "/"):
		bits, err := strconv.Atoi(rest[1:])
		if err != nil || bits < 1 || bits > a.BitLen() {
			bad(fmt.Sprintf("the prefix length must be 1..%d", a.BitLen()))
			return
		}
		if p := netip.PrefixFrom(a, bits); p.Masked().Addr() != a {
			bad("host bits are set below the prefix length")
		}
	case strings.HasPrefix(rest, "-"):
		end := rest[1:]
		if strings.ContainsAny(end, ".:") {
			e, err := netip.ParseAddr(end)
			switch {
			case err != nil:
				bad("the range end is not an address")
			case e.Is4() != a.Is4():
				bad("the range ends in another address family")
			case e.Less(a):
				bad("the range end is below its start")
			}
			return
		}
		max := uint64(255)
		if a.Is6() {
			max = 0xffff
		}
		n, err := strconv.ParseUint(end, map[bool]int{true: 10, false: 16}[a.Is4()], 32)
		if err != nil || n > max {
			bad("the range end is not valid")
			return
		}
		last := uint64(a.As16()[15])
		if a.Is6() {
			b := a.As16()
			last = uint64(b[14])<<8 | uint64(b[15])
		}
		if n <= last {
			bad("the range end must be greater than its start")
		}
	}
}

// server is a real or sorry server of a virtual server, with its address
// and port as written and as keepalived will use them.
type server struct {
	node    *parser.Node
	addr    netip.Addr
	port    int // as written (0: none)
	effPort int // after keepalived's port defaults
}

// serverKey identifies an IPVS destination.
type serverKey struct {
	addr netip.Addr
	port int
}

// checkVirtualServer finds duplicate real servers and sorry servers that
// are also real servers, after keepalived's port normalisation.
func checkVirtualServer(c *unitCtx, n *parser.Node, _ []*parser.Node) {
	vsPort, fwmark := 0, false
	if len(n.Args) > 0 {
		switch n.Args[0].Text {
		case "fwmark":
			fwmark = true
		case "group":
			vsPort = -1 // the group's entries decide
		default:
			if len(n.Args) > 1 {
				vsPort, _ = strconv.Atoi(n.Args[1].Text)
			}
		}
	}
	method := "NAT"
	// The lists live in the context's scratch buffer: reals first, then sorry.
	servers := c.servers[:0]
	for m := range n.Body {
		if m.Schema == nil || len(m.Args) == 0 {
			continue
		}
		switch m.Keyword.Text {
		case "lb_kind", "lvs_method":
			method = m.Args[0].Text
		case "real_server":
			servers = append(servers, server{node: m})
		}
	}
	nReals := len(servers)
	for m := range n.Body {
		if m.Schema != nil && len(m.Args) > 0 && m.Keyword.Text == "sorry_server" {
			servers = append(servers, server{node: m})
		}
	}
	c.servers = servers
	reals, sorry := servers[:nReals:nReals], servers[nReals:]
	resolve := func(list []server, rsLevel bool) []server {
		out := list[:0]
		for _, s := range list {
			m := s.node
			w := m.Args[0].Text
			if i := strings.IndexAny(w, "/-"); i >= 0 {
				w = w[:i]
			}
			a, err := netip.ParseAddr(w)
			if err != nil {
				continue
			}
			s.addr = a
			if len(m.Args) > 1 {
				s.port, _ = strconv.Atoi(m.Args[1].Text)
			}
			meth := method
			if rsLevel {
				if lm := child(m, "lvs_method"); lm != nil && len(lm.Args) > 0 {
					meth = lm.Args[0].Text
				}
			}
			s.effPort = s.port
			switch {
			case fwmark && meth != "NAT":
				s.effPort = 0
			case vsPort > 0 && (s.port == 0 || meth == "DR" || meth == "TUN"):
				s.effPort = vsPort
			}
			out = append(out, s)
		}
		return out
	}
	reals, sorry = resolve(reals, true), resolve(sorry, false)
	for _, list := range [2][]server{reals, sorry} {
		for _, s := range list {
			if !fwmark && vsPort > 0 && s.port != 0 && s.port != vsPort && s.effPort == vsPort && len(s.node.Args) > 1 {
				c.add(s.node, W, "questionable-value", s.node.Args[1].Span, fmt.Sprintf(
					"with DR or TUN the real server must use the virtual server's port: keepalived uses %d, not %d", vsPort, s.port))
			}
		}
	}
	key := func(s server) serverKey { return serverKey{s.addr, s.effPort} }
	if c.firstServer == nil {
		c.firstServer = map[serverKey]server{}
	}
	first := c.firstServer
	clear(first)
	for _, s := range reals {
		k := key(s)
		prev, dup := first[k]
		if !dup {
			first[k] = s
			continue
		}
		what := fmt.Sprintf("real_server %s is already declared in this virtual_server", serverText(s))
		msg := what + "; keepalived keeps only one of them"
		if prev.port != s.port {
			msg = what + fmt.Sprintf(" (the same destination %s once keepalived fills in the port); keepalived does not notice and both manage it", destText(k))
		}
		c.addRelated(s.node, E, "duplicate-real-server", s.node.LineSpan(), msg, prev.node, "first declared here",
			c.deleteFix(s.node, "Delete this duplicate real_server"))
	}
	for _, s := range sorry {
		r, ok := first[key(s)]
		if !ok {
			continue
		}
		sev := W
		msg := fmt.Sprintf("sorry_server %s is also real_server %s of this virtual_server", serverText(s), serverText(r))
		if c.cfg.Target.InRange(schema.Version{Major: 2, Minor: 3}, schema.Version{Major: 2, Minor: 3, Patch: 3}) {
			sev = E
			msg += fmt.Sprintf("; keepalived %s can crash its checker process when this virtual server is reloaded (fixed in 2.3.4): use a different sorry server, or restart instead of reload", c.cfg.Target)
		} else {
			msg += "; the sorry server is then never a fallback, and reloads that change it are fragile (keepalived 2.3.0 to 2.3.3 crash)"
		}
		c.addRelated(s.node, sev, "sorry-server-is-real-server", s.node.LineSpan(), msg, r.node, "the real_server",
			c.deleteFix(s.node, "Remove the sorry_server"), c.deleteFix(r.node, "Remove the conflicting real_server"))
	}
	virtualServerSemantics(c, n, vsPort, fwmark, reals)
}

func destText(k serverKey) string {
	if k.port == 0 {
		return k.addr.String()
	}
	return netip.AddrPortFrom(k.addr, uint16(k.port)).String()
}

func serverText(s server) string {
	var parts []string
	for _, a := range s.node.Args {
		parts = append(parts, a.Text)
	}
	return strings.Join(parts, " ")
}

// deleteFix deletes a node's lines when it has them to itself.
func (c *unitCtx) deleteFix(n *parser.Node, title string) parser.Fix {
	span := n.Span()
	lineText := c.line(n, int(span.Start.Line))
	endText := c.line(n, int(span.End.Line))
	if int(span.Start.Col) <= len(lineText) && strings.TrimSpace(string(lineText[:span.Start.Col])) == "" &&
		strings.TrimSpace(string(endText[min(int(span.End.Col), len(endText)):])) == "" {
		span = parser.Span{Start: parser.Pos{Line: span.Start.Line}, End: parser.Pos{Line: span.End.Line + 1}}
	}
	return parser.Fix{Title: title, Edits: []parser.Edit{{Src: n.Src, Span: span, NewText: ""}}}
}

// line returns a line of the node's file (unit-relative for the document).
func (c *unitCtx) line(n *parser.Node, ln int) []byte {
	if n.Src != nil {
		return n.Src.Line(ln)
	}
	if c.unit == nil {
		return nil
	}
	return c.unit.Line(ln)
}

// checkStatusCodes validates HTTP status codes and ranges (100..599).
func checkStatusCodes(c *unitCtx, n *parser.Node, _ []*parser.Node) {
	for _, a := range n.Args {
		lo, hi, isRange := strings.Cut(a.Text, "-")
		l, err1 := strconv.Atoi(lo)
		h, err2 := l, error(nil)
		if isRange {
			h, err2 = strconv.Atoi(hi)
		}
		switch {
		case err1 != nil || err2 != nil || lo == "" || strings.HasPrefix(hi, "+"):
			c.add(n, E, "invalid-value", a.Span, fmt.Sprintf("invalid status code '%s': use a code or a range like 200-299", a.Text))
		case l < 100 || l > 599 || h < 100 || h > 599:
			c.add(n, E, "invalid-value", a.Span, fmt.Sprintf("status code '%s' is outside 100..599", a.Text))
		case h < l:
			c.add(n, E, "invalid-value", a.Span, fmt.Sprintf("status code range '%s' ends before it starts", a.Text))
		}
	}
}
