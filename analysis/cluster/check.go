package cluster

import (
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/keepalived-ls/keepalived-ls/analysis"
	"github.com/keepalived-ls/keepalived-ls/parser"
)

// Check compares the configurations of the hosts of one cluster. It returns
// the diagnostics of each host (out[i] for hosts[i]): Src nil is the host's
// document, with absolute lines; Src set is a file the host includes.
// Related information points at the peer's file and line, and messages name
// the peer's file and line too (the command line shows only the message).
// With fewer than two hosts there is nothing to compare.
func Check(hosts []Host) [][]parser.Diagnostic {
	hs := make([]*host, len(hosts))
	for i, h := range hosts {
		hs[i] = newHost(i, h)
	}
	e := &emitter{out: make([][]parser.Diagnostic, len(hosts))}
	if len(hs) >= 2 {
		checkVRRP(e, hs)
		checkLVS(e, hs)
	}
	for i := range e.out {
		analysis.SortDiagnostics(e.out[i])
	}
	return e.out
}

// emitter collects the diagnostics of every host.
type emitter struct {
	out [][]parser.Diagnostic
}

// rel is a related location on a host.
type rel struct {
	h   *host
	at  loc
	why string
}

// add reports a diagnostic on host h; sev 0 is the rule's default.
func (e *emitter) add(h *host, rule string, sev parser.Severity, at loc, msg string, rels ...rel) {
	if sev == 0 {
		r, _ := analysis.LookupRule(rule)
		sev = r.Severity
	}
	d := parser.Diagnostic{Src: at.src, Span: at.span, Severity: sev, Rule: rule, Message: msg}
	for _, r := range rels {
		src := r.at.src
		if src == nil && r.h != h {
			src = r.h.source()
		}
		d.Related = append(d.Related, parser.Related{Src: src, Span: r.at.span, Message: r.why})
	}
	e.out[h.idx] = append(e.out[h.idx], d)
}

// source returns the host's document as a Source, for related information
// that points into it from another host's file.
func (h *host) source() *parser.Source {
	if h.docSrc == nil {
		h.docSrc = parser.NewSource(h.doc.Path, h.doc.Text())
	}
	return h.docSrc
}

// place names a location of the host for messages: "b.conf:12", or for an
// included file "b.d/vi.conf:12 (included by b.conf)" (a file below the
// host's directory is named like the host, else by its absolute path).
func (h *host) place(l loc) string {
	line := strconv.Itoa(int(l.span.Start.Line) + 1)
	if l.src == nil {
		return h.name + ":" + line
	}
	p := l.src.Path
	if h.doc != nil {
		if r, err := filepath.Rel(filepath.Dir(h.doc.Path), p); err == nil && !strings.HasPrefix(r, "..") {
			p = filepath.Join(filepath.Dir(h.name), r)
		}
	}
	return p + ":" + line + " (included by " + h.name + ")"
}

// group is one virtual router: the instances of the hosts that share its
// VRID, interface and address family (at most one per host).
type group struct {
	members []*inst
}

func checkVRRP(e *emitter, hs []*host) {
	var groups []*group
	byKey := map[string]*group{}
	for _, h := range hs {
		for _, x := range h.insts {
			g := byKey[x.key()]
			if g == nil {
				g = &group{}
				byKey[x.key()] = g
				groups = append(groups, g)
			}
			if n := len(g.members); n > 0 && g.members[n-1].h == h {
				continue // a second instance of the router on one host: duplicate-vrid
			}
			g.members = append(g.members, x)
		}
	}
	for _, g := range groups {
		missing(e, hs, g)
	}
	names(e, hs)
	for _, g := range groups {
		for _, x := range g.members {
			for _, y := range g.members {
				if x != y {
					comparePair(e, x, y)
					priorities(e, x, y)
				}
			}
		}
		weights(e, g)
	}
}

// missing reports a virtual router that some hosts do not take part in.
func missing(e *emitter, hs []*host, g *group) {
	for _, p := range hs {
		if slices.ContainsFunc(g.members, func(x *inst) bool { return x.h == p }) {
			continue
		}
		for _, x := range g.members {
			msg := fmt.Sprintf("vrrp_instance '%s' uses %s, but no vrrp_instance on %s does: that host cannot take over this virtual router's addresses when this host fails",
				x.name, x.describe(), p.name)
			var rels []rel
			// The same VRID on another interface or family is probably
			// meant to be this router.
			for _, q := range p.insts {
				if q.vrid == x.vrid && q.key() != x.key() {
					msg += fmt.Sprintf("; %s has %s at %s: routers are matched by VRID, interface and address family",
						p.name, q.describe(), p.place(q.vridAt))
					rels = append(rels, rel{p, q.vridAt, "VRID " + strconv.Itoa(q.vrid) + " on " + p.name})
					break
				}
			}
			e.add(x.h, "cluster-vrid-missing", 0, x.vridAt, msg, rels...)
		}
	}
}

// names hints at instances of the same name that are different virtual
// routers on different hosts.
func names(e *emitter, hs []*host) {
	for _, h := range hs {
		seen := map[string]bool{}
		for _, x := range h.insts {
			if seen[x.name] {
				continue // keepalived skips a second instance of a name
			}
			seen[x.name] = true
			for _, p := range hs {
				if p == h {
					continue
				}
				q := p.byName(x.name)
				if q == nil || q.key() == x.key() {
					continue
				}
				e.add(h, "cluster-instance-name", 0, x.nameAt, fmt.Sprintf(
					"vrrp_instance '%s' is %s here, but '%s' on %s is %s: routers find each other by VRID on the link, not by name; if both are meant to be one virtual router, give them the same virtual_router_id and interface",
					x.name, x.describe(), q.name, p.place(q.nameAt), q.describe()),
					rel{p, q.vridAt, "'" + q.name + "' on " + p.name})
			}
		}
	}
}

// byName returns the host's first instance of a name.
func (h *host) byName(name string) *inst {
	for _, x := range h.insts {
		if x.name == name {
			return x
		}
	}
	return nil
}

// comparePair compares the settings that must agree between two routers of
// one virtual router; diagnostics go to x's host.
func comparePair(e *emitter, x, y *inst) {
	p := y.h
	vx, vy := x.effectiveVersion(), y.effectiveVersion()
	if vx != vy {
		e.add(x.h, "cluster-version-mismatch", 0, x.versionAt(), fmt.Sprintf(
			"VRRP version %s here but %s on %s: keepalived rejects adverts of another version, so neither host hears the other and both become MASTER; use the same version on every host",
			x.versionDesc(), y.versionDesc(), p.place(y.versionAt())),
			rel{p, y.versionAt(), "the VRRP version on " + p.name})
	}

	if x.advertSecs != y.advertSecs {
		sev := parser.Error
		why := "with VRRP version 2 keepalived drops every advert whose interval differs from its own, so neither host hears the other and both become MASTER"
		if vx == 3 && vy == 3 {
			sev = parser.Warning
			why = "with VRRP version 3 a BACKUP adopts the MASTER's interval, so how fast a failure is noticed depends on which host is MASTER"
		}
		e.add(x.h, "cluster-advert-int-mismatch", sev, x.advertAt, fmt.Sprintf(
			"advert_int is %s here but %s on %s: %s; use the same advert_int on every host",
			x.advertDesc(), y.advertDesc(), p.place(y.advertAt), why),
			rel{p, y.advertAt, "advert_int on " + p.name})
	}

	if vx == 2 && vy == 2 { // keepalived ignores authentication with version 3
		tx, ty := x.authDesc(), y.authDesc()
		switch {
		case tx != ty:
			e.add(x.h, "cluster-auth-mismatch", 0, x.authAt, fmt.Sprintf(
				"authentication is %s here but %s on %s: keepalived rejects adverts with another authentication type, so neither host hears the other and both become MASTER; use the same authentication on every host",
				tx, ty, p.place(y.authAt)),
				rel{p, y.authAt, "authentication on " + p.name})
		case x.authType != "" && x.authPass != y.authPass:
			e.add(x.h, "cluster-auth-mismatch", 0, x.authAt, fmt.Sprintf(
				"auth_pass differs from the one on %s (keepalived compares the first 8 bytes): it rejects adverts with another password, so neither host hears the other and both become MASTER; use the same auth_pass on every host",
				p.place(y.authAt)),
				rel{p, y.authAt, "auth_pass on " + p.name})
		}
	}

	switch {
	case x.unicast != y.unicast:
		how := func(i *inst) string {
			if i.unicast {
				return "by unicast (unicast_peer)"
			}
			return "by multicast"
		}
		at := x.nameAt
		if x.unicast {
			at = x.peersAt
		}
		yAt := y.nameAt
		if y.unicast {
			yAt = y.peersAt
		}
		e.add(x.h, "cluster-unicast-peer-mismatch", 0, at, fmt.Sprintf(
			"this instance sends its adverts %s, but the one on %s sends them %s: keepalived drops adverts that arrive the other way, so neither host hears the other and both become MASTER",
			how(x), p.place(yAt), how(y)),
			rel{p, yAt, "the instance on " + p.name})
	case x.unicast && y.src.IsValid() && !slices.Contains(x.peers, y.src):
		e.add(x.h, "cluster-unicast-peer-mismatch", 0, x.peersAt, fmt.Sprintf(
			"unicast_peer does not list %s, the unicast_src_ip of %s: this host never sends its adverts there, so that host does not hear it and becomes MASTER too; add %s to unicast_peer",
			y.src, p.place(y.srcAt), y.src),
			rel{p, y.srcAt, "unicast_src_ip on " + p.name})
	}

	switch {
	case x.nopreempt != y.nopreempt:
		state := "set here but not"
		if !x.nopreempt {
			state = "not set here but set"
		}
		e.add(x.h, "cluster-preempt-mismatch", 0, x.nopreemptAt, fmt.Sprintf(
			"nopreempt is %s on %s: a host with nopreempt leaves the addresses with a lower-priority MASTER, one without takes them back, so the hosts do not agree on failback; set nopreempt on every host of the virtual router or on none",
			state, p.place(y.nopreemptAt)),
			rel{p, y.nopreemptAt, "the instance on " + p.name})
	case !x.nopreempt && delaySecs(x) != delaySecs(y):
		e.add(x.h, "cluster-preempt-mismatch", 0, x.delayAt, fmt.Sprintf(
			"preempt_delay is %s here but %s on %s: the hosts wait different times before taking the addresses back; use the same preempt_delay on every host",
			x.delayDesc(), y.delayDesc(), p.place(y.delayAt)),
			rel{p, y.delayAt, "preempt_delay on " + p.name})
	}

	vipMismatch(e, x, y)
}

// vipMismatch reports x's virtual addresses that y does not have in the
// same form, and an empty list where y has one.
func vipMismatch(e *emitter, x, y *inst) {
	p := y.h
	if len(x.vips) == 0 && len(y.vips) > 0 {
		e.add(x.h, "cluster-vip-mismatch", 0, x.vipsAt, fmt.Sprintf(
			"this instance has no virtual addresses, but the one on %s has %d: keepalived rejects adverts whose address list differs from its own, so neither host hears the other and both become MASTER; list the same addresses on every host",
			p.place(y.vipsAt), len(y.vips)),
			rel{p, y.vipsAt, "virtual_ipaddress on " + p.name})
		return
	}
	for _, v := range x.vips {
		if slices.ContainsFunc(y.vips, func(w vip) bool { return w.key == v.key }) {
			continue
		}
		if i := slices.IndexFunc(y.vips, func(w vip) bool { return w.addr == v.addr }); i >= 0 {
			w := y.vips[i]
			e.add(x.h, "cluster-vip-mismatch", parser.Warning, v.at, fmt.Sprintf(
				"virtual address %s is %s on %s: the address moves between hosts with a different prefix or device; write it the same way on every host",
				v.key, w.key, p.place(w.at)),
				rel{p, w.at, "the address on " + p.name})
			continue
		}
		e.add(x.h, "cluster-vip-mismatch", 0, v.at, fmt.Sprintf(
			"virtual address %s is not in the virtual_ipaddress of the instance on %s: keepalived rejects adverts whose address list differs from its own, so neither host hears the other and both become MASTER; list the same addresses on every host",
			v.key, p.place(y.vipsAt)),
			rel{p, y.vipsAt, "virtual_ipaddress on " + p.name})
	}
}

// priorities compares the states and priorities of two routers of one
// virtual router; diagnostics go to x's host.
func priorities(e *emitter, x, y *inst) {
	p := y.h
	px, py := x.effectivePriority(), y.effectivePriority()
	sx, sy := x.effectiveState(), y.effectiveState()
	stateAt := x.stateAt
	if x.state == "" {
		stateAt = x.prioAt
	}
	switch {
	case sx == "MASTER" && sy == "MASTER" && px == py:
		e.add(x.h, "cluster-multiple-masters", 0, stateAt, fmt.Sprintf(
			"vrrp_instance '%s' starts as MASTER with priority %d, and so does the one on %s: both take the addresses when they start, until the one with the lower primary IP address gives way; make one host MASTER, or give the intended MASTER the higher priority",
			x.name, px, p.place(y.stateAt)),
			rel{p, y.stateAt, "the other MASTER"})
	case px == py:
		e.add(x.h, "cluster-equal-priority", 0, x.prioAt, fmt.Sprintf(
			"priority %s here and on %s: at equal priorities keepalived makes the host with the higher primary IP address MASTER, so the addresses, not this configuration, decide which host it is; give each host its own priority",
			x.priorityDesc(), p.place(y.prioAt)),
			rel{p, y.prioAt, "the same priority on " + p.name})
	}
	switch {
	case sx == "BACKUP" && sy == "MASTER" && px > py && !x.nopreempt:
		e.add(x.h, "cluster-backup-preempts", 0, x.prioAt, fmt.Sprintf(
			"this BACKUP has priority %d, above the MASTER on %s (priority %d): it takes the addresses from the MASTER as soon as it runs and keeps them; give the MASTER the highest priority, or set nopreempt here",
			px, p.place(y.prioAt), py),
			rel{p, y.prioAt, "the MASTER's priority"})
	case sx == "MASTER" && sy == "BACKUP" && py > px && !y.nopreempt:
		e.add(x.h, "cluster-backup-preempts", 0, x.prioAt, fmt.Sprintf(
			"this MASTER has priority %d, below the BACKUP on %s (priority %d): the BACKUP takes the addresses from it as soon as it runs and keeps them; give the MASTER the highest priority, or set nopreempt on the BACKUP",
			px, p.place(y.prioAt), py),
			rel{p, y.prioAt, "the BACKUP's priority"})
	}
}

// weights checks what tracked objects with weights do to the order of the
// MASTER and its BACKUPs.
func weights(e *emitter, g *group) {
	if len(g.members) < 2 {
		return
	}
	// The intended MASTER: the only one in state MASTER, else the only one
	// with the highest priority.
	var m *inst
	masters := 0
	for _, x := range g.members {
		if x.effectiveState() == "MASTER" {
			m, masters = x, masters+1
		}
	}
	if masters > 1 {
		return
	}
	if masters == 0 {
		best := 0
		for _, x := range g.members {
			switch p := x.effectivePriority(); {
			case p > best:
				m, best = x, p
			case p == best:
				m = nil
			}
		}
		if m == nil {
			return
		}
	}
	mPos, mNeg := m.weighted()
	mSum, mUp := arith(m.effectivePriority(), mPos)
	for _, b := range g.members {
		if b == m || b.effectiveState() != "BACKUP" {
			continue
		}
		bPos, _ := b.weighted()
		bSum, bUp := arith(b.effectivePriority(), bPos)
		// While every check succeeds, positive weights lift the BACKUP
		// above the MASTER.
		if bUp > mUp && b.effectivePriority() <= m.effectivePriority() && !b.nopreempt && len(bPos) > 0 {
			e.add(b.h, "cluster-track-weight", 0, bPos[0].at, fmt.Sprintf(
				"BACKUP %s > MASTER %s on %s: while every tracked check succeeds this host has the higher priority and takes the addresses from the MASTER; lower the weights or raise the MASTER's priority",
				bSum, mSum, m.h.place(m.prioAt)),
				rel{m.h, m.prioAt, "the MASTER's priority"})
			e.add(m.h, "cluster-track-weight", 0, m.prioAt, fmt.Sprintf(
				"MASTER %s < BACKUP %s on %s: while every tracked check succeeds the BACKUP has the higher priority and takes the addresses from this host; lower its weights or raise this priority",
				mSum, bSum, b.h.place(bPos[0].at)),
				rel{b.h, bPos[0].at, "the BACKUP's weight"})
		}
		if len(mNeg) == 0 {
			continue
		}
		// A failure the MASTER tracks hands over to a BACKUP that does not
		// check the same thing.
		for _, t := range mNeg {
			s, fail := arith(m.effectivePriority(), append(slices.Clone(mPos), t))
			if fail >= bUp || b.tracksName(t.name) {
				continue
			}
			e.add(m.h, "cluster-track-weight", 0, t.at, fmt.Sprintf(
				"MASTER %s < BACKUP %s on %s, which does not track %s: when %s fails here the BACKUP takes the addresses without checking it on its side; track %s on every host",
				s, bSum, b.h.place(b.nameAt), t.name, t.name, t.name),
				rel{b.h, b.nameAt, "the BACKUP on " + b.h.name})
			e.add(b.h, "cluster-track-weight", 0, b.nameAt, fmt.Sprintf(
				"this BACKUP does not track %s, but the MASTER on %s does: MASTER %s < BACKUP %s, so when %s fails there this host takes the addresses without checking it; track %s here too",
				t.name, m.h.place(t.at), s, bSum, t.name, t.name),
				rel{m.h, t.at, t.name + " on the MASTER"})
		}
		// Failures that cannot bring the MASTER below the BACKUP.
		s, worst := arith(m.effectivePriority(), append(slices.Clone(mPos), mNeg...))
		if worst >= bUp {
			what := "when " + mNeg[0].name + " fails"
			if len(mNeg) > 1 {
				what = "even when all of them fail"
			}
			e.add(m.h, "cluster-track-weight", 0, mNeg[0].at, fmt.Sprintf(
				"MASTER %s is not below BACKUP %s on %s: %s, this host stays MASTER (at equal priorities the higher IP address wins); make the negative weights large enough to bring the priority below the BACKUP's",
				s, bSum, b.h.place(b.prioAt), what),
				rel{b.h, b.prioAt, "the BACKUP's priority"})
		}
	}
}

// weighted returns the tracked objects whose weights change the priority
// (positive ones, added while they succeed, and negative ones, subtracted
// while they fail). keepalived ignores weights of the address owner and,
// unless sync_group_tracking_weight is set, of sync group members; reversed
// weights and weight 0 (FAULT) are left out.
func (x *inst) weighted() (pos, neg []track) {
	if x.effectivePriority() == 255 {
		return nil, nil
	}
	if keep, ok := x.h.synced[x.name]; ok && !keep {
		return nil, nil
	}
	for _, t := range x.tracks {
		switch {
		case t.reverse || t.weight == 0:
		case t.weight > 0:
			pos = append(pos, t)
		default:
			neg = append(neg, t)
		}
	}
	return pos, neg
}

// tracksName reports whether the instance tracks an object of that name.
func (x *inst) tracksName(name string) bool {
	return slices.ContainsFunc(x.tracks, func(t track) bool { return t.name == name })
}

// arith writes base plus weights as arithmetic for messages and returns
// the resulting priority, capped as keepalived caps it (1 to 254).
func arith(base int, ts []track) (string, int) {
	var b strings.Builder
	b.WriteString(strconv.Itoa(base))
	v := base
	for _, t := range ts {
		if t.weight > 0 {
			fmt.Fprintf(&b, " + %d (%s weight %d)", t.weight, t.name, t.weight)
		} else {
			fmt.Fprintf(&b, " - %d (%s weight %d)", -t.weight, t.name, t.weight)
		}
		v += t.weight
	}
	if len(ts) > 0 {
		fmt.Fprintf(&b, " = %d", v)
	}
	switch {
	case len(ts) > 0 && v > 254:
		v = 254
		b.WriteString(", capped at 254")
	case len(ts) > 0 && v < 1:
		v = 1
		b.WriteString(", raised to 1")
	}
	return b.String(), v
}

func (x *inst) versionAt() loc {
	switch {
	case x.version != 0:
		return x.verAt
	case x.h.version != 0:
		return x.h.verAt
	}
	return x.nameAt
}

func (x *inst) versionDesc() string {
	v := strconv.Itoa(x.effectiveVersion())
	switch {
	case x.family == 6:
		return v + " (IPv6 always uses version 3)"
	case x.version != 0:
		return v
	case x.h.version != 0:
		return v + " (global_defs vrrp_version)"
	}
	return v + " (the default)"
}

func (x *inst) advertDesc() string {
	if x.advert == "" {
		return "1 (the default)"
	}
	return x.advert
}

func (x *inst) authDesc() string {
	if x.authType == "" {
		return "none"
	}
	return x.authType
}

func (x *inst) priorityDesc() string {
	if x.priority == 0 {
		return strconv.Itoa(x.effectivePriority()) + " (the default)"
	}
	return strconv.Itoa(x.priority)
}

func delaySecs(x *inst) float64 {
	v, _ := strconv.ParseFloat(x.preemptDelay, 64)
	return v
}

func (x *inst) delayDesc() string {
	if x.preemptDelay == "" {
		return "0 (not set)"
	}
	return x.preemptDelay
}

// checkLVS compares the virtual servers of the hosts that are LVS
// directors (that define at least one virtual_server).
func checkLVS(e *emitter, hs []*host) {
	var directors []*host
	for _, h := range hs {
		if len(h.vss) > 0 {
			directors = append(directors, h)
		}
	}
	if len(directors) < 2 {
		return
	}
	first := func(h *host, key string) *vserver {
		for _, v := range h.vss {
			if v.key == key {
				return v
			}
		}
		return nil
	}
	for _, h := range directors {
		seen := map[string]bool{}
		for _, v := range h.vss {
			if seen[v.key] {
				continue // duplicate-virtual-server
			}
			seen[v.key] = true
			for _, p := range directors {
				if p == h {
					continue
				}
				w := first(p, v.key)
				if w == nil {
					e.add(h, "cluster-virtual-server-missing", 0, v.at, fmt.Sprintf(
						"virtual_server %s is not defined on %s: while that host is the active director this service is not balanced; define the same virtual servers on every director",
						v.desc, p.name))
					continue
				}
				for _, r := range v.reals {
					if slices.ContainsFunc(w.reals, func(o real) bool { return o.key == r.key }) {
						continue
					}
					e.add(h, "cluster-real-server-mismatch", 0, r.at, fmt.Sprintf(
						"real_server %s is not in virtual_server %s on %s: the service is balanced over other servers depending on which director is active; list the same real servers on every director",
						r.desc, v.desc, p.place(w.at)),
						rel{p, w.at, "the virtual_server on " + p.name})
				}
			}
		}
	}
}
