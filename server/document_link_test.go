package server

import (
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// documentLinks asks for the links of a document.
func (c *testClient) documentLinks(u uri.URI) []protocol.DocumentLink {
	c.t.Helper()
	var out []protocol.DocumentLink
	if err := c.call(protocol.MethodTextDocumentDocumentLink, &protocol.DocumentLinkParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: u}}, &out); err != nil {
		c.t.Fatalf("documentLink: %v", err)
	}
	return out
}

// linkStrings formats links as "range -> target [tooltip]".
func linkStrings(links []protocol.DocumentLink) []string {
	out := make([]string, 0, len(links))
	for _, l := range links {
		s := rangeString(l.Range) + " ->"
		if l.Target != nil {
			s += " " + string(*l.Target)
		}
		if l.Tooltip != nil {
			s += fmt.Sprintf(" [%s]", *l.Tooltip)
		}
		out = append(out, s)
	}
	return out
}

func TestDocumentLinks(t *testing.T) {
	script := func(name string) string { return "vrrp_script " + name + " {\n    script /bin/true\n}\n" }
	main := `global_defs {
    router_id lb1
}
include conf.d/*.conf
include single.conf
include missing/*.conf
virtual_server 192.0.2.1 80 {
    include rs/rs1.conf
}
include 😀.conf
`
	dir := includeSetup(t, map[string]string{
		"keepalived.conf": main,
		"conf.d/a.conf":   script("chk_a") + "include ../extra.conf\n",
		"conf.d/b.conf":   script("chk_b"),
		"conf.d/c.conf":   script("chk_c"),
		"single.conf":     script("chk_s"),
		"extra.conf":      script("chk_x"),
		"rs/rs1.conf":     "real_server 192.0.2.2 80 {\n    weight 1\n}\n",
		"😀.conf":          script("chk_e"),
	})
	p := func(name string) string { return filepath.Join(dir, name) }
	f := func(name string) string { return string(uri.File(p(name))) }
	for _, utf8 := range []bool{false, true} {
		t.Run(fmt.Sprint("utf8=", utf8), func(t *testing.T) {
			c := start(t, clientOptions{RootURI: uri.File(dir), UTF8: utf8})
			mainURI := uri.File(p("keepalived.conf"))
			c.open(mainURI, main)
			emoji := "9:8-9:15" // 😀 is two UTF-16 code units
			if utf8 {
				emoji = "9:8-9:17" // and four bytes
			}
			want := []string{
				fmt.Sprintf("3:8-3:21 -> %s [reads 3 files: %s, %s, %s]", f("conf.d/a.conf"),
					p("conf.d/a.conf"), p("conf.d/b.conf"), p("conf.d/c.conf")),
				"4:8-4:19 -> " + f("single.conf"),
				"7:12-7:23 -> " + f("rs/rs1.conf"), // inside a block
				emoji + " -> " + f("😀.conf"),
			}
			if got := linkStrings(c.documentLinks(mainURI)); !slices.Equal(got, want) {
				t.Errorf("links of the main file\n got %q\nwant %q", got, want)
			}
			// An included file opened on its own: its includes are relative
			// to its directory.
			fragURI := uri.File(p("conf.d/a.conf"))
			c.open(fragURI, script("chk_a")+"include ../extra.conf\n")
			want = []string{"3:8-3:21 -> " + f("extra.conf")}
			if got := linkStrings(c.documentLinks(fragURI)); !slices.Equal(got, want) {
				t.Errorf("links of the included file\n got %q\nwant %q", got, want)
			}
		})
	}
}
