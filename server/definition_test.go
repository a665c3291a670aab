package server

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

func (c *testClient) definition(u uri.URI, line, char uint32) []protocol.Location {
	c.t.Helper()
	var locs []protocol.Location
	c.mustCall(protocol.MethodTextDocumentDefinition, &protocol.DefinitionParams{TextDocumentPositionParams: posParams(u, line, char)}, &locs)
	return locs
}

func (c *testClient) references(u uri.URI, line, char uint32, decl bool) []protocol.Location {
	c.t.Helper()
	var locs []protocol.Location
	c.mustCall(protocol.MethodTextDocumentReferences, &protocol.ReferenceParams{TextDocumentPositionParams: posParams(u, line, char),
		Context: protocol.ReferenceContext{IncludeDeclaration: decl}}, &locs)
	return locs
}

func (c *testClient) highlights(u uri.URI, line, char uint32) []string {
	c.t.Helper()
	var hs []protocol.DocumentHighlight
	c.mustCall(protocol.MethodTextDocumentDocumentHighlight, &protocol.DocumentHighlightParams{TextDocumentPositionParams: posParams(u, line, char)}, &hs)
	var out []string
	for _, h := range hs {
		kind := "read"
		if h.Kind == protocol.DocumentHighlightKindWrite {
			kind = "write"
		}
		out = append(out, rangeString(h.Range)+" "+kind)
	}
	return out
}

func TestDefinitionAndReferences(t *testing.T) {
	c := start(t, clientOptions{})
	u := uri.URI("untitled:nav")
	c.open(u, navConf)
	for _, tc := range []struct {
		name       string
		needle     string
		n          int
		def        []string
		refs       []string // without the declaration
		highlights []string
	}{
		{"track_script-entry", "chk_web", 2,
			[]string{"untitled:nav 5:12-5:19"},
			[]string{"untitled:nav 24:8-24:15", "untitled:nav 35:8-35:15"},
			[]string{"5:12-5:19 write", "24:8-24:15 read", "35:8-35:15 read"}},
		{"script-definition", "chk_web", 1,
			[]string{"untitled:nav 5:12-5:19"},
			[]string{"untitled:nav 24:8-24:15", "untitled:nav 35:8-35:15"},
			[]string{"5:12-5:19 write", "24:8-24:15 read", "35:8-35:15 read"}},
		{"sync-group-member", "VI_1", 3,
			[]string{"untitled:nav 15:14-15:18"},
			[]string{"untitled:nav 3:29-3:33", "untitled:nav 32:8-32:12"},
			[]string{"3:29-3:33 read", "15:14-15:18 write", "32:8-32:12 read"}},
		{"lvs_sync_daemon-instance", "VI_1", 1,
			[]string{"untitled:nav 15:14-15:18"},
			[]string{"untitled:nav 3:29-3:33", "untitled:nav 32:8-32:12"},
			[]string{"3:29-3:33 read", "15:14-15:18 write", "32:8-32:12 read"}},
		{"FILE_CHECK-track_file", "tf_main", 3,
			[]string{"untitled:nav 9:11-9:18"},
			[]string{"untitled:nav 27:8-27:15", "untitled:nav 46:23-46:30"},
			[]string{"9:11-9:18 write", "27:8-27:15 read", "46:23-46:30 read"}},
		{"BFD_CHECK-name", "bfd_gw", 2,
			[]string{"untitled:nav 12:13-12:19"},
			[]string{"untitled:nav 51:17-51:23"},
			[]string{"12:13-12:19 write", "51:17-51:23 read"}},
		{"virtual_server-group", "vsg_web", 2,
			[]string{"untitled:nav 38:21-38:28"},
			[]string{"untitled:nav 41:21-41:28"},
			[]string{"38:21-38:28 write", "41:21-41:28 read"}},
		{"parameter", "${IFACE}", 2,
			[]string{"untitled:nav 0:1-0:6"},
			[]string{"untitled:nav 3:20-3:28", "untitled:nav 17:14-17:22"},
			[]string{"0:1-0:6 write", "3:20-3:28 read", "17:14-17:22 read"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			line, char := where(t, navConf, tc.needle, tc.n, 2)
			if got := locStrings(c.definition(u, line, char)); !slices.Equal(got, tc.def) {
				t.Errorf("definition %q, want %q", got, tc.def)
			}
			if got := locStrings(c.references(u, line, char, false)); !slices.Equal(got, tc.refs) {
				t.Errorf("references %q, want %q", got, tc.refs)
			}
			withDecl := append(slices.Clone(tc.refs), tc.def...)
			slices.SortFunc(withDecl, func(a, b string) int { return cmpRange(a, b) })
			if got := locStrings(c.references(u, line, char, true)); !slices.Equal(got, withDecl) {
				t.Errorf("references with declaration %q, want %q", got, withDecl)
			}
			if got := c.highlights(u, line, char); !slices.Equal(got, tc.highlights) {
				t.Errorf("highlights %q, want %q", got, tc.highlights)
			}
		})
	}
	// Keywords, values and blank lines: null.
	for _, p := range [][2]uint32{{5, 3}, {16, 11}, {22, 0}, {100, 0}} {
		if got := c.definition(u, p[0], p[1]); got != nil {
			t.Errorf("definition at %v: %q", p, locStrings(got))
		}
		if got := c.references(u, p[0], p[1], true); got != nil {
			t.Errorf("references at %v: %q", p, locStrings(got))
		}
		if got := c.highlights(u, p[0], p[1]); got != nil {
			t.Errorf("highlights at %v: %q", p, got)
		}
	}
	if got := c.definition("untitled:not-open", 0, 0); got != nil {
		t.Errorf("definition in a document that is not open: %q", locStrings(got))
	}
}

// cmpRange orders "NAME L:C-L:C" strings by line and column.
func cmpRange(a, b string) int {
	start := func(s string) (l, c int) {
		_, r, _ := strings.Cut(s, " ")
		fmt.Sscanf(r, "%d:%d", &l, &c)
		return l, c
	}
	la, ca := start(a)
	lb, cb := start(b)
	if la != lb {
		return la - lb
	}
	return ca - cb
}

// navMain, navScripts and navTrack are a configuration split over files.
const (
	navMain    = "include scripts/*.conf\nvrrp_instance VI_1 {\n    interface eth0\n    track_script {\n        chk_web\n    }\n    include track.inc\n}\n"
	navScripts = "vrrp_script chk_web {\n    script \"/bin/true\"\n}\n"
	navTrack   = "    track_script {\n        chk_web weight 2\n    }\n"
)

// TestNavigationAcrossIncludes: definitions in included files, references
// from an open included file in the context of the main file, the include
// directive leading to its files.
func TestNavigationAcrossIncludes(t *testing.T) {
	dir := includeSetup(t, map[string]string{"keepalived.conf": navMain, "scripts/web.conf": navScripts, "track.inc": navTrack})
	c := start(t, clientOptions{})
	mainURI := uri.File(filepath.Join(dir, "keepalived.conf"))
	trackURI := uri.File(filepath.Join(dir, "track.inc"))
	c.open(mainURI, navMain)
	if got, want := locStrings(c.definition(mainURI, 4, 10)), []string{"web.conf 0:12-0:19"}; !slices.Equal(got, want) {
		t.Errorf("definition %q, want %q", got, want)
	}
	if got := c.definition(mainURI, 4, 10); got[0].URI != uri.File(filepath.Join(dir, "scripts", "web.conf")) {
		t.Errorf("definition URI %s", got[0].URI)
	}
	all := []string{"web.conf 0:12-0:19", "keepalived.conf 4:8-4:15", "track.inc 1:8-1:15"}
	if got := locStrings(c.references(mainURI, 4, 10, true)); !slices.Equal(got, all) {
		t.Errorf("references %q, want %q", got, all)
	}
	// The include directive goes to the files it reads.
	if got, want := locStrings(c.definition(mainURI, 0, 3)), []string{"web.conf 0:0-0:0"}; !slices.Equal(got, want) {
		t.Errorf("definition of include %q, want %q", got, want)
	}
	// The included file, once open, is navigated in the main file's context.
	c.open(trackURI, navTrack)
	if got, want := locStrings(c.definition(trackURI, 1, 10)), []string{"web.conf 0:12-0:19"}; !slices.Equal(got, want) {
		t.Errorf("definition from track.inc %q, want %q", got, want)
	}
	if got := locStrings(c.references(trackURI, 1, 10, true)); !slices.Equal(got, all) {
		t.Errorf("references from track.inc %q, want %q", got, all)
	}
	if got, want := c.highlights(trackURI, 1, 10), []string{"1:8-1:15 read"}; !slices.Equal(got, want) {
		t.Errorf("highlights in track.inc %q, want %q", got, want)
	}
}
