package parser_test

// Focused tests of keepalived's reader rules (../shared/reference/lexical.md):
// each case parses a small text and compares a compact summary of the tree
// and the diagnostics.

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/keepalived-ls/keepalived-ls/parser"
	"github.com/keepalived-ls/keepalived-ls/parser/schema"
)

// lxWord renders a token for summaries: bare when unambiguous, else quoted.
func lxWord(s string) string {
	if s == "" || strings.ContainsAny(s, " \t\"") {
		return fmt.Sprintf("%q", s)
	}
	return s
}

// lxSummary renders the tree compactly, one line per node or value line:
//
//	keyword arg arg {      (a block; "{?" when its '{' is missing)
//	  = value value        (a value line)
//	}                      (only when the '}' is present)
//	include: PATTERN       (an include, with what it read indented below)
func lxSummary(doc *parser.Doc) string {
	var sb strings.Builder
	var walk func(n *parser.Node, depth int)
	walk = func(n *parser.Node, depth int) {
		ind := strings.Repeat("  ", depth)
		if n.Kind == parser.Include {
			fmt.Fprintf(&sb, "%sinclude: %s\n", ind, n.Args[0].Text)
			for _, v := range n.Values {
				fmt.Fprintf(&sb, "%s  =%s\n", ind, lxTokens(v.Tokens))
			}
			for _, c := range n.Children {
				walk(c, depth+1)
			}
			return
		}
		fmt.Fprintf(&sb, "%s%s%s", ind, lxWord(n.Keyword.Text), lxTokens(n.Args))
		if n.Kind == parser.Block || n.Kind == parser.ValueBlock {
			if n.Flags&parser.HasOpen != 0 {
				sb.WriteString(" {")
			} else {
				sb.WriteString(" {?")
			}
		}
		sb.WriteString("\n")
		for _, v := range n.Values {
			fmt.Fprintf(&sb, "%s  =%s\n", ind, lxTokens(v.Tokens))
		}
		for _, c := range n.Children {
			walk(c, depth+1)
		}
		if n.Flags&parser.HasClose != 0 {
			fmt.Fprintf(&sb, "%s}\n", ind)
		}
	}
	for _, u := range doc.Units() {
		for _, n := range u.Nodes {
			walk(n, 0)
		}
	}
	return sb.String()
}

func lxTokens(toks []parser.Token) string {
	var sb strings.Builder
	for _, t := range toks {
		sb.WriteString(" " + lxWord(t.Text))
	}
	return sb.String()
}

// lxDiags lists the diagnostics (compared as sets) as "rule@LINE" (absolute, 1-based), with
// "FILE:" before the line for diagnostics in included files.
func lxDiags(doc *parser.Doc) []string {
	var out []string
	for i, u := range doc.Units() {
		for _, d := range u.Diags {
			if d.Src == nil {
				out = append(out, fmt.Sprintf("%s@%d", d.Rule, int(d.Span.Start.Line)+int(doc.UnitLine(i))+1))
			} else {
				out = append(out, fmt.Sprintf("%s@%s:%d", d.Rule, filepath.Base(d.Src.Path), d.Span.Start.Line+1))
			}
		}
	}
	return out
}

func lxParse(text string, opts parser.Options) *parser.Doc {
	return parser.Parse("/nonexistent/keepalived.conf", []byte(text), opts)
}

type lxCase struct {
	name  string
	opts  parser.Options
	in    string
	tree  string   // lxSummary
	diags []string // lxDiags in any order; nil means none
	bug   string   // when set, the case documents a parser bug and is skipped
}

func lxRun(t *testing.T, cases []lxCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := lxParse(c.in, c.opts)
			if got, want := lxSummary(doc), strings.TrimLeft(c.tree, "\n"); got != want {
				t.Errorf("tree of\n%s\n--- got\n%s--- want\n%s", c.in, got, want)
			}
			got := lxDiags(doc)
			want := append([]string(nil), c.diags...)
			sort.Strings(got)
			sort.Strings(want)
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("diagnostics of\n%s\n got %q\nwant %q\n%s", c.in, got, c.diags, doc.Dump())
			}
			if string(doc.Text()) != c.in {
				t.Errorf("Text() = %q, want the input %q", doc.Text(), c.in)
			}
		})
	}
}

var v227 = parser.Options{Version: schema.MustVersion("2.2.7")}

func TestLexComments(t *testing.T) {
	lxRun(t, []lxCase{
		{name: "hash and bang anywhere", in: "global_defs { # c\n  router_id a#b\n  smtp_server x!y\n}\n",
			tree: `
global_defs {
  router_id a
  smtp_server x
}
`},
		{name: "inside double quotes", in: "global_defs {\n  router_id \"a # b ! c\"\n}\n",
			tree: `
global_defs {
  router_id "a # b ! c"
}
`},
		{name: "single quotes do not protect", in: "global_defs {\n  router_id 'a # b'\n}\n",
			tree: `
global_defs {
  router_id 'a
}
`},
		{name: "escapes outside quotes", in: "global_defs {\n  router_id a\\#b\\!c\n}\n",
			tree: `
global_defs {
  router_id a#b!c
}
`},
		{name: "escapes inside quotes stay", in: "global_defs {\n  router_id \"a\\#b\"\n}\n",
			tree: `
global_defs {
  router_id a\#b
}
`},
		{name: "other backslashes stay", in: "global_defs {\n  router_id a\\b\\\\c\n}\n",
			tree: `
global_defs {
  router_id a\b\\c
}
`},
		{name: "comment only and blank lines", in: "\n   \n\t# x\n! y\n",
			tree: ""},
		{name: "braces in a comment do not count", in: "global_defs { # }\n  router_id a # {\n}\n",
			tree: `
global_defs {
  router_id a
}
`},
		{name: "quote after the comment is ignored (newest)", in: "global_defs {\n  router_id a # \"\n}\n",
			tree: `
global_defs {
  router_id a
}
`},
		{name: "quote after the comment is ignored (2.2.7)", opts: v227, in: "global_defs {\n  router_id a # \"\n}\n",
			tree: `
global_defs {
  router_id a
}
`},
		// 2.2.7 keeps scanning after the comment start, so a backslash that
		// ends a comment continues a definition (checked with keepalived 2.2.7).
		{name: "backslash ending a comment continues a definition (2.2.7)", opts: v227,
			in: "$D=x # comment \\\nglobal_defs {\n  router_id a\n}\n",
			tree: `
router_id a
`, diags: []string{"unbalanced-braces@4"}},
		{name: "backslash ending a comment is part of the comment (newest)",
			in: "$D=x # comment \\\nglobal_defs {\n  router_id a\n}\n",
			tree: `
global_defs {
  router_id a
}
`},
		{name: "quote from a substitution", in: "$Q=\"\nglobal_defs {\n  router_id a$Q\n}\n",
			tree: `
global_defs {
  router_id a ""
}
`, diags: []string{"unterminated-quote@1", "unterminated-quote@3"}},
		{name: "unterminated quote", in: "global_defs {\n  router_id \"a b\n}\n",
			tree: `
global_defs {
  router_id "a b"
}
`, diags: []string{"unterminated-quote@2"}},
		// decomment() treats \" as an escaped quote but the tokenizer does
		// not: keepalived 2.2.7 reports "Unmatched quote" here.
		{name: "escaped quote inside quotes is an unmatched quote",
			in: "global_defs {\n  router_id \"x\\\"y\"\n}\n",
			tree: `
global_defs {
  router_id x\ y ""
}
`, diags: []string{"unterminated-quote@2"}},
	})
}

func TestLexWordsAndBraces(t *testing.T) {
	lxRun(t, []lxCase{
		{name: "quote ends a word", in: "global_defs {\n  router_id abc\"def ghi\"jkl\n}\n",
			tree: `
global_defs {
  router_id abc "def ghi" jkl
}
`},
		{name: "all blank characters separate words", in: "global_defs {\n  router_id\ta\fb\vc\n}\n",
			tree: `
global_defs {
  router_id a b c
}
`},
		{name: "braces need no blanks", in: "vrrp_instance VI_1{state MASTER}\n",
			tree: `
vrrp_instance VI_1 {
  state MASTER
}
`},
		{name: "brace between words", in: "global_defs{router_id a}global_defs{router_id b}\n",
			tree: `
global_defs {
  router_id a
}
global_defs {
  router_id b
}
`},
		{name: "quoted braces are words", in: "global_defs {\n  router_id \"{\" \"}\"\n}\n",
			tree: `
global_defs {
  router_id { }
}
`},
		{name: "brace on the next line", in: "global_defs\n\n# c\n{\n}\n",
			tree: `
global_defs {
}
`},
		{name: "closing braces on one line", in: "vrrp_instance VI_1 { authentication { auth_type PASS } }\n",
			tree: `
vrrp_instance VI_1 {
  authentication {
    auth_type PASS
  }
}
`},
		{name: "stray open brace", in: "{\nglobal_defs {\n}\n",
			tree: `
global_defs {
}
`, diags: []string{"unbalanced-braces@1"}},
		{name: "keyword is case-sensitive", in: "Global_Defs {\n}\n",
			tree: `
Global_Defs
`, diags: []string{"unbalanced-braces@1", "unbalanced-braces@2"}},
		{name: "semicolon is not a separator", in: "vrrp_instance VI_1 {\n  priority 100 ; advert_int 1\n}\n",
			tree: `
vrrp_instance VI_1 {
  priority 100 ; advert_int 1
}
`},
		{name: "missing open brace before EOF", in: "global_defs\n",
			tree: `
global_defs {?
`, diags: []string{"unbalanced-braces@1"}},
		{name: "block never closed", in: "global_defs {\n  router_id a\n",
			tree: `
global_defs {
  router_id a
`, diags: []string{"unbalanced-braces@1"}},
		// keepalived counts the '{' inside the value block and reports
		// "There are 1 missing '}'s or extra '{'s" at the end (checked with
		// keepalived 2.2.7).
		{name: "open brace inside a value block", in: "vrrp_instance VI_1 {\n  virtual_ipaddress {\n    192.0.2.1 {\n  }\n}\n",
			tree: `
vrrp_instance VI_1 {
  virtual_ipaddress {
    = 192.0.2.1
    = {
  }
}
`, diags: []string{"unbalanced-braces@3"}},
	})
}

// keepalived re-reads the text after a split brace (line_residue) from the
// top of read_line(): @ID conditionals, $NAME=value definitions, ~SEQ and
// include apply to it too. Checked with keepalived 2.2.7.
func TestLexResidue(t *testing.T) {
	lxRun(t, []lxCase{
		{name: "definition after a brace", in: "global_defs { $X=1 }\n  router_id b\n}\n",
			tree: `
global_defs {
  router_id b
}
`},
		{name: "conditional after a brace", opts: parser.Options{ConfigID: "other"},
			in: "global_defs { @node1 router_id a }\n  router_id b\n}\n",
			tree: `
global_defs {
  router_id b
}
`},
		{name: "include after a brace", in: "global_defs { include x.conf }\n  router_id b\n}\n",
			tree: `
global_defs {
  include: x.conf }
  router_id b
}
`, diags: []string{"include-not-found@1"}},
		{name: "include after a closing brace", in: "global_defs {\n} include x.conf\n",
			tree: `
global_defs {
}
include: x.conf
`, diags: []string{"include-not-found@2"}},
	})
}

func TestLexDefinitions(t *testing.T) {
	lxRun(t, []lxCase{
		{name: "simple", in: "$A=eth0\nvrrp_instance VI_1 {\n  interface $A\n}\n",
			tree: `
vrrp_instance VI_1 {
  interface eth0
}
`},
		{name: "value keeps inner blanks", in: "$A=  a  b  \nglobal_defs {\n  router_id $A\n}\n",
			tree: `
global_defs {
  router_id a b
}
`},
		{name: "empty value", in: "$A=\nglobal_defs {\n  router_id x$A\n}\n",
			tree: `
global_defs {
  router_id x
}
`},
		{name: "empty value, braced", in: "$A=\nglobal_defs {\n  router_id x${A}y\n}\n",
			tree: `
global_defs {
  router_id xy
}
`},
		{name: "reference ends at blank comma or paren", in: "$A=1\nglobal_defs {\n  router_id $A,$A)$A\t$A\n}\n",
			tree: `
global_defs {
  router_id 1,1)1 1
}
`},
		{name: "reference followed by a letter is not a reference", in: "$A=1\nglobal_defs {\n  router_id $Ab ${A}b\n}\n",
			tree: `
global_defs {
  router_id $Ab 1b
}
`, diags: []string{"undefined-parameter@3"}},
		{name: "redefinition", in: "$A=1\n$A=2\nglobal_defs {\n  router_id $A\n}\n",
			tree: `
global_defs {
  router_id 2
}
`},
		{name: "definitions are expanded when used", in: "$A=$B\n$B=2\nglobal_defs {\n  router_id $A\n}\n",
			tree: `
global_defs {
  router_id 2
}
`},
		{name: "blank before = is not a definition", in: "$A =1\n",
			tree: `
$A =1
`, diags: []string{"undefined-parameter@1"}},
		{name: "name may not start with a digit", in: "$1=x\n",
			tree: `
$1=x
`},
		{name: "user definitions take no parameters", in: "$A=1\nglobal_defs {\n  router_id ${A 2}\n}\n",
			tree: `
global_defs {
  router_id $
  A 2
}
`, diags: []string{"undefined-parameter@3", "unbalanced-braces@3", "unbalanced-braces@4"}},
		{name: "substituted hash starts a comment", in: "$H=a\\#b\nglobal_defs {\n  router_id $H\n}\n",
			tree: `
global_defs {
  router_id a
}
`},
		{name: "substitution stops after a value starting with ~", in: "$T=~x $U\n$U=u\nglobal_defs {\n  router_id $T\n}\n",
			tree: `
global_defs {
  router_id ~x $U
}
`},
		{name: "definition in a block applies globally", in: "global_defs {\n$A=1\n}\nvrrp_instance VI_1 {\n  priority $A\n}\n",
			tree: `
global_defs {
}
vrrp_instance VI_1 {
  priority 1
}
`},
		{name: "multi-line definition", in: "$M=global_defs { \\\n  router_id a \\\n}\n$M\n",
			tree: `
global_defs {
  router_id a
}
`},
		{name: "multi-line definition ended by an empty line", in: "$M=a \\\n  b \\\n\nglobal_defs {\n  router_id $M\n}\n",
			tree: `
global_defs {
  router_id a
  b
}
`},
		{name: "multi-line definition is not expanded mid-line", in: "$M=a \\\nb\nglobal_defs {\n  router_id $M x\n}\n",
			tree: `
global_defs {
  router_id $M x
}
`, diags: []string{"undefined-parameter@4"}},
		{name: "multi-line definition keeps text before the reference", in: "$M=a \\\nsmtp_server b\nglobal_defs {\n  router_id x $M\n}\n",
			tree: `
global_defs {
  router_id x a
  smtp_server b
}
`},
	})
}

func TestLexBuiltins(t *testing.T) {
	lxRun(t, []lxCase{
		{name: "instance", opts: parser.Options{ConfigID: "lb1"}, in: "global_defs {\n  router_id ${_INSTANCE}\n}\n",
			tree: `
global_defs {
  router_id lb1
}
`},
		{name: "pwd is the document directory", opts: parser.Options{Dir: "/etc/keepalived"}, in: "global_defs {\n  router_id ${_PWD}/x\n}\n",
			tree: `
global_defs {
  router_id /etc/keepalived/x
}
`},
		{name: "hash and bang", in: "global_defs {\n  router_id \"${_HASH}${_BANG}\"\n}\n",
			tree: `
global_defs {
  router_id #!
}
`},
		{name: "random", in: "global_defs {\n  router_id ${_RANDOM} ${_RANDOM 7} ${_RANDOM 3 9}\n}\n",
			tree: `
global_defs {
  router_id 0 0 3
}
`},
		{name: "builtins can be redefined", in: "$_BANG=bang\nglobal_defs {\n  router_id ${_BANG}\n}\n",
			tree: `
global_defs {
  router_id bang
}
`},
	})
}

func TestLexConditionals(t *testing.T) {
	node1 := parser.Options{ConfigID: "node1"}
	lxRun(t, []lxCase{
		{name: "matching id", opts: node1, in: "@node1 global_defs {\n@node1 }\n@node2 vrrp_instance X {\n@node2 }\n",
			tree: `
global_defs {
}
`},
		{name: "negated id", opts: node1, in: "@^node1 global_defs {\n@^node1 }\n@^node2 vrrp_instance X {\n@^node2 }\n",
			tree: `
vrrp_instance X {
}
`},
		{name: "no config id: only negated lines", in: "@a global_defs {\n@a }\n@^a vrrp_instance X {\n@^a }\n",
			tree: `
vrrp_instance X {
}
`},
		{name: "id must match in full", opts: node1, in: "@node vrrp_instance A {\n@node }\n@node10 vrrp_instance B {\n@node10 }\n",
			tree: ""},
		{name: "tab after id", opts: node1, in: "@node1\tglobal_defs {\n@node1\t}\n",
			tree: `
global_defs {
}
`},
		{name: "nothing after the id", opts: node1, in: "@node1\n@node1   \n",
			tree: "", diags: []string{"invalid-conditional@1", "invalid-conditional@2"}},
		{name: "conditional definition", opts: node1, in: "@node1 $A=1\n@node2 $A=2\nglobal_defs {\n  router_id $A\n}\n",
			tree: `
global_defs {
  router_id 1
}
`},
		{name: "conditional generator", opts: node1, in: "@node1 ~SEQ(i,2) global_defs { router_id $i }\n",
			tree: `
global_defs {
  router_id 1
}
global_defs {
  router_id 2
}
`},
	})
}

// TestLexLineLength: keepalived's buffer holds 1023 bytes of a line
// including a '\r' before its '\n'.
func TestLexLineLength(t *testing.T) {
	line := func(n int) string { return "global_defs {\n  router_id " + strings.Repeat("x", n-len("  router_id ")) }
	for _, c := range []struct {
		name, in string
		diags    []string
		bug      string
	}{
		{"1022 characters", line(1022) + "\n}\n", nil, ""},
		{"1023 characters", line(1023) + "\n}\n", []string{"line-too-long@2"}, ""},
		{"1023 characters without final newline", line(1023), []string{"line-too-long@2", "unbalanced-braces@1"}, ""},
		{"1022 characters and CRLF", line(1022) + "\r\n}\r\n", []string{"line-too-long@2"},
			"a CRLF line of 1022 characters is not reported: keepalived's fgets() reads 1022 characters and the '\\r' (1023 bytes, no '\\n') and reports 'line too long'"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := lxDiags(lxParse(c.in, parser.Options{}))
			sort.Strings(got)
			if strings.Join(got, " ") != strings.Join(c.diags, " ") {
				t.Errorf("diagnostics %q, want %q", got, c.diags)
			}
		})
	}
}

// TestLexIncludeTopLevelClose: a '}' at the top level of a file included at
// the top level has no block to close.
func TestLexIncludeTopLevelClose(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "x.conf"), []byte("bogus {\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	doc := parser.Parse(filepath.Join(dir, "main.conf"), []byte("include x.conf\n"), parser.Options{})
	var msgs []string
	for _, d := range doc.Units()[0].Diags {
		if d.Rule == "unbalanced-braces" {
			msgs = append(msgs, d.Message)
		}
	}
	if len(msgs) != 2 {
		t.Fatalf("unbalanced-braces diagnostics %q, want 2 ('{' and '}')", msgs)
	}
	if strings.Contains(msgs[1], "outside this included file") {
		t.Errorf("message %q: no block is open outside the file", msgs[1])
	}
}

// TestLexConditionalSpan checks the recorded position of an @ID prefix.
func TestLexConditionalSpan(t *testing.T) {
	doc := lxParse("global_defs {\n    @node1 router_id a\n}\n", parser.Options{ConfigID: "node1"})
	var got []parser.Conditional
	for _, u := range doc.Units() {
		got = append(got, u.Conditionals...)
	}
	if len(got) != 1 || got[0].ID != "node1" || !got[0].Active || got[0].Negated {
		t.Fatalf("conditionals = %+v, want one active node1", got)
	}
	t.Run("indented", func(t *testing.T) {
		want := parser.Span{Start: parser.Pos{Line: 1, Col: 4}, End: parser.Pos{Line: 1, Col: 10}}
		if got[0].Span != want {
			t.Errorf("span = %+v, want %+v", got[0].Span, want)
		}
	})
	doc = lxParse("@^node2 global_defs {\n}\n", parser.Options{ConfigID: "node1"})
	c := doc.Units()[0].Conditionals
	want := parser.Span{Start: parser.Pos{Line: 0, Col: 0}, End: parser.Pos{Line: 0, Col: 7}}
	if len(c) != 1 || c[0].Span != want || !c[0].Negated || !c[0].Active || c[0].ID != "node2" {
		t.Errorf("conditionals = %+v, want @^node2 active at %+v", c, want)
	}
}

func TestLexGenerators(t *testing.T) {
	lxRun(t, []lxCase{
		{name: "seq end only", in: "~SEQ(i,3) global_defs { router_id $i }\n",
			tree: `
global_defs {
  router_id 1
}
global_defs {
  router_id 2
}
global_defs {
  router_id 3
}
`},
		{name: "seq negative end counts from -1", in: "~SEQ(i,-2) global_defs { router_id $i }\n",
			tree: `
global_defs {
  router_id -1
}
global_defs {
  router_id -2
}
`},
		{name: "seq zero end", in: "~SEQ(i,0) global_defs { router_id $i }\n",
			tree: `
global_defs {
  router_id 1
}
global_defs {
  router_id 0
}
`},
		{name: "seq step and hex literals", in: "~SEQ(i, 0x10, -8, 0) global_defs { router_id $i }\n",
			tree: `
global_defs {
  router_id 16
}
global_defs {
  router_id 8
}
global_defs {
  router_id 0
}
`},
		{name: "seqx", in: "~SEQx(i, 254, 256) global_defs { router_id $i }\n",
			tree: `
global_defs {
  router_id fe
}
global_defs {
  router_id ff
}
global_defs {
  router_id 100
}
`},
		{name: "loop variable stays defined", in: "~SEQ(i,2)\nglobal_defs {\n  router_id $i\n}\n",
			tree: `
global_defs {
  router_id 2
}
`},
		{name: "lst", in: "~LST(v, a, b) global_defs { router_id $v }\n",
			tree: `
global_defs {
  router_id a
}
global_defs {
  router_id b
}
`},
		{name: "lst tuples with missing values", in: "~LST({a, b}, {1, 2}, {3}) global_defs { router_id x${a}y${b}z }\n",
			tree: `
global_defs {
  router_id x1y2z
}
global_defs {
  router_id x3yz
}
`},
		{name: "generator in a value block", in: "vrrp_instance VI_1 {\n  virtual_ipaddress {\n~SEQ(i,2) 10.0.0.${i}\n  }\n}\n",
			tree: `
vrrp_instance VI_1 {
  virtual_ipaddress {
    = 10.0.0.1
    = 10.0.0.2
  }
}
`},
		{name: "definition as a parameter", in: "$N=2\n~SEQ(i, $N) global_defs { router_id $i }\n",
			tree: `
global_defs {
  router_id 1
}
global_defs {
  router_id 2
}
`},
		{name: "lines starting with ~ are not substituted", in: "$A=1\nglobal_defs {\n~x $A\n}\n",
			tree: `
global_defs {
  ~x $A
}
`},
		{name: "invalid", in: "~SEQ(i, 1, 0, 2) x\n~LST(i) x\n",
			tree: "", diags: []string{"invalid-generator@1", "invalid-generator@2"}},
	})
}

// TestLexGeneratorLimit: one ~SEQ produces at most 10000 lines.
func TestLexGeneratorLimit(t *testing.T) {
	doc := lxParse("~SEQ(i, 1, 20000) global_defs { }\n", parser.Options{})
	n := 0
	for _, u := range doc.Units() {
		n += len(u.Nodes)
	}
	if n != 10000 {
		t.Errorf("~SEQ(i, 1, 20000) produced %d nodes, want the limit 10000", n)
	}
	if d := lxDiags(doc); len(d) != 1 || d[0] != "invalid-generator@1" {
		t.Errorf("diagnostics = %q, want one invalid-generator", d)
	}
}

func TestLexUndefinedParameters(t *testing.T) {
	lxRun(t, []lxCase{
		{name: "in a statement", in: "global_defs {\n  router_id $NOPE\n}\n",
			tree: `
global_defs {
  router_id $NOPE
}
`, diags: []string{"undefined-parameter@2"}},
		{name: "not reported on script lines", in: "vrrp_script s {\n  script \"/bin/sh -c 'echo $HOME'\"\n}\n",
			tree: `
vrrp_script s {
  script "/bin/sh -c 'echo $HOME'"
}
`},
		{name: "in a value block", in: "vrrp_instance VI_1 {\n  virtual_ipaddress {\n    $NOPE\n  }\n}\n",
			tree: `
vrrp_instance VI_1 {
  virtual_ipaddress {
    = $NOPE
  }
}
`, diags: []string{"undefined-parameter@3"}},
		{name: "in an include line", in: "include ${NOPE}.conf\n",
			tree: `
include: ${NOPE}.conf
`, diags: []string{"include-not-found@1", "undefined-parameter@1"}},
	})
}

func TestLexIncludeDirectives(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.conf", "global_defs {\n  router_id a\n}\n")
	opts := parser.Options{Dir: dir}
	lxRun(t, []lxCase{
		{name: "variants", opts: opts, in: "include a.conf\nincluder a.conf\nincludem a.conf\nincludew a.conf\nincludeb a.conf\nincludea\ta.conf\n",
			tree: strings.Repeat("include: a.conf\n  global_defs {\n    router_id a\n  }\n", 6)},
		{name: "not includes", opts: opts, in: "includex a.conf\ninclude_a.conf\nInclude a.conf\n",
			tree: `
includex a.conf
include_a.conf
Include a.conf
`},
		{name: "pattern is verbatim", opts: opts, in: "include a.conf   extra words\n",
			tree: `
include: a.conf   extra words
`, diags: []string{"include-not-found@1"}},
		{name: "comment after the pattern", opts: opts, in: "include a.conf # c\n",
			tree: `
include: a.conf
  global_defs {
    router_id a
  }
`},
		{name: "absolute path", in: "include " + filepath.Join(dir, "a.conf") + "\n",
			tree: `
include: ` + filepath.Join(dir, "a.conf") + `
  global_defs {
    router_id a
  }
`},
		{name: "substituted pattern", opts: opts, in: "$F=a\ninclude ${F}.conf\n",
			tree: `
include: a.conf
  global_defs {
    router_id a
  }
`},
		{name: "relative include of an unsaved buffer", in: "include a.conf\n",
			tree: `
include: a.conf
`, diags: []string{"include-not-found@1"}},
	})
	// An unsaved buffer (relative path, no Dir) cannot resolve relative
	// includes: that is information, not an error.
	doc := parser.Parse("untitled", []byte("include a.conf\n"), parser.Options{})
	if d := doc.Units()[0].Diags; len(d) != 1 || d[0].Severity != parser.Information {
		t.Errorf("relative include in an unsaved buffer: %+v, want one information", d)
	}
}

// TestIncludeFiles exercises includes on a temporary tree: executable and
// directory matches are skipped, a document including itself is a cycle,
// nesting is bounded, definitions and ${_PWD} follow the included file.
func TestIncludeFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string, mode os.FileMode) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
	}
	write("conf.d/a.conf", "vrrp_script a {\n  script /bin/true\n}\n", 0o644)
	write("conf.d/exec.conf", "vrrp_script x {\n  script /bin/true\n}\n", 0o755)
	if err := os.MkdirAll(filepath.Join(dir, "conf.d", "sub.conf"), 0o755); err != nil {
		t.Fatal(err)
	}
	write("conf.d/pwd.conf", "global_defs {\n  router_id ${_PWD}\n}\n", 0o644)
	main := filepath.Join(dir, "keepalived.conf")

	t.Run("executable and directory skipped", func(t *testing.T) {
		doc := parser.Parse(main, []byte("include conf.d/*.conf\n"), parser.Options{})
		got := lxSummary(doc)
		want := "include: conf.d/*.conf\n  vrrp_script a {\n    script /bin/true\n  }\n" +
			"  global_defs {\n    router_id " + filepath.Join(dir, "conf.d") + "\n  }\n"
		if got != want {
			t.Errorf("tree:\n%s\nwant:\n%s", got, want)
		}
		var skipped []string
		for _, d := range doc.Units()[0].Diags {
			if d.Rule == "include-skipped" {
				skipped = append(skipped, d.Message)
			}
		}
		if len(skipped) != 2 || !strings.Contains(skipped[0], "exec.conf") || !strings.Contains(skipped[1], "sub.conf") {
			t.Errorf("include-skipped diagnostics = %q, want exec.conf then sub.conf", skipped)
		}
		inc := doc.Units()[0].Nodes[0]
		if files := inc.Files(); len(files) != 2 {
			t.Errorf("Files() = %d files, want 2 (a.conf, pwd.conf)", len(files))
		}
	})
	t.Run("executable named directly", func(t *testing.T) {
		doc := parser.Parse(main, []byte("include conf.d/exec.conf\n"), parser.Options{})
		if d := lxDiags(doc); len(d) != 1 || d[0] != "include-skipped@1" {
			t.Errorf("diagnostics = %q, want include-skipped@1", d)
		}
	})
	t.Run("pwd is the included file's directory", func(t *testing.T) {
		// Definitions keep their text until used: $P expands where it is
		// used, in the main file.
		doc := parser.Parse(main, []byte("$P=${_PWD}\ninclude conf.d/pwd.conf\nglobal_defs {\n  router_id $P\n}\n"), parser.Options{})
		want := "include: conf.d/pwd.conf\n  global_defs {\n    router_id " + filepath.Join(dir, "conf.d") + "\n  }\nglobal_defs {\n  router_id " + dir + "\n}\n"
		if got := lxSummary(doc); got != want {
			t.Errorf("tree:\n%s\nwant:\n%s", got, want)
		}
	})
	t.Run("self include is a cycle", func(t *testing.T) {
		text := "include keepalived.conf\n"
		write("keepalived.conf", text, 0o644)
		doc := parser.Parse(main, []byte(text), parser.Options{})
		if d := lxDiags(doc); len(d) != 1 || d[0] != "include-cycle@1" {
			t.Errorf("diagnostics = %q, want include-cycle@1", d)
		}
	})
	t.Run("nesting is bounded", func(t *testing.T) {
		for i := 0; i < 40; i++ {
			write(fmt.Sprintf("deep/%d.conf", i), fmt.Sprintf("include %d.conf\n", i+1), 0o644)
		}
		doc := parser.Parse(main, []byte("include deep/0.conf\n"), parser.Options{})
		found := false
		for _, d := range doc.Units()[0].Diags {
			if d.Rule == "include-cycle" && strings.Contains(d.Message, "levels") {
				found = true
			}
		}
		if !found {
			t.Errorf("no nesting-depth diagnostic:\n%s", doc.Dump())
		}
	})
}

// lxFS is an in-memory FS.
type lxFS map[string]string

func (m lxFS) ReadFile(p string) ([]byte, error) {
	if s, ok := m[p]; ok {
		return []byte(s), nil
	}
	return nil, os.ErrNotExist
}

func (m lxFS) Stat(p string) (os.FileInfo, error) {
	if _, ok := m[p]; ok {
		return lxInfo(filepath.Base(p)), nil
	}
	for k := range m {
		if strings.HasPrefix(k, p+"/") {
			return lxInfo(filepath.Base(p) + "/"), nil
		}
	}
	return nil, os.ErrNotExist
}

func (m lxFS) Glob(pattern string) ([]string, error) {
	var out []string
	for k := range m {
		if ok, _ := filepath.Match(pattern, k); ok {
			out = append(out, k)
		}
	}
	return out, nil
}

// TestIncludeCustomFS reads includes through Options.FS (the language
// server's open buffers), in sorted glob order.
func TestIncludeCustomFS(t *testing.T) {
	fsys := lxFS{
		"/cfg/d/b.conf": "vrrp_script b {\n}\n",
		"/cfg/d/a.conf": "vrrp_script a {\n}\n",
	}
	doc := parser.Parse("/cfg/keepalived.conf", []byte("include d/*.conf\n"), parser.Options{FS: fsys})
	want := "include: d/*.conf\n  vrrp_script a {\n  }\n  vrrp_script b {\n  }\n"
	if got := lxSummary(doc); got != want {
		t.Errorf("tree:\n%s\nwant:\n%s", got, want)
	}
	if got := doc.IncludedFiles(); len(got) != 2 || got[0] != "/cfg/d/a.conf" || got[1] != "/cfg/d/b.conf" {
		t.Errorf("IncludedFiles() = %q", got)
	}
}

// lxInfo is a file ("name") or directory ("name/") for lxFS.
type lxInfo string

func (i lxInfo) Name() string       { return strings.TrimSuffix(string(i), "/") }
func (i lxInfo) Size() int64        { return 0 }
func (i lxInfo) ModTime() time.Time { return time.Time{} }
func (i lxInfo) IsDir() bool        { return strings.HasSuffix(string(i), "/") }
func (i lxInfo) Sys() any           { return nil }
func (i lxInfo) Mode() os.FileMode {
	if i.IsDir() {
		return os.ModeDir | 0o755
	}
	return 0o644
}

// TestIncludeSeverity: whether a missing or skipped include is an error
// (fatal for keepalived -t) depends on the directive, as keepalived's
// file_config_error() classes: include (none), includer (R), includem (R|M),
// includeb (R|B), includew (R|M|W), includea (R|M|W|B). A missing file or
// directory is class M (B when the pattern has braces), an unmatched
// wildcard W, a partly matched brace pattern B, a skipped directory or
// executable R. Every row was checked with keepalived 2.2.7 (exit status 6
// for an error, 0 otherwise).
func TestIncludeSeverity(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.conf"), []byte("global_defs {\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "x.conf"), []byte("global_defs {\n}\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(dir, "x.conf"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		line  string
		error bool
		bug   string
	}{
		{"include nope.conf", false, ""},
		{"includer nope.conf", false, "a missing file named by includer is reported as an error; for keepalived it is not (class M, includer has only R)"},
		{"includem nope.conf", true, ""},
		{"includeb nope.conf", false, "a missing file named by includeb is reported as an error; for keepalived it is not (class M, includeb has R|B)"},
		{"includew nope.conf", true, ""},
		{"includea nope.conf", true, ""},
		{"includer nodir/*.conf", false, "a missing directory in an includer pattern is reported as an error; for keepalived it is not (class M)"},
		{"includem nodir/*.conf", true, ""},
		{"include *.nothing", false, ""},
		{"includem *.nothing", false, ""},
		{"includew *.nothing", true, ""},
		{"include {a,nope}.conf", false, ""},
		{"includeb {a,nope}.conf", true, `a brace pattern with a missing alternative ('includeb {a,nope}.conf') gets no diagnostic; keepalived reports "Some config files missing" as an error for includeb/includea`},
		{"includea {a,nope}.conf", true, `a brace pattern with a missing alternative ('includea {a,nope}.conf') gets no diagnostic; keepalived reports "Some config files missing" as an error for includeb/includea`},
		{"include x.conf", false, ""},
		{"includer x.conf", true, "an executable file skipped by includer is only a warning; for keepalived it is an error (class R)"},
		{"include sub", false, ""},
		{"includer sub", true, "a directory skipped by includer is only information; for keepalived it is an error (class R)"},
	} {
		t.Run(c.line, func(t *testing.T) {
			doc := parser.Parse(filepath.Join(dir, "main.conf"), []byte(c.line+"\n"), parser.Options{})
			gotError := false
			var all []string
			for _, d := range doc.Units()[0].Diags {
				all = append(all, d.Severity.String()+" "+d.Message)
				if d.Severity == parser.Error && strings.HasPrefix(d.Rule, "include-") {
					gotError = true
				}
			}
			if gotError != c.error {
				t.Errorf("%q: error = %v, want %v (diagnostics %q)", c.line, gotError, c.error, all)
			}
		})
	}
}

// TestIncludeCheckIncremental: include_check in global_defs changes how the
// includes of later statements are graded, so an edit of it must reparse
// them (its state travels with the $NAME definitions between statements).
func TestIncludeCheckIncremental(t *testing.T) {
	dir := t.TempDir()
	text := "global_defs {\n  include_check\n}\n\ninclude nope.conf\n"
	sev := func(d *parser.Doc) []string {
		var out []string
		for i, u := range d.Units() {
			for _, dg := range u.Diags {
				out = append(out, fmt.Sprintf("%d:%s %s", d.UnitLine(i)+dg.Span.Start.Line+1, dg.Severity, dg.Rule))
			}
		}
		return out
	}
	path := filepath.Join(dir, "main.conf")
	doc := parser.Parse(path, []byte(text), parser.Options{})
	if got, want := sev(doc), []string{"5:error include-not-found"}; !slices.Equal(got, want) {
		t.Fatalf("with include_check: %q, want %q", got, want)
	}
	// Turn it into include_check -read (nothing strict): type over "include_check".
	edited := doc.Edit(parser.Pos{Line: 1, Col: 15}, parser.Pos{Line: 1, Col: 15}, []byte(" -read"))
	if got, want := sev(edited), []string{"5:warning include-not-found"}; !slices.Equal(got, want) {
		t.Errorf("after the edit: %q, want %q", got, want)
	}
	if got, want := string(edited.Text()), strings.Replace(text, "include_check", "include_check -read", 1); got != want {
		t.Fatalf("edited text %q", got)
	}
	if got, want := sev(edited), sev(parser.Parse(path, edited.Text(), parser.Options{})); !slices.Equal(got, want) {
		t.Errorf("incremental %q, full parse %q", got, want)
	}
}
