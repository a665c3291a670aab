package format_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/keepalived-ls/keepalived-ls/analysis/format"
	"github.com/keepalived-ls/keepalived-ls/parser"
)

// text drops the newline after the opening backquote.
func text(s string) []byte { return []byte(strings.TrimPrefix(s, "\n")) }

func editStrings(edits []parser.Edit) []string {
	var out []string
	for _, e := range edits {
		out = append(out, fmt.Sprintf("%d:%d-%d:%d %q", e.Span.Start.Line, e.Span.Start.Col, e.Span.End.Line, e.Span.End.Col, e.NewText))
	}
	return out
}

func TestEditsAreMinimal(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []string
	}{
		{"one-line", `
global_defs {
    router_id lb1
  script_user root
    enable_script_security
}
`, []string{`2:0-3:0 "    script_user root\n"`}},
		{"join-brace", `
vrrp_instance VI_1
{
    state MASTER
}
`, []string{`0:0-2:0 "vrrp_instance VI_1 {\n"`}},
		{"split-line", `
global_defs {
    notification_email { root@localhost }
}
`, []string{`1:0-2:0 "    notification_email {\n        root@localhost\n    }\n"`}},
		{"blank-lines", `
global_defs {
    router_id lb1
}



vrrp_script chk {
    script "/bin/true"
}
`, []string{`4:0-6:0 ""`}},
		{"no-final-newline", "global_defs {\n    router_id lb1\n}", []string{`2:0-2:1 "}\n"`}},
		{"trailing-blank-lines", "global_defs {\n    router_id lb1\n}\n\n\n", []string{`3:0-5:0 ""`}},
		{"formatted", "global_defs {\n    router_id lb1\n}\n", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := text(tc.in)
			res := format.Document(in, format.Options{})
			if got := editStrings(res.Edits()); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("edits:\n got %q\nwant %q", got, tc.want)
			}
			if got := applyEdits(t, in, res.Edits()); string(got) != string(res.Text()) {
				t.Errorf("edits give %q, want %q", got, res.Text())
			}
			if res.Changed() != (tc.want != nil) {
				t.Errorf("Changed() = %v", res.Changed())
			}
		})
	}
}

func TestSkipped(t *testing.T) {
	in := text(`
global_defs {
      router_id lb1
}
vrrp_instance VI_1 {
    state   MASTER
    bogus_block {
        key value
    }
    priority 100
}
vrrp_instance VI_2 {
      state BACKUP
}
virtual_server 10.0.0.1 80 {
      lb_kind NAT
`)
	res := format.Document(in, format.Options{})
	want := []format.Region{
		{StartLine: 3, EndLine: 7, Line: 5, Rule: "unbalanced-braces"},
		{StartLine: 8, EndLine: 8, Line: 8, Rule: "unknown-keyword"},
		{StartLine: 9, EndLine: 9, Line: 9, Rule: "unbalanced-braces"},
		{StartLine: 13, EndLine: 15, Line: 13, Rule: "unbalanced-braces"},
	}
	if got := res.Skipped(); !reflect.DeepEqual(got, want) {
		t.Errorf("skipped:\n got %+v\nwant %+v", got, want)
	}
	wantText := `
global_defs {
    router_id lb1
}
vrrp_instance VI_1 {
    state   MASTER
    bogus_block {
        key value
    }
    priority 100
}
vrrp_instance VI_2 {
    state BACKUP
}
virtual_server 10.0.0.1 80 {
      lb_kind NAT
`
	if got := string(res.Text()); got != string(text(wantText)) {
		t.Errorf("formatted:\n%s\nwant:\n%s", got, text(wantText))
	}
}

func TestLineTooLong(t *testing.T) {
	// Indenting the value would make the line longer than keepalived reads.
	long := strings.Repeat("x", parser.MaxLineLength-6)
	in := []byte("global_defs {\nrouter_id " + long + "\n}\nvrrp_script a {\nscript /bin/true\n}\n")
	res := format.Document(in, format.Options{})
	want := "global_defs {\nrouter_id " + long + "\n}\nvrrp_script a {\n    script /bin/true\n}\n"
	if got := string(res.Text()); got != want {
		t.Errorf("got:\n%s", got)
	}
	if got := res.Skipped(); len(got) != 1 || got[0].Rule != "line-too-long" || got[0].StartLine != 0 || got[0].EndLine != 2 {
		t.Errorf("skipped: %+v", got)
	}
}

func TestRange(t *testing.T) {
	in := text(`
global_defs {
  router_id   lb1
  script_user   root
}
vrrp_instance VI_1
{
  state   MASTER
}
`)
	for _, tc := range []struct {
		name       string
		start, end int
		want       string
	}{
		{"inner-lines", 2, 2, `
global_defs {
  router_id   lb1
    script_user root
}
vrrp_instance VI_1
{
  state   MASTER
}
`},
		// The brace line is in the range, its keyword line is not: the
		// brace stays on its own line.
		{"brace-without-keyword", 5, 6, `
global_defs {
  router_id   lb1
  script_user   root
}
vrrp_instance VI_1
{
    state MASTER
}
`},
		{"brace-with-keyword", 4, 5, `
global_defs {
  router_id   lb1
  script_user   root
}
vrrp_instance VI_1 {
  state   MASTER
}
`},
		{"reversed", 3, 0, `
global_defs {
    router_id lb1
    script_user root
}
vrrp_instance VI_1
{
  state   MASTER
}
`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(format.FormatRange(in, tc.start, tc.end, format.Options{})); got != string(text(tc.want)) {
				t.Errorf("got:\n%s\nwant:\n%s", got, text(tc.want))
			}
		})
	}
}

func TestOnType(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		line int
		opts format.Options
		want []string
	}{
		{"close-brace", "global_defs {\n    router_id lb1\n    }\n", 2, format.Options{}, []string{`2:0-2:4 ""`}},
		{"close-brace-nested", "global_defs {\n    notification_email {\n        root\n}\n}\n", 3, format.Options{}, []string{`3:0-3:0 "    "`}},
		{"new-line-in-block", "global_defs {\n    router_id lb1\n\n}\n", 2, format.Options{}, []string{`2:0-2:0 "    "`}},
		{"new-line-open-block", "vrrp_instance VI_1 {\n    state MASTER\n    authentication {\n  ", 3, format.Options{}, []string{`3:0-3:2 "        "`}},
		{"new-line-tabs", "vrrp_instance VI_1 {\n", 1, format.Options{UseTabs: true}, []string{`1:0-1:0 "\t"`}},
		{"already-right", "global_defs {\n    router_id lb1\n}\n", 1, format.Options{}, nil},
		{"stray-close", "global_defs {\n}\n  }\n", 2, format.Options{}, []string{`2:0-2:2 ""`}},
		{"line-after-brace-line", "global_defs\n{\nrouter_id x\n", 2, format.Options{}, []string{`2:0-2:0 "    "`}},
		{"conditional", "global_defs {\n@lb1 router_id x\n}\n", 1, format.Options{}, []string{`1:0-1:0 "    "`}},
		{"definition-blanks", "$X=a \\\n\n", 1, format.Options{}, nil},
		{"definition-line", "global_defs {\n$X=a \\\nb\n}\n", 2, format.Options{}, []string{`2:0-2:0 "        "`}},
		{"past-the-end", "global_defs {\n", 5, format.Options{}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := editStrings(format.OnType([]byte(tc.in), tc.line, tc.opts)); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
