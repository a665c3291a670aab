package analysis

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/keepalived-ls/keepalived-ls/parser"
	"github.com/keepalived-ls/keepalived-ls/parser/argspec"
	"github.com/keepalived-ls/keepalived-ls/parser/schema"
)

// ParamKind is the kind of $NAME parameters in a symbol index.
const ParamKind = "$"

// Occurrence is one place where a named object is defined or used: a
// vrrp_script and its track_script entries, a vrrp_instance and the sync
// groups naming it, a $NAME definition and its ${NAME} uses, ...
type Occurrence struct {
	Kind string // the object kind of the schema's def(KIND)/ref(KIND), or ParamKind
	Name string
	Def  bool
	Src  *parser.Source // nil: the document itself
	// Span is where the occurrence is written: document lines are absolute
	// (not unit-relative), lines of included files are the file's own. For
	// a parameter reference it covers the whole $NAME / ${NAME}.
	Span parser.Span
	// NameSpan is the part of Span that holds the name itself (inside quotes,
	// after "$" or "${"); it is what a rename replaces.
	NameSpan parser.Span
	// Literal is true when the name is written at NameSpan as it is; false
	// when it is produced by $NAME substitution or a generator.
	Literal bool
	Builtin bool         // a reference to a built-in parameter (${_PWD}, ...)
	Node    *parser.Node // the keyword line (for value lines: the block); nil for parameters
	Unit    int          // index of the unit it was read in

	key []int64 // reading order
}

// Path is the file of the occurrence: "" for the document itself.
func (o *Occurrence) Path() string {
	if o.Src == nil {
		return ""
	}
	return o.Src.Path
}

// Index lists the named objects of a document and of the files it
// includes, in the order keepalived reads them.
type Index struct {
	Occs  []Occurrence
	doc   *parser.Doc
	files map[string]bool // files the document reads
}

// symbolKeywords caches, per keyword index, whether its argument or line
// spec defines or references objects.
var symbolKeywords struct {
	once       sync.Once
	args, line []bool
}

func hasSymbols(spec *argspec.Spec) bool {
	if spec == nil {
		return false
	}
	for _, a := range spec.Args() {
		if a.Type.Kind == argspec.TDef || a.Type.Kind == argspec.TRef {
			return true
		}
	}
	return false
}

func keywordHasSymbols(k *schema.Keyword) (args, line bool) {
	symbolKeywords.once.Do(func() {
		all := schema.All()
		symbolKeywords.args = make([]bool, len(all))
		symbolKeywords.line = make([]bool, len(all))
		for _, kw := range all {
			symbolKeywords.args[kw.Index] = hasSymbols(kw.ArgSpec())
			symbolKeywords.line[kw.Index] = hasSymbols(kw.LineSpec())
			for _, o := range kw.Older {
				if o.Args != "" && hasSymbols(argspec.MustParse(o.Args)) {
					symbolKeywords.args[kw.Index] = true
				}
				if o.Line != "" && hasSymbols(argspec.MustParse(o.Line)) {
					symbolKeywords.line[kw.Index] = true
				}
			}
		}
	})
	return symbolKeywords.args[k.Index], symbolKeywords.line[k.Index]
}

// BuildIndex collects the definitions and uses of named objects: the
// def(KIND)/ref(KIND) arguments of the keyword schema, matched the way the
// checks match them for the target release, and the $NAME definitions and
// references the parser recorded.
func BuildIndex(d *parser.Doc, target schema.Version) *Index {
	ix := &Index{doc: d, files: map[string]bool{}}
	for _, f := range d.IncludedFiles() {
		ix.files[f] = true
	}
	var m argspec.Matcher
	for ui, u := range d.Units() {
		base := d.UnitLine(ui)
		chains := map[*parser.Source][]int64{nil: {int64(ui)}}
		chainIncludes(u.Nodes, chains)
		var walk func(nodes []*parser.Node)
		walk = func(nodes []*parser.Node) {
			for _, n := range nodes {
				if n.Kind == parser.Include || n.Schema == nil {
					walk(n.Children)
					continue
				}
				k := n.Schema
				if !k.AvailableIn(target) && n.Flags&parser.Unavailable != 0 {
					walk(n.Children)
					continue
				}
				args, line := keywordHasSymbols(k)
				if args && !k.Quoted {
					if spec := k.ArgSpecFor(target); spec != nil {
						ix.match(&m, spec, n, n.Src, n.Args, ui, base, chains)
					}
				}
				if line && n.Kind == parser.ValueBlock {
					if spec := k.LineSpecFor(target); spec != nil {
						for v := range n.AllValues {
							ix.match(&m, spec, n, v.Src, v.Tokens, ui, base, chains)
						}
					}
				}
				walk(n.Children)
			}
		}
		walk(u.Nodes)
		ix.params(u, ui, base, chains)
	}
	sort.SliceStable(ix.Occs, func(i, j int) bool { return lessKey(ix.Occs[i].key, ix.Occs[j].key) })
	return ix
}

// chainIncludes gives every source read in a unit its place in reading
// order: the position of the include directive that read it (and of the
// directives that read that one), then the file's rank among the directive's
// files.
// Positions in keys are as the nodes store them (unit-relative in the
// document).
func chainIncludes(nodes []*parser.Node, chains map[*parser.Source][]int64) {
	for _, n := range nodes {
		if n.Kind == parser.Include {
			parent, ok := chains[n.Src]
			if !ok {
				parent = []int64{1 << 40}
			}
			for i, f := range n.Files() {
				c := append(append(append([]int64(nil), parent...), posKey(n.Keyword.Span.Start)), int64(i))
				chains[f.Source] = c
			}
		}
		chainIncludes(n.Children, chains)
	}
}

func posKey(p parser.Pos) int64 { return int64(p.Line)<<32 | int64(p.Col) }

func lessKey(a, b []int64) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return len(a) < len(b)
}

func orderKey(chains map[*parser.Source][]int64, src *parser.Source, p parser.Pos) []int64 {
	c, ok := chains[src]
	if !ok {
		c = []int64{1 << 40}
	}
	return append(append([]int64(nil), c...), posKey(p))
}

// match records the def/ref bindings of one line.
func (ix *Index) match(m *argspec.Matcher, spec *argspec.Spec, n *parser.Node, src *parser.Source, toks []parser.Token,
	ui int, base int32, chains map[*parser.Source][]int64) {
	if len(toks) == 0 {
		return
	}
	words := make([]string, len(toks))
	for i, t := range toks {
		words[i] = t.Text
	}
	binds, _ := m.Match(spec, words)
	for _, b := range binds {
		t := b.Arg.Type
		if t.Kind != argspec.TDef && t.Kind != argspec.TRef {
			continue
		}
		tok := toks[b.Word]
		span := tok.Span
		if src == nil {
			span = span.Shift(base)
		}
		o := Occurrence{Kind: t.Object, Name: tok.Text, Def: t.Kind == argspec.TDef, Src: src, Span: span,
			NameSpan: span, Node: n, Unit: ui, key: orderKey(chains, src, tok.Span.Start)}
		text := ix.text(src, span)
		// Whether the name is written here as it is: a line with a $NAME
		// has all its words flagged Expanded, so compare the text.
		switch {
		case text == tok.Text:
			o.Literal = true
		case tok.Is(parser.Quoted) && text == `"`+tok.Text+`"`:
			o.NameSpan.Start.Col++
			o.NameSpan.End.Col--
			o.Literal = true
		}
		ix.Occs = append(ix.Occs, o)
	}
}

// text returns the text of a single-line span of the document or a file.
func (ix *Index) text(src *parser.Source, s parser.Span) string {
	if s.Start.Line != s.End.Line {
		return ""
	}
	var line []byte
	if src == nil {
		line = ix.doc.Line(int(s.Start.Line))
	} else {
		line = src.Line(int(s.Start.Line))
	}
	if s.Start.Col < 0 || int(s.End.Col) > len(line) || s.End.Col < s.Start.Col {
		return ""
	}
	return string(line[s.Start.Col:s.End.Col])
}

// params records the unit's $NAME definitions and references, and the
// references written in definition values (keepalived expands those only
// where the definition is used, so the parser does not see them there).
func (ix *Index) params(u *parser.Unit, ui int, base int32, chains map[*parser.Source][]int64) {
	abs := func(src *parser.Source, s parser.Span) parser.Span {
		if src == nil {
			return s.Shift(base)
		}
		return s
	}
	for _, def := range u.Definitions {
		span := abs(def.Src, def.Span)
		o := Occurrence{Kind: ParamKind, Name: def.Name, Def: true, Src: def.Src, Span: span, NameSpan: span,
			Unit: ui, key: orderKey(chains, def.Src, def.Span.Start)}
		o.Literal = ix.text(def.Src, span) == def.Name
		ix.Occs = append(ix.Occs, o)
		// References inside the value, on the definition's first line.
		var line []byte
		if def.Src == nil {
			line = ix.doc.Line(int(span.Start.Line))
		} else {
			line = def.Src.Line(int(span.Start.Line))
		}
		if int(span.End.Col) >= len(line) || line[span.End.Col] != '=' {
			continue
		}
		for i := int(span.End.Col) + 1; i < len(line); i++ {
			if line[i] != '$' {
				continue
			}
			name, nameAt, end := scanRef(line, i)
			if name == "" {
				continue
			}
			ref := parser.Span{Start: parser.Pos{Line: span.Start.Line, Col: int32(i)}, End: parser.Pos{Line: span.Start.Line, Col: int32(end)}}
			ns := parser.Span{Start: parser.Pos{Line: span.Start.Line, Col: int32(nameAt)}, End: parser.Pos{Line: span.Start.Line, Col: int32(nameAt + len(name))}}
			ix.Occs = append(ix.Occs, Occurrence{Kind: ParamKind, Name: name, Src: def.Src, Span: ref, NameSpan: ns,
				Literal: true, Builtin: isBuiltinParam(name), Unit: ui,
				key: orderKey(chains, def.Src, parser.Pos{Line: def.Span.Start.Line, Col: int32(i)})})
			i = end - 1
		}
	}
	for _, r := range u.Refs {
		span := abs(r.Src, r.Span)
		o := Occurrence{Kind: ParamKind, Name: r.Name, Src: r.Src, Span: span, Builtin: r.Builtin, Unit: ui,
			key: orderKey(chains, r.Src, r.Span.Start)}
		text := ix.text(r.Src, span)
		switch {
		case strings.HasPrefix(text, "${"+r.Name):
			o.NameSpan = parser.Span{Start: parser.Pos{Line: span.Start.Line, Col: span.Start.Col + 2}}
			o.Literal = true
		case strings.HasPrefix(text, "$"+r.Name):
			o.NameSpan = parser.Span{Start: parser.Pos{Line: span.Start.Line, Col: span.Start.Col + 1}}
			o.Literal = true
		default:
			o.NameSpan = span // produced by another substitution
		}
		if o.Literal {
			o.NameSpan.End = parser.Pos{Line: span.Start.Line, Col: o.NameSpan.Start.Col + int32(len(r.Name))}
		}
		ix.Occs = append(ix.Occs, o)
	}
}

// scanRef reads a $NAME or ${NAME ...} reference at line[i] == '$' the way
// keepalived recognises one; it returns the name, where the name starts and
// where the reference ends ("" when there is none).
func scanRef(line []byte, i int) (name string, nameAt, end int) {
	isStart := func(c byte) bool { return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
	isChar := func(c byte) bool { return isStart(c) || c >= '0' && c <= '9' }
	j := i + 1
	braced := j < len(line) && line[j] == '{'
	if braced {
		j++
	}
	if j >= len(line) || !isStart(line[j]) {
		return "", 0, 0
	}
	k := j + 1
	for k < len(line) && isChar(line[k]) {
		k++
	}
	if braced {
		p := k
		for p < len(line) && (line[p] == ' ' || line[p] == '\t' || isChar(line[p])) {
			p++
		}
		if p >= len(line) || line[p] != '}' {
			return "", 0, 0
		}
		return string(line[j:k]), j, p + 1
	}
	if k < len(line) && !(line[k] == ' ' || line[k] == '\t' || line[k] == ',' || line[k] == ')') {
		return "", 0, 0
	}
	return string(line[j:k]), j, k
}

// builtinParams are keepalived's own definitions.
var builtinParams = []string{"_PWD", "_INSTANCE", "_RANDOM", "_HASH", "_BANG", "_ENV"}

func isBuiltinParam(name string) bool {
	for _, b := range builtinParams {
		if b == name {
			return true
		}
	}
	return false
}

// At returns the occurrence at a position of the document (path "") or of
// one of the files it includes (path as the include read it, absolute
// line, byte column).
func (ix *Index) At(path string, line, col int) (*Occurrence, bool) {
	p := parser.Pos{Line: int32(line), Col: int32(col)}
	var best *Occurrence
	for i := range ix.Occs {
		o := &ix.Occs[i]
		if o.Path() != path || !o.Span.Contains(p) {
			continue
		}
		// Prefer the innermost, and a $NAME over the word it produces.
		inner := best == nil || best.Span.Contains(o.Span.Start) && best.Span.Contains(o.Span.End)
		if inner && (best == nil || o.Kind == ParamKind || o.Span != best.Span) {
			best = o
		}
	}
	return best, best != nil
}

// same reports whether two occurrences name the same object.
func same(a, b *Occurrence) bool { return a.Kind == b.Kind && a.Name == b.Name }

// DefinitionAt returns where the object at a position is defined: every
// definition of an object (keepalived uses the first; the duplicates are
// reported), or for a $NAME reference the definition in force there.
func (ix *Index) DefinitionAt(path string, line, col int) []Occurrence {
	at, ok := ix.At(path, line, col)
	if !ok {
		return nil
	}
	if at.Kind == ParamKind && !at.Def {
		if at.Builtin {
			return nil
		}
		var last *Occurrence
		for i := range ix.Occs {
			o := &ix.Occs[i]
			if o.Def && same(o, at) && lessKey(o.key, at.key) {
				last = o
			}
		}
		if last != nil {
			return []Occurrence{*last}
		}
	}
	var out []Occurrence
	for i := range ix.Occs {
		if o := &ix.Occs[i]; o.Def && same(o, at) {
			out = append(out, *o)
		}
	}
	return out
}

// ReferencesAt returns every occurrence of the object at a position, in
// reading order; definitions only when includeDecl is set.
func (ix *Index) ReferencesAt(path string, line, col int, includeDecl bool) []Occurrence {
	at, ok := ix.At(path, line, col)
	if !ok {
		return nil
	}
	var out []Occurrence
	for i := range ix.Occs {
		if o := &ix.Occs[i]; same(o, at) && (includeDecl || !o.Def) {
			out = append(out, *o)
		}
	}
	return dedupeOccs(out)
}

// HighlightsAt returns the occurrences of the object at a position that are
// in the same file as the position.
func (ix *Index) HighlightsAt(path string, line, col int) []Occurrence {
	var out []Occurrence
	for _, o := range ix.ReferencesAt(path, line, col, true) {
		if o.Path() == path {
			out = append(out, o)
		}
	}
	return out
}

// dedupeOccs drops repeats of the same place (a file included twice).
func dedupeOccs(occs []Occurrence) []Occurrence {
	type place struct {
		path string
		span parser.Span
	}
	seen := map[place]bool{}
	out := occs[:0]
	for _, o := range occs {
		p := place{o.Path(), o.Span}
		if !seen[p] {
			seen[p] = true
			out = append(out, o)
		}
	}
	return out
}

// RenameError explains why a name cannot be renamed.
type RenameError struct{ Reason string }

func (e *RenameError) Error() string { return e.Reason }

func renameErr(format string, args ...any) error {
	return &RenameError{Reason: fmt.Sprintf(format, args...)}
}

// PrepareRename checks that the name at a position can be renamed and
// returns its occurrence (NameSpan is the range to offer for editing).
func (ix *Index) PrepareRename(path string, line, col int) (Occurrence, error) {
	if path != "" && !ix.files[filepath.Clean(path)] {
		return Occurrence{}, renameErr("%s is not part of this configuration", path)
	}
	at, ok := ix.At(path, line, col)
	if !ok {
		if path == "" {
			if t, found := Locate(ix.doc, line, col); found && t.Arg < 0 && t.Node != nil {
				return Occurrence{}, renameErr("'%s' is a keyword: only the names of scripts, instances, groups, trackers and $parameters can be renamed", t.Node.Keyword.Text)
			}
		}
		return Occurrence{}, renameErr("there is no name to rename here")
	}
	if at.Kind == ParamKind && at.Builtin {
		return Occurrence{}, renameErr("${%s} is built into keepalived and cannot be renamed", at.Name)
	}
	all := ix.ReferencesAt(path, line, col, true)
	hasDef := false
	for _, o := range all {
		if o.Def {
			hasDef = true
		}
		if o.Src != nil && !ix.files[o.Src.Path] {
			return Occurrence{}, renameErr("'%s' is also used in %s, which is not part of this configuration", at.Name, o.Src.Path)
		}
		if !o.Literal {
			where := "this file"
			if o.Src != nil {
				where = filepath.Base(o.Src.Path)
			}
			return Occurrence{}, renameErr("'%s' is produced by parameter substitution at %s:%d; rename it there by hand",
				at.Name, where, o.Span.Start.Line+1)
		}
	}
	if at.Kind == ParamKind && !hasDef {
		return Occurrence{}, renameErr("$%s is not defined in this configuration", at.Name)
	}
	return *at, nil
}

// RenameAt returns the edits that rename the object at a position, in the
// document and in the files it includes: every definition and use.
func (ix *Index) RenameAt(path string, line, col int, newName string) ([]parser.Edit, error) {
	at, err := ix.PrepareRename(path, line, col)
	if err != nil {
		return nil, err
	}
	if at.Kind == ParamKind {
		newName = strings.TrimPrefix(newName, "$")
		if !validParamName(newName) {
			return nil, renameErr("'%s' is not a valid parameter name: use letters, digits and '_', not starting with a digit", newName)
		}
	} else if msg := checkObjectName(newName); msg != "" {
		return nil, renameErr("'%s' is not a valid name: %s", newName, msg)
	}
	var edits []parser.Edit
	for _, o := range ix.ReferencesAt(path, line, col, true) {
		edits = append(edits, parser.Edit{Src: o.Src, Span: o.NameSpan, NewText: newName})
	}
	return edits, nil
}

func validParamName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		letter := c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !letter && (i == 0 || c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// checkObjectName says why a word cannot be an object name ("" when it can).
func checkObjectName(s string) string {
	switch {
	case s == "":
		return "it is empty"
	case strings.ContainsAny(s, " \t\r\n"):
		return "keepalived reads it as several words"
	case strings.ContainsAny(s, "{}"):
		return "braces start and end blocks"
	case strings.ContainsAny(s, "#!"):
		return "'#' and '!' start comments"
	case strings.ContainsAny(s, "\"'"):
		return "quotes are not part of names"
	case strings.Contains(s, "$"):
		return "'$' starts a parameter"
	}
	return ""
}

// IncludedFilesAt returns the files read by the include directive at a
// position of the document's own text.
func IncludedFilesAt(d *parser.Doc, line, col int) []string {
	t, ok := Locate(d, line, col)
	if !ok || t.Node == nil || t.Node.Kind != parser.Include || t.Param != nil {
		return nil
	}
	var out []string
	for _, f := range t.Node.Files() {
		out = append(out, f.Source.Path)
	}
	return out
}
