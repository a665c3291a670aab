package analysis

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/keepalived-ls/keepalived-ls/parser"
	"github.com/keepalived-ls/keepalived-ls/parser/schema"
)

// completeAt completes at the position marked "|" in text (the marker is
// removed).
func completeAt(t testing.TB, path, text string, opts CompletionOptions) (Completion, string) {
	t.Helper()
	i := strings.Index(text, "|")
	if i < 0 {
		t.Fatal("no | in the text")
	}
	text = text[:i] + text[i+1:]
	line := strings.Count(text[:i], "\n")
	col := i - (strings.LastIndex(text[:i], "\n") + 1)
	d := parser.Parse(path, []byte(text), parser.Options{Version: opts.Target})
	return Complete(d, line, col, opts), text
}

func labels(items []CompletionItem) []string {
	out := make([]string, 0, len(items))
	for _, it := range items {
		out = append(out, it.Label)
	}
	return out
}

func itemNamed(items []CompletionItem, label string) (CompletionItem, bool) {
	for _, it := range items {
		if it.Label == label {
			return it, true
		}
	}
	return CompletionItem{}, false
}

func TestCompleteValues(t *testing.T) {
	// symbolsConf with a line to complete inserted before line `at` (1-based).
	insert := func(at int, line string) string {
		lines := strings.Split(symbolsConf, "\n")
		lines = slices.Insert(lines, at-1, line)
		return strings.Join(lines, "\n")
	}
	bools := []string{"true", "false", "yes", "no", "on", "off"}
	for _, tc := range []struct {
		name string
		text string
		ctx  CompletionContext
		want []string
		span string // replaced span, 1-based L:C-L:C
	}{
		{"state", insert(31, "    state |"), ArgumentContext, []string{"MASTER", "BACKUP"}, "31:11-31:11"},
		{"state-typed", insert(31, "    state BA|CK"), ArgumentContext, []string{"MASTER", "BACKUP"}, "31:11-31:15"},
		{"lb_algo", insert(64, "    lb_algo |"), ArgumentContext,
			[]string{"rr", "wrr", "lc", "wlc", "lblc", "sh", "mh", "dh", "fo", "ovf", "lblcr", "sed", "nq", "twos"}, "64:13-64:13"},
		{"lb_kind", insert(64, "    lb_kind |"), ArgumentContext, []string{"NAT", "DR", "TUN"}, "64:13-64:13"},
		{"lb_kind-options", insert(64, "    lb_kind NAT |"), ArgumentContext, []string{"type", "port", "nocsum", "csum", "remcsum"}, "64:17-64:17"},
		{"lb_kind-tunnel", insert(64, "    lb_kind TUN type |"), ArgumentContext, []string{"ipip", "gue", "gre"}, "64:22-64:22"},
		{"protocol", insert(64, "    protocol |"), ArgumentContext, []string{"TCP", "UDP", "SCTP"}, "64:14-64:14"},
		{"auth_type", insert(31, "    authentication {\n        auth_type |\n    }"), ArgumentContext, []string{"PASS", "AH"}, "32:19-32:19"},
		{"boolean", insert(4, "    use_symlink_paths |"), ArgumentContext, bools, "4:23-4:23"},
		{"int", insert(31, "    priority |"), ArgumentContext, nil, "31:14-31:14"},
		{"track_script", insert(40, "        |"), ValueLineContext, []string{"chk_web"}, "40:9-40:9"},
		{"track_script-weight", insert(40, "        chk_web |"), ValueLineContext, []string{"weight"}, "40:17-40:17"},
		{"track_script-same-line", insert(31, "    track_script { ch| }"), ValueLineContext, []string{"chk_web"}, "31:20-31:22"},
		{"track_process", insert(43, "        |"), ValueLineContext, []string{"proc_web"}, "43:9-43:9"},
		{"track_file", insert(46, "        |"), ValueLineContext, []string{"tf_main", "tf_old"}, "46:9-46:9"},
		{"track_bfd", insert(50, "        |"), ValueLineContext, []string{"bfd_gw"}, "50:9-50:9"},
		{"sync-group", insert(55, "        |"), ValueLineContext, []string{"VI_1"}, "55:9-55:9"},
		{"sync-group-track_script", insert(58, "        |"), ValueLineContext, []string{"chk_web"}, "58:9-58:9"},
		{"track_group", insert(25, "        |"), ValueLineContext, []string{"VI_1"}, "25:9-25:9"},
		{"static-track_group", insert(29, "    192.0.2.51/24 track_group |"), ValueLineContext, []string{"tg"}, "29:31-29:31"},
		{"virtual_server-group", insert(63, "virtual_server group |"), ArgumentContext, []string{"vsg_web"}, "63:22-63:22"},
		{"virtual_server-first", insert(63, "virtual_server |"), ArgumentContext, []string{"fwmark", "group"}, "63:16-63:16"},
		{"FILE_CHECK", insert(69, "            track_file |"), ArgumentContext, []string{"tf_main", "tf_old"}, "69:24-69:24"},
		{"BFD_CHECK", insert(74, "            name |"), ArgumentContext, []string{"bfd_gw"}, "74:18-74:18"},
		{"lvs_sync_daemon", insert(4, "    lvs_sync_daemon eth0 |"), ArgumentContext,
			[]string{"VI_1", "inst", "id", "maxlen", "port", "ttl", "group"}, "4:26-4:26"},
		{"lvs_sync_daemon-inst", insert(4, "    lvs_sync_daemon ${IFACE} inst |"), ArgumentContext, []string{"VI_1"}, "4:35-4:35"},
		{"comment", insert(31, "    # state |"), NoCompletion, nil, "0:0-0:0"},
		{"comment-bang", insert(31, "    state MASTER ! |"), NoCompletion, nil, "0:0-0:0"},
		{"unknown-keyword", insert(31, "    bogus |"), NoCompletion, nil, "31:11-31:11"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := completeAt(t, "keepalived.conf", tc.text, CompletionOptions{})
			if c.Context != tc.ctx {
				t.Errorf("context %d, want %d", c.Context, tc.ctx)
			}
			if got := labels(c.Items); !slices.Equal(got, tc.want) && !(len(got) == 0 && len(tc.want) == 0) {
				t.Errorf("items %q, want %q", got, tc.want)
			}
			r := c.Replace
			if got := fmt.Sprintf("%d:%d-%d:%d", r.Start.Line+1, r.Start.Col+1, r.End.Line+1, r.End.Col+1); got != tc.span && tc.ctx != NoCompletion {
				t.Errorf("replace %s, want %s", got, tc.span)
			}
		})
	}
}

func TestCompleteReferenceDoc(t *testing.T) {
	c, _ := completeAt(t, "keepalived.conf", strings.Replace(symbolsConf, "        chk_web weight 10\n", "        chk_web weight 10\n        c|\n", 1), CompletionOptions{Markdown: true})
	it, ok := itemNamed(c.Items, "chk_web")
	if !ok {
		t.Fatalf("items %q", labels(c.Items))
	}
	want := "Defined at line 6:\n\n```keepalived\nvrrp_script chk_web {\n    script \"/usr/bin/pgrep nginx\"\n    interval 2\n}\n```"
	if it.Kind != CompleteReference || it.Detail != "vrrp_script" || it.Doc != want || it.InsertText != "chk_web" {
		t.Errorf("item %+v", it)
	}
}

func TestCompleteKeywords(t *testing.T) {
	text := confText(`
vrrp_instance VI_1 {
    state MASTER
    interface eth0
    authentication {
        auth_type PASS
    }
    |
}
`)
	c, _ := completeAt(t, "keepalived.conf", text, CompletionOptions{Markdown: true})
	if c.Context != KeywordContext {
		t.Fatalf("context %d", c.Context)
	}
	got := labels(c.Items)
	for _, w := range []string{"priority", "virtual_router_id", "track_script", "use_vmac_addr", "include", "state", "preempt"} {
		if !slices.Contains(got, w) {
			t.Errorf("missing %q", w)
		}
	}
	for _, w := range []string{"global_defs", "vrrp_instance", "real_server", "auth_type", "lb_algo"} {
		if slices.Contains(got, w) {
			t.Errorf("%q is not allowed in vrrp_instance", w)
		}
	}
	// Order: free keywords, then the ones already set, then deprecated ones.
	idx := func(l string) int { return slices.Index(got, l) }
	if !(idx("priority") < idx("state") && idx("state") < idx("preempt") && idx("interface") < idx("preempt")) {
		t.Errorf("ranking: priority %d, state %d, interface %d, preempt %d", idx("priority"), idx("state"), idx("interface"), idx("preempt"))
	}
	// Repeatable keywords already present stay in front.
	st, _ := itemNamed(c.Items, "state")
	pre, _ := itemNamed(c.Items, "preempt")
	prio, _ := itemNamed(c.Items, "priority")
	if st.SortText != "1_state" || pre.SortText != "2_preempt" || !pre.Deprecated || prio.SortText != "0_priority" || prio.Deprecated {
		t.Errorf("sort texts %q %q(%v) %q", st.SortText, pre.SortText, pre.Deprecated, prio.SortText)
	}
	if prio.Kind != CompleteKeyword || prio.Detail != "priority <priority>" || prio.InsertText != "priority" ||
		!strings.HasPrefix(prio.Doc, "**priority** — keyword in `vrrp_instance`") {
		t.Errorf("priority item %+v", prio)
	}
	if ts, _ := itemNamed(c.Items, "track_script"); ts.Kind != CompleteBlock || ts.Detail != "track_script { ... }" {
		t.Errorf("track_script item %+v", ts)
	}
	// Plain text documentation.
	c, _ = completeAt(t, "keepalived.conf", text, CompletionOptions{})
	if prio, _ := itemNamed(c.Items, "priority"); !strings.HasPrefix(prio.Doc, "priority — keyword in vrrp_instance") {
		t.Errorf("plain doc %q", prio.Doc)
	}
	// The target version filters keywords.
	c, _ = completeAt(t, "keepalived.conf", text, CompletionOptions{Target: targetVersion(t, "2.0.20")})
	if got := labels(c.Items); slices.Contains(got, "use_vmac_addr") || !slices.Contains(got, "priority") {
		t.Errorf("2.0.20 offers use_vmac_addr (2.2.0) or lacks priority")
	}
	// Inside a nested block: only its keywords.
	c, _ = completeAt(t, "keepalived.conf", strings.Replace(text, "auth_type PASS", "auth_type PASS\n        |", 1), CompletionOptions{})
	if got := labels(c.Items); !slices.Equal(got, []string{"auth_pass", "include", "auth_type"}) {
		t.Errorf("authentication keywords %q", got)
	}
	// After the opening brace on the block's own line.
	c, _ = completeAt(t, "keepalived.conf", "vrrp_script chk {|\n}\n", CompletionOptions{})
	if got := labels(c.Items); c.Context != KeywordContext || !slices.Contains(got, "interval") || slices.Contains(got, "priority") {
		t.Errorf("after {: %d %q", c.Context, got)
	}
	// The top level, with its snippets.
	c, _ = completeAt(t, "keepalived.conf", "|\n", CompletionOptions{})
	got = labels(c.Items)
	for _, w := range []string{"global_defs", "vrrp_instance", "virtual_server", "vrrp_script", "vrrp_sync_group", "include"} {
		if !slices.Contains(got, w) {
			t.Errorf("top level lacks %q", w)
		}
	}
	var snippets []string
	for _, it := range c.Items {
		if it.Snippet {
			snippets = append(snippets, it.Label)
			if it.Kind != CompleteSnippet {
				t.Errorf("snippet %q has kind %d", it.Label, it.Kind)
			}
		}
	}
	if want := []string{"global_defs", "virtual_server", "vrrp_instance", "vrrp_script", "vrrp_sync_group"}; !slices.Equal(snippets, want) {
		t.Errorf("top-level snippets %q, want %q", snippets, want)
	}
}

// TestSnippetsAreValid: every snippet, with its defaults, is a clean
// configuration in its block.
func TestSnippetsAreValid(t *testing.T) {
	pre := "vrrp_instance VI_A {\n    interface eth0\n    virtual_router_id 1\n    priority 100\n    virtual_ipaddress {\n        192.0.2.1\n    }\n}\n" +
		"vrrp_instance VI_B {\n    interface eth0\n    virtual_router_id 2\n    priority 100\n    virtual_ipaddress {\n        192.0.2.2\n    }\n}\n" +
		"track_file tf {\n    file /run/x\n}\nbfd_instance bfd {\n    neighbor_ip 192.0.2.9\n}\n"
	d := parser.Parse("keepalived.conf", []byte(pre), parser.Options{})
	ix := BuildIndex(d, schema.Version{})
	check := func(name, text string) {
		t.Helper()
		var errs []string
		for _, dg := range Check(parser.Parse("keepalived.conf", []byte(text), parser.Options{}), Config{}) {
			if dg.Severity == parser.Error {
				errs = append(errs, diagString(dg))
			}
		}
		if len(errs) > 0 {
			t.Errorf("snippet %s:\n%s\n%s", name, text, strings.Join(errs, "\n"))
		}
	}
	for _, s := range snippetsFor(schema.Top, ix) {
		check(s.label, pre+ExpandSnippet(s.body))
	}
	vs := schema.Top.Child("virtual_server")
	n := 0
	for _, s := range snippetsFor(vs, ix) {
		n++
		check(s.label, pre+"virtual_server 192.0.2.100 80 {\n"+ExpandSnippet(s.body)+"}\n")
	}
	if n != 10 {
		t.Errorf("%d real_server snippets, want one per checker (10)", n)
	}
	// Placeholder syntax.
	if got := ExpandSnippet(`a ${1:x\}y} ${2|B,C|} $3 \$X`); got != "a x}y B  $X" {
		t.Errorf("ExpandSnippet: %q", got)
	}
}

func TestCompleteSnippetsInVirtualServer(t *testing.T) {
	c, _ := completeAt(t, "keepalived.conf", "bfd_instance gw {\n    neighbor_ip 192.0.2.1\n}\nvirtual_server 192.0.2.1 80 {\n    |\n}\n", CompletionOptions{})
	var snippets []string
	for _, it := range c.Items {
		if it.Snippet {
			snippets = append(snippets, it.Label)
		}
	}
	want := []string{"real_server BFD_CHECK", "real_server DNS_CHECK", "real_server FILE_CHECK", "real_server HTTP_GET", "real_server MISC_CHECK",
		"real_server PING_CHECK", "real_server SMTP_CHECK", "real_server SSL_GET", "real_server TCP_CHECK", "real_server UDP_CHECK"}
	if !slices.Equal(snippets, want) {
		t.Errorf("snippets %q", snippets)
	}
	it, _ := itemNamed(c.Items, "real_server BFD_CHECK")
	if want := "real_server ${1:192.0.2.11} ${2:80} {\n\tweight 1\n\tBFD_CHECK {\n\t\tname ${3:gw}\n\t}\n}\n"; it.InsertText != want {
		t.Errorf("BFD_CHECK snippet %q, want %q", it.InsertText, want)
	}
}

func TestCompleteParameters(t *testing.T) {
	text := "$IFACE=eth0\n$VIP=192.0.2.1/24 dev eth0\nvrrp_instance VI_1 {\n    interface $|\n}\n$LATER=x\n"
	c, _ := completeAt(t, "keepalived.conf", text, CompletionOptions{Markdown: true})
	if c.Context != ParameterContext {
		t.Fatalf("context %d", c.Context)
	}
	want := []string{"$IFACE", "$VIP", "$_BANG", "$_ENV", "$_HASH", "$_INSTANCE", "$_PWD", "$_RANDOM"}
	if got := labels(c.Items); !slices.Equal(got, want) {
		t.Errorf("items %q, want %q", got, want)
	}
	vip, _ := itemNamed(c.Items, "$VIP")
	if vip.Detail != "192.0.2.1/24 dev eth0" || vip.Doc != "**$VIP** — parameter\n\nValue:\n\n```keepalived\n192.0.2.1/24 dev eth0\n```" || vip.InsertText != "$VIP" {
		t.Errorf("$VIP %+v", vip)
	}
	// ${ completes braced, replacing a closing brace typed already.
	c, _ = completeAt(t, "keepalived.conf", strings.Replace(text, "interface $|", "interface ${I|}", 1), CompletionOptions{})
	if it, ok := itemNamed(c.Items, "${IFACE}"); !ok || it.InsertText != "${IFACE}" {
		t.Errorf("braced items %q", labels(c.Items))
	}
	if r := c.Replace; r.Start.Col != 14 || r.End.Col != 18 {
		t.Errorf("replace %v", r)
	}
}

func TestCompleteIncludePaths(t *testing.T) {
	dir := t.TempDir()
	writeTestFiles(t, dir, map[string]string{
		"keepalived.conf":      "",
		"conf.d/a.conf":        "",
		"conf.d/b.conf":        "",
		"conf.d/sub/c.conf":    "",
		"conf.d/.hidden.conf":  "",
		"scripts.conf":         "",
		"notes/readme.txt":     "",
		"conf.d/sub/deep.conf": "",
	})
	path := filepath.Join(dir, "keepalived.conf")
	c, _ := completeAt(t, path, "include |\n", CompletionOptions{})
	if c.Context != IncludeContext {
		t.Fatalf("context %d", c.Context)
	}
	if got, want := labels(c.Items), []string{"conf.d/", "notes/", "scripts.conf"}; !slices.Equal(got, want) {
		t.Errorf("items %q, want %q", got, want)
	}
	c, _ = completeAt(t, path, "vrrp_instance X {\n    include conf.d/|\n}\n", CompletionOptions{})
	if got, want := labels(c.Items), []string{"sub/", "a.conf", "b.conf"}; !slices.Equal(got, want) {
		t.Errorf("items %q, want %q", got, want)
	}
	a, _ := itemNamed(c.Items, "a.conf")
	if a.InsertText != "conf.d/a.conf" || a.Kind != CompleteFile || a.Detail != filepath.Join(dir, "conf.d/a.conf") {
		t.Errorf("a.conf item %+v", a)
	}
	if sub, _ := itemNamed(c.Items, "sub/"); sub.InsertText != "conf.d/sub/" || sub.Kind != CompleteFolder {
		t.Errorf("sub/ item %+v", sub)
	}
	if r := c.Replace; r.Start.Col != 12 || r.End.Col != 19 {
		t.Errorf("replace %v", r)
	}
	c, _ = completeAt(t, path, "includer conf.d/.|\n", CompletionOptions{})
	if got := labels(c.Items); !slices.Equal(got, []string{".hidden.conf", "sub/", "a.conf", "b.conf"}) && !slices.Equal(got, []string{"sub/", ".hidden.conf", "a.conf", "b.conf"}) {
		t.Errorf("hidden items %q", got)
	}
	// A document without a directory: nothing.
	c, _ = completeAt(t, "untitled:1", "include |\n", CompletionOptions{})
	if len(c.Items) != 0 {
		t.Errorf("untitled: %q", labels(c.Items))
	}
}
