package parser_test

// Hostile configurations: include cycles, thousands of files, symlink
// loops, devices, huge files and expansions that multiply. Each must give
// a clear diagnostic and finish in bounded time. The limits are listed in
// docs/limits.md.

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/keepalived-ls/keepalived-ls/internal/testenv"
	"github.com/keepalived-ls/keepalived-ls/parser"
)

// hostileDiag is a diagnostic with its file (base name, "" for the
// document) and 1-based line, for exact comparisons.
type hostileDiag struct {
	file     string
	line     int
	severity parser.Severity
	rule     string
	message  string
}

func (d hostileDiag) String() string {
	return fmt.Sprintf("%s:%d %s %s [%s]", d.file, d.line, d.severity, d.message, d.rule)
}

// hostileDiags lists every diagnostic of a document.
func hostileDiags(doc *parser.Doc) []hostileDiag {
	var out []hostileDiag
	for i, u := range doc.Units() {
		for _, d := range u.Diags {
			hd := hostileDiag{line: int(d.Span.Start.Line) + 1, severity: d.Severity, rule: d.Rule, message: d.Message}
			if d.Src != nil {
				hd.file = filepath.Base(d.Src.Path)
			} else {
				hd.line += int(doc.UnitLine(i))
			}
			out = append(out, hd)
		}
	}
	return out
}

// wantDiag fails unless the document has the diagnostic.
func wantDiag(t *testing.T, doc *parser.Doc, want hostileDiag) {
	t.Helper()
	got := hostileDiags(doc)
	if slices.Contains(got, want) {
		return
	}
	var sb strings.Builder
	for i, d := range got {
		if i == 20 {
			fmt.Fprintf(&sb, "  ... %d more\n", len(got)-20)
			break
		}
		sb.WriteString("  " + d.String() + "\n")
	}
	t.Errorf("missing diagnostic\n  %s\ngot %d:\n%s", want, len(got), sb.String())
}

// hostileLimit is the time every hostile case must finish in; the cases
// take well under a second, the margin is for -race and busy machines.
const hostileLimit = 60 * time.Second

// writeFiles writes files (relative names) into dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// parseFile parses dir/name from the disk, as the command line does, within
// hostileLimit.
func parseFile(t *testing.T, dir, name string) *parser.Doc {
	t.Helper()
	path := filepath.Join(dir, name)
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc *parser.Doc
	el := testenv.Within(t, hostileLimit, func() { doc = parser.Parse(path, text, parser.Options{}) })
	t.Logf("parsed in %v", el)
	return doc
}

const cycleMsg = "(keepalived would loop until it runs out of file handles)"

func TestHostileIncludeCycle(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"a.conf": "global_defs {\n  router_id a\n}\ninclude b.conf\n",
		"b.conf": "vrrp_script chk {\n  script /bin/true\n}\ninclude a.conf\n",
	})
	doc := parseFile(t, dir, "a.conf")
	wantDiag(t, doc, hostileDiag{"b.conf", 4, parser.Error, "include-cycle", "include cycle: a.conf → b.conf → a.conf " + cycleMsg})
	if got := doc.IncludedFiles(); len(got) != 1 || filepath.Base(got[0]) != "b.conf" {
		t.Errorf("IncludedFiles() = %v, want b.conf once", got)
	}
}

func TestHostileSelfInclude(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"keepalived.conf": "include keepalived.conf\n",
		"glob.conf":       "include *.conf\n",
	})
	wantDiag(t, parseFile(t, dir, "keepalived.conf"),
		hostileDiag{"", 1, parser.Error, "include-cycle", "include cycle: keepalived.conf → keepalived.conf " + cycleMsg})
	// glob.conf reads keepalived.conf (which includes itself) and itself.
	doc := parseFile(t, dir, "glob.conf")
	wantDiag(t, doc, hostileDiag{"", 1, parser.Error, "include-cycle", "include cycle: glob.conf → glob.conf " + cycleMsg})
	wantDiag(t, doc, hostileDiag{"keepalived.conf", 1, parser.Error, "include-cycle", "include cycle: keepalived.conf → keepalived.conf " + cycleMsg})
}

// TestHostileGlobThousands: a pattern matching 3000 files reads the first
// 1000 and says so.
func TestHostileGlobThousands(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{"keepalived.conf": "include conf.d/*.conf\n"}
	for i := 0; i < 3000; i++ {
		files[fmt.Sprintf("conf.d/s%04d.conf", i)] = fmt.Sprintf("vrrp_script s%04d {\n  script /bin/true\n}\n", i)
	}
	writeFiles(t, dir, files)
	doc := parseFile(t, dir, "keepalived.conf")
	wantDiag(t, doc, hostileDiag{"", 1, parser.Warning, "include-not-found", "'conf.d/*.conf' matches 3000 files; keepalived-ls reads the first 1000"})
	got := doc.IncludedFiles()
	if len(got) != 1000 || filepath.Base(got[0]) != "s0000.conf" || filepath.Base(got[999]) != "s0999.conf" {
		t.Errorf("read %d files (%s...), want s0000.conf to s0999.conf", len(got), got[:min(3, len(got))])
	}
}

// TestHostileGlobCycles: files that include each other through a wildcard
// make the reads multiply (n files: n! chains). A budget of reads per
// top-level statement stops them.
func TestHostileGlobCycles(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{"keepalived.conf": "include d/*.conf\n"}
	for i := 0; i < 9; i++ {
		files[fmt.Sprintf("d/f%d.conf", i)] = "include *.conf\n"
	}
	writeFiles(t, dir, files)
	doc := parseFile(t, dir, "keepalived.conf")
	budget := 0
	for _, d := range hostileDiags(doc) {
		if strings.HasPrefix(d.message, "this statement reads more than") {
			budget++
			want := "this statement reads more than 10000 files or 256 MB through its includes; keepalived-ls reads no more (do files include each other through a wildcard?)"
			if d.message != want || d.rule != "include-cycle" || d.severity != parser.Error {
				t.Errorf("budget diagnostic %s, want %q [include-cycle]", d, want)
			}
		}
	}
	if budget != 1 {
		t.Errorf("%d budget diagnostics, want 1", budget)
	}
}

// TestHostileBraceAlternatives: {a,b} groups multiply; an include that
// expands to more than 1000 patterns reads the first 1000.
func TestHostileBraceAlternatives(t *testing.T) {
	dir := t.TempDir()
	pattern := "x" + strings.Repeat("{a,b}", 40) + ".conf" // 2^40 patterns
	writeFiles(t, dir, map[string]string{"keepalived.conf": "include " + pattern + "\n"})
	doc := parseFile(t, dir, "keepalived.conf")
	wantDiag(t, doc, hostileDiag{"", 1, parser.Warning, "include-not-found",
		"the {a,b} groups of '" + pattern + "' make more than 1000 patterns; keepalived-ls reads the first 1000"})
}

// TestHostileGlobstar: glibc's glob has no recursive "**" (it is "*"), so
// an include never walks a whole tree. Wildcards follow symbolic links to
// directories, as glibc's do, so a link that loops back to its directory
// is walked once per wildcard of the pattern: a deep pattern reads what a
// plain directory walk of that depth finds, in bounded time.
func TestHostileGlobstar(t *testing.T) {
	dir := t.TempDir()
	const depth = 12
	deep := "d/" + strings.Repeat("*/", depth) + "*.conf"
	writeFiles(t, dir, map[string]string{
		"keepalived.conf":   "include d/**/*.conf\n",
		"deep.conf":         "include " + deep + "\n",
		"d/a.conf":          "vrrp_script a {\n  script /bin/true\n}\n",
		"d/sub/b.conf":      "vrrp_script b {\n  script /bin/true\n}\n",
		"d/sub/deep/c.conf": "vrrp_script c {\n  script /bin/true\n}\n",
	})
	if err := os.Symlink(filepath.Join(dir, "d"), filepath.Join(dir, "d", "loop")); err != nil {
		t.Skipf("cannot create a symbolic link: %v", err)
	}
	doc := parseFile(t, dir, "keepalived.conf")
	if got, want := relPaths(dir, doc.IncludedFiles()), []string{"d/loop/a.conf", "d/sub/b.conf"}; !slices.Equal(got, want) {
		t.Errorf("d/**/*.conf read %q, want %q (like d/*/*.conf)", got, want)
	}
	// What a walk of depth directories below d, following links, finds.
	var want []string
	var walk func(rel string, level int)
	walk = func(rel string, level int) {
		ents, _ := os.ReadDir(filepath.Join(dir, rel))
		for _, e := range ents {
			p := rel + "/" + e.Name()
			st, err := os.Stat(filepath.Join(dir, p))
			switch {
			case err != nil:
			case level < depth && st.IsDir():
				walk(p, level+1)
			case level == depth && !st.IsDir() && strings.HasSuffix(e.Name(), ".conf"):
				want = append(want, p)
			}
		}
	}
	walk("d", 0)
	if len(want) == 0 {
		t.Fatal("the walk found nothing: the test's tree is wrong")
	}
	got := relPaths(dir, parseFile(t, dir, "deep.conf").IncludedFiles())
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("%s read %d files, a walk finds %d:\n got %q\nwant %q", deep, len(got), len(want), got, want)
	}
}

// TestHostileGlobHidden: as in glibc, a wildcard at the start of a name does
// not match a leading dot, so editors' lock and backup files such as
// .#keepalived.conf (a dangling symbolic link) are not included; a pattern
// that starts with a dot matches them.
func TestHostileGlobHidden(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"keepalived.conf":     "include conf.d/*.conf\ninclude conf.d/?x.conf\n",
		"dots.conf":           "include conf.d/.*.conf\n",
		"conf.d/a.conf":       "vrrp_script a {\n  script /bin/true\n}\n",
		"conf.d/.old.conf":    "vrrp_script old {\n  script /bin/true\n}\n",
		"conf.d/.x.conf":      "vrrp_script x {\n  script /bin/true\n}\n",
		"conf.d/.hidden/b.cf": "",
	})
	if err := os.Symlink("user@host.1234:1700000000", filepath.Join(dir, "conf.d", ".#a.conf")); err != nil {
		t.Skipf("cannot create a symbolic link: %v", err)
	}
	doc := parseFile(t, dir, "keepalived.conf")
	if got, want := relPaths(dir, doc.IncludedFiles()), []string{"conf.d/a.conf"}; !slices.Equal(got, want) {
		t.Errorf("read %q, want %q", got, want)
	}
	if got := hostileDiags(doc); len(got) != 1 || got[0].rule != "include-no-match" {
		t.Errorf("diagnostics %v, want only include-no-match for conf.d/?x.conf", got)
	}
	doc = parseFile(t, dir, "dots.conf")
	if got, want := relPaths(dir, doc.IncludedFiles()), []string{"conf.d/.old.conf", "conf.d/.x.conf"}; !slices.Equal(got, want) {
		t.Errorf("conf.d/.*.conf read %q, want %q", got, want)
	}
}

// relPaths makes files relative to dir, with slashes.
func relPaths(dir string, files []string) []string {
	var out []string
	for _, f := range files {
		rel, _ := filepath.Rel(dir, f)
		out = append(out, filepath.ToSlash(rel))
	}
	return out
}

// TestHostileSymlinkLoop: symbolic links that point at each other cannot
// be read; the include says why.
func TestHostileSymlinkLoop(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"keepalived.conf": "include a.conf\n",
		"glob.conf":       "include l/*.conf\n",
	})
	a, b := filepath.Join(dir, "a.conf"), filepath.Join(dir, "b.conf")
	if err := os.Symlink(b, a); err != nil {
		t.Skipf("cannot create a symbolic link: %v", err)
	}
	if err := os.Symlink(a, b); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "l"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(a, filepath.Join(dir, "l", "x.conf")); err != nil {
		t.Fatal(err)
	}
	_, statErr := os.Stat(a)
	if statErr == nil {
		t.Fatal("a symbolic link loop can be stat'ed")
	}
	wantDiag(t, parseFile(t, dir, "keepalived.conf"), hostileDiag{"", 1, parser.Warning, "include-not-found",
		fmt.Sprintf("cannot read included file '%s': %v", a, statErr)})
	x := filepath.Join(dir, "l", "x.conf")
	_, statErr = os.Stat(x)
	wantDiag(t, parseFile(t, dir, "glob.conf"), hostileDiag{"", 1, parser.Warning, "include-not-found",
		fmt.Sprintf("cannot read included file '%s': %v", x, statErr)})
}

func TestHostileIncludeDirectory(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"keepalived.conf":   "include conf.d\ninclude conf.d/*\n",
		"conf.d/sub/x.conf": "vrrp_script x {\n  script /bin/true\n}\n",
	})
	doc := parseFile(t, dir, "keepalived.conf")
	wantDiag(t, doc, hostileDiag{"", 1, parser.Information, "include-skipped", fmt.Sprintf("keepalived skips directory '%s'", filepath.Join(dir, "conf.d"))})
	wantDiag(t, doc, hostileDiag{"", 2, parser.Information, "include-skipped", fmt.Sprintf("keepalived skips directory '%s'", filepath.Join(dir, "conf.d", "sub"))})
}

// TestHostileIncludeDevice: /dev/zero never ends; it is skipped without
// being read, like every file that is not a regular file.
func TestHostileIncludeDevice(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"keepalived.conf": "include /dev/zero\ninclude /dev/zer[o]\nincluder /dev/zero\n"})
	doc := parseFile(t, dir, "keepalived.conf")
	const msg = "keepalived skips '/dev/zero': it only reads regular files that are not executable"
	wantDiag(t, doc, hostileDiag{"", 1, parser.Warning, "include-skipped", msg})
	wantDiag(t, doc, hostileDiag{"", 2, parser.Warning, "include-skipped", msg})
	wantDiag(t, doc, hostileDiag{"", 3, parser.Error, "include-skipped", msg})
	// OSFS.ReadFile itself refuses it (the language server reads through
	// it too).
	var err error
	testenv.Within(t, hostileLimit, func() { _, err = parser.OSFS{}.ReadFile("/dev/zero") })
	if err == nil || err.Error() != "not a regular file (a character device): keepalived-ls only reads regular files" {
		t.Errorf("OSFS.ReadFile(/dev/zero): %v", err)
	}
}

// TestHostileLargeIncludedFile: an included file over 64 MB is not read.
// The file is sparse: creating it writes nothing.
func TestHostileLargeIncludedFile(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"keepalived.conf": "include big.conf\n"})
	big := filepath.Join(dir, "big.conf")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(100 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	wantDiag(t, parseFile(t, dir, "keepalived.conf"), hostileDiag{"", 1, parser.Warning, "include-not-found",
		fmt.Sprintf("cannot read included file '%s': file is 100 MB; keepalived-ls reads at most 64 MB", big)})
}

// TestHostileExpansion: definitions and generators multiply what one line
// produces; the parser bounds it per physical line and reports it once.
func TestHostileExpansion(t *testing.T) {
	count := func(doc *parser.Doc) (nodes, diags int) {
		var walk func(ns []*parser.Node)
		walk = func(ns []*parser.Node) {
			for _, n := range ns {
				nodes += 1 + len(n.Values)
				walk(n.Children)
			}
		}
		for _, u := range doc.Units() {
			walk(u.Nodes)
			diags += len(u.Diags)
		}
		return
	}
	parse := func(t *testing.T, text string, fsys parser.FS) *parser.Doc {
		var doc *parser.Doc
		el := testenv.Within(t, hostileLimit, func() {
			doc = parser.Parse("/etc/keepalived/keepalived.conf", []byte(text), parser.Options{FS: fsys})
		})
		nodes, diags := count(doc)
		t.Logf("%d bytes: %d nodes and value lines, %d diagnostics in %v", len(text), nodes, diags, el)
		return doc
	}
	const logicalMsg = "this line expands to more than 80000 logical lines (generated lines, the pieces braces split them into, and what their includes read); keepalived-ls reads only the first 80000"

	t.Run("self-referencing definition after a brace", func(t *testing.T) {
		// Each "$V" line once expanded 2048 times x 256 substitutions
		// (0.4 s a line).
		doc := parse(t, "$V={$V\n"+strings.Repeat("$V\n", 2000), nil)
		wantDiag(t, doc, hostileDiag{"", 2, parser.Error, "invalid-definition", "expanding 'V' does not terminate: a definition refers to itself"})
		if _, diags := count(doc); diags > 2*2000 {
			t.Errorf("%d diagnostics for 2000 lines", diags)
		}
	})
	t.Run("braces from a definition", func(t *testing.T) {
		// Every brace maps to the reference: one diagnostic a line, not
		// one a brace.
		doc := parse(t, "$B="+strings.Repeat("{", 1000)+"\n"+strings.Repeat("$B\n", 1000), nil)
		wantDiag(t, doc, hostileDiag{"", 2, parser.Error, "unbalanced-braces", "unexpected '{': no block keyword comes before it, so keepalived ignores it"})
		if _, diags := count(doc); diags != 1000 {
			t.Errorf("%d diagnostics for 1000 lines, want 1000", diags)
		}
	})
	t.Run("generated braces", func(t *testing.T) {
		doc := parse(t, "~SEQ(i,10000) "+strings.Repeat("a{", 500)+"\n", nil)
		wantDiag(t, doc, hostileDiag{"", 1, parser.Error, "invalid-generator", logicalMsg})
		if nodes, _ := count(doc); nodes > 80000 {
			t.Errorf("%d nodes from one line", nodes)
		}
	})
	t.Run("generated includes of a generator", func(t *testing.T) {
		fsys := lxFS{"/etc/keepalived/gen.conf": "~SEQ(j,10000) x\n"}
		doc := parse(t, "~SEQ(i,10000) include gen.conf\n", fsys)
		wantDiag(t, doc, hostileDiag{"", 1, parser.Error, "invalid-generator", logicalMsg})
		if nodes, _ := count(doc); nodes > 100000 {
			t.Errorf("%d nodes from one line (10^8 before the limit)", nodes)
		}
	})
	t.Run("brace line", func(t *testing.T) {
		doc := parse(t, strings.Repeat("{", 3<<20)+"\n", nil)
		wantDiag(t, doc, hostileDiag{"", 1, parser.Error, "line-too-long", "this line has more than 2048 braces; keepalived-ls reads no further"})
	})
}
