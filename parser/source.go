// Package parser reads keepalived configuration the way keepalived does:
// comments, quoting, brace splitting, value blocks, includes, $NAME
// definitions, @ID conditional lines and ~SEQ/~LST generators. It keeps an
// error-tolerant syntax tree with exact source positions and reparses
// incrementally: top-level statements are independent units (see
// docs/architecture.md).
package parser

import (
	"bytes"
	"unicode/utf8"
)

// Pos is a position in a file: 0-based line and 0-based byte column.
//
// Nodes of the document being parsed store lines relative to the start of
// their unit (see Doc); nodes read from included files store absolute lines.
type Pos struct {
	Line int32
	Col  int32
}

// Less orders positions.
func (p Pos) Less(q Pos) bool { return p.Line < q.Line || p.Line == q.Line && p.Col < q.Col }

// Span is a half-open range [Start, End).
type Span struct {
	Start, End Pos
}

// Shift moves a span down by lines.
func (s Span) Shift(lines int32) Span {
	s.Start.Line += lines
	s.End.Line += lines
	return s
}

// Cover returns the smallest span containing both.
func (s Span) Cover(t Span) Span {
	if t.Start.Less(s.Start) {
		s.Start = t.Start
	}
	if s.End.Less(t.End) {
		s.End = t.End
	}
	return s
}

// Contains reports whether p lies in [Start, End].
func (s Span) Contains(p Pos) bool { return !p.Less(s.Start) && !s.End.Less(p) }

// Source is an immutable file text with its line index.
type Source struct {
	Path  string // absolute file path, or the document's name for unsaved buffers
	Text  []byte
	lines []int32 // byte offset of each line start
}

// NewSource indexes text.
func NewSource(path string, text []byte) *Source {
	s := &Source{Path: path, Text: text}
	s.lines = lineStarts(text)
	return s
}

func lineStarts(text []byte) []int32 {
	starts := make([]int32, 1, bytes.Count(text, []byte{'\n'})+1)
	for i, c := range text {
		if c == '\n' {
			starts = append(starts, int32(i+1))
		}
	}
	return starts
}

// LineCount returns the number of lines (a final line without newline counts).
func (s *Source) LineCount() int { return len(s.lines) }

// Line returns the bytes of line n without its line ending.
func (s *Source) Line(n int) []byte {
	if n < 0 || n >= len(s.lines) {
		return nil
	}
	return lineAt(s.Text, s.lines, n)
}

func lineAt(text []byte, starts []int32, n int) []byte {
	start := int(starts[n])
	end := len(text)
	if n+1 < len(starts) {
		end = int(starts[n+1]) - 1
	}
	line := text[start:end]
	if n := len(line); n > 0 && line[n-1] == '\n' {
		line = line[:n-1] // a unit's last line keeps its newline in text
	}
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line
}

// Offset converts a position to a byte offset, clamped to the text.
func (s *Source) Offset(p Pos) int {
	return offsetIn(s.Text, s.lines, p)
}

func offsetIn(text []byte, starts []int32, p Pos) int {
	if p.Line < 0 {
		return 0
	}
	if int(p.Line) >= len(starts) {
		return len(text)
	}
	line := lineAt(text, starts, int(p.Line))
	col := int(p.Col)
	if col > len(line) {
		col = len(line)
	}
	if col < 0 {
		col = 0
	}
	return int(starts[p.Line]) + col
}

// UTF16Col converts a byte column of a line to UTF-16 code units. Invalid
// UTF-8 bytes count as one unit each, like the replacement character.
func UTF16Col(line []byte, col int) int {
	if col > len(line) {
		col = len(line)
	}
	n := 0
	for i := 0; i < col; {
		r, size := utf8.DecodeRune(line[i:])
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
		i += size
	}
	return n
}

// ByteCol converts a UTF-16 column to a byte column of the line; columns past
// the end clamp to the end, and a column inside a surrogate pair rounds down.
func ByteCol(line []byte, col16 int) int {
	n := 0
	for i := 0; i < len(line); {
		if n >= col16 {
			return i
		}
		r, size := utf8.DecodeRune(line[i:])
		w := 1
		if r >= 0x10000 {
			w = 2
		}
		if n+w > col16 {
			return i
		}
		n += w
		i += size
	}
	return len(line)
}

// RuneCol converts a byte column to a count of Unicode code points.
func RuneCol(line []byte, col int) int {
	col = max(0, min(col, len(line)))
	return utf8.RuneCount(line[:col])
}
