package analysis

import (
	"fmt"
	"strings"

	"github.com/keepalived-ls/keepalived-ls/parser"
	"github.com/keepalived-ls/keepalived-ls/parser/argspec"
	"github.com/keepalived-ls/keepalived-ls/parser/schema"
)

// Hover describes what is at a position: a keyword's documentation, an
// argument's type and allowed values, or the value of a $NAME. It returns
// the text (Markdown or plain), the unit-relative span it is about and the
// unit index.
func Hover(d *parser.Doc, line, col int, markdown bool) (text string, span parser.Span, unit int, ok bool) {
	return HoverIn(d, "", line, col, markdown)
}

// HoverIn is Hover at a position of a file the document includes (see
// LocateIn): the returned span is then in that file's lines.
func HoverIn(d *parser.Doc, path string, line, col int, markdown bool) (text string, span parser.Span, unit int, ok bool) {
	t, found := LocateIn(d, path, line, col)
	if !found {
		return "", parser.Span{}, 0, false
	}
	w := &writer{md: markdown}
	switch {
	case t.Param != nil:
		paramHover(w, d, t)
		return w.String(), t.Param.Span, t.Unit, true
	case t.Node.Kind == parser.Include:
		w.title(t.Node.Keyword.Text, "directive")
		w.para("Reads other configuration files at this point, as if their text were written here. The path is taken literally (quotes are not removed); relative paths start from this file's directory; glob patterns (`*`, `?`, `[...]`, `{a,b}`) read every match in sorted order. The variants `includer`, `includem`, `includew`, `includeb` and `includea` make missing files an error.")
		if files := t.Node.Files(); len(files) > 0 {
			var names []string
			for _, f := range files {
				names = append(names, w.code(f.Source.Path))
			}
			w.para("Reads: " + strings.Join(names, ", "))
		}
		return w.String(), t.Token.Span, t.Unit, true
	case t.Value != nil:
		if !valueHover(w, d, t) {
			return "", parser.Span{}, 0, false
		}
		return w.String(), t.Token.Span, t.Unit, true
	case t.Arg >= 0:
		if !argHover(w, d, t) {
			return "", parser.Span{}, 0, false
		}
		return w.String(), t.Token.Span, t.Unit, true
	}
	if t.Node.Schema == nil {
		w.title(t.Node.Keyword.Text, "unknown keyword")
		w.para(fmt.Sprintf("keepalived does not know this keyword in %s.", t.Parent.BlockName()))
		if sugg := t.Parent.Suggest(t.Node.Keyword.Text, 3); len(sugg) > 0 {
			w.para("Did you mean " + w.codes(sugg, " or ") + "?")
		}
		return w.String(), t.Token.Span, t.Unit, true
	}
	KeywordDoc(w, t.Node.Schema)
	return w.String(), t.Token.Span, t.Unit, true
}

// KeywordHover renders a keyword's documentation on its own (used for
// completion items too).
func KeywordHover(k *schema.Keyword, markdown bool) string {
	w := &writer{md: markdown}
	KeywordDoc(w, k)
	return w.String()
}

// KeywordDoc writes the documentation of a keyword.
func KeywordDoc(w *writer, k *schema.Keyword) {
	kind := "keyword"
	switch k.Block {
	case schema.KeywordBlock:
		kind = "block"
	case schema.ValueBlock:
		kind = "value block"
	}
	where := "top level"
	if k.Parent != nil {
		where = k.Parent.Path
	}
	w.title(k.Name, fmt.Sprintf("%s in %s", kind, w.code(where)))
	w.para(k.Doc)
	usage := k.Name
	if spec := k.ArgSpec(); spec != nil && k.Args != "" {
		usage += " " + spec.Usage()
	}
	if k.Block != schema.NoBlock {
		usage += " { ... }"
	}
	w.block(usage)
	if spec := k.ArgSpec(); spec != nil {
		writeArgs(w, spec)
	}
	if k.Line != "" {
		w.para("Each line: " + w.code(k.LineSpec().Usage()))
		if spec := k.LineSpec(); spec != nil {
			writeArgs(w, spec)
		}
	}
	var facts []string
	if k.Default != "" {
		facts = append(facts, "Default: "+w.code(k.Default))
	}
	if k.Unit != "" {
		facts = append(facts, "Unit: "+k.Unit)
	}
	facts = append(facts, "Since keepalived "+k.AddedText())
	if len(k.Aliases) > 0 {
		facts = append(facts, "Same as "+w.codes(k.Aliases, ", "))
	}
	if opts := buildOptions(k.Guards); len(opts) > 0 {
		facts = append(facts, "Only in keepalived builds with "+strings.Join(opts, ", "))
	}
	w.para(strings.Join(facts, " · "))
	if k.Deprecated != "" {
		msg := "Deprecated: " + k.Deprecated
		if k.Replacement != "" {
			msg += " Use " + w.code(k.Replacement) + "."
		}
		w.para(w.bold(msg))
	}
	if k.Note != "" {
		w.para(k.Note)
	}
	for _, o := range k.Older {
		if o.Args != "" {
			w.para(fmt.Sprintf("Before keepalived %s: %s", o.Before, w.code(k.Name+" "+o.Args)))
		}
	}
}

// buildOptions names the optional build features a keyword needs; VRRP
// and LVS themselves are in every usual build and are not listed.
func buildOptions(guards []string) []string {
	var out []string
	for _, g := range guards {
		if g == "_WITH_VRRP_" || g == "_WITH_LVS_" || g == "_WITH_VRRP_ || _WITH_LVS_" {
			continue
		}
		name := strings.Trim(g, "_")
		name = strings.TrimPrefix(strings.TrimPrefix(name, "WITH_"), "HAVE_")
		out = append(out, strings.ReplaceAll(strings.ReplaceAll(name, "_ || _", " or "), "_", " "))
	}
	return out
}

// writeArgs lists the arguments of a spec with their types.
func writeArgs(w *writer, spec *argspec.Spec) {
	for _, a := range spec.Args() {
		w.item(fmt.Sprintf("%s: %s", w.code(a.Name), typeText(a.Type)))
	}
}

// typeText describes an argument type in words.
func typeText(t argspec.Type) string {
	switch t.Kind {
	case argspec.TInt:
		if t.Min != nil || t.Max != nil {
			return "whole number, " + t.RangeString()
		}
		return "whole number"
	case argspec.TDecimal:
		return "number " + t.RangeString()
	case argspec.TTimer:
		return "seconds (decimals allowed) " + t.RangeString()
	case argspec.TBool:
		return "yes/no (also true/false, on/off)"
	case argspec.TEnum:
		return "one of " + strings.Join(t.Values, ", ")
	case argspec.TIEnum:
		return "one of " + strings.Join(t.Values, ", ") + " (any case)"
	case argspec.TIP:
		return "IP address"
	case argspec.TIP4:
		return "IPv4 address"
	case argspec.TIP6:
		return "IPv6 address"
	case argspec.TPrefix:
		return "IP address with optional /prefix"
	case argspec.TMcast:
		return "multicast address"
	case argspec.TPort:
		return "port 0..65535"
	case argspec.TIfname:
		return "interface name (at most 15 characters)"
	case argspec.TMAC:
		return "MAC address"
	case argspec.THex32:
		return "32 hexadecimal digits"
	case argspec.TScript:
		return "command line (quote it when it has arguments)"
	case argspec.TDef:
		return "name of this " + t.Object
	case argspec.TRef:
		return "name of a " + t.Object
	case argspec.TWords:
		return "free text"
	}
	return string(t.Kind)
}

// argHover describes the argument under the position.
func argHover(w *writer, d *parser.Doc, t Target) bool {
	k := t.Node.Schema
	if k == nil {
		return false
	}
	spec := k.ArgSpec()
	if spec == nil {
		return false
	}
	words := t.Node.ArgTexts()
	binds, _ := spec.Match(words)
	for _, b := range binds {
		if b.Word != t.Arg {
			continue
		}
		return describeArg(w, d, k.Name, b.Arg, words[t.Arg])
	}
	w.title(words[t.Arg], "argument of "+w.code(k.Name))
	w.para(fmt.Sprintf("keepalived ignores this word: %s takes no such argument.", w.code(k.Name)))
	return true
}

// valueHover describes a word of a value-block line.
func valueHover(w *writer, d *parser.Doc, t Target) bool {
	k := t.Node.Schema
	if k == nil || k.LineSpec() == nil {
		return false
	}
	words := make([]string, len(t.Value.Tokens))
	for i, tok := range t.Value.Tokens {
		words[i] = tok.Text
	}
	binds, _ := k.LineSpec().Match(words)
	for _, b := range binds {
		if b.Word == t.Arg {
			return describeArg(w, d, k.Name+" entry", b.Arg, words[t.Arg])
		}
	}
	return false
}

func describeArg(w *writer, d *parser.Doc, owner string, a *argspec.Item, word string) bool {
	w.title(a.Name, "argument of "+w.code(owner))
	w.para(typeText(a.Type))
	if a.Type.Kind == argspec.TEnum || a.Type.Kind == argspec.TIEnum {
		for _, v := range a.Type.Values {
			mark := ""
			if v == word || a.Type.Kind == argspec.TIEnum && strings.EqualFold(v, word) {
				mark = " ← this one"
			}
			w.item(w.code(v) + mark)
		}
	}
	if a.Type.Kind == argspec.TRef {
		if def, ok := FindDefinition(d, a.Type.Object, word); ok {
			w.para(fmt.Sprintf("Defined at line %d:", def.Line+1))
			w.block(def.Text)
		} else {
			w.para(fmt.Sprintf("No %s named %s is defined in this file.", a.Type.Object, w.code(word)))
		}
	}
	if _, msg := argspec.CheckValue(a.Type, word); msg != "" {
		w.para(w.bold("Problem: ") + msg)
	}
	return true
}

// paramHover shows the value of a $NAME reference.
func paramHover(w *writer, d *parser.Doc, t Target) {
	r := t.Param
	w.title("$"+r.Name, "parameter")
	if r.Builtin {
		w.para("A definition built into keepalived.")
		return
	}
	if !r.Defined {
		w.para("Not defined before this line: keepalived leaves the text as it is written.")
		return
	}
	var last *parser.Definition
	var lastLine int32
	for i, u := range d.Units() {
		if i > t.Unit {
			break
		}
		for j := range u.Definitions {
			def := &u.Definitions[j]
			if def.Name == r.Name && def.Src == nil && (i < t.Unit || def.Span.Start.Less(r.Span.Start)) {
				last, lastLine = def, def.Span.Start.Line+d.UnitLine(i)
			}
		}
	}
	if last == nil {
		w.para("Defined in an included file.")
		return
	}
	w.para(fmt.Sprintf("Value (defined at line %d):", lastLine+1))
	w.block(last.Value)
}

// Definition is where a named object is defined.
type Definition struct {
	Unit int
	Line int32 // absolute line
	Span parser.Span
	Node *parser.Node
	Text string // the definition's first lines, for display
}

// FindDefinition finds the block that defines an object of a kind by name.
func FindDefinition(d *parser.Doc, kind, name string) (Definition, bool) {
	for i, u := range d.Units() {
		for _, n := range u.Nodes {
			if n.Src != nil || n.Schema == nil || len(n.Args) == 0 || n.Args[0].Text != name {
				continue
			}
			spec := n.Schema.ArgSpec()
			if spec == nil {
				continue
			}
			binds, _ := spec.Match(n.ArgTexts())
			for _, b := range binds {
				if b.Word == 0 && b.Arg.Type.Kind == argspec.TDef && b.Arg.Type.Object == kind {
					return Definition{Unit: i, Line: n.Keyword.Span.Start.Line + d.UnitLine(i), Span: n.Args[0].Span,
						Node: n, Text: excerpt(u, n)}, true
				}
			}
		}
	}
	return Definition{}, false
}

// excerpt returns up to eight lines of a node's text.
func excerpt(u *parser.Unit, n *parser.Node) string {
	s := n.Span()
	var lines []string
	for l := s.Start.Line; l <= s.End.Line && len(lines) < 8; l++ {
		lines = append(lines, string(u.Line(int(l))))
	}
	if s.End.Line-s.Start.Line >= 8 {
		lines = append(lines, "...")
	}
	return strings.Join(lines, "\n")
}

// writer builds Markdown or plain text.
type writer struct {
	md bool
	sb strings.Builder
}

func (w *writer) String() string { return strings.TrimRight(w.sb.String(), "\n") }

func (w *writer) code(s string) string {
	if w.md {
		return "`" + strings.ReplaceAll(s, "`", "'") + "`"
	}
	return s
}

func (w *writer) codes(xs []string, sep string) string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = w.code(x)
	}
	return strings.Join(out, sep)
}

func (w *writer) bold(s string) string {
	if w.md {
		return "**" + s + "**"
	}
	return s
}

func (w *writer) title(name, what string) {
	if w.md {
		fmt.Fprintf(&w.sb, "**%s** — %s\n\n", name, what)
		return
	}
	fmt.Fprintf(&w.sb, "%s — %s\n\n", name, what)
}

// endList separates a list from what follows it.
func (w *writer) endList() {
	b := w.sb.String()
	if strings.HasSuffix(b, "\n") && !strings.HasSuffix(b, "\n\n") {
		w.sb.WriteString("\n")
	}
}

// prose is text from the schema, written in Markdown: plain text drops
// its code spans' backticks and its bold marks.
func (w *writer) prose(s string) string {
	if w.md {
		return s
	}
	return strings.NewReplacer("`", "", "**", "").Replace(s)
}

func (w *writer) para(s string) {
	if s == "" {
		return
	}
	w.endList()
	w.sb.WriteString(w.prose(s))
	w.sb.WriteString("\n\n")
}

func (w *writer) item(s string) {
	w.sb.WriteString("- ")
	w.sb.WriteString(w.prose(s))
	w.sb.WriteString("\n")
}

func (w *writer) block(s string) {
	w.endList()
	if w.md {
		fmt.Fprintf(&w.sb, "```keepalived\n%s\n```\n\n", s)
		return
	}
	fmt.Fprintf(&w.sb, "    %s\n\n", strings.ReplaceAll(s, "\n", "\n    "))
}
