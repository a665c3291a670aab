package parser

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// MaxLineLength is the longest line keepalived reads (its buffer is 1024
// bytes including the newline and the terminating NUL).
const MaxLineLength = 1022

// Limits that keep hostile input bounded.
const (
	maxSubstitutions   = 256   // per line: stops self-referencing definitions
	maxGeneratedLines  = 10000 // per physical line: ~SEQ/~LST output
	maxLogicalLines    = 80000 // per physical line: logical lines, brace pieces and generated includes included
	maxResidues        = 2048  // per logical line: brace splits (a 1023-byte line has fewer)
	maxSubstitutedSize = 1023  // keepalived's buffer
)

// defs holds $NAME definitions. It is copied on write so that a unit can keep
// the state it ended with.
type defs struct {
	vals map[string]string // multi-line values contain '\n'
}

func (d *defs) get(name string) (string, bool) {
	if d == nil {
		return "", false
	}
	v, ok := d.vals[name]
	return v, ok
}

func (d *defs) with(name, value string) *defs {
	n := &defs{vals: make(map[string]string, 1)}
	if d != nil {
		for k, v := range d.vals {
			n.vals[k] = v
		}
	}
	n.vals[name] = value
	return n
}

func (d *defs) equal(e *defs) bool {
	if d == e {
		return true
	}
	if d == nil || e == nil {
		return d == nil && len(e.vals) == 0 || e == nil && len(d.vals) == 0
	}
	if len(d.vals) != len(e.vals) {
		return false
	}
	for k, v := range d.vals {
		if w, ok := e.vals[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// Definition records where a $NAME=value definition is written.
type Definition struct {
	Src   *Source
	Name  string
	Span  Span // the name
	Value string
}

// ParamRef records a $NAME or ${NAME} use.
type ParamRef struct {
	Src     *Source
	Name    string
	Span    Span // the whole reference
	Defined bool
	Builtin bool
}

// logical is one logical line: a run of words, or a single brace.
type logical struct {
	toks     []Token
	brace    byte
	text     string // the words as written, for script lines
	textSpan Span
	include  *includeLine
	undef    []ParamRef // undefined references on this line
}

type includeLine struct {
	directive Token
	pattern   Token
}

// reader is keepalived's read_line(): it turns physical lines into logical
// lines and hands them to the builder.
type reader struct {
	opts    *Options
	defs    *defs
	openDef string // name of a multi-line definition still being read
	b       *builder
	src     *Source // nil: the document
	dir     string  // directory of the current file
	legacy  bool    // read comments like keepalived before 2.4.0

	scratch []rawToken // reused by tokenize
	ll      logical    // reused for each logical line

	emitted    int  // logical lines produced by the current physical line
	fed        int  // logical lines fed to the builder for it (brace pieces too; see maxLogicalLines)
	overBudget bool // the limit was reported for the current physical line
	unclosed   bool // the current physical line already has an unterminated-quote diagnostic
	halted     bool // an expansion of the current physical line ran away: the rest is dropped
	generating int  // ~SEQ/~LST expansions in progress
	totalFed   int  // logical lines fed since the reader started (never reset)
}

// lineState is the reader's state for the physical line being read; an
// include saves it while it reads the lines of the included file.
type lineState struct {
	emitted, fed, generating     int
	overBudget, unclosed, halted bool
}

func (r *reader) saveLine() lineState {
	return lineState{emitted: r.emitted, fed: r.fed, generating: r.generating,
		overBudget: r.overBudget, unclosed: r.unclosed, halted: r.halted}
}

func (r *reader) restoreLine(s lineState) {
	r.emitted, r.fed, r.generating = s.emitted, s.fed, s.generating
	r.overBudget, r.unclosed, r.halted = s.overBudget, s.unclosed, s.halted
}

// physLine processes one physical line, numbered ln in the current file.
func (r *reader) physLine(raw []byte, ln int32) {
	r.emitted, r.fed, r.overBudget, r.unclosed, r.halted, r.generating = 0, 0, false, false, false, 0
	r.b.startLine()
	long := len(raw) > MaxLineLength // keepalived's buffer counts a '\r' too
	if n := len(raw); n > 0 && raw[n-1] == '\r' {
		raw = raw[:n-1]
	}
	if long {
		r.b.diag(Error, "line-too-long", Span{Pos{ln, MaxLineLength}, Pos{ln, int32(len(raw))}},
			fmt.Sprintf("line is %d characters long; keepalived reads at most %d (2.4 and later drop the line, older releases split it)", len(raw), MaxLineLength))
	}
	// One pass finds what the line needs: NUL bytes, and whether the
	// general decomment (quotes, escapes) is needed at all.
	cut, quote, escapes := -1, false, false
	for i, c := range raw {
		if lineClass[c] == 0 {
			continue
		}
		switch c {
		case 0:
			r.b.binaryLine(Span{Pos{ln, int32(i)}, Pos{ln, int32(i + 1)}})
			return
		case '"':
			if cut < 0 {
				quote = !quote
			}
		case '\\':
			escapes = true
		default: // '#', '!'
			if cut < 0 && !quote {
				cut = i
			}
		}
	}
	if r.openDef != "" {
		r.continueDef(raw)
		return
	}
	if len(raw) == 0 {
		return
	}
	var d decommented
	if !escapes {
		d = simpleDecomment(raw, cut)
		d.unterminated = quote
	} else {
		d = decomment(literalText(raw, 0), r.legacy)
	}
	if d.comment >= 0 {
		r.b.comment(Span{Pos{ln, d.comment}, Pos{ln, int32(len(raw))}})
	}
	if d.unterminated {
		r.unclosed = true
		r.b.diag(Error, "unterminated-quote", r.lineSpan(ln, d.text),
			"this line has an odd number of double quotes: a closing '\"' is missing")
	}
	if len(d.text.b) == 0 {
		return
	}
	r.b.significant = true
	r.logical(d.text, ln, false, 0)
}

func (r *reader) lineSpan(ln int32, t mtext) Span {
	a, b := t.srcSpan(0, len(t.b))
	return Span{Pos{ln, a}, Pos{ln, b}}
}

// lineClass marks the bytes physLine looks for.
var lineClass = [256]uint8{0: 1, '"': 1, '\\': 1, '#': 1, '!': 1}

// simpleDecomment is decomment for a line without backslashes: the comment
// starts at cut (the first '#' or '!' outside double quotes, or -1).
func simpleDecomment(raw []byte, cut int) decommented {
	res := decommented{comment: -1}
	i := 0
	for i < len(raw) && isBlank(raw[i]) {
		i++
	}
	end := len(raw)
	if cut >= 0 {
		end = cut
		res.comment = int32(cut)
	}
	for end > i && isBlank(raw[end-1]) {
		end--
	}
	if end < i {
		end = i
	}
	res.text = mtext{b: raw[i:end], base: int32(i)}
	return res
}

// continueDef appends a line to a multi-line definition.
func (r *reader) continueDef(raw []byte) {
	name := r.openDef
	cur, _ := r.defs.get(name)
	if len(raw) == 0 {
		r.openDef = ""
		return
	}
	d := decomment(literalText(raw, 0), r.legacy)
	if len(d.text.b) == 0 {
		return // comment-only lines neither add nor end
	}
	s := string(d.text.b)
	if strings.HasSuffix(s, "\\") {
		s = strings.TrimRight(strings.TrimSuffix(s, "\\"), " \t")
		if s == "" {
			return // a bare "\" adds nothing
		}
		r.defs = r.defs.with(name, cur+s+"\n")
		return
	}
	r.openDef = ""
	r.defs = r.defs.with(name, cur+s)
}

// logical runs keepalived's per-line processing: @ID conditionals,
// definitions, generators, substitution, include, then brace splitting.
func (r *reader) logical(t mtext, ln int32, expanded bool, depth int) {
	if depth > 64 {
		r.b.diag(Error, "invalid-definition", r.lineSpan(ln, t), "definitions and generators nest too deeply")
		return
	}
	var extra []mtext
	residues := 0
	for first := true; ; first = false {
		// Text after a split brace goes through all of this again, as in
		// keepalived's read_line.
		if len(t.b) > 0 && t.b[0] == '@' {
			var ok bool
			if t, ok = r.conditional(t, ln); !ok {
				break
			}
		}
		if len(t.b) > 0 && t.b[0] == '$' {
			if r.definition(t, ln) {
				break
			}
		}
		if bytes.HasPrefix(t.b, []byte("~SEQ")) || bytes.HasPrefix(t.b, []byte("~LST")) {
			r.generator(t, ln, depth)
			break
		}
		if first {
			// Every line that yields content counts against one budget per
			// physical line, however generators and definitions nest.
			r.emitted++
			if r.emitted > maxGeneratedLines {
				if !r.overBudget {
					r.overBudget = true
					r.b.diag(Error, "invalid-generator", r.lineSpan(ln, t), fmt.Sprintf(
						"this line expands to more than %d lines; keepalived-ls reads only the first %d", maxGeneratedLines, maxGeneratedLines))
				}
				return
			}
		}
		if len(t.b) > 0 && t.b[0] != '~' && bytes.IndexByte(t.b, '$') >= 0 {
			var changed bool
			var undef []ParamRef
			var more []mtext
			t, more, changed, undef = r.substitute(t, ln)
			if changed {
				t = decomment(t, r.legacy).text
				expanded = true
			}
			extra = append(extra, more...)
			r.b.pendingUndef = append(r.b.pendingUndef, undef...)
		}
		// Every piece fed to the builder counts against one budget per
		// physical line: generated lines times the pieces braces split
		// them into multiply.
		r.fed++
		r.totalFed++
		if r.overLogical(ln, t) {
			return
		}
		residue, ok := r.emit(t, ln, expanded)
		if r.halted {
			return // a runaway expansion: the rest of the line is dropped
		}
		if !ok {
			break
		}
		// A definition can put a brace before its own reference, so the
		// rest of the line expands again and again: bound the rounds.
		residues++
		if residues > maxResidues {
			if !r.overBudget {
				r.overBudget = true
				if expanded {
					r.b.diag(Error, "invalid-definition", r.lineSpan(ln, t),
						"this line keeps expanding: a definition refers to itself after a brace")
				} else {
					// Only a line far over keepalived's length limit
					// has that many braces.
					r.b.diag(Error, "line-too-long", r.lineSpan(ln, t), fmt.Sprintf(
						"this line has more than %d braces; keepalived-ls reads no further", maxResidues))
				}
			}
			return
		}
		t = residue
	}
	for _, e := range extra {
		if r.halted {
			return
		}
		r.logical(e, ln, true, depth+1)
	}
}

// overLogical reports (once per physical line) whether the line has used up
// its budget of logical lines.
func (r *reader) overLogical(ln int32, t mtext) bool {
	if r.fed <= maxLogicalLines {
		return false
	}
	if !r.overBudget {
		r.overBudget = true
		r.b.diag(Error, "invalid-generator", r.lineSpan(ln, t), fmt.Sprintf(
			"this line expands to more than %d logical lines (generated lines, the pieces braces split them into, and what their includes read); keepalived-ls reads only the first %d",
			maxLogicalLines, maxLogicalLines))
	}
	return true
}

// conditional handles "@ID rest" and "@^ID rest". It returns the rest when
// the line applies to the configured id.
func (r *reader) conditional(t mtext, ln int32) (mtext, bool) {
	ofs := 1
	rev := len(t.b) > 1 && t.b[1] == '^'
	if rev {
		ofs = 2
	}
	sp := bytes.IndexAny(t.b[ofs:], " \t")
	if sp < 0 {
		r.b.inactive(r.lineSpan(ln, t))
		r.b.diag(Warning, "invalid-conditional", r.lineSpan(ln, t),
			"a conditional line needs text after the id; keepalived ignores this line")
		return t, false
	}
	id := string(t.b[ofs : ofs+sp])
	match := r.opts.ConfigID != "" && id == r.opts.ConfigID
	rest := ofs + sp
	for rest < len(t.b) && isBlank(t.b[rest]) {
		rest++
	}
	ca, ce := t.srcSpan(0, ofs+sp)
	r.b.conditionals = append(r.b.conditionals, Conditional{Src: r.src, ID: id, Negated: rev,
		Span: Span{Pos{ln, ca}, Pos{ln, ce}}, Active: match != rev})
	if match == rev {
		r.b.inactive(r.lineSpan(ln, t))
		return t, false
	}
	return t.slice(rest, len(t.b)), true
}

// Conditional records an @ID or @^ID prefix and whether its line is read.
type Conditional struct {
	Src     *Source
	ID      string
	Negated bool
	Span    Span
	Active  bool
}

func isNameStart(c byte) bool { return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isNameChar(c byte) bool  { return isNameStart(c) || c >= '0' && c <= '9' }

// definition records "$NAME=value"; it returns false when the line is not a
// definition (keepalived then reads it as an ordinary line).
func (r *reader) definition(t mtext, ln int32) bool {
	b := t.b
	if len(b) < 2 || !isNameStart(b[1]) {
		return false
	}
	i := 2
	for i < len(b) && isNameChar(b[i]) {
		i++
	}
	if i >= len(b) || b[i] != '=' {
		return false
	}
	name := string(b[1:i])
	v := i + 1
	for v < len(b) && isBlank(b[v]) {
		v++
	}
	value := string(b[v:])
	multi := false
	if strings.HasSuffix(value, "\\") {
		multi = true
		value = strings.TrimRight(strings.TrimSuffix(value, "\\"), " \t")
		if value != "" {
			value += "\n"
		}
	}
	r.defs = r.defs.with(name, value)
	if multi {
		r.openDef = name
	}
	a, e := t.srcSpan(1, i)
	r.b.definitions = append(r.b.definitions, Definition{Src: r.src, Name: name,
		Span: Span{Pos{ln, a}, Pos{ln, e}}, Value: strings.TrimSuffix(value, "\n")})
	return true
}

// builtin returns the value of keepalived's standard definitions.
func (r *reader) builtin(name string, params []string) (string, bool) {
	switch name {
	case "_PWD":
		return r.dir, true
	case "_INSTANCE":
		return r.opts.ConfigID, true
	case "_RANDOM":
		// The value is random at run time; the lowest possible keeps
		// checks deterministic.
		if len(params) == 2 {
			return params[0], true
		}
		return "0", true
	case "_ENV":
		if r.legacy {
			return "", false // new in keepalived 2.4.0
		}
		return "", true
	case "_HASH":
		return "#", true
	case "_BANG":
		return "!", true
	}
	return "", false
}

// lookup finds a definition's value: user definitions override built-ins.
func (r *reader) lookup(name string, params []string) (string, bool, bool) {
	if v, ok := r.defs.get(name); ok && len(params) == 0 {
		return v, true, false
	}
	v, ok := r.builtin(name, params)
	return v, ok, ok
}

// substitute replaces $NAME and ${NAME} like keepalived's replace_param():
// replaced text is scanned again, undefined names stay as written, and a
// multi-line value is only expanded when the reference ends the line (its
// further lines are returned in extra).
func (r *reader) substitute(t mtext, ln int32) (mtext, []mtext, bool, []ParamRef) {
	cur := t
	var extra []mtext
	var undef []ParamRef
	changed := false
	count := 0
	for i := 0; i < len(cur.b); {
		if cur.b[i] != '$' || i+1 >= len(cur.b) {
			i++
			continue
		}
		name, params, end, braced := parseRef(cur.b, i)
		if name == "" {
			i++
			continue
		}
		atEnd := end == len(cur.b)
		a, e := cur.srcSpan(i, end)
		refSpan := Span{Pos{ln, a}, Pos{ln, e}}
		value, ok, builtin := r.lookup(name, params)
		if ok && !atEnd && strings.Contains(value, "\n") {
			ok = false // multi-line values only expand at the end of a line
		}
		if !ok {
			ref := ParamRef{Src: r.src, Name: name, Span: refSpan}
			r.b.refs = append(r.b.refs, ref)
			undef = append(undef, ref)
			i++
			continue
		}
		_ = braced
		r.b.refs = append(r.b.refs, ParamRef{Src: r.src, Name: name, Span: refSpan, Defined: true, Builtin: builtin})
		count++
		if count > maxSubstitutions {
			r.b.diag(Error, "invalid-definition", refSpan,
				fmt.Sprintf("expanding '%s' does not terminate: a definition refers to itself", name))
			r.halted = true
			return cur, extra, changed, undef
		}
		first, rest, multi := strings.Cut(value, "\n")
		var mb mbuilder
		mb.addFrom(&cur, 0, i)
		mb.addMapped([]byte(first), a, e)
		mb.addFrom(&cur, end, len(cur.b))
		next := mb.text()
		if len(next.b) > maxSubstitutedSize {
			r.b.diag(Error, "invalid-definition", refSpan,
				fmt.Sprintf("expanding '%s' makes the line longer than keepalived's limit", name))
			r.halted = true
			return cur, extra, changed, undef
		}
		if multi {
			var lines []mtext
			for _, l := range strings.Split(rest, "\n") {
				var lb mbuilder
				lb.addMapped([]byte(l), a, e)
				lines = append(lines, lb.text())
			}
			extra = append(lines, extra...)
		}
		cur = next
		changed = true
		if v := strings.TrimLeft(first, " \t"); strings.HasPrefix(v, "~") {
			break
		}
	}
	return cur, extra, changed, undef
}

// parseRef reads a reference at b[i] == '$'. It returns the name, the
// parameters of a ${NAME p1 p2} reference and the end of the reference, or
// an empty name when b[i:] is not a reference keepalived recognises.
func parseRef(b []byte, i int) (name string, params []string, end int, braced bool) {
	j := i + 1
	if j >= len(b) {
		return "", nil, 0, false
	}
	if b[j] == '{' {
		braced = true
		j++
	}
	if j >= len(b) || !isNameStart(b[j]) {
		return "", nil, 0, false
	}
	k := j + 1
	for k < len(b) && isNameChar(b[k]) {
		k++
	}
	name = string(b[j:k])
	if braced {
		p := k
		for p < len(b) && (isBlank(b[p]) || isNameChar(b[p])) {
			p++
		}
		if p >= len(b) || b[p] != '}' {
			return "", nil, 0, false
		}
		if p > 0 && isBlank(b[p-1]) && p-1 >= k {
			return "", nil, 0, false // a reference must not end with a blank
		}
		params = strings.Fields(string(b[k:p]))
		return name, params, p + 1, true
	}
	if k < len(b) && !(b[k] == ' ' || b[k] == '\t' || b[k] == ',' || b[k] == ')') {
		return "", nil, 0, false
	}
	return name, nil, k, false
}

// generator expands ~SEQ(var, ...) and ~LST(var, ...) lines.
func (r *reader) generator(t mtext, ln int32, depth int) {
	span := r.lineSpan(ln, t)
	var vars []string
	var sets [][]string
	var tmplStart int
	var err string
	if t.b[1] == 'S' {
		vars, sets, tmplStart, err = r.parseSeq(t.b)
	} else {
		vars, sets, tmplStart, err = parseLst(t.b)
	}
	if err != "" {
		r.b.diag(Error, "invalid-generator", span, err)
		return
	}
	if len(sets) > maxGeneratedLines && !r.overBudget {
		r.overBudget = true
		r.b.diag(Error, "invalid-generator", span,
			fmt.Sprintf("this generator produces %d lines; keepalived-ls reads at most %d", len(sets), maxGeneratedLines))
		sets = sets[:maxGeneratedLines]
	}
	r.b.generators = append(r.b.generators, Generator{Src: r.src, Span: span, Count: len(sets)})
	tmpl := t.slice(tmplStart, len(t.b))
	r.generating++
	defer func() { r.generating-- }()
	for _, set := range sets {
		if r.halted || r.overLogical(ln, t) {
			break
		}
		for k, v := range vars {
			val := ""
			if k < len(set) {
				val = set[k]
			}
			r.defs = r.defs.with(v, val)
		}
		if len(tmpl.b) > 0 {
			r.logical(tmpl, ln, true, depth+1)
		}
	}
}

// Generator records a ~SEQ or ~LST line and how many lines it produced.
type Generator struct {
	Src   *Source
	Span  Span
	Count int
}

func skipBlanks(b []byte, i int) int {
	for i < len(b) && isBlank(b[i]) {
		i++
	}
	return i
}

// parseSeq reads ~SEQ(var, end), ~SEQ(var, start, end) and
// ~SEQ(var, start, step, end); ~SEQx gives hex values.
func (r *reader) parseSeq(b []byte) ([]string, [][]string, int, string) {
	i := 4
	hex := false
	if i < len(b) && b[i] == 'x' {
		hex = true
		i++
	}
	i = skipBlanks(b, i)
	if i >= len(b) || b[i] != '(' {
		return nil, nil, 0, "~SEQ must be followed by '('"
	}
	closeAt := bytes.IndexByte(b[i:], ')')
	if closeAt < 0 {
		return nil, nil, 0, "~SEQ is missing its closing ')'"
	}
	closeAt += i
	parts := strings.Split(string(b[i+1:closeAt]), ",")
	for k := range parts {
		parts[k] = strings.TrimSpace(parts[k])
	}
	if len(parts) < 2 || len(parts) > 4 || parts[0] == "" || strings.ContainsAny(parts[0], " \t{") {
		return nil, nil, 0, "invalid ~SEQ: write ~SEQ(var, end), ~SEQ(var, start, end) or ~SEQ(var, start, step, end)"
	}
	nums := make([]int64, 0, 3)
	for _, p := range parts[1:] {
		if strings.HasPrefix(p, "$") {
			name, params, end, _ := parseRef([]byte(p), 0)
			if v, ok, _ := r.lookup(name, params); ok && end == len(p) && !strings.Contains(v, "\n") {
				p = strings.TrimSpace(v)
			}
		}
		n, err := strconv.ParseInt(p, 0, 64)
		if err != nil {
			return nil, nil, 0, fmt.Sprintf("invalid ~SEQ value '%s': expected a number", p)
		}
		nums = append(nums, n)
	}
	var start, step, end int64
	switch len(nums) {
	case 1:
		end = nums[0]
		step, start = 1, 1
		if end < 1 {
			step = -1
		}
		if end < 0 {
			start = -1
		}
	case 2:
		start, end = nums[0], nums[1]
		step = 1
		if start > end {
			step = -1
		}
	case 3:
		start, step, end = nums[0], nums[1], nums[2]
		if step == 0 || start < end && step < 0 || start > end && step > 0 {
			return nil, nil, 0, "invalid ~SEQ: the step is zero or points away from the end"
		}
	}
	if hex && (start < 0 || end < 0) {
		return nil, nil, 0, "~SEQx only works with positive numbers"
	}
	var sets [][]string
	for v := start; ; v += step {
		if step > 0 && v > end || step < 0 && v < end {
			break
		}
		s := strconv.FormatInt(v, 10)
		if hex {
			s = strconv.FormatInt(v, 16)
		}
		sets = append(sets, []string{s})
		if len(sets) > maxGeneratedLines {
			break
		}
	}
	return []string{parts[0]}, sets, skipBlanks(b, closeAt+1), ""
}

// parseLst reads ~LST(var, v1, v2...) and ~LST({a, b}, {1, 2}, {3, 4}).
func parseLst(b []byte) ([]string, [][]string, int, string) {
	const bad = "invalid ~LST: write ~LST(var, value, ...) or ~LST({var1, var2}, {v1, v2}, ...)"
	i := skipBlanks(b, 4)
	if i >= len(b) || b[i] != '(' {
		return nil, nil, 0, bad
	}
	i = skipBlanks(b, i+1)
	readList := func(stopAtParen bool) ([]string, bool) {
		var items []string
		grouped := i < len(b) && b[i] == '{'
		if grouped {
			i = skipBlanks(b, i+1)
		}
		for {
			j := i
			for j < len(b) && !bytes.ContainsRune([]byte(" \t,})"), rune(b[j])) {
				j++
			}
			items = append(items, string(b[i:j]))
			i = skipBlanks(b, j)
			if i >= len(b) {
				return nil, false
			}
			if grouped && b[i] == '}' {
				i = skipBlanks(b, i+1)
				return items, true
			}
			if !grouped && (b[i] == ',' || stopAtParen && b[i] == ')') {
				return items, true
			}
			if b[i] != ',' {
				return nil, false
			}
			i = skipBlanks(b, i+1)
		}
	}
	vars, ok := readList(false)
	if !ok || i >= len(b) || b[i] != ',' {
		return nil, nil, 0, bad
	}
	i = skipBlanks(b, i+1)
	var sets [][]string
	for {
		set, ok := readList(true)
		if !ok {
			return nil, nil, 0, bad
		}
		if len(set) > len(vars) {
			return nil, nil, 0, "~LST has more values in a set than variables"
		}
		sets = append(sets, set)
		if i < len(b) && b[i] == ')' {
			break
		}
		if i >= len(b) || b[i] != ',' {
			return nil, nil, 0, bad
		}
		i = skipBlanks(b, i+1)
	}
	return vars, sets, skipBlanks(b, i+1), ""
}

// includeDirectives are keepalived's include variants.
var includeDirectives = []string{"include", "includer", "includem", "includew", "includeb", "includea"}

func isIncludeWord(w string) bool {
	for _, d := range includeDirectives {
		if w == d {
			return true
		}
	}
	return false
}

// emit checks for an include and otherwise cuts the line at its first
// brace like keepalived: the words before it, or the brace alone, are fed
// to the builder and the rest is returned to be processed as a new line.
func (r *reader) emit(t mtext, ln int32, expanded bool) (mtext, bool) {
	var flags TokenFlags
	if expanded {
		flags = Expanded
	}
	if n := includeLen(t.b); n > 0 {
		p := skipBlanksAll(t.b, n+1)
		da, de := t.srcSpan(0, n)
		pa, pe := t.srcSpan(p, len(t.b))
		ll := &logical{include: &includeLine{
			directive: Token{Text: alias(t.b[:n]), Span: Span{Pos{ln, da}, Pos{ln, de}}, Flags: flags},
			pattern:   Token{Text: alias(t.b[p:]), Span: Span{Pos{ln, pa}, Pos{ln, pe}}, Flags: flags},
		}, undef: r.b.pendingUndef}
		r.b.pendingUndef = nil
		r.b.feed(ll)
		return mtext{}, false
	}
	p := BraceAt(t.b)
	switch {
	case p < 0:
		r.feedWords(t, ln, flags)
		return mtext{}, false
	case p == 0:
		a, e := t.srcSpan(0, 1)
		r.ll = logical{brace: t.b[0], toks: r.b.tokens(1), undef: r.b.pendingUndef}
		r.b.pendingUndef = nil
		r.ll.toks[0] = Token{Text: alias(t.b[:1]), Span: Span{Pos{ln, a}, Pos{ln, e}}, Flags: flags}
		r.b.feed(&r.ll)
		rest := skipBlanks(t.b, 1)
		if rest >= len(t.b) {
			return mtext{}, false
		}
		return t.slice(rest, len(t.b)), true
	}
	end := p
	for end > 0 && isBlank(t.b[end-1]) {
		end--
	}
	r.feedWords(t.slice(0, end), ln, flags)
	return t.slice(p, len(t.b)), true
}

// BraceAt finds where keepalived splits a line: 0 when it starts with a
// brace, else the first brace outside double quotes; -1 for none (also
// after an unclosed quote). The formatter splits lines the same way.
func BraceAt(b []byte) int {
	if len(b) == 0 {
		return -1
	}
	if b[0] == '{' || b[0] == '}' {
		return 0
	}
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '{', '}':
			return i
		case '"':
			j := bytes.IndexByte(b[i+1:], '"')
			if j < 0 {
				return -1
			}
			i += j + 1
		}
	}
	return -1
}

// feedWords feeds a line without braces as one logical line of words.
func (r *reader) feedWords(t mtext, ln int32, flags TokenFlags) {
	r.scratch = tokenize(t.b, r.scratch)
	raw := r.scratch
	if len(raw) == 0 {
		return
	}
	ll := &r.ll
	*ll = logical{toks: r.b.tokens(len(raw)), undef: r.b.pendingUndef}
	r.b.pendingUndef = nil
	for k := range raw {
		rt := &raw[k]
		a, e := t.srcSpan(rt.i, rt.j)
		f := flags
		if rt.quoted {
			f |= Quoted
		}
		if rt.open {
			f |= Unclosed
		}
		ll.toks[k] = Token{Text: rt.text, Span: Span{Pos{ln, a}, Pos{ln, e}}, Flags: f}
	}
	ll.text = alias(t.b[raw[0].i:raw[len(raw)-1].j])
	ll.textSpan = ll.toks[0].Span.Cover(ll.toks[len(ll.toks)-1].Span)
	r.b.feed(ll)
}

func skipBlanksAll(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	if i > len(b) {
		return len(b)
	}
	return i
}

// includeLen returns the length of the include directive starting the line,
// or 0 when the line is not an include.
func includeLen(b []byte) int {
	if !bytes.HasPrefix(b, []byte("include")) || len(b) < 8 {
		return 0
	}
	if isSpace(b[7]) {
		return 7
	}
	if len(b) > 8 && isSpace(b[8]) && bytes.IndexByte([]byte("rmwba"), b[7]) >= 0 {
		return 8
	}
	return 0
}
