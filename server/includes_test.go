package server

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// includeSetup writes files below a temporary directory and returns it.
func includeSetup(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		writeFile(t, filepath.Join(dir, name), text)
	}
	return dir
}

const (
	mainWithGlobalFragment = "global_defs {\n    router_id lb1\n    include defs.conf\n}\nvrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n    virtual_ipaddress {\n        10.0.0.1/24\n    }\n}\n"
	globalFragment         = "    notification_email_from a@b.c\n    bogus_option 1\n"
)

func TestIncludedFileDiagnostics(t *testing.T) {
	dir := includeSetup(t, map[string]string{"keepalived.conf": mainWithGlobalFragment, "defs.conf": globalFragment})
	c := start(t, clientOptions{RootURI: uri.File(dir)})
	mainURI, fragURI := uri.File(filepath.Join(dir, "keepalived.conf")), uri.File(filepath.Join(dir, "defs.conf"))
	c.open(mainURI, mainWithGlobalFragment)
	if got := c.diagsFor(mainURI, 1); len(got) != 0 {
		t.Errorf("main diagnostics %q", full(got))
	}
	p := c.nextPublish(fragURI, 0, nil)
	if p.hasVersion {
		t.Errorf("a file that is not open got a version: %s", p.raw)
	}
	got := full(p.diags)
	want := []string{"1:4-1:16 1 unknown-keyword: unknown keyword 'bogus_option' in 'global_defs' [related " + string(mainURI) + " 2:4-2:21 \"included from here\"]"}
	if !slices.Equal(got, want) {
		t.Errorf("fragment diagnostics\n got %q\nwant %q", got, want)
	}

	// Without relatedInformation support there is none.
	c2 := start(t, clientOptions{NoRelated: true})
	c2.open(mainURI, mainWithGlobalFragment)
	p = c2.nextPublish(fragURI, 0, nil)
	if len(p.diags) != 1 || len(p.diags[0].RelatedInformation) != 0 {
		t.Errorf("without relatedInformation: %q", full(p.diags))
	}

	// Removing the include clears the fragment's diagnostics.
	n := c.seq()
	v := c.replace(mainURI, strings.Replace(mainWithGlobalFragment, "    include defs.conf\n", "", 1))
	c.diagsFor(mainURI, v)
	p = c.nextPublish(fragURI, n, nil)
	if len(p.diags) != 0 || !strings.Contains(string(p.raw), `"diagnostics":[]`) {
		t.Errorf("after removing the include: %s", p.raw)
	}
	// Putting it back reports again; closing the main file clears.
	n = c.seq()
	v = c.replace(mainURI, mainWithGlobalFragment)
	if p = c.nextPublish(fragURI, n, nil); len(p.diags) != 1 {
		t.Errorf("include restored: %q", full(p.diags))
	}
	n = c.seq()
	c.close(mainURI)
	if p = c.nextPublish(fragURI, n, nil); len(p.diags) != 0 {
		t.Errorf("after closing the main file: %s", p.raw)
	}
	_ = v
}

func TestNestedIncludes(t *testing.T) {
	dir := includeSetup(t, map[string]string{
		"keepalived.conf": "global_defs {\n    router_id lb1\n    enable_script_security\n}\ninclude conf.d/*.conf\n",
		"conf.d/a.conf":   "vrrp_script chk {\n    script \"/bin/true\"\n    include ../b.inc\n}\n",
		"b.inc":           "    interval 2\n    weight 300\n",
	})
	c := start(t, clientOptions{})
	mainURI := uri.File(filepath.Join(dir, "keepalived.conf"))
	c.open(mainURI, "global_defs {\n    router_id lb1\n    enable_script_security\n}\ninclude conf.d/*.conf\n")
	p := c.nextPublish(uri.File(filepath.Join(dir, "b.inc")), 0, func(p publish) bool { return len(p.diags) > 0 })
	got := full(p.diags)
	if len(got) != 1 || !strings.HasPrefix(got[0], "1:11-1:14 1 invalid-value") ||
		!strings.HasSuffix(got[0], "[related "+string(mainURI)+" 4:0-4:21 \"included from here\"]") {
		t.Errorf("nested fragment: %q", got)
	}
	a := c.nextPublish(uri.File(filepath.Join(dir, "conf.d", "a.conf")), 0, nil)
	if len(a.diags) != 0 {
		t.Errorf("a.conf: %q", full(a.diags))
	}
	// Hover on the include shows what it reads.
	h, err := c.hover(mainURI, 4, 3)
	if err != nil || !strings.Contains(hoverText(h), filepath.Join(dir, "conf.d", "a.conf")) || *h.Range != rng(4, 0, 4, 7) {
		t.Errorf("hover on include: %q %v", hoverText(h), err)
	}
}

// TestOpenFragmentWinsOverDisk: the buffer of an open fragment is read in
// place of the file; editing it updates the main file's diagnostics of it.
func TestOpenFragmentWinsOverDisk(t *testing.T) {
	dir := includeSetup(t, map[string]string{"keepalived.conf": mainWithGlobalFragment, "defs.conf": globalFragment})
	c := start(t, clientOptions{})
	mainURI, fragURI := uri.File(filepath.Join(dir, "keepalived.conf")), uri.File(filepath.Join(dir, "defs.conf"))
	c.open(mainURI, mainWithGlobalFragment)
	c.nextPublish(fragURI, 0, func(p publish) bool { return len(p.diags) == 1 })

	// The buffer differs from the disk: a different error, on line 0.
	n := c.seq()
	c.open(fragURI, "    smtp_serverr 10.0.0.1\n")
	p := c.nextPublish(fragURI, n, nil)
	if got := summarize(p.diags); !slices.Equal(got, []string{"0:4-0:16 1 unknown-keyword"}) || p.hasVersion {
		t.Errorf("open fragment: %q %s", got, p.raw)
	}
	// Edit the buffer: fixed.
	n = c.seq()
	c.change(fragURI, partial(0, 15, 0, 16, ""))
	p = c.nextPublish(fragURI, n, nil)
	if len(p.diags) != 0 {
		t.Errorf("after fixing the buffer: %q", full(p.diags))
	}
	// Edit again: an error in the same line.
	n = c.seq()
	c.change(fragURI, partial(0, 4, 0, 8, "XXXX"))
	p = c.nextPublish(fragURI, n, nil)
	if got := summarize(p.diags); !slices.Equal(got, []string{"0:4-0:15 1 unknown-keyword"}) {
		t.Errorf("after breaking the buffer: %q", got)
	}
	// The fragment never got diagnostics of its own (standalone, with a
	// version): the main file's context owns it.
	for _, p := range c.publishesFor(fragURI) {
		if p.hasVersion {
			t.Errorf("standalone publish for the fragment: %s", p.raw)
		}
	}
	// Closing the fragment goes back to the disk.
	n = c.seq()
	c.close(fragURI)
	c.nextPublish(fragURI, n, func(p publish) bool {
		return len(p.diags) == 1 && diagCode(p.diags[0]) == "unknown-keyword" && p.diags[0].Range == rng(1, 4, 1, 16)
	})
}

func TestWatchedFileChanges(t *testing.T) {
	dir := includeSetup(t, map[string]string{"keepalived.conf": mainWithGlobalFragment, "defs.conf": globalFragment})
	c := start(t, clientOptions{WatchDynamic: true})
	c.waitFor("file watching registration", func() bool {
		return slices.ContainsFunc(c.registrations, func(r protocol.Registration) bool { return r.Method == protocol.MethodWorkspaceDidChangeWatchedFiles })
	})
	mainURI, fragURI := uri.File(filepath.Join(dir, "keepalived.conf")), uri.File(filepath.Join(dir, "defs.conf"))
	c.open(mainURI, mainWithGlobalFragment)
	c.nextPublish(fragURI, 0, func(p publish) bool { return len(p.diags) == 1 })

	writeFile(t, filepath.Join(dir, "defs.conf"), "    router_idd x\n    smtp_serverr y\n")
	n := c.seq()
	c.notify(protocol.MethodWorkspaceDidChangeWatchedFiles, &protocol.DidChangeWatchedFilesParams{Changes: []protocol.FileEvent{
		{URI: fragURI, Type: protocol.FileChangeTypeChanged},
		{URI: uri.File(filepath.Join(dir, "unrelated.conf")), Type: protocol.FileChangeTypeCreated},
	}})
	p := c.nextPublish(fragURI, n, nil)
	if got := summarize(p.diags); !slices.Equal(got, []string{"0:4-0:14 1 unknown-keyword", "1:4-1:16 1 unknown-keyword"}) {
		t.Errorf("after the change on disk: %q", got)
	}
	// The main file is checked again too (same version).
	if p := c.nextPublish(mainURI, n, nil); !p.hasVersion || p.version != 1 {
		t.Errorf("main publish %s", p.raw)
	}
	// Deleted on disk: the include reports it.
	if err := removeFile(filepath.Join(dir, "defs.conf")); err != nil {
		t.Fatal(err)
	}
	n = c.seq()
	c.notify(protocol.MethodWorkspaceDidChangeWatchedFiles, &protocol.DidChangeWatchedFilesParams{Changes: []protocol.FileEvent{
		{URI: fragURI, Type: protocol.FileChangeTypeDeleted}}})
	p = c.nextPublish(mainURI, n, nil)
	if got := full(p.diags); len(got) != 1 || !strings.Contains(got[0], "include-not-found") || !strings.HasPrefix(got[0], "2:12-2:21 2 ") {
		t.Errorf("after deleting the fragment: %q", got)
	}
	if p := c.nextPublish(fragURI, n, nil); len(p.diags) != 0 {
		t.Errorf("deleted fragment: %q", full(p.diags))
	}
}

const (
	lvsMain     = "virtual_server 10.0.0.1 80 {\n    lb_kind NAT\n    protocol TCP\n    include real.conf\n}\n"
	lvsFragment = "real_server 10.0.0.2 80 {\n    weight 1\n    bogus_kw 1\n}\nreal_server 10.0.0.2 80 {\n    weight 2\n}\n"
)

// lvsWant are the in-context diagnostics of lvsFragment.
var lvsWant = []string{"2:4-2:12 1 unknown-keyword", "4:0-4:23 1 duplicate-real-server"}

// TestFragmentInVirtualServer: a fragment of real_server blocks, included
// inside a virtual_server, opened alone and included by an open main file,
// gets the diagnostics of its context, whichever is opened first.
func TestFragmentInVirtualServer(t *testing.T) {
	for _, order := range []string{"main-first", "fragment-first", "together"} {
		t.Run(order, func(t *testing.T) {
			dir := includeSetup(t, map[string]string{"keepalived.conf": lvsMain, "real.conf": lvsFragment})
			c := start(t, clientOptions{Debounce: 20})
			mainURI, fragURI := uri.File(filepath.Join(dir, "keepalived.conf")), uri.File(filepath.Join(dir, "real.conf"))
			n := 0
			switch order {
			case "main-first":
				c.open(mainURI, lvsMain)
				c.diagsFor(mainURI, 1)
				c.nextPublish(fragURI, 0, nil)
				n = c.seq()
				c.open(fragURI, lvsFragment)
			case "fragment-first":
				c.open(fragURI, lvsFragment)
				c.diagsFor(fragURI, 1) // standalone: no context yet
				n = c.seq()
				c.open(mainURI, lvsMain)
			case "together":
				c.open(mainURI, lvsMain)
				c.open(fragURI, lvsFragment)
			}
			p := c.nextPublish(fragURI, n, func(p publish) bool { return !p.hasVersion })
			if got := summarize(p.diags); !slices.Equal(got, lvsWant) {
				t.Errorf("fragment diagnostics %q, want %q", got, lvsWant)
			}
			related := p.diags[1].RelatedInformation
			if len(related) != 2 || related[0].Location.URI != fragURI || related[0].Location.Range != rng(0, 0, 0, 23) ||
				related[1].Location.URI != mainURI || related[1].Message != "included from here" {
				t.Errorf("related %q", full(p.diags))
			}
			// Edit the fragment: still in context.
			time.Sleep(50 * time.Millisecond)
			n = c.seq()
			c.change(fragURI, partial(2, 4, 2, 14, "inhibit_on_failure"))
			p = c.nextPublish(fragURI, n, nil)
			if got := summarize(p.diags); !slices.Equal(got, lvsWant[1:]) {
				t.Errorf("after the edit %q", got)
			}
			time.Sleep(50 * time.Millisecond)
			for _, p := range c.publishesFor(fragURI) {
				for _, d := range p.diags {
					if strings.Contains(diagMessage(d), "top level") && !(order == "fragment-first" && p.seq <= n && p.hasVersion && p.version == 1) {
						t.Errorf("publish #%d has a diagnostic out of context: %s", p.seq, diagMessage(d))
					}
				}
			}
		})
	}
}

// TestFragmentPullDiagnostics: pulled diagnostics of an open fragment come
// from the main file's context too.
func TestFragmentPullDiagnostics(t *testing.T) {
	dir := includeSetup(t, map[string]string{"keepalived.conf": lvsMain, "real.conf": lvsFragment})
	c := start(t, clientOptions{Pull: true, Refresh: true})
	mainURI, fragURI := uri.File(filepath.Join(dir, "keepalived.conf")), uri.File(filepath.Join(dir, "real.conf"))
	c.open(mainURI, lvsMain)
	c.open(fragURI, lvsFragment)
	if got := summarize(c.pull(fragURI)); !slices.Equal(got, lvsWant) {
		t.Errorf("pulled fragment diagnostics %q, want %q", got, lvsWant)
	}
	if got := c.pull(mainURI); len(got) != 0 {
		t.Errorf("main %q", full(got))
	}
	// Neither is pushed: the client pulls both.
	c.waitFor("a diagnostic refresh", func() bool { return c.refreshes > 0 })
	if ps := append(c.publishesFor(fragURI), c.publishesFor(mainURI)...); len(ps) != 0 {
		t.Errorf("pushed although the client pulls:\n%s", c.publishLog())
	}
	c.change(fragURI, partial(2, 4, 2, 14, "inhibit_on_failure"))
	if got := summarize(c.pull(fragURI)); !slices.Equal(got, lvsWant[1:]) {
		t.Errorf("after the edit %q", got)
	}
}

// TestFragmentCodeActions: the quick fixes offered in an open fragment are
// those of the diagnostics the client sees (the main file's context), not
// fixes for problems the fragment only has on its own.
func TestFragmentCodeActions(t *testing.T) {
	dir := includeSetup(t, map[string]string{"keepalived.conf": lvsMain, "real.conf": lvsFragment})
	c := start(t, clientOptions{})
	mainURI, fragURI := uri.File(filepath.Join(dir, "keepalived.conf")), uri.File(filepath.Join(dir, "real.conf"))
	c.open(mainURI, lvsMain)
	c.open(fragURI, lvsFragment)
	p := c.nextPublish(fragURI, 0, func(p publish) bool { return len(p.diags) == 2 })
	dup := oneWithCode(t, p.diags, "duplicate-real-server")
	actions := c.codeActions(fragURI, dup.Range, []protocol.Diagnostic{dup})
	var titles []string
	for _, a := range actions {
		titles = append(titles, a.Title)
	}
	if len(actions) == 0 {
		t.Fatalf("no code actions for %s", rangeString(dup.Range))
	}
	for _, a := range actions {
		if a.Kind != nil && *a.Kind == protocol.CodeActionKindQuickFix && (len(a.Diagnostics) != 1 || diagCode(a.Diagnostics[0]) != "duplicate-real-server") {
			t.Errorf("quick fix %q for %q", a.Title, full(a.Diagnostics))
		}
	}
	fixed := applyWorkspaceEdit(t, lvsFragment, fragURI, actions[0].Edit, false)
	if want := "real_server 10.0.0.2 80 {\n    weight 1\n    bogus_kw 1\n}\n"; fixed != want {
		t.Errorf("%q gave\n%s", titles[0], fixed)
	}
	n := c.seq()
	c.replace(fragURI, fixed)
	p = c.nextPublish(fragURI, n, nil)
	if got := summarize(p.diags); !slices.Equal(got, lvsWant[:1]) {
		t.Errorf("after the fix: %q", got)
	}
	// The unknown keyword's fix in context.
	unk := oneWithCode(t, p.diags, "unknown-keyword")
	for _, a := range c.codeActions(fragURI, unk.Range, []protocol.Diagnostic{unk}, protocol.CodeActionKindQuickFix) {
		if len(a.Diagnostics) != 1 || diagCode(a.Diagnostics[0]) != "unknown-keyword" || !strings.Contains(diagMessage(a.Diagnostics[0]), "'real_server'") {
			t.Errorf("fix %q for %q", a.Title, full(a.Diagnostics))
		}
	}
}

// TestWatchedFileCreated: a file created on disk that an include pattern
// now matches, or that an include names but did not find, is read.
func TestWatchedFileCreated(t *testing.T) {
	mainText := "include missing.conf\ninclude conf.d/*.conf\nglobal_defs {\n    router_id lb1\n    enable_script_security\n}\n"
	dir := includeSetup(t, map[string]string{"keepalived.conf": mainText, "conf.d/a.conf": "vrrp_script a {\n    script /bin/true\n}\n"})
	c := start(t, clientOptions{WatchDynamic: true})
	mainURI := uri.File(filepath.Join(dir, "keepalived.conf"))
	c.open(mainURI, mainText)
	got := summarize(c.diagsFor(mainURI, 1))
	if !slices.Equal(got, []string{"0:8-0:20 2 include-not-found"}) {
		t.Fatalf("diagnostics %q", got)
	}
	writeFile(t, filepath.Join(dir, "missing.conf"), "global_defs {\n    bogus_one 1\n}\n")
	writeFile(t, filepath.Join(dir, "conf.d", "b.conf"), "vrrp_script b {\n    bogus_two 1\n    script /bin/true\n}\n")
	n := c.seq()
	c.notify(protocol.MethodWorkspaceDidChangeWatchedFiles, &protocol.DidChangeWatchedFilesParams{Changes: []protocol.FileEvent{
		{URI: uri.File(filepath.Join(dir, "missing.conf")), Type: protocol.FileChangeTypeCreated},
		{URI: uri.File(filepath.Join(dir, "conf.d", "b.conf")), Type: protocol.FileChangeTypeCreated},
	}})
	if p := c.nextPublish(mainURI, n, nil); len(p.diags) != 0 {
		t.Errorf("main after the files were created: %q", full(p.diags))
	}
	for name, want := range map[string]string{"missing.conf": "1:4-1:13 1 unknown-keyword", "conf.d/b.conf": "1:4-1:13 1 unknown-keyword"} {
		p := c.nextPublish(uri.File(filepath.Join(dir, name)), n, nil)
		if got := summarize(p.diags); !slices.Equal(got, []string{want}) {
			t.Errorf("%s: %q", name, got)
		}
	}
}

// TestFragmentHoverInContext: hover in an open fragment describes its
// keywords as in the main file's context.
func TestFragmentHoverInContext(t *testing.T) {
	dir := includeSetup(t, map[string]string{"keepalived.conf": lvsMain, "real.conf": lvsFragment})
	c := start(t, clientOptions{})
	mainURI, fragURI := uri.File(filepath.Join(dir, "keepalived.conf")), uri.File(filepath.Join(dir, "real.conf"))
	c.open(mainURI, lvsMain)
	c.open(fragURI, lvsFragment)
	c.nextPublish(fragURI, 0, nil)
	h, err := c.hover(fragURI, 1, 6)
	if err != nil || h == nil {
		t.Fatalf("hover: %v %v", h, err)
	}
	if !strings.Contains(hoverText(h), "**weight** — keyword in `virtual_server > real_server`") || *h.Range != rng(1, 4, 1, 10) {
		t.Errorf("hover %v %q", h.Range, hoverText(h))
	}
	// The second real_server's weight (line 5), and the fragment's own
	// unknown keyword, in the same context.
	h, err = c.hover(fragURI, 5, 5)
	if err != nil || h == nil || *h.Range != rng(5, 4, 5, 10) || !strings.Contains(hoverText(h), "keyword in `virtual_server > real_server`") {
		t.Errorf("second weight: %v %v", h, err)
	}
	h, err = c.hover(fragURI, 2, 6)
	if err != nil || h == nil || !strings.Contains(hoverText(h), "**bogus_kw** — unknown keyword") || !strings.Contains(hoverText(h), "real_server") {
		t.Errorf("unknown keyword: %v %q", err, hoverText(h))
	}
}
