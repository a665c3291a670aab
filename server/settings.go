package server

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/keepalived-ls/keepalived-ls/analysis"
	"github.com/keepalived-ls/keepalived-ls/parser/schema"
)

// Settings are the client-side settings (section "keepalived"), given in
// initializationOptions or answered to workspace/configuration.
type Settings struct {
	// TargetVersion is the keepalived release to check against ("2.2.7");
	// empty means the newest.
	TargetVersion string `json:"targetVersion"`
	// ConfigID is keepalived's -i: which "@ID" lines apply.
	ConfigID string `json:"configId"`
	// Rules overrides rule severities: {"extra-arguments": "off"}.
	Rules map[string]string `json:"rules"`
	// Debounce is the delay in milliseconds between an edit and the
	// diagnostics for it.
	Debounce *int `json:"debounce"`
	// RunKeepalived also runs `keepalived -t` on saved documents and shows
	// its messages (source "keepalived").
	RunKeepalived bool `json:"runKeepalived"`
}

const defaultDebounceMS = 30

func defaultSettings() Settings { return Settings{} }

func (st Settings) debounceMS() int {
	if st.Debounce == nil || *st.Debounce < 0 {
		return defaultDebounceMS
	}
	return min(*st.Debounce, 5000)
}

// config turns settings into an analysis configuration, reporting
// problems (unknown rule, bad version) rather than failing.
func (st Settings) config() (analysis.Config, []string) {
	var cfg analysis.Config
	var problems []string
	switch v, err := schema.ParseVersion(st.TargetVersion); {
	case err != nil:
		problems = append(problems, err.Error())
	case !v.IsNewest() && v.Less(schema.OldestKnown):
		problems = append(problems, fmt.Sprintf("targetVersion %s is older than %s, the oldest release keepalived-ls knows; using the newest", v, schema.OldestKnown))
	default:
		cfg.Target = v
	}
	ids := make([]string, 0, len(st.Rules))
	for id := range st.Rules {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		if err := cfg.SetRule(id, strings.ToLower(st.Rules[id])); err != nil {
			problems = append(problems, err.Error())
		}
	}
	return cfg, problems
}

// parseSettings reads settings from JSON: either the keepalived object
// itself or an object with a "keepalived" member.
func parseSettings(raw []byte) (Settings, error) {
	st := defaultSettings()
	if len(raw) == 0 || string(raw) == "null" {
		return st, nil
	}
	var wrapper struct {
		Keepalived json.RawMessage `json:"keepalived"`
	}
	if err := json.Unmarshal(raw, &wrapper); err != nil {
		return st, fmt.Errorf("settings: %w", err)
	}
	if len(wrapper.Keepalived) > 0 && string(wrapper.Keepalived) != "null" {
		raw = wrapper.Keepalived
	}
	if err := json.Unmarshal(raw, &st); err != nil {
		return defaultSettings(), fmt.Errorf("settings: %w", err)
	}
	return st, nil
}
