// Package cluster compares the keepalived configurations of the hosts of one
// cluster: the VRRP instances that form one virtual router across hosts, and
// the virtual servers of LVS directors that take over from each other.
//
// Check takes the parsed documents of N hosts and returns the diagnostics of
// each host's file (and of the files it includes), with related information
// pointing at the peer's file and line. It knows nothing of LSP; rule
// settings and suppression comments are applied by
// analysis.Checker.FinishExtra, like for the single-file rules.
package cluster

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/keepalived-ls/keepalived-ls/parser"
)

// Host is the configuration of one host.
type Host struct {
	// Name is how messages name the host's file (the path as the user
	// gave it, or relative to the project).
	Name string
	Doc  *parser.Doc
}

// loc is a place in a host's files: src nil is the host's document, and
// lines are absolute.
type loc struct {
	src  *parser.Source
	span parser.Span
}

// host is what the rules need from one host's configuration.
type host struct {
	idx     int
	name    string
	doc     *parser.Doc
	docSrc  *parser.Source // the document as a Source (for related info), made on demand
	version int            // global_defs vrrp_version; 0 not set
	verAt   loc
	scripts map[string]scriptDef
	// synced maps the instances in a vrrp_sync_group to whether the group
	// keeps their tracking weights (sync_group_tracking_weight).
	synced map[string]bool
	insts  []*inst
	vss    []*vserver
}

type scriptDef struct {
	weight  int
	reverse bool
}

// inst is a vrrp_instance.
type inst struct {
	h      *host
	name   string
	nameAt loc
	vrid   int
	vridAt loc
	iface  string
	family int // 4 or 6

	unicast bool // has unicast peers
	src     netip.Addr
	srcAt   loc
	peers   []netip.Addr
	peersAt loc // the unicast_peer keyword

	state    string // MASTER, BACKUP or "" (not set)
	stateAt  loc
	priority int // 0: not set
	prioAt   loc

	advert     string // as written; "" the default (1 second)
	advertSecs float64
	advertAt   loc

	version int // the instance's own 'version'; 0 not set
	verAt   loc

	auth     bool // has an authentication block
	authType string
	authPass string
	authAt   loc // auth_pass, else auth_type, else the block

	nopreempt    bool
	nopreemptAt  loc
	preemptDelay string // as written; "" not set (or 0)
	delayAt      loc

	vips   []vip
	vipsAt loc // the virtual_ipaddress keyword; the name when there is none
	hasVIP bool

	tracks []track
}

// vip is one line of virtual_ipaddress.
type vip struct {
	addr netip.Addr
	key  string // address/prefix dev DEV: what must be equal on every host
	at   loc
}

// track is a weighted tracked object (track_script, track_interface).
type track struct {
	kind    string // "track_script" or "track_interface"
	name    string
	weight  int
	set     bool // a weight on the track line (else the vrrp_script's)
	reverse bool
	at      loc
}

// vserver is a virtual_server.
type vserver struct {
	key   string
	desc  string
	at    loc
	reals []real
}

type real struct {
	key  string // address:port
	desc string
	at   loc
}

// effectiveState is the state keepalived starts the instance in.
func (x *inst) effectiveState() string {
	if x.state != "" {
		return x.state
	}
	if x.priority == 255 {
		return "MASTER"
	}
	return "BACKUP"
}

// effectivePriority is the priority keepalived uses: without one, a MASTER
// is the address owner (255) and anything else has 100.
func (x *inst) effectivePriority() int {
	switch {
	case x.priority > 0:
		return x.priority
	case x.state == "MASTER":
		return 255
	}
	return 100
}

// effectiveVersion is the VRRP version the instance speaks.
func (x *inst) effectiveVersion() int {
	switch {
	case x.family == 6:
		return 3
	case x.version != 0:
		return x.version
	case x.h.version != 0:
		return x.h.version
	}
	return 2
}

// key identifies the virtual router an instance belongs to.
func (x *inst) key() string {
	return strconv.Itoa(x.family) + "|" + strconv.Itoa(x.vrid) + "|" + x.iface
}

// describe names the virtual router: "VRID 51 (IPv4, interface eth0)".
func (x *inst) describe() string {
	where := "no interface"
	if x.iface != "" {
		where = "interface " + x.iface
	}
	return "VRID " + strconv.Itoa(x.vrid) + " (IPv" + strconv.Itoa(x.family) + ", " + where + ")"
}

// newHost reads what the rules need from a host's document.
func newHost(i int, h Host) *host {
	o := &host{idx: i, name: h.Name, doc: h.Doc, scripts: map[string]scriptDef{}, synced: map[string]bool{}}
	if h.Doc == nil {
		return o
	}
	for ui, u := range h.Doc.Units() {
		o.top(u.Nodes, h.Doc.UnitLine(ui))
	}
	// Track weights: a track line without a weight takes the script's.
	for _, x := range o.insts {
		for k := range x.tracks {
			t := &x.tracks[k]
			if t.kind == "track_script" && !t.set {
				s := o.scripts[t.name]
				t.weight, t.reverse = s.weight, s.reverse
			}
		}
	}
	return o
}

// at returns where a span of node n is (base: the first line of n's unit).
func at(src *parser.Source, s parser.Span, base int32) loc {
	if src == nil {
		s = s.Shift(base)
	}
	return loc{src, s}
}

func nodeAt(n *parser.Node, s parser.Span, base int32) loc { return at(n.Src, s, base) }

// argAt is where the first argument of n is (the keyword without one).
func argAt(n *parser.Node, base int32) loc {
	if len(n.Args) > 0 {
		return nodeAt(n, n.Args[0].Span, base)
	}
	return nodeAt(n, n.Keyword.Span, base)
}

func arg(n *parser.Node, i int) string {
	if i < len(n.Args) {
		return n.Args[i].Text
	}
	return ""
}

// top reads top-level statements (and what top-level includes read).
func (o *host) top(nodes []*parser.Node, base int32) {
	for _, n := range nodes {
		if n.Kind == parser.Include {
			o.top(n.Children, base)
			continue
		}
		if n.Schema == nil {
			continue
		}
		switch n.Keyword.Text {
		case "global_defs":
			for m := range n.Body {
				if m.Schema != nil && m.Keyword.Text == "vrrp_version" {
					if v, err := strconv.Atoi(arg(m, 0)); err == nil && (v == 2 || v == 3) {
						o.version, o.verAt = v, argAt(m, base)
					}
				}
			}
		case "vrrp_script":
			if name := arg(n, 0); name != "" {
				var s scriptDef
				for m := range n.Body {
					if m.Schema != nil && m.Keyword.Text == "weight" {
						s.weight, _ = strconv.Atoi(arg(m, 0))
						s.reverse = arg(m, 1) == "reverse"
					}
				}
				if _, dup := o.scripts[name]; !dup {
					o.scripts[name] = s
				}
			}
		case "vrrp_sync_group":
			weighted := false
			for m := range n.Body {
				if m.Schema != nil && m.Keyword.Text == "sync_group_tracking_weight" {
					weighted = true
				}
			}
			for m := range n.Body {
				if m.Schema == nil || m.Keyword.Text != "group" {
					continue
				}
				for v := range m.AllValues {
					for _, t := range v.Tokens {
						if _, ok := o.synced[t.Text]; !ok {
							o.synced[t.Text] = weighted
						}
					}
				}
			}
		case "vrrp_instance":
			if x := o.instance(n, base); x != nil {
				o.insts = append(o.insts, x)
			}
		case "virtual_server":
			if v := virtualServer(n, base); v != nil {
				o.vss = append(o.vss, v)
			}
		}
	}
}

// family returns 4 or 6 for an address word (prefix or range allowed), 0
// when it is not an address.
func family(w string) int {
	a, ok := parseAddr(w)
	switch {
	case !ok:
		return 0
	case a.Is4():
		return 4
	}
	return 6
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

// instance reads a vrrp_instance.
func (o *host) instance(n *parser.Node, base int32) *inst {
	x := &inst{h: o, name: arg(n, 0), nameAt: argAt(n, base)}
	// The address family comes from the first address (or native_ipv6),
	// as keepalived decides it.
	for m := range n.Body {
		if m.Schema == nil || m.Kind == parser.Include {
			continue
		}
		switch m.Keyword.Text {
		case "unicast_src_ip", "mcast_src_ip", "mcast_dst_ip":
			if x.family == 0 {
				x.family = family(arg(m, 0))
			}
		case "native_ipv6":
			if x.family == 0 {
				x.family = 6
			}
		case "unicast_peer", "virtual_ipaddress":
			for v := range m.AllValues {
				if x.family == 0 && len(v.Tokens) > 0 {
					x.family = family(v.Tokens[0].Text)
				}
			}
		}
	}
	if x.family == 0 {
		x.family = 4
	}
	x.stateAt, x.prioAt, x.advertAt, x.verAt, x.authAt = x.nameAt, x.nameAt, x.nameAt, x.nameAt, x.nameAt
	x.nopreemptAt, x.delayAt, x.vipsAt, x.peersAt, x.srcAt = x.nameAt, x.nameAt, x.nameAt, x.nameAt, x.nameAt
	x.advertSecs = 1 // keepalived's default
	master := false
	for m := range n.Body {
		if m.Schema == nil || m.Kind == parser.Include {
			continue
		}
		switch m.Keyword.Text {
		case "virtual_router_id":
			if v, err := strconv.Atoi(arg(m, 0)); err == nil && v >= 1 && v <= 255 {
				x.vrid, x.vridAt = v, argAt(m, base)
			}
		case "interface":
			x.iface = arg(m, 0)
		case "unicast_src_ip", "mcast_src_ip":
			if a, ok := parseAddr(arg(m, 0)); ok {
				x.src, x.srcAt = a, argAt(m, base)
			}
		case "unicast_peer":
			x.peersAt = nodeAt(m, m.Keyword.Span, base)
			for v := range m.AllValues {
				if len(v.Tokens) == 0 {
					continue
				}
				if a, ok := parseAddr(v.Tokens[0].Text); ok && family(v.Tokens[0].Text) == x.family {
					x.peers = append(x.peers, a)
					x.unicast = true
				}
			}
		case "state":
			switch arg(m, 0) {
			case "MASTER":
				master = true
				x.state, x.stateAt = "MASTER", argAt(m, base)
			case "BACKUP":
				if !master { // BACKUP after MASTER is ignored
					x.state, x.stateAt = "BACKUP", argAt(m, base)
				}
			}
		case "priority":
			if v, err := strconv.Atoi(arg(m, 0)); err == nil && v >= 1 && v <= 255 {
				x.priority, x.prioAt = v, argAt(m, base)
			}
		case "advert_int":
			if v, err := strconv.ParseFloat(arg(m, 0), 64); err == nil && v > 0 {
				x.advert, x.advertSecs, x.advertAt = arg(m, 0), v, argAt(m, base)
			}
		case "version":
			if v, err := strconv.Atoi(arg(m, 0)); err == nil && (v == 2 || v == 3) {
				x.version, x.verAt = v, argAt(m, base)
			}
		case "authentication":
			x.auth, x.authAt = true, nodeAt(m, m.Keyword.Span, base)
			var typeAt, passAt *loc
			for k := range m.Body {
				if k.Schema == nil {
					continue
				}
				switch k.Keyword.Text {
				case "auth_type":
					x.authType = arg(k, 0)
					l := argAt(k, base)
					typeAt = &l
				case "auth_pass":
					x.authPass = arg(k, 0)
					if len(x.authPass) > 8 {
						x.authPass = x.authPass[:8] // keepalived uses the first 8 bytes
					}
					l := argAt(k, base)
					passAt = &l
				}
			}
			switch {
			case passAt != nil:
				x.authAt = *passAt
			case typeAt != nil:
				x.authAt = *typeAt
			}
		case "nopreempt":
			x.nopreempt, x.nopreemptAt = true, nodeAt(m, m.Keyword.Span, base)
		case "preempt":
			x.nopreempt, x.nopreemptAt = false, nodeAt(m, m.Keyword.Span, base)
		case "preempt_delay":
			x.preemptDelay, x.delayAt = arg(m, 0), argAt(m, base)
			if v, err := strconv.ParseFloat(x.preemptDelay, 64); err == nil && v == 0 {
				x.preemptDelay = ""
			}
		case "virtual_ipaddress":
			x.vipsAt, x.hasVIP = nodeAt(m, m.Keyword.Span, base), true
			for v := range m.AllValues {
				if vp, ok := x.vip(v, base); ok {
					x.vips = append(x.vips, vp)
				}
			}
		case "track_script", "track_interface":
			for v := range m.AllValues {
				if len(v.Tokens) == 0 {
					continue
				}
				t := track{kind: m.Keyword.Text, name: v.Tokens[0].Text, at: at(v.Src, v.Tokens[0].Span, base)}
				for i := 1; i+1 < len(v.Tokens); i++ {
					if v.Tokens[i].Text == "weight" {
						if w, err := strconv.Atoi(v.Tokens[i+1].Text); err == nil {
							t.weight, t.set = w, true
							t.reverse = i+2 < len(v.Tokens) && v.Tokens[i+2].Text == "reverse"
						}
					}
				}
				x.tracks = append(x.tracks, t)
			}
		}
	}
	if x.vrid == 0 {
		return nil // keepalived refuses an instance without a VRID
	}
	// Addresses without 'dev' go on the instance's interface.
	for i := range x.vips {
		if !strings.Contains(x.vips[i].key, " dev ") && x.iface != "" {
			x.vips[i].key += " dev " + x.iface
		}
	}
	return x
}

// vip reads one line of virtual_ipaddress: the address with its prefix
// (/32 or /128 when none is written) and its device.
func (x *inst) vip(v *parser.ValueLine, base int32) (vip, bool) {
	if len(v.Tokens) == 0 {
		return vip{}, false
	}
	w := v.Tokens[0].Text
	a, ok := parseAddr(w)
	if !ok || family(w) != x.family {
		return vip{}, false
	}
	bits := a.BitLen()
	rest := ""
	if i := strings.IndexAny(w, "/-"); i >= 0 && w[i] == '/' {
		p, err := netip.ParsePrefix(w)
		if err != nil {
			return vip{}, false
		}
		bits = p.Bits()
	} else if i >= 0 {
		rest = w[i:] // a range: compared as written
	}
	key := a.String() + rest + "/" + strconv.Itoa(bits)
	for i := 1; i+1 < len(v.Tokens); i++ {
		if v.Tokens[i].Text == "dev" {
			key += " dev " + v.Tokens[i+1].Text
			break
		}
	}
	return vip{addr: a, key: key, at: at(v.Src, v.Tokens[0].Span, base)}, true
}

// virtualServer reads a virtual_server and its real servers.
func virtualServer(n *parser.Node, base int32) *vserver {
	proto := "UDP" // keepalived's default when 'protocol' is missing
	for m := range n.Body {
		if m.Schema != nil && m.Keyword.Text == "protocol" && arg(m, 0) != "" {
			proto = strings.ToUpper(arg(m, 0))
		}
	}
	v := &vserver{at: nodeAt(n, n.LineSpan(), base)}
	vsPort := 0
	fwmark := false
	switch a0 := arg(n, 0); {
	case a0 == "fwmark" && len(n.Args) > 1:
		fwmark = true
		v.key = "fwmark|" + arg(n, 1)
		v.desc = "fwmark " + arg(n, 1)
	case a0 == "group" && len(n.Args) > 1:
		v.key = "group|" + arg(n, 1) + "|" + proto
		v.desc = "group " + arg(n, 1) + " (" + proto + ")"
	default:
		a, ok := parseAddr(a0)
		if !ok {
			return nil
		}
		vsPort, _ = strconv.Atoi(arg(n, 1))
		v.key = "addr|" + a.String() + "|" + strconv.Itoa(vsPort) + "|" + proto
		v.desc = hostPort(a, vsPort) + " (" + proto + ")"
	}
	seen := map[string]bool{}
	for m := range n.Body {
		if m.Schema == nil || m.Keyword.Text != "real_server" {
			continue
		}
		a, ok := parseAddr(arg(m, 0))
		if !ok {
			continue
		}
		port, _ := strconv.Atoi(arg(m, 1))
		if port == 0 && !fwmark {
			port = vsPort // a real server without a port takes the service's
		}
		r := real{key: hostPort(a, port), desc: hostPort(a, port), at: nodeAt(m, m.LineSpan(), base)}
		if !seen[r.key] {
			seen[r.key] = true
			v.reals = append(v.reals, r)
		}
	}
	return v
}

// hostPort writes an address and port the way keepalived configurations do.
func hostPort(a netip.Addr, port int) string {
	if port == 0 {
		return a.String()
	}
	return a.String() + " " + strconv.Itoa(port)
}
