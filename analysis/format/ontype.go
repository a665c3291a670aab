package format

import (
	"bytes"

	"github.com/keepalived-ls/keepalived-ls/parser"
)

// OnType returns the edit that re-indents one line, for formatting while
// typing: after a '}' (the line holding it) or a newline (the new line). It
// only changes the blanks the line starts with, so it also works while the
// text is incomplete (an open block, a stray brace): the depth is the one
// keepalived reads there. It returns nil when the indentation is already
// right or the line is a continuation of a multi-line definition.
func OnType(text []byte, line int, opts Options) []parser.Edit {
	starts := lineStarts(text)
	if line < 0 || line >= len(starts) {
		return nil
	}
	content := lineContent(text, starts, line)
	cont := continuations(text, starts)
	if cont[line] && isBlankLine(content) {
		return nil // blanks inside a definition must stay
	}
	doc := parse(text)
	units := doc.Units()
	k := len(units) - 1
	for k > 0 && int(doc.UnitLine(k)) > line {
		k--
	}
	rel := int32(line - int(doc.UnitLine(k)))
	evs := events(units[k].Nodes, nil)
	depth, e := 0, 0
	for ; e < len(evs) && evs[e].line < rel; e++ {
		depth = step(depth, evs[e])
	}
	target := depth
	body := trimLeft(content)
	switch {
	case cont[line] || special(body) || keptAsWritten(content):
		if cont[line] && (e == len(evs) || evs[e].line != rel) {
			target++
		}
		for d := depth; e < len(evs) && evs[e].line == rel; e++ {
			d = step(d, evs[e])
			target = min(target, d)
		}
	case len(body) > 0 && body[0] == '}':
		if e < len(evs) && evs[e].line == rel && !evs[e].open {
			target = step(depth, evs[e])
		}
	}
	ind := bytes.Repeat(opts.unit(), target)
	lead := leading(content)
	size := len(ind) + len(body) // keepalived counts a '\r' too
	if end := int(starts[line]) + len(content); end < len(text) && text[end] == '\r' {
		size++
	}
	if bytes.Equal(content[:lead], ind) || size > parser.MaxLineLength {
		return nil
	}
	return []parser.Edit{{
		Span:    parser.Span{Start: parser.Pos{Line: int32(line)}, End: parser.Pos{Line: int32(line), Col: int32(lead)}},
		NewText: string(ind),
	}}
}

// step applies a brace to a depth (a close never goes below the top level).
func step(depth int, e event) int {
	if e.open {
		return depth + 1
	}
	return max(depth-1, 0)
}
