package server

import (
	"strings"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

const hoverConf = `global_defs {
    router_id lb1
}
$IFACE=eth0
vrrp_script chk_nginx {
    script "/usr/bin/pgrep nginx"
    interval 2
    weight -20
}
vrrp_instance VI_1 {
    state MASTER
    interface ${IFACE}
    virtual_router_id 51
    priority 100
    virtual_ipaddress {
        10.0.0.1/24
    }
    track_script {
        chk_nginx
    }
}
virtual_server 10.0.0.1 80 {
    lb_kind NAT
    protocol TCP
    delay_loop 6
    real_server 10.0.0.2 80 {
        weight 1
        nb_get_retry 3
    }
}
global_defs {
    router_idd x
}
`

func TestHover(t *testing.T) {
	c := start(t, clientOptions{})
	u := uri.URI("untitled:hover")
	c.open(u, hoverConf)
	c.diagsFor(u, 1)
	for _, tc := range []struct {
		name       string
		line, char uint32
		rng        protocol.Range
		want       []string // substrings, in order
	}{
		{"keyword", 1, 6, rng(1, 4, 1, 13), []string{
			"**router_id** — keyword in `global_defs`",
			"A free-form name identifying this machine",
			"```keepalived\nrouter_id <id>\n```",
			"- `id`: string",
			"Default: `local host name` · Since keepalived 2.0.0 or earlier"}},
		{"keyword-start", 1, 4, rng(1, 4, 1, 13), []string{"**router_id**"}},
		{"keyword-end", 1, 13, rng(1, 4, 1, 13), []string{"**router_id**"}},
		{"block-keyword", 22, 6, rng(22, 4, 22, 11), []string{
			"**lb_kind** — keyword in `virtual_server`",
			"```keepalived\nlb_kind <method> [type <tunnel>] [port <port>] [nocsum] [csum] [remcsum]\n```",
			"- `method`: one of NAT, DR, TUN",
			"Same as `lvs_method`"}},
		{"enum-value", 22, 13, rng(22, 12, 22, 15), []string{
			"**method** — argument of `lb_kind`", "one of NAT, DR, TUN", "- `NAT` ← this one\n- `DR`\n- `TUN`"}},
		{"enum-value-any-case", 23, 14, rng(23, 13, 23, 16), []string{"- `TCP` ← this one\n- `UDP`\n- `SCTP`"}},
		{"track-script-name", 18, 10, rng(18, 8, 18, 17), []string{
			"name of a vrrp_script", "Defined at line 5:",
			"```keepalived\nvrrp_script chk_nginx {\n    script \"/usr/bin/pgrep nginx\"\n    interval 2\n    weight -20\n}\n```"}},
		{"parameter", 11, 16, rng(11, 14, 11, 22), []string{"**$IFACE** — parameter", "Value (defined at line 4):", "```keepalived\neth0\n```"}},
		{"parameter-start", 11, 14, rng(11, 14, 11, 22), []string{"**$IFACE**"}},
		{"value-block", 14, 8, rng(14, 4, 14, 21), []string{"**virtual_ipaddress** — value block in `vrrp_instance`", "Each line: `<address> [dev <interface>]"}},
		{"value-line", 15, 10, rng(15, 8, 15, 19), []string{"**address** — argument of `virtual_ipaddress entry`", "IP address with optional /prefix"}},
		{"nested-keyword", 27, 10, rng(27, 8, 27, 20), []string{"**nb_get_retry**"}},
		{"unknown-keyword", 31, 6, rng(31, 4, 31, 14), []string{
			"**router_idd** — unknown keyword", "keepalived does not know this keyword in", "Did you mean `router_id`?"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, err := c.hover(u, tc.line, tc.char)
			if err != nil || h == nil {
				t.Fatalf("hover: %v %v", h, err)
			}
			mc, ok := h.Contents.(*protocol.MarkupContent)
			if !ok || mc.Kind != protocol.MarkupKindMarkdown {
				t.Errorf("contents %#v, want markdown MarkupContent", h.Contents)
			}
			if h.Range == nil || *h.Range != tc.rng {
				t.Errorf("range %v, want %s", h.Range, rangeString(tc.rng))
			}
			text := hoverText(h)
			at := 0
			for _, w := range tc.want {
				i := strings.Index(text[at:], w)
				if i < 0 {
					t.Errorf("hover text lacks %q (after offset %d):\n%s", w, at, text)
					break
				}
				at += i + len(w)
			}
		})
	}
	// Nothing to say: null, not an error.
	for _, pos := range [][2]uint32{{2, 0}, {8, 0}, {3, 2}, {0, 12}, {100, 0}, {4, 40}} {
		if h, err := c.hover(u, pos[0], pos[1]); err != nil || h != nil {
			t.Errorf("hover at %v: %q %v", pos, hoverText(h), err)
		}
	}
	// Unknown documents: null.
	if h, err := c.hover("untitled:not-open", 0, 0); err != nil || h != nil {
		t.Errorf("hover in a document that is not open: %v %v", h, err)
	}
}

func TestHoverPlainText(t *testing.T) {
	for _, tc := range []struct {
		name string
		caps *protocol.ClientCapabilities
	}{
		{"plaintext-only", nil},
		{"plaintext-preferred", &protocol.ClientCapabilities{TextDocument: &protocol.TextDocumentClientCapabilities{
			Hover: &protocol.HoverClientCapabilities{ContentFormat: []protocol.MarkupKind{protocol.MarkupKindPlainText, protocol.MarkupKindMarkdown}}}}},
		{"no-hover-capability", &protocol.ClientCapabilities{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := start(t, clientOptions{PlainHover: true, Capabilities: tc.caps})
			u := uri.URI("untitled:hover")
			c.open(u, hoverConf)
			h, err := c.hover(u, 22, 6)
			if err != nil || h == nil {
				t.Fatalf("hover: %v %v", h, err)
			}
			mc, ok := h.Contents.(*protocol.MarkupContent)
			if !ok || mc.Kind != protocol.MarkupKindPlainText {
				t.Fatalf("contents %#v, want plaintext", h.Contents)
			}
			for _, w := range []string{"lb_kind — keyword in virtual_server", "\n    lb_kind <method> [type <tunnel>]", "- method: one of NAT, DR, TUN", "Default: NAT"} {
				if !strings.Contains(mc.Value, w) {
					t.Errorf("plain hover lacks %q:\n%s", w, mc.Value)
				}
			}
			if strings.Contains(mc.Value, "**") || strings.Contains(mc.Value, "```") {
				t.Errorf("markdown in a plaintext hover:\n%s", mc.Value)
			}
		})
	}
}

// TestHoverPlainTextProse: the keyword documentation itself (from the
// schema) is written with Markdown code spans, which show as literal
// backticks in a plaintext hover.
func TestHoverPlainTextProse(t *testing.T) {
	c := start(t, clientOptions{PlainHover: true})
	u := uri.URI("untitled:hover")
	c.open(u, hoverConf)
	h, err := c.hover(u, 22, 6)
	if err != nil || h == nil {
		t.Fatalf("hover: %v %v", h, err)
	}
	text := hoverText(h)
	if strings.Contains(text, "`") || strings.Contains(text, "**") {
		t.Errorf("Markdown in a plaintext hover:\n%s", text)
	}
	if !strings.Contains(text, "(same as lvs_method)") {
		t.Errorf("plaintext hover lacks the prose:\n%s", text)
	}
}

// TestHoverUTF8: hover ranges and positions in UTF-8 columns.
func TestHoverUTF8(t *testing.T) {
	c := start(t, clientOptions{UTF8: true})
	u := uri.URI("untitled:hover")
	text := "global_defs {\n    notification_email { é@x.org }\n    router_id 名前\n    bad_名 1\n}\n"
	c.open(u, text)
	c.diagsFor(u, 1)
	h, err := c.hover(u, 3, 8)
	if err != nil || h == nil || *h.Range != rng(3, 4, 3, 11) || !strings.Contains(hoverText(h), "**bad_名** — unknown keyword") {
		t.Errorf("hover: %+v %v %q", h, err, hoverText(h))
	}
	// A position inside a multi-byte character rounds down.
	h, err = c.hover(u, 3, 10)
	if err != nil || h == nil || *h.Range != rng(3, 4, 3, 11) {
		t.Errorf("hover inside a character: %+v %v", h, err)
	}
}
