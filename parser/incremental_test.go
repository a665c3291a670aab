package parser

import (
	"bytes"
	"math/rand"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/keepalived-ls/keepalived-ls/internal/benchgen"
	"github.com/keepalived-ls/keepalived-ls/internal/testenv"
)

// seedTexts returns the starting documents for the incremental tests: a few
// hand-written configs, a generated one and, when present, corpus files.
func seedTexts(t *testing.T) map[string][]byte {
	seeds := map[string][]byte{
		"vrrp": []byte("global_defs {\n  router_id a\n}\n\nvrrp_script chk {\n  script \"/bin/true\"\n}\n\n" +
			"vrrp_instance VI_1 {\n  state MASTER\n  interface eth0 # uplink\n  virtual_router_id 51\n  priority 100\n" +
			"  virtual_ipaddress {\n    192.0.2.1/24 dev eth0\n  }\n  track_script {\n    chk\n  }\n}\n"),
		"defs": []byte("$IF=eth0\n$VIPS=192.0.2.1 \\\n192.0.2.2\n\nvrrp_instance VI_1 {\n  interface $IF\n" +
			"  virtual_ipaddress {\n    $VIPS\n  }\n}\n~SEQ(i,1,3) vrrp_instance VI_$i { }\n@node1 global_defs { router_id x }\n"),
		"oneline": []byte("global_defs{router_id t1 # c ! c\n}vrrp_instance VI_1{ state MASTER }} {\n"),
		"unicode": []byte("# 中文 注释 😀\nglobal_defs {\n  router_id \"名前 😀\"\n}\n"),
	}
	var gen bytes.Buffer
	if err := benchgen.Write(&gen, 3, 12, 2); err != nil {
		t.Fatal(err)
	}
	seeds["generated"] = gen.Bytes()
	if dir, ok := testenv.SharedDir(t); ok {
		files, _ := filepath.Glob(filepath.Join(dir, "corpus", "configs", "*"))
		for i, f := range files {
			if i%25 != 0 {
				continue
			}
			if b, err := os.ReadFile(f); err == nil && len(b) < 40000 {
				seeds[filepath.Base(f)] = b
			}
		}
	}
	return seeds
}

// fragments are inserted by random edits: braces, newlines, keywords,
// comments, quotes, definitions and non-ASCII text.
var fragments = []string{
	"{", "}", "\n", "}\n", "{\n", " ", "\t", "\"", "#", "!", "\\", "\\\n", "é", "😀", "中文",
	"vrrp_instance VI_9 {\n", "  state BACKUP\n", "  priority 90\n", "virtual_ipaddress {\n 10.0.0.1\n}\n",
	"real_server 10.0.0.2 80 {\n weight 1\n}\n", "virtual_server 10.0.0.1 80 {\n", "global_defs {", "track_script",
	"$X=1\n", "${X}", "$IF", "@node1 ", "@^node1 ", "~SEQ(i,1,2) ", "include missing.conf\n", "notify \"/bin/echo '{'\"\n",
	"\r\n", "\n\n", "xyz",
}

// randomEdit picks a range of the document (at character boundaries) and a
// replacement.
func randomEdit(rng *rand.Rand, d *Doc) (Pos, Pos, []byte) {
	pos := func() Pos {
		ln := rng.Intn(d.LineCount())
		line := d.Line(ln)
		col := 0
		if len(line) > 0 {
			col = rng.Intn(len(line) + 1)
			for col > 0 && col < len(line) && !utf8.RuneStart(line[col]) {
				col--
			}
		}
		return Pos{int32(ln), int32(col)}
	}
	a := pos()
	b := a
	switch rng.Intn(4) {
	case 0: // pure insertion
	case 1: // same-line deletion
		line := d.Line(int(a.Line))
		b.Col = a.Col + int32(rng.Intn(len(line)-int(a.Col)+1))
		for int(b.Col) < len(line) && !utf8.RuneStart(line[b.Col]) {
			b.Col++
		}
	default: // multi-line range
		b = pos()
		if b.Less(a) {
			a, b = b, a
		}
		if b.Line-a.Line > 20 {
			b = a
		}
	}
	var text []byte
	for n := rng.Intn(3); n > 0; n-- {
		text = append(text, fragments[rng.Intn(len(fragments))]...)
	}
	return a, b, text
}

// applyEdit is the reference: the edit applied to the whole text.
func applyEdit(d *Doc, a, b Pos, text []byte) []byte {
	full := d.Text()
	src := NewSource("", full)
	ao, bo := src.Offset(a), src.Offset(b)
	out := append([]byte{}, full[:ao]...)
	out = append(out, text...)
	return append(out, full[bo:]...)
}

// TestIncrementalEqualsFull applies thousands of random edits and checks
// after every one that the incremental tree equals a full parse.
func TestIncrementalEqualsFull(t *testing.T) {
	edits := 4000
	if testing.Short() {
		edits = 400
	}
	seeds := seedTexts(t)
	per := edits / len(seeds)
	for name, seed := range seeds {
		rng := rand.New(rand.NewSource(int64(len(name)) * 7919))
		for _, opts := range []Options{{ConfigID: "node1"}, {}} {
			d := Parse("/etc/keepalived/keepalived.conf", append([]byte(nil), seed...), opts)
			for i := 0; i < per; i++ {
				a, b, text := randomEdit(rng, d)
				want := applyEdit(d, a, b, text)
				inc := d.Edit(a, b, text)
				full := Parse("/etc/keepalived/keepalived.conf", want, opts)
				if got := inc.Text(); !bytes.Equal(got, want) {
					t.Fatalf("%s edit %d (%v-%v %q): text differs\ngot:  %q\nwant: %q", name, i, a, b, text, got, want)
				}
				if gd, fd := inc.Dump(), full.Dump(); gd != fd {
					t.Fatalf("%s edit %d (%v-%v %q): incremental parse differs from a full parse\n--- incremental\n%s\n--- full\n%s\n--- text\n%s",
						name, i, a, b, text, gd, fd, want)
				}
				d = inc
			}
		}
	}
}

// TestIncrementalReusesUnits checks that a one-character edit inside a block
// reparses only that block: the other units are shared with the old version.
func TestIncrementalReusesUnits(t *testing.T) {
	var gen bytes.Buffer
	if err := benchgen.Write(&gen, 5, 50, 4); err != nil {
		t.Fatal(err)
	}
	d := Parse("/x.conf", gen.Bytes(), Options{})
	mid := d.LineCount() / 2
	for len(bytes.TrimSpace(d.Line(mid))) == 0 {
		mid++
	}
	line := d.Line(mid)
	col := int32(len(line))
	nd := d.Edit(Pos{int32(mid), col}, Pos{int32(mid), col}, []byte("x"))
	old := map[*Unit]bool{}
	for _, u := range d.Units() {
		old[u] = true
	}
	fresh := 0
	for _, u := range nd.Units() {
		if !old[u] {
			fresh++
		}
	}
	if fresh != 1 {
		t.Errorf("a one-character edit reparsed %d units, want 1", fresh)
	}
	if len(nd.Units()) != len(d.Units()) {
		t.Errorf("unit count changed: %d -> %d", len(d.Units()), len(nd.Units()))
	}
}

// memFS serves files from memory, for include tests.
type memFS struct {
	files map[string][]byte
}

func (m memFS) ReadFile(p string) ([]byte, error) {
	if b, ok := m.files[p]; ok {
		return b, nil
	}
	return nil, os.ErrNotExist
}

func (m memFS) Stat(p string) (os.FileInfo, error) {
	if b, ok := m.files[p]; ok {
		return memInfo{name: filepath.Base(p), size: int64(len(b))}, nil
	}
	for k := range m.files {
		if filepath.Dir(k) == p {
			return memInfo{name: filepath.Base(p), dir: true}, nil
		}
	}
	return nil, os.ErrNotExist
}

func (m memFS) Glob(pattern string) ([]string, error) {
	var out []string
	for k := range m.files {
		if ok, _ := filepath.Match(pattern, k); ok {
			out = append(out, k)
		}
	}
	return out, nil
}

// TestReparseIncludedFile checks that units reading a changed included file
// are parsed again and others are kept.
func TestReparseIncludedFile(t *testing.T) {
	fs := memFS{files: map[string][]byte{
		"/etc/keepalived/rs.conf": []byte("real_server 10.0.0.2 80 {\n  weight 1\n}\n"),
	}}
	text := []byte("global_defs {\n  router_id a\n}\nvirtual_server 10.0.0.1 80 {\n  include rs.conf\n}\n")
	opts := Options{FS: fs}
	d := Parse("/etc/keepalived/keepalived.conf", text, opts)
	if got := d.IncludedFiles(); len(got) != 1 || got[0] != "/etc/keepalived/rs.conf" {
		t.Fatalf("IncludedFiles = %v", got)
	}
	fs.files["/etc/keepalived/rs.conf"] = []byte("real_servr 10.0.0.2 80 {\n  weight 1\n}\n")
	nd := d.Reparse(map[string]bool{"/etc/keepalived/rs.conf": true})
	if nd.Units()[0] != d.Units()[0] {
		t.Error("the global_defs unit was reparsed although it reads no included file")
	}
	if nd.Units()[1] == d.Units()[1] {
		t.Error("the virtual_server unit was not reparsed")
	}
	if got, want := nd.Dump(), Parse("/etc/keepalived/keepalived.conf", text, opts).Dump(); got != want {
		t.Errorf("reparse differs from a full parse:\n%s\nwant\n%s", got, want)
	}
}
