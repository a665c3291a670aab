package analysis

import "github.com/keepalived-ls/keepalived-ls/parser"

// mergeExternal adds diagnostics from outside keepalived-ls, except those on
// a line of a file where keepalived-ls already reports something.
func mergeExternal(ours, external []parser.Diagnostic) []parser.Diagnostic {
	if len(external) == 0 {
		return ours
	}
	type fileLine struct {
		path string
		line int32
	}
	path := func(d parser.Diagnostic) string {
		if d.Src == nil {
			return ""
		}
		return d.Src.Path
	}
	covered := map[fileLine]bool{}
	for _, d := range ours {
		for l := d.Span.Start.Line; l <= d.Span.End.Line; l++ {
			covered[fileLine{path(d), l}] = true
		}
	}
	for _, d := range external {
		if !covered[fileLine{path(d), d.Span.Start.Line}] {
			ours = append(ours, d)
		}
	}
	return ours
}
