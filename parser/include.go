package parser

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// FS is where included files are found and read. The language server layers
// its open buffers over the disk.
type FS interface {
	ReadFile(path string) ([]byte, error)
	Stat(path string) (fs.FileInfo, error)
	Glob(pattern string) ([]string, error)
}

// MaxFileSize bounds the size of an included file keepalived-ls reads.
const MaxFileSize = 64 << 20

// Include limits.
const (
	maxIncludeDepth = 32
	maxIncludeFiles = 1000 // per include directive
)

// OSFS reads from the local disk.
type OSFS struct{}

func (OSFS) ReadFile(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.Size() > MaxFileSize {
		return nil, fmt.Errorf("file is %d MB; keepalived-ls reads at most %d MB", st.Size()>>20, MaxFileSize>>20)
	}
	return os.ReadFile(path)
}

func (OSFS) Stat(path string) (fs.FileInfo, error) { return os.Stat(path) }

// Glob matches like glibc's glob() with GLOB_BRACE: *, ?, [...] and {a,b}.
func (OSFS) Glob(pattern string) ([]string, error) {
	return doublestar.FilepathGlob(pattern, doublestar.WithNoFollow())
}

func hasWildcard(p string) bool { return strings.ContainsAny(p, "*?[{") }

// includeFlags are keepalived's strictness classes of include problems:
// an include variant turns the problems of its classes into errors.
type includeFlags struct {
	read     bool // R: unreadable files, directories, executables
	missing  bool // M: missing files or directories
	wildcard bool // W: a wildcard that matches nothing
	brace    bool // B: a missing {a,b} alternative
}

func flagsOf(directive string) includeFlags {
	switch directive {
	case "includer":
		return includeFlags{read: true}
	case "includem":
		return includeFlags{read: true, missing: true}
	case "includew":
		return includeFlags{read: true, missing: true, wildcard: true}
	case "includeb":
		return includeFlags{read: true, brace: true}
	case "includea":
		return includeFlags{read: true, missing: true, wildcard: true, brace: true}
	}
	return includeFlags{}
}

func severity(strict bool, otherwise Severity) Severity {
	if strict {
		return Error
	}
	return otherwise
}

// braceAlternatives expands {a,b} groups of a glob pattern.
func braceAlternatives(p string) []string {
	open := strings.IndexByte(p, '{')
	if open < 0 {
		return []string{p}
	}
	depth, close := 0, -1
	var cuts []int
	for i := open; i < len(p) && close < 0; i++ {
		switch p[i] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				close = i
			}
		case ',':
			if depth == 1 {
				cuts = append(cuts, i)
			}
		}
	}
	if close < 0 {
		return []string{p}
	}
	var out []string
	prev := open + 1
	for _, c := range append(cuts, close) {
		for _, rest := range braceAlternatives(p[close+1:]) {
			out = append(out, p[:open]+p[prev:c]+rest)
		}
		prev = c + 1
	}
	return out
}

// includeRoot returns the first of roots in which a relative include
// pattern matches a file, or "".
func includeRoot(fsys FS, roots []string, pattern string) string {
	for _, root := range roots {
		for _, alt := range braceAlternatives(filepath.Join(root, pattern)) {
			if hasWildcard(alt) {
				if m, err := fsys.Glob(alt); err == nil && len(m) > 0 {
					return root
				}
				continue
			}
			if _, err := fsys.Stat(alt); err == nil {
				return root
			}
		}
	}
	return ""
}

// include reads the files an include directive names, in keepalived's order,
// feeding their lines into the current block.
func (b *builder) include(il *includeLine) {
	r := b.rd
	n := &Node{Src: b.src, Kind: Include, Keyword: il.directive, Args: []Token{il.pattern}}
	b.attach(n)
	pattern := il.pattern.Text
	span := il.pattern.Span
	fl := flagsOf(il.directive.Text)
	hasBrace := strings.Contains(pattern, "{")
	missingSev := severity(hasBrace && fl.brace || !hasBrace && fl.missing, Warning)
	if pattern == "" {
		b.diag(Error, "include-not-found", il.directive.Span, "include needs a file name or pattern")
		return
	}
	if strings.HasPrefix(pattern, "\"") || strings.HasPrefix(pattern, "'") {
		b.diag(missingSev, "include-not-found", span, fmt.Sprintf(
			"keepalived does not remove quotes from include paths: it looks for a file literally named %s", pattern))
		return
	}
	fsys := r.opts.fs()
	if !filepath.IsAbs(pattern) {
		dir := r.dir
		if dir == "" {
			dir = includeRoot(fsys, r.opts.IncludeRoots, pattern)
		}
		if dir == "" {
			msg := "this relative include cannot be resolved until the file is saved: it is relative to the file's directory"
			if len(r.opts.IncludeRoots) > 0 {
				msg = fmt.Sprintf("this relative include matches nothing in the include roots (%s); it is relative to the file's directory once saved", strings.Join(r.opts.IncludeRoots, ", "))
			}
			b.diag(Information, "include-not-found", span, msg)
			return
		}
		pattern = filepath.Join(dir, pattern)
	}
	var matches []string
	missing := 0 // alternatives or directories that do not exist
	missingDir := ""
	for _, alt := range braceAlternatives(pattern) {
		if hasWildcard(alt) {
			m, err := fsys.Glob(alt)
			if err != nil {
				b.diag(missingSev, "include-not-found", span, fmt.Sprintf("invalid include pattern: %v", err))
				return
			}
			if len(m) == 0 {
				if dir := wildcardBase(alt); dir != "" {
					if _, err := fsys.Stat(dir); err != nil {
						missing++
						if missingDir == "" {
							missingDir = dir
						}
					}
				}
			}
			matches = append(matches, m...)
			continue
		}
		if _, err := fsys.Stat(alt); err != nil {
			missing++
			continue
		}
		matches = append(matches, alt)
	}
	sort.Strings(matches)
	matches = slices.Compact(matches)
	switch {
	case len(matches) == 0 && missing > 0:
		msg := fmt.Sprintf("included file '%s' does not exist", pattern)
		if missingDir != "" {
			msg = fmt.Sprintf("directory '%s' does not exist", missingDir)
		} else if hasWildcard(il.pattern.Text) {
			msg = fmt.Sprintf("nothing matches '%s': a file in it does not exist", il.pattern.Text)
		}
		b.diag(missingSev, "include-not-found", span, msg)
		return
	case len(matches) == 0:
		b.diag(severity(fl.wildcard, Information), "include-no-match", span, fmt.Sprintf("no file matches '%s'", il.pattern.Text))
		return
	case missing > 0:
		b.diag(severity(fl.brace, Warning), "include-not-found", span, fmt.Sprintf(
			"some alternatives of '%s' match no file", il.pattern.Text))
		if fl.brace {
			return // keepalived then reads none of the files
		}
	}
	if len(matches) > maxIncludeFiles {
		b.diag(Warning, "include-not-found", span, fmt.Sprintf(
			"'%s' matches %d files; keepalived-ls reads the first %d", il.pattern.Text, len(matches), maxIncludeFiles))
		matches = matches[:maxIncludeFiles]
	}
	b.push(frame{node: n, include: true})
	defer b.pop()
	for _, path := range matches {
		b.includeFile(n, path, span, fl)
	}
}

// wildcardBase returns the directory part of a pattern before its first
// wildcard, when that part has no wildcard itself.
func wildcardBase(pattern string) string {
	i := strings.IndexAny(pattern, "*?[{")
	if i < 0 {
		return ""
	}
	return filepath.Dir(pattern[:i] + "x")
}

func (b *builder) includeFile(n *Node, path string, span Span, fl includeFlags) {
	r := b.rd
	fsys := r.opts.fs()
	path = filepath.Clean(path)
	st, err := fsys.Stat(path)
	switch {
	case err != nil:
		b.diag(severity(fl.read, Warning), "include-not-found", span, fmt.Sprintf("cannot read included file '%s': %v", path, err))
		return
	case st.IsDir():
		b.diag(severity(fl.read, Information), "include-skipped", span, fmt.Sprintf("keepalived skips directory '%s'", path))
		return
	case !st.Mode().IsRegular() || st.Mode()&0o111 != 0:
		b.diag(severity(fl.read, Warning), "include-skipped", span, fmt.Sprintf(
			"keepalived skips '%s': it only reads regular files that are not executable", path))
		return
	}
	for i, p := range b.includeStack {
		if p == path {
			chain := append(append([]string{}, b.includeStack[i:]...), path)
			for k := range chain {
				chain[k] = filepath.Base(chain[k])
			}
			b.diag(Error, "include-cycle", span, fmt.Sprintf(
				"include cycle: %s (keepalived would loop until it runs out of file handles)", strings.Join(chain, " → ")))
			return
		}
	}
	if len(b.includeStack) >= maxIncludeDepth {
		b.diag(Error, "include-cycle", span, fmt.Sprintf("includes nest more than %d levels deep", maxIncludeDepth))
		return
	}
	text, err := fsys.ReadFile(path)
	if err != nil {
		b.diag(severity(fl.read, Warning), "include-not-found", span, fmt.Sprintf("cannot read included file '%s': %v", path, err))
		return
	}
	src := NewSource(path, text)
	if n.ext == nil {
		n.ext = &nodeExt{}
	}
	n.ext.files = append(n.ext.files, &IncludedFile{Source: src})
	b.includes = append(b.includes, path)

	// Read the file in the current block, as keepalived does, but keep its
	// braces to itself.
	savedSrc, savedDir, savedFloor, savedDepth := b.src, r.dir, b.floor, b.rawDepth
	savedSrcR := r.src
	b.includeStack = append(b.includeStack, path)
	b.src, r.src, r.dir = src, src, filepath.Dir(path)
	b.floor, b.rawDepth = len(b.stack), 0
	for i := 0; i < src.LineCount(); i++ {
		r.physLine(src.Line(i), int32(i))
	}
	r.openDef = ""
	b.closeAll(b.floor)
	b.includeStack = b.includeStack[:len(b.includeStack)-1]
	b.src, r.src, r.dir = savedSrc, savedSrcR, savedDir
	b.floor, b.rawDepth = savedFloor, savedDepth
}
