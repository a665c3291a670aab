package format

import (
	"bytes"

	"github.com/keepalived-ls/keepalived-ls/parser"
)

// This file reproduces the parts of keepalived's line reading the formatter
// needs to decide what it may change: where a comment starts, where a line
// is split at a brace, and how words are delimited. The parser has the
// complete reader (parser/read.go, parser/lexer.go); these small ports work
// on plain bytes of one physical line.

func isBlank(c byte) bool { return c == ' ' || c == '\t' }

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\f' || c == '\n' || c == '\r' || c == '\v'
}

// trimBlanks removes leading and trailing spaces and tabs.
func trimBlanks(b []byte) []byte { return trimRight(trimLeft(b)) }

func trimLeft(b []byte) []byte {
	i := 0
	for i < len(b) && isBlank(b[i]) {
		i++
	}
	return b[i:]
}

func trimRight(b []byte) []byte {
	n := len(b)
	for n > 0 && isBlank(b[n-1]) {
		n--
	}
	return b[:n]
}

// leading is the number of spaces and tabs a line starts with.
func leading(b []byte) int { return len(b) - len(trimLeft(b)) }

// isBlankLine reports whether a line holds nothing but spaces and tabs.
func isBlankLine(b []byte) bool { return len(trimLeft(b)) == 0 }

// weird reports bytes the formatter does not touch lines with: NUL, and
// white space other than spaces and tabs (keepalived treats some of it as
// word separators and some not).
func weird(b []byte) bool {
	for _, c := range b {
		switch c {
		case 0, '\f', '\v', '\r':
			return true
		}
	}
	return false
}

// cut splits a line without backslashes like keepalived's decomment: the
// comment starts at the first '#' or '!' outside double quotes. It returns
// the code (blanks trimmed), its column, the comment (trailing blanks
// trimmed; nil if none) and whether a double quote is left open.
func cut(raw []byte) (code []byte, col int, comment []byte, open bool) {
	end := len(raw)
	quote := false
	for i, c := range raw {
		if c == '"' {
			quote = !quote
		} else if !quote && (c == '#' || c == '!') {
			end = i
			comment = trimRight(raw[i:])
			break
		}
	}
	col = leading(raw[:end])
	return trimRight(raw[col:end]), col, comment, quote
}

// decomment is keepalived's decomment() for one physical line (the current
// reader, or with legacy the one before 2.4.0): comments and surrounding
// blanks removed, "\#" and "\!" unescaped, and a line ending in a backslash
// keeps that backslash after the trimmed text. Only the text matters here.
func decomment(b []byte, legacy bool) []byte {
	i := 0
	for i < len(b) && isBlank(b[i]) {
		i++
	}
	var out []byte
	quote, cont := false, false
	start, cutAt := i, -1
	for i < len(b) {
		c := b[i]
		switch {
		case c == '"':
			if cutAt < 0 {
				quote = !quote
			}
			i++
			continue
		case c == '\\':
			if i+1 < len(b) {
				if cutAt < 0 && !quote && (b[i+1] == '#' || b[i+1] == '!') {
					out = append(out, b[start:i]...)
					start = i + 1
				}
				i += 2
				continue
			}
			if cutAt < 0 {
				out = append(out, b[start:i]...)
				start = len(b)
			}
			cont = true
			i = len(b)
			continue
		case cutAt < 0 && !quote && (c == '#' || c == '!'):
			out = append(out, b[start:i]...)
			start, cutAt = len(b), i
			if !legacy {
				i = len(b)
				continue
			}
		}
		i++
	}
	if cutAt < 0 && start < len(b) {
		out = append(out, b[start:]...)
	}
	out = trimRight(out)
	if cont {
		out = append(out, '\\')
	}
	return out
}

// includeLen returns the length of the include directive starting b, or 0.
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

// special reports text keepalived processes as a whole before splitting it
// at braces: an @ID conditional, a $NAME definition, a ~SEQ/~LST generator
// or an include.
func special(t []byte) bool {
	if len(t) == 0 {
		return false
	}
	return t[0] == '@' || t[0] == '$' || bytes.HasPrefix(t, []byte("~SEQ")) || bytes.HasPrefix(t, []byte("~LST")) || includeLen(t) > 0
}

// word is one word of a line, as byte offsets (quotes included).
type word struct{ i, j int }

// words splits text without braces into words like keepalived: a word
// starting with a double quote runs to the next double quote; another word
// ends at white space or a double quote. The first word's text (without
// quotes) is returned too.
func words(b []byte, out []word) ([]word, []byte) {
	out = out[:0]
	var first []byte
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case isSpace(c):
			i++
			continue
		case c == '"':
			j := i + 1
			for j < len(b) && b[j] != '"' {
				j++
			}
			if len(out) == 0 {
				first = b[i+1 : j]
			}
			if j < len(b) {
				j++
			}
			out = append(out, word{i, j})
			i = j
		default:
			j := i
			for j < len(b) && !isSpace(b[j]) && b[j] != '"' {
				j++
			}
			if len(out) == 0 {
				first = b[i:j]
			}
			out = append(out, word{i, j})
			i = j
		}
	}
	return out, first
}

// piece is a part of a line that keepalived reads as one logical line.
type piece struct {
	kind byte // 'w' words, '{' or '}', 'v' special text kept as written
	col  int  // column in the physical line
	text []byte
}

// split cuts the code of a plain line into pieces the way keepalived's
// read_line does: at the first brace outside quotes, with the rest of the
// line processed again from its start (so a conditional, definition,
// generator or include after a brace takes the rest of the line).
func split(code []byte, col int, out []piece) []piece {
	out = out[:0]
	t := code
	for len(t) > 0 {
		if special(t) {
			out = append(out, piece{kind: 'v', col: col, text: t})
			break
		}
		p := parser.BraceAt(t)
		if p < 0 {
			out = append(out, piece{kind: 'w', col: col, text: t})
			break
		}
		if p > 0 {
			out = append(out, piece{kind: 'w', col: col, text: trimRight(t[:p])})
			t, col = t[p:], col+p
			continue
		}
		out = append(out, piece{kind: t[0], col: col, text: t[:1]})
		rest := trimLeft(t[1:])
		col += len(t) - len(rest)
		t = rest
	}
	return out
}
