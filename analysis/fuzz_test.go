package analysis

// FuzzCheck: the check pipeline on arbitrary text. See tools/fuzz.sh for
// running it; crashers are kept in testdata/fuzz/FuzzCheck/.

import (
	"io/fs"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/keepalived-ls/keepalived-ls/internal/testenv"
	"github.com/keepalived-ls/keepalived-ls/parser"
)

// fuzzSeeds returns the repository's configurations and, when the shared
// reference material is present, the corpus (see testenv.CorpusSeeds).
func fuzzSeeds(tb testing.TB, maxSize int64) [][]byte {
	tb.Helper()
	return testenv.CorpusSeeds(tb, maxSize, "testdata/check/*/*.conf", "testdata/parser/*.conf", "examples/*.conf")
}

// fuzzFS holds the files FuzzCheck's includes can read.
type fuzzFS map[string]string

func (m fuzzFS) ReadFile(p string) ([]byte, error) {
	if s, ok := m[p]; ok {
		return []byte(s), nil
	}
	return nil, fs.ErrNotExist
}

func (m fuzzFS) Stat(p string) (fs.FileInfo, error) {
	if _, ok := m[p]; ok {
		return fuzzInfo{name: filepath.Base(p)}, nil
	}
	for k := range m {
		if strings.HasPrefix(k, p+"/") {
			return fuzzInfo{name: filepath.Base(p), dir: true}, nil
		}
	}
	return nil, fs.ErrNotExist
}

func (m fuzzFS) Glob(pattern string) ([]string, error) {
	var out []string
	for k := range m {
		if ok, _ := filepath.Match(pattern, k); ok {
			out = append(out, k)
		}
	}
	return out, nil
}

type fuzzInfo struct {
	name string
	dir  bool
}

func (i fuzzInfo) Name() string       { return i.name }
func (i fuzzInfo) Size() int64        { return 0 }
func (i fuzzInfo) ModTime() time.Time { return time.Time{} }
func (i fuzzInfo) IsDir() bool        { return i.dir }
func (i fuzzInfo) Sys() any           { return nil }
func (i fuzzInfo) Mode() fs.FileMode {
	if i.dir {
		return fs.ModeDir | 0o755
	}
	return 0o644
}

var checkFS = fuzzFS{
	"/etc/keepalived/conf.d/vrrp.conf": "vrrp_instance VI_2 {\n  state BACKUP\n  interface eth0\n  virtual_router_id 51\n  priority 90\n" +
		"  virtual_ipaddress {\n    192.0.2.1/24\n  }\n  track_script {\n    chk\n  }\n}\n",
	"/etc/keepalived/conf.d/rs.inc":   "real_server 10.0.0.2 80 {\n  weight 1\n  TCP_CHECK {\n    connect_timeout 3\n  }\n}\n",
	"/etc/keepalived/conf.d/defs.inc": "$IF=eth1\n$VIP=192.0.2.9/24\n",
	"/etc/keepalived/conf.d/bad.inc":  "routerid x\n}\n# keepalived-ls: disable=unknown-keyword\nbogus\n",
}

// FuzzCheck runs the check pipeline on arbitrary text (the mode byte picks
// the target release, the config id and rule settings) and checks:
//   - neither Check nor CheckText panics, and they give the same
//     diagnostics (CheckText streams and reuses its buffers);
//   - the diagnostics of the document lie inside it, with a rule id that
//     exists, a message and a severity;
//   - a Checker that has already checked a document (and memoised its units)
//     gives, for an edited version, what a fresh Checker gives;
//   - the editor's other views of the document (outline, folding, semantic
//     tokens, inlay hints, hover and completion) do not panic.
func FuzzCheck(f *testing.F) {
	for i, b := range fuzzSeeds(f, 32<<10) {
		f.Add(b, byte(i))
	}
	f.Add([]byte("include conf.d/*.conf\nvirtual_server 10.0.0.1 80 {\n  include conf.d/rs.inc\n}\n"), byte(1))
	f.Add([]byte("include conf.d/defs.inc\nvrrp_instance VI_1 {\n  interface $IF\n  virtual_ipaddress {\n    $VIP\n  }\n}\n"), byte(2))
	f.Add([]byte("global_defs {\n  include conf.d/bad.inc\n}\n# keepalived-ls: disable=unbalanced-braces\n"), byte(3))
	f.Fuzz(func(t *testing.T, text []byte, mode byte) {
		if len(text) > 64<<10 {
			return
		}
		var cfg Config
		opts := parser.Options{FS: checkFS}
		if mode&1 != 0 {
			cfg.Target = targetVersion(t, "2.2.7")
		}
		if mode&2 != 0 {
			opts.ConfigID = "node1"
		}
		if mode&4 != 0 {
			_ = cfg.SetRule("unknown-keyword", "off")
			_ = cfg.SetRule("duplicate-keyword", "error")
		}
		opts.Version = cfg.Target
		const path = "/etc/keepalived/keepalived.conf"
		doc := parser.Parse(path, text, opts)
		got := Check(doc, cfg)
		streamed := NewChecker(cfg).CheckText(path, text, opts)
		if a, b := diagStrings(got), diagStrings(streamed); !reflect.DeepEqual(a, b) {
			t.Fatalf("CheckText differs from Check(Parse(...)):\n%s", diffLines(a, b))
		}
		for _, d := range got {
			if _, ok := LookupRule(d.Rule); !ok && d.Rule != "keepalived-message" {
				t.Fatalf("diagnostic with an unknown rule %q: %s", d.Rule, d.Message)
			}
			if d.Message == "" || d.Severity < parser.Error || d.Severity > parser.Hint {
				t.Fatalf("diagnostic %s lacks a message or severity", diagString(d))
			}
			lines := doc.LineCount()
			line := doc.Line
			if d.Src != nil {
				lines, line = d.Src.LineCount(), d.Src.Line
			}
			s := d.Span
			if s.End.Less(s.Start) || s.Start.Line < 0 || int(s.End.Line) >= lines || s.Start.Col < 0 ||
				int(s.Start.Col) > len(line(int(s.Start.Line))) || int(s.End.Col) > len(line(int(s.End.Line))) {
				t.Fatalf("diagnostic %s lies outside its file (%d lines)", diagString(d), lines)
			}
		}

		// A memoising Checker after an edit equals a fresh one.
		c := NewChecker(cfg)
		c.Check(doc)
		ln := int(mode) % doc.LineCount()
		col := len(doc.Line(ln)) / 2
		for col > 0 && col < len(doc.Line(ln)) && doc.Line(ln)[col]&0xc0 == 0x80 {
			col--
		}
		ins := [...]string{"}\n", "{", "\n", "x", "vrrp_instance VI_9 {\n", "# keepalived-ls: disable\n", "$IF=eth2\n", ""}[mode>>5]
		edited := doc.Edit(parser.Pos{Line: int32(ln), Col: int32(col)}, parser.Pos{Line: int32(ln), Col: int32(col)}, []byte(ins))
		if a, b := diagStrings(c.Check(edited)), diagStrings(NewChecker(cfg).Check(edited)); !reflect.DeepEqual(a, b) {
			t.Fatalf("a memoising Checker differs from a fresh one after inserting %q at %d:%d:\n%s", ins, ln+1, col+1, diffLines(a, b))
		}
		if a, b := diagStrings(c.Check(doc)), diagStrings(got); !reflect.DeepEqual(a, b) {
			t.Fatalf("checking the first version again differs:\n%s", diffLines(a, b))
		}

		// The editor's views.
		Outline(doc)
		FoldingRanges(doc)
		SemanticTokens(doc, 0, doc.LineCount(), 1000)
		InlayHints(doc, 0, doc.LineCount())
		for _, p := range [][2]int{{ln, col}, {ln, 0}, {doc.LineCount() - 1, len(doc.Line(doc.LineCount() - 1))}} {
			Hover(doc, p[0], p[1], mode&8 != 0)
			Complete(doc, p[0], p[1], CompletionOptions{Target: cfg.Target, Markdown: mode&8 != 0})
		}
	})
}
