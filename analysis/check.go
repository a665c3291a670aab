package analysis

import (
	"fmt"
	"reflect"
	"runtime"
	"slices"
	"sort"
	"sync"

	"github.com/keepalived-ls/keepalived-ls/parser/argspec"

	"github.com/keepalived-ls/keepalived-ls/parser"
	"github.com/keepalived-ls/keepalived-ls/parser/schema"
)

// Checker checks documents. Per-unit results are memoised on the units
// themselves (they are shared between document versions), so checking a
// new version only analyses the units that changed. It is safe for
// concurrent use.
type Checker struct {
	cfg Config
	key string

	// The cross-unit symbol check is cached: while the units with symbols
	// are the same, its diagnostics are too (up to line shifts).
	symMu  sync.Mutex
	symIn  []*unitResult
	symOut []symDiag
	semIn  []*unitResult
	semOut []symDiag

	// The last two checks' units, results and flags (double-buffered):
	// units an edit left alone are found by comparing pointers with the
	// last check, front and back, instead of visiting each unit.
	lastMu sync.Mutex
	bufs   [2]checkBuf
	turn   int
}

// checkBuf is what one check saw: its units, their results and flags.
type checkBuf struct {
	units  []*parser.Unit
	firsts []int32
	all    []*unitResult
	flags  []resultFlags
}

// resultFlags say what a unit result holds, so that a check can sort the
// results without reading each one.
type resultFlags uint8

const (
	hasDiags resultFlags = 1 << iota
	hasSyms
	hasFacts
	hasDirs
)

func flagsOf(r *unitResult) resultFlags {
	var f resultFlags
	if len(r.diags) > 0 {
		f |= hasDiags
	}
	if len(r.syms) > 0 {
		f |= hasSyms
	}
	if len(r.facts) > 0 {
		f |= hasFacts
	}
	if len(r.dirs) > 0 {
		f |= hasDirs
	}
	return f
}

// unitResult is what a unit contributes: its own diagnostics (lines relative
// to the unit), its symbol events and semantic facts in document order, and
// its keepalived-ls suppression comments.
type unitResult struct {
	diags []parser.Diagnostic
	syms  []symEvent
	facts []any
	dirs  []suppDirective
}

// NewChecker returns a checker for one configuration.
func NewChecker(cfg Config) *Checker {
	return &Checker{cfg: cfg, key: "analysis:" + cfg.key()}
}

// Config returns the checker's configuration.
func (c *Checker) Config() Config { return c.cfg }

// Check is a one-off check with a fresh Checker.
func Check(d *parser.Doc, cfg Config) []parser.Diagnostic { return NewChecker(cfg).Check(d) }

// Check returns every diagnostic of the document and the files it includes.
// Diagnostics of the document have Src nil and absolute lines; those of
// included files carry their Src.
func (c *Checker) Check(d *parser.Doc) []parser.Diagnostic { return c.CheckWith(d, nil) }

// CheckWith is Check with diagnostics from outside keepalived-ls merged in
// (keepalived's own messages; nil when keepalived did not run): those on a
// line where keepalived-ls reports something are dropped, the rest follow
// the rule settings and suppression comments like the others.
func (c *Checker) CheckWith(d *parser.Doc, external []parser.Diagnostic) []parser.Diagnostic {
	sc := getScratch()
	defer putScratch(sc)

	c.lastMu.Lock()
	prev, cur := &c.bufs[c.turn], &c.bufs[1-c.turn]
	c.turn = 1 - c.turn
	// The units and their lines go into the checker's own buffers: the
	// document's flat list would be built (and collected) per keystroke.
	oldLen := len(cur.units)
	cur.units, cur.firsts = d.AppendUnits(cur.units[:0], cur.firsts[:0])
	units := cur.units
	n := len(units)
	cur.all, cur.flags = grow(cur.all, n), grow(cur.flags, n)
	// Beyond n the buffers must hold nothing: a unit kept there would keep
	// an old version's memory alive.
	if oldLen > n {
		clear(cur.units[n:oldLen])
	}
	clear(cur.all[n:cap(cur.all)])
	// Units shared with the last check at the front and at the back keep
	// their results; the others are memoised on the unit or analysed.
	m := len(prev.units)
	front := 0
	for front < n && front < m && units[front] == prev.units[front] {
		front++
	}
	back := 0
	for back < n-front && back < m-front && units[n-1-back] == prev.units[m-1-back] {
		back++
	}
	copy(cur.all[:front], prev.all[:front])
	copy(cur.flags[:front], prev.flags[:front])
	copy(cur.all[n-back:], prev.all[m-back:])
	copy(cur.flags[n-back:], prev.flags[m-back:])
	// The last check's units in between are gone from the document: the
	// buffer must not keep them (an unbalanced brace makes one unit of the
	// rest of the file, as large as the document).
	clear(prev.units[front : m-back])
	clear(prev.all[front : m-back])
	var todo []int
	for i := front; i < n-back; i++ {
		if r, ok := c.cached(units[i]); ok {
			cur.all[i], cur.flags[i] = r, flagsOf(r)
		} else {
			todo = append(todo, i)
		}
	}
	if len(todo) > 0 {
		analyzeAll(units, todo, cur.all, &c.cfg)
		for _, i := range todo {
			r := cur.all[i]
			units[i].Memo(c.key, func() any { return r })
			cur.flags[i] = flagsOf(r)
		}
	}
	// Only units with diagnostics or symbols matter from here on.
	results, flags, firsts := sc.results[:0], sc.flags[:0], sc.firsts[:0]
	sc.ndiags = 0
	for i, f := range cur.flags {
		if f != 0 {
			r := cur.all[i]
			results, flags = append(results, r), append(flags, f)
			firsts = append(firsts, cur.firsts[i])
			if f&hasDiags != 0 {
				sc.ndiags += len(r.diags)
			}
		}
	}
	c.lastMu.Unlock()
	sc.results, sc.flags, sc.firsts = results, flags, firsts
	return c.finishWith(sc, results, flags, firsts, d.Line, d.LineCount(), external)
}

// scratch holds the per-check lists, which are as long as the document
// has units: reused between checks, so that a keystroke in a large
// document does not allocate (and later collect) them each time.
type scratch struct {
	results, symIn, semIn        []*unitResult
	flags                        []resultFlags
	firsts, symFirsts, semFirsts []int32
	over                         []*overflow // set by CheckTextWith for one check
	ndiags                       int         // diagnostics in the results of one check
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

func getScratch() *scratch { return scratchPool.Get().(*scratch) }

// putScratch returns the lists. They still point at the results of the
// last check, which its document's units hold anyway; sync.Pool lets go
// of the lists after two collections, so nothing is kept for long, and a
// keystroke does not pay for clearing lists as long as the document.
func putScratch(sc *scratch) {
	sc.over, sc.ndiags = nil, 0
	// Beyond their length the lists hold nothing (results can point into
	// old units' memory): clear what this check used beyond the next's.
	for _, l := range [][]*unitResult{sc.results, sc.symIn, sc.semIn} {
		clear(l[len(l):cap(l)])
	}
	scratchPool.Put(sc)
}

// grow returns l with length n, reallocated if it is too short.
func grow[T any](l []T, n int) []T {
	if cap(l) < n {
		return make([]T, n)
	}
	return l[:n]
}

// symbols runs the cross-unit symbol check, or reuses its last result when
// the units with symbols have not changed.
func (c *Checker) symbols(in []*unitResult) []symDiag {
	c.symMu.Lock()
	defer c.symMu.Unlock()
	if sameCrossUnitInput(in, c.symIn) {
		copy(c.symIn, in) // in is scratch: keep the cache's own list
		return c.symOut
	}
	out := checkSymbols(in)
	c.symIn, c.symOut = slices.Clone(in), out
	return out
}

// semantics runs the cross-unit semantic rules, or reuses their last result
// when the units with facts or symbols have not changed.
func (c *Checker) semantics(in []*unitResult) []symDiag {
	c.symMu.Lock()
	defer c.symMu.Unlock()
	if sameCrossUnitInput(in, c.semIn) {
		copy(c.semIn, in)
		return c.semOut
	}
	out := checkSemantics(in)
	c.semIn, c.semOut = slices.Clone(in), out
	return out
}

// sameCrossUnitInput reports whether in gives the cross-unit passes what
// prev gave them: the same unit results, or new results (of edited units)
// with equal facts and symbols. Their positions are unit-relative, so
// typing inside a block that changes no fact reuses the last pass instead
// of redoing it over the whole document.
func sameCrossUnitInput(in, prev []*unitResult) bool {
	if prev == nil || len(in) != len(prev) {
		return false
	}
	for i, r := range in {
		p := prev[i]
		if r != p && (!slices.Equal(r.syms, p.syms) || !reflect.DeepEqual(r.facts, p.facts)) {
			return false
		}
	}
	return true
}

// cached returns the memoised result of a unit under this configuration.
func (c *Checker) cached(u *parser.Unit) (*unitResult, bool) {
	v, ok := u.Peek(c.key)
	if !ok {
		return nil, false
	}
	r, ok := v.(*unitResult)
	return r, ok
}

// CheckText checks a file without keeping its tree: each unit is analysed
// as soon as it is parsed and then dropped, which keeps memory small for the
// command line. The result equals Check(parser.Parse(path, text, opts)).
func (c *Checker) CheckText(path string, text []byte, opts parser.Options) []parser.Diagnostic {
	return c.CheckTextWith(path, text, opts, nil)
}

// CheckTextWith is CheckText with external diagnostics (see CheckWith).
func (c *Checker) CheckTextWith(path string, text []byte, opts parser.Options, external []parser.Diagnostic) []parser.Diagnostic {
	type part struct {
		results []*unitResult // of the units with something to report
		flags   []resultFlags // what each holds
		firsts  []int32       // their first lines, counted from the part's
		lines   int32         // lines of the part so far
		ctx     unitCtx
		stored  int         // diagnostics kept in results
		over    []*overflow // diagnostics only counted, by file and rule
		overAt  []int32     // the first line of the unit of each one's first
	}
	parts := make([]part, runtime.GOMAXPROCS(0)+1)
	parser.ParseStream(path, text, opts,
		func() { parts = make([]part, len(parts)) },
		func(chunk int, u *parser.Unit) {
			p := &parts[chunk]
			r := analyzeWith(&p.ctx, u, &c.cfg)
			if p.stored >= streamKeep && len(r.diags) > 0 {
				// A problem on every line: count the rest instead of keeping
				// them, so that memory does not grow with their number.
				for _, d := range r.diags {
					if !c.cfg.apply(&d) {
						continue
					}
					o := findOverflow(p.over, diagPath(&d), d.Rule)
					if o == nil {
						o = &overflow{path: diagPath(&d), rule: d.Rule, worst: d.Severity, first: d}
						p.over = append(p.over, o)
						p.overAt = append(p.overAt, p.lines)
					}
					o.count++
					o.worst = min(o.worst, d.Severity)
				}
				r.diags = nil
			}
			if f := flagsOf(r); f != 0 {
				p.stored += len(r.diags)
				p.results, p.flags = append(p.results, r), append(p.flags, f)
				p.firsts = append(p.firsts, p.lines)
			}
			p.lines += int32(u.LineCount())
		})
	var results []*unitResult
	var flags []resultFlags
	var firsts []int32
	var over []*overflow
	line := int32(0)
	for _, p := range parts {
		for k, o := range p.over {
			if o.first.Src == nil {
				o.first.Span = o.first.Span.Shift(line + p.overAt[k])
			}
			if e := findOverflow(over, o.path, o.rule); e != nil {
				e.count += o.count
				e.worst = min(e.worst, o.worst)
			} else {
				over = append(over, o)
			}
		}
		results, flags = append(results, p.results...), append(flags, p.flags...)
		for _, f := range p.firsts {
			firsts = append(firsts, line+f)
		}
		line += p.lines
	}
	var src *parser.Source // indexed only when a line is needed
	docLine := func(ln int) []byte {
		if src == nil {
			src = parser.NewSource(path, text)
		}
		return src.Line(ln)
	}
	sc := getScratch()
	defer putScratch(sc)
	sc.over = over
	for _, p := range parts {
		sc.ndiags += p.stored
	}
	return c.finishWith(sc, results, flags, firsts, docLine, int(line), external)
}

// streamKeep is how many diagnostics one chunk of a streaming check keeps
// before it only counts the rest (see capPerFile).
const streamKeep = 2 * MaxDiagnosticsPerFile

// overflow counts the diagnostics of one rule in one file that a streaming
// check did not keep.
type overflow struct {
	path, rule string
	count      int
	worst      parser.Severity
	first      parser.Diagnostic
}

func findOverflow(list []*overflow, path, rule string) *overflow {
	for _, o := range list {
		if o.path == path && o.rule == rule {
			return o
		}
	}
	return nil
}

// finishWith turns per-unit results into the document's diagnostics:
// absolute lines, cross-unit symbol and semantic checks, suppression
// comments, rule settings, the cap per file, suppression quick fixes and
// order. docLine returns a line of the document (absolute), docLines is its
// line count; external are diagnostics from outside keepalived-ls (see
// CheckWith); flags say what each result holds; sc holds reusable lists
// and what a streaming check counted.
func (c *Checker) finishWith(sc *scratch, results []*unitResult, flags []resultFlags, firsts []int32, docLine func(int) []byte, docLines int, external []parser.Diagnostic) []parser.Diagnostic {
	var out []parser.Diagnostic
	var dirs []*suppDirective
	symIn, semIn := sc.symIn[:0], sc.semIn[:0]
	symFirsts, semFirsts := sc.symFirsts[:0], sc.semFirsts[:0]
	defer func() { sc.symIn, sc.semIn, sc.symFirsts, sc.semFirsts = symIn, semIn, symFirsts, semFirsts }()
	if n := sc.ndiags; n > 0 {
		// Exactly sized: a file with a problem on every line has millions,
		// and growing the list by appending would copy them over and over.
		out = make([]parser.Diagnostic, 0, n)
	}
	for i, r := range results {
		f := flags[i] // read r only for what it holds: most hold no diagnostics
		if f&hasDiags != 0 {
			for _, dg := range r.diags {
				out = append(out, absolute(dg, firsts[i]))
			}
		}
		if f&hasSyms != 0 {
			symIn = append(symIn, r)
			symFirsts = append(symFirsts, firsts[i])
		}
		if f&(hasSyms|hasFacts) != 0 {
			semIn = append(semIn, r)
			semFirsts = append(semFirsts, firsts[i])
		}
		if f&hasDirs == 0 {
			continue
		}
		for _, d := range r.dirs {
			// Copies: the cached directives are shared between checks.
			dd := d
			dd.rules = append([]suppRule(nil), d.rules...)
			if dd.src == nil {
				dd.line += firsts[i]
				for k := range dd.rules {
					dd.rules[k].span = dd.rules[k].span.Shift(firsts[i])
				}
			}
			dirs = append(dirs, &dd)
		}
	}
	out = appendCrossUnit(out, c.symbols(symIn), symFirsts)
	out = appendCrossUnit(out, c.semantics(semIn), semFirsts)
	out = mergeExternal(out, external)
	lines := func(src *parser.Source, ln int) []byte {
		if src != nil {
			return src.Line(ln)
		}
		return docLine(ln)
	}
	over := sc.over
	sc.over = nil
	if len(dirs) > 0 {
		dirs = dedupeDirectives(dirs)
		over = suppressOverflow(over, dirs) // first: it marks directives used
		out = suppress(out, dirs, lines, docLines, external != nil)
	}
	kept := out[:0]
	for _, dg := range out {
		if c.cfg.apply(&dg) {
			kept = append(kept, dg)
		}
	}
	SortDiagnostics(kept)
	kept = c.capPerFile(kept, over)
	addSuppressFixes(kept, lines)
	return kept
}

// MaxDiagnosticsPerFile bounds what one check reports for one file. A
// generated or binary file can have a problem on every line: millions of
// diagnostics would take gigabytes and freeze an editor, and nobody reads
// past the first screens.
const MaxDiagnosticsPerFile = 10000

// capPerFile keeps the first MaxDiagnosticsPerFile diagnostics (by
// position) of each file, sorted as SortDiagnostics sorts, and says how
// many more there are, counting those a streaming check only counted
// (over), with a too-many-diagnostics diagnostic where the first of them
// is. It has the severity of the worst of them, so that the verdict of a
// check (errors or not) stays the same.
func (c *Checker) capPerFile(ds []parser.Diagnostic, over []*overflow) []parser.Diagnostic {
	if len(ds) <= MaxDiagnosticsPerFile && len(over) == 0 {
		return ds
	}
	type more struct {
		count int
		worst parser.Severity
		first parser.Diagnostic
	}
	extra := map[string]*more{}
	var paths []string
	add := func(path string, count int, worst parser.Severity, first parser.Diagnostic) {
		m := extra[path]
		if m == nil {
			extra[path] = &more{count, worst, first}
			paths = append(paths, path)
			return
		}
		m.count += count
		m.worst = min(m.worst, worst) // Error is the smallest
		if first.Span.Start.Less(m.first.Span.Start) {
			m.first = first
		}
	}
	for _, o := range over {
		add(o.path, o.count, o.worst, o.first)
	}
	var out []parser.Diagnostic
	for start := 0; start < len(ds); {
		end := start + 1
		for end < len(ds) && diagPath(&ds[end]) == diagPath(&ds[start]) {
			end++
		}
		file := ds[start:end]
		start = end
		if len(file) <= MaxDiagnosticsPerFile {
			out = append(out, file...)
			continue
		}
		out = append(out, file[:MaxDiagnosticsPerFile]...)
		dropped := file[MaxDiagnosticsPerFile:]
		worst := dropped[0].Severity
		for _, d := range dropped {
			worst = min(worst, d.Severity)
		}
		add(diagPath(&dropped[0]), len(dropped), worst, dropped[0])
	}
	for _, path := range paths {
		m := extra[path]
		note := parser.Diagnostic{Src: m.first.Src, Span: m.first.Span, Severity: m.worst, Rule: "too-many-diagnostics",
			Message: fmt.Sprintf("%d more problems in this file are not shown: keepalived-ls reports at most %d per file; this is the first of them: %s [%s]",
				m.count, MaxDiagnosticsPerFile, m.first.Message, m.first.Rule)}
		if c.cfg.apply(&note) {
			out = append(out, note)
		}
	}
	SortDiagnostics(out)
	return out
}

// suppressOverflow drops the counts of rules that a disable-file comment
// of their file turns off, and marks those comments used. Comments for
// single lines are not applied to counted diagnostics.
func suppressOverflow(over []*overflow, dirs []*suppDirective) []*overflow {
	kept := over[:0]
	for _, o := range over {
		hit := false
		for _, d := range dirs {
			if !d.file || d.bad != "" || (d.src == nil) != (o.path == "") || d.src != nil && d.src.Path != o.path {
				continue
			}
			for i := range d.rules {
				if d.rules[i].id == o.rule {
					d.rules[i].used = true
					hit = true
				}
			}
		}
		if !hit {
			kept = append(kept, o)
		}
	}
	return kept
}

// appendCrossUnit adds the diagnostics of a cross-unit pass, making their
// lines absolute (firsts are the first lines of the pass's input units).
func appendCrossUnit(out []parser.Diagnostic, sds []symDiag, firsts []int32) []parser.Diagnostic {
	for _, sd := range sds {
		d := sd.diag
		if d.Src == nil {
			d.Span = d.Span.Shift(firsts[sd.unit])
		}
		if len(d.Related) > 0 {
			rel := append([]parser.Related(nil), d.Related...)
			for k := range rel {
				if rel[k].Src == nil {
					rel[k].Span = rel[k].Span.Shift(firsts[sd.related])
				}
			}
			d.Related = rel
		}
		d.Fixes = shiftFixes(d.Fixes, firsts[sd.unit])
		out = append(out, d)
	}
	return out
}

// absolute converts a unit-relative diagnostic of the document.
func absolute(d parser.Diagnostic, base int32) parser.Diagnostic {
	if d.Src == nil {
		d.Span = d.Span.Shift(base)
	}
	if len(d.Related) > 0 {
		rel := make([]parser.Related, len(d.Related))
		for i, r := range d.Related {
			if r.Src == nil {
				r.Span = r.Span.Shift(base)
			}
			rel[i] = r
		}
		d.Related = rel
	}
	d.Fixes = shiftFixes(d.Fixes, base)
	return d
}

// shiftFixes returns copies of fixes (which may be shared with a cached
// result) whose edits in the document move down by base lines.
func shiftFixes(fixes []parser.Fix, base int32) []parser.Fix {
	if len(fixes) == 0 {
		return fixes
	}
	out := make([]parser.Fix, len(fixes))
	for i, f := range fixes {
		edits := make([]parser.Edit, len(f.Edits))
		for j, e := range f.Edits {
			if e.Src == nil {
				e.Span = e.Span.Shift(base)
			}
			edits[j] = e
		}
		f.Edits = edits
		out[i] = f
	}
	return out
}

// SortDiagnostics orders diagnostics by file (the document first), position,
// then rule.
func SortDiagnostics(ds []parser.Diagnostic) {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := &ds[i], &ds[j]
		if pa, pb := diagPath(a), diagPath(b); pa != pb {
			return pa < pb
		}
		if a.Span.Start != b.Span.Start {
			return a.Span.Start.Less(b.Span.Start)
		}
		return a.Rule < b.Rule
	})
}

// diagPath is the file of a diagnostic: "" for the checked document.
func diagPath(d *parser.Diagnostic) string {
	if d.Src == nil {
		return ""
	}
	return d.Src.Path
}

// analyzeAll analyses the listed units, spreading large batches over the
// available CPUs (units are independent).
func analyzeAll(units []*parser.Unit, todo []int, results []*unitResult, cfg *Config) {
	workers := runtime.GOMAXPROCS(0)
	if len(todo) < 256 || workers < 2 {
		var ctx unitCtx
		for _, i := range todo {
			results[i] = analyzeWith(&ctx, units[i], cfg)
		}
		return
	}
	var wg sync.WaitGroup
	chunk := (len(todo) + workers - 1) / workers
	for w := 0; w < workers; w++ {
		lo, hi := w*chunk, min((w+1)*chunk, len(todo))
		if lo >= hi {
			break
		}
		wg.Add(1)
		go func(part []int) {
			defer wg.Done()
			var ctx unitCtx
			for _, i := range part {
				results[i] = analyzeWith(&ctx, units[i], cfg)
			}
		}(todo[lo:hi])
	}
	wg.Wait()
}

// analyzeUnit runs every check that needs only the unit itself.
func analyzeUnit(u *parser.Unit, cfg *Config) *unitResult {
	return analyzeWith(&unitCtx{}, u, cfg)
}

// analyzeWith is analyzeUnit reusing a context's scratch buffers.
func analyzeWith(c *unitCtx, u *parser.Unit, cfg *Config) *unitResult {
	c.cfg, c.unit, c.out, c.syms = cfg, u, nil, nil
	c.scriptNode = nil // nodes of a streamed unit reuse memory
	if len(u.Diags) > 0 {
		c.out = append(c.out, u.Diags...)
	}
	if c.anc == nil {
		c.anc = make([]*parser.Node, 0, 16)
	}
	c.walk(u.Nodes, schema.Top, c.anc[:0])
	r := &unitResult{diags: c.out, syms: c.syms, facts: c.facts}
	if len(u.Comments) > 0 {
		r.dirs = unitDirectives(u)
	}
	if len(u.Includes) > 0 {
		r.dirs = includeDirectives(u.Nodes, map[*parser.Source]bool{}, r.dirs)
	}
	c.unit, c.out, c.syms, c.facts = nil, nil, nil, nil
	return r
}

// unitCtx collects what one unit's walk finds.
type unitCtx struct {
	cfg  *Config
	unit *parser.Unit

	matcher argspec.Matcher // reused buffers
	words   []string
	spans   []parser.Span
	seen    []seenEntry // see blockEnd
	stamp   uint64
	anc     []*parser.Node
	out     []parser.Diagnostic
	syms    []symEvent
	facts   []any

	// Scratch space of checkVirtualServer.
	servers     []server
	firstServer map[serverKey]server

	// The last script line split (see scriptArgs).
	scriptNode              *parser.Node
	scriptWords, scriptArgv []string
	scriptErr               string
}

func (c *unitCtx) add(n *parser.Node, sev parser.Severity, rule string, span parser.Span, msg string, fixes ...parser.Fix) {
	c.out = append(c.out, parser.Diagnostic{Src: n.Src, Span: span, Severity: sev, Rule: rule, Message: msg, Fixes: fixes})
}

// addRelated adds a diagnostic that points at another node too.
func (c *unitCtx) addRelated(n *parser.Node, sev parser.Severity, rule string, span parser.Span, msg string, other *parser.Node, why string, fixes ...parser.Fix) {
	c.out = append(c.out, parser.Diagnostic{Src: n.Src, Span: span, Severity: sev, Rule: rule, Message: msg, Fixes: fixes,
		Related: []parser.Related{{Src: other.Src, Span: other.LineSpan(), Message: why}}})
}

// walk checks nodes inside a block whose schema is parent; anc holds the
// enclosing nodes, outermost first.
func (c *unitCtx) walk(nodes []*parser.Node, parent *schema.Keyword, anc []*parser.Node) {
	for _, n := range nodes {
		if n.Kind == parser.Include {
			c.walk(n.Children, parent, anc)
			continue
		}
		if n.Schema == nil {
			c.unknownKeyword(n, parent, anc)
			continue
		}
		c.keyword(n, anc)
		if n.Kind == parser.Block {
			c.walk(n.Children, n.Schema, append(anc, n)) // checks do not keep anc
			c.blockEnd(n, anc)
		}
	}
}
