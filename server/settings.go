package server

import (
	"bytes"
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
	// Cluster names the configurations of one cluster's hosts, checked
	// against each other (server/cluster.go).
	Cluster ClusterSettings `json:"cluster"`
}

// ClusterSettings is the "cluster" setting.
type ClusterSettings struct {
	// Peers are files or glob patterns, relative to the workspace root;
	// they replace the project file's [cluster] peers.
	Peers []string `json:"peers"`
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
	raw = emptyObject(raw)
	if string(raw) == "{}" {
		return st, nil
	}
	var wrapper struct {
		Keepalived json.RawMessage `json:"keepalived"`
	}
	if err := json.Unmarshal(raw, &wrapper); err != nil {
		return st, fmt.Errorf("settings: %w", err)
	}
	if len(wrapper.Keepalived) > 0 && string(wrapper.Keepalived) != "null" {
		raw = emptyObject(wrapper.Keepalived)
	}
	// The objects among the settings: an empty one may come as [].
	var fields map[string]json.RawMessage
	if json.Unmarshal(raw, &fields) == nil {
		changed := false
		for _, k := range []string{"rules", "cluster"} {
			if v, ok := fields[k]; ok && string(emptyObject(v)) == "{}" && string(v) != "{}" {
				fields[k], changed = json.RawMessage("{}"), true
			}
		}
		if changed {
			raw, _ = json.Marshal(fields)
		}
	}
	if err := json.Unmarshal(raw, &st); err != nil {
		return defaultSettings(), fmt.Errorf("settings: %w", err)
	}
	return st, nil
}

// emptyObject reads an empty JSON array as an empty object: Lua clients
// (Neovim) encode an empty table as [].
func emptyObject(raw json.RawMessage) json.RawMessage {
	if t := bytes.TrimSpace(raw); len(t) >= 2 && t[0] == '[' && len(bytes.TrimSpace(t[1:len(t)-1])) == 0 && t[len(t)-1] == ']' {
		return json.RawMessage("{}")
	}
	return raw
}
