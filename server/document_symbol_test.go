package server

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/keepalived-ls/keepalived-ls/analysis"
)

const symbolConf = `$IFACE=eth0
global_defs {
    router_id lb1
}
vrrp_script chk_web {
    script "/bin/true"
}
vrrp_instance VI_1 {
    interface ${IFACE}
    virtual_router_id 1
}
vrrp_sync_group VG {
    group {
        VI_1
    }
}
vrrp_track_file old {
    file /x
}
virtual_server 192.0.2.1 80 {
    real_server 192.0.2.2 80 {
        TCP_CHECK {
        }
    }
    sorry_server 192.0.2.9 80
}
`

// docSymbolStrings renders document symbols as indented
// "NAME [DETAIL] KIND RANGE sel RANGE" lines.
func docSymbolStrings(syms []protocol.DocumentSymbol, indent string) []string {
	var out []string
	for _, s := range syms {
		detail := ""
		if s.Detail != nil {
			detail = *s.Detail
		}
		line := fmt.Sprintf("%s%s [%s] %d %s sel %s", indent, s.Name, detail, s.Kind, rangeString(s.Range), rangeString(s.SelectionRange))
		if slices.Contains(s.Tags, protocol.SymbolTagDeprecated) {
			line += " deprecated"
		}
		out = append(out, line)
		out = append(out, docSymbolStrings(s.Children, indent+"  ")...)
	}
	return out
}

func TestDocumentSymbolHierarchical(t *testing.T) {
	c := start(t, clientOptions{Capabilities: fullCaps()})
	u := uri.URI("untitled:symbols")
	c.open(u, symbolConf)
	var syms []protocol.DocumentSymbol
	c.mustCall(protocol.MethodTextDocumentDocumentSymbol, &protocol.DocumentSymbolParams{TextDocument: protocol.TextDocumentIdentifier{URI: u}}, &syms)
	want := []string{
		"$IFACE [eth0] 14 0:0-0:6 sel 0:1-0:6",
		"global_defs [global_defs] 2 1:0-3:1 sel 1:0-1:11",
		"chk_web [vrrp_script] 12 4:0-6:1 sel 4:12-4:19",
		"VI_1 [vrrp_instance] 5 7:0-10:1 sel 7:14-7:18",
		"VG [vrrp_sync_group] 3 11:0-15:1 sel 11:16-11:18",
		"old [vrrp_track_file] 24 16:0-18:1 sel 16:16-16:19 deprecated",
		"192.0.2.1 80 [virtual_server] 11 19:0-25:1 sel 19:15-19:27",
		"  192.0.2.2 80 [real_server · TCP_CHECK] 19 20:4-23:5 sel 20:16-20:28",
		"    TCP_CHECK [TCP_CHECK] 6 21:8-22:9 sel 21:8-21:17",
		"  192.0.2.9 80 [sorry_server] 19 24:4-24:29 sel 24:17-24:29",
	}
	if got := docSymbolStrings(syms, ""); !slices.Equal(got, want) {
		t.Errorf("document symbols:\n got %q\nwant %q", got, want)
	}
}

func TestDocumentSymbolFlat(t *testing.T) {
	c := start(t, clientOptions{})
	u := uri.URI("untitled:symbols")
	c.open(u, symbolConf)
	var syms []protocol.SymbolInformation
	c.mustCall(protocol.MethodTextDocumentDocumentSymbol, &protocol.DocumentSymbolParams{TextDocument: protocol.TextDocumentIdentifier{URI: u}}, &syms)
	var got []string
	for _, s := range syms {
		container := ""
		if s.ContainerName != nil {
			container = *s.ContainerName
		}
		dep := ""
		if s.Deprecated != nil && *s.Deprecated {
			dep = " deprecated"
		}
		got = append(got, fmt.Sprintf("%s in %q %d %s %s%s", s.Name, container, s.Kind, uriName(s.Location.URI), rangeString(s.Location.Range), dep))
	}
	want := []string{
		`$IFACE in "" 14 untitled:symbols 0:0-0:6`,
		`global_defs in "" 2 untitled:symbols 1:0-3:1`,
		`chk_web in "" 12 untitled:symbols 4:0-6:1`,
		`VI_1 in "" 5 untitled:symbols 7:0-10:1`,
		`VG in "" 3 untitled:symbols 11:0-15:1`,
		`old in "" 24 untitled:symbols 16:0-18:1 deprecated`,
		`192.0.2.1 80 in "" 11 untitled:symbols 19:0-25:1`,
		`192.0.2.2 80 in "192.0.2.1 80" 19 untitled:symbols 20:4-23:5`,
		`TCP_CHECK in "192.0.2.2 80" 6 untitled:symbols 21:8-22:9`,
		`192.0.2.9 80 in "192.0.2.1 80" 19 untitled:symbols 24:4-24:29`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("symbols:\n got %q\nwant %q", got, want)
	}
}

// TestDocumentSymbolIncludedFile: an open included file is outlined as the
// main file reads it (its real_server blocks inside a virtual_server).
func TestDocumentSymbolIncludedFile(t *testing.T) {
	main := "virtual_server 192.0.2.1 80 {\n    include servers.inc\n}\n"
	servers := "real_server 192.0.2.2 80 {\n    weight 1\n}\n"
	dir := includeSetup(t, map[string]string{"keepalived.conf": main, "servers.inc": servers})
	c := start(t, clientOptions{Capabilities: fullCaps()})
	mainURI, incURI := uri.File(filepath.Join(dir, "keepalived.conf")), uri.File(filepath.Join(dir, "servers.inc"))
	c.open(mainURI, main)
	c.open(incURI, servers)
	var syms []protocol.DocumentSymbol
	c.mustCall(protocol.MethodTextDocumentDocumentSymbol, &protocol.DocumentSymbolParams{TextDocument: protocol.TextDocumentIdentifier{URI: incURI}}, &syms)
	if got, want := docSymbolStrings(syms, ""), []string{"192.0.2.2 80 [real_server] 19 0:0-2:1 sel 0:12-0:24"}; !slices.Equal(got, want) {
		t.Errorf("included file symbols %q, want %q", got, want)
	}
	c.mustCall(protocol.MethodTextDocumentDocumentSymbol, &protocol.DocumentSymbolParams{TextDocument: protocol.TextDocumentIdentifier{URI: mainURI}}, &syms)
	want := []string{"192.0.2.1 80 [virtual_server] 11 0:0-2:1 sel 0:15-0:27", "  include servers.inc [reads " + filepath.Join(dir, "servers.inc") + "] 1 1:4-1:23 sel 1:4-1:11"}
	if got := docSymbolStrings(syms, ""); !slices.Equal(got, want) {
		t.Errorf("main symbols %q, want %q", got, want)
	}
}

func TestWorkspaceSymbol(t *testing.T) {
	main := "include scripts.conf\nvrrp_instance VI_web {\n    interface eth0\n}\nvrrp_instance VI_db {\n    interface eth1\n}\n"
	scripts := "vrrp_script chk_web {\n    script \"/bin/true\"\n}\n"
	dir := includeSetup(t, map[string]string{"keepalived.conf": main, "scripts.conf": scripts})
	c := start(t, clientOptions{})
	mainURI := uri.File(filepath.Join(dir, "keepalived.conf"))
	c.open(mainURI, main)
	other := uri.URI("untitled:other")
	c.open(other, "virtual_server 192.0.2.1 80 {\n    real_server 192.0.2.2 80 {\n    }\n}\n")
	query := func(q string) []string {
		var syms []protocol.SymbolInformation
		c.mustCall(protocol.MethodWorkspaceSymbol, &protocol.WorkspaceSymbolParams{Query: q}, &syms)
		out := []string{}
		for _, s := range syms {
			out = append(out, fmt.Sprintf("%s %d %s %s", s.Name, s.Kind, uriName(s.Location.URI), rangeString(s.Location.Range)))
		}
		return out
	}
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"web", []string{"chk_web 12 scripts.conf 0:0-2:1", "VI_web 5 keepalived.conf 1:0-3:1"}},
		{"vi_db", []string{"VI_db 5 keepalived.conf 4:0-6:1"}},
		{"vw", []string{"VI_web 5 keepalived.conf 1:0-3:1"}},
		{"192.0.2", []string{"192.0.2.1 80 11 untitled:other 0:0-3:1", "192.0.2.2 80 19 untitled:other 1:4-2:5"}},
		{"nothing-like-this", []string{}},
	} {
		if got := query(tc.q); !slices.Equal(got, tc.want) {
			t.Errorf("query %q:\n got %q\nwant %q", tc.q, got, tc.want)
		}
	}
	// An empty query lists everything; an included file that is also open
	// is listed once.
	c.open(uri.File(filepath.Join(dir, "scripts.conf")), scripts)
	all := query("")
	want := []string{"192.0.2.1 80 11 untitled:other 0:0-3:1", "192.0.2.2 80 19 untitled:other 1:4-2:5", "chk_web 12 scripts.conf 0:0-2:1",
		"include scripts.conf 1 keepalived.conf 0:0-0:20", "VI_db 5 keepalived.conf 4:0-6:1", "VI_web 5 keepalived.conf 1:0-3:1"}
	if !slices.Equal(all, want) {
		t.Errorf("all symbols:\n got %q\nwant %q", all, want)
	}
}

// TestDocumentSymbolCapped: an outline of more than HugeMaxSymbols entries
// keeps every top-level entry and then as many children, level by level,
// in document order, as the limit allows.
func TestDocumentSymbolCapped(t *testing.T) {
	var b strings.Builder
	const servers = 3000 // each: the virtual server, 2 real servers and their checkers = 5 entries
	for i := range servers {
		fmt.Fprintf(&b, "virtual_server 10.0.%d.%d 80 {\n    real_server 192.0.2.1 80 {\n        TCP_CHECK {\n        }\n    }\n    real_server 192.0.2.2 80 {\n        TCP_CHECK {\n        }\n    }\n}\n", i/250, i%250)
	}
	c := start(t, clientOptions{Capabilities: fullCaps()})
	u := uri.URI("untitled:many")
	c.open(u, b.String())
	var syms []protocol.DocumentSymbol
	c.mustCall(protocol.MethodTextDocumentDocumentSymbol, &protocol.DocumentSymbolParams{TextDocument: protocol.TextDocumentIdentifier{URI: u}}, &syms)
	if len(syms) != servers {
		t.Fatalf("%d top-level entries, want all %d", len(syms), servers)
	}
	total, withChildren, withGrandchildren := 0, 0, 0
	for i, s := range syms {
		total += 1 + len(s.Children)
		if len(s.Children) > 0 {
			withChildren++
			if i >= withChildren {
				t.Fatalf("entry %d has children but an earlier one has none: not in document order", i)
			}
		}
		for _, r := range s.Children {
			total += len(r.Children)
			if len(r.Children) > 0 {
				withGrandchildren++
			}
		}
	}
	// 3,000 servers + 6,000 real servers fill 9,000; 1,000 checkers follow.
	if total != analysis.HugeMaxSymbols || withChildren != servers || withGrandchildren != 1000 {
		t.Errorf("%d entries (want %d), %d servers with children (want all), %d real servers with a checker (want 1000)",
			total, analysis.HugeMaxSymbols, withChildren, withGrandchildren)
	}
	if len(c.logs.FilterMessage("huge document: result cut").All()) != 1 {
		t.Errorf("the cut was not logged once")
	}
}
