package analysis

import (
	"fmt"
	"sort"
	"strings"

	"github.com/keepalived-ls/keepalived-ls/parser"
	"github.com/keepalived-ls/keepalived-ls/parser/schema"
)

// Config selects the keepalived version to check against and adjusts rules.
type Config struct {
	// Target is the keepalived release the configuration is for; the zero
	// value means the newest.
	Target schema.Version
	// Severity overrides a rule's default severity.
	Severity map[string]parser.Severity
	// Disabled turns rules off.
	Disabled map[string]bool
}

// key identifies a configuration for caching per-unit results.
func (c Config) key() string {
	var sb strings.Builder
	sb.WriteString(c.Target.String())
	ids := make([]string, 0, len(c.Severity)+len(c.Disabled))
	for id, s := range c.Severity {
		ids = append(ids, fmt.Sprintf("%s=%d", id, s))
	}
	for id, off := range c.Disabled {
		if off {
			ids = append(ids, id+"=off")
		}
	}
	sort.Strings(ids)
	for _, id := range ids {
		sb.WriteString(";" + id)
	}
	return sb.String()
}

// SetRule applies a "RULE=SEVERITY" or "RULE=off" setting.
func (c *Config) SetRule(id, value string) error {
	if _, ok := ruleByID[id]; !ok {
		return fmt.Errorf("unknown rule %q", id)
	}
	if value == "off" || value == "none" || value == "false" {
		if c.Disabled == nil {
			c.Disabled = map[string]bool{}
		}
		c.Disabled[id] = true
		return nil
	}
	s, ok := parser.ParseSeverity(value)
	if !ok {
		return fmt.Errorf("rule %s: unknown severity %q (error, warning, information, hint or off)", id, value)
	}
	if c.Severity == nil {
		c.Severity = map[string]parser.Severity{}
	}
	c.Severity[id] = s
	delete(c.Disabled, id) // a later setting wins over an earlier "off"
	return nil
}

// apply sets the configured severity of a diagnostic; it returns false when
// the rule is disabled.
func (c *Config) apply(d *parser.Diagnostic) bool {
	if c.Disabled[d.Rule] {
		return false
	}
	if s, ok := c.Severity[d.Rule]; ok {
		d.Severity = s
	}
	return true
}
