package analysis

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/keepalived-ls/keepalived-ls/parser"
	"github.com/keepalived-ls/keepalived-ls/parser/argspec"
	"github.com/keepalived-ls/keepalived-ls/parser/schema"
)

// CompletionKind says what a completion item inserts.
type CompletionKind uint8

const (
	CompleteKeyword   CompletionKind = iota // a one-line keyword
	CompleteBlock                           // a keyword that opens a block
	CompleteValue                           // an allowed value (enum, boolean)
	CompleteOption                          // a literal word of an argument list ("weight", "inst")
	CompleteReference                       // the name of a defined object
	CompleteParameter                       // a $NAME
	CompleteFile                            // an include path: a file
	CompleteFolder                          // an include path: a directory
	CompleteSnippet                         // a whole block
)

// CompletionContext says where the position is.
type CompletionContext uint8

const (
	NoCompletion     CompletionContext = iota // in a comment, after a script, ...
	KeywordContext                            // where a keyword starts
	ArgumentContext                           // an argument of a keyword
	ValueLineContext                          // a word of a value-block line
	ParameterContext                          // after '$'
	IncludeContext                            // the path of an include
)

// CompletionItem is one proposal.
type CompletionItem struct {
	Label      string
	Kind       CompletionKind
	Detail     string
	Doc        string // documentation, Markdown or plain text as asked
	InsertText string // what replaces the word being typed
	Snippet    bool   // InsertText is an LSP snippet ($1, ${1:default}, $0)
	Deprecated bool
	SortText   string
	FilterText string // "" means the label
}

// Completion is the result of Complete.
type Completion struct {
	Context CompletionContext
	// Replace is the word being typed (absolute document span, byte
	// columns, on the position's line): the items replace it.
	Replace parser.Span
	Prefix  string // the part of the word before the position
	Items   []CompletionItem
}

// CompletionOptions configure Complete.
type CompletionOptions struct {
	Target   schema.Version
	Markdown bool   // documentation in Markdown rather than plain text
	Index    *Index // the document's symbol index; nil builds one
	// Root and Path, when set, say that the document is the file Path read
	// by an include of Root: the enclosing blocks come from where Root
	// reads it.
	Root *parser.Doc
	Path string
	// Names, when set, is the index of the configuration the document is
	// read in (Root's): the names of objects and parameters come from it
	// rather than from Index.
	Names *Index
}

// Complete proposes what can be written at a position (absolute line, byte
// column) of the document: the keywords of the enclosing block, argument
// values, names of defined objects, $NAMEs, include paths and snippets for
// whole blocks.
func Complete(d *parser.Doc, line, col int, opts CompletionOptions) Completion {
	if line < 0 || line >= d.LineCount() {
		return Completion{}
	}
	raw := d.Line(line)
	col = max(0, min(col, len(raw)))
	prefix := raw[:col]
	// Comments: nothing to propose.
	quoted := false
	stmt := 0
	for i := 0; i < len(prefix); i++ {
		switch c := prefix[i]; {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '#' || c == '!':
			return Completion{}
		case c == '$' && i+1 < len(prefix) && prefix[i+1] == '{':
			// ${NAME}: its braces are not block braces.
			if j := strings.IndexByte(string(prefix[i:]), '}'); j >= 0 {
				i += j
			} else {
				i = len(prefix)
			}
		case c == '{' || c == '}':
			stmt = i + 1
		}
	}
	// The word at the position.
	start := col
	for start > stmt && !isBlankByte(prefix[start-1]) {
		start--
	}
	end := col
	for end < len(raw) && !isBlankByte(raw[end]) && !strings.ContainsRune("{}#!", rune(raw[end])) {
		end++
	}
	partial := string(prefix[start:col])
	if strings.HasPrefix(partial, "${") && end < len(raw) && raw[end] == '}' {
		end++
	}
	words := strings.Fields(string(prefix[stmt:start]))
	c := &completer{d: d, opts: opts, line: line, col: col, markdown: opts.Markdown}
	if c.opts.Index == nil {
		c.opts.Index = BuildIndex(d, opts.Target)
	}
	out := Completion{
		Replace: parser.Span{Start: parser.Pos{Line: int32(line), Col: int32(start)}, End: parser.Pos{Line: int32(line), Col: int32(end)}},
		Prefix:  partial,
	}
	// The block the position is in: in the document, or, for a file read by
	// an include of Root, where that include puts it.
	parent, inner := schema.Top, (*parser.Node)(nil)
	if opts.Root != nil {
		parent, inner = enclosingIncluded(opts.Root, opts.Path, line, col)
	} else if chain := enclosing(d, line, col); len(chain) > 0 {
		inner = chain[len(chain)-1]
		parent = inner.Schema
	}
	switch {
	case strings.HasPrefix(partial, "$") && !strings.Contains(partial, "="):
		out.Context = ParameterContext
		out.Items = c.params(strings.HasPrefix(partial, "${"))
	case inner != nil && inner.Kind == parser.ValueBlock:
		out.Context = ValueLineContext
		if inner.Schema != nil {
			if spec := inner.Schema.LineSpecFor(opts.Target); spec != nil {
				out.Items = c.arguments(spec, words, inner.Schema.Name+" entry")
			}
		}
	case parent == nil:
		return out // an unknown block
	case len(words) == 0:
		out.Context = KeywordContext
		out.Items = c.keywords(parent, inner)
	case isIncludeDirective(words[0]):
		if len(words) == 1 {
			out.Context = IncludeContext
			out.Items = c.paths(partial)
		}
	default:
		k := parent.Child(words[0])
		if k == nil || k.Quoted {
			return out
		}
		out.Context = ArgumentContext
		if spec := k.ArgSpecFor(opts.Target); spec != nil {
			out.Items = c.arguments(spec, words[1:], k.Name)
		}
	}
	return out
}

func isBlankByte(c byte) bool { return c == ' ' || c == '\t' }

// isIncludeDirective reports keepalived's include variants.
func isIncludeDirective(w string) bool {
	switch w {
	case "include", "includer", "includem", "includew", "includeb", "includea":
		return true
	}
	return false
}

// enclosing returns the blocks of the document's own text that contain a
// position, outermost first.
func enclosing(d *parser.Doc, line, col int) []*parser.Node {
	units := d.Units()
	ui := 0
	for i := range units {
		if int(d.UnitLine(i)) <= line {
			ui = i
		}
	}
	p := parser.Pos{Line: int32(line) - d.UnitLine(ui), Col: int32(col)}
	var chain []*parser.Node
	var walk func(nodes []*parser.Node) bool
	walk = func(nodes []*parser.Node) bool {
		for _, n := range nodes {
			if n.Src != nil {
				continue
			}
			if n.Kind == parser.Include {
				if walk(n.Children) {
					return true
				}
				continue
			}
			if n.Kind != parser.Block && n.Kind != parser.ValueBlock || !inside(n, p) {
				continue
			}
			chain = append(chain, n)
			if n.Kind == parser.Block {
				walk(n.Children)
			}
			return true
		}
		return false
	}
	walk(units[ui].Nodes)
	return chain
}

// enclosingIncluded finds where an included file's position is read in
// root: the schema of the enclosing block and its node (the file's own
// innermost block, or the root's block around the include; nil at the top
// level).
func enclosingIncluded(root *parser.Doc, path string, line, col int) (*schema.Keyword, *parser.Node) {
	p := parser.Pos{Line: int32(line), Col: int32(col)}
	var parent *schema.Keyword
	var inner *parser.Node
	found := false
	var inFile func(nodes []*parser.Node)
	inFile = func(nodes []*parser.Node) {
		for _, n := range nodes {
			if n.Src == nil || n.Src.Path != path {
				continue
			}
			if n.Kind == parser.Include {
				inFile(n.Children)
				continue
			}
			if (n.Kind == parser.Block || n.Kind == parser.ValueBlock) && inside(n, p) {
				parent, inner = n.Schema, n
				if n.Kind == parser.Block {
					inFile(n.Children)
				}
				return
			}
		}
	}
	var walk func(nodes []*parser.Node, k *schema.Keyword, holder *parser.Node)
	walk = func(nodes []*parser.Node, k *schema.Keyword, holder *parser.Node) {
		for _, n := range nodes {
			if found {
				return
			}
			switch {
			case n.Kind == parser.Include:
				for _, f := range n.Files() {
					if f.Source.Path == path {
						found = true
						parent, inner = k, holder
						inFile(n.Children)
						return
					}
				}
				walk(n.Children, k, holder)
			case n.Kind == parser.Block && n.Schema != nil:
				walk(n.Children, n.Schema, n)
			}
		}
	}
	for _, u := range root.Units() {
		walk(u.Nodes, schema.Top, nil)
		if found {
			break
		}
	}
	if !found {
		return schema.Top, nil
	}
	return parent, inner
}

// inside reports whether p is between a block's braces.
func inside(n *parser.Node, p parser.Pos) bool {
	switch {
	case n.Flags&parser.HasOpen != 0:
		if !n.Open.Less(p) {
			return false
		}
	case n.Flags&parser.MissingOpen != 0:
		if p.Less(n.LineSpan().End) || p.Line == n.Keyword.Span.Start.Line {
			return false
		}
	default:
		return false
	}
	if n.Flags&parser.HasClose != 0 {
		return !n.Close.Less(p)
	}
	return true
}

// completer holds what the proposals need.
type completer struct {
	d         *parser.Doc
	opts      CompletionOptions
	line, col int
	markdown  bool
}

func rank(r int, label string) string { return fmt.Sprintf("%d_%s", r, label) }

// usage renders "name <args> { ... }".
func usage(k *schema.Keyword) string {
	u := k.Name
	if spec := k.ArgSpec(); spec != nil && k.Args != "" {
		u += " " + spec.Usage()
	}
	if k.Block != schema.NoBlock {
		u += " { ... }"
	}
	return u
}

// keywords proposes the keywords allowed in a block (parent; inner is its
// node, nil at the top level) for the target release. Keywords already set
// in the block that may appear only once come after the others, deprecated
// ones last.
func (c *completer) keywords(parent *schema.Keyword, inner *parser.Node) []CompletionItem {
	set := map[*schema.Keyword]bool{}
	if inner != nil {
		for m := range inner.Body {
			if m.Schema == nil || m.Kind == parser.Include || c.onLine(m) {
				continue
			}
			set[m.Schema] = true
		}
	}
	var out []CompletionItem
	seen := map[string]bool{}
	for _, k := range parent.Children() {
		if seen[k.Name] || !k.AvailableIn(c.opts.Target) {
			continue
		}
		seen[k.Name] = true
		kind := CompleteKeyword
		if k.Block != schema.NoBlock {
			kind = CompleteBlock
		}
		r := 0
		switch {
		case k.Deprecated != "":
			r = 2
		case set[k] && !k.Repeatable:
			r = 1
		}
		out = append(out, CompletionItem{Label: k.Name, Kind: kind, Detail: usage(k), Doc: KeywordHover(k, c.markdown),
			InsertText: k.Name, Deprecated: k.Deprecated != "", SortText: rank(r, k.Name)})
	}
	out = append(out, CompletionItem{Label: "include", Kind: CompleteKeyword, Detail: "include PATTERN",
		Doc: includeDoc(c.markdown), InsertText: "include", SortText: rank(0, "include")})
	for _, s := range snippetsFor(parent, c.opts.Index) {
		out = append(out, CompletionItem{Label: s.label, Kind: CompleteSnippet, Detail: s.detail, InsertText: s.body,
			Snippet: true, SortText: rank(0, s.label+"~"), FilterText: s.filter, Doc: snippetDoc(s, c.markdown)})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].SortText < out[j].SortText })
	return out
}

// onLine reports whether a node of the document starts on the position's
// line (the line being typed is not "already set").
func (c *completer) onLine(n *parser.Node) bool {
	if n.Src != nil || c.opts.Root != nil {
		return n.Src != nil && n.Src.Path == c.opts.Path && int(n.Keyword.Span.Start.Line) == c.line
	}
	units := c.d.Units()
	for i := range units {
		if int(c.d.UnitLine(i)) <= c.line && (i+1 == len(units) || int(c.d.UnitLine(i+1)) > c.line) {
			return int(n.Keyword.Span.Start.Line+c.d.UnitLine(i)) == c.line
		}
	}
	return false
}

func includeDoc(md bool) string {
	w := &writer{md: md}
	w.title("include", "directive")
	w.para("Reads other configuration files at this point. Relative paths start from this file's directory; glob patterns (`*`, `?`, `[...]`, `{a,b}`) read every match in sorted order.")
	return w.String()
}

// candidate is a word that may come next in an argument list.
type candidate struct {
	word   string
	kind   CompletionKind
	detail string
	doc    string
	object string // references: the object kind
}

// arguments proposes the next word after words for a spec: literal options,
// enum values, booleans and names of defined objects. Each candidate is
// tried with the matcher the checks use, so only words keepalived accepts
// at this place are proposed.
func (c *completer) arguments(spec *argspec.Spec, words []string, owner string) []CompletionItem {
	var cands []candidate
	seen := map[string]bool{}
	add := func(cd candidate) {
		if !seen[cd.word] {
			seen[cd.word] = true
			cands = append(cands, cd)
		}
	}
	of := func(arg string) string {
		if arg == owner {
			return "value of " + owner
		}
		return arg + " of " + owner
	}
	var collect func(items []argspec.Item)
	collect = func(items []argspec.Item) {
		for _, it := range items {
			switch it.Kind {
			case argspec.Literal:
				add(candidate{word: it.Literal, kind: CompleteOption, detail: "option of " + owner})
			case argspec.Optional:
				collect(it.Seq)
			case argspec.Alt:
				for _, a := range it.Alts {
					collect(a)
				}
			case argspec.Arg:
				switch it.Type.Kind {
				case argspec.TEnum, argspec.TIEnum:
					for _, v := range it.Type.Values {
						add(candidate{word: v, kind: CompleteValue, detail: of(it.Name)})
					}
				case argspec.TBool:
					for _, v := range []string{"true", "false", "yes", "no", "on", "off"} {
						add(candidate{word: v, kind: CompleteValue, detail: of(it.Name)})
					}
				case argspec.TRef:
					ix, defs := c.definitions(it.Type.Object)
					for _, o := range defs {
						add(candidate{word: o.Name, kind: CompleteReference, detail: it.Type.Object,
							doc: c.definitionDoc(ix.doc, o), object: it.Type.Object})
					}
				}
			}
		}
	}
	collect(spec.Items)
	var m argspec.Matcher
	var out []CompletionItem
	try := append(append([]string(nil), words...), "")
	at := len(words)
	for i, cd := range cands {
		try[at] = cd.word
		binds, probs := m.Match(spec, try)
		ok := true
		for _, p := range probs {
			if p.Word == at && (p.Kind == argspec.Invalid || p.Kind == argspec.Extra) {
				ok = false
			}
		}
		var bound *argspec.Item
		for _, b := range binds {
			if b.Word == at {
				bound = b.Arg
			}
		}
		switch cd.kind {
		case CompleteOption:
			ok = ok && bound == nil
		case CompleteValue:
			ok = ok && bound != nil && (bound.Type.Kind == argspec.TBool || bound.Type.Kind == argspec.TEnum || bound.Type.Kind == argspec.TIEnum)
		case CompleteReference:
			ok = ok && bound != nil && bound.Type.Kind == argspec.TRef && bound.Type.Object == cd.object
		}
		if !ok {
			continue
		}
		out = append(out, CompletionItem{Label: cd.word, Kind: cd.kind, Detail: cd.detail, Doc: cd.doc,
			InsertText: cd.word, SortText: fmt.Sprintf("%d_%04d", 0, i)})
	}
	return out
}

// definitions returns the definitions of a kind, first of each name.
func (c *completer) definitions(kind string) (*Index, []Occurrence) {
	var out []Occurrence
	seen := map[string]bool{}
	ix := c.opts.Index
	if c.opts.Names != nil {
		ix = c.opts.Names
	}
	for _, o := range ix.Occs {
		if o.Def && o.Kind == kind && !seen[o.Name] {
			seen[o.Name] = true
			out = append(out, o)
		}
	}
	return ix, out
}

// definitionDoc shows the first lines of a definition.
func (c *completer) definitionDoc(d *parser.Doc, o Occurrence) string {
	if o.Node == nil {
		return ""
	}
	s := o.Node.Span()
	line := d.Line
	if o.Src != nil {
		line = o.Src.Line
	} else {
		s = s.Shift(d.UnitLine(o.Unit))
	}
	var lines []string
	for l := s.Start.Line; l <= s.End.Line && len(lines) < 8; l++ {
		lines = append(lines, string(line(int(l))))
	}
	if s.End.Line-s.Start.Line >= 8 {
		lines = append(lines, "...")
	}
	w := &writer{md: c.markdown}
	where := fmt.Sprintf("line %d", o.Span.Start.Line+1)
	switch {
	case o.Src != nil:
		where = fmt.Sprintf("%s:%d", o.Src.Path, o.Span.Start.Line+1)
	case d != c.d:
		where = fmt.Sprintf("%s:%d", d.Path, o.Span.Start.Line+1)
	}
	w.para("Defined at " + where + ":")
	w.block(strings.Join(lines, "\n"))
	return w.String()
}

// params proposes the $NAMEs defined before the position, and the
// built-in ones.
func (c *completer) params(braced bool) []CompletionItem {
	ui := 0
	for i := range c.d.Units() {
		if int(c.d.UnitLine(i)) <= c.line {
			ui = i
		}
	}
	here := []int64{int64(ui), posKey(parser.Pos{Line: int32(c.line) - c.d.UnitLine(ui), Col: int32(c.col)})}
	var out []CompletionItem
	seen := map[string]bool{}
	text := func(name string) string {
		if braced {
			return "${" + name + "}"
		}
		return "$" + name
	}
	occs, d := c.opts.Index.Occs, c.d
	if c.opts.Names != nil {
		occs, d = c.opts.Names.Occs, c.opts.Names.doc
	}
	for i := len(occs) - 1; i >= 0; i-- { // the definition in force: the last before the position
		o := occs[i]
		if !o.Def || o.Kind != ParamKind || seen[o.Name] || c.opts.Names == nil && !lessKey(o.key, here) {
			continue
		}
		seen[o.Name] = true
		value := paramValue(d, o)
		w := &writer{md: c.markdown}
		w.title("$"+o.Name, "parameter")
		w.para("Value:")
		w.block(value)
		first, _, _ := strings.Cut(value, "\n")
		out = append(out, CompletionItem{Label: text(o.Name), Kind: CompleteParameter, Detail: first, Doc: w.String(),
			InsertText: text(o.Name), FilterText: text(o.Name), SortText: rank(0, o.Name)})
	}
	for _, b := range builtinParams {
		if seen[b] {
			continue
		}
		out = append(out, CompletionItem{Label: text(b), Kind: CompleteParameter, Detail: "built-in",
			InsertText: text(b), FilterText: text(b), SortText: rank(1, b)})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].SortText < out[j].SortText })
	return out
}

// paramValue returns the value of a $NAME definition.
func paramValue(d *parser.Doc, o Occurrence) string {
	for _, def := range d.Units()[o.Unit].Definitions {
		s := def.Span
		if def.Src == nil {
			s = s.Shift(d.UnitLine(o.Unit))
		}
		if def.Name == o.Name && def.Src == o.Src && s == o.Span {
			return def.Value
		}
	}
	return ""
}

// paths proposes files and directories for an include pattern, relative
// to the document's directory.
func (c *completer) paths(partial string) []CompletionItem {
	base := c.d.Options().Dir
	if base == "" && filepath.IsAbs(c.d.Path) {
		base = filepath.Dir(c.d.Path)
	}
	dirPart := ""
	if i := strings.LastIndexByte(partial, '/'); i >= 0 {
		dirPart = partial[:i+1]
	}
	dir := dirPart
	if !filepath.IsAbs(dir) {
		if base == "" {
			return nil
		}
		dir = filepath.Join(base, dirPart)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	hidden := strings.HasPrefix(partial[len(dirPart):], ".")
	self := filepath.Clean(c.d.Path)
	var out []CompletionItem
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") && !hidden {
			continue
		}
		full := filepath.Join(dir, name)
		isDir := e.IsDir()
		if e.Type()&os.ModeSymlink != 0 {
			if st, err := os.Stat(full); err == nil {
				isDir = st.IsDir()
			}
		}
		if full == self {
			continue
		}
		it := CompletionItem{Label: name, Kind: CompleteFile, Detail: full, InsertText: dirPart + name,
			FilterText: dirPart + name, SortText: rank(1, name)}
		if isDir {
			it.Label += "/"
			it.Kind = CompleteFolder
			it.InsertText += "/"
			it.FilterText += "/"
			it.SortText = rank(0, name)
		}
		out = append(out, it)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].SortText < out[j].SortText })
	return out
}
