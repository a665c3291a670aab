package analysis

import (
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/keepalived-ls/keepalived-ls/parser"
	"github.com/keepalived-ls/keepalived-ls/parser/schema"
)

// symbolsConf uses every kind of named object keepalived has.
var symbolsConf = confText(`
$IFACE=eth0
global_defs {
    router_id lb1
    lvs_sync_daemon ${IFACE} VI_1 id 5
}
vrrp_script chk_web {
    script "/usr/bin/pgrep nginx"
    interval 2
}
vrrp_track_process proc_web {
    process nginx
}
track_file tf_main {
    file /run/keepalived.state
}
vrrp_track_file tf_old {
    file /run/old.state
}
bfd_instance bfd_gw {
    neighbor_ip 192.0.2.1
}
track_group tg {
    group {
        VI_1
    }
}
static_ipaddress {
    192.0.2.50/24 dev eth0 track_group tg
}
vrrp_instance VI_1 {
    state MASTER
    interface ${IFACE}
    virtual_router_id 51
    priority 100
    virtual_ipaddress {
        192.0.2.10/24
    }
    track_script {
        chk_web weight 10
    }
    track_process {
        proc_web
    }
    track_file {
        tf_main
        tf_old
    }
    track_bfd {
        bfd_gw
    }
}
vrrp_sync_group VG_1 {
    group {
        VI_1
    }
    track_script {
        chk_web
    }
}
virtual_server_group vsg_web {
    192.0.2.10 80
}
virtual_server group vsg_web {
    lb_algo rr
    protocol TCP
    real_server 192.0.2.21 80 {
        FILE_CHECK {
            track_file tf_main
        }
    }
    real_server 192.0.2.22 80 {
        BFD_CHECK {
            name bfd_gw
        }
    }
}
`)

// occString renders an occurrence as "[FILE ]L:C-L:C def|use KIND NAME"
// with 1-based lines and columns; FILE is the base name of an included file.
func occString(o Occurrence) string {
	use := "use"
	if o.Def {
		use = "def"
	}
	s := fmt.Sprintf("%d:%d-%d:%d %s %s %s", o.Span.Start.Line+1, o.Span.Start.Col+1, o.Span.End.Line+1, o.Span.End.Col+1, use, o.Kind, o.Name)
	if o.Src != nil {
		s = filepath.Base(o.Src.Path) + " " + s
	}
	return s
}

func occStrings(occs []Occurrence) []string {
	out := make([]string, 0, len(occs))
	for _, o := range occs {
		out = append(out, occString(o))
	}
	return out
}

// posOf finds the 0-based line and byte column of the n-th (1-based)
// occurrence of needle in text, plus offset bytes.
func posOf(t testing.TB, text, needle string, n, offset int) (int, int) {
	t.Helper()
	at := -1
	for i := 0; i < n; i++ {
		j := strings.Index(text[at+1:], needle)
		if j < 0 {
			t.Fatalf("%q occurs fewer than %d times", needle, n)
		}
		at += 1 + j
	}
	at += offset
	line := strings.Count(text[:at], "\n")
	return line, at - (strings.LastIndex(text[:at], "\n") + 1)
}

func TestSymbolIndexConfigIsClean(t *testing.T) {
	d := parser.Parse("keepalived.conf", []byte(symbolsConf), parser.Options{})
	var got []string
	for _, dg := range Check(d, Config{}) {
		if dg.Severity == parser.Error {
			got = append(got, diagString(dg))
		}
	}
	if len(got) > 0 {
		t.Fatalf("the test configuration has problems:\n%s", strings.Join(got, "\n"))
	}
}

func TestSymbolIndex(t *testing.T) {
	d := parser.Parse("keepalived.conf", []byte(symbolsConf), parser.Options{})
	ix := BuildIndex(d, schema.Version{})
	want := []string{
		"1:2-1:7 def $ IFACE",
		"4:21-4:29 use $ IFACE",
		"4:30-4:34 use vrrp_instance VI_1",
		"6:13-6:20 def vrrp_script chk_web",
		"10:20-10:28 def vrrp_track_process proc_web",
		"13:12-13:19 def track_file tf_main",
		"16:17-16:23 def track_file tf_old",
		"19:14-19:20 def bfd_instance bfd_gw",
		"22:13-22:15 def track_group tg",
		"24:9-24:13 use vrrp_instance VI_1",
		"28:40-28:42 use track_group tg",
		"30:15-30:19 def vrrp_instance VI_1",
		"32:15-32:23 use $ IFACE",
		"39:9-39:16 use vrrp_script chk_web",
		"42:9-42:17 use vrrp_track_process proc_web",
		"45:9-45:16 use track_file tf_main",
		"46:9-46:15 use track_file tf_old",
		"49:9-49:15 use bfd_instance bfd_gw",
		"52:17-52:21 def vrrp_sync_group VG_1",
		"54:9-54:13 use vrrp_instance VI_1",
		"57:9-57:16 use vrrp_script chk_web",
		"60:22-60:29 def virtual_server_group vsg_web",
		"63:22-63:29 use virtual_server_group vsg_web",
		"68:24-68:31 use track_file tf_main",
		"73:18-73:24 use bfd_instance bfd_gw",
	}
	if got := occStrings(ix.Occs); !slices.Equal(got, want) {
		t.Errorf("index:\n%s", diffLines(got, want))
	}
}

func TestDefinitionReferencesHighlights(t *testing.T) {
	d := parser.Parse("keepalived.conf", []byte(symbolsConf), parser.Options{})
	ix := BuildIndex(d, schema.Version{})
	for _, tc := range []struct {
		needle  string
		n       int
		def     []string
		refs    []string // with the declaration
		without int      // how many of refs are declarations
	}{
		{"chk_web", 2, []string{"6:13-6:20 def vrrp_script chk_web"},
			[]string{"6:13-6:20 def vrrp_script chk_web", "39:9-39:16 use vrrp_script chk_web", "57:9-57:16 use vrrp_script chk_web"}, 1},
		{"chk_web", 1, []string{"6:13-6:20 def vrrp_script chk_web"},
			[]string{"6:13-6:20 def vrrp_script chk_web", "39:9-39:16 use vrrp_script chk_web", "57:9-57:16 use vrrp_script chk_web"}, 1},
		{"VI_1", 3, []string{"30:15-30:19 def vrrp_instance VI_1"},
			[]string{"4:30-4:34 use vrrp_instance VI_1", "24:9-24:13 use vrrp_instance VI_1", "30:15-30:19 def vrrp_instance VI_1", "54:9-54:13 use vrrp_instance VI_1"}, 1},
		{"tf_main", 3, []string{"13:12-13:19 def track_file tf_main"},
			[]string{"13:12-13:19 def track_file tf_main", "45:9-45:16 use track_file tf_main", "68:24-68:31 use track_file tf_main"}, 1},
		{"tf_old", 2, []string{"16:17-16:23 def track_file tf_old"},
			[]string{"16:17-16:23 def track_file tf_old", "46:9-46:15 use track_file tf_old"}, 1},
		{"proc_web", 2, []string{"10:20-10:28 def vrrp_track_process proc_web"},
			[]string{"10:20-10:28 def vrrp_track_process proc_web", "42:9-42:17 use vrrp_track_process proc_web"}, 1},
		{"bfd_gw", 3, []string{"19:14-19:20 def bfd_instance bfd_gw"},
			[]string{"19:14-19:20 def bfd_instance bfd_gw", "49:9-49:15 use bfd_instance bfd_gw", "73:18-73:24 use bfd_instance bfd_gw"}, 1},
		{"vsg_web", 2, []string{"60:22-60:29 def virtual_server_group vsg_web"},
			[]string{"60:22-60:29 def virtual_server_group vsg_web", "63:22-63:29 use virtual_server_group vsg_web"}, 1},
		{"track_group tg", 1, []string{"22:13-22:15 def track_group tg"},
			[]string{"22:13-22:15 def track_group tg", "28:40-28:42 use track_group tg"}, 1},
		{"${IFACE}", 2, []string{"1:2-1:7 def $ IFACE"},
			[]string{"1:2-1:7 def $ IFACE", "4:21-4:29 use $ IFACE", "32:15-32:23 use $ IFACE"}, 1},
	} {
		t.Run(fmt.Sprintf("%s#%d", tc.needle, tc.n), func(t *testing.T) {
			off := 1
			if tc.needle == "track_group tg" {
				off = len("track_group t")
			}
			line, col := posOf(t, symbolsConf, tc.needle, tc.n, off)
			if got := occStrings(ix.DefinitionAt("", line, col)); !slices.Equal(got, tc.def) {
				t.Errorf("definition: got %q, want %q", got, tc.def)
			}
			if got := occStrings(ix.ReferencesAt("", line, col, true)); !slices.Equal(got, tc.refs) {
				t.Errorf("references:\n%s", diffLines(got, tc.refs))
			}
			var uses []string
			for _, r := range tc.refs {
				if !strings.Contains(r, " def ") {
					uses = append(uses, r)
				}
			}
			if got := occStrings(ix.ReferencesAt("", line, col, false)); !slices.Equal(got, uses) {
				t.Errorf("references without declaration:\n%s", diffLines(got, uses))
			}
			if got := occStrings(ix.HighlightsAt("", line, col)); !slices.Equal(got, tc.refs) {
				t.Errorf("highlights:\n%s", diffLines(got, tc.refs))
			}
		})
	}
	// Keywords, values and blank space are not names.
	for _, p := range [][2]int{{0, 0}, {5, 3}, {29, 9}, {62, 0}, {64, 14}} {
		if got := ix.ReferencesAt("", p[0], p[1], true); got != nil {
			t.Errorf("references at %v: %q", p, occStrings(got))
		}
		if got := ix.DefinitionAt("", p[0], p[1]); got != nil {
			t.Errorf("definition at %v: %q", p, occStrings(got))
		}
	}
}

// TestParameterDefinitionInForce: a $NAME reference goes to the definition
// keepalived uses there, the last one before it.
func TestParameterDefinitionInForce(t *testing.T) {
	text := confText(`
$PRIO=100
$P2=${PRIO} x
vrrp_instance A {
    priority $PRIO
}
$PRIO=50
vrrp_instance B {
    priority $PRIO
    interface ${_PWD}
}
`)
	d := parser.Parse("keepalived.conf", []byte(text), parser.Options{})
	ix := BuildIndex(d, schema.Version{})
	line, col := posOf(t, text, "$PRIO", 2, 2)
	if got, want := occStrings(ix.DefinitionAt("", line, col)), []string{"1:2-1:6 def $ PRIO"}; !slices.Equal(got, want) {
		t.Errorf("first use: %q, want %q", got, want)
	}
	line, col = posOf(t, text, "$PRIO", 4, 2)
	if got, want := occStrings(ix.DefinitionAt("", line, col)), []string{"6:2-6:6 def $ PRIO"}; !slices.Equal(got, want) {
		t.Errorf("second use: %q, want %q", got, want)
	}
	// The reference inside another definition's value counts too.
	line, col = posOf(t, text, "${PRIO}", 1, 3)
	want := []string{"1:2-1:6 def $ PRIO", "2:5-2:12 use $ PRIO", "4:14-4:19 use $ PRIO", "6:2-6:6 def $ PRIO", "8:14-8:19 use $ PRIO"}
	if got := occStrings(ix.ReferencesAt("", line, col, true)); !slices.Equal(got, want) {
		t.Errorf("references:\n%s", diffLines(got, want))
	}
	// Built-ins have no definition.
	line, col = posOf(t, text, "${_PWD}", 1, 3)
	if got := ix.DefinitionAt("", line, col); got != nil {
		t.Errorf("definition of ${_PWD}: %q", occStrings(got))
	}
}

func TestRename(t *testing.T) {
	d := parser.Parse("keepalived.conf", []byte(symbolsConf), parser.Options{})
	ix := BuildIndex(d, schema.Version{})
	line, col := posOf(t, symbolsConf, "chk_web", 3, 0)
	o, err := ix.PrepareRename("", line, col)
	if err != nil || o.Name != "chk_web" || occString(o) != "57:9-57:16 use vrrp_script chk_web" {
		t.Fatalf("prepare: %q %v", occString(o), err)
	}
	edits, err := ix.RenameAt("", line, col, "chk_nginx")
	if err != nil {
		t.Fatal(err)
	}
	got := applyTestEdits(t, symbolsConf, edits)
	if want := strings.ReplaceAll(symbolsConf, "chk_web", "chk_nginx"); got != want {
		t.Errorf("rename:\n%s", diffLines(strings.Split(got, "\n"), strings.Split(want, "\n")))
	}
	// A parameter: definition and every reference, ${} kept.
	line, col = posOf(t, symbolsConf, "IFACE", 1, 0)
	edits, err = ix.RenameAt("", line, col, "$LAN")
	if err != nil {
		t.Fatal(err)
	}
	got = applyTestEdits(t, symbolsConf, edits)
	if want := strings.ReplaceAll(symbolsConf, "IFACE", "LAN"); got != want {
		t.Errorf("rename parameter:\n%s", diffLines(strings.Split(got, "\n"), strings.Split(want, "\n")))
	}
	// Instance names in sync groups, track groups and lvs_sync_daemon.
	line, col = posOf(t, symbolsConf, "VI_1", 1, 2)
	edits, err = ix.RenameAt("", line, col, "VI_web")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := applyTestEdits(t, symbolsConf, edits), strings.ReplaceAll(symbolsConf, "VI_1", "VI_web"); got != want {
		t.Errorf("rename instance:\n%s", diffLines(strings.Split(got, "\n"), strings.Split(want, "\n")))
	}
}

func TestRenameRefused(t *testing.T) {
	text := confText(`
$CHK=chk_b
vrrp_script chk_a {
    script "/bin/true"
}
vrrp_script chk_b {
    script "/bin/true"
}
vrrp_instance VI_1 {
    interface ${_PWD}
    track_script {
        chk_a
        $CHK
        "chk_a"
    }
}
`)
	d := parser.Parse("keepalived.conf", []byte(text), parser.Options{})
	ix := BuildIndex(d, schema.Version{})
	at := func(needle string, n, off int) (int, int) { return posOf(t, text, needle, n, off) }
	for _, tc := range []struct {
		name     string
		line     int
		col      int
		newName  string
		want     string // error, or the renamed text's changed lines
		wantText []string
	}{
		{name: "keyword", newName: "x", want: "'vrrp_script' is a keyword: only the names of scripts, instances, groups, trackers and $parameters can be renamed"},
		{name: "builtin", newName: "X", want: "${_PWD} is built into keepalived and cannot be renamed"},
		{name: "substituted", newName: "x", want: "'chk_b' is produced by parameter substitution at this file:12; rename it there by hand"},
		{name: "nothing", newName: "x", want: "there is no name to rename here"},
		{name: "bad-name", newName: "chk b", want: "'chk b' is not a valid name: keepalived reads it as several words"},
		{name: "bad-param", newName: "1X", want: "'1X' is not a valid parameter name: use letters, digits and '_', not starting with a digit"},
		{name: "quoted", newName: "chk_c", wantText: []string{"vrrp_script chk_c {", "        chk_c", "        \"chk_c\""}},
	} {
		switch tc.name {
		case "keyword":
			tc.line, tc.col = at("vrrp_script", 1, 3)
		case "builtin":
			tc.line, tc.col = at("_PWD", 1, 0)
		case "substituted":
			tc.line, tc.col = at("chk_b", 2, 0)
		case "nothing":
			tc.line, tc.col = at("script \"/bin", 1, 8)
		case "bad-name", "quoted":
			tc.line, tc.col = at("\"chk_a\"", 1, 2)
		case "bad-param":
			tc.line, tc.col = at("CHK", 2, 0)
		}
		t.Run(tc.name, func(t *testing.T) {
			edits, err := ix.RenameAt("", tc.line, tc.col, tc.newName)
			if tc.want != "" {
				if err == nil || err.Error() != tc.want {
					t.Errorf("got %v, want error %q", err, tc.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := applyTestEdits(t, text, edits)
			var changed []string
			old := strings.Split(text, "\n")
			for i, l := range strings.Split(got, "\n") {
				if l != old[i] {
					changed = append(changed, l)
				}
			}
			if !slices.Equal(changed, tc.wantText) {
				t.Errorf("changed lines %q, want %q", changed, tc.wantText)
			}
		})
	}
}

// TestSymbolsAcrossIncludes: definitions and uses in included files carry
// their file; a rename edits both files; names of files that are not part
// of the configuration are refused.
func TestSymbolsAcrossIncludes(t *testing.T) {
	dir := t.TempDir()
	main := confText(`
include scripts/*.conf
vrrp_instance VI_1 {
    interface eth0
    track_script {
        chk_web
    }
    include track.inc
}
`)
	writeTestFiles(t, dir, map[string]string{
		"keepalived.conf":     main,
		"scripts/web.conf":    "vrrp_script chk_web {\n    script \"/bin/true\"\n}\n",
		"track.inc":           "    track_script {\n        chk_web weight 2\n    }\n",
		"unrelated/misc.conf": "vrrp_script chk_web {\n}\n",
	})
	path := filepath.Join(dir, "keepalived.conf")
	d := parser.Parse(path, []byte(main), parser.Options{})
	ix := BuildIndex(d, schema.Version{})
	want := []string{"web.conf 1:13-1:20 def vrrp_script chk_web", "5:9-5:16 use vrrp_script chk_web", "track.inc 2:9-2:16 use vrrp_script chk_web"}
	if got, all := occStrings(ix.Occs), append(want[:1:1], append([]string{"2:15-2:19 def vrrp_instance VI_1"}, want[1:]...)...); !slices.Equal(got, all) {
		t.Errorf("index:\n%s", diffLines(got, all))
	}
	line, col := posOf(t, main, "chk_web", 1, 0)
	if got := occStrings(ix.DefinitionAt("", line, col)); !slices.Equal(got, want[:1]) {
		t.Errorf("definition %q", got)
	}
	// From the included file.
	inc := filepath.Join(dir, "track.inc")
	if got := occStrings(ix.ReferencesAt(inc, 1, 10, true)); !slices.Equal(got, want) {
		t.Errorf("references from track.inc:\n%s", diffLines(got, want))
	}
	if got := occStrings(ix.HighlightsAt(inc, 1, 10)); !slices.Equal(got, want[2:]) {
		t.Errorf("highlights in track.inc: %q", got)
	}
	edits, err := ix.RenameAt(inc, 1, 10, "chk_nginx")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range edits {
		file := "main"
		if e.Src != nil {
			file = filepath.Base(e.Src.Path)
		}
		got = append(got, fmt.Sprintf("%s %d:%d-%d:%d %s", file, e.Span.Start.Line+1, e.Span.Start.Col+1, e.Span.End.Line+1, e.Span.End.Col+1, e.NewText))
	}
	sort.Strings(got)
	if want := []string{"main 5:9-5:16 chk_nginx", "track.inc 2:9-2:16 chk_nginx", "web.conf 1:13-1:20 chk_nginx"}; !slices.Equal(got, want) {
		t.Errorf("rename edits %q, want %q", got, want)
	}
	if _, err := ix.RenameAt(filepath.Join(dir, "unrelated/misc.conf"), 0, 14, "x"); err == nil ||
		!strings.Contains(err.Error(), "is not part of this configuration") {
		t.Errorf("rename in a file that is not included: %v", err)
	}
	// The include directive leads to the files it reads.
	if got := IncludedFilesAt(d, 0, 3); !slices.Equal(got, []string{filepath.Join(dir, "scripts/web.conf")}) {
		t.Errorf("included files %q", got)
	}
}
