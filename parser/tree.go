package parser

import "github.com/keepalived-ls/keepalived-ls/parser/schema"

// TokenFlags describe how a token was written.
type TokenFlags uint8

const (
	Quoted   TokenFlags = 1 << iota // written in double quotes
	Unclosed                        // a quoted word whose closing quote is missing
	Expanded                        // produced by $NAME substitution or ~SEQ/~LST
)

// Token is one word of a logical line. Text is the word as keepalived sees
// it (quotes removed, parameters substituted); Span is where it is written.
type Token struct {
	Text  string
	Span  Span
	Flags TokenFlags
}

// Is reports whether the token has all the given flags.
func (t Token) Is(f TokenFlags) bool { return t.Flags&f == f }

// NodeKind says what a node is.
type NodeKind uint8

const (
	Statement  NodeKind = iota // keyword [args]
	Block                      // keyword [args] { keyword lines }
	ValueBlock                 // keyword [args] { value lines }
	Include                    // include PATTERN: a transparent container of what it read
)

func (k NodeKind) String() string {
	return [...]string{"statement", "block", "value block", "include"}[k]
}

// NodeFlags record how a block was written.
type NodeFlags uint8

const (
	HasOpen     NodeFlags = 1 << iota // the '{' is present
	HasClose                          // the '}' is present
	MissingOpen                       // content followed without a '{'
	Unavailable                       // a keyword the target keepalived release does not know
)

// Node is a keyword line, a block, a value block or an include.
type Node struct {
	Src      *Source // nil: the document itself (lines relative to the unit)
	Kind     NodeKind
	Flags    NodeFlags
	Keyword  Token           // the first word (for Include: the directive)
	Args     []Token         // the other words (for Include: the pattern as one token)
	Schema   *schema.Keyword // nil when the keyword is unknown here
	Open     Pos             // '{' when HasOpen
	Close    Pos             // '}' when HasClose
	Children []*Node         // Block and Include: the lines inside
	Values   []*ValueLine    // ValueBlock and Include: the value lines inside
	ext      *nodeExt        // rarely needed fields
}

// nodeExt holds what few nodes need, keeping Node small.
type nodeExt struct {
	files []*IncludedFile
	raw   string
}

// Files returns the files an include read.
func (n *Node) Files() []*IncludedFile {
	if n.ext == nil {
		return nil
	}
	return n.ext.files
}

// Raw returns, for script-line keywords, the text after the keyword as
// keepalived re-reads it (quotes kept).
func (n *Node) Raw() string {
	if n.ext == nil {
		return ""
	}
	return n.ext.raw
}

// RawSpan covers the arguments.
func (n *Node) RawSpan() Span {
	if len(n.Args) == 0 {
		return Span{n.Keyword.Span.End, n.Keyword.Span.End}
	}
	return n.Args[0].Span.Cover(n.Args[len(n.Args)-1].Span)
}

// OpenSpan and CloseSpan cover the braces.
func (n *Node) OpenSpan() Span  { return Span{n.Open, Pos{n.Open.Line, n.Open.Col + 1}} }
func (n *Node) CloseSpan() Span { return Span{n.Close, Pos{n.Close.Line, n.Close.Col + 1}} }

// ValueLine is one line of a value block.
type ValueLine struct {
	Src    *Source
	Tokens []Token
}

// IncludedFile is one file read by an include directive.
type IncludedFile struct {
	Source *Source
}

// Span covers the whole node: keyword to closing brace (or last word).
func (n *Node) Span() Span {
	s := n.Keyword.Span
	if len(n.Args) > 0 {
		s = s.Cover(n.Args[len(n.Args)-1].Span)
	}
	if n.Flags&HasOpen != 0 {
		s = s.Cover(n.OpenSpan())
	}
	if n.Flags&HasClose != 0 {
		s = s.Cover(n.CloseSpan())
	} else {
		for _, c := range n.Children {
			if c.Src == n.Src {
				s = s.Cover(c.Span())
			}
		}
		for _, v := range n.Values {
			if v.Src == n.Src && len(v.Tokens) > 0 {
				s = s.Cover(v.Tokens[len(v.Tokens)-1].Span)
			}
		}
	}
	return s
}

// LineSpan covers the keyword and its arguments (the first logical line).
func (n *Node) LineSpan() Span {
	s := n.Keyword.Span
	if len(n.Args) > 0 {
		s = s.Cover(n.Args[len(n.Args)-1].Span)
	}
	return s
}

// Name is the keyword text.
func (n *Node) Name() string { return n.Keyword.Text }

// Body yields the nodes inside n, looking through includes: for an include
// it yields the include node and then what the include read.
func (n *Node) Body(yield func(*Node) bool) {
	walkBody(n.Children, yield)
}

func walkBody(nodes []*Node, yield func(*Node) bool) bool {
	for _, c := range nodes {
		if !yield(c) {
			return false
		}
		if c.Kind == Include && !walkBody(c.Children, yield) {
			return false
		}
	}
	return true
}

// AllValues yields the value lines of a value block, including those read
// through includes inside it.
func (n *Node) AllValues(yield func(*ValueLine) bool) {
	var walk func(*Node) bool
	walk = func(m *Node) bool {
		for _, v := range m.Values {
			if !yield(v) {
				return false
			}
		}
		for _, c := range m.Children {
			if c.Kind == Include && !walk(c) {
				return false
			}
		}
		return true
	}
	walk(n)
}

// ArgTexts returns the argument words.
func (n *Node) ArgTexts() []string {
	out := make([]string, len(n.Args))
	for i, a := range n.Args {
		out[i] = a.Text
	}
	return out
}
