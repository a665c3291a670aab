package parser_test

// Exact positions: token spans are byte columns of the source line, and the
// column helpers convert between bytes, UTF-16 code units (LSP) and runes.

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/keepalived-ls/keepalived-ls/parser"
)

// posSpan builds a one-line span from 0-based line and byte columns.
func posSpan(line, from, to int) parser.Span {
	return parser.Span{Start: parser.Pos{Line: int32(line), Col: int32(from)}, End: parser.Pos{Line: int32(line), Col: int32(to)}}
}

// posFind returns the first statement or block with the keyword, anywhere
// in the document's own tree, and the absolute line offset of its unit.
func posFind(doc *parser.Doc, keyword string) (*parser.Node, int32) {
	var found *parser.Node
	var walk func(ns []*parser.Node)
	walk = func(ns []*parser.Node) {
		for _, n := range ns {
			if found != nil {
				return
			}
			if n.Keyword.Text == keyword && n.Kind != parser.Include {
				found = n
				return
			}
			walk(n.Children)
		}
	}
	for i, u := range doc.Units() {
		walk(u.Nodes)
		if found != nil {
			return found, doc.UnitLine(i)
		}
	}
	return nil, 0
}

type posTok struct {
	text string
	span parser.Span // absolute
}

func posTokens(t *testing.T, doc *parser.Doc, keyword string) []posTok {
	t.Helper()
	n, base := posFind(doc, keyword)
	if n == nil {
		t.Fatalf("no %q in\n%s", keyword, doc.Dump())
	}
	var out []posTok
	for _, tk := range append([]parser.Token{n.Keyword}, n.Args...) {
		s := tk.Span
		if n.Src == nil {
			s = s.Shift(base)
		}
		out = append(out, posTok{tk.Text, s})
	}
	return out
}

func posCheck(t *testing.T, got []posTok, want ...posTok) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("tokens\n got %v\nwant %v", got, want)
	}
}

func TestPositionsNonASCII(t *testing.T) {
	// Columns are bytes: 😀 is 4 bytes, 日 and 本 3 each.
	line := "    smtp_helo_name \"😀日本\" 名前x # 🎉"
	doc := lxParse("global_defs {\n"+line+"\n}\n", parser.Options{})
	toks := posTokens(t, doc, "smtp_helo_name")
	posCheck(t, toks,
		posTok{"smtp_helo_name", posSpan(1, 4, 18)},
		posTok{"😀日本", posSpan(1, 19, 31)},
		posTok{"名前x", posSpan(1, 32, 39)},
	)
	src := []byte(line)
	// In UTF-16 the emoji is a surrogate pair (2 units), CJK 1 unit each.
	for _, c := range []struct{ byteCol, utf16, runes int }{
		{19, 19, 19}, {20, 20, 20}, {24, 22, 21}, {31, 25, 24}, {32, 26, 25}, {39, 29, 28}, {40, 30, 29}, {len(src), 34, 32},
	} {
		if got := parser.UTF16Col(src, c.byteCol); got != c.utf16 {
			t.Errorf("UTF16Col(%d) = %d, want %d", c.byteCol, got, c.utf16)
		}
		if got := parser.ByteCol(src, c.utf16); got != c.byteCol {
			t.Errorf("ByteCol(%d) = %d, want %d", c.utf16, got, c.byteCol)
		}
		if got := parser.RuneCol(src, c.byteCol); got != c.runes {
			t.Errorf("RuneCol(%d) = %d, want %d", c.byteCol, got, c.runes)
		}
	}
	// The comment starts at the '#'.
	cs := doc.Units()[0].Comments
	if len(cs) != 1 || cs[0] != posSpan(1, 40, len(line)) {
		t.Errorf("comments = %v, want [%v]", cs, posSpan(1, 40, len(line)))
	}
}

func TestPositionsTokens(t *testing.T) {
	t.Run("escapes keep source columns", func(t *testing.T) {
		doc := lxParse("global_defs {\n  router_id a\\#b\\!c d\n}\n", parser.Options{})
		posCheck(t, posTokens(t, doc, "router_id"),
			posTok{"router_id", posSpan(1, 2, 11)},
			posTok{"a#b!c", posSpan(1, 12, 19)},
			posTok{"d", posSpan(1, 20, 21)},
		)
	})
	t.Run("quoted word includes its quotes", func(t *testing.T) {
		doc := lxParse("global_defs {\n\trouter_id \"a b\"c\n}\n", parser.Options{})
		posCheck(t, posTokens(t, doc, "router_id"),
			posTok{"router_id", posSpan(1, 1, 10)},
			posTok{"a b", posSpan(1, 11, 16)},
			posTok{"c", posSpan(1, 16, 17)},
		)
	})
	t.Run("substituted word covers the reference", func(t *testing.T) {
		doc := lxParse("$X=long value\nglobal_defs {\n  router_id pre${X}post $X\n}\n", parser.Options{})
		posCheck(t, posTokens(t, doc, "router_id"),
			posTok{"router_id", posSpan(2, 2, 11)},
			posTok{"prelong", posSpan(2, 12, 19)},
			posTok{"valuepost", posSpan(2, 15, 23)},
			posTok{"long", posSpan(2, 24, 26)},
			posTok{"value", posSpan(2, 24, 26)},
		)
	})
	t.Run("braces split without blanks", func(t *testing.T) {
		doc := lxParse("vrrp_instance VI_1{state MASTER}\n", parser.Options{})
		n, _ := posFind(doc, "vrrp_instance")
		if n.OpenSpan() != posSpan(0, 18, 19) || n.CloseSpan() != posSpan(0, 31, 32) {
			t.Errorf("braces at %v %v", n.OpenSpan(), n.CloseSpan())
		}
		posCheck(t, posTokens(t, doc, "state"),
			posTok{"state", posSpan(0, 19, 24)},
			posTok{"MASTER", posSpan(0, 25, 31)},
		)
	})
	t.Run("CRLF", func(t *testing.T) {
		doc := lxParse("global_defs {\r\n  router_id a\r\n}\r\n", parser.Options{})
		posCheck(t, posTokens(t, doc, "router_id"),
			posTok{"router_id", posSpan(1, 2, 11)},
			posTok{"a", posSpan(1, 12, 13)},
		)
		if got := string(doc.Line(1)); got != "  router_id a" {
			t.Errorf("Line(1) = %q", got)
		}
	})
	t.Run("conditional prefix", func(t *testing.T) {
		doc := lxParse("@n1 global_defs {\n  @n1 router_id a\n}\n", parser.Options{ConfigID: "n1"})
		posCheck(t, posTokens(t, doc, "router_id"),
			posTok{"router_id", posSpan(1, 6, 15)},
			posTok{"a", posSpan(1, 16, 17)},
		)
	})
	t.Run("generated lines point at the template", func(t *testing.T) {
		doc := lxParse("~SEQ(i,1,2) global_defs { router_id r$i }\n", parser.Options{})
		posCheck(t, posTokens(t, doc, "router_id"),
			posTok{"router_id", posSpan(0, 26, 35)},
			posTok{"r1", posSpan(0, 36, 39)},
		)
	})
	t.Run("later units", func(t *testing.T) {
		doc := lxParse("# c\n\nglobal_defs {\n}\n\n\nvrrp_instance V {\n  state BACKUP\n}\n", parser.Options{})
		posCheck(t, posTokens(t, doc, "state"),
			posTok{"state", posSpan(7, 2, 7)},
			posTok{"BACKUP", posSpan(7, 8, 14)},
		)
	})
	t.Run("continuation backslash after blanks", func(t *testing.T) {
		// keepalived removes the blanks before a final backslash and keeps
		// the backslash on the last word: the word is "a\", written at 12-15.
		doc := lxParse("global_defs {\n  router_id a \\\n}\n", parser.Options{})
		toks := posTokens(t, doc, "router_id")
		if len(toks) != 2 || toks[1].text != `a\` {
			t.Fatalf("tokens %v, want router_id a\\", toks)
		}
		posCheck(t, toks, posTok{"router_id", posSpan(1, 2, 11)}, posTok{`a\`, posSpan(1, 12, 15)})
	})
}

// TestPositionsIncludedFile: nodes read from an include carry their file and
// absolute lines in it.
func TestPositionsIncludedFile(t *testing.T) {
	dir := goldenDir(t)
	doc := parser.Parse(filepath.Join(dir, "main.conf"), []byte("\n\nglobal_defs {\n}\nvirtual_server 10.0.0.1 80 {\n  include inc/rs.inc\n}\n"), parser.Options{})
	var inc *parser.Node
	for i, u := range doc.Units() {
		for _, vs := range u.Nodes {
			for _, n := range vs.Children {
				if n.Kind == parser.Include {
					inc = n
					if got := n.Keyword.Span.Shift(doc.UnitLine(i)); got != posSpan(5, 2, 9) {
						t.Errorf("include directive at %v", got)
					}
				}
			}
		}
	}
	if inc == nil || len(inc.Children) != 2 {
		t.Fatalf("include not read:\n%s", doc.Dump())
	}
	rs := inc.Children[1]
	if rs.Src == nil || rs.Src.Path != filepath.Join(dir, "inc", "rs.inc") {
		t.Fatalf("second real_server has Src %v", rs.Src)
	}
	if rs.Keyword.Span != posSpan(3, 0, 11) || rs.Args[0].Span != posSpan(3, 12, 21) || rs.Close != (parser.Pos{Line: 5, Col: 0}) {
		t.Errorf("real_server spans %v %v close %v", rs.Keyword.Span, rs.Args[0].Span, rs.Close)
	}
	if got := string(rs.Src.Line(3)); got != "real_server 10.0.0.12 80 {" {
		t.Errorf("Src.Line(3) = %q", got)
	}
}

// TestPositionsMatchSource: in every golden input and every corpus file, a
// token that was written literally (no quotes, escapes or substitution) is
// exactly the text at its span, and a quoted one is that text in quotes.
func TestPositionsMatchSource(t *testing.T) {
	dir, files := goldenInputs(t)
	check := func(t *testing.T, name string, doc *parser.Doc, fileText func(*parser.Source) func(int) []byte) {
		t.Helper()
		bad := 0
		checkTok := func(tk parser.Token, line []byte, where string) {
			if tk.Is(parser.Expanded) || bad > 5 {
				return
			}
			s := tk.Span
			if s.Start.Line != s.End.Line || s.Start.Col < 0 || s.Start.Col > s.End.Col || int(s.End.Col) > len(line) {
				t.Errorf("%s: token %q has span %v outside its line %q", where, tk.Text, s, line)
				bad++
				return
			}
			src := string(line[s.Start.Col:s.End.Col])
			want := tk.Text
			if tk.Is(parser.Quoted) {
				want = `"` + want
				if !tk.Is(parser.Unclosed) {
					want += `"`
				}
			}
			if strings.Contains(src, `\`) && !tk.Is(parser.Quoted) {
				return // \# and \! escapes, a continuation backslash
			}
			if src != want {
				t.Errorf("%s: token %q is written %q at %v", where, want, src, s)
				bad++
			}
		}
		for i, u := range doc.Units() {
			base := int(doc.UnitLine(i))
			var walk func(n *parser.Node)
			walk = func(n *parser.Node) {
				lineOf := func(ln int32) []byte {
					if n.Src == nil {
						return doc.Line(int(ln) + base)
					}
					return n.Src.Line(int(ln))
				}
				where := fmt.Sprintf("%s line %d", name, int(n.Keyword.Span.Start.Line)+1)
				if n.Src == nil {
					where = fmt.Sprintf("%s line %d", name, int(n.Keyword.Span.Start.Line)+base+1)
				}
				if n.Kind != parser.Include {
					checkTok(n.Keyword, lineOf(n.Keyword.Span.Start.Line), where)
					for _, a := range n.Args {
						checkTok(a, lineOf(a.Span.Start.Line), where)
					}
				}
				for _, v := range n.Values {
					for _, tk := range v.Tokens {
						var line []byte
						if v.Src == nil {
							line = doc.Line(int(tk.Span.Start.Line) + base)
						} else {
							line = v.Src.Line(int(tk.Span.Start.Line))
						}
						checkTok(tk, line, where)
					}
				}
				for _, c := range n.Children {
					walk(c)
				}
			}
			for _, n := range u.Nodes {
				walk(n)
			}
		}
	}
	for _, file := range files {
		text, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(file), ".conf")
		check(t, name, parser.Parse(file, text, goldenOptions(dir, name)), nil)
	}
	t.Run("corpus", func(t *testing.T) {
		for _, file := range robustCorpus(t) {
			text, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			check(t, filepath.Base(file), parser.Parse(file, text, parser.Options{FS: lxFS{}}), nil)
		}
	})
}

func TestColumnsRoundTrip(t *testing.T) {
	lines := []string{
		"",
		"plain ascii",
		"a😀b",
		"😀😀",
		"日本語 text",
		"é\u0301 combining",
		"\xff\xfe invalid",
		"trunc \xe6\x97",         // first two bytes of a 3-byte rune
		"surrogate \xed\xa0\x80", // an encoded UTF-16 surrogate is invalid UTF-8
		"replacement \uFFFD char",
		"tab\there\x00nul",
		"🇫🇷 flag 𝄞 clef",
	}
	for _, s := range lines {
		columnsCheck(t, []byte(s))
	}
}

// columnsCheck verifies the three column conversions against an independent
// computation for every byte column of line (and past its end).
func columnsCheck(t *testing.T, line []byte) {
	t.Helper()
	// Reference: UTF-16 units and runes before each rune boundary; an
	// invalid byte is one rune and one unit.
	u16 := map[int]int{0: 0}
	runes := map[int]int{0: 0}
	n16, nr := 0, 0
	for i := 0; i < len(line); {
		r, size := utf8.DecodeRune(line[i:])
		if r == utf8.RuneError && size <= 1 {
			n16++
		} else {
			n16 += len(utf16.Encode([]rune{r}))
		}
		nr++
		i += size
		u16[i], runes[i] = n16, nr
	}
	prev := 0
	for b := 0; b <= len(line)+2; b++ {
		got16 := parser.UTF16Col(line, b)
		if got16 < prev || got16 > n16 {
			t.Errorf("%q: UTF16Col(%d) = %d: not monotonic within [0, %d]", line, b, got16, n16)
		}
		prev = got16
		gotR := parser.RuneCol(line, b)
		if b > len(line) {
			if got16 != n16 || gotR != nr {
				t.Errorf("%q: past the end (%d): UTF16Col %d RuneCol %d, want %d %d", line, b, got16, gotR, n16, nr)
			}
			continue
		}
		want16, boundary := u16[b]
		if !boundary {
			continue
		}
		if got16 != want16 {
			t.Errorf("%q: UTF16Col(%d) = %d, want %d", line, b, got16, want16)
		}
		if gotR != runes[b] {
			t.Errorf("%q: RuneCol(%d) = %d, want %d", line, b, gotR, runes[b])
		}
		if back := parser.ByteCol(line, got16); back != b {
			t.Errorf("%q: ByteCol(UTF16Col(%d) = %d) = %d", line, b, got16, back)
		}
	}
	// Every UTF-16 column maps to a rune boundary at or before it; one
	// inside a surrogate pair rounds down; past the end clamps.
	for c := 0; c <= n16+2; c++ {
		b := parser.ByteCol(line, c)
		w, ok := u16[b]
		if !ok {
			t.Errorf("%q: ByteCol(%d) = %d is not a rune boundary", line, c, b)
			continue
		}
		if c <= n16 && (w > c || w < c-1) {
			t.Errorf("%q: ByteCol(%d) = %d, which is UTF-16 column %d", line, c, b, w)
		}
		if c >= n16 && b != len(line) {
			t.Errorf("%q: ByteCol(%d) past the end = %d, want %d", line, c, b, len(line))
		}
	}
}

func TestColumnsSurrogatePair(t *testing.T) {
	line := []byte("x😀y")
	for c16, want := range []int{0, 1, 1, 5, 6, 6} {
		if got := parser.ByteCol(line, c16); got != want {
			t.Errorf("ByteCol(%d) = %d, want %d", c16, got, want)
		}
	}
	if got := parser.UTF16Col(line, 5); got != 3 {
		t.Errorf("UTF16Col(5) = %d, want 3", got)
	}
	// A byte column inside the emoji is not a boundary; it must stay in range.
	for b := 2; b <= 4; b++ {
		if got := parser.UTF16Col(line, b); got < 1 || got > 3 {
			t.Errorf("UTF16Col(%d) = %d, want between 1 and 3", b, got)
		}
	}
}

func TestColumnsNegative(t *testing.T) {
	line := []byte("a😀")
	if got := parser.UTF16Col(line, -1); got != 0 {
		t.Errorf("UTF16Col(-1) = %d, want 0", got)
	}
	if got := parser.ByteCol(line, -1); got != 0 {
		t.Errorf("ByteCol(-1) = %d, want 0", got)
	}
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Errorf("RuneCol(-1) panics: %v", r)
			}
		}()
		if got := parser.RuneCol(line, -1); got != 0 {
			t.Errorf("RuneCol(-1) = %d, want 0", got)
		}
	}()
}

func FuzzColumns(f *testing.F) {
	for _, s := range []string{"", "a😀b", "日本", "\xff\xe6\x97", "\xed\xa0\x80x"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		if len(line) > 256 {
			line = line[:256]
		}
		columnsCheck(t, line)
	})
}

// TestLinesAndText: Line, LineCount and Text agree with the input for line
// ending variants.
func TestLinesAndText(t *testing.T) {
	for _, in := range []string{"", "\n", "a", "a\n", "a\r\nb", "a\r\n\r\n", "\r", "a\rb\n", "x\n\n\n"} {
		doc := lxParse(in, parser.Options{})
		if got := string(doc.Text()); got != in {
			t.Errorf("%q: Text() = %q", in, got)
		}
		lines := strings.Split(in, "\n")
		if doc.LineCount() != len(lines) {
			t.Errorf("%q: LineCount() = %d, want %d", in, doc.LineCount(), len(lines))
			continue
		}
		for i, l := range lines {
			want := strings.TrimSuffix(l, "\r")
			if got := doc.Line(i); !bytes.Equal(got, []byte(want)) {
				t.Errorf("%q: Line(%d) = %q, want %q", in, i, got, want)
			}
		}
		if doc.Line(-1) != nil || doc.Line(len(lines)) != nil {
			t.Errorf("%q: Line out of range is not nil", in)
		}
	}
}
