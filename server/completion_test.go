package server

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

func (c *testClient) complete(u uri.URI, line, char uint32, trigger string) *protocol.CompletionList {
	c.t.Helper()
	p := &protocol.CompletionParams{TextDocumentPositionParams: posParams(u, line, char),
		Context: protocol.CompletionContext{TriggerKind: protocol.CompletionTriggerKindInvoked}}
	if trigger != "" {
		p.Context = protocol.CompletionContext{TriggerKind: protocol.CompletionTriggerKindTriggerCharacter, TriggerCharacter: &trigger}
	}
	var list *protocol.CompletionList
	c.mustCall(protocol.MethodTextDocumentCompletion, p, &list)
	return list
}

func itemLabels(list *protocol.CompletionList) []string {
	if list == nil {
		return nil
	}
	out := []string{}
	for _, it := range list.Items {
		out = append(out, it.Label)
	}
	return out
}

func findItem(t testing.TB, list *protocol.CompletionList, label string) protocol.CompletionItem {
	t.Helper()
	for _, it := range list.Items {
		if it.Label == label {
			return it
		}
	}
	t.Fatalf("no item %q in %q", label, itemLabels(list))
	return protocol.CompletionItem{}
}

func textEditOf(t testing.TB, it protocol.CompletionItem) *protocol.TextEdit {
	t.Helper()
	te, ok := it.TextEdit.(*protocol.TextEdit)
	if !ok {
		t.Fatalf("item %q has text edit %#v", it.Label, it.TextEdit)
	}
	return te
}

func docOf(it protocol.CompletionItem) (protocol.MarkupKind, string) {
	if mc, ok := it.Documentation.(*protocol.MarkupContent); ok {
		return mc.Kind, mc.Value
	}
	return "", ""
}

func TestCompletionCapability(t *testing.T) {
	c := newClient(t)
	res := c.initialize(clientOptions{})
	cp := res.Capabilities.CompletionProvider
	if cp == nil || !slices.Equal(cp.TriggerCharacters, []string{" ", "$", "{"}) {
		t.Errorf("completionProvider %+v", cp)
	}
}

// completionConf has lines to complete on; each test edits one of them.
const completionConf = `$IFACE=eth0
vrrp_script chk_web {
    script "/usr/bin/pgrep nginx"
}
vrrp_script chk_db {
    script "/usr/bin/pgrep mysqld"
}
vrrp_instance VI_1 {
    state MASTER
    interface ${IFACE}

    track_script {

    }
}
virtual_server 192.0.2.1 80 {

}
`

func TestCompletion(t *testing.T) {
	c := start(t, clientOptions{Capabilities: fullCaps()})
	u := uri.URI("untitled:complete")
	c.open(u, completionConf)

	// Keywords of the enclosing block, with Markdown documentation.
	list := c.complete(u, 10, 0, "")
	if list.IsIncomplete {
		t.Errorf("incomplete list")
	}
	labels := itemLabels(list)
	if !slices.Contains(labels, "priority") || slices.Contains(labels, "global_defs") || slices.Contains(labels, "lb_algo") {
		t.Errorf("vrrp_instance keywords: %q", labels)
	}
	prio := findItem(t, list, "priority")
	if prio.Kind != protocol.CompletionItemKindKeyword || textEditOf(t, prio).Range != rng(10, 0, 10, 0) || textEditOf(t, prio).NewText != "priority" ||
		prio.InsertTextFormat != protocol.InsertTextFormatPlainText {
		t.Errorf("priority item %+v", prio)
	}
	if d, ok := prio.Detail.Get(); !ok || d != "priority <priority>" {
		t.Errorf("priority detail %q", d)
	}
	if kind, doc := docOf(prio); kind != protocol.MarkupKindMarkdown || !strings.HasPrefix(doc, "**priority** — keyword in `vrrp_instance`") {
		t.Errorf("priority documentation %s %q", kind, doc)
	}
	// Set already: ranked after; deprecated: tagged and last.
	if st, _ := findItem(t, list, "state").SortText.Get(); st != "1_state" {
		t.Errorf("state sort text %q", st)
	}
	pre := findItem(t, list, "preempt")
	if st, _ := pre.SortText.Get(); st != "2_preempt" || !slices.Equal(pre.Tags, []protocol.CompletionItemTag{protocol.CompletionItemTagDeprecated}) {
		t.Errorf("preempt %+v", pre)
	}
	if ts := findItem(t, list, "track_script"); ts.Kind != protocol.CompletionItemKindStruct {
		t.Errorf("track_script kind %d", ts.Kind)
	}

	// Names of scripts in track_script, replacing the word typed so far.
	v := c.change(u, partial(12, 0, 12, 0, "        chk_"))
	_ = v
	list = c.complete(u, 12, 12, "")
	if got := itemLabels(list); !slices.Equal(got, []string{"chk_web", "chk_db"}) {
		t.Errorf("track_script names %q", got)
	}
	web := findItem(t, list, "chk_web")
	if web.Kind != protocol.CompletionItemKindReference || textEditOf(t, web).Range != rng(12, 8, 12, 12) {
		t.Errorf("chk_web item %+v %s", web, rangeString(textEditOf(t, web).Range))
	}
	if kind, doc := docOf(web); kind != protocol.MarkupKindMarkdown || !strings.Contains(doc, "```keepalived\nvrrp_script chk_web {") {
		t.Errorf("chk_web documentation %q", doc)
	}

	// Enum values after "state ".
	c.change(u, partial(8, 10, 8, 16, ""))
	list = c.complete(u, 8, 10, " ")
	if got := itemLabels(list); !slices.Equal(got, []string{"MASTER", "BACKUP"}) {
		t.Errorf("state values %q", got)
	}
	if it := findItem(t, list, "BACKUP"); it.Kind != protocol.CompletionItemKindEnumMember || textEditOf(t, it).Range != rng(8, 10, 8, 10) {
		t.Errorf("BACKUP item %+v", it)
	}

	// $NAMEs after "$".
	c.change(u, partial(9, 14, 9, 22, "$"))
	list = c.complete(u, 9, 15, "$")
	if got := itemLabels(list); len(got) == 0 || got[0] != "$IFACE" {
		t.Errorf("parameters %q", got)
	}
	if it := findItem(t, list, "$IFACE"); it.Kind != protocol.CompletionItemKindVariable || textEditOf(t, it).Range != rng(9, 14, 9, 15) {
		t.Errorf("$IFACE item %+v", it)
	}

	// A space typed in indentation does not pop up every keyword; invoked
	// on purpose, it does.
	if got := itemLabels(c.complete(u, 16, 4, " ")); len(got) != 0 {
		t.Errorf("space in indentation: %q", got)
	}
	list = c.complete(u, 16, 4, "")
	if got := itemLabels(list); !slices.Contains(got, "lb_algo") || !slices.Contains(got, "real_server") {
		t.Errorf("virtual_server keywords %q", got)
	}
	// Snippets: real_server with each checker.
	snip := findItem(t, list, "real_server HTTP_GET")
	if snip.Kind != protocol.CompletionItemKindSnippet || snip.InsertTextFormat != protocol.InsertTextFormatSnippet ||
		!strings.HasPrefix(textEditOf(t, snip).NewText, "real_server ${1:192.0.2.11} ${2:80} {\n\tweight 1\n\tHTTP_GET {\n\t\turl {\n") {
		t.Errorf("snippet %+v", snip)
	}

	// Comments: nothing.
	c.change(u, partial(16, 0, 16, 0, "    # lb_"))
	if got := itemLabels(c.complete(u, 16, 9, "")); len(got) != 0 {
		t.Errorf("in a comment: %q", got)
	}
	// Unknown documents: null.
	var none *protocol.CompletionList
	c.mustCall(protocol.MethodTextDocumentCompletion, &protocol.CompletionParams{TextDocumentPositionParams: posParams("untitled:nope", 0, 0)}, &none)
	if none != nil {
		t.Errorf("completion in a document that is not open: %+v", none)
	}
}

// TestCompletionClientLimits: no snippets for clients without snippet
// support, plain-text documentation for clients that only take it, the
// deprecated property for clients without tag support.
func TestCompletionClientLimits(t *testing.T) {
	caps := fullCaps()
	no := false
	yes := true
	caps.TextDocument.Completion.CompletionItem = &protocol.ClientCompletionItemOptions{SnippetSupport: &no, DeprecatedSupport: &yes,
		DocumentationFormat: []protocol.MarkupKind{protocol.MarkupKindPlainText}}
	c := start(t, clientOptions{Capabilities: caps})
	u := uri.URI("untitled:complete")
	c.open(u, completionConf)
	list := c.complete(u, 16, 4, "")
	for _, it := range list.Items {
		if it.Kind == protocol.CompletionItemKindSnippet || it.InsertTextFormat == protocol.InsertTextFormatSnippet {
			t.Errorf("snippet %q offered to a client without snippet support", it.Label)
		}
	}
	if kind, doc := docOf(findItem(t, list, "lb_algo")); kind != protocol.MarkupKindPlainText || !strings.HasPrefix(doc, "lb_algo — keyword in virtual_server") {
		t.Errorf("documentation %s %q", kind, doc)
	}
	list = c.complete(u, 10, 0, "")
	if pre := findItem(t, list, "preempt"); len(pre.Tags) != 0 {
		t.Errorf("tags for a client without tag support: %v", pre.Tags)
	} else if d, ok := pre.Deprecated.Get(); !ok || !d {
		t.Errorf("preempt not marked deprecated")
	}
	// A client without any completion capabilities: Markdown, no snippets.
	c2 := start(t, clientOptions{})
	c2.open(u, completionConf)
	list = c2.complete(u, 16, 4, "")
	if kind, _ := docOf(findItem(t, list, "lb_algo")); kind != protocol.MarkupKindMarkdown {
		t.Errorf("default documentation kind %s", kind)
	}
	if slices.Contains(itemLabels(list), "real_server TCP_CHECK") {
		t.Errorf("snippets without snippet support")
	}
}

// TestCompletionIncludes: include paths relative to the document, and
// names defined in the main file offered in an open included file.
func TestCompletionIncludes(t *testing.T) {
	main := "include conf.d/*.conf\nvrrp_script chk_main {\n    script \"/bin/true\"\n}\nvrrp_instance VI_1 {\n    include track.inc\n}\n"
	track := "    track_script {\n        \n    }\n"
	dir := includeSetup(t, map[string]string{"keepalived.conf": main, "conf.d/a.conf": "", "conf.d/b.conf": "", "track.inc": track})
	c := start(t, clientOptions{})
	mainURI := uri.File(filepath.Join(dir, "keepalived.conf"))
	c.open(mainURI, main)
	list := c.complete(mainURI, 0, 15, "")
	if got := itemLabels(list); !slices.Equal(got, []string{"a.conf", "b.conf"}) {
		t.Errorf("paths %q", got)
	}
	a := findItem(t, list, "a.conf")
	if a.Kind != protocol.CompletionItemKindFile || textEditOf(t, a).NewText != "conf.d/a.conf" || textEditOf(t, a).Range != rng(0, 8, 0, 21) {
		t.Errorf("a.conf item %+v %s", a, rangeString(textEditOf(t, a).Range))
	}
	list = c.complete(mainURI, 0, 8, "")
	if got := itemLabels(list); !slices.Equal(got, []string{"conf.d/", "track.inc"}) {
		t.Errorf("paths at the start %q", got)
	}
	if f := findItem(t, list, "conf.d/"); f.Kind != protocol.CompletionItemKindFolder {
		t.Errorf("folder kind %d", f.Kind)
	}
	trackURI := uri.File(filepath.Join(dir, "track.inc"))
	c.open(trackURI, track)
	if got := itemLabels(c.complete(trackURI, 1, 8, "")); !slices.Equal(got, []string{"chk_main"}) {
		t.Errorf("names in the included file %q", got)
	}
	// Its top level is inside vrrp_instance, where the main file reads it.
	got := itemLabels(c.complete(trackURI, 3, 0, ""))
	if !slices.Contains(got, "priority") || slices.Contains(got, "vrrp_instance") {
		t.Errorf("keywords in the included file %q", got)
	}
}
