// Package schema is keepalived's keyword tree: every keyword with the block it
// belongs to, whether it opens a keyword block or a value block, the release
// that added it, its argument shape and a description written for hover.
//
// The table is generated (go generate) from keepalived's extracted keyword
// tree, the per-release history and our hand-written data/*.yaml.
package schema

//go:generate go run ./internal/gen -out keywords_gen.go

import (
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/keepalived-ls/keepalived-ls/parser/argspec"
)

// BlockKind says what follows a keyword.
type BlockKind uint8

const (
	NoBlock      BlockKind = iota // a one-line keyword
	KeywordBlock                  // { keyword lines }
	ValueBlock                    // { raw value lines }
)

func (b BlockKind) String() string {
	switch b {
	case KeywordBlock:
		return "block"
	case ValueBlock:
		return "value block"
	}
	return "keyword"
}

// Keyword is one node of keepalived's keyword tree.
type Keyword struct {
	Name        string
	Path        string // "vrrp_instance > priority"
	Parent      *Keyword
	Block       BlockKind
	Quoted      bool    // a script line: keepalived re-reads it with ' and " quoting
	QuotedSince Version // release from which script-line quoting applies
	Guards      []string
	Added       Version // first release that accepts it (2.0.0 means 2.0.0 or earlier)
	Unreleased  bool    // only on keepalived's development branch so far
	Aliases     []string
	Doc         string
	Args        string // argument spec (docs/schema-data.md)
	Line        string // value block: spec of each line
	Default     string
	Unit        string
	Deprecated  string
	Replacement string
	Note        string
	Repeatable  bool
	Older       []Variant // argument shapes of older releases, oldest cut-off first
	Index       int       // position in All(), for tables indexed by keyword

	parent   int
	children []*Keyword
	byName   map[string]*Keyword

	specOnce sync.Once
	argSpec  *argspec.Spec
	lineSpec *argspec.Spec
}

// Top is the pseudo keyword whose children are the top-level keywords.
var Top = &Keyword{Name: "", Path: "", Block: KeywordBlock}

var (
	byPath map[string]*Keyword
	byName map[string][]*Keyword
	all    []*Keyword
)

func init() {
	byPath = make(map[string]*Keyword, len(generated))
	byName = make(map[string][]*Keyword)
	Top.byName = map[string]*Keyword{}
	for i := range generated {
		k := &generated[i]
		k.Index = i
		parent := Top
		if k.parent >= 0 {
			parent = &generated[k.parent]
			k.Parent = parent
		}
		if parent.byName == nil {
			parent.byName = map[string]*Keyword{}
		}
		if _, dup := parent.byName[k.Name]; !dup {
			parent.byName[k.Name] = k
		}
		parent.children = append(parent.children, k)
		byPath[k.Path] = k
		byName[k.Name] = append(byName[k.Name], k)
		all = append(all, k)
	}
}

// All returns every keyword node, in keepalived's install order.
func All() []*Keyword { return all }

// Lookup finds a node by its path ("vrrp_instance > priority").
func Lookup(path string) *Keyword { return byPath[path] }

// Named returns every node with that keyword name, wherever it is allowed.
func Named(name string) []*Keyword { return byName[name] }

// Child finds a keyword allowed directly inside k (exact, case-sensitive).
func (k *Keyword) Child(name string) *Keyword {
	if k == nil {
		return nil
	}
	return k.byName[name]
}

// Children returns the keywords allowed directly inside k.
func (k *Keyword) Children() []*Keyword { return k.children }

// IsTop reports whether k is the pseudo keyword for the file's top level.
func (k *Keyword) IsTop() bool { return k == Top }

// BlockName is how messages name the block k stands for.
func (k *Keyword) BlockName() string {
	if k == nil || k.IsTop() {
		return "the top level"
	}
	return "'" + k.Name + "'"
}

// AvailableIn reports whether version v accepts the keyword.
func (k *Keyword) AvailableIn(v Version) bool {
	return v.IsNewest() || k.Added.Compare(v) <= 0
}

// AddedText describes when the keyword appeared, for hover and messages.
func (k *Keyword) AddedText() string {
	switch {
	case k.Unreleased:
		return "after " + NewestRelease.String() + " (not yet in a release)"
	case k.Added == OldestKnown:
		return OldestKnown.String() + " or earlier"
	}
	return k.Added.String()
}

// Variant is the argument shape a keyword had before a release.
type Variant struct {
	Before     Version
	Args, Line string
}

// ArgSpecFor returns the argument spec that applies to release v.
func (k *Keyword) ArgSpecFor(v Version) *argspec.Spec {
	if o := k.olderFor(v); o != nil && o.Args != "" {
		return argspec.MustParse(o.Args)
	}
	return k.ArgSpec()
}

// LineSpecFor returns the value-line spec that applies to release v.
func (k *Keyword) LineSpecFor(v Version) *argspec.Spec {
	if o := k.olderFor(v); o != nil && o.Line != "" {
		return argspec.MustParse(o.Line)
	}
	return k.LineSpec()
}

func (k *Keyword) olderFor(v Version) *Variant {
	if v.IsNewest() {
		return nil
	}
	for i := range k.Older {
		if v.Less(k.Older[i].Before) {
			return &k.Older[i]
		}
	}
	return nil
}

// ArgSpec returns the parsed argument spec (nil when the schema has none).
func (k *Keyword) ArgSpec() *argspec.Spec {
	k.parseSpecs()
	return k.argSpec
}

// LineSpec returns the parsed spec of value-block lines (nil when none).
func (k *Keyword) LineSpec() *argspec.Spec {
	k.parseSpecs()
	return k.lineSpec
}

func (k *Keyword) parseSpecs() {
	k.specOnce.Do(func() {
		if k.Args != "" || k.Doc != "" {
			k.argSpec = argspec.MustParse(k.Args)
		}
		if k.Line != "" {
			k.lineSpec = argspec.MustParse(k.Line)
		}
	})
}

// Suggest returns the names allowed inside k closest to name (did-you-mean),
// best first.
func (k *Keyword) Suggest(name string, max int) []string {
	type cand struct {
		name string
		d    int
	}
	var cs []cand
	limit := len(name)/3 + 1
	if limit > 3 {
		limit = 3
	}
	lower := strings.ToLower(name)
	runes := utf8.RuneCountInString(lower)
	for _, c := range k.children {
		cl := strings.ToLower(c.Name)
		if n := utf8.RuneCountInString(cl) - runes; n > limit || -n > limit {
			continue // the distance is at least the difference in length
		}
		d := distance(lower, cl)
		if d <= limit {
			cs = append(cs, cand{c.Name, d})
		}
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].d < cs[j].d })
	var out []string
	for _, c := range cs {
		if len(out) == max {
			break
		}
		out = append(out, c.name)
	}
	return out
}

// distance is the optimal-string-alignment edit distance (adjacent swaps count one).
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
