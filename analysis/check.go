package analysis

import (
	"sort"
	"sync"

	"github.com/keepalived-ls/keepalived-ls/parser"
	"github.com/keepalived-ls/keepalived-ls/parser/schema"
)

// Checker checks documents and caches per-unit results, so that checking a
// new version of a document only analyses the units that changed. It is safe
// for concurrent use.
type Checker struct {
	cfg Config
	key string

	mu    sync.Mutex
	cache map[*parser.Unit]*unitResult
}

// unitResult is what a unit contributes: its own diagnostics (lines relative
// to the unit) and its symbol events in document order.
type unitResult struct {
	diags []parser.Diagnostic
	syms  []symEvent
}

// NewChecker returns a checker for one configuration.
func NewChecker(cfg Config) *Checker {
	return &Checker{cfg: cfg, key: cfg.key(), cache: map[*parser.Unit]*unitResult{}}
}

// Config returns the checker's configuration.
func (c *Checker) Config() Config { return c.cfg }

// Check is a one-off check with a fresh Checker.
func Check(d *parser.Doc, cfg Config) []parser.Diagnostic { return NewChecker(cfg).Check(d) }

// Check returns every diagnostic of the document and the files it includes.
// Diagnostics of the document have Src nil and absolute lines; those of
// included files carry their Src.
func (c *Checker) Check(d *parser.Doc) []parser.Diagnostic {
	units := d.Units()
	results := make([]*unitResult, len(units))
	c.mu.Lock()
	fresh := make(map[*parser.Unit]*unitResult, len(units))
	var todo []int
	for i, u := range units {
		if r, ok := c.cache[u]; ok {
			results[i] = r
			fresh[u] = r
		} else {
			todo = append(todo, i)
		}
	}
	c.mu.Unlock()
	for _, i := range todo {
		results[i] = analyzeUnit(units[i], &c.cfg)
		fresh[units[i]] = results[i]
	}
	c.mu.Lock()
	c.cache = fresh
	c.mu.Unlock()

	var out []parser.Diagnostic
	for i, r := range results {
		base := d.UnitLine(i)
		for _, dg := range r.diags {
			out = append(out, absolute(dg, base))
		}
	}
	for _, dg := range checkSymbols(d, results) {
		out = append(out, dg)
	}
	kept := out[:0]
	for _, dg := range out {
		if c.cfg.apply(&dg) {
			kept = append(kept, dg)
		}
	}
	SortDiagnostics(kept)
	return kept
}

// absolute converts a unit-relative diagnostic of the document.
func absolute(d parser.Diagnostic, base int32) parser.Diagnostic {
	if d.Src == nil {
		d.Span = d.Span.Shift(base)
	}
	if len(d.Related) > 0 {
		rel := make([]parser.Related, len(d.Related))
		for i, r := range d.Related {
			if r.Src == nil {
				r.Span = r.Span.Shift(base)
			}
			rel[i] = r
		}
		d.Related = rel
	}
	if len(d.Fixes) > 0 {
		fixes := make([]parser.Fix, len(d.Fixes))
		for i, f := range d.Fixes {
			edits := make([]parser.Edit, len(f.Edits))
			for j, e := range f.Edits {
				if e.Src == nil {
					e.Span = e.Span.Shift(base)
				}
				edits[j] = e
			}
			f.Edits = edits
			fixes[i] = f
		}
		d.Fixes = fixes
	}
	return d
}

// SortDiagnostics orders diagnostics by file (the document first), position,
// then rule.
func SortDiagnostics(ds []parser.Diagnostic) {
	path := func(d parser.Diagnostic) string {
		if d.Src == nil {
			return ""
		}
		return d.Src.Path
	}
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		if pa, pb := path(a), path(b); pa != pb {
			return pa < pb
		}
		if a.Span.Start != b.Span.Start {
			return a.Span.Start.Less(b.Span.Start)
		}
		return a.Rule < b.Rule
	})
}

// analyzeUnit runs every check that needs only the unit itself.
func analyzeUnit(u *parser.Unit, cfg *Config) *unitResult {
	c := &unitCtx{cfg: cfg, unit: u}
	c.out = append(c.out, u.Diags...)
	c.walk(u.Nodes, schema.Top, nil)
	return &unitResult{diags: c.out, syms: c.syms}
}

// unitCtx collects what one unit's walk finds.
type unitCtx struct {
	cfg  *Config
	unit *parser.Unit
	out  []parser.Diagnostic
	syms []symEvent
}

func (c *unitCtx) add(n *parser.Node, sev parser.Severity, rule string, span parser.Span, msg string, fixes ...parser.Fix) {
	c.out = append(c.out, parser.Diagnostic{Src: n.Src, Span: span, Severity: sev, Rule: rule, Message: msg, Fixes: fixes})
}

// addRelated adds a diagnostic that points at another node too.
func (c *unitCtx) addRelated(n *parser.Node, sev parser.Severity, rule string, span parser.Span, msg string, other *parser.Node, why string, fixes ...parser.Fix) {
	c.out = append(c.out, parser.Diagnostic{Src: n.Src, Span: span, Severity: sev, Rule: rule, Message: msg, Fixes: fixes,
		Related: []parser.Related{{Src: other.Src, Span: other.LineSpan(), Message: why}}})
}

// walk checks nodes inside a block whose schema is parent; anc holds the
// enclosing nodes, outermost first.
func (c *unitCtx) walk(nodes []*parser.Node, parent *schema.Keyword, anc []*parser.Node) {
	for _, n := range nodes {
		if n.Kind == parser.Include {
			c.walk(n.Children, parent, anc)
			continue
		}
		if n.Schema == nil {
			c.unknownKeyword(n, parent, anc)
			continue
		}
		c.keyword(n, anc)
		if n.Kind == parser.Block {
			c.walk(n.Children, n.Schema, append(anc, n))
			c.blockEnd(n, anc)
		}
	}
}
