package parser

import (
	"math/rand"
	"strings"
	"testing"
)

// TestUnitListReplace checks the chunked unit list against a plain slice
// through thousands of random replacements: unit lookup by index and by
// line, first lines, the document's size, and that chunks neither vanish
// nor grow without bound.
func TestUnitListReplace(t *testing.T) {
	rnd := rand.New(rand.NewSource(5))
	mk := func() *Unit {
		u := &Unit{}
		for range 1 + rnd.Intn(4) {
			u.starts = append(u.starts, int32(len(u.text)))
			u.text = append(u.text, strings.Repeat("x", rnd.Intn(5))+"\n"...)
		}
		return u
	}
	var model []*Unit
	for range 700 {
		model = append(model, mk())
	}
	l := newUnitList(model)
	for step := range 3000 {
		from := rnd.Intn(len(model))
		to := from + 1 + rnd.Intn(min(len(model)-from, 1+rnd.Intn(200)))
		var fresh []*Unit // about as many as replaced, so the list keeps its size
		for range max(0, to-from+rnd.Intn(5)-2) {
			fresh = append(fresh, mk())
		}
		if len(model)-(to-from)+len(fresh) == 0 {
			fresh = append(fresh, mk()) // documents have a unit
		}
		old := l
		l = l.replace(from, to, fresh)
		model = append(append(append([]*Unit(nil), model[:from]...), fresh...), model[to:]...)
		if step%50 == 0 {
			old.flatten() // flat copies of old versions must not affect new ones
		}
		if l.n != len(model) {
			t.Fatalf("step %d: %d units, want %d", step, l.n, len(model))
		}
		line, size := int32(0), 0
		for i, u := range model {
			got, first := l.at(i)
			if got != u || first != line {
				t.Fatalf("step %d: unit %d at line %d, want line %d (same unit: %v)", step, i, first, line, got == u)
			}
			for k := range int32(u.LineCount()) {
				if j := l.unitOfLine(int(line + k)); j != i {
					t.Fatalf("step %d: line %d in unit %d, want %d", step, line+k, j, i)
				}
			}
			line += int32(u.LineCount())
			size += len(u.text)
		}
		if l.lines != int(line) || l.size != size {
			t.Fatalf("step %d: %d lines %d bytes, want %d and %d", step, l.lines, l.size, line, size)
		}
		for k, c := range l.chunks {
			if len(c.units) == 0 || len(c.units) > 3*chunkUnits {
				t.Fatalf("step %d: chunk %d has %d units", step, k, len(c.units))
			}
		}
		f := l.flatten()
		for i := range model {
			if f.units[i] != model[i] {
				t.Fatalf("step %d: flat unit %d differs", step, i)
			}
		}
	}
	t.Logf("%d units in %d chunks after 3000 replacements", l.n, len(l.chunks))
}
