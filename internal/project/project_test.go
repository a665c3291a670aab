package project

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/keepalived-ls/keepalived-ls/analysis"
	"github.com/keepalived-ls/keepalived-ls/parser"
)

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestLoadWalksUp(t *testing.T) {
	root := t.TempDir()
	write(t, filepath.Join(root, FileName), `
target-version = "2.2.7"
config-id = "node1"
include-roots = ["conf", "/etc/keepalived"]

[rules]
extra-arguments = "off"
sorry-server-is-real-server = "Error"
`)
	deep := filepath.Join(root, "a", "b")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	st, path, err := Load(deep)
	if err != nil {
		t.Fatal(err)
	}
	if path != filepath.Join(root, FileName) {
		t.Errorf("found %q", path)
	}
	want := Settings{
		TargetVersion: "2.2.7", ConfigID: "node1",
		Rules:        map[string]string{"extra-arguments": "off", "sorry-server-is-real-server": "Error"},
		IncludeRoots: []string{filepath.Join(root, "conf"), "/etc/keepalived"},
	}
	if !reflect.DeepEqual(st, want) {
		t.Errorf("settings %+v, want %+v", st, want)
	}
	var cfg analysis.Config
	st.Apply(&cfg)
	if cfg.Target.String() != "2.2.7" || !cfg.Disabled["extra-arguments"] || cfg.Severity["sorry-server-is-real-server"] != parser.Error {
		t.Errorf("applied: %+v", cfg)
	}

	// A nearer file wins.
	write(t, filepath.Join(root, "a", FileName), "config-id = \"node2\"\n")
	st, path, err = Load(deep)
	if err != nil || path != filepath.Join(root, "a", FileName) || st.ConfigID != "node2" || st.TargetVersion != "" {
		t.Errorf("nearest: %+v %q %v", st, path, err)
	}
}

func TestLoadNone(t *testing.T) {
	// The filesystem root is the end of the walk (a temporary directory
	// normally has no project file above it).
	dir := t.TempDir()
	if p, _ := Find(filepath.Dir(dir)); p != "" {
		t.Skipf("a project file exists above the temporary directory: %s", p)
	}
	st, path, err := Load(dir)
	if err != nil || path != "" || !reflect.DeepEqual(st, Settings{}) {
		t.Errorf("got %+v %q %v", st, path, err)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"target-version = \"2.2.7\nconfig-id = 1\n", ":1: "},
		{"config-id = 1\n", "config-id"},
		{"target-version = \"banana\"\n", "target-version"},
		{"target-version = \"1.4.0\"\n", "is older"},
		{"[rules]\nno-such-rule = \"off\"\n", `unknown rule "no-such-rule"`},
		{"[rules]\nextra-arguments = \"loud\"\n", "unknown severity"},
		{"target_version = \"2.2.7\"\n", "unknown setting 'target_version'"},
		{"include-roots = [\"\"]\n", "include-roots"},
	} {
		_, err := Parse("/p/"+FileName, []byte(tc.text))
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "/p/"+FileName) {
			t.Errorf("%q: error %v, want it to name the file and say %q", tc.text, err, tc.want)
		}
	}
}

func TestFindDirectoryNamedLikeTheFile(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, FileName), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := Find(root); err == nil {
		t.Error("a directory named like the project file should be reported")
	}
}

func TestCluster(t *testing.T) {
	root := t.TempDir()
	write(t, filepath.Join(root, FileName), `
[cluster]
peers = ["node2/keepalived.conf", "node*/keepalived.conf", "/etc/keepalived/keepalived.conf", "lb/**/*.conf"]
`)
	for _, f := range []string{"node1/keepalived.conf", "node2/keepalived.conf", "node3/keepalived.conf", "lb/a/x.conf", "lb/b.conf"} {
		write(t, filepath.Join(root, f), "")
	}
	if err := os.MkdirAll(filepath.Join(root, "lb", "dir.conf"), 0o755); err != nil {
		t.Fatal(err)
	}
	st, _, err := Load(root)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(root, "node2/keepalived.conf"), filepath.Join(root, "node*/keepalived.conf"), "/etc/keepalived/keepalived.conf", filepath.Join(root, "lb/**/*.conf")}
	if !reflect.DeepEqual(st.Cluster.Peers, want) {
		t.Errorf("peers %q, want %q", st.Cluster.Peers, want)
	}
	files, err := ExpandPeers(st.Cluster.Peers)
	if err != nil {
		t.Fatal(err)
	}
	// In the order of the entries, matches sorted, no repeats, no
	// directories; a plain file name is kept even if it does not exist.
	want = []string{
		filepath.Join(root, "node2/keepalived.conf"),
		filepath.Join(root, "node1/keepalived.conf"),
		filepath.Join(root, "node3/keepalived.conf"),
		"/etc/keepalived/keepalived.conf",
		filepath.Join(root, "lb/a/x.conf"),
		filepath.Join(root, "lb/b.conf"),
	}
	if !reflect.DeepEqual(files, want) {
		t.Errorf("files:\n%q\nwant:\n%q", files, want)
	}

	for _, c := range []struct{ text, want string }{
		{"[cluster]\npeers = [\"\"]\n", "an empty file name"},
		{"[cluster]\npeers = [\"a/[b\"]\n", "not a valid pattern"},
		{"[cluster]\npeer = [\"a\"]\n", "unknown setting 'cluster.peer'"},
		{"[cluster]\npeers = \"a\"\n", "peers"},
	} {
		_, err := Parse("/p/"+FileName, []byte(c.text))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want %q", c.text, err, c.want)
		}
	}
}
