package analysis

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/keepalived-ls/keepalived-ls/parser"
)

// Suppression comments:
//
//	priority 300   # keepalived-ls: disable=invalid-value
//	# keepalived-ls: disable=unused-definition,script-security-disabled
//	vrrp_script chk { ... }
//	# keepalived-ls: disable-file=relative-script-path
//
// "disable=" at the end of a line applies to that line; alone on a line it
// applies to the next line with content. "disable-file=" applies to the
// whole file it is written in. A suppression that suppresses nothing is
// reported (unused-suppression).

const suppPrefix = "keepalived-ls:"

// suppDirective is one keepalived-ls comment.
type suppDirective struct {
	src    *parser.Source // nil: the document (line unit-relative until finish)
	line   int32
	col    int32 // where the comment starts
	endCol int32 // end of the line
	own    bool  // alone on its line: applies to the next line with content
	file   bool  // disable-file
	bad    string
	rules  []suppRule
}

type suppRule struct {
	id   string
	span parser.Span
	used bool
}

// parseDirective reads a comment starting at col of line (the '#' or '!');
// ok is false when the comment is not a keepalived-ls directive.
func parseDirective(line []byte, ln, col int32) (suppDirective, bool) {
	d := suppDirective{line: ln, col: col, endCol: int32(len(line))}
	if int(col) >= len(line) {
		return d, false
	}
	i := int(col) + 1
	for i < len(line) && (line[i] == ' ' || line[i] == '\t' || line[i] == '#' || line[i] == '!') {
		i++
	}
	if !bytes.HasPrefix(line[i:], []byte(suppPrefix)) {
		return d, false
	}
	d.own = len(bytes.TrimSpace(line[:col])) == 0
	i += len(suppPrefix)
	for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
		i++
	}
	rest := string(line[i:])
	switch {
	case strings.HasPrefix(rest, "disable-file="):
		d.file = true
		i += len("disable-file=")
	case strings.HasPrefix(rest, "disable="):
		i += len("disable=")
	default:
		d.bad = "not a keepalived-ls directive: write 'keepalived-ls: disable=RULE[,RULE]' or 'keepalived-ls: disable-file=RULE[,RULE]'"
		return d, true
	}
	for {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
		j := i
		for j < len(line) && (line[j] >= 'a' && line[j] <= 'z' || line[j] >= '0' && line[j] <= '9' || line[j] == '-' || line[j] == '_' || line[j] >= 'A' && line[j] <= 'Z') {
			j++
		}
		if j == i {
			break
		}
		d.rules = append(d.rules, suppRule{id: string(line[i:j]), span: parser.Span{Start: parser.Pos{Line: ln, Col: int32(i)}, End: parser.Pos{Line: ln, Col: int32(j)}}})
		i = j
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
		if i >= len(line) || line[i] != ',' {
			break
		}
		i++
	}
	if len(d.rules) == 0 {
		d.bad = "this keepalived-ls directive names no rule: write 'disable=RULE[,RULE]'"
	}
	return d, true
}

// unitDirectives finds the directives in the unit's own comments.
func unitDirectives(u *parser.Unit) []suppDirective {
	var out []suppDirective
	for _, cm := range u.Comments {
		line := u.Line(int(cm.Start.Line))
		if !bytes.Contains(line, []byte(suppPrefix)) {
			continue
		}
		if d, ok := parseDirective(line, cm.Start.Line, cm.Start.Col); ok {
			out = append(out, d)
		}
	}
	return out
}

// commentStart returns where a comment starts on a line ('#' or '!' outside
// double quotes), or -1.
func commentStart(line []byte) int {
	quoted := false
	for i, ch := range line {
		switch {
		case ch == '"':
			quoted = !quoted
		case ch == '\\' && i+1 < len(line) && (line[i+1] == '#' || line[i+1] == '!'):
			// an escaped comment character is text
		case (ch == '#' || ch == '!') && !quoted && (i == 0 || line[i-1] != '\\'):
			return i
		}
	}
	return -1
}

// sourceDirectives finds the directives of an included file.
func sourceDirectives(src *parser.Source) []suppDirective {
	if !bytes.Contains(src.Text, []byte(suppPrefix)) {
		return nil
	}
	var out []suppDirective
	for ln := 0; ln < src.LineCount(); ln++ {
		line := src.Line(ln)
		if !bytes.Contains(line, []byte(suppPrefix)) {
			continue
		}
		col := commentStart(line)
		if col < 0 {
			continue
		}
		if d, ok := parseDirective(line, int32(ln), int32(col)); ok {
			d.src = src
			out = append(out, d)
		}
	}
	return out
}

// includeDirectives collects the directives of the files the unit's
// includes read.
func includeDirectives(nodes []*parser.Node, seen map[*parser.Source]bool, out []suppDirective) []suppDirective {
	for _, n := range nodes {
		if n.Kind == parser.Include {
			for _, f := range n.Files() {
				if f.Source != nil && !seen[f.Source] {
					seen[f.Source] = true
					out = append(out, sourceDirectives(f.Source)...)
				}
			}
		}
		if len(n.Children) > 0 {
			out = includeDirectives(n.Children, seen, out)
		}
	}
	return out
}

// contentLine reports whether a line holds more than blanks and a comment.
func contentLine(line []byte) bool {
	t := bytes.TrimSpace(line)
	return len(t) > 0 && t[0] != '#' && t[0] != '!'
}

// lineReader returns a line of a file: the document (src nil) or an
// included file.
type lineReader func(src *parser.Source, ln int) []byte

// suppress drops the diagnostics that directives disable and reports the
// directives that disable nothing. dirs have absolute lines.
// external reports whether keepalived's own messages were merged: only
// then can a suppression of keepalived-message be judged unused.
func suppress(diags []parser.Diagnostic, dirs []*suppDirective, lines lineReader, docLines int, external bool) []parser.Diagnostic {
	if len(dirs) == 0 {
		return diags
	}
	type lineKey struct {
		src  *parser.Source
		line int32
	}
	byLine := map[lineKey][]*suppDirective{}
	byFile := map[*parser.Source][]*suppDirective{}
	for _, d := range dirs {
		if d.bad != "" {
			continue
		}
		if d.file {
			byFile[d.src] = append(byFile[d.src], d)
			continue
		}
		target := d.line
		if d.own {
			max := docLines
			if d.src != nil {
				max = d.src.LineCount()
			}
			target = -1
			for ln := int(d.line) + 1; ln < max; ln++ {
				if contentLine(lines(d.src, ln)) {
					target = int32(ln)
					break
				}
			}
			if target < 0 {
				continue
			}
		}
		k := lineKey{d.src, target}
		byLine[k] = append(byLine[k], d)
	}
	match := func(list []*suppDirective, rule string) bool {
		hit := false
		for _, d := range list {
			for i := range d.rules {
				if d.rules[i].id == rule {
					d.rules[i].used = true
					hit = true
				}
			}
		}
		return hit
	}
	kept := diags[:0]
	for _, dg := range diags {
		if match(byLine[lineKey{dg.Src, dg.Span.Start.Line}], dg.Rule) || match(byFile[dg.Src], dg.Rule) {
			continue
		}
		kept = append(kept, dg)
	}
	// Directives that disable nothing.
	var unused []parser.Diagnostic
	for _, d := range dirs {
		if d.bad != "" {
			span := parser.Span{Start: parser.Pos{Line: d.line, Col: d.col}, End: parser.Pos{Line: d.line, Col: d.endCol}}
			unused = append(unused, parser.Diagnostic{Src: d.src, Span: span, Severity: I, Rule: "unused-suppression", Message: d.bad,
				Fixes: []parser.Fix{removeDirectiveFix(d, nil, lines)}})
			continue
		}
		for i := range d.rules {
			r := &d.rules[i]
			if r.used || r.id == "unused-suppression" || r.id == "keepalived-message" && !external || IsClusterRule(r.id) {
				continue
			}
			msg := fmt.Sprintf("this comment disables %s, but there is no such problem here: remove it", r.id)
			switch {
			case ruleByID[r.id] == nil:
				msg = fmt.Sprintf("there is no rule '%s'", r.id)
				if s := suggestRule(r.id); s != "" {
					msg += fmt.Sprintf("; did you mean '%s'?", s)
				}
			case d.file:
				msg = fmt.Sprintf("this comment disables %s for the file, but the file has no such problem: remove it", r.id)
			}
			unused = append(unused, parser.Diagnostic{Src: d.src, Span: r.span, Severity: I, Rule: "unused-suppression", Message: msg,
				Fixes: []parser.Fix{removeDirectiveFix(d, r, lines)}})
		}
	}
	for _, dg := range unused {
		if match(byLine[lineKey{dg.Src, dg.Span.Start.Line}], dg.Rule) || match(byFile[dg.Src], dg.Rule) {
			continue
		}
		kept = append(kept, dg)
	}
	return kept
}

// suggestRule returns the rule id closest to a misspelt one.
func suggestRule(id string) string {
	best, bestD := "", 4
	for _, r := range rules {
		if d := editDistance(id, r.ID); d < bestD {
			best, bestD = r.ID, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// removeDirectiveFix removes one rule from a directive, or the whole
// comment when r is nil or the directive names only r.
func removeDirectiveFix(d *suppDirective, r *suppRule, lines lineReader) parser.Fix {
	if r != nil && len(d.rules) > 1 {
		// Remove the rule and the comma next to it.
		line := lines(d.src, int(d.line))
		start, end := r.span.Start.Col, r.span.End.Col
		after := end
		for int(after) < len(line) && (line[after] == ' ' || line[after] == '\t') {
			after++
		}
		if int(after) < len(line) && line[after] == ',' {
			end = after + 1
			for int(end) < len(line) && (line[end] == ' ' || line[end] == '\t') {
				end++
			}
		} else {
			// The last rule: remove the comma before it.
			before := start
			for before > 0 && (line[before-1] == ' ' || line[before-1] == '\t') {
				before--
			}
			if before > 0 && line[before-1] == ',' {
				start = before - 1
			}
		}
		return parser.Fix{Title: fmt.Sprintf("Remove '%s' from the suppression comment", r.id),
			Edits: []parser.Edit{{Src: d.src, Span: parser.Span{Start: parser.Pos{Line: d.line, Col: start}, End: parser.Pos{Line: d.line, Col: end}}}}}
	}
	span := parser.Span{Start: parser.Pos{Line: d.line}, End: parser.Pos{Line: d.line + 1}}
	if !d.own {
		line := lines(d.src, int(d.line))
		start := d.col
		for start > 0 && (line[start-1] == ' ' || line[start-1] == '\t') {
			start--
		}
		span = parser.Span{Start: parser.Pos{Line: d.line, Col: start}, End: parser.Pos{Line: d.line, Col: d.endCol}}
	}
	return parser.Fix{Title: "Remove the suppression comment", Edits: []parser.Edit{{Src: d.src, Span: span}}}
}

// suppressFix returns the quick fix that disables a diagnostic's rule for
// its line, by a comment on the line before (or by adding the rule to a
// directive already there).
func suppressFix(d *parser.Diagnostic, lines lineReader) (parser.Fix, bool) {
	ln := int(d.Span.Start.Line)
	line := lines(d.Src, ln)
	title := fmt.Sprintf("Disable %s for this line", d.Rule)
	if ln > 0 {
		prev := lines(d.Src, ln-1)
		if col := commentStart(prev); col >= 0 {
			if dir, ok := parseDirective(prev, int32(ln-1), int32(col)); ok && dir.own && !dir.file && dir.bad == "" {
				for _, r := range dir.rules {
					if r.id == d.Rule {
						return parser.Fix{}, false
					}
				}
				at := dir.rules[len(dir.rules)-1].span.End
				return parser.Fix{Title: title, Edits: []parser.Edit{{Src: d.Src, Span: parser.Span{Start: at, End: at}, NewText: "," + d.Rule}}}, true
			}
		}
		if t := bytes.TrimRight(prev, " \t"); len(t) > 0 && t[len(t)-1] == '\\' {
			return parser.Fix{}, false // a continued definition: a comment would end it
		}
	}
	indent := line[:len(line)-len(bytes.TrimLeft(line, " \t"))]
	at := parser.Pos{Line: int32(ln)}
	return parser.Fix{Title: title, Edits: []parser.Edit{{Src: d.Src, Span: parser.Span{Start: at, End: at},
		NewText: string(indent) + "# " + suppPrefix + " disable=" + d.Rule + "\n"}}}, true
}

// addSuppressFixes appends the suppression quick fix to every diagnostic.
// Fixes slices may be shared with cached results, so they are copied.
func addSuppressFixes(diags []parser.Diagnostic, lines lineReader) {
	for i := range diags {
		d := &diags[i]
		if d.Rule == "unused-suppression" {
			continue
		}
		if f, ok := suppressFix(d, lines); ok {
			d.Fixes = append(d.Fixes[:len(d.Fixes):len(d.Fixes)], f)
		}
	}
}

// dedupeDirectives drops repeats of an included file's directives (a file
// included by several units).
func dedupeDirectives(ds []*suppDirective) []*suppDirective {
	type key struct {
		src       *parser.Source
		line, col int32
	}
	seen := map[key]bool{}
	out := ds[:0]
	for _, d := range ds {
		if d.src != nil {
			k := key{d.src, d.line, d.col}
			if seen[k] {
				continue
			}
			seen[k] = true
		}
		out = append(out, d)
	}
	return out
}
