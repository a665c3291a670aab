// Package analysis checks parsed keepalived configurations: keywords,
// arguments, values, versions, references and cross-object rules. It works
// on parser trees and returns parser.Diagnostics; it knows nothing of LSP.
package analysis

import (
	"sort"

	"github.com/keepalived-ls/keepalived-ls/parser"
)

// Rule describes one diagnostic rule: a stable id, a default severity and a
// one-line summary (docs/rules/ID.md has the full page).
type Rule struct {
	ID       string
	Severity parser.Severity
	Summary  string
}

const (
	E = parser.Error
	W = parser.Warning
	I = parser.Information
	H = parser.Hint
)

// rules lists every rule keepalived-ls reports, parser rules included.
var rules = []Rule{
	// Syntax (reported by the parser).
	{"unbalanced-braces", E, "a '{' or '}' is missing or has no partner"},
	{"unterminated-quote", E, "a double quote is not closed"},
	{"line-too-long", E, "a line is longer than keepalived's 1022-character limit"},
	{"binary-content", E, "the file contains NUL bytes"},
	{"value-list-without-braces", E, "values of a value block are written without braces"},
	{"include-not-found", W, "an included file or directory does not exist"},
	{"include-no-match", I, "an include pattern matches no file"},
	{"include-skipped", W, "keepalived skips an included path (directory or executable file)"},
	{"include-cycle", E, "files include each other in a loop"},
	{"undefined-parameter", W, "a $NAME reference has no definition before it"},
	{"invalid-definition", E, "a $NAME definition cannot be expanded"},
	{"invalid-generator", E, "a ~SEQ or ~LST line is malformed"},
	{"invalid-conditional", W, "an @ID line has nothing after the id"},
	// Keywords and arguments.
	{"unknown-keyword", E, "the keyword is not valid in this block"},
	{"unavailable-in-version", E, "the keyword does not exist in the target keepalived version"},
	{"deprecated-keyword", W, "the keyword is deprecated"},
	{"missing-argument", E, "a required argument is missing"},
	{"extra-arguments", W, "words after the arguments that keepalived ignores"},
	{"invalid-value", E, "a value is malformed or out of range"},
	{"questionable-value", W, "keepalived accepts the value but not as written"},
	{"duplicate-keyword", W, "a keyword given twice in one block: the last one wins"},
	{"empty-block", W, "a block that needs content is empty"},
	{"missing-required", E, "a block lacks a keyword keepalived needs"},
	// VRRP.
	{"auth-pass-truncated", W, "auth_pass is longer than 8 characters and keepalived truncates it"},
	{"deprecated-syntax", W, "an old spelling inside a value line"},
	// References.
	{"duplicate-name", E, "two objects of the same kind share a name"},
	{"undefined-reference", E, "a name refers to an object that is not defined"},
	{"reference-before-definition", E, "a name refers to an object defined later in the file; keepalived resolves it while reading"},
	// LVS.
	{"duplicate-real-server", E, "the same real_server appears twice in one virtual_server"},
	{"sorry-server-is-real-server", W, "a sorry_server is also a real_server of the same virtual_server"},
	// Semantic checks (analysis/semantic.go and friends).
	{"unused-definition", W, "a vrrp_script, tracker, bfd_instance or virtual_server_group that nothing uses"},
	{"duplicate-vrid", E, "two vrrp_instances use the same VRID on one interface (or the same unicast peers)"},
	{"duplicate-vip", W, "a virtual address listed twice in one vrrp_instance or in two of them"},
	{"state-priority-mismatch", W, "the state contradicts the priority (priority 255 as BACKUP, a MASTER below its BACKUP)"},
	{"preemption-conflict", W, "nopreempt or preempt_delay combined with settings that cancel it"},
	{"sync-group-too-small", W, "a vrrp_sync_group with a single instance"},
	{"instance-in-several-sync-groups", E, "a vrrp_instance listed in more than one vrrp_sync_group"},
	{"unicast-peer-is-self", W, "unicast_peer lists the instance's own unicast_src_ip"},
	{"duplicate-virtual-server", W, "the same virtual_server (address, port and protocol, fwmark or group) is defined twice"},
	{"implicit-real-server-port", I, "a real_server without a port takes the virtual server's port"},
	{"quorum-unreachable", W, "quorum above the real servers' total weight, or hysteresis not below the quorum"},
	{"script-security-disabled", I, "scripts are configured but enable_script_security is not set"},
	{"relative-script-path", I, "a script is given by a relative path"},
	{"incomplete-email-alerts", W, "mail alerts are asked for, but notification_email or smtp_server is missing"},
	// Cluster checks (analysis/cluster): the configurations of several hosts
	// compared (check --cluster, the [cluster] project section, the server's
	// cluster.peers). Their ids start with "cluster-" (see IsClusterRule).
	{"cluster-vrid-missing", W, "a virtual router (VRID, interface, family) that a peer host does not have"},
	{"cluster-instance-name", H, "an instance name used on two hosts for different virtual routers"},
	{"cluster-vip-mismatch", E, "the routers of one virtual router list different virtual addresses"},
	{"cluster-advert-int-mismatch", E, "the routers of one virtual router use different advert_int values"},
	{"cluster-auth-mismatch", E, "the routers of one virtual router use different authentication"},
	{"cluster-version-mismatch", E, "the routers of one virtual router speak different VRRP versions"},
	{"cluster-unicast-peer-mismatch", E, "unicast_peer lists that do not name the peer, or unicast on one host and multicast on another"},
	{"cluster-preempt-mismatch", W, "nopreempt or preempt_delay differ between the routers of one virtual router"},
	{"cluster-multiple-masters", W, "several hosts start as MASTER of one virtual router with equal priority"},
	{"cluster-equal-priority", W, "two hosts have the same priority: the higher IP address breaks the tie"},
	{"cluster-backup-preempts", W, "a BACKUP with a higher priority than the MASTER takes over"},
	{"cluster-track-weight", W, "tracking weights that reorder the priorities, or cannot, or hand over to a host that does not check"},
	{"cluster-virtual-server-missing", W, "a virtual_server that another LVS director does not define"},
	{"cluster-real-server-mismatch", W, "a virtual_server has different real servers on two LVS directors"},
	// Suppression comments.
	{"too-many-diagnostics", W, "a file has more problems than keepalived-ls lists (10,000): the rest are counted"},
	{"unused-suppression", I, "a keepalived-ls: disable comment that suppresses nothing"},
	// keepalived itself (check --with-keepalived, server runKeepalived).
	{"keepalived-message", W, "a message of keepalived's own configuration test (keepalived -t)"},
}

var ruleByID = func() map[string]*Rule {
	m := map[string]*Rule{}
	for i := range rules {
		m[rules[i].ID] = &rules[i]
	}
	return m
}()

// Rules returns every rule, sorted by id.
func Rules() []Rule {
	out := append([]Rule(nil), rules...)
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// LookupRule finds a rule by id.
func LookupRule(id string) (Rule, bool) {
	r, ok := ruleByID[id]
	if !ok {
		return Rule{}, false
	}
	return *r, true
}
