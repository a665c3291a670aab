package analysis

import (
	"fmt"
	"strings"

	"github.com/keepalived-ls/keepalived-ls/parser"
	"github.com/keepalived-ls/keepalived-ls/parser/schema"
)

func init() {
	blockChecks["global_defs"] = globalDefsFacts
	for _, k := range schema.All() {
		if k.Quoted {
			if keywordChecks[k.Path] != nil {
				panic("analysis: two checks for " + k.Path)
			}
			keywordChecks[k.Path] = scriptLine
		}
	}
	for _, p := range []string{"vrrp_instance > smtp_alert", "vrrp_sync_group > smtp_alert",
		"virtual_server > smtp_alert", "virtual_server > real_server > smtp_alert"} {
		checker := strings.HasPrefix(p, "virtual_server")
		keywordChecks[p] = func(c *unitCtx, n *parser.Node, _ []*parser.Node) {
			on, ok := boolValue(n)
			if ok {
				c.addFact(&alertFact{on: on, checker: checker, at: locOf(n, n.Keyword.Span)})
			}
		}
	}
}

// boolValue reads an optional boolean keyword: no value means true.
func boolValue(n *parser.Node) (value, ok bool) {
	if len(n.Args) == 0 {
		return true, true
	}
	switch n.Args[0].Text {
	case "true", "on", "yes":
		return true, true
	case "false", "off", "no":
		return false, true
	}
	return false, false
}

// globalDefsFacts records what a global_defs block says about scripts and
// mail.
func globalDefsFacts(c *unitCtx, n *parser.Node, _ []*parser.Node) {
	f := &globalFact{at: locOf(n, n.Keyword.Span), alert: [3]int8{-1, -1, -1}}
	for m := range n.Body {
		if m.Schema == nil || m.Kind == parser.Include {
			continue
		}
		switch m.Keyword.Text {
		case "enable_script_security":
			f.security = true
		case "smtp_server":
			f.smtpServer = len(m.Args) > 0
		case "notification_email":
			for v := range m.AllValues {
				if len(v.Tokens) > 0 && f.email == nil {
					at := locOf(m, m.Keyword.Span)
					f.email = &at
				}
			}
		case "smtp_alert", "smtp_alert_vrrp", "smtp_alert_checker":
			on, ok := boolValue(m)
			if !ok {
				continue
			}
			i := map[string]int{"smtp_alert": 0, "smtp_alert_vrrp": 1, "smtp_alert_checker": 2}[m.Keyword.Text]
			f.alert[i] = map[bool]int8{true: 1, false: 0}[on]
		}
	}
	c.addFact(f)
}

// scriptLine looks at a keyword that runs a script: the script's path, and
// a fact for the script security rule.
func scriptLine(c *unitCtx, n *parser.Node, _ []*parser.Node) {
	if len(n.Args) == 0 {
		return
	}
	c.addFact(&scriptFact{keyword: n.Keyword.Text, at: locOf(n, n.Keyword.Span)})
	cmd := ""
	if raw := n.Raw(); raw != "" {
		if _, argv, _ := c.scriptArgs(n); len(argv) > 0 {
			cmd = argv[0]
		}
	} else if f := strings.Fields(n.Args[0].Text); len(f) > 0 {
		cmd = f[0]
	}
	if cmd == "" || strings.HasPrefix(cmd, "/") || !strings.Contains(cmd, "/") || strings.ContainsAny(cmd[:1], "<>|&;(") {
		// Absolute, a bare name that keepalived looks up in PATH, or
		// shell syntax (another problem).
		return
	}
	msg := fmt.Sprintf("'%s' is a relative path: keepalived resolves it against its own working directory (normally /), not against the configuration file's directory; write the absolute path", cmd)
	switch {
	case strings.HasPrefix(cmd, "$"):
		name := cmd[1:]
		if i := strings.IndexFunc(name, func(r rune) bool {
			return !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
		}); i >= 0 {
			name = name[:i]
		}
		msg = fmt.Sprintf("'%s' stays a relative path: keepalived replaces $%s only before a blank, ',' or ')', so here it is left as written; write ${%s}", cmd, name, name)
	case strings.HasPrefix(cmd, "\u201c") || strings.HasPrefix(cmd, "\u201d") || strings.HasPrefix(cmd, "\u2018") || strings.HasPrefix(cmd, "\u2019"):
		msg = fmt.Sprintf("'%s' starts with a typographic quote, which keepalived takes as part of a relative file name; use plain double quotes", cmd)
	}
	c.add(n, I, "relative-script-path", n.RawSpan(), msg)
}
