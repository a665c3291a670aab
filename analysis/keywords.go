package analysis

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/keepalived-ls/keepalived-ls/parser"
	"github.com/keepalived-ls/keepalived-ls/parser/argspec"
	"github.com/keepalived-ls/keepalived-ls/parser/schema"
)

// unknownKeyword reports a keyword keepalived does not know in this block,
// with a did-you-mean and the blocks where the name is valid.
func (c *unitCtx) unknownKeyword(n *parser.Node, parent *schema.Keyword, anc []*parser.Node) {
	name := n.Keyword.Text
	msg := fmt.Sprintf("unknown keyword '%s' in %s", name, parent.BlockName())
	if parent.IsTop() {
		msg = fmt.Sprintf("unknown keyword '%s' at the top level", name)
	}
	var fixes []parser.Fix
	if elsewhere := schema.Named(name); len(elsewhere) > 0 {
		msg += "; it belongs in " + placesOf(elsewhere)
		switch {
		case validInAncestor(name, anc):
			msg += " (is a '}' missing above this line?)"
		case parent.IsTop():
			msg += " (does a '}' above close its block too early?)"
		}
	} else if sugg := parent.Suggest(name, 3); len(sugg) > 0 {
		msg += fmt.Sprintf("; did you mean '%s'?", strings.Join(sugg, "' or '"))
		for i, s := range sugg {
			fixes = append(fixes, parser.Fix{Title: fmt.Sprintf("Change to '%s'", s), Preferred: i == 0 && len(sugg) == 1,
				Edits: []parser.Edit{{Src: n.Src, Span: n.Keyword.Span, NewText: s}}})
		}
	}
	if n.Keyword.Is(parser.Expanded) {
		msg += " (after parameter substitution)"
	}
	c.add(n, E, "unknown-keyword", n.Keyword.Span, msg, fixes...)
}

// placesOf names the blocks where keywords are valid, shallowest first.
func placesOf(ks []*schema.Keyword) string {
	var where []string
	for _, k := range ks {
		p := "the top level"
		if k.Parent != nil {
			p = "'" + k.Parent.Path + "'"
		}
		where = append(where, p)
	}
	where = dedupe(where)
	sort.SliceStable(where, func(i, j int) bool { return strings.Count(where[i], ">") < strings.Count(where[j], ">") })
	if len(where) > 3 {
		return fmt.Sprintf("%s and %d other blocks", strings.Join(where[:3], ", "), len(where)-3)
	}
	return strings.Join(where, " or ")
}

// validInAncestor reports whether name is a keyword of an enclosing block
// (or of the top level): then a '}' is probably missing.
func validInAncestor(name string, anc []*parser.Node) bool {
	if len(anc) == 0 {
		return false
	}
	if schema.Top.Child(name) != nil {
		return true
	}
	for _, a := range anc[:len(anc)-1] {
		if a.Schema != nil && a.Schema.Child(name) != nil {
			return true
		}
	}
	return false
}

func dedupe(xs []string) []string {
	seen := map[string]bool{}
	out := xs[:0]
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// keyword checks one known keyword line: version, deprecation, arguments,
// value lines and the keyword's own rules.
func (c *unitCtx) keyword(n *parser.Node, anc []*parser.Node) {
	k := n.Schema
	if !k.AvailableIn(c.cfg.Target) {
		msg := fmt.Sprintf("'%s' was added in keepalived %s; keepalived %s does not know it", k.Name, k.AddedText(), c.cfg.Target)
		if k.Block != schema.NoBlock && n.Flags&parser.Unavailable != 0 {
			msg += ", so it reads the block's lines as part of the enclosing block"
		}
		c.add(n, E, "unavailable-in-version", n.Keyword.Span, msg)
		if n.Flags&parser.Unavailable != 0 {
			return
		}
	}
	if k.Deprecated != "" {
		msg := fmt.Sprintf("'%s' is deprecated: %s", k.Name, k.Deprecated)
		var fixes []parser.Fix
		if k.Replacement != "" {
			fixes = append(fixes, parser.Fix{Title: fmt.Sprintf("Use '%s'", k.Replacement), Preferred: true,
				Edits: []parser.Edit{{Src: n.Src, Span: n.Keyword.Span, NewText: k.Replacement}}})
		}
		c.add(n, W, "deprecated-keyword", n.Keyword.Span, msg, fixes...)
	}
	if spec := k.ArgSpecFor(c.cfg.Target); spec != nil {
		if raw := n.Raw(); k.Quoted && raw != "" {
			words, _, err := c.scriptArgs(n)
			rawSpan := n.RawSpan()
			if err != "" {
				c.add(n, E, "unterminated-quote", rawSpan, err)
			}
			spans := c.spans[:0]
			for range words {
				spans = append(spans, rawSpan)
			}
			c.spans = spans
			c.match(n, spec, words, spans, k.Name)
		} else {
			c.words, c.spans = c.words[:0], c.spans[:0]
			for _, a := range n.Args {
				c.words = append(c.words, a.Text)
				c.spans = append(c.spans, a.Span)
			}
			c.match(n, spec, c.words, c.spans, k.Name)
		}
	}
	if n.Kind == parser.ValueBlock {
		c.valueLines(n)
	}
	if check := checksByIndex().keyword[k.Index]; check != nil {
		check(c, n, anc)
	}
}

// valueLines checks each line of a value block against its line spec.
func (c *unitCtx) valueLines(n *parser.Node) {
	spec := n.Schema.LineSpecFor(c.cfg.Target)
	for v := range n.AllValues {
		if spec == nil || len(v.Tokens) == 0 {
			continue
		}
		c.words, c.spans = c.words[:0], c.spans[:0]
		for _, t := range v.Tokens {
			c.words = append(c.words, t.Text)
			c.spans = append(c.spans, t.Span)
		}
		line := &parser.Node{Src: v.Src, Keyword: v.Tokens[0], Schema: n.Schema}
		c.match(line, spec, c.words, c.spans, n.Schema.Name+" entry")
	}
}

// match checks words against a spec and records symbols.
func (c *unitCtx) match(n *parser.Node, spec *argspec.Spec, words []string, spans []parser.Span, what string) {
	binds, probs := c.matcher.Match(spec, words)
	for _, p := range probs {
		switch p.Kind {
		case argspec.Missing:
			span := n.Keyword.Span
			if len(spans) > 0 {
				span = span.Cover(spans[len(spans)-1])
			}
			c.add(n, E, "missing-argument", span, fmt.Sprintf("'%s' is incomplete: %s", what, p.Message))
		case argspec.Extra:
			span := spans[p.Word].Cover(spans[len(spans)-1])
			c.add(n, W, "extra-arguments", span, fmt.Sprintf(
				"'%s' does not take '%s': keepalived ignores the rest of the line", what, strings.Join(words[p.Word:], " ")))
		case argspec.Invalid:
			c.add(n, E, "invalid-value", spans[p.Word], fmt.Sprintf("invalid %s for '%s': %s", argLabel(p.Arg, what), what, p.Message))
		case argspec.Suspicious:
			c.add(n, W, "questionable-value", spans[p.Word], fmt.Sprintf("%s of '%s': %s", argLabel(p.Arg, what), what, p.Message))
		}
	}
	for _, b := range binds {
		t := b.Arg.Type
		switch t.Kind {
		case argspec.TDef:
			c.syms = append(c.syms, symEvent{def: true, kind: t.Object, name: words[b.Word], src: n.Src, span: spans[b.Word]})
		case argspec.TRef:
			c.syms = append(c.syms, symEvent{kind: t.Object, name: words[b.Word], src: n.Src, span: spans[b.Word]})
		}
	}
}

// argLabel names an argument in messages: "value" when it is the keyword's
// own value, else its name.
func argLabel(a *argspec.Item, what string) string {
	if a == nil || a.Name == what || strings.HasPrefix(what, a.Name+" ") {
		return "value"
	}
	return "'" + a.Name + "'"
}

// scriptArgs splits a script line as keepalived does, in two passes: the
// words of the line ([command, user, group]) and the command's own argv.
// The result for the last node is kept, since several checks need it.
func (c *unitCtx) scriptArgs(n *parser.Node) (words, argv []string, err string) {
	if c.scriptNode == n {
		return c.scriptWords, c.scriptArgv, c.scriptErr
	}
	words, err = scriptWordsInto(c.scriptWords[:0], n.Raw())
	if err == "" && len(words) > 0 {
		argv, err = scriptWordsInto(c.scriptArgv[:0], words[0])
	}
	c.scriptNode, c.scriptWords, c.scriptArgv, c.scriptErr = n, words, argv, err
	return words, argv, err
}

// scriptWords splits a script line the way keepalived re-reads it: blanks
// separate words, ' and " quote, and a backslash keeps the next character.
func scriptWords(s string) ([]string, string) { return scriptWordsInto(nil, s) }

// scriptWordsInto is scriptWords appending to words (a reused buffer).
func scriptWordsInto(words []string, s string) ([]string, string) {
	if !strings.ContainsAny(s, "'\\") {
		// Only double quotes (or none): words are plain slices of s.
		for i := 0; i < len(s); {
			switch {
			case s[i] == ' ' || s[i] == '\t':
				i++
			case s[i] == '"':
				j := strings.IndexByte(s[i+1:], '"')
				if j < 0 {
					return append(words, s[i+1:]), "the command line is missing a closing \""
				}
				end := i + 1 + j + 1
				// A quoted part may continue a word: "a"b is one word.
				for end < len(s) && s[end] != ' ' && s[end] != '\t' {
					if s[end] == '"' {
						return scriptWordsSlow(s)
					}
					end++
				}
				if end == i+1+j+1 {
					words = append(words, s[i+1:i+1+j])
				} else {
					return scriptWordsSlow(s)
				}
				i = end
			default:
				j := i
				for j < len(s) && s[j] != ' ' && s[j] != '\t' {
					if s[j] == '"' {
						return scriptWordsSlow(s)
					}
					j++
				}
				words = append(words, s[i:j])
				i = j
			}
		}
		return words, ""
	}
	return scriptWordsSlow(s)
}

func scriptWordsSlow(s string) ([]string, string) {
	var words []string
	var cur strings.Builder
	inWord := false
	var quote byte
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case quote != 0:
			if ch == quote {
				quote = 0
			} else if ch == '\\' && i+1 < len(s) {
				cur.WriteByte(ch)
				i++
				cur.WriteByte(s[i])
			} else {
				cur.WriteByte(ch)
			}
		case ch == '"' || ch == '\'':
			quote = ch
			inWord = true
		case ch == '\\' && i+1 < len(s):
			i++
			cur.WriteByte(s[i])
			inWord = true
		case ch == ' ' || ch == '\t':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteByte(ch)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	if quote != 0 {
		return words, fmt.Sprintf("the command line is missing a closing %c", quote)
	}
	return words, ""
}

// blockEnd checks a keyword block once its content is known.
func (c *unitCtx) blockEnd(n *parser.Node, anc []*parser.Node) {
	// seen[i] is the first node of keyword i in this block when its stamp
	// is this block's; stamping avoids clearing the table for every block.
	if c.seen == nil {
		c.seen = make([]seenEntry, len(schema.All()))
	}
	c.stamp++
	for m := range n.Body {
		if m.Schema == nil || m.Kind == parser.Include || m.Schema.Repeatable {
			continue
		}
		e := &c.seen[m.Schema.Index]
		if e.stamp == c.stamp {
			first := e.node
			which := "keepalived uses the last one"
			if firstWins(m.Schema) {
				which = "keepalived keeps the first one and ignores this one"
			}
			c.addRelated(m, W, "duplicate-keyword", m.Keyword.Span, fmt.Sprintf(
				"'%s' is already set in this %s; %s", m.Keyword.Text, n.Keyword.Text, which),
				first, "first set here")
			continue
		}
		*e = seenEntry{c.stamp, m}
	}
	if check := checksByIndex().block[n.Schema.Index]; check != nil {
		check(c, n, anc)
	}
}

// seenEntry records a keyword's first node in the block being checked.
type seenEntry struct {
	stamp uint64
	node  *parser.Node
}

type nodeCheck func(*unitCtx, *parser.Node, []*parser.Node)

// firstWins reports keywords whose repeat keepalived ignores (scripts,
// state, digest) rather than letting it override the first.
func firstWins(k *schema.Keyword) bool {
	switch k.Name {
	case "state", "digest", "quorum_up", "quorum_down":
		return true
	}
	return k.Quoted && strings.HasPrefix(k.Name, "notify")
}

// keywordChecks and blockChecks hold the rules specific to one keyword
// path; they are registered by path and looked up by keyword index.
var (
	keywordChecks = map[string]nodeCheck{}
	blockChecks   = map[string]nodeCheck{}
	indexOnce     sync.Once
	indexed       struct{ keyword, block []nodeCheck }
)

func checksByIndex() *struct{ keyword, block []nodeCheck } {
	indexOnce.Do(func() {
		all := schema.All()
		indexed.keyword = make([]nodeCheck, len(all))
		indexed.block = make([]nodeCheck, len(all))
		for path, f := range keywordChecks {
			k := schema.Lookup(path)
			if k == nil {
				panic("analysis: check registered for unknown keyword path " + path)
			}
			indexed.keyword[k.Index] = f
		}
		for path, f := range blockChecks {
			k := schema.Lookup(path)
			if k == nil {
				panic("analysis: check registered for unknown keyword path " + path)
			}
			indexed.block[k.Index] = f
		}
	})
	return &indexed
}

// child returns the first node named name directly in n (through includes).
func child(n *parser.Node, name string) *parser.Node {
	for m := range n.Body {
		if m.Kind != parser.Include && m.Keyword.Text == name && m.Schema != nil {
			return m
		}
	}
	return nil
}
