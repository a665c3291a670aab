package argspec

import (
	"fmt"
	"strings"
)

// ProblemKind classifies a mismatch between words and a spec.
type ProblemKind uint8

const (
	Missing    ProblemKind = iota // a required word is absent
	Extra                         // words left over after the spec
	Invalid                       // a word has the wrong form or is out of range
	Suspicious                    // accepted by keepalived, but probably not what was meant
)

// Problem is one mismatch. Word indexes the words given to Match; for Missing
// it is len(words).
type Problem struct {
	Kind    ProblemKind
	Word    int
	Arg     *Item // the argument concerned, nil for literals and extras
	Message string
}

// Binding records which argument a word was matched to.
type Binding struct {
	Word int
	Arg  *Item
}

// Match checks words (the words after the keyword) against the spec.
func (s *Spec) Match(words []string) ([]Binding, []Problem) {
	var m Matcher
	return m.Match(s, words)
}

// Matcher matches words against specs, reusing its buffers between calls.
// The slices it returns are valid until the next call.
type Matcher struct{ m matcher }

// Match is Spec.Match with the matcher's buffers.
func (mm *Matcher) Match(s *Spec, words []string) ([]Binding, []Problem) {
	m := &mm.m
	*m = matcher{words: words, binds: m.binds[:0], probs: m.probs[:0]}
	m.seq(s.Items)
	if m.pos < len(words) && !m.stopped {
		m.probs = append(m.probs, Problem{Kind: Extra, Word: m.pos,
			Message: fmt.Sprintf("unexpected extra argument '%s'", words[m.pos])})
	}
	return m.binds, m.probs
}

type matcher struct {
	words   []string
	pos     int
	binds   []Binding
	probs   []Problem
	stopped bool // a required word was missing: stop reporting
}

func (m *matcher) more() bool { return m.pos < len(m.words) }

// laterOption reports whether w starts a literal-led optional group in items.
func laterOption(items []Item, w string) bool {
	for _, it := range items {
		if it.Kind == Optional && startsWithLiteral(it.Seq) && it.Seq[0].Literal == w {
			return true
		}
	}
	return false
}

func startsWithLiteral(items []Item) bool { return len(items) > 0 && items[0].Kind == Literal }

// seq matches items in order. It returns false when a required item was missing.
func (m *matcher) seq(items []Item) bool {
	for i := 0; i < len(items); i++ {
		it := &items[i]
		switch it.Kind {
		case Optional:
			if startsWithLiteral(it.Seq) {
				j := i
				for j < len(items) && items[j].Kind == Optional && startsWithLiteral(items[j].Seq) {
					j++
				}
				if !m.options(items[i:j]) {
					return false
				}
				i = j - 1
				continue
			}
			// A positional optional word does not swallow a word that starts
			// one of the literal-led options that follow it.
			for first := true; m.more() && (first || it.Repeat) && !laterOption(items[i+1:], m.words[m.pos]); first = false {
				if !m.seq(it.Seq) {
					return false
				}
			}
		case Literal:
			if !m.more() {
				m.missing(nil, fmt.Sprintf("missing '%s'", it.Literal))
				return false
			}
			if m.words[m.pos] != it.Literal {
				m.probs = append(m.probs, Problem{Kind: Invalid, Word: m.pos,
					Message: fmt.Sprintf("expected '%s', found '%s'", it.Literal, m.words[m.pos])})
			}
			m.pos++
		case Arg:
			if !m.more() {
				m.missing(it, fmt.Sprintf("missing %s", describeArg(it)))
				return false
			}
			for first := true; m.more() && (first || it.Repeat); first = false {
				m.arg(it)
			}
		case Alt:
			for first := true; first || it.Repeat && m.more(); first = false {
				if !m.alt(it) {
					return false
				}
			}
		}
	}
	return true
}

func (m *matcher) missing(arg *Item, msg string) {
	m.probs = append(m.probs, Problem{Kind: Missing, Word: len(m.words), Arg: arg, Message: msg})
	m.stopped = true
}

// arg matches one word (or, for words, the rest of the line) to an argument.
func (m *matcher) arg(it *Item) {
	if it.Type.Kind == TWords {
		for ; m.more(); m.pos++ {
			m.binds = append(m.binds, Binding{Word: m.pos, Arg: it})
		}
		return
	}
	w := m.words[m.pos]
	m.binds = append(m.binds, Binding{Word: m.pos, Arg: it})
	if kind, msg := CheckValue(it.Type, w); msg != "" {
		m.probs = append(m.probs, Problem{Kind: kind, Word: m.pos, Arg: it, Message: msg})
	}
	m.pos++
}

// options matches a run of literal-led optional groups in any order.
func (m *matcher) options(run []Item) bool {
	used := make([]bool, len(run))
	for m.more() {
		found := -1
		for k := range run {
			if run[k].Seq[0].Literal == m.words[m.pos] && (!used[k] || run[k].Repeat) {
				found = k
				break
			}
		}
		if found < 0 {
			return true
		}
		used[found] = true
		if !m.seq(run[found].Seq) {
			return false
		}
	}
	return true
}

// alt picks the alternative that fits the next word.
func (m *matcher) alt(it *Item) bool {
	if !m.more() {
		m.missing(nil, "missing "+describeAlts(it.Alts))
		return false
	}
	w := m.words[m.pos]
	for _, a := range it.Alts {
		if a[0].Kind == Literal && a[0].Literal == w {
			return m.seq(a)
		}
	}
	var lastArg []Item
	for _, a := range it.Alts {
		if a[0].Kind == Arg {
			if _, msg := CheckValue(a[0].Type, w); msg == "" {
				return m.seq(a)
			}
			lastArg = a
		}
	}
	if lastArg != nil {
		return m.seq(lastArg)
	}
	m.probs = append(m.probs, Problem{Kind: Invalid, Word: m.pos,
		Message: fmt.Sprintf("expected %s, found '%s'", describeAlts(it.Alts), w)})
	m.pos++
	return true
}

func describeArg(it *Item) string {
	switch it.Type.Kind {
	case TEnum, TIEnum:
		return fmt.Sprintf("%s (one of %s)", it.Name, strings.Join(it.Type.Values, ", "))
	}
	return it.Name
}

func describeAlts(alts [][]Item) string {
	var parts []string
	for _, a := range alts {
		switch a[0].Kind {
		case Literal:
			parts = append(parts, "'"+a[0].Literal+"'")
		case Arg:
			parts = append(parts, a[0].Name)
		default:
			parts = append(parts, "an option")
		}
	}
	return strings.Join(parts, " or ")
}
