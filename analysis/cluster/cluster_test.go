package cluster

// The fixtures are in testdata/cluster/NAME: the hosts' files (*.conf, in
// name order; other files are what they include) and expected.txt, the
// cluster diagnostics in the command line's text format, each followed by
// its related locations:
//
//	a.conf:9:5: error: message [rule]
//		related b.conf:9:5: why
//
// go test ./analysis/cluster -update rewrites expected.txt.

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/keepalived-ls/keepalived-ls/analysis"
	"github.com/keepalived-ls/keepalived-ls/parser"
)

var update = flag.Bool("update", false, "rewrite testdata/cluster/*/expected.txt")

const fixtures = "../../testdata/cluster"

// loadFixture parses the hosts of a fixture directory.
func loadFixture(t *testing.T, dir string) []Host {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*.conf"))
	if err != nil || len(names) == 0 {
		t.Fatalf("%s: no *.conf files (%v)", dir, err)
	}
	sort.Strings(names)
	var hosts []Host
	for _, name := range names {
		abs, err := filepath.Abs(name)
		if err != nil {
			t.Fatal(err)
		}
		text, err := os.ReadFile(abs)
		if err != nil {
			t.Fatal(err)
		}
		hosts = append(hosts, Host{Name: filepath.Base(name), Doc: parser.Parse(abs, text, parser.Options{})})
	}
	return hosts
}

// format writes the hosts' diagnostics like `check`, with related
// locations on indented lines.
func format(hosts []Host, out [][]parser.Diagnostic) string {
	var b strings.Builder
	where := func(h Host, src *parser.Source, span parser.Span) string {
		file, line := h.Name, h.Doc.Line
		if src != nil {
			file, line = src.Path, src.Line
			if r, err := filepath.Rel(filepath.Dir(h.Doc.Path), src.Path); err == nil {
				file = r
			}
		}
		col := parser.RuneCol(line(int(span.Start.Line)), int(span.Start.Col)) + 1
		return fmt.Sprintf("%s:%d:%d", file, span.Start.Line+1, col)
	}
	for i, ds := range out {
		for _, d := range ds {
			fmt.Fprintf(&b, "%s: %s: %s [%s]\n", where(hosts[i], d.Src, d.Span), d.Severity, d.Message, d.Rule)
			for _, r := range d.Related {
				// A related location in a peer's document has that
				// document's Source: name it like the peer.
				h := hosts[i]
				for _, p := range hosts {
					if r.Src != nil && r.Src.Path == p.Doc.Path {
						h, r.Src = p, nil
					}
				}
				fmt.Fprintf(&b, "\trelated %s: %s\n", where(h, r.Src, r.Span), r.Message)
			}
		}
	}
	return b.String()
}

func TestFixtures(t *testing.T) {
	dirs, err := os.ReadDir(fixtures)
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range dirs {
		if !dir.IsDir() {
			continue
		}
		t.Run(dir.Name(), func(t *testing.T) {
			path := filepath.Join(fixtures, dir.Name())
			hosts := loadFixture(t, path)
			out := Check(hosts)
			got := format(hosts, out)
			exp := filepath.Join(path, "expected.txt")
			if *update {
				if err := os.WriteFile(exp, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(exp)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("diagnostics differ from %s\ngot:\n%s\nwant:\n%s", exp, got, want)
			}
			// A rule's fixture reports that rule; clean reports nothing.
			rule := dir.Name()
			if _, ok := analysis.LookupRule(rule); ok && !strings.Contains(got, "["+rule+"]") {
				t.Errorf("fixture %s does not report %s", rule, rule)
			}
			if rule == "clean" && got != "" {
				t.Errorf("the clean fixture reports:\n%s", got)
			}
			// The single-file check finds nothing in the fixtures but
			// what they are about: the hosts are valid on their own.
			for _, h := range hosts {
				for _, d := range analysis.Check(h.Doc, analysis.Config{}) {
					if d.Severity == parser.Error {
						t.Errorf("%s: single-file error: %s [%s]", h.Name, d.Message, d.Rule)
					}
				}
			}
		})
	}
}

// TestEveryClusterRule: each cluster rule has a fixture directory, reports
// its default severity there (or a documented other one), and has a
// documentation page listed in the rules index.
func TestEveryClusterRule(t *testing.T) {
	index, err := os.ReadFile("../../docs/rules/README.md")
	if err != nil {
		t.Fatal(err)
	}
	// Rules whose severity depends on the case (see their pages).
	varies := map[string]bool{"cluster-advert-int-mismatch": true, "cluster-vip-mismatch": true}
	n := 0
	for _, r := range analysis.Rules() {
		if !analysis.IsClusterRule(r.ID) {
			continue
		}
		n++
		if _, err := os.Stat(filepath.Join(fixtures, r.ID, "expected.txt")); err != nil {
			t.Errorf("rule %s has no fixture: %v", r.ID, err)
		}
		if _, err := os.Stat(filepath.Join("../../docs/rules", r.ID+".md")); err != nil {
			t.Errorf("rule %s has no page: %v", r.ID, err)
		}
		if !strings.Contains(string(index), "("+r.ID+".md)") {
			t.Errorf("rule %s is not in docs/rules/README.md", r.ID)
		}
		hosts := loadFixture(t, filepath.Join(fixtures, r.ID))
		for _, ds := range Check(hosts) {
			for _, d := range ds {
				if d.Rule == r.ID && d.Severity != r.Severity && !varies[r.ID] {
					t.Errorf("%s reported as %s, its default is %s", r.ID, d.Severity, r.Severity)
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no cluster rules registered")
	}
}

// TestFewerThanTwoHosts: nothing to compare.
func TestFewerThanTwoHosts(t *testing.T) {
	hosts := loadFixture(t, filepath.Join(fixtures, "cluster-multiple-masters"))
	if out := Check(hosts[:1]); len(out) != 1 || len(out[0]) != 0 {
		t.Errorf("one host: %v", out)
	}
	if out := Check(nil); len(out) != 0 {
		t.Errorf("no hosts: %v", out)
	}
}

// TestSuppressionAndSettings: FinishExtra applies suppression comments and
// rule settings to cluster diagnostics, and the single-file check does not
// call a suppression of a cluster rule unused.
func TestSuppressionAndSettings(t *testing.T) {
	a := "vrrp_instance VI_1 {\n    # keepalived-ls: disable=cluster-multiple-masters\n    state MASTER\n    interface eth0\n    virtual_router_id 51\n    priority 100\n    advert_int 1\n    virtual_ipaddress {\n        192.0.2.10/24\n    }\n}\n"
	b := "vrrp_instance VI_1 {\n    state MASTER\n    interface eth0\n    virtual_router_id 51\n    priority 100\n    advert_int 2\n    virtual_ipaddress {\n        192.0.2.10/24\n    }\n}\n"
	hosts := []Host{
		{Name: "a.conf", Doc: parser.Parse("/x/a.conf", []byte(a), parser.Options{})},
		{Name: "b.conf", Doc: parser.Parse("/x/b.conf", []byte(b), parser.Options{})},
	}
	out := Check(hosts)
	rules := func(ds []parser.Diagnostic) string {
		var s []string
		for _, d := range ds {
			s = append(s, fmt.Sprintf("%d:%s:%s", d.Span.Start.Line+1, d.Severity, d.Rule))
		}
		return strings.Join(s, " ")
	}
	if got := rules(out[0]); got != "3:warning:cluster-multiple-masters 7:error:cluster-advert-int-mismatch" {
		t.Fatalf("a.conf before suppression: %s", got)
	}
	c := analysis.NewChecker(analysis.Config{})
	if got := rules(c.FinishExtra(hosts[0].Doc, out[0])); got != "7:error:cluster-advert-int-mismatch" {
		t.Errorf("a.conf after suppression: %s", got)
	}
	for _, d := range c.Check(hosts[0].Doc) {
		if d.Rule == "unused-suppression" {
			t.Errorf("single-file check: %s", d.Message)
		}
	}
	// Rule settings: a severity and off.
	var cfg analysis.Config
	if err := cfg.SetRule("cluster-advert-int-mismatch", "hint"); err != nil {
		t.Fatal(err)
	}
	if err := cfg.SetRule("cluster-multiple-masters", "off"); err != nil {
		t.Fatal(err)
	}
	got := analysis.NewChecker(cfg).FinishExtra(hosts[1].Doc, out[1])
	if rules(got) != "6:hint:cluster-advert-int-mismatch" {
		t.Fatalf("b.conf with rule settings: %s", rules(got))
	}
	// The suppression quick fix is offered.
	if f := got[0].Fixes; len(f) == 0 || f[len(f)-1].Title != "Disable cluster-advert-int-mismatch for this line" {
		t.Errorf("no suppression fix: %+v", f)
	}
}
