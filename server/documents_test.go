package server

import (
	"fmt"
	"math/rand"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

const vrrpConf = `global_defs {
    router_id lb1
}
vrrp_instance VI_1 {
    state MASTER
    interface eth0
    virtual_router_id 51
    priority 100
    virtual_ipaddress {
        10.0.0.1/24
    }
}
`

func TestDidOpenPublishesWithVersion(t *testing.T) {
	c := start(t, clientOptions{})
	u := uri.URI("untitled:Untitled-1")
	c.notify(protocol.MethodTextDocumentDidOpen, &protocol.DidOpenTextDocumentParams{
		TextDocument: protocol.TextDocumentItem{URI: u, LanguageID: "keepalived", Version: 7, Text: simpleConf}})
	p := c.publishFor(u, 7)
	got := full(p.diags)
	want := []string{"2:4-2:11 1 unknown-keyword: unknown keyword 'foo_bar' in 'global_defs'"}
	if !slices.Equal(got, want) {
		t.Errorf("diagnostics\n got %q\nwant %q", got, want)
	}
	d := p.diags[0]
	if src, _ := d.Source.Get(); src != "keepalived-ls" {
		t.Errorf("source %q", src)
	}
	if d.CodeDescription.Href != "https://github.com/keepalived-ls/keepalived-ls/blob/main/docs/rules/unknown-keyword.md" {
		t.Errorf("codeDescription %q", d.CodeDescription.Href)
	}
	// A clean document publishes an empty array.
	u2 := uri.URI("untitled:Untitled-2")
	c.open(u2, vrrpConf)
	p2 := c.publishFor(u2, 1)
	if len(p2.diags) != 0 || !strings.Contains(string(p2.raw), `"diagnostics":[]`) {
		t.Errorf("clean document: %s", p2.raw)
	}
}

func TestNoVersionSupport(t *testing.T) {
	c := start(t, clientOptions{NoVersion: true, NoRelated: true})
	u := uri.URI("untitled:a")
	c.open(u, simpleConf)
	p := c.nextPublish(u, 0, nil)
	if p.hasVersion || len(p.diags) != 1 || strings.Contains(string(p.raw), `"version"`) {
		t.Errorf("publish %s", p.raw)
	}
	if p.diags[0].CodeDescription.Href == "" {
		t.Errorf("codeDescription missing")
	}
}

// checkSameAsFresh opens text under a new URI and requires the same
// diagnostics as got.
func checkSameAsFresh(t *testing.T, c *testClient, u uri.URI, got []protocol.Diagnostic, text string, n int) {
	t.Helper()
	fresh := uri.URI(fmt.Sprintf("untitled:fresh-%d", n))
	c.open(fresh, text)
	want := c.diagsFor(fresh, 1)
	c.close(fresh)
	g, w := full(got), full(want)
	for i := range w {
		w[i] = strings.ReplaceAll(w[i], string(fresh), "URI")
	}
	for i := range g {
		g[i] = strings.ReplaceAll(g[i], string(u), "URI")
	}
	if !slices.Equal(g, w) {
		t.Fatalf("incremental diagnostics differ from a fresh open of\n%s\n got %q\nwant %q", text, full(got), full(want))
	}
}

func TestIncrementalChanges(t *testing.T) {
	c := start(t, clientOptions{})
	u := uri.URI("untitled:inc")
	c.open(u, vrrpConf)
	if got := c.diagsFor(u, 1); len(got) != 0 {
		t.Fatalf("base has diagnostics %q", full(got))
	}
	// Several changes in one notification, each relative to the text the
	// previous one produced.
	v := c.change(u,
		partial(2, 0, 2, 0, "    foo_bar 1\n"), // insertion of a line
		partial(5, 0, 7, 0, ""),                // deletion of two lines (state, interface)
		partial(6, 13, 6, 16, "300"),           // priority 100 -> 300 (out of range)
		partial(11, 0, 11, 0, "virtual_server 10.0.0.1 80 {\n    protocol TCP\n    real_server 10.0.0.2 80 {\n        weight 1\n    }\n"), // unbalanced: no closing brace yet
	)
	want := `global_defs {
    router_id lb1
    foo_bar 1
}
vrrp_instance VI_1 {
    virtual_router_id 51
    priority 300
    virtual_ipaddress {
        10.0.0.1/24
    }
}
virtual_server 10.0.0.1 80 {
    protocol TCP
    real_server 10.0.0.2 80 {
        weight 1
    }
`
	if got := c.text(u); got != want {
		t.Fatalf("client text after the changes:\n%s", got)
	}
	got := c.diagsFor(u, v)
	for _, code := range []string{"unknown-keyword", "invalid-value", "unbalanced-braces"} {
		if len(withCode(got, code)) == 0 {
			t.Errorf("no %s in %q", code, full(got))
		}
	}
	checkSameAsFresh(t, c, u, got, c.text(u), 1)

	// Close the brace, insert a duplicate real_server spanning lines, then
	// delete across a block boundary.
	v = c.change(u,
		partial(16, 0, 16, 0, "}"),
		partial(15, 5, 15, 5, "\n    real_server 10.0.0.2 80 {\n        weight 2\n    }"),
	)
	got = c.diagsFor(u, v)
	if len(withCode(got, "duplicate-real-server")) != 1 || len(withCode(got, "unbalanced-braces")) != 0 {
		t.Errorf("after closing the block: %q", full(got))
	}
	checkSameAsFresh(t, c, u, got, c.text(u), 2)

	v = c.change(u,
		partial(3, 0, 5, 4, ""),        // joins "}" of global_defs with vrrp_instance's line: "virtual_router_id 51"
		partial(0, 12, 0, 13, "{ }"),   // global_defs { } — an extra '}'
		partial(1, 0, 1, 0, "{\n"),     // a stray '{' line
		partial(0, 0, 0, 0, "# top\n"), // a comment at the top
	)
	got = c.diagsFor(u, v)
	checkSameAsFresh(t, c, u, got, c.text(u), 3)

	// A full-text change.
	v = c.replace(u, simpleConf)
	got = c.diagsFor(u, v)
	if g := full(got); len(g) != 1 || !strings.Contains(g[0], "2:4-2:11 1 unknown-keyword") {
		t.Errorf("after a full change: %q", g)
	}
	// Full then partial in one notification.
	v = c.change(u, &protocol.TextDocumentContentChangeWholeDocument{Text: vrrpConf}, partial(1, 4, 1, 13, "router_idd"))
	got = c.diagsFor(u, v)
	if g := full(got); len(g) != 1 || !strings.HasPrefix(g[0], "1:4-1:14 1 unknown-keyword: unknown keyword 'router_idd'") {
		t.Errorf("after full+partial: %q", g)
	}
	checkSameAsFresh(t, c, u, got, c.text(u), 4)
	// Edits at and past the end of the text.
	v = c.change(u, partial(12, 0, 12, 0, "bad_tail 1\n"))
	got = c.diagsFor(u, v)
	if g := full(got); len(g) != 2 || !strings.HasPrefix(g[1], "12:0-12:8 1 unknown-keyword") {
		t.Errorf("after appending: %q", g)
	}
	checkSameAsFresh(t, c, u, got, c.text(u), 5)
}

// TestRandomIncrementalEdits applies random edits (braces, newlines,
// keywords, non-ASCII) and compares with a fresh open after each batch.
func TestRandomIncrementalEdits(t *testing.T) {
	for _, utf8 := range []bool{false, true} {
		t.Run(fmt.Sprintf("utf8=%v", utf8), func(t *testing.T) {
			c := start(t, clientOptions{UTF8: utf8, Debounce: 1})
			rnd := rand.New(rand.NewSource(1))
			pieces := []string{"{", "}", "\n", " ", "virtual_server 10.0.0.1 80 {\n", "real_server 10.0.0.2 80 {\n", "weight 1\n",
				"}\n", "# 😀 comment\n", "router_id 名前\n", "lb_kind NAT\n", "\"quoted", "$NAME", "@id ", "include x.conf\n", "é", "😀"}
			u := uri.URI("untitled:random")
			c.open(u, vrrpConf)
			c.diagsFor(u, 1)
			for round := range 25 {
				var changes []protocol.TextDocumentContentChangeEvent
				text := c.text(u)
				for range 1 + rnd.Intn(4) {
					a, b := randomPos(rnd, text, utf8), randomPos(rnd, text, utf8)
					if b.Line < a.Line || b.Line == a.Line && b.Character < a.Character {
						a, b = b, a
					}
					if rnd.Intn(3) == 0 {
						b = a // pure insertion
					}
					ins := ""
					if rnd.Intn(4) != 0 {
						ins = pieces[rnd.Intn(len(pieces))]
					}
					ch := &protocol.TextDocumentContentChangePartial{Range: protocol.Range{Start: a, End: b}, Text: ins}
					text = applyTextEdits(t, text, []protocol.TextEdit{{Range: ch.Range, NewText: ins}}, utf8)
					changes = append(changes, ch)
				}
				v := c.change(u, changes...)
				if c.text(u) != text {
					t.Fatal("client text out of step")
				}
				checkSameAsFresh(t, c, u, c.diagsFor(u, v), text, round)
			}
		})
	}
}

// randomPos returns a valid position of text (not inside a character).
func randomPos(rnd *rand.Rand, text string, utf8 bool) protocol.Position {
	lines := strings.Split(text, "\n")
	l := rnd.Intn(len(lines))
	line := lines[l]
	var cols []uint32
	col := uint32(0)
	for _, r := range line {
		cols = append(cols, col)
		if utf8 {
			col += uint32(len(string(r)))
		} else {
			col += utf16Len(string(r))
		}
	}
	cols = append(cols, col)
	return protocol.Position{Line: uint32(l), Character: cols[rnd.Intn(len(cols))]}
}

// TestRapidChanges: changes within the debounce publish only the latest
// version.
func TestRapidChanges(t *testing.T) {
	c := start(t, clientOptions{Debounce: 300})
	u := uri.URI("untitled:rapid")
	c.open(u, vrrpConf)
	var v int32
	for i := range 20 {
		v = c.change(u, partial(1, 14, 1, 14, fmt.Sprint(i%10)))
	}
	v = c.change(u, partial(2, 0, 2, 0, "    foo_bar 1\n"))
	got := c.diagsFor(u, v)
	if len(got) != 1 {
		t.Errorf("diagnostics %q", full(got))
	}
	time.Sleep(350 * time.Millisecond)
	var versions []int32
	for _, p := range c.publishesFor(u) {
		versions = append(versions, p.version)
	}
	if !slices.Equal(versions, []int32{v}) {
		t.Errorf("published versions %v, want only %d", versions, v)
	}
}

// TestChangesWithoutDebounce: with no debounce every change is checked
// concurrently with the next; an older version must never be published
// after a newer one, and the last publish is the last version.
func TestChangesWithoutDebounce(t *testing.T) {
	c := start(t, clientOptions{InitOptions: map[string]any{"keepalived": map[string]any{"debounce": 0}}})
	for d := range 4 {
		u := uri.URI(fmt.Sprintf("untitled:nodebounce-%d", d))
		c.open(u, strings.Repeat(vrrpConf, 30))
	}
	var last int32
	for i := range 150 {
		for d := range 4 {
			u := uri.URI(fmt.Sprintf("untitled:nodebounce-%d", d))
			last = c.change(u, partial(uint32(i%30)*12+1, 4, uint32(i%30)*12+1, 4, "x"))
		}
	}
	for d := range 4 {
		u := uri.URI(fmt.Sprintf("untitled:nodebounce-%d", d))
		checkSameAsFresh(t, c, u, c.diagsFor(u, last), c.text(u), d)
	}
	time.Sleep(50 * time.Millisecond)
	for d := range 4 {
		u := uri.URI(fmt.Sprintf("untitled:nodebounce-%d", d))
		if p, _ := c.latest(u); p.version != last {
			t.Errorf("%s: last publish is version %d, want %d", u, p.version, last)
		}
	}
	// checkVersionsMonotonic runs at cleanup.
}

func TestDidClosePublishesEmpty(t *testing.T) {
	c := start(t, clientOptions{})
	u := uri.URI("untitled:closing")
	c.open(u, simpleConf)
	c.diagsFor(u, 1)
	n := c.seq()
	c.close(u)
	p := c.nextPublish(u, n, nil)
	if len(p.diags) != 0 || !strings.Contains(string(p.raw), `"diagnostics":[]`) || p.hasVersion {
		t.Errorf("publish after close: %s", p.raw)
	}
	// Closed: hover and code actions answer null, nothing more is published.
	if h, err := c.hover(u, 2, 5); h != nil || err != nil {
		t.Errorf("hover after close: %v %v", h, err)
	}
	if a := c.codeActions(u, rng(2, 4, 2, 11), nil); len(a) != 0 {
		t.Errorf("code actions after close: %v", a)
	}
	// Closing twice or closing an unknown document is harmless.
	c.close(u)
	c.close("untitled:never-opened")
	time.Sleep(60 * time.Millisecond)
	if ps := c.publishesFor(u); len(ps) != 2 {
		t.Errorf("publishes %s", c.publishLog())
	}
	// Reopen starts over at version 1.
	n = c.seq()
	c.open(u, vrrpConf)
	p = c.nextPublish(u, n, nil)
	if len(p.diags) != 0 {
		t.Errorf("after reopen %q", full(p.diags))
	}
}

// TestCloseDuringDebounce: a document closed before its diagnostics were
// published gets only the clearing publish.
func TestCloseDuringDebounce(t *testing.T) {
	c := start(t, clientOptions{Debounce: 200})
	u := uri.URI("untitled:quick")
	c.open(u, simpleConf)
	c.close(u)
	p := c.nextPublish(u, 0, nil)
	if len(p.diags) != 0 {
		t.Errorf("first publish %s", p.raw)
	}
	time.Sleep(300 * time.Millisecond)
	if ps := c.publishesFor(u); len(ps) != 1 {
		t.Errorf("publishes:\n%s", c.publishLog())
	}
}

func TestUntitledDocuments(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "x.conf"), "global_defs {\n}\n")
	for _, root := range []uri.URI{"", uri.File(dir)} {
		t.Run(fmt.Sprintf("root=%q", root), func(t *testing.T) {
			c := start(t, clientOptions{RootURI: root})
			u := uri.URI("untitled:Untitled-1")
			c.open(u, "include x.conf\nglobal_defs {\n    foo_bar 1\n}\n")
			got := full(c.diagsFor(u, 1))
			want := []string{
				"0:8-0:14 3 include-not-found: this relative include cannot be resolved until the file is saved: it is relative to the file's directory",
				"2:4-2:11 1 unknown-keyword: unknown keyword 'foo_bar' in 'global_defs'",
			}
			if !slices.Equal(got, want) {
				t.Errorf("diagnostics\n got %q\nwant %q", got, want)
			}
			// Absolute includes work.
			v := c.replace(u, "include "+filepath.Join(dir, "x.conf")+"\n")
			if got := c.diagsFor(u, v); len(got) != 0 {
				t.Errorf("absolute include: %q", full(got))
			}
			if h, err := c.hover(u, 0, 2); err != nil || h == nil || !strings.Contains(hoverText(h), "x.conf") {
				t.Errorf("hover on include: %v %v", h, err)
			}
			// Other schemes.
			for _, other := range []uri.URI{"untitled:/home/user/Untitled-2", "vscode-notebook-cell:/x.ipynb#W1", "git:/repo/keepalived.conf?ref%3DHEAD"} {
				c.open(other, simpleConf)
				if got := c.diagsFor(other, 1); len(got) != 1 {
					t.Errorf("%s: %q", other, full(got))
				}
			}
		})
	}
}

// TestNonASCIIPositions: emoji (surrogate pairs in UTF-16) and CJK before
// an error give correct ranges in both encodings, for diagnostics, edits
// and hover.
// TestURICanonicalForm documents a go.lsp.dev/protocol behaviour: URIs are
// decoded into their canonical vscode-uri form, so the server answers
// about "git:/r?ref%3DHEAD" when the client sent "git:/r?ref=HEAD". VS Code
// sends canonical URIs; file: URIs of other clients are canonical too.
func TestURICanonicalForm(t *testing.T) {
	c := start(t, clientOptions{})
	c.open("git:/repo/keepalived.conf?ref=HEAD", simpleConf)
	p := c.nextPublish("git:/repo/keepalived.conf?ref%3DHEAD", 0, nil)
	if len(p.diags) != 1 {
		t.Errorf("diagnostics %q", full(p.diags))
	}
	// Requests with either spelling find the document.
	for _, u := range []uri.URI{"git:/repo/keepalived.conf?ref=HEAD", "git:/repo/keepalived.conf?ref%3DHEAD"} {
		if h, err := c.hover(u, 1, 6); err != nil || h == nil {
			t.Errorf("hover via %s: %v %v", u, h, err)
		}
	}
	// file: URIs with spaces and non-ASCII are kept as sent when they are
	// canonical.
	dir := t.TempDir()
	fu := uri.File(filepath.Join(dir, "a b", "kéepalived.conf"))
	c.open(fu, simpleConf)
	if got := c.diagsFor(fu, 1); len(got) != 1 {
		t.Errorf("%s: %q", fu, full(got))
	}
}

func TestNonASCIIPositions(t *testing.T) {
	text := "global_defs {\n" +
		"    router_id \"😀名前\" # 😀😀\n" +
		"    notification_email { 😀@例え.jp }\n" +
		"    名前 1\n" +
		"    😀x 1\n" +
		"}\n" +
		"vrrp_instance 😀 { virtual_router_id 51; interface eth0 }\n"
	for _, tc := range []struct {
		name     string
		opts     clientOptions
		encoding protocol.PositionEncodingKind
		want     []string
	}{
		{"utf-16", clientOptions{}, protocol.PositionEncodingKindUTF16, []string{
			"3:4-3:6 1 unknown-keyword", "4:4-4:7 1 unknown-keyword"}},
		{"utf-8", clientOptions{UTF8: true}, protocol.PositionEncodingKindUTF8, []string{
			"3:4-3:10 1 unknown-keyword", "4:4-4:9 1 unknown-keyword"}},
		{"utf-8-only", clientOptions{OnlyUTF8: true}, protocol.PositionEncodingKindUTF8, []string{
			"3:4-3:10 1 unknown-keyword", "4:4-4:9 1 unknown-keyword"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newClient(t)
			res := c.initialize(tc.opts)
			if res.Capabilities.PositionEncoding != tc.encoding {
				t.Fatalf("positionEncoding %q, want %q", res.Capabilities.PositionEncoding, tc.encoding)
			}
			u := uri.URI("untitled:emoji")
			c.open(u, text)
			got := c.diagsFor(u, 1)
			var keywords []string
			for _, s := range summarize(got) {
				if strings.HasSuffix(s, "unknown-keyword") {
					keywords = append(keywords, s)
				}
			}
			if !slices.Equal(keywords, tc.want) {
				t.Errorf("unknown-keyword ranges %q, want %q (all: %q)", keywords, tc.want, full(got))
			}
			// Edit after the emoji in the client's encoding: rename "😀x" to
			// "😀y_z" by replacing the "x".
			xCol := uint32(6) // UTF-16: 4 spaces + surrogate pair
			if c.utf8 {
				xCol = 8
			}
			v := c.change(u, partial(4, xCol, 4, xCol+1, "y_z"))
			if !strings.Contains(c.text(u), "    😀y_z 1\n") {
				t.Fatalf("client text %q", c.text(u))
			}
			got = c.diagsFor(u, v)
			d := withCode(got, "unknown-keyword")
			if len(d) != 2 || !strings.Contains(diagMessage(d[1]), "'😀y_z'") || d[1].Range.End.Character != xCol+3 {
				t.Errorf("after the edit: %q", full(got))
			}
			checkSameAsFresh(t, c, u, got, c.text(u), 1)
			// Hover on the keyword after the CJK name on line 1.
			h, err := c.hover(u, 1, 5)
			if err != nil || h == nil || h.Range == nil || *h.Range != rng(1, 4, 1, 13) {
				t.Errorf("hover on router_id: %+v %v", h, err)
			}
			// Hover on the unknown keyword made of CJK characters.
			h, err = c.hover(u, 3, 5)
			end := uint32(6)
			if c.utf8 {
				end = 10
			}
			if err != nil || h == nil || h.Range == nil || *h.Range != rng(3, 4, 3, end) || !strings.Contains(hoverText(h), "名前") {
				t.Errorf("hover on 名前: %+v %v", h, err)
			}
		})
	}
}

// TestPositionsOutOfRange: positions past the end of a line or of the
// document are clamped, not errors.
func TestPositionsOutOfRange(t *testing.T) {
	c := start(t, clientOptions{})
	u := uri.URI("untitled:clamp")
	c.open(u, "global_defs {\n    router_id 😀\n}\n")
	c.diagsFor(u, 1)
	if _, err := c.hover(u, 1, 1000); err != nil {
		t.Errorf("hover past the end of a line: %v", err)
	}
	if h, err := c.hover(u, 1000, 0); err != nil || h != nil {
		t.Errorf("hover past the end: %v %v", h, err)
	}
	if _, err := c.hover(u, 1, 15); err != nil { // inside the surrogate pair
		t.Errorf("hover inside a surrogate pair: %v", err)
	}
	// An edit past the end appends.
	v := c.change(u, partial(3, 0, 3, 0, "bad_kw 1\n"))
	got := c.diagsFor(u, v)
	if g := summarize(got); !slices.Equal(g, []string{"3:0-3:6 1 unknown-keyword"}) {
		t.Errorf("diagnostics %q", g)
	}
}

// TestCRLF: CRLF line endings do not shift ranges, and edits that touch
// them give the same result as a fresh open.
func TestCRLF(t *testing.T) {
	c := start(t, clientOptions{})
	u := uri.URI("untitled:crlf")
	text := strings.ReplaceAll(simpleConf, "\n", "\r\n")
	c.open(u, text)
	if got := summarize(c.diagsFor(u, 1)); !slices.Equal(got, []string{"2:4-2:11 1 unknown-keyword"}) {
		t.Errorf("diagnostics %q", got)
	}
	if h, err := c.hover(u, 1, 13); err != nil || h == nil || *h.Range != rng(1, 4, 1, 13) {
		t.Errorf("hover at the end of a CRLF line: %v %v", h, err)
	}
	v := c.change(u, partial(1, 17, 2, 0, "\r\n    bad_kw 1\r\n"), partial(3, 13, 3, 13, " x"))
	got := c.diagsFor(u, v)
	checkSameAsFresh(t, c, u, got, c.text(u), 1)
	if len(got) != 2 {
		t.Errorf("after the edit: %q", full(got))
	}
}

func TestPositionEncodingNegotiation(t *testing.T) {
	for _, tc := range []struct {
		offered []protocol.PositionEncodingKind
		want    protocol.PositionEncodingKind
	}{
		{nil, protocol.PositionEncodingKindUTF16},
		{[]protocol.PositionEncodingKind{protocol.PositionEncodingKindUTF16}, protocol.PositionEncodingKindUTF16},
		{[]protocol.PositionEncodingKind{protocol.PositionEncodingKindUTF32}, protocol.PositionEncodingKindUTF16},
		{[]protocol.PositionEncodingKind{protocol.PositionEncodingKindUTF32, protocol.PositionEncodingKindUTF8}, protocol.PositionEncodingKindUTF8},
		{[]protocol.PositionEncodingKind{protocol.PositionEncodingKindUTF16, protocol.PositionEncodingKindUTF8}, protocol.PositionEncodingKindUTF8},
		{[]protocol.PositionEncodingKind{"utf-7"}, protocol.PositionEncodingKindUTF16},
	} {
		caps := &protocol.ClientCapabilities{}
		if tc.offered != nil {
			caps.General = &protocol.GeneralClientCapabilities{PositionEncodings: tc.offered}
		}
		c := newClient(t)
		res := c.initialize(clientOptions{Capabilities: caps})
		if res.Capabilities.PositionEncoding != tc.want {
			t.Errorf("offered %q: server chose %q, want %q", tc.offered, res.Capabilities.PositionEncoding, tc.want)
		}
	}
}
