package parser

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
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

// Include limits. keepalived has none of them (it loops on an include cycle
// until it runs out of file descriptors); they keep hostile or broken
// configurations from making keepalived-ls read without end. The read
// budgets apply per top-level statement (a unit), which keeps units
// independent for incremental reparsing. docs/limits.md lists every limit
// with its diagnostic.
const (
	maxIncludeDepth      = 32
	maxIncludeFiles      = 1000      // per include directive
	maxBraceAlternatives = 1000      // patterns one include's {a,b} groups expand to
	maxIncludeReads      = 10000     // files read (or refused as a cycle) per top-level statement
	maxIncludeBytes      = 256 << 20 // bytes read through includes per top-level statement
)

// OSFS reads from the local disk.
type OSFS struct{}

// ReadFile reads a regular file of at most MaxFileSize bytes. Anything else
// (a FIFO, a device such as /dev/zero, a socket, a directory) is refused
// without reading from it: the file is opened non-blocking, so that opening
// a FIFO without a writer cannot hang, and checked again once open, so that
// a file replaced after the Stat cannot slip through.
func (OSFS) ReadFile(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if err := readable(st); err != nil {
		return nil, err
	}
	f, err := openNonBlocking(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err = f.Stat(); err != nil {
		return nil, err
	}
	if err := readable(st); err != nil {
		return nil, err
	}
	b := make([]byte, 0, st.Size()+1)
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)] // grow: the file may have grown
		}
		n, err := f.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if len(b) > MaxFileSize {
			return nil, tooLarge(int64(len(b)))
		}
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// ReadLocal reads a file from the disk as OSFS.ReadFile does (regular
// files only, never blocking on a FIFO or a device); its errors always name
// the file.
func ReadLocal(path string) ([]byte, error) {
	b, err := OSFS{}.ReadFile(path)
	var pathErr *fs.PathError
	if err != nil && !errors.As(err, &pathErr) {
		err = fmt.Errorf("%s: %w", path, err)
	}
	return b, err
}

// readable refuses what OSFS.ReadFile does not read.
func readable(st fs.FileInfo) error {
	switch {
	case st.IsDir():
		return fmt.Errorf("is a directory")
	case !st.Mode().IsRegular():
		return fmt.Errorf("not a regular file (%s): keepalived-ls only reads regular files", fileType(st.Mode()))
	case st.Size() > MaxFileSize:
		return tooLarge(st.Size())
	}
	return nil
}

func tooLarge(size int64) error {
	return fmt.Errorf("file is %d MB; keepalived-ls reads at most %d MB", size>>20, MaxFileSize>>20)
}

// fileType names the type of a file that is not regular.
func fileType(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDir != 0:
		return "a directory"
	}
	return "not a regular file"
}

func (OSFS) Stat(path string) (fs.FileInfo, error) { return os.Stat(path) }

// Glob matches like glibc's glob() with GLOB_BRACE: *, ?, [...] and {a,b}.
// glibc has no recursive "**": it means "*", and so it does here (a
// recursive "**" would walk a whole file tree for "include /**"). As in
// glibc, a wildcard at the start of a name does not match a leading dot
// (conf.d/*.conf skips editors' .#keepalived.conf lock files), and
// symbolic links to directories are followed: a link that loops back is
// walked once per wildcard of the pattern, no more. A pattern whose
// wildcards make Glob look at more than maxGlobEntries directory entries
// ("include /*/*/*/*/*/*/*/*") stops there: Glob returns what matched so far
// with ErrGlobLimit.
func (OSFS) Glob(pattern string) ([]string, error) {
	pattern = noGlobstar(pattern)
	base, rest := doublestar.SplitPattern(filepath.ToSlash(filepath.Clean(pattern)))
	if rest == "" || rest == "." || rest == ".." || !hasWildcard(rest) {
		return doublestar.FilepathGlob(pattern, doublestar.WithNoHidden())
	}
	gfs := &globFS{FS: os.DirFS(base)}
	matches, err := doublestar.Glob(gfs, rest, doublestar.WithNoHidden())
	if err != nil {
		return nil, err
	}
	for i := range matches {
		matches[i] = filepath.FromSlash(path.Join(base, matches[i]))
	}
	if gfs.entries > maxGlobEntries {
		return matches, ErrGlobLimit
	}
	return matches, nil
}

// maxGlobEntries bounds the directory entries one Glob looks at (a
// variable for tests).
var maxGlobEntries = 100000

// ErrGlobLimit is returned with the matches found so far when a pattern
// makes Glob look at more than 100,000 directory entries.
var ErrGlobLimit = errors.New("the pattern's wildcards reach more than 100000 directory entries")

// globFS counts what a Glob looks at and fails once it is over the limit
// (doublestar then skips the rest, as it does with unreadable directories).
type globFS struct {
	fs.FS
	entries int
}

func (g *globFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if g.entries > maxGlobEntries {
		return nil, ErrGlobLimit
	}
	ents, err := fs.ReadDir(g.FS, name)
	g.entries += len(ents) + 1
	return ents, err
}

func (g *globFS) Stat(name string) (fs.FileInfo, error) {
	if g.entries > maxGlobEntries {
		return nil, ErrGlobLimit
	}
	g.entries++
	return fs.Stat(g.FS, name)
}

// noGlobstar collapses runs of unescaped '*' into one.
func noGlobstar(p string) string {
	if !strings.Contains(p, "**") {
		return p
	}
	out := make([]byte, 0, len(p))
	star := false // the last byte written is an unescaped '*'
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '\\' && i+1 < len(p):
			out = append(out, c, p[i+1])
			i++
			star = false
		case c == '*':
			if !star {
				out = append(out, c)
			}
			star = true
		default:
			out = append(out, c)
			star = false
		}
	}
	return string(out)
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

func (f includeFlags) or(g includeFlags) includeFlags {
	return includeFlags{f.read || g.read, f.missing || g.missing, f.wildcard || g.wildcard, f.brace || g.brace}
}

// includeCheckKey holds global_defs include_check among the $NAME
// definitions, which carry reader state from one top-level statement to
// the next (and so into incremental reparsing). No $NAME can contain NUL.
const includeCheckKey = "\x00include_check"

// includeCheck returns the include_check classes in force.
func (r *reader) includeCheck() includeFlags {
	v, _ := r.defs.get(includeCheckKey)
	return includeFlags{strings.Contains(v, "R"), strings.Contains(v, "M"), strings.Contains(v, "W"), strings.Contains(v, "B")}
}

func (r *reader) setIncludeCheck(f includeFlags) {
	v := ""
	for _, c := range []struct {
		on bool
		s  string
	}{{f.read, "R"}, {f.missing, "M"}, {f.wildcard, "W"}, {f.brace, "B"}} {
		if c.on {
			v += c.s
		}
	}
	if old, _ := r.defs.get(includeCheckKey); old != v {
		r.defs = r.defs.with(includeCheckKey, v)
	}
}

// includeCheckSet applies a global_defs include_check line, as keepalived
// does: no argument turns every class on; a first plain word sets "read"
// and that class; +class and -class add and remove one. Unknown words and
// a second plain word are ignored (the argument checks report them).
func (r *reader) includeCheckSet(args []Token) {
	if len(args) == 0 {
		r.setIncludeCheck(includeFlags{true, true, true, true})
		return
	}
	f := r.includeCheck()
	for i, a := range args {
		word, op := a.Text, byte(0)
		if word != "" && (word[0] == '+' || word[0] == '-') {
			word, op = word[1:], word[0]
		} else if i > 0 {
			continue
		}
		var c includeFlags
		switch word {
		case "read":
			c.read = true
		case "match":
			c.missing = true
		case "wildcard_match":
			c.wildcard = true
		case "brace_match":
			c.brace = true
		default:
			continue
		}
		switch op {
		case '+':
			f = f.or(c)
		case '-':
			f = includeFlags{f.read && !c.read, f.missing && !c.missing, f.wildcard && !c.wildcard, f.brace && !c.brace}
		default:
			f = c.or(includeFlags{read: true})
		}
	}
	r.setIncludeCheck(f)
}

func severity(strict bool, otherwise Severity) Severity {
	if strict {
		return Error
	}
	return otherwise
}

// braceAlternatives expands {a,b} groups of a glob pattern, like glibc's
// GLOB_BRACE. The number of alternatives multiplies with each group, so the
// expansion stops after maxBraceAlternatives+1 patterns: callers report a
// pattern with more.
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
	rests := braceAlternatives(p[close+1:]) // once: every alternative shares them
	var out []string
	prev := open + 1
	for _, c := range append(cuts, close) {
		for _, mid := range braceAlternatives(p[prev:c]) { // nested groups
			for _, rest := range rests {
				if len(out) > maxBraceAlternatives {
					return out
				}
				out = append(out, p[:open]+mid+rest)
			}
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
	fl := flagsOf(il.directive.Text).or(r.includeCheck())
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
	alts := braceAlternatives(pattern)
	if len(alts) > maxBraceAlternatives {
		b.diag(severity(fl.brace, Warning), "include-not-found", span, fmt.Sprintf(
			"the {a,b} groups of '%s' make more than %d patterns; keepalived-ls reads the first %d", il.pattern.Text, maxBraceAlternatives, maxBraceAlternatives))
		alts = alts[:maxBraceAlternatives]
	}
	var matches []string
	missing := 0 // alternatives or directories that do not exist
	missingDir := ""
	globLimited := false
	for _, alt := range alts {
		if hasWildcard(alt) {
			m, err := fsys.Glob(alt)
			switch {
			case errors.Is(err, ErrGlobLimit):
				if !globLimited {
					globLimited = true
					b.diag(Warning, "include-not-found", span, fmt.Sprintf(
						"the wildcards of '%s' reach more than %d directory entries; keepalived-ls reads only what matched up to there", il.pattern.Text, maxGlobEntries))
				}
			case err != nil:
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
		if _, err := fsys.Stat(alt); errors.Is(err, fs.ErrNotExist) {
			missing++
			continue
		}
		// Other errors (a symbolic link loop, no permission): includeFile
		// says why the file cannot be read.
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
	// Files that include each other through wildcards, or a file included
	// twice at every level, multiply the reads exponentially: bound them.
	if b.includeReads >= maxIncludeReads || b.includeBytes > maxIncludeBytes {
		if !b.includeOver {
			b.includeOver = true
			b.diag(Error, "include-cycle", span, fmt.Sprintf(
				"this statement reads more than %d files or %d MB through its includes; keepalived-ls reads no more (do files include each other through a wildcard?)",
				maxIncludeReads, maxIncludeBytes>>20))
		}
		return
	}
	b.includeReads++
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
	b.includeBytes += len(text)
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
	savedLine, fedBefore := r.saveLine(), r.totalFed
	b.includeStack = append(b.includeStack, path)
	savedCheck := r.includeCheck() // keepalived restores include_check after each file
	b.src, r.src, r.dir = src, src, filepath.Dir(path)
	b.floor, b.rawDepth = len(b.stack), 0
	for i := 0; i < src.LineCount(); i++ {
		r.physLine(src.Line(i), int32(i))
	}
	r.openDef = ""
	b.closeAll(b.floor)
	r.setIncludeCheck(savedCheck)
	b.includeStack = b.includeStack[:len(b.includeStack)-1]
	b.src, r.src, r.dir = savedSrc, savedSrcR, savedDir
	b.floor, b.rawDepth = savedFloor, savedDepth
	// The including line goes on with its own state. What a generated
	// include read counts against that line's budget: the lines of a file
	// included by each of 10000 generated lines would multiply.
	r.restoreLine(savedLine)
	if r.generating > 0 {
		r.fed += r.totalFed - fedBefore
	}
}
