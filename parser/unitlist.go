package parser

import (
	"sort"
	"sync/atomic"
)

// unitList is a document's units in order, held in chunks that versions of
// the document share: an edit replaces the chunks it touches and copies
// only the list of chunks, so a keystroke in a file of thousands of
// top-level statements does not copy (and later collect) a list as long as
// the file. A flat copy is built on demand for callers that want a slice.
type unitList struct {
	chunks []*unitChunk
	start  []int   // index of each chunk's first unit
	first  []int32 // absolute line of each chunk's first line
	n      int     // units
	lines  int     // lines of the document
	size   int     // bytes of the document
	flat   atomic.Pointer[flatUnits]
}

// unitChunk is a run of consecutive units; immutable once built.
type unitChunk struct {
	units    []*Unit
	rel      []int32 // first line of each unit, counted from the chunk's
	lines    int32
	size     int
	includes []string // files its units read, each once, in order
}

// flatUnits is a unitList as slices.
type flatUnits struct {
	units []*Unit
	first []int32
}

// chunkUnits is the usual number of units in a chunk.
const chunkUnits = 64

func newChunk(units []*Unit) *unitChunk {
	c := &unitChunk{units: units, rel: make([]int32, len(units))}
	var seen map[string]bool
	for i, u := range units {
		c.rel[i] = c.lines
		c.lines += int32(u.LineCount())
		c.size += len(u.text)
		for _, f := range u.Includes {
			if seen == nil {
				seen = map[string]bool{}
			}
			if !seen[f] {
				seen[f] = true
				c.includes = append(c.includes, f)
			}
		}
	}
	return c
}

// appendChunks cuts units into chunks of about chunkUnits.
func appendChunks(dst []*unitChunk, units []*Unit) []*unitChunk {
	for len(units) > 0 {
		n := len(units)
		if n > chunkUnits+chunkUnits/2 {
			n = chunkUnits
		}
		dst = append(dst, newChunk(units[:n:n]))
		units = units[n:]
	}
	return dst
}

func newUnitList(units []*Unit) *unitList {
	return indexChunks(appendChunks(nil, units))
}

// indexChunks builds the list's index over chunks.
func indexChunks(chunks []*unitChunk) *unitList {
	l := &unitList{chunks: chunks, start: make([]int, len(chunks)), first: make([]int32, len(chunks))}
	for k, c := range chunks {
		l.start[k], l.first[k] = l.n, int32(l.lines)
		l.n += len(c.units)
		l.lines += int(c.lines)
		l.size += c.size
	}
	return l
}

// chunkOf returns the chunk holding unit i.
func (l *unitList) chunkOf(i int) int {
	return sort.Search(len(l.start), func(k int) bool { return l.start[k] > i }) - 1
}

// at returns unit i and its first line.
func (l *unitList) at(i int) (*Unit, int32) {
	if f := l.flat.Load(); f != nil {
		return f.units[i], f.first[i]
	}
	k := l.chunkOf(i)
	c := l.chunks[k]
	j := i - l.start[k]
	return c.units[j], l.first[k] + c.rel[j]
}

// unitOfLine returns the index of the unit holding absolute line ln (0
// before the first line, the last unit after the last).
func (l *unitList) unitOfLine(ln int) int {
	k := sort.Search(len(l.first), func(k int) bool { return int(l.first[k]) > ln }) - 1
	if k < 0 {
		return 0
	}
	c := l.chunks[k]
	rel := int32(ln) - l.first[k]
	j := sort.Search(len(c.rel), func(j int) bool { return c.rel[j] > rel }) - 1
	if j < 0 {
		j = 0
	}
	return l.start[k] + j
}

// replace returns a list with units [from, to) replaced by fresh. The
// chunks before and after the replaced ones are shared.
func (l *unitList) replace(from, to int, fresh []*Unit) *unitList {
	ca, cb := l.chunkOf(from), l.chunkOf(to-1)
	// Small runs join a neighbour, so that chunks do not dwindle.
	mid := len(fresh) + (from - l.start[ca]) + (l.start[cb] + len(l.chunks[cb].units) - to)
	if mid < chunkUnits/2 {
		if cb+1 < len(l.chunks) {
			cb++
		} else if ca > 0 {
			ca--
		}
	}
	units := make([]*Unit, 0, mid+2*chunkUnits)
	for k := ca; k <= cb; k++ { // the units of the chunks before from
		c := l.chunks[k]
		if hi := min(from-l.start[k], len(c.units)); hi > 0 {
			units = append(units, c.units[:hi]...)
		}
	}
	units = append(units, fresh...)
	for k := ca; k <= cb; k++ { // and from to on
		c := l.chunks[k]
		lo := max(to-l.start[k], 0)
		if lo < len(c.units) {
			units = append(units, c.units[lo:]...)
		}
	}
	chunks := make([]*unitChunk, 0, len(l.chunks)+len(units)/chunkUnits+1)
	chunks = append(chunks, l.chunks[:ca]...)
	chunks = appendChunks(chunks, units)
	chunks = append(chunks, l.chunks[cb+1:]...)
	return indexChunks(chunks)
}

// flatten returns the units as slices, built once per list.
func (l *unitList) flatten() *flatUnits {
	if f := l.flat.Load(); f != nil {
		return f
	}
	f := &flatUnits{}
	f.units, f.first = l.appendUnits(make([]*Unit, 0, l.n), make([]int32, 0, l.n))
	l.flat.Store(f)
	return f
}

// appendUnits appends the units and their first lines to the given slices,
// without building the flat copy.
func (l *unitList) appendUnits(units []*Unit, first []int32) ([]*Unit, []int32) {
	for k, c := range l.chunks {
		units = append(units, c.units...)
		for _, r := range c.rel {
			first = append(first, l.first[k]+r)
		}
	}
	return units, first
}
