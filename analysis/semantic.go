package analysis

import (
	"fmt"
	"net/netip"
	"sort"

	"github.com/keepalived-ls/keepalived-ls/parser"
)

// Semantic analysis across units. Each unit records facts about the objects
// it defines (vrrp instances, virtual servers, global settings, scripts);
// semFacts are memoised with the unit like its diagnostics and symbol
// events. The cross-unit pass (checkSemantics) runs over the facts of every
// unit in document order and is cached while those units are unchanged,
// like checkSymbols.

// semLoc is a place in a file; lines are unit-relative for the document
// (Src nil).
type semLoc struct {
	src  *parser.Source
	span parser.Span
}

func locOf(n *parser.Node, s parser.Span) semLoc { return semLoc{n.Src, s} }

// instFact describes a vrrp_instance as keepalived will configure it.
type instFact struct {
	name      string
	at        semLoc // the name (or keyword)
	vrid      int
	vridAt    semLoc
	iface     string
	family    int    // 4 or 6
	mcast     string // mcast_dst_ip; "" is the default group
	unicast   bool   // has unicast peers
	src       netip.Addr
	peers     []netip.Addr
	state     string // MASTER, BACKUP or "" (derived from the priority)
	stateAt   semLoc
	priority  int // 0: not set
	prioAt    semLoc
	vips      []vipFact
	uncertain bool // holds lines that apply on some nodes only (@^ID)
}

type vipFact struct {
	addr netip.Addr
	dev  string // the interface it is added to
	at   semLoc
}

// effectiveState is the initial state keepalived uses.
func (f *instFact) effectiveState() string {
	if f.state != "" {
		return f.state
	}
	if f.priority == 255 {
		return "MASTER"
	}
	return "BACKUP"
}

// effectivePriority is the priority keepalived uses: without one, a MASTER
// is the address owner (255), anything else 100.
func (f *instFact) effectivePriority() int {
	switch {
	case f.priority > 0:
		return f.priority
	case f.state == "MASTER":
		return 255
	}
	return 100
}

// where names the instance's VRID space for messages.
func (f *instFact) where() string {
	if f.unicast {
		if f.src.IsValid() {
			return "unicast from " + f.src.String()
		}
		return "unicast on " + f.iface
	}
	return "interface " + f.iface
}

// syncFact describes a vrrp_sync_group.
type syncFact struct {
	name    string
	at      semLoc
	members []syncMember
}

type syncMember struct {
	name string
	at   semLoc
}

// vsFact describes a virtual_server.
type vsFact struct {
	key       string // identity of the IPVS service
	desc      string
	at        semLoc
	hasRS     bool
	uncertain bool
}

// globalFact describes one global_defs block.
type globalFact struct {
	at         semLoc // the global_defs keyword
	security   bool   // enable_script_security
	smtpServer bool
	email      *semLoc // a non-empty notification_email
	alert      [3]int8 // smtp_alert, smtp_alert_vrrp, smtp_alert_checker: -1 unset, 0 off, 1 on
}

// scriptFact is a line that makes keepalived run a script.
type scriptFact struct {
	keyword string
	at      semLoc
}

// alertFact is an explicit smtp_alert in a vrrp or checker object.
type alertFact struct {
	on      bool
	checker bool // in a virtual_server or real_server
	at      semLoc
}

// addFact records a fact of the unit being analysed.
func (c *unitCtx) addFact(f any) { c.facts = append(c.facts, f) }

// semAt is a fact with the index of its unit in the pass's input.
type semAt[T any] struct {
	unit int
	f    T
}

// semEmitter collects the diagnostics of the cross-unit pass.
type semEmitter struct {
	out []symDiag
}

func (e *semEmitter) emit(unit int, sev parser.Severity, rule string, at semLoc, msg string, rel *semRel) {
	d := parser.Diagnostic{Src: at.src, Span: at.span, Severity: sev, Rule: rule, Message: msg}
	related := unit
	if rel != nil {
		d.Related = []parser.Related{{Src: rel.at.src, Span: rel.at.span, Message: rel.why}}
		related = rel.unit
	}
	e.out = append(e.out, symDiag{unit: unit, related: related, diag: d})
}

type semRel struct {
	unit int
	at   semLoc
	why  string
}

// unusedKinds are the objects keepalived only uses when something refers to
// them, and what may refer to them.
var unusedKinds = map[string]struct {
	consumers []string
	users     string
}{
	"vrrp_script":          {[]string{"vrrp_instance", "vrrp_sync_group"}, "no vrrp_instance or vrrp_sync_group tracks it (track_script): keepalived removes it and never runs it"},
	"vrrp_track_process":   {[]string{"vrrp_instance", "vrrp_sync_group"}, "no vrrp_instance or vrrp_sync_group tracks it (track_process): keepalived watches the process for nothing"},
	"track_file":           {[]string{"vrrp_instance", "vrrp_sync_group", "virtual_server"}, "no vrrp_instance, vrrp_sync_group or FILE_CHECK uses it: keepalived watches the file for nothing"},
	"bfd_instance":         {[]string{"vrrp_instance", "vrrp_sync_group", "virtual_server"}, "no vrrp_instance, vrrp_sync_group or BFD_CHECK tracks it: keepalived runs the BFD session, but nothing reacts to it"},
	"virtual_server_group": {[]string{"virtual_server"}, "no virtual_server uses it ('virtual_server group NAME'): keepalived sets up no service for its addresses"},
}

// checkSemantics runs the cross-unit semantic rules over the units' facts
// and symbol events. Diagnostics keep unit-relative lines (see symDiag).
func checkSemantics(results []*unitResult) []symDiag {
	var e semEmitter
	var insts []semAt[*instFact]
	var syncs []semAt[*syncFact]
	var vss []semAt[*vsFact]
	var globals []semAt[*globalFact]
	var scripts []semAt[*scriptFact]
	var alerts []semAt[*alertFact]
	nScripts, nVS := 0, 0 // the common facts, counted to size their lists
	for _, r := range results {
		for _, f := range r.facts {
			switch f.(type) {
			case *scriptFact:
				nScripts++
			case *vsFact:
				nVS++
			}
		}
	}
	scripts = make([]semAt[*scriptFact], 0, nScripts)
	vss = make([]semAt[*vsFact], 0, nVS)
	for i, r := range results {
		for _, f := range r.facts {
			switch f := f.(type) {
			case *instFact:
				insts = append(insts, semAt[*instFact]{i, f})
			case *syncFact:
				syncs = append(syncs, semAt[*syncFact]{i, f})
			case *vsFact:
				vss = append(vss, semAt[*vsFact]{i, f})
			case *globalFact:
				globals = append(globals, semAt[*globalFact]{i, f})
			case *scriptFact:
				scripts = append(scripts, semAt[*scriptFact]{i, f})
			case *alertFact:
				alerts = append(alerts, semAt[*alertFact]{i, f})
			}
		}
	}

	// Instances: keepalived skips a second instance of the same name.
	named := map[string]bool{}
	var live []semAt[*instFact]
	for _, in := range insts {
		if named[in.f.name] {
			continue
		}
		named[in.f.name] = true
		live = append(live, in)
	}
	checkInstancePairs(&e, live)

	// Sync groups: membership in document order.
	owner := map[string]string{}
	seenGroup := map[string]bool{}
	for _, g := range syncs {
		if seenGroup[g.f.name] {
			continue // a second group of the same name is skipped
		}
		seenGroup[g.f.name] = true
		var kept []string
		inGroup := map[string]bool{}
		for _, m := range g.f.members {
			if !named[m.name] || inGroup[m.name] {
				continue
			}
			inGroup[m.name] = true
			if first, ok := owner[m.name]; ok {
				e.emit(g.unit, E, "instance-in-several-sync-groups", m.at, fmt.Sprintf(
					"vrrp_instance '%s' is already in vrrp_sync_group '%s': an instance can be in one sync group only, so keepalived leaves it out of '%s'",
					m.name, first, g.f.name), nil)
				continue
			}
			owner[m.name] = g.f.name
			kept = append(kept, m.name)
		}
		if len(kept) == 1 {
			e.emit(g.unit, W, "sync-group-too-small", g.f.at, fmt.Sprintf(
				"vrrp_sync_group '%s' has only one instance ('%s'): a sync group makes instances change state together, so with one member it does nothing", g.f.name, kept[0]), nil)
		}
	}

	// Virtual servers: the same service twice.
	firstVS := make(map[string]semAt[*vsFact], len(vss))
	for _, v := range vss {
		if v.f.key == "" || v.f.uncertain {
			continue
		}
		if prev, ok := firstVS[v.f.key]; ok {
			e.emit(v.unit, W, "duplicate-virtual-server", v.f.at, fmt.Sprintf(
				"virtual_server %s is already defined: keepalived does not notice, but the kernel (IPVS) refuses to create the same service twice, so this block fails at run time", v.f.desc),
				&semRel{prev.unit, prev.f.at, "first defined here"})
			continue
		}
		firstVS[v.f.key] = v
	}

	checkUnused(&e, results, len(live) > 0 || len(syncs) > 0, len(vss) > 0)

	// Global settings: only judged when the document has a global_defs
	// block (a fragment without one is checked as part of its main file).
	if len(globals) > 0 {
		security, smtpServer := false, false
		var email *semLoc
		emailUnit := 0
		alert := [3]int8{-1, -1, -1}
		for _, g := range globals {
			security = security || g.f.security
			smtpServer = smtpServer || g.f.smtpServer
			if g.f.email != nil && email == nil {
				email, emailUnit = g.f.email, g.unit
			}
			for k, v := range g.f.alert {
				if v >= 0 {
					alert[k] = v
				}
			}
		}
		if !security && len(scripts) > 0 {
			s := scripts[0]
			e.emit(globals[0].unit, I, "script-security-disabled", globals[0].f.at, fmt.Sprintf(
				"the configuration runs scripts (%d script lines, the first is '%s') but no global_defs sets enable_script_security: keepalived reports a SECURITY VIOLATION and runs them without checking who can modify them",
				len(scripts), s.f.keyword), &semRel{s.unit, s.f.at, "a script line"})
		}
		if email != nil && !smtpServer {
			e.emit(emailUnit, W, "incomplete-email-alerts", *email,
				"notification_email is set but global_defs has no smtp_server: keepalived sends mail only when both are set, so no alert is ever mailed", nil)
		}
		if email == nil {
			// An explicit smtp_alert that is on (globally or on an object)
			// asks for mail that cannot be sent.
			var on *semAt[*alertFact]
			for i := range alerts {
				if alerts[i].f.on {
					on = &alerts[i]
					break
				}
			}
			switch {
			case on != nil:
				e.emit(on.unit, W, "incomplete-email-alerts", on.f.at,
					"smtp_alert is on but no global_defs has a notification_email: keepalived has nobody to mail, so no alert is sent", nil)
			case alert[0] == 1 || alert[1] == 1 || alert[2] == 1:
				for _, g := range globals {
					if g.f.alert[0] == 1 || g.f.alert[1] == 1 || g.f.alert[2] == 1 {
						e.emit(g.unit, W, "incomplete-email-alerts", g.f.at,
							"smtp_alert is on but no global_defs has a notification_email: keepalived has nobody to mail, so no alert is sent", nil)
						break
					}
				}
			}
		}
	}
	return e.out
}

// checkInstancePairs compares vrrp instances with each other: VRID
// conflicts, shared addresses, and MASTER/BACKUP pairs whose priorities
// contradict their states.
func checkInstancePairs(e *semEmitter, insts []semAt[*instFact]) {
	type key struct {
		vrid, family int
	}
	byVRID := map[key][]int{}
	for i, in := range insts {
		if in.f.vrid > 0 {
			k := key{in.f.vrid, in.f.family}
			byVRID[k] = append(byVRID[k], i)
		}
	}
	// pair reports instances of one virtual router on different nodes
	// (both described in this file).
	pairs := map[[2]int]bool{}
	keys := make([]key, 0, len(byVRID))
	for k := range byVRID {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		return byVRID[keys[i]][0] < byVRID[keys[j]][0]
	})
	for _, k := range keys {
		idx := byVRID[k]
		for bi := 1; bi < len(idx); bi++ {
			b := insts[idx[bi]]
			reported := false
			for ai := 0; ai < bi && !reported; ai++ {
				a := insts[idx[ai]]
				switch {
				case a.f.unicast != b.f.unicast:
					continue // unicast and multicast are separate VRID spaces
				case a.f.unicast && unicastPair(a.f, b.f):
					pairs[[2]int{idx[ai], idx[bi]}] = true
					masterBelowBackup(e, a, b)
					continue
				}
				if !vridConflict(a.f, b.f) {
					continue
				}
				if a.f.uncertain || b.f.uncertain {
					// Lines that apply on some nodes only: this may be the
					// description of two nodes of one virtual router.
					pairs[[2]int{idx[ai], idx[bi]}] = true
					masterBelowBackup(e, a, b)
					e.emit(b.unit, W, "duplicate-vrid", b.f.vridAt, fmt.Sprintf(
						"vrrp_instance '%s' uses VRID %d on %s like vrrp_instance '%s'; both have lines that apply on some nodes only (@^ID): if one node runs both, keepalived's VRRP process refuses to start",
						b.f.name, b.f.vrid, b.f.where(), a.f.name), &semRel{a.unit, a.f.vridAt, "the other instance with this VRID"})
					reported = true
					continue
				}
				msg := fmt.Sprintf("vrrp_instance '%s' uses VRID %d with IPv%d on %s, like vrrp_instance '%s': keepalived's VRRP process refuses to start with both; give each virtual router its own VRID",
					b.f.name, b.f.vrid, b.f.family, b.f.where(), a.f.name)
				if a.f.unicast {
					msg = fmt.Sprintf("vrrp_instance '%s' uses VRID %d from the same local address as vrrp_instance '%s' and shares a unicast peer with it: keepalived's VRRP process refuses to start with both; give each virtual router its own VRID",
						b.f.name, b.f.vrid, a.f.name)
				}
				e.emit(b.unit, E, "duplicate-vrid", b.f.vridAt, msg, &semRel{a.unit, a.f.vridAt, "the other instance with this VRID"})
				reported = true
			}
		}
	}
	// The same address in two instances that run on one node.
	type vipOwner struct {
		inst int
		at   semLoc
	}
	type vipKey struct {
		addr netip.Addr
		dev  string
	}
	firstVIP := map[vipKey]vipOwner{}
	for i, in := range insts {
		if in.f.uncertain {
			continue
		}
		for _, v := range in.f.vips {
			k := vipKey{v.addr, v.dev}
			prev, ok := firstVIP[k]
			if !ok {
				firstVIP[k] = vipOwner{i, v.at}
				continue
			}
			if prev.inst == i || pairs[[2]int{prev.inst, i}] || pairs[[2]int{i, prev.inst}] {
				continue
			}
			a := insts[prev.inst]
			e.emit(in.unit, W, "duplicate-vip", v.at, fmt.Sprintf(
				"%s is also a virtual address of vrrp_instance '%s' on %s: when both instances are MASTER they add the same address, and the first to leave MASTER removes it for both",
				v.addr, a.f.name, v.dev), &semRel{a.unit, prev.at, "also listed here"})
		}
	}
}

// vridConflict reports whether two instances with the same VRID and family
// collide on one node, as keepalived's check_vrid_conflicts decides it.
func vridConflict(a, b *instFact) bool {
	if a.unicast {
		if a.iface != "" && b.iface != "" && a.iface != b.iface {
			return false
		}
		sameLocal := a.src.IsValid() && b.src.IsValid() && a.src == b.src ||
			!a.src.IsValid() && !b.src.IsValid() && a.iface != "" && a.iface == b.iface
		if !sameLocal {
			return false
		}
		for _, p := range a.peers {
			for _, q := range b.peers {
				if p == q {
					return true
				}
			}
		}
		return false
	}
	return a.iface != "" && a.iface == b.iface && a.mcast == b.mcast
}

// unicastPair reports two unicast instances that are each other's peer:
// the two ends of one virtual router.
func unicastPair(a, b *instFact) bool {
	has := func(list []netip.Addr, x netip.Addr) bool {
		for _, p := range list {
			if p == x {
				return true
			}
		}
		return false
	}
	return a.src.IsValid() && b.src.IsValid() && a.src != b.src && has(a.peers, b.src) && has(b.peers, a.src)
}

// masterBelowBackup warns when the MASTER of a virtual router has a lower
// priority than its BACKUP.
func masterBelowBackup(e *semEmitter, a, b semAt[*instFact]) {
	if a.f.effectiveState() == "BACKUP" {
		a, b = b, a
	}
	if a.f.effectiveState() != "MASTER" || b.f.effectiveState() != "BACKUP" {
		return
	}
	pa, pb := a.f.effectivePriority(), b.f.effectivePriority()
	if pa >= pb {
		return
	}
	where := a.f.prioAt
	if a.f.priority == 0 {
		where = a.f.stateAt
	}
	e.emit(a.unit, W, "state-priority-mismatch", where, fmt.Sprintf(
		"vrrp_instance '%s' starts as MASTER with priority %d, but its BACKUP '%s' (VRID %d) has priority %d: the BACKUP takes over as soon as it hears the MASTER; give the MASTER the higher priority",
		a.f.name, pa, b.f.name, a.f.vrid, pb), &semRel{b.unit, b.f.prioAt, "the BACKUP's priority"})
}

// checkUnused reports objects that nothing refers to.
func checkUnused(e *semEmitter, results []*unitResult, vrrp, lvs bool) {
	type k struct{ kind, name string }
	used := map[k]bool{}
	consumers := map[string]bool{"vrrp_instance": vrrp, "vrrp_sync_group": vrrp, "virtual_server": lvs}
	for _, r := range results {
		for _, s := range r.syms {
			if !s.def {
				used[k{s.kind, s.name}] = true
			}
		}
	}
	seen := map[k]bool{}
	for i, r := range results {
		for _, s := range r.syms {
			info, ok := unusedKinds[s.kind]
			if !s.def || !ok || s.removed != "" {
				continue
			}
			key := k{s.kind, s.name}
			if seen[key] || used[key] {
				continue
			}
			seen[key] = true
			any := false
			for _, c := range info.consumers {
				any = any || consumers[c]
			}
			if !any {
				continue // a fragment of definitions: its users are elsewhere
			}
			e.emit(i, W, "unused-definition", semLoc{s.src, s.span}, fmt.Sprintf("%s '%s' is never used: %s", s.kind, s.name, info.users), nil)
		}
	}
}
