package server

import (
	"fmt"
	"slices"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

func (c *testClient) inlayHints(u uri.URI, r protocol.Range) []protocol.InlayHint {
	c.t.Helper()
	var out []protocol.InlayHint
	if err := c.call(protocol.MethodTextDocumentInlayHint, &protocol.InlayHintParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: u}, Range: r}, &out); err != nil {
		c.t.Fatalf("inlayHint: %v", err)
	}
	return out
}

// hintStrings formats hints as "line:char label [tooltip]".
func hintStrings(hs []protocol.InlayHint) []string {
	out := make([]string, 0, len(hs))
	for _, h := range hs {
		s := fmt.Sprintf("%d:%d", h.Position.Line, h.Position.Character)
		switch l := h.Label.(type) {
		case protocol.String:
			s += " " + string(l)
		default:
			s += fmt.Sprintf(" %#v", h.Label)
		}
		if tip, ok := h.Tooltip.(protocol.String); ok {
			s += " [" + string(tip) + "]"
		}
		if h.PaddingLeft == nil || !*h.PaddingLeft {
			s += " (no padding)"
		}
		out = append(out, s)
	}
	return out
}

const inlayConf = `$BASE=192.0.2
$VIP=${BASE}.10
$LONG=a-very-long-value-that-goes-on-and-on-for-a-while
$MULTI=line1 \
  line2
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priority 100
    virtual_ipaddress {
        ${VIP}/24 # 😀 ${VIP} in a comment is not a reference
        ~SEQ(i, 1, 3) ${BASE}.${i}/32
    }
    notify_master "/bin/echo ${LONG}"
    notify_backup $MULTI
}
$VIP=198.51.100.1
global_defs {
    router_id ${VIP}
    ~LST({a,b}, {x,1}, {y,2}) vrrp_garp_master_delay $b
    $UNDEFINED_X
}
`

func TestInlayHints(t *testing.T) {
	c := start(t, clientOptions{})
	u := uri.URI("untitled:inlay")
	c.open(u, inlayConf)
	all := []string{
		"10:14 = 192.0.2.10", // nested references expanded
		"11:29 = 192.0.2",    // ${i} is the generator's variable
		"11:37 3 lines [keepalived reads this line as 3 lines]",
		"13:36 = a-very-long-value-that-goes-o… [a-very-long-value-that-goes-on-and-on-for-a-while]",
		// $MULTI is a multi-line definition: no hint
		"18:20 = 198.51.100.1", // the definition in force there
		"19:55 2 lines [keepalived reads this line as 2 lines]",
	}
	if got := hintStrings(c.inlayHints(u, rng(0, 0, 22, 0))); !slices.Equal(got, all) {
		t.Errorf("hints\n got %q\nwant %q", got, all)
	}
	if got, want := hintStrings(c.inlayHints(u, rng(11, 0, 13, 0))), all[1:3]; !slices.Equal(got, want) {
		t.Errorf("hints of lines 11-13\n got %q\nwant %q", got, want)
	}
}

// TestInlayHintsUTF16: positions count UTF-16 code units.
func TestInlayHintsUTF16(t *testing.T) {
	text := "$X=1\nglobal_defs {\n    router_id \"😀${X}\"\n}\n"
	for _, tc := range []struct {
		utf8 bool
		want string
	}{{false, "2:21 = 1"}, {true, "2:23 = 1"}} {
		c := start(t, clientOptions{UTF8: tc.utf8})
		u := uri.URI("untitled:inlay-utf16")
		c.open(u, text)
		if got := hintStrings(c.inlayHints(u, rng(0, 0, 4, 0))); !slices.Equal(got, []string{tc.want}) {
			t.Errorf("utf8=%v: hints %q, want %q", tc.utf8, got, tc.want)
		}
	}
}
