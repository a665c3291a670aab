// Package argspec parses and matches the small argument language used by the
// keyword schema (docs/schema-data.md): `<name:type>` arguments, bare literals,
// `[optional]` groups, `( A | B )` alternatives and `...` repetition.
package argspec

import (
	"fmt"
	"strconv"
	"strings"
)

// ItemKind says what an Item is.
type ItemKind uint8

const (
	Arg      ItemKind = iota // <name:type>
	Literal                  // a bare word
	Optional                 // [ ... ]
	Alt                      // ( A | B )
)

// Item is one element of a Spec.
type Item struct {
	Kind    ItemKind
	Name    string   // Arg: the argument's name
	Type    Type     // Arg: what it accepts
	Literal string   // Literal: the word
	Seq     []Item   // Optional: the group's items
	Alts    [][]Item // Alt: the alternatives
	Repeat  bool     // followed by "..."
}

// Spec is a parsed argument description.
type Spec struct {
	Source string
	Items  []Item
}

// TypeKind names the kind of value an argument accepts.
type TypeKind string

const (
	TInt     TypeKind = "int"
	TDecimal TypeKind = "decimal"
	TTimer   TypeKind = "timer"
	TBool    TypeKind = "bool"
	TEnum    TypeKind = "enum"
	TIEnum   TypeKind = "ienum"
	TIP      TypeKind = "ip"
	TIP4     TypeKind = "ip4"
	TIP6     TypeKind = "ip6"
	TPrefix  TypeKind = "prefix"
	TMcast   TypeKind = "mcast"
	TPort    TypeKind = "port"
	TIfname  TypeKind = "ifname"
	TMAC     TypeKind = "mac"
	THex32   TypeKind = "hex32"
	TName    TypeKind = "name"
	TWord    TypeKind = "word"
	TString  TypeKind = "string"
	TPath    TypeKind = "path"
	TScript  TypeKind = "script"
	TUser    TypeKind = "user"
	TGroup   TypeKind = "group"
	THost    TypeKind = "host"
	TDef     TypeKind = "def"
	TRef     TypeKind = "ref"
	TWords   TypeKind = "words"
)

var knownTypes = map[TypeKind]bool{
	TInt: true, TDecimal: true, TTimer: true, TBool: true, TEnum: true, TIEnum: true,
	TIP: true, TIP4: true, TIP6: true, TPrefix: true, TMcast: true, TPort: true,
	TIfname: true, TMAC: true, THex32: true, TName: true, TWord: true, TString: true,
	TPath: true, TScript: true, TUser: true, TGroup: true, THost: true, TDef: true,
	TRef: true, TWords: true,
}

// Type is the parsed type of an argument.
type Type struct {
	Kind   TypeKind
	Min    *float64 // numeric bounds, nil when open
	Max    *float64
	Values []string // enum values
	Object string   // def/ref: the object kind (vrrp_script, ...)
}

// String renders the type back in the schema language.
func (t Type) String() string {
	switch t.Kind {
	case TEnum, TIEnum:
		return string(t.Kind) + " " + strings.Join(t.Values, "|")
	case TDef, TRef:
		return fmt.Sprintf("%s(%s)", t.Kind, t.Object)
	case TInt, TDecimal, TTimer:
		if t.Min == nil && t.Max == nil {
			return string(t.Kind)
		}
		return string(t.Kind) + " " + t.RangeString()
	}
	return string(t.Kind)
}

// RangeString renders "MIN..MAX" with open bounds left empty.
func (t Type) RangeString() string {
	f := func(p *float64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatFloat(*p, 'f', -1, 64)
	}
	return f(t.Min) + ".." + f(t.Max)
}

// Parse reads a spec. The empty string is a spec that takes no arguments.
func Parse(src string) (*Spec, error) {
	p := &specParser{src: src, toks: lexSpec(src)}
	items, err := p.seq(false)
	if err != nil {
		return nil, fmt.Errorf("argument spec %q: %w", src, err)
	}
	if p.i < len(p.toks) {
		return nil, fmt.Errorf("argument spec %q: unexpected %q", src, p.toks[p.i])
	}
	return &Spec{Source: src, Items: items}, nil
}

// MustParse is Parse for specs already validated by the generator.
func MustParse(src string) *Spec {
	s, err := Parse(src)
	if err != nil {
		panic(err)
	}
	return s
}

// lexSpec splits a spec into <...> arguments, brackets, "|", "..." and literals.
func lexSpec(s string) []string {
	var toks []string
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			i++
		case c == '<':
			j := strings.IndexByte(s[i:], '>')
			if j < 0 {
				toks = append(toks, s[i:])
				return toks
			}
			toks = append(toks, s[i:i+j+1])
			i += j + 1
		case c == '[' || c == ']' || c == '(' || c == ')' || c == '|':
			toks = append(toks, string(c))
			i++
		case strings.HasPrefix(s[i:], "..."):
			toks = append(toks, "...")
			i += 3
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \t\n<[]()|", rune(s[j])) && !strings.HasPrefix(s[j:], "...") {
				j++
			}
			toks = append(toks, s[i:j])
			i = j
		}
	}
	return toks
}

type specParser struct {
	src  string
	toks []string
	i    int
}

// seq parses items until a closing token. inAlt makes "|" a terminator.
func (p *specParser) seq(inAlt bool) ([]Item, error) {
	var items []Item
	for p.i < len(p.toks) {
		t := p.toks[p.i]
		switch {
		case t == "]" || t == ")":
			return items, nil
		case t == "|":
			if !inAlt {
				return nil, fmt.Errorf("'|' outside ( )")
			}
			return items, nil
		case t == "...":
			if len(items) == 0 {
				return nil, fmt.Errorf("'...' with nothing before it")
			}
			items[len(items)-1].Repeat = true
			p.i++
		case t == "[":
			p.i++
			sub, err := p.seq(false)
			if err != nil {
				return nil, err
			}
			if p.i >= len(p.toks) || p.toks[p.i] != "]" {
				return nil, fmt.Errorf("missing ']'")
			}
			p.i++
			if len(sub) == 0 {
				return nil, fmt.Errorf("empty [ ]")
			}
			items = append(items, Item{Kind: Optional, Seq: sub})
		case t == "(":
			p.i++
			var alts [][]Item
			for {
				sub, err := p.seq(true)
				if err != nil {
					return nil, err
				}
				if len(sub) == 0 {
					return nil, fmt.Errorf("empty alternative")
				}
				alts = append(alts, sub)
				if p.i >= len(p.toks) {
					return nil, fmt.Errorf("missing ')'")
				}
				if p.toks[p.i] == ")" {
					p.i++
					break
				}
				if p.toks[p.i] != "|" {
					return nil, fmt.Errorf("unexpected %q in ( )", p.toks[p.i])
				}
				p.i++
			}
			items = append(items, Item{Kind: Alt, Alts: alts})
		case strings.HasPrefix(t, "<"):
			it, err := parseArg(t)
			if err != nil {
				return nil, err
			}
			items = append(items, it)
			p.i++
		default:
			if strings.ContainsAny(t, "<>") {
				return nil, fmt.Errorf("stray %q", t)
			}
			items = append(items, Item{Kind: Literal, Literal: t})
			p.i++
		}
	}
	return items, nil
}

func parseArg(t string) (Item, error) {
	if !strings.HasSuffix(t, ">") {
		return Item{}, fmt.Errorf("unterminated %q", t)
	}
	body := t[1 : len(t)-1]
	name, typ, ok := strings.Cut(body, ":")
	if !ok || name == "" {
		return Item{}, fmt.Errorf("%q: want <name:type>", t)
	}
	ty, err := parseType(strings.TrimSpace(typ))
	if err != nil {
		return Item{}, fmt.Errorf("%q: %w", t, err)
	}
	return Item{Kind: Arg, Name: strings.TrimSpace(name), Type: ty}, nil
}

func parseType(s string) (Type, error) {
	head, rest, _ := strings.Cut(s, " ")
	rest = strings.TrimSpace(rest)
	if i := strings.IndexByte(head, '('); i >= 0 {
		if !strings.HasSuffix(head, ")") {
			return Type{}, fmt.Errorf("bad type %q", s)
		}
		k := TypeKind(head[:i])
		if k != TDef && k != TRef {
			return Type{}, fmt.Errorf("only def(...) and ref(...) take an object kind: %q", s)
		}
		obj := head[i+1 : len(head)-1]
		if obj == "" {
			return Type{}, fmt.Errorf("empty object kind in %q", s)
		}
		return Type{Kind: k, Object: obj}, nil
	}
	k := TypeKind(head)
	if !knownTypes[k] || k == TDef || k == TRef {
		return Type{}, fmt.Errorf("unknown type %q", head)
	}
	t := Type{Kind: k}
	switch k {
	case TEnum, TIEnum:
		if rest == "" {
			return Type{}, fmt.Errorf("%s needs values", k)
		}
		t.Values = strings.Split(rest, "|")
		for _, v := range t.Values {
			if v == "" {
				return Type{}, fmt.Errorf("empty value in %q", s)
			}
		}
	case TInt, TDecimal, TTimer:
		if rest != "" {
			lo, hi, ok := strings.Cut(rest, "..")
			if !ok {
				return Type{}, fmt.Errorf("range %q: want MIN..MAX", rest)
			}
			var err error
			if t.Min, err = bound(lo); err != nil {
				return Type{}, err
			}
			if t.Max, err = bound(hi); err != nil {
				return Type{}, err
			}
			if t.Min != nil && t.Max != nil && *t.Min > *t.Max {
				return Type{}, fmt.Errorf("range %q is empty", rest)
			}
		}
	default:
		if rest != "" {
			return Type{}, fmt.Errorf("type %s takes no parameters: %q", k, s)
		}
	}
	return t, nil
}

func bound(s string) (*float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil, fmt.Errorf("bad bound %q", s)
	}
	return &v, nil
}

// Args lists every <name:type> argument in the spec, depth first.
func (s *Spec) Args() []Item {
	var out []Item
	var walk func([]Item)
	walk = func(items []Item) {
		for _, it := range items {
			switch it.Kind {
			case Arg:
				out = append(out, it)
			case Optional:
				walk(it.Seq)
			case Alt:
				for _, a := range it.Alts {
					walk(a)
				}
			}
		}
	}
	walk(s.Items)
	return out
}

// TakesNoArguments reports whether the spec accepts only an empty word list.
func (s *Spec) TakesNoArguments() bool { return len(s.Items) == 0 }

// Usage renders the spec for people: arguments as <name>, without types.
func (s *Spec) Usage() string {
	var render func(items []Item) string
	render = func(items []Item) string {
		var parts []string
		for _, it := range items {
			var p string
			switch it.Kind {
			case Arg:
				p = "<" + it.Name + ">"
			case Literal:
				p = it.Literal
			case Optional:
				p = "[" + render(it.Seq) + "]"
			case Alt:
				var alts []string
				for _, a := range it.Alts {
					alts = append(alts, render(a))
				}
				p = "(" + strings.Join(alts, " | ") + ")"
			}
			if it.Repeat {
				p += "..."
			}
			parts = append(parts, p)
		}
		return strings.Join(parts, " ")
	}
	return render(s.Items)
}
