package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/keepalived-ls/keepalived-ls/analysis"
	"github.com/keepalived-ls/keepalived-ls/internal/keepalivedcheck"
	"github.com/keepalived-ls/keepalived-ls/internal/project"
	"github.com/keepalived-ls/keepalived-ls/parser"
	"github.com/keepalived-ls/keepalived-ls/parser/schema"
)

// checkFlags are the settings given on the command line; they win over the
// project file's.
type checkFlags struct {
	target      schema.Version
	targetSet   bool
	configID    string
	configIDSet bool
	rules       [][2]string // RULE, VALUE in order
	projectFile string      // --config
}

// checkSetup is how the files under one project file are checked.
type checkSetup struct {
	checker  *analysis.Checker
	cfg      analysis.Config
	configID string
	project  string // the project file ("" none)
}

// setups finds and caches the setup of each file: the project file named
// by --config, or else the nearest one above the file.
type setups struct {
	flags     checkFlags
	byProject map[string]*checkSetup
	byDir     map[string]string // directory -> project file found from it
}

func newSetups(flags checkFlags) *setups {
	return &setups{flags: flags, byProject: map[string]*checkSetup{}, byDir: map[string]string{}}
}

// forFile returns the setup of a file read from dir.
func (s *setups) forFile(dir string) (*checkSetup, error) {
	path := s.flags.projectFile
	if path == "" {
		p, ok := s.byDir[dir]
		if !ok {
			var err error
			if p, err = project.Find(dir); err != nil {
				return nil, err
			}
			s.byDir[dir] = p
		}
		path = p
	}
	if st, ok := s.byProject[path]; ok {
		return st, nil
	}
	var ps project.Settings
	if path != "" {
		var err error
		if ps, err = project.LoadFile(path); err != nil {
			return nil, err
		}
	}
	var cfg analysis.Config
	ps.Apply(&cfg)
	configID := ps.ConfigID
	if s.flags.targetSet {
		cfg.Target = s.flags.target
	}
	if s.flags.configIDSet {
		configID = s.flags.configID
	}
	for _, r := range s.flags.rules {
		if err := cfg.SetRule(r[0], r[1]); err != nil {
			return nil, err // validated before: not reached
		}
	}
	st := &checkSetup{checker: analysis.NewChecker(cfg), cfg: cfg, configID: configID, project: path}
	s.byProject[path] = st
	return st, nil
}

// keepalivedRunner runs keepalived -t for --with-keepalived, once it is
// known to be installed.
type keepalivedRunner struct {
	enabled bool
	bin     string
	warned  bool
	stderr  io.Writer
}

// external returns keepalived's messages about a saved file as diagnostics
// for CheckTextWith, or nil when keepalived does not run.
func (k *keepalivedRunner) external(name, path string, text []byte, configID string) []parser.Diagnostic {
	if !k.enabled || name == "-" {
		return nil // never for standard input: keepalived reads the disk
	}
	if k.bin == "" {
		k.bin = keepalivedcheck.Find()
	}
	if k.bin == "" {
		if !k.warned {
			fmt.Fprintln(k.stderr, "keepalived-ls check: --with-keepalived: keepalived is not installed; checking without it")
			k.warned = true
		}
		return nil
	}
	msgs, err := keepalivedcheck.Run(context.Background(), k.bin, path, configID, 0)
	if err != nil {
		fmt.Fprintf(k.stderr, "keepalived-ls check: %s: keepalived -t: %v\n", name, err)
		return nil
	}
	src := parser.NewSource(path, text)
	return keepalivedcheck.Diagnostics(msgs, path, src.Line, nil)
}

// inputDir is the directory a file's project file is searched from.
func inputDir(name, path string) string {
	if name == "-" {
		if wd, err := os.Getwd(); err == nil {
			return wd
		}
		return "."
	}
	return filepath.Dir(path)
}
