package parser

import (
	"bytes"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/keepalived-ls/keepalived-ls/parser/schema"
)

// Options control how a configuration is read.
type Options struct {
	// ConfigID is keepalived's config id (-i): "@ID" lines apply when it
	// matches and "@^ID" lines when it does not. Empty: no id, so only
	// "@^ID" lines apply.
	ConfigID string
	// FS reads included files; nil means the local disk.
	FS FS
	// Dir resolves relative includes and ${_PWD}; empty means the directory
	// of the document's path (when it has one).
	Dir string
	// Version is the keepalived release whose reader to reproduce where
	// releases differ (comment scanning before 2.4.0); zero means newest.
	Version schema.Version
	// IncludeRoots are directories tried, in order, for the relative
	// includes of a document that has no directory (an unsaved buffer):
	// the first in which the pattern matches something is used.
	IncludeRoots []string
}

func (o *Options) fs() FS {
	if o.FS == nil {
		return OSFS{}
	}
	return o.FS
}

// Unit is one top-level statement (with the comments and blank lines before
// it): the unit of incremental reparsing. Its nodes and diagnostics store
// lines relative to the unit's first line; units are immutable and shared
// between document versions.
type Unit struct {
	text   []byte  // the unit's lines, each with its newline
	starts []int32 // offsets of line starts in text
	owned  bool    // text is a copy rather than a slice of an input buffer

	Nodes        []*Node
	Diags        []Diagnostic
	Comments     []Span
	Inactive     []Span // lines dropped by @ID conditionals
	Definitions  []Definition
	Refs         []ParamRef
	Conditionals []Conditional
	Generators   []Generator
	Includes     []string // files read while parsing this unit

	defsOut *defs // $NAME definitions in force after the unit

	memo atomic.Pointer[memo] // one cached derived value (see Memo)
	view atomic.Pointer[memo] // and one for an editor view (see View)
}

type memo struct {
	key string
	val any
}

// Memo returns a value derived from the unit (an analysis result), cached
// on the unit under key. Units are immutable and shared between document
// versions, so the value survives edits elsewhere. One key is kept.
func (u *Unit) Memo(key string, compute func() any) any { return cached(&u.memo, key, compute) }

// View is Memo's second slot, for what an editor feature derives from the
// unit (its encoded semantic tokens), so that it does not evict the
// analysis result. One key is kept.
func (u *Unit) View(key string, compute func() any) any { return cached(&u.view, key, compute) }

// cached returns the value of slot under key, computing and keeping it
// when the slot holds another key or none.
func cached(slot *atomic.Pointer[memo], key string, compute func() any) any {
	if m := slot.Load(); m != nil && m.key == key {
		return m.val
	}
	v := compute()
	slot.Store(&memo{key: key, val: v})
	return v
}

// Peek returns the value memoised under key, if any.
func (u *Unit) Peek(key string) (any, bool) {
	if m := u.memo.Load(); m != nil && m.key == key {
		return m.val, true
	}
	return nil, false
}

// appendLine adds a line to the unit's text. While lines follow each other
// in one input buffer the text is a slice of it; otherwise it is copied.
func (u *Unit) appendLine(line []byte, nl bool) {
	n := len(line)
	if nl {
		n++
	}
	switch {
	case len(u.text) == 0 && !u.owned && cap(line) >= n:
		u.text = line[:n]
		return
	case !u.owned && cap(u.text)-len(u.text) >= n && n > 0 &&
		unsafe.Add(unsafe.Pointer(unsafe.SliceData(u.text)), len(u.text)) == unsafe.Pointer(unsafe.SliceData(line)):
		u.text = u.text[:len(u.text)+n]
		return
	}
	if !u.owned {
		u.text = append([]byte(nil), u.text...)
		u.owned = true
	}
	u.text = append(u.text, line...)
	if nl {
		u.text = append(u.text, '\n')
	}
}

// LineCount is the number of lines of the unit.
func (u *Unit) LineCount() int { return len(u.starts) }

// Line returns line i of the unit (relative) without its line ending.
func (u *Unit) Line(i int) []byte { return lineAt(u.text, u.starts, i) }

// Text returns the unit's text.
func (u *Unit) Text() []byte { return u.text }

// Doc is a parsed document: an immutable sequence of units.
type Doc struct {
	Path string
	opts Options
	list *unitList
}

// Parse reads a whole document. Tokens alias text, so the caller must not
// modify it afterwards.
func Parse(path string, text []byte, opts Options) *Doc {
	d := &Doc{Path: path, opts: opts}
	if units := d.parseParallel(text); units != nil {
		d.setUnits(units)
		return d
	}
	d.setUnits(d.parseSequential(text))
	return d
}

// parseSequential parses text in two passes: the first, streamed, only
// counts the slab items each unit needs; the second gives every unit slabs
// of exactly that size. Units then own their memory: when an edit replaces
// a unit, all of its memory goes, instead of staying pinned by neighbours
// sharing its chunks (which made the heap of a document edited for a while
// up to twice that of the same text freshly opened).
func (d *Doc) parseSequential(text []byte) []*Unit {
	c := d.newUnitParser(nil)
	c.stream, c.emit, c.count = true, func(*Unit) {}, true
	forEachLine(text, true, func(line []byte, nl bool) { c.line(line, nl) })
	c.finish()
	p := d.newUnitParser(nil)
	p.exact(c.counts)
	forEachLine(text, true, func(line []byte, nl bool) { p.line(line, nl) })
	return p.finish()
}

// parallelMin is the size from which Parse splits a document between CPUs.
const parallelMin = 256 << 10

// parseParallel parses large documents in chunks on several CPUs. It
// returns nil when the document is small or the chunks do not line up.
func (d *Doc) parseParallel(text []byte) []*Unit {
	// Two passes, as in parseSequential: count, then parse into exact slabs.
	var counters []*unitParser
	ok := d.chunked(text, true, func(n int) { counters = make([]*unitParser, n) }, func(k int, p *unitParser) {
		p.count = true
		counters[k] = p
	}, func(int, *Unit) {})
	if !ok {
		return nil
	}
	var parts [][]*Unit
	ok = d.chunked(text, false, func(n int) { parts = make([][]*Unit, n) }, func(k int, p *unitParser) {
		if k < len(counters) {
			p.exact(counters[k].counts)
		}
	}, func(k int, u *Unit) { parts[k] = append(parts[k], u) })
	if !ok {
		return nil
	}
	var units []*Unit
	for _, p := range parts {
		units = append(units, p...)
	}
	return units
}

// chunked parses text in chunks on several CPUs, handing each finished unit
// to visit(chunk, unit) (concurrently for different chunks, in order within
// one). Chunks start after a "}" line at column 0. When the text defines
// $NAMEs (or sets include_check), the head of the text up to the last such
// line is parsed first, alone, and the other chunks start with the
// definitions in force after it. The result is valid only when every chunk
// but the last ends exactly where a sequential parse would start a new
// unit, with the definitions its successor started with in force; chunked
// reports whether that holds (false also when the text is too small to
// split).
func (d *Doc) chunked(text []byte, stream bool, start func(chunks int), setup func(chunk int, p *unitParser), visit func(chunk int, u *Unit)) bool {
	workers := runtime.GOMAXPROCS(0)
	if len(text) < parallelMin || workers < 2 {
		return false
	}
	cuts := []int{0}
	head := definitionsEnd(text)
	if head > 0 {
		i := bytes.Index(text[head-1:], []byte("\n}\n"))
		if i < 0 {
			return false
		}
		head += i + 2
		if len(text)-head < parallelMin {
			return false
		}
		cuts = append(cuts, head)
	}
	for w := 1; w < workers; w++ {
		at := head + (len(text)-head)*w/workers
		i := bytes.Index(text[at:], []byte("\n}\n"))
		if i < 0 {
			break
		}
		cut := at + i + 3
		if cut > cuts[len(cuts)-1] && cut < len(text) {
			cuts = append(cuts, cut)
		}
	}
	if len(cuts) < 2 {
		return false
	}
	cuts = append(cuts, len(text))
	n := len(cuts) - 1
	start(n)
	parser := func(k int, defs *defs) *unitParser {
		p := d.newUnitParser(defs)
		p.emit = func(u *Unit) { visit(k, u) }
		p.stream = stream
		if setup != nil {
			setup(k, p)
		}
		return p
	}
	var defs *defs // in force where the parallel chunks start
	first := 0
	if head > 0 {
		p := parser(0, nil)
		forEachLine(text[:head], false, func(line []byte, nl bool) { p.line(line, nl) })
		if !p.ready() || p.r.openDef != "" {
			return false
		}
		defs = p.r.defs
		p.endUnit()
		first = 1
	}
	clean := make([]bool, n)
	var wg sync.WaitGroup
	for k := first; k < n; k++ {
		wg.Add(1)
		go func(k int) {
			defer wg.Done()
			p := parser(k, defs)
			last := k == n-1
			forEachLine(text[cuts[k]:cuts[k+1]], last, func(line []byte, nl bool) { p.line(line, nl) })
			if last {
				p.finish()
				clean[k] = true
				return
			}
			clean[k] = p.ready() && p.r.defs.equal(defs) && p.r.openDef == ""
			p.endUnit()
		}(k)
	}
	wg.Wait()
	for _, c := range clean[first:] {
		if !c {
			return false
		}
	}
	return true
}

// definitionsEnd returns the offset just past the last line that looks
// like a $NAME definition ("$NAME=", after blanks and an @ID prefix) or
// sets include_check, or 0 when there is none. It only guides where
// chunked starts its parallel chunks: chunked checks that the guess held.
// It jumps from one '$' (or include_check) to the next: most lines have
// none.
func definitionsEnd(text []byte) int {
	end := 0
	lineEnd := func(i int) int {
		if nl := bytes.IndexByte(text[i:], '\n'); nl >= 0 {
			return i + nl + 1
		}
		return len(text)
	}
	lineStart := func(i int) int { return bytes.LastIndexByte(text[:i], '\n') + 1 }
	for i := 0; i < len(text); {
		k := bytes.IndexByte(text[i:], '$')
		if k < 0 {
			break
		}
		at := i + k
		if lineHead(text[lineStart(at):at]) && isDefinition(text[at:lineEnd(at)]) {
			end = lineEnd(at)
		}
		i = at + 1
	}
	for i := 0; i < len(text); {
		k := bytes.Index(text[i:], []byte("include_check"))
		if k < 0 {
			break
		}
		at := i + k
		if lineHead(text[lineStart(at):at]) {
			end = max(end, lineEnd(at))
		}
		i = at + 1
	}
	return end
}

// lineHead reports whether what precedes a word on its line lets the word
// start the logical line: blanks, after an optional @ID conditional.
func lineHead(b []byte) bool {
	b = bytes.TrimLeft(b, " \t")
	if len(b) > 0 && b[0] == '@' {
		sp := bytes.IndexAny(b, " \t")
		if sp < 0 {
			return false
		}
		b = bytes.TrimLeft(b[sp:], " \t")
	}
	return len(b) == 0
}

// isDefinition reports "$NAME=" at the start of line.
func isDefinition(line []byte) bool {
	i := 1
	for i < len(line) && (line[i] == '_' || line[i] >= 'a' && line[i] <= 'z' || line[i] >= 'A' && line[i] <= 'Z' || i > 1 && line[i] >= '0' && line[i] <= '9') {
		i++
	}
	return i > 1 && i < len(line) && line[i] == '='
}

// ParseStream parses text like Parse but hands each unit to visit as soon
// as it is complete instead of keeping the document, so that checking a
// large file needs little memory. visit(chunk, unit) may run concurrently
// for different chunks; chunk numbers order them and units of one chunk
// arrive in order. When a parallel attempt has to be abandoned, restart is
// called and everything is parsed again sequentially as chunk 0.
func ParseStream(path string, text []byte, opts Options, restart func(), visit func(chunk int, u *Unit)) {
	d := &Doc{Path: path, opts: opts}
	tried := false
	if d.chunked(text, true, func(int) { tried = true }, nil, visit) {
		return
	}
	if tried {
		restart()
	}
	p := d.newUnitParser(nil)
	p.emit = func(u *Unit) { visit(0, u) }
	p.stream = true
	forEachLine(text, true, func(line []byte, nl bool) { p.line(line, nl) })
	p.finish()
}

func (d *Doc) dir() string {
	if d.opts.Dir != "" {
		return d.opts.Dir
	}
	if filepath.IsAbs(d.Path) {
		return filepath.Dir(d.Path)
	}
	return ""
}

func (d *Doc) setUnits(units []*Unit) { d.list = newUnitList(units) }

// forEachLine splits text into lines. With eof, a final line is produced
// even when it is empty (a document "a\n" has lines "a" and "").
func forEachLine(text []byte, eof bool, f func(line []byte, nl bool)) {
	for {
		i := bytes.IndexByte(text, '\n')
		if i < 0 {
			if len(text) > 0 || eof {
				f(text, false)
			}
			return
		}
		f(text[:i], true)
		text = text[i+1:]
	}
}

// unitParser cuts the document into units while parsing it.
type unitParser struct {
	d      *Doc
	r      *reader
	b      *builder
	cur    *Unit
	units  []*Unit
	relLn  int32
	lastOK bool // the previous line had content
	slabs  slabs
	emit   func(*Unit) // when set, finished units go here instead of units
	stream bool        // units are dropped once emitted, so memory is reused

	// With unitSlabs (incremental edits) every unit gets slabs of its own,
	// sized from sizes when given; used and alloc add up what the units
	// took (see Doc.Edit).
	unitSlabs   bool
	sizes       []slabCounts
	used, alloc []slabCounts

	// With count, each finished unit's slab items go to counts (for a
	// second parse with exact sizes).
	count  bool
	counts []slabCounts
}

// exact gives unit k of this parse slabs of exactly sizes[k] items.
func (p *unitParser) exact(sizes []slabCounts) {
	p.unitSlabs, p.sizes = true, sizes
	if len(sizes) > 0 {
		p.slabs.reserve(sizes[0])
	}
}

func (d *Doc) newUnitParser(start *defs) *unitParser {
	p := &unitParser{d: d}
	p.r = &reader{opts: &d.opts, defs: start, dir: d.dir(),
		legacy: !d.opts.Version.IsNewest() && d.opts.Version.Less(schema.Version{Major: 2, Minor: 4})}
	p.newUnit()
	return p
}

func (p *unitParser) newUnit() {
	if p.stream && p.b != nil {
		p.recycle()
	} else {
		if p.unitSlabs {
			p.slabs = slabs{}
			if k := len(p.used); k < len(p.sizes) {
				p.slabs.reserve(p.sizes[k])
			}
		}
		p.b = &builder{rd: p.r, slabs: &p.slabs}
		p.cur = &Unit{}
	}
	p.r.b = p.b
	if filepath.IsAbs(p.d.Path) {
		p.b.includeStack = append(p.b.includeStack[:0], filepath.Clean(p.d.Path))
	}
	p.relLn = 0
}

// recycle empties the builder and unit of a streamed parse for the next
// unit, keeping their buffers: the last unit has been handed out and
// dropped, like the nodes in the slabs.
func (p *unitParser) recycle() {
	b, u := p.b, p.cur
	*b = builder{rd: p.r, slabs: &p.slabs,
		stack: b.stack[:0], nodes: b.nodes[:0], kids: b.kids[:0], vals: b.vals[:0],
		pendingUndef: b.pendingUndef[:0], diags: b.diags[:0], comments: b.comments[:0],
		inactives: b.inactives[:0], definitions: b.definitions[:0], refs: b.refs[:0],
		conditionals: b.conditionals[:0], generators: b.generators[:0],
		includes: b.includes[:0], includeStack: b.includeStack[:0]}
	*u = Unit{starts: u.starts[:0]}
}

// ready reports whether the next line starts a new unit: the top level is
// clean and the last line had content.
func (p *unitParser) ready() bool {
	return p.lastOK && p.b.clean()
}

func (p *unitParser) line(line []byte, nl bool) {
	if p.relLn > 0 && p.ready() {
		p.endUnit()
		p.newUnit()
	}
	u := p.cur
	u.starts = append(u.starts, int32(len(u.text)))
	u.appendLine(line, nl)
	p.b.significant = false
	p.r.physLine(line, p.relLn)
	p.lastOK = p.b.significant
	p.relLn++
}

func (p *unitParser) endUnit() {
	b, u := p.b, p.cur
	u.Nodes = b.nodes
	u.Diags = b.diags
	u.Comments = b.comments
	u.Inactive = b.inactives
	u.Definitions = b.definitions
	u.Refs = b.refs
	u.Conditionals = b.conditionals
	u.Generators = b.generators
	u.Includes = b.includes
	u.defsOut = p.r.defs
	u.text = u.text[:len(u.text):len(u.text)]
	if p.unitSlabs {
		p.used, p.alloc = append(p.used, p.slabs.used), append(p.alloc, p.slabs.alloc)
	}
	if p.count {
		p.counts = append(p.counts, p.slabs.used)
		p.slabs.used = slabCounts{}
	}
	if p.emit != nil {
		p.emit(u)
		if p.stream {
			// The unit has been handed out and dropped: reuse its memory.
			p.slabs.rewind()
		}
		return
	}
	p.units = append(p.units, u)
}

func (p *unitParser) finish() []*Unit {
	p.r.openDef = ""
	p.b.closeAll(0)
	if len(p.cur.starts) > 0 || len(p.units) == 0 && p.emit == nil {
		if len(p.cur.starts) == 0 {
			p.cur.starts = []int32{0}
		}
		p.endUnit()
	}
	return p.units
}

// parseRegion parses the edited region of d and then d's units from next
// on, until the parse is back in step with d. It returns the new units,
// the index of the first unit of d kept, and the parser (for its slab
// counts). With sizes, unit k's slabs hold exactly sizes[k].
func (nd *Doc) parseRegion(d *Doc, region []byte, next int, startDefs *defs, sizes []slabCounts) ([]*Unit, int, *unitParser) {
	p := nd.newUnitParser(startDefs)
	p.exact(sizes)
	n := d.list.n
	forEachLine(region, next == n, func(line []byte, nl bool) { p.line(line, nl) })
	for next < n {
		prev, _ := d.list.at(next - 1)
		if p.ready() && p.r.defs.equal(prev.defsOut) {
			break
		}
		u, _ := d.list.at(next)
		forEachLine(u.text, next == n-1, func(line []byte, nl bool) { p.line(line, nl) })
		next++
	}
	if next == n {
		return p.finish(), next, p
	}
	p.endUnit()
	return p.units, next, p
}

// Units returns the document's units in order. The slice is built on the
// first call for a version of the document; AppendUnits does not build it.
func (d *Doc) Units() []*Unit { return d.list.flatten().units }

// AppendUnits appends the document's units and their first lines to units
// and first: for callers that keep their own buffers (a check per
// keystroke).
func (d *Doc) AppendUnits(units []*Unit, first []int32) ([]*Unit, []int32) {
	return d.list.appendUnits(units, first)
}

// UnitLine returns the absolute line of unit i's first line.
func (d *Doc) UnitLine(i int) int32 {
	_, first := d.list.at(i)
	return first
}

// LineCount is the number of lines in the document.
func (d *Doc) LineCount() int { return d.list.lines }

// Size is the document's length in bytes.
func (d *Doc) Size() int { return d.list.size }

// Options returns the options the document was parsed with.
func (d *Doc) Options() Options { return d.opts }

// unitOf returns the index of the unit holding absolute line ln.
func (d *Doc) unitOf(ln int) int { return d.list.unitOfLine(ln) }

// Line returns absolute line ln without its line ending.
func (d *Doc) Line(ln int) []byte {
	if ln < 0 || ln >= d.list.lines {
		return nil
	}
	u, first := d.list.at(d.unitOf(ln))
	return u.Line(ln - int(first))
}

// Text returns the whole document.
func (d *Doc) Text() []byte {
	out := make([]byte, 0, d.list.size)
	for _, c := range d.list.chunks {
		for _, u := range c.units {
			out = append(out, u.text...)
		}
	}
	return out
}

// Edit returns a new document with the text between start and end (absolute
// positions, byte columns) replaced. Only the units the edit touches are
// reparsed, plus following units until the parse is back in step.
func (d *Doc) Edit(start, end Pos, newText []byte) *Doc {
	start, end = d.clamp(start), d.clamp(end)
	if end.Less(start) {
		start, end = end, start
	}
	ua, ub := d.unitOf(int(start.Line)), d.unitOf(int(end.Line))
	// Region text: units ua..ub with the edit applied.
	a, aFirst := d.list.at(ua)
	bu, buFirst := d.list.at(ub)
	startOff := offsetIn(a.text, a.starts, Pos{start.Line - aFirst, start.Col})
	endOff := offsetIn(bu.text, bu.starts, Pos{end.Line - buFirst, end.Col})
	var region []byte
	region = append(region, a.text[:startOff]...)
	region = append(region, newText...)
	region = append(region, bu.text[endOff:]...) // units between ua and ub are replaced
	var startDefs *defs
	if ua > 0 {
		prev, _ := d.list.at(ua - 1)
		startDefs = prev.defsOut
	}
	nd := &Doc{Path: d.Path, opts: d.opts}
	// A document edited for hours is made of units from edits: each gets
	// slabs of its own, freed with it, and when their chunks are mostly
	// empty the region is parsed again into slabs of exactly the size
	// each unit needs.
	fresh, next, p := nd.parseRegion(d, region, ub+1, startDefs, nil)
	used, alloc := 0, 0
	for i := range p.used {
		used, alloc = used+p.used[i].bytes(), alloc+p.alloc[i].bytes()
	}
	if alloc-used > 1024 && alloc-used > used/4 {
		fresh, next, _ = nd.parseRegion(d, region, ub+1, startDefs, p.used)
	}
	// Units before the edit and after the resynchronised parse are kept,
	// and so are the chunks that hold them.
	nd.list = d.list.replace(ua, next, fresh)
	return nd
}

func (d *Doc) clamp(p Pos) Pos {
	if p.Line < 0 {
		return Pos{}
	}
	if int(p.Line) >= d.list.lines {
		last := int32(d.list.lines - 1)
		return Pos{last, int32(len(d.Line(int(last))))}
	}
	if n := int32(len(d.Line(int(p.Line)))); p.Col > n {
		p.Col = n
	}
	if p.Col < 0 {
		p.Col = 0
	}
	return p
}

// Reparse returns a new document in which every unit that read one of the
// given files is parsed again (an included file changed on disk or in an
// editor buffer). Empty edits keep every line where it is.
func (d *Doc) Reparse(changed map[string]bool) *Doc {
	var lines []int32
	f := d.list.flatten()
	for i, u := range f.units {
		for _, inc := range u.Includes {
			if changed[inc] {
				lines = append(lines, f.first[i])
				break
			}
		}
	}
	nd := d
	for _, ln := range lines {
		nd = nd.Edit(Pos{ln, 0}, Pos{ln, 0}, nil)
	}
	return nd
}

// IncludedFiles lists every file the document read through includes.
func (d *Doc) IncludedFiles() []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range d.list.chunks { // per chunk: a keystroke asks this of a large file
		for _, f := range c.includes {
			if !seen[f] {
				seen[f] = true
				out = append(out, f)
			}
		}
	}
	return out
}
