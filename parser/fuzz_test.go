package parser_test

// FuzzReader: the preprocessor (definitions, @ID, ~SEQ/~LST, $NAME,
// includes) on arbitrary text. See tools/fuzz.sh for running it.

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/keepalived-ls/keepalived-ls/parser"
)

// readerFragments are the preprocessor constructs FuzzReader splices into
// its input: byte 0x01 followed by a byte n stands for fragment n. Random
// bytes rarely spell "~SEQ(" or a definition that a later line refers to;
// fragments let the fuzzer combine them.
var readerFragments = []string{
	"$A=1", "$B=x y", "$C=$A$B", "$D={", "$E=}", "$F=a \\\n", "b \\\n", "c\n", "$G=${A} ${B}",
	"$A", "${A}", "${B}", "$C", "${D}", "$E", "$F", "${G}", "$NOPE", "${_PWD}", "${_INSTANCE}",
	"${_RANDOM 1 9}", "${_HASH}", "${_BANG}", "${_ENV}", "$A$A", "${A }", "$", "${",
	"@node1 ", "@^node1 ", "@other ", "@", "@^",
	"~SEQ(i,3) ", "~SEQ(i,1,3) ", "~SEQ(i,9,-3,1) ", "~SEQx(h,14,17) ", "~LST(v,a,b,c) ",
	"~LST({x,y},{1,2},{3,4}) ", "~SEQ(i,$A) ", "~SEQ(i,1,${A}) ", "~SEQ(j,2) ~LST(k,p,q) ", "$i", "${v}", "${x}${y}", "$h",
	"include inc/*.conf", "include inc/{a,b}.conf", "include inc/cycle/a.conf", "include inc/defs.inc",
	"include inc/unbalanced.inc", "includea inc/{a,z}.conf", "include /fuzz/keepalived.conf",
	"vrrp_instance VI_$i {", "virtual_ipaddress {", "192.0.2.$i/24", "global_defs {", "router_id $A", "}", "{",
	"notify \"/bin/echo $A\"", "# c $A", "! c", "\\#", "\"", "\n", " ", "\\\n", "\r\n",
}

// readerText expands the fragment escapes of a fuzz input.
func readerText(in []byte) []byte {
	if bytes.IndexByte(in, 1) < 0 {
		return in
	}
	var out []byte
	for i := 0; i < len(in); i++ {
		if in[i] == 1 && i+1 < len(in) {
			out = append(out, readerFragments[int(in[i+1])%len(readerFragments)]...)
			i++
			continue
		}
		out = append(out, in[i])
	}
	return out
}

// readerSeed writes fragments (by index) as a fuzz input.
func readerSeed(idx ...int) []byte {
	var out []byte
	for _, i := range idx {
		out = append(out, 1, byte(i))
	}
	return out
}

// FuzzReader parses preprocessor-heavy text and checks, beyond FuzzParse's
// invariants: the positions of definitions, references, conditionals and
// generators lie in the document; a generator never produces more than
// keepalived-ls's limit of lines; parsing is deterministic; and a streamed
// parse (ParseStream, which reuses its buffers from unit to unit, as the
// command line does) gives the units of Parse.
func FuzzReader(f *testing.F) {
	frag := func(s string) int {
		for i, x := range readerFragments {
			if x == s {
				return i
			}
		}
		f.Fatalf("no fragment %q", s)
		return 0
	}
	nl := frag("\n")
	f.Add(readerSeed(frag("$A=1"), nl, frag("global_defs {"), nl, frag("router_id $A"), nl, frag("}"), nl), "", false)
	f.Add(readerSeed(frag("$F=a \\\n"), frag("b \\\n"), frag("c\n"), frag("$F"), nl), "node1", false)
	f.Add(readerSeed(frag("~SEQ(i,3) "), frag("vrrp_instance VI_$i {"), frag("}"), nl), "", true)
	f.Add(readerSeed(frag("$D={"), nl, frag("vrrp_instance VI_$i {"), frag("${D}"), frag("$E"), nl), "", false)
	f.Add(readerSeed(frag("@node1 "), frag("include inc/*.conf"), nl, frag("@^node1 "), frag("$NOPE"), nl), "node1", false)
	f.Add(readerSeed(frag("~SEQ(j,2) ~LST(k,p,q) "), frag("$i"), frag("${v}"), nl, frag("$C=$A$B"), nl, frag("$C"), nl), "other", true)
	for _, s := range robustFragments {
		f.Add([]byte(s), "node1", false)
	}
	for _, b := range parser.CorpusSeeds(f, 16<<10) {
		if bytes.ContainsAny(b, "$@~") {
			f.Add(b, "", false)
		}
	}
	opts := robustOptions(f)
	f.Fuzz(func(t *testing.T, in []byte, id string, old bool) {
		if len(in) > 32<<10 || len(id) > 64 {
			return
		}
		text := readerText(in)
		o := opts[0]
		if old {
			o = opts[1]
		}
		o.ConfigID = id
		doc := robustCheck(t, "fuzz", text, o)
		readerFacts(t, doc)
		if again := parser.Parse(robustPath, text, o).Dump(); again != doc.Dump() {
			t.Fatalf("two parses of the same text differ")
		}
		var streamed []string
		parser.ParseStream(robustPath, text, o, func() { streamed = nil }, func(_ int, u *parser.Unit) {
			streamed = append(streamed, unitSummary(u))
		})
		units := doc.Units()
		if len(streamed) != len(units) {
			t.Fatalf("ParseStream gives %d units, Parse %d", len(streamed), len(units))
		}
		for i, u := range units {
			if s := unitSummary(u); s != streamed[i] {
				t.Fatalf("unit %d differs between ParseStream and Parse:\nstream:\n%s\nparse:\n%s", i, streamed[i], s)
			}
		}
	})
}

// readerFacts checks the preprocessor's records of a document.
func readerFacts(t *testing.T, doc *parser.Doc) {
	t.Helper()
	inDoc := func(what string, s parser.Span, base int32) {
		s = s.Shift(base)
		if s.End.Less(s.Start) || s.Start.Line < 0 || int(s.End.Line) >= doc.LineCount() ||
			s.Start.Col < 0 || int(s.Start.Col) > len(doc.Line(int(s.Start.Line))) || int(s.End.Col) > len(doc.Line(int(s.End.Line))) {
			t.Fatalf("%s span %v is outside the document", what, s)
		}
	}
	for i, u := range doc.Units() {
		base := doc.UnitLine(i)
		for _, d := range u.Definitions {
			if d.Src == nil {
				inDoc("definition "+d.Name, d.Span, base)
			}
			if d.Name == "" {
				t.Fatalf("definition without a name at %v", d.Span)
			}
		}
		for _, r := range u.Refs {
			if r.Src == nil {
				inDoc("reference "+r.Name, r.Span, base)
			}
		}
		for _, c := range u.Conditionals {
			if c.Src == nil {
				inDoc("conditional "+c.ID, c.Span, base)
			}
		}
		for _, g := range u.Generators {
			if g.Src == nil {
				inDoc("generator", g.Span, base)
			}
			if g.Count < 0 || g.Count > 10000 {
				t.Fatalf("generator at %v produces %d lines (limit 10000)", g.Span, g.Count)
			}
		}
	}
}

// unitSummary renders a unit with everything the analysis reads from it
// (positions relative to the unit), to compare units of different parses.
func unitSummary(u *parser.Unit) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%d lines %q\n", u.LineCount(), u.Text())
	var walk func(n *parser.Node, depth int)
	walk = func(n *parser.Node, depth int) {
		fmt.Fprintf(&sb, "%*s%v %q %v flags=%d open=%v close=%v src=%v", depth*2, "", n.Kind, n.Keyword.Text, n.Keyword.Span, n.Flags, n.Open, n.Close, srcPath(n.Src))
		if n.Schema != nil {
			sb.WriteString(" " + n.Schema.Path)
		}
		for _, a := range n.Args {
			fmt.Fprintf(&sb, " %q@%v/%d", a.Text, a.Span, a.Flags)
		}
		if n.Raw() != "" {
			fmt.Fprintf(&sb, " raw=%q", n.Raw())
		}
		for _, f := range n.Files() {
			fmt.Fprintf(&sb, " file=%s", f.Source.Path)
		}
		sb.WriteString("\n")
		for _, v := range n.Values {
			fmt.Fprintf(&sb, "%*s=", depth*2+2, "")
			for _, tk := range v.Tokens {
				fmt.Fprintf(&sb, " %q@%v/%d", tk.Text, tk.Span, tk.Flags)
			}
			sb.WriteString(" src=" + srcPath(v.Src) + "\n")
		}
		for _, c := range n.Children {
			walk(c, depth+1)
		}
	}
	for _, n := range u.Nodes {
		walk(n, 0)
	}
	for _, d := range u.Diags {
		fmt.Fprintf(&sb, "! %s %v %s %s %q related=%d fixes=%d\n", srcPath(d.Src), d.Span, d.Severity, d.Rule, d.Message, len(d.Related), len(d.Fixes))
	}
	fmt.Fprintf(&sb, "comments %v\ninactive %v\n", u.Comments, u.Inactive)
	for _, d := range u.Definitions {
		fmt.Fprintf(&sb, "define %s %v %s=%q\n", srcPath(d.Src), d.Span, d.Name, d.Value)
	}
	for _, r := range u.Refs {
		fmt.Fprintf(&sb, "ref %s %v %s %v %v\n", srcPath(r.Src), r.Span, r.Name, r.Defined, r.Builtin)
	}
	for _, c := range u.Conditionals {
		fmt.Fprintf(&sb, "cond %s %v %s %v %v\n", srcPath(c.Src), c.Span, c.ID, c.Negated, c.Active)
	}
	for _, g := range u.Generators {
		fmt.Fprintf(&sb, "gen %s %v %d\n", srcPath(g.Src), g.Span, g.Count)
	}
	fmt.Fprintf(&sb, "includes %v\n", u.Includes)
	return sb.String()
}

func srcPath(s *parser.Source) string {
	if s == nil {
		return "-"
	}
	return s.Path
}
