package analysis

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keepalived-ls/keepalived-ls/parser"
)

// ruleCase is one configuration and every diagnostic it must produce.
type ruleCase struct {
	name   string
	target string            // keepalived version to check against; "" is the newest
	files  map[string]string // files next to the document (for includes)
	text   string
	// want lists every expected diagnostic, in the order Check returns
	// them: "[@FILE ]RULE SEVERITY L:C-L:C MESSAGE-SUBSTRING" with 1-based
	// lines and byte columns (end exclusive). An empty want means the
	// configuration must produce no diagnostic at all.
	want []string
	// avoid lists message parts no diagnostic may contain.
	avoid []string
	// fixClean: applying the preferred fix of every diagnostic gives a
	// configuration without any diagnostic.
	fixClean bool
}

// A small valid vrrp_instance body used by many cases.
const vipBlock = `    virtual_ipaddress {
        192.168.1.10/24
    }
`

var ruleCases = []ruleCase{
	// ---------------------------------------------------------------- unknown-keyword
	{
		name: "unknown-keyword/did-you-mean",
		text: confText(`
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priorty 100
` + vipBlock + `}
`),
		want:     []string{"unknown-keyword error 4:5-4:12 unknown keyword 'priorty' in 'vrrp_instance'; did you mean 'priority'?"},
		fixClean: true,
	},
	{
		name: "unknown-keyword/keywords-are-case-sensitive",
		text: confText(`
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    Priority 100
` + vipBlock + `}
`),
		want:     []string{"unknown-keyword error 4:5-4:13 did you mean 'priority'?"},
		fixClean: true,
	},
	{
		name: "unknown-keyword/no-suggestion",
		text: confText(`
global_defs {
    router_id lb1
    frobnicate_everything yes
}
`),
		want: []string{"unknown-keyword error 3:5-3:26 =unknown keyword 'frobnicate_everything' in 'global_defs'"},
	},
	{
		name: "unknown-keyword/belongs-in-another-block",
		text: confText(`
global_defs {
    router_id lb1
    virtual_router_id 5
}
`),
		want: []string{"unknown-keyword error 3:5-3:22 =unknown keyword 'virtual_router_id' in 'global_defs'; it belongs in 'vrrp_instance'"},
	},
	{
		name: "unknown-keyword/missing-close-brace-above",
		text: confText(`
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    authentication {
        auth_type PASS
        auth_pass secret
    priority 100
    }
` + vipBlock + `}
`),
		want: []string{"unknown-keyword error 7:5-7:13 unknown keyword 'priority' in 'authentication'; it belongs in 'vrrp_instance' (is a '}' missing above this line?)"},
	},
	{
		name: "unknown-keyword/top-level-after-misplaced-brace",
		text: confText(`
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    }
    priority 100
}
`),
		want: []string{
			"unknown-keyword error 5:5-5:13 unknown keyword 'priority' at the top level; it belongs in 'vrrp_instance' (does a '}' above close its block too early?)",
			"unbalanced-braces error 6:1-6:2 unexpected '}'",
		},
	},
	{
		name: "unknown-keyword/unknown-block-swallows-its-close-brace",
		text: confText(`
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    authentification {
        auth_type PASS
    }
    priority 100
}
`),
		want: []string{
			"unknown-keyword error 4:5-4:21 did you mean 'authentication'?",
			"unbalanced-braces error 4:22-4:23 unexpected '{'",
			"unknown-keyword error 5:9-5:18 unknown keyword 'auth_type' in 'vrrp_instance'; it belongs in 'vrrp_instance > authentication'",
			"unknown-keyword error 7:5-7:13 unknown keyword 'priority' at the top level",
			"unbalanced-braces error 8:1-8:2 unexpected '}'",
		},
	},
	{
		name: "unknown-keyword/valid-instance",
		text: confText(`
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority 100
    advert_int 1
` + vipBlock + `}
`),
	},

	// ---------------------------------------------------------------- unavailable-in-version
	{
		name:   "unavailable-in-version/sni_name-2.3.3",
		target: "2.3.3",
		text:   sniConf,
		want:   []string{"unavailable-in-version error 5:13-5:21 'sni_name' was added in keepalived after 2.4.3 (not yet in a release); keepalived 2.3.3 does not know it"},
	},
	{
		name:   "unavailable-in-version/sni_name-2.4.3",
		target: "2.4.3",
		text:   sniConf,
		want:   []string{"unavailable-in-version error 5:13-5:21 keepalived 2.4.3 does not know it"},
	},
	{
		name: "unavailable-in-version/sni_name-newest",
		text: sniConf,
	},
	{
		name:   "unavailable-in-version/vrrp_delay_after_boot-2.3.3",
		target: "2.3.3",
		text:   delayConf,
		want:   []string{"unavailable-in-version error 3:5-3:26 ='vrrp_delay_after_boot' was added in keepalived 2.4.0; keepalived 2.3.3 does not know it"},
	},
	{
		name:   "unavailable-in-version/vrrp_delay_after_boot-2.4.0",
		target: "2.4.0",
		text:   delayConf,
	},
	{
		name: "unavailable-in-version/vrrp_delay_after_boot-newest",
		text: delayConf,
	},
	{
		name:   "unavailable-in-version/auth_hmac-2.3.4",
		target: "2.3.4",
		text:   hmacConf,
		// As in the 2.2.7 case below: 2.3.4 reads auth_hmac's lines as
		// part of vrrp_instance, and its '}' closes the instance.
		want: []string{
			"unavailable-in-version error 4:5-4:14 'auth_hmac' was added in keepalived 2.4.0; keepalived 2.3.4 does not know it",
			"unbalanced-braces error 4:15-4:16 keepalived does not know 'auth_hmac' here",
			"unknown-keyword error 5:9-5:12 unknown keyword 'key' in 'vrrp_instance'",
			"unknown-keyword error 6:9-6:19 unknown keyword 'active_key' in 'vrrp_instance'",
			"unknown-keyword error 8:5-8:22 unknown keyword 'virtual_ipaddress' at the top level",
			"unbalanced-braces error 8:23-8:24 unexpected '{'",
			"unknown-keyword error 9:9-9:24 unknown keyword '192.168.1.10/24' at the top level",
			"unbalanced-braces error 10:5-10:6 unexpected '}'",
			"unbalanced-braces error 11:1-11:2 unexpected '}'",
		},
	},
	{
		name:   "unavailable-in-version/auth_hmac-2.4.0",
		target: "2.4.0",
		text:   hmacConf,
	},
	{
		// keepalived before 2.4.0 does not know auth_hmac: it ignores the
		// '{', reads key and active_key as (unknown) vrrp_instance
		// keywords, and the auth_hmac '}' closes the vrrp_instance. Then
		// virtual_ipaddress is an unknown top-level keyword and the VIPs are
		// lost (keepalived 2.2.7: "(Line 8) Unknown keyword
		// 'virtual_ipaddress'", "(Line 8) Unexpected '{'", "(Line 9)
		// Unknown keyword '192.168.1.10/24'", "(Line 11) Unknown keyword
		// '}'").
		name:   "unavailable-in-version/auth_hmac-2.2.7-closes-the-instance",
		target: "2.2.7",
		text:   hmacConf,
		want: []string{
			"unavailable-in-version error 4:5-4:14 'auth_hmac' was added in keepalived 2.4.0",
			"unbalanced-braces error 4:15-4:16 keepalived does not know 'auth_hmac' here",
			"unknown-keyword error 5:9-5:12 unknown keyword 'key' in 'vrrp_instance'",
			"unknown-keyword error 6:9-6:19 unknown keyword 'active_key' in 'vrrp_instance'",
			"unknown-keyword error 8:5-8:22 unknown keyword 'virtual_ipaddress' at the top level",
			"unbalanced-braces error 8:23-8:24 unexpected '{'",
			"unknown-keyword error 9:9-9:24 unknown keyword '192.168.1.10/24' at the top level",
			"unbalanced-braces error 10:5-10:6 unexpected '}'",
			"unbalanced-braces error 11:1-11:2 unexpected '}'",
		},
	},

	// ---------------------------------------------------------------- deprecated-keyword
	{
		name:     "deprecated-keyword/nb_get_retry",
		text:     httpCheckConf("nb_get_retry 3"),
		want:     []string{"deprecated-keyword warning 8:13-8:25 'nb_get_retry' is deprecated: renamed to retry"},
		fixClean: true,
	},
	{
		name: "deprecated-keyword/retry",
		text: httpCheckConf("retry 3"),
	},

	// ---------------------------------------------------------------- missing-argument
	{
		name: "missing-argument/priority-alone",
		text: confText(`
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priority
` + vipBlock + `}
`),
		want: []string{"missing-argument error 4:5-4:13 'priority' is incomplete: missing priority"},
	},
	{
		name: "missing-argument/track_script-weight-without-value",
		text: confText(`
vrrp_script chk_web {
    script "/usr/bin/pgrep nginx"
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    track_script {
        chk_web weight
    }
` + vipBlock + `}
`),
		want: []string{"missing-argument error 8:9-8:23 'track_script entry' is incomplete: missing weight"},
	},
	{
		name: "missing-argument/vip-dev-without-interface",
		text: confText(`
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    virtual_ipaddress {
        192.168.1.10/24 dev
    }
}
`),
		want: []string{"missing-argument error 5:9-5:28 'virtual_ipaddress entry' is incomplete"},
	},

	// ---------------------------------------------------------------- extra-arguments
	{
		name: "extra-arguments/semicolon-is-not-a-separator",
		text: confText(`
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priority 100 ; advert_int 1
` + vipBlock + `}
`),
		want: []string{"extra-arguments warning 4:18-4:32 'priority' does not take '; advert_int 1': keepalived ignores the rest of the line"},
	},
	{
		name: "extra-arguments/state-with-two-words",
		text: confText(`
vrrp_instance VI_1 {
    state BACKUP MASTER
    interface eth0
    virtual_router_id 51
` + vipBlock + `}
`),
		want: []string{"extra-arguments warning 2:18-2:24 'state' does not take 'MASTER'"},
	},

	// ---------------------------------------------------------------- invalid-value
	{
		name: "invalid-value/vrrp-values",
		text: confText(`
vrrp_instance VI_1 {
    state master
    interface eth0
    virtual_router_id 0
    priority 300
` + vipBlock + `}
`),
		want: []string{
			"invalid-value error 2:11-2:17 'master' is not valid: expected one of MASTER, BACKUP",
			"invalid-value error 4:23-4:24 0 is out of range (1..255)",
			"invalid-value error 5:14-5:17 300 is out of range (1..255)",
		},
	},
	{
		name: "invalid-value/vrid-256",
		text: confText(`
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 256
` + vipBlock + `}
`),
		want: []string{"invalid-value error 3:23-3:26 256 is out of range (1..255)"},
	},
	{
		name: "invalid-value/vrrp-bounds-are-valid",
		text: confText(`
vrrp_instance VI_1 {
    state MASTER
    interface eth0
    virtual_router_id 255
    priority 255
` + vipBlock + `}
vrrp_instance VI_2 {
    state BACKUP
    interface eth0
    virtual_router_id 1
    priority 1
    virtual_ipaddress {
        192.168.1.11/24
    }
}
`),
	},
	{
		name: "invalid-value/lvs-enums",
		text: confText(`
virtual_server 10.0.0.1 80 {
    lb_algo bogus
    lb_kind dr
    protocol tcp
    real_server 10.0.0.2 80 {
        weight 1
    }
}
`),
		want: []string{
			"invalid-value error 2:13-2:18 'bogus' is not valid: expected one of rr, wrr",
			"invalid-value error 3:13-3:15 'dr' is not valid: expected one of NAT, DR, TUN",
		},
	},
	{
		name: "invalid-value/protocol-is-case-insensitive",
		text: confText(`
virtual_server 10.0.0.1 53 {
    lb_algo rr
    lb_kind NAT
    protocol Udp
    real_server 10.0.0.2 53 {
        weight 1
    }
}
`),
	},
	{
		name: "invalid-value/protocol-unknown",
		text: confText(`
virtual_server 10.0.0.1 80 {
    protocol HTTP
}
`),
		want: []string{"invalid-value error 2:14-2:18 'HTTP' is not valid"},
	},
	{
		name: "invalid-value/ports",
		text: confText(`
virtual_server 10.0.0.1 65536 {
    protocol TCP
    real_server 10.0.0.2 70000 {
        TCP_CHECK {
            connect_port 0
        }
    }
}
`),
		want: []string{
			"invalid-value error 1:25-1:30 65536 is out of range",
			"invalid-value error 3:26-3:31 70000 is out of range",
			"invalid-value error 5:26-5:27 0 is out of range (1..65535)",
		},
	},
	{
		name: "invalid-value/valid-ports",
		text: confText(`
virtual_server 10.0.0.1 0 {
    protocol TCP
    persistence_timeout 60
    real_server 10.0.0.2 {
        TCP_CHECK {
            connect_port 65535
        }
    }
    real_server 10.0.0.3 1 {
        TCP_CHECK {
            connect_port 1
        }
    }
}
`),
	},
	{
		name: "invalid-value/status-codes-and-digest",
		text: confText(`
virtual_server 10.0.0.1 80 {
    protocol TCP
    real_server 10.0.0.2 80 {
        HTTP_GET {
            url {
                path /
                status_code 99
                status_code 200-299
                status_code 700
                status_code 302-301
                status_code 2xx
                digest abc
            }
        }
    }
}
`),
		want: []string{
			"invalid-value error 7:29-7:31 status code '99' is outside 100..599",
			"invalid-value error 9:29-9:32 status code '700' is outside 100..599",
			"invalid-value error 10:29-10:36 status code range '302-301' ends before it starts",
			"invalid-value error 11:29-11:32 invalid status code '2xx'",
			"invalid-value error 12:24-12:27 'abc' is not a 32-digit hexadecimal digest",
		},
	},
	{
		name: "invalid-value/valid-status-codes-and-digest",
		text: confText(`
virtual_server 10.0.0.1 80 {
    protocol TCP
    real_server 10.0.0.2 80 {
        HTTP_GET {
            url {
                path /
                status_code 100 200-299 599
                digest 0123456789abcdef0123456789ABCDEF
            }
        }
    }
}
`),
	},
	{
		name: "invalid-value/ipv6-vip-in-ipv4-instance",
		text: confText(`
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    virtual_ipaddress {
        192.168.1.10/24
        2001:db8::10/64
    }
}
`),
		want: []string{"invalid-value error 6:9-6:24 IPv6 address in an IPv4 instance"},
	},
	{
		name: "invalid-value/virtual_server_group-entries",
		text: confText(`
virtual_server_group WEB {
    10.0.0.1-0 80
    10.0.0.0/33 80
    10.0.0.1/24 80
    10.0.0.10-20 80
    10.0.1.0/24 80
    fwmark 7
}
`),
		want: []string{
			"invalid-value error 2:5-2:15 the range end must be greater than its start",
			"invalid-value error 3:5-3:16 the prefix length must be 1..32",
			"invalid-value error 4:5-4:16 host bits are set below the prefix length",
		},
	},
	{
		name: "invalid-value/rule-option",
		text: confText(`
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
` + vipBlock + `    virtual_rules {
        from 192.168.1.10 table 100 bogus 5 priority 10
    }
}
`),
		want: []string{"invalid-value error 8:37-8:42 unknown rule option 'bogus'"},
	},

	// ---------------------------------------------------------------- questionable-value
	{
		name: "questionable-value/real_server-with-prefix",
		text: confText(`
virtual_server 10.0.0.100 80 {
    protocol TCP
    real_server 10.0.0.1/24 80 {
        weight 1
    }
}
`),
		want: []string{"questionable-value warning 3:17-3:28 keepalived ignores '/24' in '10.0.0.1/24' and uses 10.0.0.1"},
	},

	// ---------------------------------------------------------------- auth-pass-truncated
	{
		name:     "auth-pass-truncated/plain",
		text:     authConf("123456789012"),
		want:     []string{"auth-pass-truncated warning 6:19-6:31 auth_pass is 12 characters long; keepalived uses only the first 8 ('12345678')"},
		fixClean: true,
	},
	{
		name:     "auth-pass-truncated/quoted",
		text:     authConf(`"verylongpass"`),
		want:     []string{"auth-pass-truncated warning 6:19-6:33 auth_pass is 12 characters long; keepalived uses only the first 8 ('verylong')"},
		fixClean: true,
	},
	{
		name: "auth-pass-truncated/eight-characters",
		text: authConf("12345678"),
	},
	{
		// keepalived counts bytes: 8 characters, 10 bytes.
		name:     "auth-pass-truncated/multibyte",
		text:     authConf("pässwörd"),
		want:     []string{"auth-pass-truncated warning 6:19-6:29 auth_pass is 10 bytes long (8 characters); keepalived uses only the first 8 bytes ('pässwö'), so peers must use the same 8 bytes"},
		fixClean: true,
	},
	{
		name: "auth-pass-truncated/split-character",
		text: authConf("aääää"),
		want: []string{"auth-pass-truncated warning 6:19-6:28 auth_pass is 9 bytes long (5 characters); keepalived uses only the first 8 bytes ('aäää…'), so peers must use the same 8 bytes; the 8th byte falls inside a character, so no text can say the same: use an ASCII password"},
	},

	// ---------------------------------------------------------------- duplicate-real-server
	{
		name: "duplicate-real-server/identical",
		text: confText(`
virtual_server 10.0.0.1 80 {
    protocol TCP
    real_server 10.0.0.5 80 {
        weight 1
    }
    real_server 10.0.0.5 80 {
        weight 2
    }
}
`),
		want:     []string{"duplicate-real-server error 6:5-6:28 real_server 10.0.0.5 80 is already declared in this virtual_server; keepalived keeps only one of them"},
		fixClean: true,
	},
	{
		name: "duplicate-real-server/equal-after-port-normalisation",
		text: confText(`
virtual_server 10.0.0.1 80 {
    protocol TCP
    real_server 10.0.0.5 {
        weight 1
    }
    real_server 10.0.0.5 80 {
        weight 1
    }
}
`),
		want: []string{
			"implicit-real-server-port information 3:5-3:25 real_server 10.0.0.5 has no port",
			"duplicate-real-server error 6:5-6:28 real_server 10.0.0.5 80 is already declared in this virtual_server (the same destination 10.0.0.5:80 once keepalived fills in the port)",
		},
		fixClean: true,
	},
	{
		name: "duplicate-real-server/dr-with-another-port",
		text: confText(`
virtual_server 10.0.0.1 443 {
    lb_kind DR
    protocol TCP
    real_server 10.0.0.7 443 {
        weight 1
    }
    real_server 10.0.0.7 8443 {
        weight 1
    }
}
`),
		want: []string{
			"duplicate-real-server error 7:5-7:30 (the same destination 10.0.0.7:443 once keepalived fills in the port)",
			"questionable-value warning 7:26-7:30 keepalived uses 443, not 8443",
		},
	},
	{
		name: "duplicate-real-server/real-server-lvs_method-dr",
		text: confText(`
virtual_server 10.0.0.1 443 {
    lb_kind NAT
    protocol TCP
    real_server 10.0.0.7 443 {
        weight 1
    }
    real_server 10.0.0.7 8443 {
        lvs_method DR
    }
}
`),
		want: []string{
			"duplicate-real-server error 7:5-7:30 10.0.0.7:443",
			"questionable-value warning 7:26-7:30 keepalived uses 443, not 8443",
		},
	},
	{
		name: "duplicate-real-server/fwmark-dr-clears-ports",
		text: confText(`
virtual_server fwmark 3 {
    lb_kind DR
    real_server 10.0.0.7 80 {
        weight 1
    }
    real_server 10.0.0.7 8080 {
        weight 1
    }
}
`),
		want: []string{"duplicate-real-server error 6:5-6:30 real_server 10.0.0.7 8080 is already declared"},
	},
	{
		name: "duplicate-real-server/nat-with-other-ports",
		text: confText(`
virtual_server 10.0.0.1 80 {
    lb_kind NAT
    protocol TCP
    real_server 10.0.0.7 8080 {
        weight 1
    }
    real_server 10.0.0.7 8081 {
        weight 1
    }
    real_server 10.0.0.8 8080 {
        weight 1
    }
}
virtual_server fwmark 3 {
    lb_kind NAT
    real_server 10.0.0.7 80 {
        weight 1
    }
    real_server 10.0.0.7 8080 {
        weight 1
    }
}
`),
	},

	// ---------------------------------------------------------------- sorry-server-is-real-server
	{
		name: "sorry-server-is-real-server/newest",
		text: sorryConf,
		want: []string{"sorry-server-is-real-server warning 3:5-3:29 sorry_server 10.0.0.5 80 is also real_server 10.0.0.5 of this virtual_server", "implicit-real-server-port information 4:5-4:25 real_server 10.0.0.5 has no port: keepalived uses the virtual server's port 80"},
	},
	{
		name:   "sorry-server-is-real-server/2.2.7",
		target: "2.2.7",
		text:   sorryConf,
		want:   []string{"sorry-server-is-real-server warning 3:5-3:29 sorry_server 10.0.0.5 80 is also real_server 10.0.0.5", "implicit-real-server-port information 4:5-4:25 real_server 10.0.0.5 has no port: keepalived uses the virtual server's port 80"},
	},
	{
		name:   "sorry-server-is-real-server/2.3.0",
		target: "2.3.0",
		text:   sorryConf,
		want:   []string{"sorry-server-is-real-server error 3:5-3:29 keepalived 2.3.0 can crash its checker process", "implicit-real-server-port information 4:5-4:25 real_server 10.0.0.5 has no port: keepalived uses the virtual server's port 80"},
	},
	{
		name:   "sorry-server-is-real-server/2.3.3",
		target: "2.3.3",
		text:   sorryConf,
		want:   []string{"sorry-server-is-real-server error 3:5-3:29 keepalived 2.3.3 can crash its checker process when this virtual server is reloaded (fixed in 2.3.4)", "implicit-real-server-port information 4:5-4:25 real_server 10.0.0.5 has no port: keepalived uses the virtual server's port 80"},
	},
	{
		name:   "sorry-server-is-real-server/2.3.4-no-longer-an-error",
		target: "2.3.4",
		text:   sorryConf,
		want:   []string{"sorry-server-is-real-server warning 3:5-3:29 sorry_server 10.0.0.5 80 is also real_server 10.0.0.5", "implicit-real-server-port information 4:5-4:25 real_server 10.0.0.5 has no port: keepalived uses the virtual server's port 80"},
	},
	{
		name: "sorry-server-is-real-server/other-address",
		text: confText(`
virtual_server 10.0.0.1 80 {
    protocol TCP
    sorry_server 10.0.0.6 80
    real_server 10.0.0.5 {
        weight 1
    }
}
`),
		want: []string{"implicit-real-server-port information 4:5-4:25 real_server 10.0.0.5 has no port: keepalived uses the virtual server's port 80"},
	},

	// ---------------------------------------------------------------- duplicate-keyword
	{
		name: "duplicate-keyword/router_id",
		text: confText(`
global_defs {
    router_id lb1
    router_id lb2
}
`),
		want: []string{"duplicate-keyword warning 3:5-3:14 'router_id' is already set in this global_defs; keepalived uses the last one"},
	},
	{
		name: "duplicate-keyword/track_script-entry",
		text: confText(`
vrrp_script chk_web {
    script "/usr/bin/pgrep nginx"
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    track_script {
        chk_web
        chk_web weight 10
    }
` + vipBlock + `}
`),
		want: []string{"duplicate-keyword warning 9:9-9:16 'chk_web' is already in this vrrp_instance's track_script"},
	},
	{
		name: "duplicate-keyword/second-sorry_server",
		text: confText(`
virtual_server 10.0.0.1 80 {
    protocol TCP
    sorry_server 10.0.0.8 80
    sorry_server 10.0.0.9 80
}
`),
		want: []string{"duplicate-keyword warning 4:5-4:17 sorry_server"},
	},
	{
		// keepalived 2.2.7: "(VI_1) state previously set as MASTER -
		// ignoring BACKUP".
		name: "duplicate-keyword/state-master-then-backup",
		text: confText(`
vrrp_instance VI_1 {
    state MASTER
    state BACKUP
    interface eth0
    virtual_router_id 51
` + vipBlock + `}
`),
		want:  []string{"duplicate-keyword warning 3:5-3:10 'state' is already set"},
		avoid: []string{"uses the last one"},
	},
	{
		// keepalived 2.2.7: "(VI_1) notify_master script already specified
		// - ignoring /usr/bin/logger two".
		name: "duplicate-keyword/notify-script-twice",
		text: confText(`
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
` + vipBlock + `    notify_master "/usr/bin/logger one"
    notify_master "/usr/bin/logger two"
}
`),
		want:  []string{"duplicate-keyword warning 8:5-8:18 'notify_master' is already set"},
		avoid: []string{"uses the last one"},
	},
	{
		// keepalived 2.2.7: "Digest '1111...' is a duplicate".
		name: "duplicate-keyword/digest-twice",
		text: confText(`
virtual_server 10.0.0.1 80 {
    protocol TCP
    real_server 10.0.0.2 80 {
        HTTP_GET {
            url {
                path /
                digest 0123456789abcdef0123456789abcdef
                digest 11111111111111111111111111111111
            }
        }
    }
}
`),
		want:  []string{"duplicate-keyword warning 8:17-8:23 'digest' is already set"},
		avoid: []string{"uses the last one"},
	},
	{
		name: "duplicate-keyword/repeatable-keywords",
		text: confText(`
virtual_server 10.0.0.1 80 {
    protocol TCP
    real_server 10.0.0.2 80 {
        HTTP_GET {
            url {
                path /a
                status_code 200
                status_code 301
            }
            url {
                path /b
            }
        }
    }
    real_server 10.0.0.3 80 {
        TCP_CHECK {
        }
    }
}
`),
	},

	// ---------------------------------------------------------------- missing-required
	{
		name: "missing-required/vrrp_script-without-script",
		text: confText(`
vrrp_script chk_web {
    interval 2
}
`),
		want: []string{"missing-required error 1:1-1:12 vrrp_script 'chk_web' has no 'script'"},
	},
	{
		name: "missing-required/HTTP_GET-without-url",
		text: confText(`
virtual_server 10.0.0.1 80 {
    protocol TCP
    real_server 10.0.0.2 80 {
        HTTP_GET {
            connect_timeout 3
        }
    }
}
`),
		want: []string{"missing-required error 4:9-4:17 HTTP_GET has no 'url' block: keepalived ignores this checker"},
	},
	{
		name: "missing-required/url-without-path",
		text: confText(`
virtual_server 10.0.0.1 443 {
    protocol TCP
    real_server 10.0.0.2 443 {
        SSL_GET {
            url {
                status_code 200
            }
        }
    }
}
`),
		want: []string{
			"missing-required error 4:9-4:16 none of the urls of this SSL_GET has a 'path'",
			"missing-required error 5:13-5:16 this url has no 'path': keepalived ignores it",
		},
	},
	{
		name: "missing-required/one-url-without-path",
		text: confText(`
virtual_server 10.0.0.1 80 {
    protocol TCP
    real_server 10.0.0.2 80 {
        HTTP_GET {
            url {
                path /ok
            }
            url {
                digest 0123456789abcdef0123456789abcdef
            }
        }
    }
}
`),
		want: []string{"missing-required error 8:13-8:16 this url has no 'path'"},
	},
	{
		name: "missing-required/MISC_CHECK-without-misc_path",
		text: confText(`
virtual_server 10.0.0.1 80 {
    protocol TCP
    real_server 10.0.0.2 80 {
        MISC_CHECK {
            misc_timeout 5
        }
    }
}
`),
		want: []string{"missing-required error 4:9-4:19 MISC_CHECK has no 'misc_path'"},
	},
	{
		name: "missing-required/bfd_instance-without-neighbor_ip",
		text: confText(`
bfd_instance bfd1 {
    min_rx 100
}
`),
		want: []string{"missing-required error 1:1-1:13 bfd_instance 'bfd1' has no 'neighbor_ip'"},
	},
	{
		name: "missing-required/bfd_instance-british-spelling",
		text: confText(`
bfd_instance bfd1 {
    neighbour_ip 10.0.0.2
}
bfd_instance bfd2 {
    neighbor_ip 10.0.0.3
}
`),
	},
	{
		name: "missing-required/route-without-dev",
		text: confText(`
static_routes {
    10.1.0.0/16 via 10.0.0.254
    10.2.0.0/16 via 10.0.0.254 dev eth0
    blackhole 10.3.0.0/16 no_track
}
`),
		want: []string{"missing-required warning 2:5-2:16 keepalived cannot track a route without 'dev IFNAME'"},
	},
	{
		name: "missing-required/rule-without-preference",
		text: confText(`
static_rules {
    from 10.0.0.0/8 table 5
    from 10.1.0.0/16 table 6 preference 100
}
`),
		want: []string{"missing-required warning 2:5-2:9 this rule has no 'preference'"},
	},

	// ---------------------------------------------------------------- references
	{
		name: "reference-before-definition/track_script",
		text: confText(`
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    track_script {
        chk_later
        chk_missing
    }
` + vipBlock + `}
vrrp_script chk_later {
    script "/usr/bin/true"
}
`),
		want: []string{
			"reference-before-definition error 5:9-5:18 vrrp_script 'chk_later' is defined further down",
			"undefined-reference error 6:9-6:20 there is no vrrp_script named 'chk_missing'",
		},
	},
	{
		name: "undefined-reference/removed-vrrp_script",
		text: confText(`
vrrp_script chk_empty {
    interval 2
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    track_script {
        chk_empty
    }
` + vipBlock + `}
`),
		want: []string{
			"missing-required error 1:1-1:12 vrrp_script 'chk_empty' has no 'script'",
			"undefined-reference error 8:9-8:18 keepalived removes vrrp_script 'chk_empty' (it has no 'script')",
		},
	},
	{
		// keepalived removes only the first chk ("(Line 3) No script set
		// for vrrp_script chk - removing"); track_script finds the second
		// one and says nothing about line 11.
		name: "undefined-reference/removed-vrrp_script-redefined",
		text: confText(`
vrrp_script chk {
    interval 2
}
vrrp_script chk {
    script "/usr/bin/true"
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    track_script {
        chk
    }
` + vipBlock + `}
`),
		want: []string{
			"missing-required error 1:1-1:12 vrrp_script 'chk' has no 'script'",
			"duplicate-name warning 4:13-4:16 vrrp_script 'chk' is already defined",
		},
	},
	{
		name: "undefined-reference/sync-group-member",
		text: confText(`
vrrp_sync_group VG {
    group {
        VI_1
        VI_NOPE
    }
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
` + vipBlock + `}
`),
		want: []string{
			"sync-group-too-small warning 1:17-1:19 vrrp_sync_group 'VG' has only one instance ('VI_1')",
			"undefined-reference error 4:9-4:16 there is no vrrp_instance named 'VI_NOPE'",
		},
	},
	{
		name: "undefined-reference/resolved-after-parsing",
		text: confText(`
vrrp_sync_group VG {
    group {
        VI_1
    }
}
vrrp_script chk {
    script "/usr/bin/true"
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    track_script {
        chk
    }
` + vipBlock + `}
`),
		want: []string{"sync-group-too-small warning 1:17-1:19 vrrp_sync_group 'VG' has only one instance ('VI_1')"},
	},

	// ---------------------------------------------------------------- duplicate-name
	{
		name: "duplicate-name/vrrp_instance",
		text: confText(`
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
` + vipBlock + `}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 52
    virtual_ipaddress {
        192.168.1.11/24
    }
}
`),
		want: []string{"duplicate-name error 8:15-8:19 vrrp_instance 'VI_1' is already defined"},
	},
	{
		name: "duplicate-name/vrrp_script",
		text: confText(`
vrrp_script chk {
    script "/usr/bin/true"
}
vrrp_script chk {
    script "/usr/bin/false"
}
`),
		want: []string{"duplicate-name warning 4:13-4:16 vrrp_script 'chk' is already defined"},
	},
	{
		name: "duplicate-name/vmac-interface",
		text: confText(`
vrrp_instance VI_1 {
    interface eth0
    use_vmac vrrp1
    virtual_router_id 51
` + vipBlock + `}
vrrp_instance VI_2 {
    interface eth0
    use_vmac vrrp1
    virtual_router_id 52
    virtual_ipaddress {
        192.168.1.11/24
    }
}
`),
		want: []string{"duplicate-name warning 11:14-11:19 another vrrp_instance already creates interface 'vrrp1'"},
	},

	// ---------------------------------------------------------------- empty-block
	{
		name: "empty-block/notification_email",
		text: confText(`
global_defs {
    router_id lb1
    notification_email {
    }
}
`),
		want: []string{"empty-block warning 3:5-3:23 'notification_email' is empty: keepalived ignores it"},
	},
	{
		name: "empty-block/virtual_server_group",
		text: confText(`
virtual_server_group WEB {
}
`),
		want: []string{"empty-block warning 1:1-1:21 'virtual_server_group' is empty"},
	},

	// ---------------------------------------------------------------- deprecated-syntax
	{
		name: "deprecated-syntax/gw",
		text: confText(`
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
` + vipBlock + `    virtual_routes {
        10.1.0.0/16 gw 192.168.1.1 dev eth0
    }
}
`),
		want:     []string{"deprecated-syntax warning 8:21-8:23 'gw' is an old spelling: write 'via'"},
		fixClean: true,
	},

	// ---------------------------------------------------------------- value-list-without-braces
	{
		name: "value-list-without-braces/virtual_ipaddress",
		text: confText(`
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    virtual_ipaddress 192.168.1.10/24
}
`),
		want: []string{
			"unbalanced-braces error 1:1-1:19 'vrrp_instance' is never closed",
			"value-list-without-braces error 4:5-4:38 the values of 'virtual_ipaddress' must be inside braces",
			"extra-arguments warning 4:23-4:38 'virtual_ipaddress' does not take '192.168.1.10/24'",
		},
		fixClean: true,
	},

	// ---------------------------------------------------------------- version-dependent argument shapes
	{
		name:   "invalid-value/vrrp_script-interval-fraction-2.2.7",
		target: "2.2.7",
		text:   intervalConf("0.5"),
		want:   []string{"invalid-value error 3:14-3:17 '0.5' is not a whole number"},
	},
	{
		name:   "invalid-value/vrrp_script-interval-fraction-2.3.1",
		target: "2.3.1",
		text:   intervalConf("0.5"),
		want:   []string{"invalid-value error 3:14-3:17 '0.5' is not a whole number"},
	},
	{
		name:   "invalid-value/vrrp_script-interval-fraction-2.3.2",
		target: "2.3.2",
		text:   intervalConf("0.5"),
	},
	{
		name: "invalid-value/vrrp_script-interval-fraction-newest",
		text: intervalConf("0.5"),
	},
	{
		// keepalived 2.2.7: "(chk): vrrp script interval must be greater
		// than 0, setting to 1": accepted and replaced, not rejected.
		name:   "questionable-value/vrrp_script-interval-0",
		target: "2.2.7",
		text:   intervalConf("0"),
		want:   []string{"questionable-value warning 3:14-3:15 interval"},
	},

	// ---------------------------------------------------------------- parser rules
	{
		name: "unbalanced-braces/never-closed",
		text: confText(`
global_defs {
    router_id lb1
`),
		want: []string{"unbalanced-braces error 1:1-1:12 'global_defs' is never closed: a '}' is missing"},
	},
	{
		name: "unbalanced-braces/extra-close",
		text: confText(`
global_defs {
    router_id lb1
}
}
`),
		want: []string{"unbalanced-braces error 4:1-4:2 unexpected '}': no block is open here"},
	},
	{
		name: "unterminated-quote",
		text: confText(`
global_defs {
    router_id "lb1
}
`),
		want: []string{"unterminated-quote error 2:5-2:19 a closing '\"' is missing"},
	},
	{
		// keepalived splits the command a second time, with ' and " as
		// quotes (lexical.md 3.2).
		name: "unterminated-quote/script",
		text: confText(`
vrrp_script chk {
    script "/usr/bin/test -e '/tmp/x"
}
`),
		want: []string{"unterminated-quote error 2:12-2:38 missing a closing '"},
	},
	{
		name: "line-too-long",
		text: "global_defs {\n    router_id " + strings.Repeat("a", 1100) + "\n}\n",
		want: []string{"line-too-long error 2:1023-2:1115 line is 1114 characters long; keepalived reads at most 1022"},
	},
	{
		name: "binary-content",
		text: "global_defs {\n    router_id lb\x001\n}\n",
		want: []string{"binary-content error 2:17-2:18 this line contains a NUL byte"},
	},
	{
		name: "include-not-found",
		text: confText(`
include missing.conf
include nodir/*.conf
`),
		want: []string{
			"include-not-found warning 1:9-1:21 included file '",
			"include-not-found warning 2:9-2:21 directory '",
		},
	},
	{
		name:  "include-no-match",
		files: map[string]string{"conf.d/README": "not a config\n"},
		text:  "include conf.d/*.conf\n",
		want:  []string{"include-no-match information 1:9-1:22 no file matches 'conf.d/*.conf'"},
	},
	{
		name:  "include-skipped",
		files: map[string]string{"sub.d/a.conf": "global_defs {\n}\n", "run.sh": "#!/bin/sh\n"},
		text:  "include sub.d\ninclude run.sh\n",
		want: []string{
			"include-skipped information 1:9-1:14 keepalived skips directory '",
			"include-skipped warning 2:9-2:15 it only reads regular files that are not executable",
		},
	},
	{
		name:  "include-cycle",
		files: map[string]string{"a.conf": "include b.conf\n", "b.conf": "include a.conf\n"},
		text:  "include a.conf\n",
		want:  []string{"@b.conf include-cycle error 1:9-1:15 include cycle: a.conf → b.conf → a.conf"},
	},
	{
		name: "include/diagnostics-of-included-files",
		files: map[string]string{"conf.d/vrrp.conf": confText(`
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 300
` + vipBlock + `}
`)},
		text: "global_defs {\n    router_id lb1\n}\ninclude conf.d/*.conf\n",
		want: []string{"@vrrp.conf invalid-value error 3:23-3:26 300 is out of range (1..255)"},
	},
	{
		name: "undefined-parameter",
		text: confText(`
global_defs {
    router_id $HOSTNAME_UNSET
}
`),
		want: []string{"undefined-parameter warning 2:15-2:30 'HOSTNAME_UNSET' is not defined before this line"},
	},
	{
		name: "parameters/defined",
		text: confText(`
$ROUTER=lb1
global_defs {
    router_id $ROUTER
}
`),
	},
	{
		name: "invalid-definition",
		text: confText(`
$LOOP=$LOOP x
global_defs {
    $LOOP
}
`),
		want: []string{
			"invalid-definition error 3:5-3:10 expanding 'LOOP' does not terminate",
			"unknown-keyword error 3:5-3:10 (after parameter substitution)",
		},
	},
	{
		name: "invalid-generator",
		text: confText(`
global_defs {
~SEQ(i, 1, x) router_id r$i
}
`),
		want: []string{"invalid-generator error 2:1-2:28 invalid ~SEQ value 'x'"},
	},
	{
		name: "invalid-conditional",
		text: confText(`
global_defs {
@node1
    router_id lb1
}
`),
		want: []string{"invalid-conditional warning 2:1-2:7 a conditional line needs text after the id"},
	},
}

const sniConf = `virtual_server 10.0.0.1 443 {
    protocol TCP
    real_server 10.0.0.2 443 {
        SSL_GET {
            sni_name www.example.com
            url {
                path /
            }
        }
    }
}
`

const delayConf = `global_defs {
    router_id lb1
    vrrp_delay_after_boot 30
}
`

const hmacConf = `vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    auth_hmac {
        key 1 0123456789abcdef0123456789abcdef
        active_key 1
    }
    virtual_ipaddress {
        192.168.1.10/24
    }
}
`

const sorryConf = `virtual_server 10.0.0.1 80 {
    protocol TCP
    sorry_server 10.0.0.5 80
    real_server 10.0.0.5 {
        weight 1
    }
}
`

// httpCheckConf is an HTTP_GET checker with one more line on line 8.
func httpCheckConf(line string) string {
	return confText(`
virtual_server 10.0.0.1 80 {
    protocol TCP
    real_server 10.0.0.2 80 {
        HTTP_GET {
            url {
                path /health
            }
            ` + line + `
        }
    }
}
`)
}

// authConf is an instance whose auth_pass (line 6, column 19) is pass.
func authConf(pass string) string {
	return confText(`
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    authentication {
        auth_type PASS
        auth_pass ` + pass + `
    }
` + vipBlock + `}
`)
}

// intervalConf is a vrrp_script whose interval (line 3, column 14) is iv.
func intervalConf(iv string) string {
	return confText(`
vrrp_script chk {
    script "/usr/bin/true"
    interval ` + iv + `
}
`)
}

// lintCase checks a case's text (written to a temporary directory with its
// files) and returns the diagnostics and the document's path.
func lintCase(t *testing.T, c ruleCase, text string) ([]parser.Diagnostic, string) {
	t.Helper()
	dir := t.TempDir()
	writeTestFiles(t, dir, c.files)
	path := filepath.Join(dir, "keepalived.conf")
	writeTestFiles(t, dir, map[string]string{"keepalived.conf": text})
	return checkBoth(t, path, []byte(text), Config{Target: targetVersion(t, c.target)}, parser.Options{}), path
}

func TestRules(t *testing.T) {
	for _, c := range ruleCases {
		t.Run(c.name, func(t *testing.T) {
			got, _ := lintCase(t, c, c.text)
			ok, msg := matchDiags(t, got, c.want)
			for _, d := range got {
				for _, a := range c.avoid {
					if strings.Contains(d.Message, a) {
						ok = false
						msg += fmt.Sprintf("%q must not say %q\n", diagString(d), a)
					}
				}
			}
			if !ok {
				t.Errorf("diagnostics differ\n%s", msg)
			}
		})
	}
}

// TestEveryRuleHasCases fails when a rule has no case that reports it.
func TestEveryRuleHasCases(t *testing.T) {
	covered := map[string]bool{}
	for _, c := range ruleCases {
		for _, w := range c.want {
			covered[parseExpectation(t, w).rule] = true
		}
	}
	// keepalived-message comes from keepalived itself, not from Check
	// (internal/keepalivedcheck tests it).
	covered["keepalived-message"] = true
	// too-many-diagnostics needs more than 10,000 problems in a file:
	// TestHostileDiagnosticFlood (hostile_test.go) tests it.
	covered["too-many-diagnostics"] = true
	for _, r := range Rules() {
		// The cluster rules compare several files: analysis/cluster tests
		// them with its fixtures (testdata/cluster).
		if !covered[r.ID] && !IsClusterRule(r.ID) {
			t.Errorf("rule %s has no test case in ruleCases", r.ID)
		}
	}
}

// TestRulesList checks the rule list itself: unique ids, sorted, known
// severities, and lookups.
func TestRulesList(t *testing.T) {
	rs := Rules()
	if len(rs) == 0 {
		t.Fatal("no rules")
	}
	for i, r := range rs {
		if i > 0 && rs[i-1].ID >= r.ID {
			t.Errorf("Rules() not sorted or has duplicates: %s before %s", rs[i-1].ID, r.ID)
		}
		if r.Severity < parser.Error || r.Severity > parser.Hint {
			t.Errorf("rule %s: bad severity %d", r.ID, r.Severity)
		}
		if r.Summary == "" {
			t.Errorf("rule %s has no summary", r.ID)
		}
		if got, ok := LookupRule(r.ID); !ok || got != r {
			t.Errorf("LookupRule(%q) = %v, %v", r.ID, got, ok)
		}
	}
	if _, ok := LookupRule("no-such-rule"); ok {
		t.Error("LookupRule found no-such-rule")
	}
	// Rules() returns a copy.
	rs[0].Summary = "changed"
	if Rules()[0].Summary == "changed" {
		t.Error("Rules() exposes the package's rule table")
	}
}

// TestDefaultSeverities checks that each reported diagnostic has its rule's
// default severity, except for the rules documented to vary.
func TestDefaultSeverities(t *testing.T) {
	varies := map[string]bool{
		// Several parser rules pick a severity per situation.
		"include-not-found": true, "include-skipped": true, "include-no-match": true,
		// Warnings for objects keepalived tolerates, errors otherwise.
		"duplicate-name": true, "missing-required": true, "sorry-server-is-real-server": true,
		// Errors when both instances certainly run on one node, else warnings.
		"duplicate-vrid": true,
		// Information when the setting only lacks an explicit state.
		"preemption-conflict": true,
	}
	for _, c := range ruleCases {
		for _, w := range c.want {
			e := parseExpectation(t, w)
			r, _ := LookupRule(e.rule)
			if !varies[e.rule] && e.sev != r.Severity.String() {
				t.Errorf("%s: %s reported as %s, its default severity is %s", c.name, e.rule, e.sev, r.Severity)
			}
		}
	}
}
