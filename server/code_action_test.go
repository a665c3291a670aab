package server

import (
	"slices"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// quickFixCase is a document with one problem of a rule and the text one
// of its fixes gives.
type quickFixCase struct {
	name  string
	rule  string
	text  string
	title string // the fix to apply
	want  string // the text after it
	other []string
}

var quickFixCases = []quickFixCase{
	{
		name: "duplicate-real-server", rule: "duplicate-real-server",
		text:  "virtual_server 10.0.0.1 80 {\n    protocol TCP\n    real_server 10.0.0.5 80 {\n        weight 1\n    }\n    real_server 10.0.0.5 80 {\n        weight 2\n    }\n}\n",
		title: "", // the only fix
		want:  "virtual_server 10.0.0.1 80 {\n    protocol TCP\n    real_server 10.0.0.5 80 {\n        weight 1\n    }\n}\n",
	},
	{
		name: "sorry-server-remove-sorry", rule: "sorry-server-is-real-server",
		text:  "virtual_server 10.0.0.1 80 {\n    protocol TCP\n    sorry_server 10.0.0.5 80\n    real_server 10.0.0.5 80 {\n        weight 1\n    }\n}\n",
		title: "Remove the sorry_server",
		want:  "virtual_server 10.0.0.1 80 {\n    protocol TCP\n    real_server 10.0.0.5 80 {\n        weight 1\n    }\n}\n",
		other: []string{"Remove the conflicting real_server"},
	},
	{
		name: "sorry-server-remove-real", rule: "sorry-server-is-real-server",
		text:  "virtual_server 10.0.0.1 80 {\n    protocol TCP\n    sorry_server 10.0.0.5 80\n    real_server 10.0.0.5 80 {\n        weight 1\n    }\n}\n",
		title: "Remove the conflicting real_server",
		want:  "virtual_server 10.0.0.1 80 {\n    protocol TCP\n    sorry_server 10.0.0.5 80\n}\n",
	},
	{
		name: "did-you-mean", rule: "unknown-keyword",
		text:  "global_defs {\n    router_ide lb1\n}\n",
		title: "Change to 'router_id'",
		want:  "global_defs {\n    router_id lb1\n}\n",
	},
	{
		name: "value-list-without-braces", rule: "value-list-without-braces",
		text:  "vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n    virtual_ipaddress 192.168.1.10/24\n}\n",
		title: "",
		want:  "vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n    virtual_ipaddress {\n        192.168.1.10/24\n    }\n}\n",
	},
	{
		name: "auth-pass-truncated", rule: "auth-pass-truncated",
		text:  "vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n    authentication {\n        auth_type PASS\n        auth_pass 123456789012\n    }\n    virtual_ipaddress {\n        10.0.0.1/24\n    }\n}\n",
		title: "Truncate to '12345678'",
		want:  "vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n    authentication {\n        auth_type PASS\n        auth_pass 12345678\n    }\n    virtual_ipaddress {\n        10.0.0.1/24\n    }\n}\n",
	},
	{
		// keepalived truncates bytes: 8 bytes of "pässwörd123" are "pässwö".
		name: "auth-pass-truncated-non-ascii", rule: "auth-pass-truncated",
		text:  "vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n    authentication {\n        auth_type PASS\n        auth_pass pässwörd123 # 😀\n    }\n    virtual_ipaddress {\n        10.0.0.1/24\n    }\n}\n",
		title: "Truncate to 'pässwö'",
		want:  "vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n    authentication {\n        auth_type PASS\n        auth_pass pässwö # 😀\n    }\n    virtual_ipaddress {\n        10.0.0.1/24\n    }\n}\n",
	},
	{
		name: "deprecated-keyword", rule: "deprecated-keyword",
		text:  "virtual_server 10.0.0.1 80 {\n    protocol TCP\n    real_server 10.0.0.2 80 {\n        HTTP_GET {\n            url {\n                path /health\n            }\n            nb_get_retry 3\n        }\n    }\n}\n",
		title: "Use 'retry'",
		want:  "virtual_server 10.0.0.1 80 {\n    protocol TCP\n    real_server 10.0.0.2 80 {\n        HTTP_GET {\n            url {\n                path /health\n            }\n            retry 3\n        }\n    }\n}\n",
	},
	{
		name: "deprecated-syntax", rule: "deprecated-syntax",
		text:  "static_routes {\n    10.1.0.0/16 gw 10.0.0.1 dev eth0\n}\n",
		title: "Use 'via'",
		want:  "static_routes {\n    10.1.0.0/16 via 10.0.0.1 dev eth0\n}\n",
	},
}

func TestQuickFixes(t *testing.T) {
	for _, enc := range []string{"utf-16", "utf-8"} {
		c := start(t, clientOptions{UTF8: enc == "utf-8"})
		for _, tc := range quickFixCases {
			t.Run(enc+"/"+tc.name, func(t *testing.T) {
				u := uri.URI("untitled:fix-" + tc.name)
				c.open(u, tc.text)
				ds := c.diagsFor(u, 1)
				d := oneWithCode(t, ds, tc.rule)
				actions := c.codeActions(u, d.Range, []protocol.Diagnostic{d})
				var chosen *protocol.CodeAction
				var titles []string
				for j, a := range actions {
					titles = append(titles, a.Title)
					if a.Kind == nil {
						t.Errorf("action %q without kind", a.Title)
						continue
					}
					if *a.Kind == protocol.CodeActionKindSourceFixAll {
						continue
					}
					if *a.Kind != protocol.CodeActionKindQuickFix {
						t.Errorf("action %q of kind %q", a.Title, *a.Kind)
					}
					// Every quick fix names one published diagnostic (other
					// diagnostics on the range may have fixes too).
					if len(a.Diagnostics) != 1 || !slices.Contains(full(ds), full(a.Diagnostics)[0]) {
						t.Errorf("action %q is for %q, not a published diagnostic", a.Title, full(a.Diagnostics))
						continue
					}
					if diagCode(a.Diagnostics[0]) != tc.rule || strings.HasPrefix(a.Title, "Disable ") {
						continue
					}
					if a.Diagnostics[0].Range != d.Range || diagMessage(a.Diagnostics[0]) != diagMessage(d) {
						t.Errorf("action %q is for %q, want %q", a.Title, full(a.Diagnostics), full([]protocol.Diagnostic{d}))
					}
					if chosen == nil && (tc.title == "" || a.Title == tc.title) {
						chosen = &actions[j]
					}
				}
				if chosen == nil {
					t.Fatalf("no action %q among %q", tc.title, titles)
				}
				for _, o := range tc.other {
					if !slices.Contains(titles, o) {
						t.Errorf("no action %q among %q", o, titles)
					}
				}
				fixed := applyWorkspaceEdit(t, tc.text, u, chosen.Edit, c.utf8)
				if fixed != tc.want {
					t.Errorf("%q gave\n%s\nwant\n%s", chosen.Title, fixed, tc.want)
				}
				v := c.replace(u, fixed)
				if left := withCode(c.diagsFor(u, v), tc.rule); len(left) != 0 {
					t.Errorf("%s is still reported after %q: %q", tc.rule, chosen.Title, full(left))
				}
				c.close(u)
			})
		}
	}
}

// TestQuickFixRanges: actions are offered for a cursor (empty range) on the
// diagnostic, a range around it, and not for a range elsewhere; the client's
// context.diagnostics are not needed.
func TestQuickFixRanges(t *testing.T) {
	c := start(t, clientOptions{})
	u := uri.URI("untitled:ranges")
	text := "global_defs {\n    router_ide lb1\n    router_id lb1\n}\n"
	c.open(u, text)
	d := oneWithCode(t, c.diagsFor(u, 1), "unknown-keyword") // 1:4-1:14
	quick := func(r protocol.Range) []string {
		var out []string
		for _, a := range c.codeActions(u, r, nil, protocol.CodeActionKindQuickFix) {
			out = append(out, a.Title)
		}
		return out
	}
	for _, r := range []protocol.Range{d.Range, rng(1, 4, 1, 4), rng(1, 14, 1, 14), rng(1, 7, 1, 9), rng(0, 0, 3, 1), rng(1, 0, 1, 20)} {
		if got := quick(r); len(got) == 0 || got[0] != "Change to 'router_id'" {
			t.Errorf("range %s: %q", rangeString(r), got)
		}
	}
	for _, r := range []protocol.Range{rng(2, 4, 2, 4), rng(0, 0, 0, 5), rng(1, 15, 1, 18), rng(50, 0, 50, 0)} {
		if got := quick(r); len(got) != 0 {
			t.Errorf("range %s: %q", rangeString(r), got)
		}
	}
}

const fixAllText = `global_defs {
    router_ide lb1
}
static_routes {
    10.1.0.0/16 gw 10.0.0.1 dev eth0
    10.2.0.0/16 gw 10.0.0.1 dev eth0
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    authentication {
        auth_type PASS
        auth_pass 123456789012
    }
    virtual_ipaddress {
        192.168.1.10/24
    }
}
virtual_server 10.0.0.1 80 {
    protocol TCP
    sorry_server 10.0.0.5 80
    real_server 10.0.0.5 80 {
        weight 1
        HTTP_GET {
            url {
                path /health
            }
            nb_get_retry 3
        }
    }
    real_server 10.0.0.5 80 {
        weight 2
    }
    real_server 10.0.0.9 80 {
        weigth 2
    }
}
`

func TestFixAll(t *testing.T) {
	c := start(t, clientOptions{})
	u := uri.URI("untitled:fixall")
	c.open(u, fixAllText)
	before := c.diagsFor(u, 1)
	all := c.codeActions(u, rng(0, 0, 0, 0), nil, protocol.CodeActionKindSourceFixAll)
	if len(all) != 1 || all[0].Title != "Fix all safe keepalived problems" || all[0].Kind == nil || *all[0].Kind != protocol.CodeActionKindSourceFixAll {
		t.Fatalf("fixAll actions %+v", all)
	}
	fixed := applyWorkspaceEdit(t, fixAllText, u, all[0].Edit, false)
	v := c.replace(u, fixed)
	after := c.diagsFor(u, v)
	for _, rule := range []string{"deprecated-syntax", "auth-pass-truncated", "deprecated-keyword", "unknown-keyword"} {
		if len(withCode(before, rule)) == 0 {
			t.Errorf("the text has no %s to fix: %q", rule, full(before))
		}
		if left := withCode(after, rule); len(left) != 0 {
			t.Errorf("%s left after fix all: %q", rule, full(left))
		}
	}
	for _, w := range []string{"    router_id lb1\n", "10.1.0.0/16 via 10.0.0.1", "10.2.0.0/16 via 10.0.0.1", "auth_pass 12345678\n", "            retry 3\n", "        weight 2\n    }\n}\n"} {
		if !strings.Contains(fixed, w) {
			t.Errorf("fixed text lacks %q:\n%s", w, fixed)
		}
	}
	// Fixes that are a choice stay: the sorry_server and the duplicate
	// real_server are left for the user.
	if got := summarize(after); !slices.Equal(got, []string{"20:4-20:28 2 sorry-server-is-real-server", "30:4-30:27 1 duplicate-real-server"}) {
		t.Errorf("left after fix all: %q", full(after))
	}
	// Nothing left to fix all.
	if got := c.codeActions(u, rng(0, 0, 0, 0), nil, protocol.CodeActionKindSourceFixAll); len(got) != 0 {
		t.Errorf("fix all on a fixed document: %+v", got)
	}
}

// TestCodeActionOnly: context.only filters by kind and kind prefix.
func TestCodeActionOnly(t *testing.T) {
	c := start(t, clientOptions{})
	u := uri.URI("untitled:only")
	c.open(u, fixAllText)
	c.diagsFor(u, 1)
	r := rng(4, 16, 4, 18) // the first "gw"
	// The kinds and titles of the actions, leaving out the quick fixes that
	// are not about the problem (suppressions: "Disable ...").
	kinds := func(only ...protocol.CodeActionKind) []string {
		var out []string
		for _, a := range c.codeActions(u, r, nil, only...) {
			if strings.HasPrefix(a.Title, "Disable ") && *a.Kind == protocol.CodeActionKindQuickFix {
				continue
			}
			out = append(out, string(*a.Kind)+" "+a.Title)
		}
		return out
	}
	for _, tc := range []struct {
		only []protocol.CodeActionKind
		want []string
	}{
		{nil, []string{"quickfix Use 'via'", "source.fixAll Fix all safe keepalived problems"}},
		{[]protocol.CodeActionKind{protocol.CodeActionKindQuickFix}, []string{"quickfix Use 'via'"}},
		{[]protocol.CodeActionKind{protocol.CodeActionKindSource}, []string{"source.fixAll Fix all safe keepalived problems"}},
		{[]protocol.CodeActionKind{protocol.CodeActionKindSourceFixAll}, []string{"source.fixAll Fix all safe keepalived problems"}},
		{[]protocol.CodeActionKind{protocol.CodeActionKindRefactor}, nil},
		{[]protocol.CodeActionKind{protocol.CodeActionKindSourceOrganizeImports}, nil},
		{[]protocol.CodeActionKind{"source.fixAll.other"}, nil},
		{[]protocol.CodeActionKind{protocol.CodeActionKindRefactor, protocol.CodeActionKindQuickFix}, []string{"quickfix Use 'via'"}},
	} {
		if got := kinds(tc.only...); !slices.Equal(got, tc.want) {
			t.Errorf("only %q: %q, want %q", tc.only, got, tc.want)
		}
	}
}
