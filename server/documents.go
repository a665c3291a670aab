package server

import (
	"io/fs"
	"path/filepath"
	"strings"

	"go.lsp.dev/uri"

	"github.com/keepalived-ls/keepalived-ls/parser"
)

// document is one open editor buffer. Values are immutable: a change
// replaces the whole struct, so readers can hold a snapshot without locks.
type document struct {
	uri     uri.URI
	key     string
	path    string // file system path; "" for non-file URIs
	version int32
	doc     *parser.Doc
}

// docKey identifies a document: the cleaned path of a file URI, or the URI
// itself (untitled:, etc.).
func docKey(u uri.URI) (key, path string) {
	if u.IsFile() {
		p := filepath.Clean(u.FsPath())
		return p, p
	}
	return string(u), ""
}

// fileURI returns the URI for a path read through an include.
func fileURI(path string) uri.URI { return uri.File(path) }

// overlay reads open buffers in place of their files on disk.
type overlay struct {
	s *Server
}

func (o overlay) ReadFile(path string) ([]byte, error) {
	o.s.mu.Lock()
	d := o.s.docs[filepath.Clean(path)]
	o.s.mu.Unlock()
	if d != nil {
		return d.doc.Text(), nil
	}
	return parser.OSFS{}.ReadFile(path)
}

func (o overlay) Stat(path string) (fs.FileInfo, error) { return parser.OSFS{}.Stat(path) }

func (o overlay) Glob(pattern string) ([]string, error) { return parser.OSFS{}.Glob(pattern) }

// parseOptions are the parser options for a document under the current
// settings.
func (s *Server) parseOptions(path string) parser.Options {
	st, roots := s.docSettings(path)
	cfg, _ := st.config()
	// A document without a path (untitled:) has no directory: its relative
	// includes cannot be resolved (keepalived resolves them against the
	// including file's directory, not the workspace), unless the project
	// file names include roots to try.
	opts := parser.Options{ConfigID: st.ConfigID, Version: cfg.Target, FS: overlay{s}}
	if path == "" {
		opts.IncludeRoots = roots
	}
	return opts
}

// docName is the name the parser gets for a document.
func docName(d *document) string {
	if d.path != "" {
		return d.path
	}
	return string(d.uri)
}

// includes reports whether a root document read the file at key.
func includes(root *document, key string) bool {
	for _, f := range root.doc.IncludedFiles() {
		if f == key {
			return true
		}
	}
	return false
}

func isUnder(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && !strings.HasPrefix(rel, "..")
}
