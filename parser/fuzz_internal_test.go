package parser

// Fuzz targets of the reader's internals (the lexer: decomment and
// tokenize) and of incremental reparsing, and the seed helpers shared with
// the other fuzz targets. tools/fuzz.sh runs every fuzz target for a
// bounded time; crashers it finds are stored in testdata/fuzz/FuzzX/ and
// run as regression tests by a plain go test.

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/keepalived-ls/keepalived-ls/internal/testenv"
)

// CorpusSeeds returns the texts the parser's fuzz targets start from: the
// repository's configurations and, when present, the shared corpus (see
// testenv.CorpusSeeds).
func CorpusSeeds(tb testing.TB, maxSize int) [][]byte {
	tb.Helper()
	return testenv.CorpusSeeds(tb, int64(maxSize),
		"testdata/parser/*.conf", "testdata/parser/inc/*", "testdata/format/*.conf",
		"testdata/check/*/*.conf", "examples/*.conf")
}

// FuzzLexer: decomment and tokenize, the lexer of one physical line.
//   - The fast path physLine takes for lines without backslashes
//     (simpleDecomment) gives what the general decomment gives.
//   - Every column the mapped text reports lies inside the line, in order.
//   - Tokens are in order, do not overlap, and their text is what the line
//     holds between their bounds (without the quotes of a quoted word).
func FuzzLexer(f *testing.F) {
	for _, s := range []string{
		"", "a b c", "  key \"quoted # word\" # comment", "x \\# y ! z", "a\\", "\"open", "{}{\"}\"}",
		"notify \"/bin/echo '{'\" root", "$A=b \\", "\t\f\v word\r", "日本 😀 \xff\xfe", "a\"b\"c",
	} {
		f.Add([]byte(s), false)
	}
	for _, b := range CorpusSeeds(f, 4096) {
		for i, line := range bytes.Split(b, []byte("\n")) {
			if i%7 == 0 && len(line) > 0 {
				f.Add(line, i%2 == 0)
			}
		}
	}
	f.Fuzz(func(t *testing.T, raw []byte, legacy bool) {
		if len(raw) > 4096 {
			raw = raw[:4096]
		}
		raw = bytes.ReplaceAll(raw, []byte("\n"), nil) // one physical line
		in := append([]byte(nil), raw...)
		d := decomment(literalText(raw, 0), legacy)
		checkMapped(t, "decomment", raw, d.text)
		if d.comment < -1 || int(d.comment) > len(raw) {
			t.Fatalf("comment column %d outside the line (%d bytes)", d.comment, len(raw))
		}
		if bytes.IndexByte(raw, '\\') < 0 {
			// physLine's fast path must agree with decomment.
			cut, quote := -1, false
			for i, c := range raw {
				switch c {
				case '"':
					if cut < 0 {
						quote = !quote
					}
				case '#', '!':
					if cut < 0 && !quote {
						cut = i
					}
				}
			}
			s := simpleDecomment(raw, cut)
			s.unterminated = quote
			if !bytes.Equal(s.text.b, d.text.b) || s.comment != d.comment || s.unterminated != d.unterminated {
				t.Fatalf("simpleDecomment %q comment %d unterminated %v; decomment %q comment %d unterminated %v",
					s.text.b, s.comment, s.unterminated, d.text.b, d.comment, d.unterminated)
			}
			checkMapped(t, "simpleDecomment", raw, s.text)
		}
		toks := tokenize(d.text.b, nil)
		prev := 0
		for k, tk := range toks {
			if tk.i < prev || tk.j <= tk.i || tk.j > len(d.text.b) {
				t.Fatalf("token %d %q has bounds %d-%d (previous ends at %d, text %d bytes)", k, tk.text, tk.i, tk.j, prev, len(d.text.b))
			}
			prev = tk.j
			body := d.text.b[tk.i:tk.j]
			switch {
			case tk.brace != 0:
				if len(body) != 1 || body[0] != tk.brace {
					t.Fatalf("brace token %d is %q", k, body)
				}
			case tk.quoted:
				want := body[1:]
				if !tk.open {
					want = body[1 : len(body)-1]
				}
				if tk.text != string(want) {
					t.Fatalf("quoted token %d is %q, the text holds %q", k, tk.text, body)
				}
			default:
				if tk.text != string(body) || bytes.ContainsAny(body, " \t\"{}") {
					t.Fatalf("word token %d is %q, the text holds %q", k, tk.text, body)
				}
			}
			a, e := d.text.srcSpan(tk.i, tk.j)
			if a < 0 || e < a || int(e) > len(raw) {
				t.Fatalf("token %d %q maps to columns %d-%d of a %d-byte line", k, tk.text, a, e, len(raw))
			}
		}
		if !bytes.Equal(raw, in) {
			t.Fatal("the lexer modified its input")
		}
	})
}

// checkMapped verifies a mapped text's columns: inside the line and in order.
func checkMapped(t *testing.T, what string, raw []byte, m mtext) {
	t.Helper()
	last := int32(0)
	for i := 0; i <= len(m.b); i++ {
		a, e := m.srcSpan(i, i)
		if a != e || a < 0 || int(a) > len(raw) {
			t.Fatalf("%s: byte %d of %q maps to columns %d-%d of a %d-byte line", what, i, m.b, a, e, len(raw))
		}
		if a < last {
			t.Fatalf("%s: byte %d of %q maps to column %d, before byte %d's column %d", what, i, m.b, a, i-1, last)
		}
		last = a
	}
	if m.segs == nil && !bytes.Equal(m.b, raw[m.base:int(m.base)+len(m.b)]) {
		t.Fatalf("%s: unmapped text %q is not the line's bytes at %d", what, m.b, m.base)
	}
}

// editScript decodes a fuzz input into edits of a document: each edit takes
// five bytes (line, column, kind, extent, text) and the text bytes after
// them. Most text bytes select one of the fragments (braces, keywords,
// definitions, conditionals, generators...); the others are inserted as
// they are.
type editScript struct{ b []byte }

func (s *editScript) next(d *Doc) (a, b Pos, text []byte, ok bool) {
	if len(s.b) < 5 {
		return Pos{}, Pos{}, nil, false
	}
	op := s.b[:5]
	s.b = s.b[5:]
	pos := func(lnByte, colByte byte) Pos {
		ln := int(lnByte) % d.LineCount()
		line := d.Line(ln)
		col := int(colByte) % (len(line) + 1)
		for col > 0 && col < len(line) && !utf8.RuneStart(line[col]) {
			col--
		}
		return Pos{int32(ln), int32(col)}
	}
	a = pos(op[0], op[1])
	b = a
	switch op[2] % 4 {
	case 0: // insertion
	case 1: // deletion on one line
		line := d.Line(int(a.Line))
		b.Col = min(int32(len(line)), a.Col+int32(op[3]%16))
	default: // a range over several lines
		b = pos(byte(int(op[0])+int(op[3]%8)), op[3])
		if b.Less(a) {
			a, b = b, a
		}
	}
	n := int(op[4] % 6)
	for ; n > 0 && len(s.b) > 0; n-- {
		c := s.b[0]
		s.b = s.b[1:]
		if c < 0xc0 {
			text = append(text, fuzzFragments[int(c)%len(fuzzFragments)]...)
		} else {
			text = append(text, c&0x7f)
		}
	}
	return a, b, text, true
}

// docFacts renders what Dump leaves out: the units' definitions,
// references, conditionals, generators and included files, with absolute
// lines.
func docFacts(d *Doc) string {
	var sb strings.Builder
	f := d.list.flatten()
	for i, u := range f.units {
		base := f.first[i]
		sh := func(src *Source, s Span) string {
			if src == nil {
				return spanString(s.Shift(base))
			}
			return src.Path + ":" + spanString(s)
		}
		for _, x := range u.Definitions {
			fmt.Fprintf(&sb, "define %s %s = %q\n", sh(x.Src, x.Span), x.Name, x.Value)
		}
		for _, x := range u.Refs {
			fmt.Fprintf(&sb, "ref %s %s defined=%v builtin=%v\n", sh(x.Src, x.Span), x.Name, x.Defined, x.Builtin)
		}
		for _, x := range u.Conditionals {
			fmt.Fprintf(&sb, "conditional %s %s negated=%v active=%v\n", sh(x.Src, x.Span), x.ID, x.Negated, x.Active)
		}
		for _, x := range u.Generators {
			fmt.Fprintf(&sb, "generator %s %d\n", sh(x.Src, x.Span), x.Count)
		}
		for _, x := range u.Includes {
			fmt.Fprintf(&sb, "read %s\n", x)
		}
	}
	return sb.String()
}

// fuzzFragments are the edit texts of FuzzIncremental: the random edits'
// fragments and includes of incrementalFS.
var fuzzFragments = append(append([]string(nil), fragments...),
	"include inc/*.conf\n", "include inc/rs.conf\n", "include inc/defs.conf\n", "include inc/open.conf\n",
	"include inc/loop.conf\n", "$VIPS", "${IF}", "~LST(v,a,b) ", "$M=a \\\n", "@^node1 ", "virtual_server 10.0.0.1 80 {\n")

// incrementalFS holds the files the incremental fuzz target's includes read.
var incrementalFS = memFS{files: map[string][]byte{
	"/etc/keepalived/inc/rs.conf":   []byte("real_server 10.0.0.2 80 {\n  weight 1\n}\n"),
	"/etc/keepalived/inc/defs.conf": []byte("$IF=eth1\n$VIPS=192.0.2.7 \\\n192.0.2.8\n"),
	"/etc/keepalived/inc/open.conf": []byte("vrrp_instance VI_3 {\n  state BACKUP\n"),
	"/etc/keepalived/inc/loop.conf": []byte("include loop.conf\n"),
}}

// FuzzIncremental applies a script of edits (see editScript) to a document
// and checks after each edit that the incrementally reparsed document equals
// a full parse of the same text: the text, the tree and diagnostics (Dump)
// and the definitions, references, conditionals, generators and included
// files.
func FuzzIncremental(f *testing.F) {
	scripts := [][]byte{
		{0, 0, 0, 0, 1, 0},
		{3, 2, 1, 4, 0, 5, 7, 9, 2, 3, 2, 1, 1},
		{1, 200, 2, 5, 5, 15, 16, 23, 24, 25, 2, 0, 3, 3, 2, 26, 27},
		{9, 9, 3, 7, 3, 21, 22, 'z', 4, 4, 0, 0, 1, 0},
		{0, 1, 0, 0, 2, 0xc0 | '{', 0xc0 | '\n', 5, 5, 2, 9, 1, 1},
	}
	for i, b := range CorpusSeeds(f, 16<<10) {
		f.Add(b, scripts[i%len(scripts)], i%2 == 0)
	}
	f.Add([]byte(""), []byte{0, 0, 0, 0, 3, 15, 1, 2}, false)
	f.Add([]byte("include inc/*.conf\nvirtual_server 10.0.0.1 80 {\n include inc/rs.conf\n}\n"), scripts[2], true)
	f.Add([]byte("include inc/defs.conf\nvrrp_instance VI_1 {\n interface $IF\n virtual_ipaddress {\n  $VIPS\n }\n}\n"), scripts[3], false)
	f.Fuzz(func(t *testing.T, text, script []byte, id bool) {
		if len(text) > 64<<10 || len(script) > 200 {
			return
		}
		opts := Options{FS: incrementalFS}
		if id {
			opts.ConfigID = "node1"
		}
		const path = "/etc/keepalived/keepalived.conf"
		d := Parse(path, append([]byte(nil), text...), opts)
		s := editScript{b: script}
		for i := 0; ; i++ {
			a, b, ins, ok := s.next(d)
			if !ok {
				break
			}
			want := applyEdit(d, a, b, ins)
			inc := d.Edit(a, b, ins)
			full := Parse(path, want, opts)
			if got := inc.Text(); !bytes.Equal(got, want) {
				t.Fatalf("edit %d (%v-%v %q): text differs\ngot:  %q\nwant: %q", i, a, b, ins, got, want)
			}
			if inc.LineCount() != full.LineCount() || inc.Size() != full.Size() {
				t.Fatalf("edit %d (%v-%v %q): %d lines, %d bytes; a full parse has %d lines, %d bytes",
					i, a, b, ins, inc.LineCount(), inc.Size(), full.LineCount(), full.Size())
			}
			if gd, fd := inc.Dump(), full.Dump(); gd != fd {
				t.Fatalf("edit %d (%v-%v %q): incremental parse differs from a full parse\n%s\n--- text\n%s",
					i, a, b, ins, firstDifference(gd, fd), want)
			}
			if gf, ff := docFacts(inc), docFacts(full); gf != ff {
				t.Fatalf("edit %d (%v-%v %q): incremental facts differ from a full parse\n%s\n--- text\n%s",
					i, a, b, ins, firstDifference(gf, ff), want)
			}
			d = inc
		}
	})
}

// firstDifference shows the first differing line of two dumps.
func firstDifference(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var x, y string
		if i < len(g) {
			x = g[i]
		}
		if i < len(w) {
			y = w[i]
		}
		if x != y {
			return fmt.Sprintf("line %d:\n  incremental: %s\n  full:        %s", i+1, x, y)
		}
	}
	return "no difference"
}

// TestGlobLimit: a pattern whose wildcards reach more directory entries
// than the limit reads what matched up to there and says so. (The limit is
// 100,000; the test lowers it.)
func TestGlobLimit(t *testing.T) {
	dir := t.TempDir()
	for i := 0; i < 20; i++ {
		sub := filepath.Join(dir, "d", fmt.Sprintf("s%02d", i))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		for k := 0; k < 20; k++ {
			if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("f%02d.conf", k)), []byte("vrrp_script s {\n}\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	defer func(n int) { maxGlobEntries = n }(maxGlobEntries)
	maxGlobEntries = 100
	m, err := OSFS{}.Glob(filepath.Join(dir, "d", "*", "*.conf"))
	if err != ErrGlobLimit || len(m) == 0 || len(m) >= 400 {
		t.Fatalf("Glob: %d matches, %v; want some of the 400 and ErrGlobLimit", len(m), err)
	}
	doc := Parse(filepath.Join(dir, "keepalived.conf"), []byte("include d/*/*.conf\n"), Options{})
	want := "the wildcards of 'd/*/*.conf' reach more than 100 directory entries; keepalived-ls reads only what matched up to there"
	var found bool
	for _, d := range doc.Units()[0].Diags {
		found = found || d.Message == want && d.Rule == "include-not-found" && d.Severity == Warning
	}
	if !found || len(doc.IncludedFiles()) != len(m) {
		t.Errorf("read %d files, want %d, with the diagnostic %q:\n%s", len(doc.IncludedFiles()), len(m), want, doc.Dump())
	}
}
