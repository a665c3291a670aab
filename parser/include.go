package parser

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
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

// include reads the files an include directive names, in keepalived's order,
// feeding their lines into the current block.
func (b *builder) include(il *includeLine) {
	r := b.rd
	n := &Node{Src: b.src, Kind: Include, Keyword: il.directive, Args: []Token{il.pattern}}
	b.attach(n)
	pattern := il.pattern.Text
	span := il.pattern.Span
	strict := il.directive.Text != "include"
	sev := Warning
	if strict {
		sev = Error
	}
	if pattern == "" {
		b.diag(Error, "include-not-found", il.directive.Span, "include needs a file name or pattern")
		return
	}
	if strings.HasPrefix(pattern, "\"") || strings.HasPrefix(pattern, "'") {
		b.diag(sev, "include-not-found", span, fmt.Sprintf(
			"keepalived does not remove quotes from include paths: it looks for a file literally named %s", pattern))
		return
	}
	if !filepath.IsAbs(pattern) {
		if r.dir == "" {
			b.diag(Information, "include-not-found", span,
				"this relative include cannot be resolved until the file is saved: it is relative to the file's directory")
			return
		}
		pattern = filepath.Join(r.dir, pattern)
	}
	fsys := r.opts.fs()
	var matches []string
	if hasWildcard(il.pattern.Text) {
		m, err := fsys.Glob(pattern)
		if err != nil {
			b.diag(sev, "include-not-found", span, fmt.Sprintf("invalid include pattern: %v", err))
			return
		}
		matches = m
		sort.Strings(matches)
		if len(matches) == 0 {
			if dir := wildcardBase(pattern); dir != "" {
				if _, err := fsys.Stat(dir); err != nil {
					b.diag(sev, "include-not-found", span, fmt.Sprintf("directory '%s' does not exist", dir))
					return
				}
			}
			sevNoMatch := Information
			if d := il.directive.Text; d == "includew" || d == "includea" {
				sevNoMatch = Error
			}
			b.diag(sevNoMatch, "include-no-match", span, fmt.Sprintf("no file matches '%s'", il.pattern.Text))
			return
		}
	} else {
		if _, err := fsys.Stat(pattern); err != nil {
			msg := fmt.Sprintf("included file '%s' does not exist", pattern)
			if !errors.Is(err, fs.ErrNotExist) {
				msg = fmt.Sprintf("cannot read included file '%s': %v", pattern, err)
			}
			b.diag(sev, "include-not-found", span, msg)
			return
		}
		matches = []string{pattern}
	}
	if len(matches) > maxIncludeFiles {
		b.diag(Warning, "include-not-found", span, fmt.Sprintf(
			"'%s' matches %d files; keepalived-ls reads the first %d", il.pattern.Text, len(matches), maxIncludeFiles))
		matches = matches[:maxIncludeFiles]
	}
	b.push(frame{node: n, include: true})
	defer b.pop()
	for _, path := range matches {
		b.includeFile(n, path, span)
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

func (b *builder) includeFile(n *Node, path string, span Span) {
	r := b.rd
	fsys := r.opts.fs()
	path = filepath.Clean(path)
	st, err := fsys.Stat(path)
	switch {
	case err != nil:
		b.diag(Warning, "include-not-found", span, fmt.Sprintf("cannot read included file '%s': %v", path, err))
		return
	case st.IsDir():
		b.diag(Information, "include-skipped", span, fmt.Sprintf("keepalived skips directory '%s'", path))
		return
	case !st.Mode().IsRegular() || st.Mode()&0o111 != 0:
		b.diag(Warning, "include-skipped", span, fmt.Sprintf(
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
		b.diag(Warning, "include-not-found", span, fmt.Sprintf("cannot read included file '%s': %v", path, err))
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
