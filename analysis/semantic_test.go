package analysis

import (
	"strings"
	"testing"

	"github.com/keepalived-ls/keepalived-ls/parser"
)

// semanticCases are the rule cases of the semantic rules and of suppression
// comments; they run with ruleCases (TestRules, the fix tests and
// TestEveryRuleHasCases).
var semanticCases = []ruleCase{
	// ---------------------------------------------------------------- unused-definition
	{
		name: "unused-definition/vrrp_script",
		text: confText(`
vrrp_script chk_used {
    script "/usr/bin/true"
}
vrrp_script chk_unused {
    script "/usr/bin/false"
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    track_script {
        chk_used
    }
` + vipBlock + `}
`),
		want: []string{"unused-definition warning 4:13-4:23 =vrrp_script 'chk_unused' is never used: no vrrp_instance or vrrp_sync_group tracks it (track_script): keepalived removes it and never runs it"},
	},
	{
		name: "unused-definition/trackers-and-groups",
		text: confText(`
vrrp_track_process proc_nginx {
    process nginx
}
track_file tf_maint {
    file /run/maint
}
bfd_instance bfd_gw {
    neighbor_ip 10.0.0.254
}
virtual_server_group VSG_OLD {
    10.0.0.100 80
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
` + vipBlock + `}
virtual_server 10.0.0.1 80 {
    protocol TCP
    real_server 10.0.0.5 80 {
        weight 1
    }
}
`),
		want: []string{
			"unused-definition warning 1:20-1:30 vrrp_track_process 'proc_nginx' is never used",
			"unused-definition warning 4:12-4:20 track_file 'tf_maint' is never used: no vrrp_instance, vrrp_sync_group or FILE_CHECK uses it",
			"unused-definition warning 7:14-7:20 bfd_instance 'bfd_gw' is never used",
			"unused-definition warning 10:22-10:29 virtual_server_group 'VSG_OLD' is never used",
		},
	},
	{
		// A file of definitions only (a fragment included elsewhere):
		// its users are in another file.
		name: "unused-definition/fragment-without-users",
		text: confText(`
vrrp_script chk_a {
    script "/usr/bin/true"
}
track_file tf_maint {
    file /run/maint
}
`),
	},
	{
		name: "unused-definition/used-by-checkers-and-groups",
		text: confText(`
track_file tf_maint {
    file /run/maint
}
bfd_instance bfd_rs {
    neighbor_ip 10.0.0.5
}
virtual_server_group VSG {
    10.0.0.100 80
}
virtual_server group VSG {
    protocol TCP
    real_server 10.0.0.5 80 {
        FILE_CHECK {
            track_file tf_maint
        }
        BFD_CHECK {
            name bfd_rs
        }
    }
}
`),
	},
	{
		name: "unused-definition/inactive-conditional-user",
		text: confText(`
vrrp_script chk_node1 {
    script "/usr/bin/true"
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
@node1    track_script {
@node1        chk_node1
@node1    }
` + vipBlock + `}
`),
		want: []string{"unused-definition warning 1:13-1:22 vrrp_script 'chk_node1' is never used"},
	},

	// ---------------------------------------------------------------- duplicate-vrid
	{
		name: "duplicate-vrid/same-interface",
		text: confText(`
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    virtual_ipaddress {
        192.168.1.10/24
    }
}
vrrp_instance VI_2 {
    interface eth0
    virtual_router_id 51
    virtual_ipaddress {
        192.168.1.20/24
    }
}
`),
		want: []string{"duplicate-vrid error 10:23-10:25 =vrrp_instance 'VI_2' uses VRID 51 with IPv4 on interface eth0, like vrrp_instance 'VI_1': keepalived's VRRP process refuses to start with both; give each virtual router its own VRID"},
	},
	{
		name: "duplicate-vrid/other-interface-family-or-group-is-fine",
		text: confText(`
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    virtual_ipaddress {
        192.168.1.10/24
    }
}
vrrp_instance VI_2 {
    interface eth1
    virtual_router_id 51
    virtual_ipaddress {
        192.168.2.10/24
    }
}
vrrp_instance VI_6 {
    interface eth0
    virtual_router_id 51
    virtual_ipaddress {
        fd00::10/64
    }
}
vrrp_instance VI_M {
    interface eth0
    virtual_router_id 51
    mcast_dst_ip 224.0.0.19
    virtual_ipaddress {
        192.168.3.10/24
    }
}
`),
	},
	{
		name: "duplicate-vrid/unicast-shared-peer",
		text: confText(`
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 60
    unicast_src_ip 10.0.0.1
    unicast_peer {
        10.0.0.2
    }
    virtual_ipaddress {
        192.168.1.10/24
    }
}
vrrp_instance VI_2 {
    interface eth0
    virtual_router_id 60
    unicast_src_ip 10.0.0.1
    unicast_peer {
        10.0.0.3
        10.0.0.2
    }
    virtual_ipaddress {
        192.168.1.20/24
    }
}
`),
		want: []string{"duplicate-vrid error 14:23-14:25 vrrp_instance 'VI_2' uses VRID 60 from the same local address as vrrp_instance 'VI_1' and shares a unicast peer with it"},
	},
	{
		name: "duplicate-vrid/unicast-other-peers-is-fine",
		text: confText(`
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 60
    unicast_src_ip 10.0.0.1
    unicast_peer {
        10.0.0.2
    }
    virtual_ipaddress {
        192.168.1.10/24
    }
}
vrrp_instance VI_2 {
    interface eth0
    virtual_router_id 60
    unicast_src_ip 10.0.0.1
    unicast_peer {
        10.0.0.3
    }
    virtual_ipaddress {
        192.168.1.20/24
    }
}
`),
	},
	{
		// With no config id, "@^node2" lines apply; on node2 they do not,
		// so the two instances may belong to different nodes.
		name: "duplicate-vrid/conditional-instances-warn",
		text: confText(`
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
@^node2    state MASTER
@^node2    priority 150
    virtual_ipaddress {
        192.168.1.10/24
    }
}
vrrp_instance VI_2 {
    interface eth0
    virtual_router_id 51
    state BACKUP
    priority 100
    virtual_ipaddress {
        192.168.1.10/24
    }
}
`),
		want: []string{"duplicate-vrid warning 12:23-12:25 both have lines that apply on some nodes only (@^ID)"},
	},
	{
		// Lines of another node are not read at all: no conflict.
		name: "duplicate-vrid/inactive-conditional-skipped",
		text: confText(`
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
` + vipBlock + `}
@node2 vrrp_instance VI_2 {
@node2     interface eth0
@node2     virtual_router_id 51
@node2     virtual_ipaddress {
@node2         192.168.1.20/24
@node2     }
@node2 }
`),
	},

	// ---------------------------------------------------------------- duplicate-vip
	{
		name: "duplicate-vip/within-one-instance",
		text: confText(`
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    virtual_ipaddress {
        192.168.1.10/24
        192.168.1.11/24
        192.168.1.10/24 dev eth0
    }
}
`),
		want:     []string{"duplicate-vip warning 7:9-7:24 192.168.1.10 is already a virtual address of this instance"},
		fixClean: true,
	},
	{
		name: "duplicate-vip/two-instances",
		text: confText(`
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    virtual_ipaddress {
        192.168.1.10/24
    }
}
vrrp_instance VI_2 {
    interface eth1
    virtual_router_id 52
    virtual_ipaddress {
        192.168.1.20/24
        192.168.1.10/24 dev eth0
    }
}
vrrp_instance VI_3 {
    interface eth2
    virtual_router_id 53
    virtual_ipaddress {
        192.168.1.10/24
    }
}
vrrp_instance VI_6A {
    interface eth0
    virtual_router_id 54
    virtual_ipaddress {
        fe80::1/64
    }
}
vrrp_instance VI_6B {
    interface eth1
    virtual_router_id 54
    virtual_ipaddress {
        fe80::1/64
    }
}
`),
		want: []string{"duplicate-vip warning 13:9-13:24 =192.168.1.10 is also a virtual address of vrrp_instance 'VI_1' on eth0: when both instances are MASTER they add the same address, and the first to leave MASTER removes it for both"},
	},

	// ---------------------------------------------------------------- state-priority-mismatch
	{
		name: "state-priority-mismatch/owner-as-backup",
		text: confText(`
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority 255
` + vipBlock + `}
`),
		want: []string{"state-priority-mismatch warning 2:11-2:17 priority 255 makes this instance the address owner"},
	},
	{
		// Both nodes of a unicast pair described in one file (each is the
		// other's peer): the MASTER has the lower priority.
		name: "state-priority-mismatch/master-below-backup",
		text: confText(`
vrrp_instance VI_A {
    state MASTER
    interface eth0
    virtual_router_id 51
    priority 100
    unicast_src_ip 10.0.0.1
    unicast_peer {
        10.0.0.2
    }
` + vipBlock + `}
vrrp_instance VI_B {
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority 150
    unicast_src_ip 10.0.0.2
    unicast_peer {
        10.0.0.1
    }
` + vipBlock + `}
`),
		want: []string{"state-priority-mismatch warning 5:14-5:17 =vrrp_instance 'VI_A' starts as MASTER with priority 100, but its BACKUP 'VI_B' (VRID 51) has priority 150: the BACKUP takes over as soon as it hears the MASTER; give the MASTER the higher priority"},
	},
	{
		name: "state-priority-mismatch/unicast-pair-in-order",
		text: confText(`
vrrp_instance VI_A {
    state MASTER
    interface eth0
    virtual_router_id 51
    priority 150
    unicast_src_ip 10.0.0.1
    unicast_peer {
        10.0.0.2
    }
` + vipBlock + `}
vrrp_instance VI_B {
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority 100
    unicast_src_ip 10.0.0.2
    unicast_peer {
        10.0.0.1
    }
` + vipBlock + `}
`),
	},

	// ---------------------------------------------------------------- preemption-conflict
	{
		name: "preemption-conflict/nopreempt-with-master",
		text: confText(`
vrrp_instance VI_1 {
    state MASTER
    nopreempt
    preempt_delay 10
    interface eth0
    virtual_router_id 51
    priority 150
` + vipBlock + `}
`),
		want: []string{
			"preemption-conflict warning 3:5-3:14 =nopreempt does not work with state MASTER: keepalived clears it; use state BACKUP on every node of this virtual router",
			"preemption-conflict warning 4:5-4:18 preempt_delay does not work with state MASTER",
		},
	},
	{
		name: "preemption-conflict/nopreempt-with-priority-255",
		text: confText(`
vrrp_instance VI_1 {
    state BACKUP
    nopreempt
    interface eth0
    virtual_router_id 51
    priority 255
` + vipBlock + `}
`),
		want: []string{
			"state-priority-mismatch warning 2:11-2:17 priority 255 makes this instance the address owner",
			"preemption-conflict warning 3:5-3:14 nopreempt does not work with priority 255",
		},
	},
	{
		name: "preemption-conflict/delay-with-nopreempt",
		text: confText(`
vrrp_instance VI_1 {
    state BACKUP
    nopreempt
    preempt_delay 30
    interface eth0
    virtual_router_id 51
` + vipBlock + `}
`),
		want: []string{"preemption-conflict warning 4:5-4:18 preempt_delay has no effect with nopreempt"},
	},
	{
		name: "preemption-conflict/nopreempt-without-state",
		text: confText(`
vrrp_instance VI_1 {
    nopreempt
    interface eth0
    virtual_router_id 51
    priority 100
` + vipBlock + `}
`),
		want: []string{"preemption-conflict information 2:5-2:14 nopreempt needs the initial state BACKUP"},
	},

	// ---------------------------------------------------------------- sync groups
	{
		name: "sync-group-too-small/one-member",
		text: confText(`
vrrp_sync_group VG_1 {
    group {
        VI_1
    }
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
` + vipBlock + `}
`),
		want: []string{"sync-group-too-small warning 1:17-1:21 =vrrp_sync_group 'VG_1' has only one instance ('VI_1'): a sync group makes instances change state together, so with one member it does nothing"},
	},
	{
		name: "instance-in-several-sync-groups",
		text: confText(`
vrrp_sync_group VG_1 {
    group {
        VI_1
        VI_2
    }
}
vrrp_sync_group VG_2 {
    group {
        VI_2 VI_3
    }
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
` + vipBlock + `}
vrrp_instance VI_2 {
    interface eth0
    virtual_router_id 52
    virtual_ipaddress {
        192.168.1.20/24
    }
}
vrrp_instance VI_3 {
    interface eth0
    virtual_router_id 53
    virtual_ipaddress {
        192.168.1.30/24
    }
}
`),
		want: []string{
			"sync-group-too-small warning 7:17-7:21 vrrp_sync_group 'VG_2' has only one instance ('VI_3')",
			"instance-in-several-sync-groups error 9:9-9:13 =vrrp_instance 'VI_2' is already in vrrp_sync_group 'VG_1': an instance can be in one sync group only, so keepalived leaves it out of 'VG_2'",
		},
	},

	// ---------------------------------------------------------------- unicast-peer-is-self
	{
		name: "unicast-peer-is-self",
		text: confText(`
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    unicast_src_ip 10.0.0.1
    unicast_peer {
        10.0.0.1
        10.0.0.2
    }
` + vipBlock + `}
`),
		want: []string{"unicast-peer-is-self warning 6:9-6:17 10.0.0.1 is this instance's own unicast_src_ip"},
	},

	// ---------------------------------------------------------------- address families
	{
		name: "invalid-value/native-ipv6-drops-ipv4-vips",
		text: confText(`
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    native_ipv6
    virtual_ipaddress {
        192.168.1.10/24
        fe80::10/64
    }
}
`),
		want: []string{
			"deprecated-keyword warning 4:5-4:16 'native_ipv6' is deprecated",
			"invalid-value error 6:9-6:24 IPv4 address in an IPv6 instance",
		},
	},
	{
		name: "invalid-value/native-ipv6-after-ipv4",
		text: confText(`
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    unicast_src_ip 10.0.0.1
    unicast_peer {
        10.0.0.2
        fd00::5
    }
` + vipBlock + `    native_ipv6
}
`),
		want: []string{
			"invalid-value error 7:9-7:16 IPv6 unicast peer in an IPv4 instance: keepalived skips it",
			"deprecated-keyword warning 12:5-12:16 'native_ipv6' is deprecated",
			"invalid-value error 12:5-12:16 native_ipv6 in an instance that already has IPv4 addresses",
		},
	},

	// ---------------------------------------------------------------- duplicate-virtual-server
	{
		name: "duplicate-virtual-server/address",
		text: confText(`
virtual_server 10.0.0.1 80 {
    protocol TCP
    real_server 10.0.0.5 80 {
        weight 1
    }
}
virtual_server 10.0.0.1 80 {
    protocol TCP
    real_server 10.0.0.6 80 {
        weight 1
    }
}
virtual_server 10.0.0.1 80 {
    protocol UDP
    real_server 10.0.0.6 80 {
        weight 1
    }
}
`),
		want: []string{"duplicate-virtual-server warning 7:1-7:27 =virtual_server 10.0.0.1 80 (TCP) is already defined: keepalived does not notice, but the kernel (IPVS) refuses to create the same service twice, so this block fails at run time"},
	},
	{
		name: "duplicate-virtual-server/fwmark-and-group",
		text: confText(`
virtual_server_group VSG {
    10.0.0.100 80
}
virtual_server fwmark 5 {
    real_server 10.0.0.5 80 {
        weight 1
    }
}
virtual_server fwmark 5 {
    real_server 10.0.0.6 80 {
        weight 1
    }
}
virtual_server group VSG {
    protocol TCP
    real_server 10.0.0.5 80 {
        weight 1
    }
}
virtual_server group VSG {
    protocol TCP
    real_server 10.0.0.6 80 {
        weight 1
    }
}
`),
		want: []string{
			"duplicate-virtual-server warning 9:1-9:24 virtual_server fwmark 5 is already defined",
			"duplicate-virtual-server warning 20:1-20:25 virtual_server group VSG (TCP) is already defined",
		},
	},

	// ---------------------------------------------------------------- implicit-real-server-port
	{
		name: "implicit-real-server-port",
		text: confText(`
virtual_server 10.0.0.1 443 {
    protocol TCP
    real_server 10.0.0.5 {
        weight 1
    }
    real_server 10.0.0.6 443 {
        weight 1
    }
}
virtual_server fwmark 7 {
    real_server 10.0.0.7 {
        weight 1
    }
}
`),
		want:     []string{"implicit-real-server-port information 3:5-3:25 =real_server 10.0.0.5 has no port: keepalived uses the virtual server's port 443"},
		fixClean: true,
	},

	// ---------------------------------------------------------------- quorum-unreachable
	{
		name: "quorum-unreachable/quorum-above-weights",
		text: confText(`
virtual_server 10.0.0.1 80 {
    protocol TCP
    quorum 5
    hysteresis 4
    real_server 10.0.0.5 80 {
        weight 2
    }
    real_server 10.0.0.6 80 {
    }
}
`),
		want: []string{
			"quorum-unreachable warning 3:12-3:13 =quorum 5 is more than the total weight of the real servers (3): the service could never be up, so keepalived lowers the quorum to 3",
			"quorum-unreachable warning 4:16-4:17 =hysteresis 4 is not below the quorum 3: keepalived lowers it to 2",
		},
	},
	{
		name: "quorum-unreachable/reachable",
		text: confText(`
virtual_server 10.0.0.1 80 {
    protocol TCP
    weight 2
    quorum 4
    hysteresis 1
    real_server 10.0.0.5 80 {
    }
    real_server 10.0.0.6 80 {
    }
}
`),
	},

	// ---------------------------------------------------------------- checkers
	{
		name: "missing-required/file-bfd-dns-checks",
		text: confText(`
virtual_server 10.0.0.1 53 {
    protocol UDP
    real_server 10.0.0.5 53 {
        FILE_CHECK {
            weight 1
        }
        BFD_CHECK {
            alpha
        }
        DNS_CHECK {
            type A
        }
    }
}
`),
		want: []string{
			"missing-required error 4:9-4:19 =FILE_CHECK has no 'track_file': keepalived ignores this checker",
			"missing-required error 7:9-7:18 BFD_CHECK has no 'name'",
			"missing-required information 10:9-10:18 DNS_CHECK has no 'name': keepalived queries the root domain '.'",
		},
	},

	// ---------------------------------------------------------------- scripts
	{
		name: "script-security-disabled",
		text: confText(`
global_defs {
    router_id lb1
}
vrrp_script chk {
    script "/usr/bin/pgrep haproxy"
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    track_script {
        chk
    }
    notify_master "/usr/local/bin/master.sh"
` + vipBlock + `}
`),
		want: []string{"script-security-disabled information 1:1-1:12 the configuration runs scripts (2 script lines, the first is 'script') but no global_defs sets enable_script_security"},
	},
	{
		name: "script-security-disabled/enabled-in-second-global_defs",
		text: confText(`
global_defs {
    router_id lb1
}
global_defs {
    enable_script_security
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    notify_master "/usr/local/bin/master.sh"
` + vipBlock + `}
`),
	},
	{
		name: "relative-script-path",
		text: confText(`
vrrp_script chk {
    script "scripts/check.sh --quick"
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    track_script {
        chk
    }
    notify "./notify.sh"
    notify_master "logger became master"
` + vipBlock + `}
`),
		want: []string{
			"relative-script-path information 2:12-2:38 ='scripts/check.sh' is a relative path: keepalived resolves it against its own working directory (normally /), not against the configuration file's directory; write the absolute path",
			"relative-script-path information 10:12-10:25 './notify.sh' is a relative path",
		},
	},
	{
		name:   "relative-script-path/2.2.7",
		target: "2.2.7",
		text: confText(`
vrrp_script chk {
    script "scripts/check.sh --quick"
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    track_script {
        chk
    }
` + vipBlock + `}
`),
		want: []string{"relative-script-path information 2:12-2:38 'scripts/check.sh' is a relative path"},
	},

	// ---------------------------------------------------------------- incomplete-email-alerts
	{
		name: "incomplete-email-alerts/no-smtp-server",
		text: confText(`
global_defs {
    router_id lb1
    notification_email {
        ops@example.com
    }
}
`),
		want: []string{"incomplete-email-alerts warning 3:5-3:23 =notification_email is set but global_defs has no smtp_server: keepalived sends mail only when both are set, so no alert is ever mailed"},
	},
	{
		name: "incomplete-email-alerts/smtp_alert-without-email",
		text: confText(`
global_defs {
    router_id lb1
    smtp_server 127.0.0.1
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    smtp_alert
` + vipBlock + `}
`),
		want: []string{"incomplete-email-alerts warning 8:5-8:15 smtp_alert is on but no global_defs has a notification_email"},
	},
	{
		name: "incomplete-email-alerts/complete",
		text: confText(`
global_defs {
    router_id lb1
    notification_email {
        ops@example.com
    }
    smtp_server 127.0.0.1
    smtp_alert
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    smtp_alert off
` + vipBlock + `}
`),
	},
	{
		name: "incomplete-email-alerts/global-smtp_alert",
		text: confText(`
global_defs {
    router_id lb1
    smtp_alert_vrrp
}
`),
		want: []string{"incomplete-email-alerts warning 1:1-1:12 smtp_alert is on but no global_defs has a notification_email"},
	},

	// ---------------------------------------------------------------- suppression comments
	{
		name: "suppression/end-of-line",
		text: confText(`
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priorty 100   # keepalived-ls: disable=unknown-keyword
` + vipBlock + `}
`),
	},
	{
		name: "suppression/line-before-and-several-rules",
		text: confText(`
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    # keepalived-ls: disable=unknown-keyword, extra-arguments
    priorty 100

    priorty 101
` + vipBlock + `}
`),
		want: []string{
			"unused-suppression information 4:47-4:62 =this comment disables extra-arguments, but there is no such problem here: remove it",
			"unknown-keyword error 7:5-7:12 unknown keyword 'priorty'",
		},
	},
	{
		name: "suppression/next-content-line",
		text: confText(`
# keepalived-ls: disable=unused-definition
! a comment about the script

vrrp_script chk_spare {
    script "/usr/bin/true"
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
` + vipBlock + `}
`),
	},
	{
		name: "suppression/file",
		text: confText(`
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priorty 100
    priorty 200
` + vipBlock + `}
# keepalived-ls: disable-file=unknown-keyword,duplicate-vrid
`),
		want: []string{"unused-suppression information 10:47-10:61 this comment disables duplicate-vrid for the file, but the file has no such problem"},
	},
	{
		name: "suppression/unknown-rule-and-bad-directive",
		text: confText(`
global_defs {
    router_id lb1   # keepalived-ls: disable=unknown-keywrd
    # keepalived-ls: silence=everything
}
`),
		want: []string{
			"unused-suppression information 2:46-2:60 =there is no rule 'unknown-keywrd'; did you mean 'unknown-keyword'?",
			"unused-suppression information 3:5-3:40 not a keepalived-ls directive",
		},
		fixClean: true,
	},
	{
		name: "suppression/in-included-file",
		files: map[string]string{
			"conf.d/vrrp.conf": "vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n    # keepalived-ls: disable=unknown-keyword\n    priorty 100\n    priorty 200 # keepalived-ls: disable=deprecated-keyword\n" + vipBlock + "}\n",
		},
		text: "include conf.d/vrrp.conf\n",
		want: []string{
			"@vrrp.conf unknown-keyword error 6:5-6:12 unknown keyword 'priorty'",
			"@vrrp.conf unused-suppression information 6:42-6:60 this comment disables deprecated-keyword",
		},
	},
	{
		name:   "suppression/suppressing-unused-suppression",
		target: "2.2.7",
		text: confText(`
# keepalived-ls: disable-file=unused-suppression
global_defs {
    router_id lb1   # keepalived-ls: disable=unknown-keyword
}
`),
	},
}

func init() { ruleCases = append(ruleCases, semanticCases...) }

// TestSuppressFixTexts checks the text of the suppression quick fix: a
// comment line with the line's indentation, or a rule added to the
// directive already on the line before.
func TestSuppressFixTexts(t *testing.T) {
	suppressOf := func(ds []parser.Diagnostic, rule string) parser.Fix {
		t.Helper()
		for _, d := range ds {
			if d.Rule != rule {
				continue
			}
			for _, f := range d.Fixes {
				if strings.HasPrefix(f.Title, "Disable ") {
					return f
				}
			}
		}
		t.Fatalf("no suppression fix for %s in %q", rule, diagStrings(ds))
		return parser.Fix{}
	}
	text := confText(`
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priorty 100
` + vipBlock + `}
`)
	ds := checkBoth(t, "/nonexistent/keepalived.conf", []byte(text), Config{}, parser.Options{})
	f := suppressOf(ds, "unknown-keyword")
	if f.Preferred || f.Title != "Disable unknown-keyword for this line" {
		t.Errorf("fix %q preferred=%v", f.Title, f.Preferred)
	}
	got := applyTestEdits(t, text, f.Edits)
	if l := lineOf(got, 4); l != "    # keepalived-ls: disable=unknown-keyword" {
		t.Errorf("line 4 = %q", l)
	}
	if ds := checkBoth(t, "/nonexistent/keepalived.conf", []byte(got), Config{}, parser.Options{}); len(ds) != 0 {
		t.Errorf("after the fix: %q", diagStrings(ds))
	}

	// A directive on the line before gets the rule added.
	text2 := confText(`
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    # keepalived-ls: disable=extra-arguments
    priorty 100
` + vipBlock + `}
`)
	ds = checkBoth(t, "/nonexistent/keepalived.conf", []byte(text2), Config{}, parser.Options{})
	f = suppressOf(ds, "unknown-keyword")
	got = applyTestEdits(t, text2, f.Edits)
	if l := lineOf(got, 4); l != "    # keepalived-ls: disable=extra-arguments,unknown-keyword" {
		t.Errorf("line 4 = %q", l)
	}

	// Removing an unused rule from a directive that names several.
	text3 := "global_defs {\n    # keepalived-ls: disable=extra-arguments, unknown-keyword\n    router_idd lb1\n}\n"
	ds = checkBoth(t, "/nonexistent/keepalived.conf", []byte(text3), Config{}, parser.Options{})
	var rm []parser.Fix
	for _, d := range ds {
		if d.Rule == "unused-suppression" {
			rm = append(rm, d.Fixes...)
		}
	}
	if len(rm) != 1 {
		t.Fatalf("want one removal fix, got %q", diagStrings(ds))
	}
	got = applyTestEdits(t, text3, rm[0].Edits)
	if l := lineOf(got, 2); l != "    # keepalived-ls: disable=unknown-keyword" {
		t.Errorf("line 2 = %q", l)
	}
}

// TestSuppressionRespectsRuleSettings: a suppression of a rule that the
// configuration turns off is not reported as unused, and unused-suppression
// can itself be turned off.
func TestSuppressionRespectsRuleSettings(t *testing.T) {
	text := []byte("global_defs {\n    router_idd lb1 # keepalived-ls: disable=unknown-keyword\n    router_id lb1 # keepalived-ls: disable=extra-arguments\n}\n")
	var cfg Config
	if err := cfg.SetRule("unknown-keyword", "off"); err != nil {
		t.Fatal(err)
	}
	ds := checkBoth(t, "/nonexistent/keepalived.conf", text, cfg, parser.Options{})
	assertDiags(t, ds, []string{"unused-suppression information 3:44-3:59 disables extra-arguments"})
	if err := cfg.SetRule("unused-suppression", "off"); err != nil {
		t.Fatal(err)
	}
	if ds := checkBoth(t, "/nonexistent/keepalived.conf", text, cfg, parser.Options{}); len(ds) != 0 {
		t.Errorf("got %q", diagStrings(ds))
	}
}

// TestSemanticIncremental: the cross-unit results follow edits of a
// document checked with one Checker (cached passes are not stale).
func TestSemanticIncremental(t *testing.T) {
	text := confText(`
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
` + vipBlock + `}
vrrp_instance VI_2 {
    interface eth0
    virtual_router_id 52
    virtual_ipaddress {
        192.168.1.20/24
    }
}
`)
	d := parser.Parse("/nonexistent/keepalived.conf", []byte(text), parser.Options{})
	ck := NewChecker(Config{})
	if ds := ck.Check(d); len(ds) != 0 {
		t.Fatalf("before: %q", diagStrings(ds))
	}
	// Line 10 (0-based 9) holds "    virtual_router_id 52": make it 51.
	d2 := d.Edit(parser.Pos{Line: 9, Col: 23}, parser.Pos{Line: 9, Col: 24}, []byte("1"))
	assertDiags(t, ck.Check(d2), []string{"duplicate-vrid error 10:23-10:25 like vrrp_instance 'VI_1'"})
	// Edits that change no fact reuse the cross-unit pass; its positions
	// still follow the text.
	d2b := d2.Edit(parser.Pos{Line: 8, Col: 4}, parser.Pos{Line: 8, Col: 4}, []byte("  "))
	assertDiags(t, ck.Check(d2b), []string{"duplicate-vrid error 10:23-10:25 like vrrp_instance 'VI_1'"})
	d2c := d2.Edit(parser.Pos{Line: 8, Col: 0}, parser.Pos{Line: 8, Col: 0}, []byte("    # moved down\n"))
	assertDiags(t, ck.Check(d2c), []string{"duplicate-vrid error 11:23-11:25 like vrrp_instance 'VI_1'"})
	d2d := d2.Edit(parser.Pos{Line: 0, Col: 0}, parser.Pos{Line: 0, Col: 0}, []byte("\n\n"))
	assertDiags(t, ck.Check(d2d), []string{"duplicate-vrid error 12:23-12:25 like vrrp_instance 'VI_1'"})
	// And back.
	d3 := d2.Edit(parser.Pos{Line: 9, Col: 23}, parser.Pos{Line: 9, Col: 24}, []byte("2"))
	if ds := ck.Check(d3); len(ds) != 0 {
		t.Errorf("after undo: %q", diagStrings(ds))
	}
	// The first document again: unchanged units are memoised.
	if ds := ck.Check(d); len(ds) != 0 {
		t.Errorf("original: %q", diagStrings(ds))
	}
}

// TestSetRuleLaterWins: settings applied in layers (project file, then
// flags or editor settings) end with the last one for each rule.
func TestSetRuleLaterWins(t *testing.T) {
	var cfg Config
	for _, s := range [][2]string{{"extra-arguments", "off"}, {"extra-arguments", "error"}, {"empty-block", "error"}, {"empty-block", "off"}} {
		if err := cfg.SetRule(s[0], s[1]); err != nil {
			t.Fatal(err)
		}
	}
	d := parser.Diagnostic{Rule: "extra-arguments", Severity: W}
	if !cfg.apply(&d) || d.Severity != E {
		t.Errorf("extra-arguments: kept=%v severity %s", cfg.apply(&d), d.Severity)
	}
	if e := (parser.Diagnostic{Rule: "empty-block"}); cfg.apply(&e) {
		t.Error("empty-block should be off")
	}
}
