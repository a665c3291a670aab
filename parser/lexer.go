package parser

import (
	"bytes"
	"unsafe"
)

// mtext is text derived from one source line (after comment removal,
// escapes and $NAME substitution) with a map back to the line's columns.
// Its bytes are never modified once built, so tokens may alias them.
type mtext struct {
	b    []byte
	segs []seg // sorted by out; the first starts at 0. nil: b[i] is column base+i
	base int32 // the column of b[0] when segs is nil
}

// seg maps b[out:next seg's out]. A literal segment maps byte for byte from
// src; a substituted one maps every byte to the whole reference [src, srcEnd).
type seg struct {
	out, src, srcEnd int32
	lit              bool
}

func literalText(b []byte, col int32) mtext {
	return mtext{b: b, base: col}
}

func (m *mtext) segAt(i int) seg {
	if m.segs == nil {
		return seg{src: m.base, srcEnd: m.base + int32(len(m.b)), lit: true}
	}
	lo, hi := 0, len(m.segs)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if int(m.segs[mid].out) <= i {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return m.segs[lo]
}

// srcSpan maps b[i:j] back to source columns.
func (m *mtext) srcSpan(i, j int) (int32, int32) {
	if m.segs == nil {
		if j < i {
			j = i
		}
		return m.base + int32(i), m.base + int32(j)
	}
	s := m.segAt(i)
	start := s.src
	if s.lit {
		start = s.src + int32(i) - s.out
	}
	if j <= i {
		return start, start
	}
	e := m.segAt(j - 1)
	end := e.srcEnd
	if e.lit {
		end = e.src + int32(j) - e.out
	}
	if end < start {
		end = start
	}
	return start, end
}

// slice returns the mapped text b[i:j].
func (m *mtext) slice(i, j int) mtext {
	if m.segs == nil {
		return mtext{b: m.b[i:j], base: m.base + int32(i)}
	}
	out := mtext{b: m.b[i:j]}
	for k, s := range m.segs {
		end := len(m.b)
		if k+1 < len(m.segs) {
			end = int(m.segs[k+1].out)
		}
		if end <= i || int(s.out) >= j {
			continue
		}
		ns := s
		if s.lit && end > j {
			ns.srcEnd = s.src + int32(j) - s.out // cut at j
		}
		if int(s.out) < i {
			if s.lit {
				ns.src += int32(i) - s.out
			}
			ns.out = int32(i)
		}
		ns.out -= int32(i)
		out.segs = append(out.segs, ns)
	}
	if len(out.segs) == 0 {
		c, _ := m.srcSpan(i, i)
		out.segs = []seg{{src: c, srcEnd: c, lit: true}}
	}
	return out
}

// builder for mapped text.
type mbuilder struct{ m mtext }

func (mb *mbuilder) addLit(b []byte, col int32) {
	if len(b) == 0 {
		return
	}
	out := int32(len(mb.m.b))
	mb.m.b = append(mb.m.b, b...)
	if n := len(mb.m.segs); n > 0 {
		last := &mb.m.segs[n-1]
		if last.lit && last.srcEnd == col {
			last.srcEnd = col + int32(len(b))
			return
		}
	}
	mb.m.segs = append(mb.m.segs, seg{out: out, src: col, srcEnd: col + int32(len(b)), lit: true})
}

func (mb *mbuilder) addMapped(b []byte, src, srcEnd int32) {
	if len(b) == 0 {
		return
	}
	mb.addSeg(seg{out: int32(len(mb.m.b)), src: src, srcEnd: srcEnd})
	mb.m.b = append(mb.m.b, b...)
}

// addSeg appends a segment, merging it into the last one when that maps on
// without a gap: literal text that continues, or substituted text from the
// same reference. (A definition that refers to itself otherwise adds a
// segment per round and makes each round copy them all.)
func (mb *mbuilder) addSeg(s seg) {
	if n := len(mb.m.segs); n > 0 {
		last := &mb.m.segs[n-1]
		switch {
		case s.lit && last.lit && last.srcEnd == s.src:
			last.srcEnd = s.srcEnd
			return
		case !s.lit && !last.lit && last.src == s.src && last.srcEnd == s.srcEnd:
			return
		}
	}
	mb.m.segs = append(mb.m.segs, s)
}

// addFrom appends part of another mapped text, keeping its mapping.
func (mb *mbuilder) addFrom(m *mtext, i, j int) {
	if i >= j {
		return
	}
	sub := m.slice(i, j)
	base := int32(len(mb.m.b))
	mb.m.b = append(mb.m.b, sub.b...)
	if sub.segs == nil {
		mb.addSeg(seg{out: base, src: sub.base, srcEnd: sub.base + int32(len(sub.b)), lit: true})
		return
	}
	for _, s := range sub.segs {
		s.out += base
		mb.addSeg(s)
	}
}

func (mb *mbuilder) text() mtext {
	if len(mb.m.segs) == 0 {
		mb.m.segs = []seg{{lit: true}}
	}
	return mb.m
}

// decommented is one line after keepalived's decomment(): leading blanks,
// comments and trailing blanks removed, \# and \! unescaped.
type decommented struct {
	text         mtext
	comment      int32 // column where a comment starts, -1 if none
	unterminated bool  // odd number of double quotes
	cont         bool  // ends with a backslash
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' }

// decomment applies keepalived's comment rules to t (columns from t's map).
// With legacy (keepalived before 2.4.0) the scan goes on after the comment
// start, so a backslash at the very end of a comment still marks the line as
// continued, and quotes inside the comment are not counted.
func decomment(t mtext, legacy bool) decommented {
	b := t.b
	i := 0
	for i < len(b) && isBlank(b[i]) {
		i++
	}
	if t.segs == nil && bytes.IndexByte(b[i:], '"') < 0 && bytes.IndexByte(b[i:], '\\') < 0 {
		// Fast path: no quotes or escapes, so the result is a plain slice.
		res := decommented{comment: -1}
		end := len(b)
		if k := bytes.IndexAny(b[i:], "#!"); k >= 0 {
			end = i + k
			res.comment = t.base + int32(end)
		}
		for end > i && isBlank(b[end-1]) {
			end--
		}
		res.text = t.slice(i, end)
		return res
	}
	var mb mbuilder
	quote := false
	res := decommented{comment: -1}
	start := i
	cut := -1 // where a comment starts, in b
	for i < len(b) {
		c := b[i]
		switch {
		case c == '"':
			if cut < 0 {
				quote = !quote
			}
			i++
			continue
		case c == '\\':
			if i+1 < len(b) {
				if cut < 0 && !quote && (b[i+1] == '#' || b[i+1] == '!') {
					mb.addFrom(&t, start, i)
					start = i + 1
				}
				i += 2
				continue
			}
			if cut < 0 {
				mb.addFrom(&t, start, i)
				start = len(b)
			}
			res.cont = true
			i = len(b)
			continue
		case cut < 0 && !quote && (c == '#' || c == '!'):
			mb.addFrom(&t, start, i)
			res.comment, _ = t.srcSpan(i, i)
			start = len(b)
			cut = i
			if !legacy {
				i = len(b)
				continue
			}
		}
		i++
	}
	if cut < 0 {
		mb.addFrom(&t, start, len(b))
	}
	res.unterminated = quote
	out := mb.text()
	n := len(out.b)
	for n > 0 && isBlank(out.b[n-1]) {
		n--
	}
	if res.cont {
		// keepalived keeps the continuation backslash after the trimmed text.
		trimmed := out.slice(0, n)
		var mb2 mbuilder
		mb2.addFrom(&trimmed, 0, len(trimmed.b))
		_, end := t.srcSpan(len(b)-1, len(b))
		mb2.addLit([]byte{'\\'}, end-1)
		res.text = mb2.text()
		return res
	}
	res.text = out.slice(0, n)
	return res
}

// rawToken is a word or a brace found in a mapped line.
type rawToken struct {
	text   string
	brace  byte // '{' or '}' for a brace token, 0 for a word
	quoted bool
	open   bool // a quoted word whose closing quote is missing
	i, j   int  // byte range in the mapped text (including quotes)
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\f' || c == '\n' || c == '\r' || c == '\v'
}

// alias returns b as a string without copying. The lexer only aliases
// bytes that are never modified afterwards (input buffers and texts built by
// substitution), which is what makes this safe.
func alias(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// tokenize splits a line into words and braces like keepalived's
// alloc_strvec_r() after read_line() has split braces out: a word starting
// with a double quote runs to the next double quote; an unquoted word ends at
// blank space, a double quote or an unquoted brace. Tokens are appended to
// out (a scratch slice) and alias b.
func tokenize(b []byte, out []rawToken) []rawToken {
	toks := out[:0]
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case isSpace(c):
			i++
		case c == '{' || c == '}':
			toks = append(toks, rawToken{text: alias(b[i : i+1]), brace: c, i: i, j: i + 1})
			i++
		case c == '"':
			j := i + 1
			for j < len(b) && b[j] != '"' {
				j++
			}
			if j >= len(b) {
				toks = append(toks, rawToken{text: alias(b[i+1:]), quoted: true, open: true, i: i, j: len(b)})
				return toks
			}
			toks = append(toks, rawToken{text: alias(b[i+1 : j]), quoted: true, i: i, j: j + 1})
			i = j + 1
		default:
			j := i
			for j < len(b) && !isSpace(b[j]) && b[j] != '"' && b[j] != '{' && b[j] != '}' {
				j++
			}
			toks = append(toks, rawToken{text: alias(b[i:j]), i: i, j: j})
			i = j
		}
	}
	return toks
}
