package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/keepalived-ls/keepalived-ls/analysis"
	"github.com/keepalived-ls/keepalived-ls/analysis/cluster"
	"github.com/keepalived-ls/keepalived-ls/internal/project"
	"github.com/keepalived-ls/keepalived-ls/parser"
)

// clusterFiles returns the files of check --cluster: those given, or else
// the [cluster] peers of the project file (--config, or the nearest one
// above the working directory), shown relative to the working directory.
func clusterFiles(args []string, projectFile string) ([]string, error) {
	files := args
	if len(files) == 0 {
		path := projectFile
		if path == "" {
			wd, err := os.Getwd()
			if err != nil {
				return nil, err
			}
			if path, err = project.Find(wd); err != nil {
				return nil, err
			}
		}
		if path == "" {
			return nil, errors.New("no files given, and no " + project.FileName + " with [cluster] peers found")
		}
		st, err := project.LoadFile(path)
		if err != nil {
			return nil, err
		}
		if len(st.Cluster.Peers) == 0 {
			return nil, fmt.Errorf("no files given, and %s has no [cluster] peers", path)
		}
		abs, err := project.ExpandPeers(st.Cluster.Peers)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		files = nil
		for _, f := range abs {
			files = append(files, displayPath(f))
		}
	}
	for _, f := range files {
		if f == "-" {
			return nil, errors.New("standard input cannot be a cluster host: give the files")
		}
	}
	if len(files) < 2 {
		return nil, fmt.Errorf("a cluster needs at least two files to compare, got %d", len(files))
	}
	return files, nil
}

// checkCluster checks files as the hosts of one cluster: each on its own,
// as check does, and the cluster rules across them. Each file uses the
// settings of its own project file (or --config) for both. It returns the
// findings and 2 if a file could not be read.
func checkCluster(names []string, setups *setups, ka *keepalivedRunner, stderr io.Writer) ([]finding, int) {
	type hostFile struct {
		name, path string
		text       []byte
		setup      *checkSetup
		doc        *parser.Doc
	}
	status := 0
	var files []hostFile
	for _, name := range names {
		text, path, err := readInput(name, nil)
		if err == nil {
			var setup *checkSetup
			if setup, err = setups.forFile(inputDir(name, path)); err == nil {
				opts := parser.Options{ConfigID: setup.configID, Version: setup.cfg.Target}
				files = append(files, hostFile{name, path, text, setup, parser.Parse(path, text, opts)})
				continue
			}
		}
		fmt.Fprintf(stderr, "keepalived-ls check: %v\n", err)
		status = 2
	}
	hosts := make([]cluster.Host, len(files))
	for i, f := range files {
		hosts[i] = cluster.Host{Name: f.name, Doc: f.doc}
	}
	extra := cluster.Check(hosts)
	var all []finding
	seen := map[finding]bool{}
	for i, f := range files {
		c := f.setup.checker
		diags := c.CheckWith(f.doc, ka.external(f.name, f.path, f.text, f.setup.configID))
		diags = append(diags, c.FinishExtra(f.doc, extra[i])...)
		analysis.SortDiagnostics(diags)
		for _, d := range diags {
			fd := resolve(f.doc.Line, f.name, d)
			if seen[fd.key()] {
				continue
			}
			seen[fd.key()] = true
			all = append(all, fd)
		}
	}
	return all, status
}
