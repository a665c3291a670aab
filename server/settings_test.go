package server

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

const sorryConf = `virtual_server 10.0.0.1 80 {
    protocol TCP
    sorry_server 10.0.0.5 80
    real_server 10.0.0.5 80 {
        weight 1 2
    }
}
`

var (
	// sorryNewest are sorryConf's diagnostics for the newest keepalived.
	sorryNewest = []string{"2:4-2:28 2 sorry-server-is-real-server", "4:17-4:18 2 extra-arguments"}
	// sorry232 are those for 2.3.2 with extra-arguments off.
	sorry232 = []string{"2:4-2:28 1 sorry-server-is-real-server"}
)

func TestSettingsInInitializationOptions(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts any
		want []string
	}{
		{"none", nil, sorryNewest},
		{"wrapped", map[string]any{"keepalived": map[string]any{"targetVersion": "2.3.2", "rules": map[string]string{"extra-arguments": "off"}}}, sorry232},
		{"bare", map[string]any{"targetVersion": "2.3.2", "rules": map[string]string{"extra-arguments": "off"}}, sorry232},
		{"severity-overrides", map[string]any{"keepalived": map[string]any{"rules": map[string]string{"sorry-server-is-real-server": "Hint", "extra-arguments": "information"}}},
			[]string{"2:4-2:28 4 sorry-server-is-real-server", "4:17-4:18 3 extra-arguments"}},
		{"newest-explicit", map[string]any{"keepalived": map[string]any{"targetVersion": ""}}, sorryNewest},
		{"fixed-release", map[string]any{"keepalived": map[string]any{"targetVersion": "2.3.4"}}, sorryNewest},
		{"bad-values-ignored", map[string]any{"keepalived": map[string]any{"targetVersion": "banana", "rules": map[string]string{"no-such-rule": "off", "extra-arguments": "loud"}}}, sorryNewest},
		{"not-an-object", []int{1, 2}, sorryNewest},
		{"wrong-types", map[string]any{"keepalived": map[string]any{"targetVersion": 232, "rules": "none"}}, sorryNewest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := start(t, clientOptions{InitOptions: tc.opts})
			u := uri.URI("untitled:sorry")
			c.open(u, sorryConf)
			if got := summarize(c.diagsFor(u, 1)); !slices.Equal(got, tc.want) {
				t.Errorf("diagnostics %q, want %q", got, tc.want)
			}
		})
	}
}

func TestSettingsFromConfiguration(t *testing.T) {
	c := start(t, clientOptions{Configuration: true, Settings: map[string]any{"targetVersion": "2.3.2", "rules": map[string]string{"extra-arguments": "off"}}})
	c.waitFor("workspace/configuration", func() bool { return len(c.configReqs) == 1 })
	u := uri.URI("untitled:sorry")
	c.open(u, sorryConf)
	// The answer may arrive after the open: wait for the checked result.
	p := c.nextPublish(u, 0, func(p publish) bool { return slices.Equal(summarize(p.diags), sorry232) })
	if !strings.Contains(diagMessage(p.diags[0]), "keepalived 2.3.2 can crash") {
		t.Errorf("message %q", diagMessage(p.diags[0]))
	}

	// didChangeConfiguration without settings: the server asks again and
	// checks every document again (same version).
	c.setSettings(map[string]any{"rules": map[string]string{"sorry-server-is-real-server": "off"}})
	n := c.seq()
	c.notify(protocol.MethodWorkspaceDidChangeConfiguration, &protocol.DidChangeConfigurationParams{Settings: protocol.LSPAny("null")})
	p = c.nextPublish(u, n, nil)
	if got := summarize(p.diags); !slices.Equal(got, []string{"4:17-4:18 2 extra-arguments"}) || p.version != 1 {
		t.Errorf("after didChangeConfiguration: %q (version %d)", got, p.version)
	}
	c.mu.Lock()
	reqs := len(c.configReqs)
	c.mu.Unlock()
	if reqs != 2 {
		t.Errorf("%d configuration requests", reqs)
	}

	// Settings pushed in the notification are taken as they are.
	n = c.seq()
	c.notify(protocol.MethodWorkspaceDidChangeConfiguration, json.RawMessage(`{"settings":{"keepalived":{"targetVersion":"2.3.2"}}}`))
	p = c.nextPublish(u, n, nil)
	if got := summarize(p.diags); !slices.Equal(got, []string{"2:4-2:28 1 sorry-server-is-real-server", "4:17-4:18 2 extra-arguments"}) {
		t.Errorf("after pushed settings: %q", got)
	}
	// The same settings again: nothing to do.
	n = c.seq()
	c.notify(protocol.MethodWorkspaceDidChangeConfiguration, json.RawMessage(`{"settings":{"keepalived":{"targetVersion":"2.3.2"}}}`))
	time.Sleep(100 * time.Millisecond)
	if c.seq() != n {
		t.Errorf("unchanged settings published again:\n%s", c.publishLog())
	}
	// Every open document is checked again, and new ones use the settings.
	u2 := uri.URI("untitled:second")
	c.open(u2, sorryConf)
	c.diagsFor(u2, 1)
	n = c.seq()
	c.notify(protocol.MethodWorkspaceDidChangeConfiguration, json.RawMessage(`{"settings":{"keepalived":{"rules":{"extra-arguments":"error"}}}}`))
	for _, doc := range []uri.URI{u, u2} {
		p = c.nextPublish(doc, n, nil)
		if got := summarize(p.diags); !slices.Equal(got, []string{"2:4-2:28 2 sorry-server-is-real-server", "4:17-4:18 1 extra-arguments"}) {
			t.Errorf("%s: %q", doc, got)
		}
	}
}

// TestConfigurationWithoutSettings: a client that has no settings answers
// workspace/configuration with null; the initializationOptions stay.
func TestConfigurationWithoutSettings(t *testing.T) {
	c := start(t, clientOptions{Configuration: true, InitOptions: map[string]any{"keepalived": map[string]any{"targetVersion": "2.3.2", "rules": map[string]string{"extra-arguments": "off"}}}})
	c.waitFor("workspace/configuration", func() bool { return len(c.configReqs) == 1 })
	u := uri.URI("untitled:sorry")
	c.open(u, sorryConf)
	c.diagsFor(u, 1)
	time.Sleep(150 * time.Millisecond) // a re-check after the answer would come now
	for _, p := range c.publishesFor(u) {
		if got := summarize(p.diags); !slices.Equal(got, sorry232) {
			t.Errorf("diagnostics %q, want %q (the initializationOptions)", got, sorry232)
		}
	}
}

// TestConfigID: the configId setting selects the @ID lines.
func TestConfigID(t *testing.T) {
	text := "global_defs {\n@lb1 router_id lb1\n@lb2 bogus_lb2 1\n@^lb1 bogus_not_lb1 1\n}\n"
	for _, tc := range []struct {
		id   string
		want []string
	}{
		{"", []string{"3:6-3:19 1 unknown-keyword"}},
		{"lb1", nil},
		{"lb2", []string{"2:5-2:14 1 unknown-keyword", "3:6-3:19 1 unknown-keyword"}},
	} {
		t.Run("id="+tc.id, func(t *testing.T) {
			c := start(t, clientOptions{InitOptions: map[string]any{"keepalived": map[string]any{"configId": tc.id}}})
			u := uri.URI("untitled:ids")
			c.open(u, text)
			if got := summarize(c.diagsFor(u, 1)); !slices.Equal(got, tc.want) && !(len(got) == 0 && len(tc.want) == 0) {
				t.Errorf("diagnostics %q, want %q", got, tc.want)
			}
		})
	}
}

// TestDebounceSetting: a long debounce delays the diagnostics.
func TestDebounceSetting(t *testing.T) {
	c := start(t, clientOptions{Debounce: 400})
	u := uri.URI("untitled:slow")
	start := time.Now()
	c.open(u, simpleConf)
	c.diagsFor(u, 1)
	if d := time.Since(start); d < 350*time.Millisecond {
		t.Errorf("diagnostics after %v with a 400 ms debounce", d)
	}
}

// TestSettingsOrder: settings pushed in quick succession end with the
// last one applied.
func TestSettingsOrder(t *testing.T) {
	c := start(t, clientOptions{})
	u := uri.URI("untitled:sorry")
	c.open(u, sorryConf)
	c.diagsFor(u, 1)
	for i := range 30 {
		target := "2.3.2"
		if i%2 == 1 {
			target = "2.3.4"
		}
		c.notify(protocol.MethodWorkspaceDidChangeConfiguration, json.RawMessage(`{"settings":{"keepalived":{"targetVersion":"`+target+`","rules":{"extra-arguments":"off"}}}}`))
	}
	c.notify(protocol.MethodWorkspaceDidChangeConfiguration, json.RawMessage(`{"settings":{"keepalived":{"targetVersion":"2.3.2","rules":{"extra-arguments":"off"}}}}`))
	time.Sleep(200 * time.Millisecond)
	p, _ := c.latest(u)
	if got := summarize(p.diags); !slices.Equal(got, sorry232) {
		t.Errorf("after the last settings: %q, want %q", got, sorry232)
	}
}

// TestSettingsRefreshViews: a settings change asks a client that supports
// it to fetch semantic tokens and inlay hints again (a new config id
// changes which lines are disabled and what $NAMEs expand to); a client
// without that support gets no such request.
func TestSettingsRefreshViews(t *testing.T) {
	for _, support := range []bool{true, false} {
		c := start(t, clientOptions{ViewRefresh: support})
		u := uri.URI("untitled:ids")
		c.open(u, "@lb1 $P=1\nglobal_defs {\n    router_id lb${P}\n}\n")
		c.diagsFor(u, 1)
		n := c.seq()
		c.notify(protocol.MethodWorkspaceDidChangeConfiguration, json.RawMessage(`{"settings":{"keepalived":{"configId":"lb1"}}}`))
		c.nextPublish(u, n, nil)
		want := []string{protocol.MethodWorkspaceSemanticTokensRefresh, protocol.MethodWorkspaceInlayHintRefresh}
		if support {
			c.waitFor("view refreshes", func() bool {
				return slices.Contains(c.others, want[0]) && slices.Contains(c.others, want[1])
			})
			continue
		}
		time.Sleep(100 * time.Millisecond)
		c.mu.Lock()
		for _, m := range want {
			if slices.Contains(c.others, m) {
				t.Errorf("%s sent to a client without refresh support", m)
			}
		}
		c.mu.Unlock()
	}
}

// TestSettingsEmptyArrays: Lua clients send empty tables as [], which
// means an empty object.
func TestSettingsEmptyArrays(t *testing.T) {
	for _, raw := range []string{`[]`, `{"keepalived": []}`, `{"keepalived": {"rules": []}}`, `{"rules": [ ], "cluster": []}`, `{"keepalived": {"targetVersion": "2.2.7", "rules": []}}`} {
		st, err := parseSettings([]byte(raw))
		if err != nil {
			t.Errorf("%s: %v", raw, err)
			continue
		}
		if len(st.Rules) != 0 {
			t.Errorf("%s: rules %v", raw, st.Rules)
		}
	}
	st, err := parseSettings([]byte(`{"keepalived": {"targetVersion": "2.2.7", "rules": []}}`))
	if err != nil || st.TargetVersion != "2.2.7" {
		t.Errorf("settings next to an empty rules table: %+v %v", st, err)
	}
	if _, err := parseSettings([]byte(`{"keepalived": {"rules": ["x"]}}`)); err == nil {
		t.Error("a non-empty array for rules is accepted")
	}
}
