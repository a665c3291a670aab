package server

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

func (c *testClient) prepareRename(u uri.URI, line, char uint32) (*protocol.PrepareRenamePlaceholder, error) {
	var res *protocol.PrepareRenamePlaceholder
	err := c.call(protocol.MethodTextDocumentPrepareRename, &protocol.PrepareRenameParams{TextDocumentPositionParams: posParams(u, line, char)}, &res)
	return res, err
}

func (c *testClient) rename(u uri.URI, line, char uint32, newName string) (*protocol.WorkspaceEdit, error) {
	var we *protocol.WorkspaceEdit
	err := c.call(protocol.MethodTextDocumentRename, &protocol.RenameParams{TextDocumentPositionParams: posParams(u, line, char), NewName: newName}, &we)
	return we, err
}

func TestRenameCapability(t *testing.T) {
	c := newClient(t)
	res := c.initialize(clientOptions{})
	ro, ok := res.Capabilities.RenameProvider.(*protocol.RenameOptions)
	if !ok || ro.PrepareProvider == nil || !*ro.PrepareProvider {
		t.Errorf("renameProvider %#v", res.Capabilities.RenameProvider)
	}
}

func TestRename(t *testing.T) {
	c := start(t, clientOptions{Capabilities: fullCaps()})
	u := uri.URI("untitled:rename")
	c.open(u, navConf)
	for _, tc := range []struct {
		name, needle string
		n            int
		newName      string
		old, new     string // every old becomes new
		placeholder  string
	}{
		{"script-from-use", "chk_web", 3, "chk_nginx", "chk_web", "chk_nginx", "chk_web"},
		{"instance-from-sync-group", "VI_1", 3, "VI_web", "VI_1", "VI_web", "VI_1"},
		{"track_file-from-FILE_CHECK", "tf_main", 3, "tf_state", "tf_main", "tf_state", "tf_main"},
		{"bfd-from-BFD_CHECK", "bfd_gw", 2, "bfd_router", "bfd_gw", "bfd_router", "bfd_gw"},
		{"group-from-virtual_server", "vsg_web", 2, "vsg_http", "vsg_web", "vsg_http", "vsg_web"},
		{"parameter", "${IFACE}", 1, "LAN", "IFACE", "LAN", "IFACE"},
		{"parameter-dollar", "IFACE=", 1, "$LAN", "IFACE", "LAN", "IFACE"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			line, char := where(t, navConf, tc.needle, tc.n, 2)
			pr, err := c.prepareRename(u, line, char)
			if err != nil || pr == nil || pr.Placeholder != tc.placeholder {
				t.Fatalf("prepareRename: %+v %v", pr, err)
			}
			// The range is the name itself, at the position.
			if pr.Range.Start.Line != line || pr.Range.Start.Character > char || pr.Range.End.Character < char ||
				pr.Range.End.Character-pr.Range.Start.Character != utf16Len(tc.placeholder) {
				t.Errorf("prepareRename range %s at %d:%d", rangeString(pr.Range), line, char)
			}
			we, err := c.rename(u, line, char, tc.newName)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := applyWorkspaceEdit(t, navConf, u, we, false), strings.ReplaceAll(navConf, tc.old, tc.new); got != want {
				t.Errorf("renamed text:\n%s", got)
			}
		})
	}
	// Refused renames: an error the client shows.
	for _, tc := range []struct {
		name, needle string
		n            int
		offset       uint32
		newName      string
		want         string
	}{
		{"keyword", "vrrp_script", 1, 2, "x", "'vrrp_script' is a keyword: only the names of scripts, instances, groups, trackers and $parameters can be renamed"},
		{"value", "MASTER", 1, 2, "x", "there is no name to rename here"},
		{"bad-name", "chk_web", 1, 2, "chk web", "'chk web' is not a valid name: keepalived reads it as several words"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			line, char := where(t, navConf, tc.needle, tc.n, tc.offset)
			if tc.name != "bad-name" {
				_, err := c.prepareRename(u, line, char)
				if errorCode(err) != codeRequestFailed || !strings.Contains(err.Error(), tc.want) {
					t.Errorf("prepareRename: %v (code %d), want %q", err, errorCode(err), tc.want)
				}
			}
			_, err := c.rename(u, line, char, tc.newName)
			if errorCode(err) != codeRequestFailed || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("rename: %v (code %d), want %q", err, errorCode(err), tc.want)
			}
		})
	}
}

func TestRenameBuiltinAndSubstituted(t *testing.T) {
	c := start(t, clientOptions{})
	u := uri.URI("untitled:rename")
	text := "$CHK=chk_b\nvrrp_script chk_b {\n    script \"${_PWD}/check.sh\"\n}\nvrrp_instance VI_1 {\n    track_script {\n        $CHK\n    }\n}\n"
	c.open(u, text)
	line, char := where(t, text, "_PWD", 1, 1)
	if _, err := c.prepareRename(u, line, char); errorCode(err) != codeRequestFailed ||
		!strings.Contains(err.Error(), "${_PWD} is built into keepalived and cannot be renamed") {
		t.Errorf("built-in: %v", err)
	}
	line, char = where(t, text, "chk_b", 2, 1)
	if _, err := c.rename(u, line, char, "x"); errorCode(err) != codeRequestFailed ||
		!strings.Contains(err.Error(), "'chk_b' is produced by parameter substitution at this file:7; rename it there by hand") {
		t.Errorf("substituted: %v", err)
	}
	// The parameter itself can be renamed.
	line, char = where(t, text, "$CHK", 1, 2)
	we, err := c.rename(u, line, char, "SCRIPT")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := applyWorkspaceEdit(t, text, u, we, false), strings.ReplaceAll(text, "CHK", "SCRIPT"); got != want {
		t.Errorf("renamed:\n%s", got)
	}
}

// TestRenameUTF16: ranges count UTF-16 units before a non-ASCII name.
func TestRenameUTF16(t *testing.T) {
	c := start(t, clientOptions{})
	u := uri.URI("untitled:rename")
	text := "vrrp_script chk_é {\n    script \"/bin/true\"\n}\nvrrp_instance VI_1 {\n    track_script { chk_é }\n}\n"
	c.open(u, text)
	pr, err := c.prepareRename(u, 4, 22)
	if err != nil || pr.Placeholder != "chk_é" || pr.Range != rng(4, 19, 4, 24) {
		t.Fatalf("prepareRename %+v %v", pr, err)
	}
	we, err := c.rename(u, 4, 22, "chk_ü")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := editStrings(we), []string{"untitled:rename 0:12-0:17 chk_ü", "untitled:rename 4:19-4:24 chk_ü"}; !slices.Equal(got, want) {
		t.Errorf("edits %q, want %q", got, want)
	}
	if got := applyWorkspaceEdit(t, text, u, we, false); got != strings.ReplaceAll(text, "chk_é", "chk_ü") {
		t.Errorf("renamed:\n%s", got)
	}
}

// TestRenameAcrossFiles: a rename in the main file edits the included file
// that defines the name, and one started in the included file (open, read
// in the main file's context) edits the main file.
func TestRenameAcrossFiles(t *testing.T) {
	const (
		main    = "include scripts.conf\nvrrp_instance VI_1 {\n    interface eth0\n    track_script {\n        chk_web weight 5\n    }\n}\n"
		scripts = "vrrp_script chk_web {\n    script \"/bin/true\"\n}\n"
	)
	dir := includeSetup(t, map[string]string{"keepalived.conf": main, "scripts.conf": scripts})
	c := start(t, clientOptions{})
	mainURI := uri.File(filepath.Join(dir, "keepalived.conf"))
	scriptsURI := uri.File(filepath.Join(dir, "scripts.conf"))
	c.open(mainURI, main)
	we, err := c.rename(mainURI, 4, 10, "chk_nginx")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"keepalived.conf 4:8-4:15 chk_nginx", "scripts.conf 0:12-0:19 chk_nginx"}
	if got := editStrings(we); !slices.Equal(got, want) {
		t.Fatalf("edits %q, want %q", got, want)
	}
	if len(we.Changes) != 2 || we.Changes[mainURI] == nil || we.Changes[scriptsURI] == nil {
		t.Fatalf("changes by URI: %v", we.Changes)
	}
	if got := applyTextEdits(t, main, we.Changes[mainURI], false); got != strings.ReplaceAll(main, "chk_web", "chk_nginx") {
		t.Errorf("main after rename:\n%s", got)
	}
	if got := applyTextEdits(t, scripts, we.Changes[scriptsURI], false); got != strings.ReplaceAll(scripts, "chk_web", "chk_nginx") {
		t.Errorf("scripts.conf after rename:\n%s", got)
	}
	// From the included file once it is open.
	c.open(scriptsURI, scripts)
	pr, err := c.prepareRename(scriptsURI, 0, 14)
	if err != nil || pr.Range != rng(0, 12, 0, 19) {
		t.Fatalf("prepareRename in scripts.conf: %+v %v", pr, err)
	}
	we, err = c.rename(scriptsURI, 0, 14, "chk_nginx")
	if err != nil {
		t.Fatal(err)
	}
	if got := editStrings(we); !slices.Equal(got, want) {
		t.Errorf("edits from scripts.conf %q, want %q", got, want)
	}
	// Three files: the name is also used in a second included file.
	if err := os.WriteFile(filepath.Join(dir, "track.inc"), []byte("    track_script {\n        chk_web\n    }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	main2 := strings.Replace(main, "    interface eth0\n", "    interface eth0\n    include track.inc\n", 1)
	c.replace(mainURI, main2)
	we, err = c.rename(mainURI, 5, 10, "chk_x")
	if err != nil {
		t.Fatal(err)
	}
	want = []string{"keepalived.conf 5:8-5:15 chk_x", "scripts.conf 0:12-0:19 chk_x", "track.inc 1:8-1:15 chk_x"}
	if got := editStrings(we); !slices.Equal(got, want) {
		t.Errorf("edits %q, want %q", got, want)
	}
}

// TestRenameDocumentChanges: a client that supports versioned edits gets
// documentChanges, with the version of each open document and null for
// files that are not open.
func TestRenameDocumentChanges(t *testing.T) {
	const (
		main    = "include scripts.conf\nvrrp_instance VI_1 {\n    interface eth0\n    track_script {\n        chk_web weight 5\n    }\n}\n"
		scripts = "vrrp_script chk_web {\n    script \"/bin/true\"\n}\n"
	)
	dir := includeSetup(t, map[string]string{"keepalived.conf": main, "scripts.conf": scripts})
	c := start(t, clientOptions{DocChanges: true})
	mainURI := uri.File(filepath.Join(dir, "keepalived.conf"))
	scriptsURI := uri.File(filepath.Join(dir, "scripts.conf"))
	c.open(mainURI, main)
	c.replace(mainURI, main) // version 2
	describe := func(we *protocol.WorkspaceEdit) []string {
		if we == nil || len(we.Changes) != 0 {
			t.Fatalf("want documentChanges only: %+v", we)
		}
		var out []string
		for _, ch := range we.DocumentChanges {
			tde, ok := ch.(*protocol.TextDocumentEdit)
			if !ok {
				t.Fatalf("document change %T", ch)
			}
			v := "null"
			if tde.TextDocument.Version != nil {
				v = fmt.Sprint(*tde.TextDocument.Version)
			}
			for _, e := range tde.Edits {
				te := e.(*protocol.TextEdit)
				out = append(out, fmt.Sprintf("%s@%s %s %s", filepath.Base(tde.TextDocument.URI.FsPath()), v, rangeString(te.Range), te.NewText))
			}
		}
		slices.Sort(out)
		return out
	}
	we, err := c.rename(mainURI, 4, 10, "chk_nginx")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"keepalived.conf@2 4:8-4:15 chk_nginx", "scripts.conf@null 0:12-0:19 chk_nginx"}
	if got := describe(we); !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	c.open(scriptsURI, scripts)
	we, err = c.rename(mainURI, 4, 10, "chk_nginx")
	if err != nil {
		t.Fatal(err)
	}
	want = []string{"keepalived.conf@2 4:8-4:15 chk_nginx", "scripts.conf@1 0:12-0:19 chk_nginx"}
	if got := describe(we); !slices.Equal(got, want) {
		t.Errorf("with scripts.conf open: got %q, want %q", got, want)
	}
}
