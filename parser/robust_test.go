package parser_test

// Robustness: Parse never panics, never loses the user's text and keeps
// every position inside the document, whatever the input.

import (
	"bytes"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/keepalived-ls/keepalived-ls/internal/testenv"
	"github.com/keepalived-ls/keepalived-ls/parser"
	"github.com/keepalived-ls/keepalived-ls/parser/schema"
)

// robustOptions are the option sets every robustness input is parsed with.
// Includes are read from an in-memory FS holding testdata/parser/inc, so
// random include patterns never touch the disk.
func robustOptions(t testing.TB) []parser.Options {
	fsys := robustFS(t)
	return []parser.Options{
		{FS: fsys},
		{FS: fsys, Version: schema.MustVersion("2.2.7"), ConfigID: "node1"},
	}
}

var robustFSCache lxFS

func robustFS(t testing.TB) lxFS {
	if robustFSCache != nil {
		return robustFSCache
	}
	fsys := lxFS{}
	root := goldenDir(t)
	err := filepath.Walk(filepath.Join(root, "inc"), func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		fsys["/fuzz/"+filepath.ToSlash(rel)] = string(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	robustFSCache = fsys
	return fsys
}

const robustPath = "/fuzz/keepalived.conf"

// robustCheck parses text and verifies the document's invariants.
func robustCheck(t testing.TB, name string, text []byte, opts parser.Options) *parser.Doc {
	t.Helper()
	input := append([]byte(nil), text...)
	var doc *parser.Doc
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("%s: Parse panics: %v\ninput %q", name, r, robustTrim(input))
			}
		}()
		doc = parser.Parse(robustPath, text, opts)
		_ = doc.Dump()
	}()
	if !bytes.Equal(text, input) {
		t.Fatalf("%s: Parse modified its input", name)
	}
	if got := doc.Text(); !bytes.Equal(got, input) {
		t.Fatalf("%s: Text() differs from the input\n got %q\nwant %q", name, robustTrim(got), robustTrim(input))
	}
	wantLines := bytes.Count(input, []byte("\n")) + 1
	if doc.LineCount() != wantLines {
		t.Fatalf("%s: LineCount() = %d, want %d", name, doc.LineCount(), wantLines)
	}
	total := 0
	for i, u := range doc.Units() {
		if int(doc.UnitLine(i)) != total {
			t.Fatalf("%s: unit %d starts at line %d, want %d", name, i, doc.UnitLine(i), total)
		}
		total += u.LineCount()
	}
	if total != wantLines {
		t.Fatalf("%s: units hold %d lines, want %d", name, total, wantLines)
	}
	robustSpans(t, name, doc)
	return doc
}

// robustSpans checks that the document's own spans lie inside it.
func robustSpans(t testing.TB, name string, doc *parser.Doc) {
	t.Helper()
	errs := 0
	bad := func(format string, args ...any) {
		if errs < 5 {
			t.Errorf(name+": "+format, args...)
		}
		errs++
	}
	inDoc := func(what string, s parser.Span, base int32) {
		s = s.Shift(base)
		if s.End.Less(s.Start) {
			bad("%s span %v ends before it starts", what, s)
			return
		}
		for _, p := range []parser.Pos{s.Start, s.End} {
			if p.Line < 0 || int(p.Line) >= doc.LineCount() || p.Col < 0 || int(p.Col) > len(doc.Line(int(p.Line))) {
				bad("%s span %v is outside the document (%d lines)", what, s, doc.LineCount())
				return
			}
		}
	}
	tokInDoc := func(what string, tk parser.Token, base int32) {
		if tk.Span.Start.Line != tk.Span.End.Line {
			bad("%s %q spans lines %v", what, tk.Text, tk.Span)
		}
		inDoc(what+" "+fmt.Sprintf("%q", tk.Text), tk.Span, base)
	}
	for i, u := range doc.Units() {
		base := doc.UnitLine(i)
		var walk func(n *parser.Node)
		walk = func(n *parser.Node) {
			if n.Src == nil {
				tokInDoc("keyword", n.Keyword, base)
				for _, a := range n.Args {
					tokInDoc("argument", a, base)
				}
				if n.Flags&parser.HasOpen != 0 {
					inDoc("'{'", n.OpenSpan(), base)
				}
				if n.Flags&parser.HasClose != 0 {
					inDoc("'}'", n.CloseSpan(), base)
				}
			}
			for _, v := range n.Values {
				if v.Src == nil {
					for _, tk := range v.Tokens {
						tokInDoc("value", tk, base)
					}
				}
			}
			for _, c := range n.Children {
				walk(c)
			}
		}
		for _, n := range u.Nodes {
			walk(n)
		}
		for _, d := range u.Diags {
			if d.Src == nil {
				inDoc("diagnostic "+d.Rule, d.Span, base)
			}
			if d.Rule == "" || d.Message == "" || d.Severity < parser.Error || d.Severity > parser.Hint {
				bad("diagnostic %+v lacks a rule, message or severity", d)
			}
		}
		for _, c := range u.Comments {
			inDoc("comment", c, base)
		}
		for _, c := range u.Inactive {
			inDoc("inactive line", c, base)
		}
	}
}

func robustTrim(b []byte) []byte {
	if len(b) > 300 {
		return append(append([]byte(nil), b[:300]...), "..."...)
	}
	return b
}

func TestRobustRandomBytes(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	alphabet := []byte("{}\"'#!\\$@~()\n\r\t ,=abcSEQLSTx0123456789\x00\xff\xe6")
	for i := 0; i < 2000; i++ {
		n := rng.Intn(300)
		b := make([]byte, n)
		for k := range b {
			if rng.Intn(4) == 0 {
				b[k] = byte(rng.Intn(256))
			} else {
				b[k] = alphabet[rng.Intn(len(alphabet))]
			}
		}
		for _, opts := range robustOptions(t) {
			robustCheck(t, fmt.Sprintf("random %d", i), b, opts)
		}
	}
}

// robustFragments are pieces of configuration that exercise every reader
// rule; TestRobustFragments glues random sequences of them together.
var robustFragments = []string{
	"global_defs", "vrrp_instance VI_1", "virtual_server 10.0.0.1 80", "real_server 10.0.0.2 80",
	"virtual_ipaddress", "track_script", "virtual_server_group G", "notification_email", "authentication",
	"state MASTER", "priority 100", "router_id r", "track_interface eth0", "192.0.2.1/24",
	"notify_master \"/bin/echo 'a b' {x}\" root", "script \"/bin/true\"", "{", "}", "} }", "{ }",
	"# comment", "! bang", " \\# ", "\\", "\"", "\"quoted # word\"", "'single'",
	"$A=1", "$B=x \\", "$C=$C$C", "$A", "${A}", "${B}", "$NOPE", "${_PWD}", "${_HASH}", "${_RANDOM 1 2}", "$A =2",
	"@node1", "@node1 ", "@^node1 ", "@other ",
	"~SEQ(i,1,3) ", "~SEQx(i,3) ", "~LST(v,a,b) ", "~LST({a,b},{1,2},{3}) ", "~SEQ(i", "~SEQ(i,1,0,2) ", "$i", "${v}",
	"include inc/*.conf", "include inc/{a,b}.conf", "include inc/cycle/a.conf", "includew nothing/*", "include \"q\"",
	"include inc/rel.inc", "include inc/unbalanced.inc", "include /fuzz/keepalived.conf",
	"😀", "日本", "\x00", "\r", "\xff",
}

func TestRobustFragments(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	seps := []string{" ", "\n", "\n", "\t", "", "\r\n", "\\\n"}
	for i := 0; i < 3000; i++ {
		var sb strings.Builder
		for k := rng.Intn(40); k > 0; k-- {
			sb.WriteString(robustFragments[rng.Intn(len(robustFragments))])
			sb.WriteString(seps[rng.Intn(len(seps))])
		}
		for _, opts := range robustOptions(t) {
			robustCheck(t, fmt.Sprintf("fragments %d", i), []byte(sb.String()), opts)
		}
	}
}

func TestRobustLargeInputs(t *testing.T) {
	big := map[string]string{
		"10k nested braces on one line":      strings.Repeat("{", 10000) + strings.Repeat("}", 10000),
		"10k nested braces on lines":         strings.Repeat("{\n", 10000) + strings.Repeat("}\n", 10000),
		"10k unclosed blocks":                strings.Repeat("vrrp_instance V {\nauthentication {\n", 5000),
		"10k unclosed keyword braces":        strings.Repeat("global_defs{", 10000),
		"10k open value blocks":              "vrrp_instance V {\n" + strings.Repeat("virtual_ipaddress {\n", 10000),
		"2 MB single line":                   strings.Repeat("global_defs { router_id a } ", 2<<20/28),
		"2 MB single word":                   strings.Repeat("x", 2<<20),
		"2 MB quoted":                        "\"" + strings.Repeat("{", 2<<20),
		"100k lines of }":                    strings.Repeat("}\n", 100000),
		"100k comment lines":                 strings.Repeat("# c\n", 100000),
		"100k blocks":                        strings.Repeat("vrrp_script s {\n script \"/bin/true\"\n}\n", 100000/3),
		"100k definitions":                   strings.Repeat("$A=1\n", 100000),
		"long multi-line definition":         "$M=a \\\n" + strings.Repeat("b \\\n", 5000) + "c\n$M\n",
		"10k NUL lines":                      strings.Repeat("a\x00b\n", 10000),
		"long lines":                         strings.Repeat(strings.Repeat("y", 5000)+"\n", 200),
		"generator at the limit":             "~SEQ(i, 1, 1000000) vrrp_script s$i { }\n",
		"deep nested generators":             strings.Repeat("~SEQ(i,1) ", 100) + "x\n",
		"deep multi-line definitions":        robustDeepDefs(70),
		"many includes of the same file":     strings.Repeat("include inc/a.conf\n", 2000),
		"many expanding references":          "$A=" + strings.Repeat("x", 1000) + "\n" + strings.Repeat("$A $A $A\n", 1000),
		"many unknown blocks (cascade)":      strings.Repeat("virtual_server 1.1.1.1 80 {\n bogus {\n x\n }\n}\n", 5000),
		"value block never closed, 100k":     "vrrp_instance V {\nvirtual_ipaddress {\n" + strings.Repeat("192.0.2.1\n", 100000),
		"definition line of a huge value":    "$A=" + strings.Repeat("v", 1<<20) + "\nglobal_defs {\n router_id $A\n}\n",
		"conditional lines without ids, 50k": strings.Repeat("@\n@^\n", 25000),
	}
	for name, text := range big {
		t.Run(name, func(t *testing.T) {
			robustCheck(t, name, []byte(text), parser.Options{FS: robustFS(t)})
		})
	}
}

// robustDeepDefs chains multi-line definitions, each referring to the
// previous one on a line of its own: n levels of expansion.
func robustDeepDefs(n int) string {
	var sb strings.Builder
	sb.WriteString("$M0=x \\\ny\n")
	for k := 1; k <= n; k++ {
		fmt.Fprintf(&sb, "$M%d=a \\\n$M%d\n", k, k-1)
	}
	fmt.Fprintf(&sb, "$M%d\n", n)
	return sb.String()
}

// TestRobustExpansionLimit: one physical line must not produce an unbounded
// number of logical lines. Nested generators and mutually referring
// multi-line definitions multiply, and each level is only limited on its
// own, so a few bytes can produce 10^8 nodes (gigabytes): a language server
// reading such a file would run out of memory.
func TestRobustExpansionLimit(t *testing.T) {
	const limit = 10000 // maxGeneratedLines: "per physical line"
	count := func(doc *parser.Doc) int {
		n := 0
		var walk func(ns []*parser.Node)
		walk = func(ns []*parser.Node) {
			for _, x := range ns {
				n++
				walk(x.Children)
			}
		}
		for _, u := range doc.Units() {
			walk(u.Nodes)
		}
		return n
	}
	t.Run("single generator", func(t *testing.T) {
		doc := lxParse("~SEQ(a, 1, 50000) x\n", parser.Options{})
		if n := count(doc); n > limit {
			t.Errorf("~SEQ(a, 1, 50000) produced %d lines, limit %d", n, limit)
		}
	})
	t.Run("nested generators", func(t *testing.T) {
		doc := lxParse("~SEQ(a, 1, 300) ~SEQ(b, 1, 300) x\n", parser.Options{})
		if n := count(doc); n > limit {
			t.Errorf("nested ~SEQ produced %d lines from one line, limit %d", n, limit)
		}
	})
	t.Run("multi-line definitions", func(t *testing.T) {
		var sb strings.Builder
		sb.WriteString("$M0=x \\\ny\n")
		for k := 1; k <= 16; k++ {
			fmt.Fprintf(&sb, "$M%d=$M%d \\\n$M%d\n", k, k-1, k-1)
		}
		sb.WriteString("$M16\n")
		doc := lxParse(sb.String(), parser.Options{})
		if n := count(doc); n > limit {
			t.Errorf("$M16 produced %d lines from one line, limit %d", n, limit)
		}
	})
}

// TestRobustKnownCrashes holds inputs that made Parse panic.
func TestRobustKnownCrashes(t *testing.T) {
	for _, c := range []struct{ in, bug string }{
		// Found by FuzzParse: parseSeq hands a bare "$" to parseRef, which
		// reads past its end (read.go parseRef: b[j] with j == len(b)).
		{"~SEQ(i,$) x\n", "Parse panics (index out of range in parseRef) on a ~SEQ parameter that is a bare '$': '~SEQ(i,$) x'"},
		{"~SEQ(i, 1, $ ) x\n", "Parse panics on '~SEQ(i, 1, $ ) x'"},
		{"@^n ~SEQx(i,$)\n", "Parse panics on '@^n ~SEQx(i,$)' (a conditional generator)"},
	} {
		t.Run(c.in, func(t *testing.T) {
			for _, opts := range robustOptions(t) {
				robustCheck(t, c.in, []byte(c.in), opts)
			}
		})
	}
	// Neighbours of the crash that must keep working.
	for _, in := range []string{"~SEQ(i,$\n", "~SEQ(i,${)\n", "~SEQ(i,$$)\n", "~SEQ(i,$1)\n", "~SEQ($,1)\n", "global_defs {\n router_id $\n}\n"} {
		for _, opts := range robustOptions(t) {
			robustCheck(t, in, []byte(in), opts)
		}
	}
}

// robustCorpus lists the shared corpus files (configs and templates).
func robustCorpus(t testing.TB) []string {
	t.Helper()
	shared := testenv.Shared(t)
	var files []string
	for _, sub := range []string{"configs", "templates"} {
		m, err := filepath.Glob(filepath.Join(shared, "corpus", sub, "*"))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Fatal("the shared corpus is empty")
	}
	return files
}

func TestRobustCorpus(t *testing.T) {
	opts := []parser.Options{{}, {Version: schema.MustVersion("2.2.7")}}
	for _, file := range robustCorpus(t) {
		text, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range opts {
			o.FS = lxFS{} // corpus includes point at the authors' machines
			robustCheck(t, filepath.Base(file), text, o)
		}
	}
}

// TestRobustParallelMatchesSequential: large documents are parsed in chunks
// on several CPUs; the result must be the one a sequential parse gives.
func TestRobustParallelMatchesSequential(t *testing.T) {
	var sb strings.Builder
	for _, file := range robustCorpus(t) {
		if !strings.Contains(file, string(filepath.Separator)+"configs"+string(filepath.Separator)) {
			continue
		}
		text, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		sb.Write(text)
		sb.WriteString("\n}\n")
	}
	docs := map[string]string{"corpus": sb.String()}
	// The same, with a definition in force from the start: chunks must not
	// be parsed without it.
	docs["corpus after a definition"] = "$IF=eth0\n" + sb.String()
	// Braces that are unbalanced across chunk boundaries.
	docs["unbalanced"] = strings.Repeat("vrrp_instance V {\n state MASTER\n}\n}\nglobal_defs {\n{\n}\n", 20000)
	docs["blocks"] = strings.Repeat("vrrp_instance V {\n state MASTER\n virtual_ipaddress {\n 192.0.2.1\n }\n}\n", 20000)
	// Definitions: the head up to the last one is parsed first, the rest
	// in parallel with them in force.
	uses := strings.Repeat("vrrp_instance V {\n interface ${IF}\n priority ${PRIO}\n virtual_ipaddress {\n ${VIP}\n }\n}\n", 10000)
	docs["definitions then uses"] = "$IF=eth0\n  @node1 $PRIO=100\n@^node1 $PRIO=90\n$VIP=192.0.2.1 \\\n 192.0.2.2\nglobal_defs {\n include_check\n}\n" + uses
	docs["definition in the middle"] = uses + "$IF=eth1\n" + uses
	docs["redefined in the middle"] = "$IF=eth0\n" + uses + "$IF=eth1\n" + uses + uses
	docs["definition in a block"] = uses + "global_defs {\n$IF=eth2\n}\n" + uses + uses
	docs["not definitions"] = "$IF =eth0\n$1X=2\n" + uses + "@node1\n$\n" + uses
	for name, text := range docs {
		t.Run(name, func(t *testing.T) {
			if len(text) < 300<<10 {
				t.Fatalf("document is only %d bytes: too small to be split", len(text))
			}
			par := parser.Parse(robustPath, []byte(text), parser.Options{FS: lxFS{}}).Dump()
			old := runtime.GOMAXPROCS(1)
			seq := parser.Parse(robustPath, []byte(text), parser.Options{FS: lxFS{}}).Dump()
			runtime.GOMAXPROCS(old)
			if par != seq {
				a, b := strings.Split(par, "\n"), strings.Split(seq, "\n")
				for i := 0; i < len(a) && i < len(b); i++ {
					if a[i] != b[i] {
						t.Fatalf("parallel and sequential parses differ at dump line %d:\nparallel:   %s\nsequential: %s", i+1, a[i], b[i])
					}
				}
				t.Fatalf("parallel dump has %d lines, sequential %d", len(a), len(b))
			}
		})
	}
}

// FuzzParse: Parse never panics and the document always reproduces its
// input. Seeded from the golden inputs, the repository's other
// configurations, the shared corpus when present (parser.CorpusSeeds), the
// robustness fragments and the inputs that once crashed.
func FuzzParse(f *testing.F) {
	_, files := goldenInputs(f)
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, false)
	}
	f.Add([]byte("global_defs{router_id a}"), true)
	for i, b := range parser.CorpusSeeds(f, 64<<10) {
		f.Add(b, i%3 == 0)
	}
	f.Add([]byte(strings.Join(robustFragments, "\n")), false)
	for _, s := range []string{"~SEQ(i,$) x\n", "~SEQ(i, 1, $ ) x\n", "@^n ~SEQx(i,$)\n", "$V={$V\n$V\n"} {
		f.Add([]byte(s), false)
	}
	opts := robustOptions(f)
	f.Fuzz(func(t *testing.T, text []byte, old bool) {
		o := opts[0]
		if old {
			o = opts[1]
		}
		robustCheck(t, "fuzz", text, o)
	})
}
