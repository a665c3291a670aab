package keepalivedcheck

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/keepalived-ls/keepalived-ls/analysis"
	"github.com/keepalived-ls/keepalived-ls/internal/testenv"
	"github.com/keepalived-ls/keepalived-ls/parser"
)

func TestParse(t *testing.T) {
	out := []byte(`(Line 2) Unknown keyword 'router_idd'
(Line 2) Unknown keyword 'router_idd'
(/etc/keepalived/conf.d/a.conf: Line 7) (VI_1): address family must match VRRP instance [10.0.0.1] - ignoring
(b.conf: Line 1) something
Sync group G has only 1 virtual router(s) - this probably isn't what you want
`)
	got := Parse(out, "/etc/keepalived/keepalived.conf")
	want := []Message{
		{"/etc/keepalived/keepalived.conf", 2, "Unknown keyword 'router_idd'"},
		{"/etc/keepalived/conf.d/a.conf", 7, "(VI_1): address family must match VRRP instance [10.0.0.1] - ignoring"},
		{"/etc/keepalived/b.conf", 1, "something"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v", got)
	}
}

// TestMerged: keepalived's messages become keepalived-message diagnostics,
// except on lines keepalived-ls already reports; rule settings and
// suppression comments apply to them.
func TestMerged(t *testing.T) {
	text := []byte("global_defs {\n    router_idd lb1\n    vrrp_garp_interval 0.5\n    vrrp_gna_interval 0.5 # keepalived-ls: disable=keepalived-message\n}\n")
	msgs := []Message{
		{"/k/keepalived.conf", 2, "Unknown keyword 'router_idd'"},
		{"/k/keepalived.conf", 3, "a message keepalived-ls has no rule for"},
		{"/k/keepalived.conf", 4, "another one"},
	}
	src := parser.NewSource("/k/keepalived.conf", text)
	ext := Diagnostics(msgs, "/k/keepalived.conf", src.Line, nil)
	ds := analysis.NewChecker(analysis.Config{}).CheckTextWith("/k/keepalived.conf", text, parser.Options{FS: noFS{}}, ext)
	var got []string
	for _, d := range ds {
		got = append(got, d.Rule+" "+d.Severity.String()+" "+d.Message)
	}
	want := []string{
		"unknown-keyword error unknown keyword 'router_idd' in 'global_defs'; did you mean 'router_id'?",
		"keepalived-message warning keepalived -t: a message keepalived-ls has no rule for",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q", got)
	}
	if ds[1].Span.Start.Line != 2 || ds[1].Span.Start.Col != 4 || ds[1].Span.End.Col != 26 {
		t.Errorf("span %+v", ds[1].Span)
	}
	var cfg analysis.Config
	if err := cfg.SetRule(Rule, "error"); err != nil {
		t.Fatal(err)
	}
	ds = analysis.NewChecker(cfg).CheckTextWith("/k/keepalived.conf", text, parser.Options{FS: noFS{}}, ext)
	if len(ds) != 2 || ds[1].Severity != parser.Error {
		t.Errorf("with keepalived-message=error: %+v", ds)
	}
}

type noFS struct{ parser.OSFS }

// TestBlockEnd: a message on a block's closing brace moves to the block's
// keyword line.
func TestBlockEnd(t *testing.T) {
	text := []byte("global_defs {\n    router_id lb1\n}\nvirtual_server_group VSG\n{\n    # a comment with a } brace\n}\n")
	src := parser.NewSource("/k/keepalived.conf", text)
	ds := Diagnostics([]Message{{"/k/keepalived.conf", 7, "virtual server group VSG has no entries - removing"}}, "/k/keepalived.conf", src.Line, nil)
	if len(ds) != 1 || ds[0].Span.Start.Line != 3 || ds[0].Span.End.Col != 24 {
		t.Errorf("got %+v", ds)
	}
}

// TestRunKeepalived runs the installed keepalived on a small file.
func TestRunKeepalived(t *testing.T) {
	bin := testenv.Tool(t, "keepalived", "apt-get install -y keepalived")
	dir := t.TempDir()
	f := filepath.Join(dir, "keepalived.conf")
	if err := os.WriteFile(f, []byte("global_defs {\n    router_idd lb1\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	msgs, err := Run(context.Background(), bin, f, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 1 || msgs[0].File != f || msgs[0].Line != 2 || !strings.Contains(msgs[0].Text, "router_idd") {
		t.Errorf("messages %+v", msgs)
	}
}
