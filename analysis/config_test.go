package analysis

import (
	"testing"

	"github.com/keepalived-ls/keepalived-ls/parser"
	"github.com/keepalived-ls/keepalived-ls/parser/schema"
)

// configText has one auth-pass-truncated warning (line 6) and one
// unknown-keyword error (line 13).
var configText = authConf("123456789012") + "global_defs {\n    routerid lb1\n}\n"

func TestConfigDefaults(t *testing.T) {
	got := checkBoth(t, "/nonexistent/keepalived.conf", []byte(configText), Config{}, parser.Options{})
	assertDiags(t, got, []string{
		"auth-pass-truncated warning 6:19-6:31 auth_pass is 12 characters long",
		"unknown-keyword error 13:5-13:13 did you mean 'router_id'?",
	})
}

func TestConfigDisabled(t *testing.T) {
	cfg := Config{Disabled: map[string]bool{"auth-pass-truncated": true}}
	got := checkBoth(t, "/nonexistent/keepalived.conf", []byte(configText), cfg, parser.Options{})
	assertDiags(t, got, []string{"unknown-keyword error 13:5-13:13 did you mean 'router_id'?"})

	// A rule set to false is not disabled.
	cfg = Config{Disabled: map[string]bool{"auth-pass-truncated": false}}
	got = checkBoth(t, "/nonexistent/keepalived.conf", []byte(configText), cfg, parser.Options{})
	if len(got) != 2 {
		t.Errorf("Disabled[rule]=false removed diagnostics: %q", diagStrings(got))
	}

	// Parser rules can be disabled too.
	cfg = Config{Disabled: map[string]bool{"unbalanced-braces": true}}
	got = checkBoth(t, "/nonexistent/keepalived.conf", []byte("global_defs {\n    router_id lb1\n"), cfg, parser.Options{})
	assertDiags(t, got, nil)
}

func TestConfigSeverity(t *testing.T) {
	cfg := Config{Severity: map[string]parser.Severity{
		"auth-pass-truncated": parser.Error,
		"unknown-keyword":     parser.Hint,
	}}
	got := checkBoth(t, "/nonexistent/keepalived.conf", []byte(configText), cfg, parser.Options{})
	assertDiags(t, got, []string{
		"auth-pass-truncated error 6:19-6:31 auth_pass is 12 characters long",
		"unknown-keyword hint 13:5-13:13 did you mean 'router_id'?",
	})

	// Disabled wins over a severity.
	cfg.Disabled = map[string]bool{"unknown-keyword": true}
	got = checkBoth(t, "/nonexistent/keepalived.conf", []byte(configText), cfg, parser.Options{})
	assertDiags(t, got, []string{"auth-pass-truncated error 6:19-6:31 auth_pass is 12 characters long"})

	// Severities also apply to cross-object diagnostics (computed after the
	// per-unit analysis) and to parser diagnostics.
	text := confText(`
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    track_script {
        chk_nope
    }
` + vipBlock + `}
global_defs {
    router_id "lb1
}
`)
	cfg = Config{Severity: map[string]parser.Severity{"undefined-reference": parser.Information, "unterminated-quote": parser.Warning}}
	got = checkBoth(t, "/nonexistent/keepalived.conf", []byte(text), cfg, parser.Options{})
	assertDiags(t, got, []string{
		"undefined-reference information 5:9-5:17 there is no vrrp_script named 'chk_nope'",
		"unterminated-quote warning 12:5-12:19 a closing '\"' is missing",
	})
}

func TestConfigSetRule(t *testing.T) {
	var cfg Config
	for _, s := range []struct{ id, value string }{
		{"auth-pass-truncated", "error"},
		{"unknown-keyword", "warn"},
		{"invalid-value", "info"},
		{"empty-block", "hint"},
		{"duplicate-keyword", "off"},
		{"extra-arguments", "information"},
		{"deprecated-keyword", "warning"},
	} {
		if err := cfg.SetRule(s.id, s.value); err != nil {
			t.Errorf("SetRule(%q, %q): %v", s.id, s.value, err)
		}
	}
	want := map[string]parser.Severity{
		"auth-pass-truncated": parser.Error, "unknown-keyword": parser.Warning, "invalid-value": parser.Information,
		"empty-block": parser.Hint, "extra-arguments": parser.Information, "deprecated-keyword": parser.Warning,
	}
	for id, sev := range want {
		if cfg.Severity[id] != sev {
			t.Errorf("Severity[%s] = %v, want %v", id, cfg.Severity[id], sev)
		}
	}
	if !cfg.Disabled["duplicate-keyword"] {
		t.Error("duplicate-keyword=off did not disable the rule")
	}
	if _, ok := cfg.Severity["duplicate-keyword"]; ok {
		t.Error("duplicate-keyword=off set a severity")
	}
	for _, s := range []struct{ id, value string }{
		{"no-such-rule", "off"},
		{"no-such-rule", "error"},
		{"unknown-keyword", "fatal"},
		{"unknown-keyword", ""},
		{"unknown-keyword", "ERROR"},
	} {
		var c Config
		if err := c.SetRule(s.id, s.value); err == nil {
			t.Errorf("SetRule(%q, %q) accepted", s.id, s.value)
		}
	}

	got := checkBoth(t, "/nonexistent/keepalived.conf", []byte(configText), cfg, parser.Options{})
	assertDiags(t, got, []string{
		"auth-pass-truncated error 6:19-6:31 auth_pass is 12 characters long",
		"unknown-keyword warning 13:5-13:13 did you mean 'router_id'?",
	})
}

// TestCheckerReuse: a Checker gives the same result on every call, and
// after a document edit the same result as a fresh check.
func TestCheckerReuse(t *testing.T) {
	path := "/nonexistent/keepalived.conf"
	cfg := Config{Target: schema.MustVersion("2.3.2")}
	ck := NewChecker(cfg)
	if ck.Config().Target != cfg.Target {
		t.Errorf("Config().Target = %v", ck.Config().Target)
	}
	doc := parser.Parse(path, []byte(configText), parser.Options{Version: cfg.Target})
	first := diagStrings(ck.Check(doc))
	if again := diagStrings(ck.Check(doc)); !equalStrings(first, again) {
		t.Errorf("second Check differs:\n%s", diffLines(first, again))
	}
	// Fix the typo on line 13 ("routerid" -> "router_id").
	edited := doc.Edit(parser.Pos{Line: 12, Col: 10}, parser.Pos{Line: 12, Col: 10}, []byte("_"))
	got := diagStrings(ck.Check(edited))
	fresh := diagStrings(Check(parser.Parse(path, edited.Text(), parser.Options{Version: cfg.Target}), cfg))
	if !equalStrings(got, fresh) {
		t.Errorf("incremental check differs from a fresh one:\n%s", diffLines(got, fresh))
	}
	if len(got) != 1 {
		t.Errorf("after the edit: %q", got)
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
