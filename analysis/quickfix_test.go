package analysis

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keepalived-ls/keepalived-ls/parser"
)

// sameProblem counts the diagnostics with d's rule and message.
func sameProblem(ds []parser.Diagnostic, d parser.Diagnostic) int {
	n := 0
	for _, x := range ds {
		if x.Rule == d.Rule && x.Message == d.Message {
			n++
		}
	}
	return n
}

// TestFixesResolveTheirDiagnostic applies every fix offered in the rule
// cases, one at a time, and requires that the fixed text no longer has the
// diagnostic the fix was offered for.
func TestFixesResolveTheirDiagnostic(t *testing.T) {
	fixes := 0
	for _, c := range ruleCases {
		t.Run(c.name, func(t *testing.T) {
			before, _ := lintCase(t, c, c.text)
			for _, d := range before {
				for _, f := range d.Fixes {
					if len(f.Edits) == 0 {
						t.Errorf("%s: fix %q has no edits", diagString(d), f.Title)
						continue
					}
					if f.Title == "" {
						t.Errorf("%s: fix without a title", diagString(d))
					}
					if d.Src != nil {
						continue // fixes of included files: TestFixInIncludedFile
					}
					fixes++
					fixed := applyTestEdits(t, c.text, f.Edits)
					after, _ := lintCase(t, c, fixed)
					if sameProblem(after, d) >= sameProblem(before, d) {
						t.Errorf("fix %q for %q does not remove it; fixed text:\n%s", f.Title, diagString(d), fixed)
					}
				}
			}
		})
	}
	if fixes < 8 {
		t.Errorf("only %d fixes were tried; the rule cases should offer more", fixes)
	}
}

// TestPreferredFixesClean applies all preferred fixes of the cases marked
// fixClean at once: the result must have no diagnostic left.
func TestPreferredFixesClean(t *testing.T) {
	for _, c := range ruleCases {
		if !c.fixClean {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			before, _ := lintCase(t, c, c.text)
			var edits []parser.Edit
			for _, d := range before {
				preferred := 0
				for _, f := range d.Fixes {
					if f.Preferred {
						preferred++
						edits = append(edits, f.Edits...)
					}
				}
				if preferred > 1 {
					t.Errorf("%s has %d preferred fixes", diagString(d), preferred)
				}
			}
			if len(edits) == 0 {
				// Cases without a preferred fix: take the first fix of
				// each diagnostic that has one.
				for _, d := range before {
					if len(d.Fixes) > 0 {
						edits = append(edits, d.Fixes[0].Edits...)
					}
				}
			}
			if len(edits) == 0 {
				t.Fatal("no fix offered")
			}
			fixed := applyTestEdits(t, c.text, edits)
			after, _ := lintCase(t, c, fixed)
			if len(after) > 0 {
				t.Errorf("fixed text still has diagnostics:\n%s\nfixed text:\n%s", strings.Join(diagStrings(after), "\n"), fixed)
			}
		})
	}
}

// fixedText applies the first fix of the first diagnostic of rule in text
// and returns the fixed text.
func fixedText(t *testing.T, text string, rule string) string {
	t.Helper()
	ds := checkBoth(t, "/nonexistent/keepalived.conf", []byte(text), Config{}, parser.Options{})
	var fixes []parser.Fix
	for _, d := range ds {
		if d.Rule == rule {
			fixes = append(fixes, d.Fixes...)
		}
	}
	if len(fixes) == 0 {
		t.Fatalf("no %s diagnostic with a fix in:\n%s\ngot %q", rule, text, diagStrings(ds))
	}
	return applyTestEdits(t, text, fixes[0].Edits)
}

// lineOf returns line n (1-based) of text.
func lineOf(text string, n int) string { return strings.Split(text, "\n")[n-1] }

func TestFixTexts(t *testing.T) {
	t.Run("auth_pass", func(t *testing.T) {
		got := fixedText(t, authConf("123456789012"), "auth-pass-truncated")
		if l := lineOf(got, 6); l != "        auth_pass 12345678" {
			t.Errorf("line 6 = %q", l)
		}
	})
	t.Run("auth_pass-quoted", func(t *testing.T) {
		got := fixedText(t, authConf(`"pass word 123"`), "auth-pass-truncated")
		if l := lineOf(got, 6); l != `        auth_pass "pass wor"` {
			t.Errorf("line 6 = %q", l)
		}
	})
	t.Run("nb_get_retry", func(t *testing.T) {
		got := fixedText(t, httpCheckConf("nb_get_retry 3"), "deprecated-keyword")
		if l := lineOf(got, 8); l != "            retry 3" {
			t.Errorf("line 8 = %q", l)
		}
	})
	t.Run("did-you-mean", func(t *testing.T) {
		got := fixedText(t, "global_defs {\n    router_ide lb1\n}\n", "unknown-keyword")
		if l := lineOf(got, 2); l != "    router_id lb1" {
			t.Errorf("line 2 = %q", l)
		}
	})
	t.Run("gw", func(t *testing.T) {
		got := fixedText(t, "static_routes {\n    10.1.0.0/16 gw 10.0.0.1 dev eth0\n}\n", "deprecated-syntax")
		if l := lineOf(got, 2); l != "    10.1.0.0/16 via 10.0.0.1 dev eth0" {
			t.Errorf("line 2 = %q", l)
		}
	})
	t.Run("value-list-without-braces", func(t *testing.T) {
		text := confText(`
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    virtual_ipaddress 192.168.1.10/24
}
`)
		got := fixedText(t, text, "value-list-without-braces")
		for i, want := range []string{"    virtual_ipaddress {", "        192.168.1.10/24", "    }", "}"} {
			if l := lineOf(got, 4+i); l != want {
				t.Errorf("line %d = %q, want %q", 4+i, l, want)
			}
		}
	})
	t.Run("value-list-without-braces-one-entry-per-word", func(t *testing.T) {
		text := confText(`
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    unicast_peer 10.0.0.2 10.0.0.3
}
`)
		got := fixedText(t, text, "value-list-without-braces")
		for i, want := range []string{"    unicast_peer {", "        10.0.0.2", "        10.0.0.3", "    }"} {
			if l := lineOf(got, 4+i); l != want {
				t.Errorf("line %d = %q, want %q", 4+i, l, want)
			}
		}
	})
	t.Run("duplicate-real-server-deletes-whole-lines", func(t *testing.T) {
		text := confText(`
virtual_server 10.0.0.1 80 {
    protocol TCP
    real_server 10.0.0.5 80 {
        weight 1
    }
    real_server 10.0.0.5 80 {
        weight 2
    }
}
`)
		got := fixedText(t, text, "duplicate-real-server")
		want := confText(`
virtual_server 10.0.0.1 80 {
    protocol TCP
    real_server 10.0.0.5 80 {
        weight 1
    }
}
`)
		if got != want {
			t.Errorf("fixed text:\n%s\nwant:\n%s", got, want)
		}
	})
	t.Run("sorry-server-fixes", func(t *testing.T) {
		all := checkBoth(t, "/nonexistent/keepalived.conf", []byte(sorryConf), Config{}, parser.Options{})
		var ds []parser.Diagnostic
		for _, d := range all {
			if d.Rule == "sorry-server-is-real-server" {
				ds = append(ds, d)
			}
		}
		// Two fixes of its own, and the suppression comment.
		if len(ds) != 1 || len(ds[0].Fixes) != 3 {
			t.Fatalf("want one diagnostic with three fixes, got %q", diagStrings(all))
		}
		noSorry := applyTestEdits(t, sorryConf, ds[0].Fixes[0].Edits)
		if strings.Contains(noSorry, "sorry_server") || !strings.Contains(noSorry, "real_server 10.0.0.5 {") {
			t.Errorf("Remove the sorry_server gave:\n%s", noSorry)
		}
		noReal := applyTestEdits(t, sorryConf, ds[0].Fixes[1].Edits)
		if strings.Contains(noReal, "real_server") || !strings.Contains(noReal, "sorry_server 10.0.0.5 80") {
			t.Errorf("Remove the conflicting real_server gave:\n%s", noReal)
		}
		if len(ds[0].Related) != 1 || ds[0].Related[0].Span.Start.Line != 3 {
			t.Errorf("related = %+v, want the real_server on line 4", ds[0].Related)
		}
	})
}

// TestFixInIncludedFile: a fix for a problem in an included file edits that
// file (Src set, lines of that file).
func TestFixInIncludedFile(t *testing.T) {
	dir := t.TempDir()
	inc := filepath.Join(dir, "conf.d", "vrrp.conf")
	writeTestFiles(t, dir, map[string]string{
		"conf.d/vrrp.conf": "vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n    priorty 100\n" + vipBlock + "}\n",
	})
	main := filepath.Join(dir, "keepalived.conf")
	text := []byte("global_defs {\n    router_id lb1\n}\ninclude conf.d/*.conf\n")
	ds := checkBoth(t, main, text, Config{}, parser.Options{})
	if len(ds) != 1 || ds[0].Src == nil || ds[0].Src.Path != inc || len(ds[0].Fixes) == 0 {
		t.Fatalf("want one diagnostic with a fix in %s, got %q", inc, diagStrings(ds))
	}
	e := ds[0].Fixes[0].Edits[0]
	if e.Src == nil || e.Src.Path != inc {
		t.Fatalf("fix edits %v, want the included file", e.Src)
	}
	if e.Span.Start.Line != 3 {
		t.Errorf("fix edits line %d of the included file, want line 4", e.Span.Start.Line+1)
	}
	src := ds[0].Src
	start, end := src.Offset(e.Span.Start), src.Offset(e.Span.End)
	fixed := string(src.Text[:start]) + e.NewText + string(src.Text[end:])
	if err := os.WriteFile(inc, []byte(fixed), 0o644); err != nil {
		t.Fatal(err)
	}
	if ds := checkBoth(t, main, text, Config{}, parser.Options{}); len(ds) != 0 {
		t.Errorf("after the fix: %q", diagStrings(ds))
	}
}
