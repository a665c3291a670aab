package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/keepalived-ls/keepalived-ls/analysis/expand"
	"github.com/keepalived-ls/keepalived-ls/internal/project"
	"github.com/keepalived-ls/keepalived-ls/parser"
	"github.com/keepalived-ls/keepalived-ls/parser/schema"
)

// runExpand prints the configuration keepalived reads from a file.
func runExpand(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("expand", flag.ContinueOnError)
	fs.SetOutput(stderr)
	configID := fs.String("config-id", "", "config id for @ID lines (keepalived -i)")
	instance := fs.String("instance", "", "same as --config-id")
	host := fs.String("host", "", "resolve @ID lines as keepalived does on this host: its name up to the first '.'")
	target := fs.String("target-version", "", "keepalived version whose reader to follow (default: newest)")
	comments := fs.Bool("comments", false, "keep whole-line comments")
	noMarkers := fs.Bool("no-markers", false, "leave out the '# from FILE:LINE' lines")
	projectFile := fs.String("config", "", "project file to use instead of the nearest "+project.FileName)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "keepalived-ls expand: give one file (- reads stdin)")
		return 2
	}
	ids := 0
	for _, f := range []string{"config-id", "instance", "host"} {
		if set[f] {
			ids++
		}
	}
	if ids > 1 {
		fmt.Fprintln(stderr, "keepalived-ls expand: --config-id, --instance and --host are alternatives; give one")
		return 2
	}
	v, err := schema.ParseVersion(*target)
	if err != nil {
		fmt.Fprintf(stderr, "keepalived-ls expand: %v\n", err)
		return 2
	}
	name := fs.Arg(0)
	text, path, err := readInput(name, stdin)
	if err != nil {
		fmt.Fprintf(stderr, "keepalived-ls expand: %v\n", err)
		return 2
	}
	// The project file supplies the config id and version unless given.
	var ps project.Settings
	pf := *projectFile
	if pf == "" {
		pf, _ = project.Find(inputDir(name, path))
	}
	if pf != "" {
		if ps, err = project.LoadFile(pf); err != nil {
			fmt.Fprintf(stderr, "keepalived-ls expand: %v\n", err)
			return 2
		}
	}
	opts := parser.Options{ConfigID: ps.ConfigID, Version: v}
	if !set["target-version"] && ps.TargetVersion != "" {
		if pv, err := schema.ParseVersion(ps.TargetVersion); err == nil {
			opts.Version = pv
		}
	}
	switch {
	case set["config-id"]:
		opts.ConfigID = *configID
	case set["instance"]:
		opts.ConfigID = *instance
	case set["host"]:
		opts.ConfigID, _, _ = strings.Cut(*host, ".")
	}
	if name == "-" {
		if wd, err := os.Getwd(); err == nil {
			opts.Dir = wd
		}
	}
	d := parser.Parse(path, text, opts)
	if err := expand.Write(stdout, d, expand.Options{Comments: *comments, NoMarkers: *noMarkers}); err != nil {
		fmt.Fprintf(stderr, "keepalived-ls expand: %v\n", err)
		return 2
	}
	return 0
}
