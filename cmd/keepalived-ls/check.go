package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/keepalived-ls/keepalived-ls/analysis"
	"github.com/keepalived-ls/keepalived-ls/internal/project"
	"github.com/keepalived-ls/keepalived-ls/parser"
	"github.com/keepalived-ls/keepalived-ls/parser/schema"
)

// finding is one diagnostic resolved to a file and 1-based positions.
// Columns count characters (Unicode code points); col16 counts UTF-16 units
// for SARIF.
type finding struct {
	File      string `json:"file"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	EndLine   int    `json:"endLine"`
	EndColumn int    `json:"endColumn"`
	Severity  string `json:"severity"`
	Rule      string `json:"rule"`
	Message   string `json:"message"`

	col16, endCol16 int
	sev             parser.Severity
	related         *[]relatedLoc // for SARIF's relatedLocations (not in the JSON)
}

// relatedLoc is a related location of a finding, resolved like the finding.
type relatedLoc struct {
	file              string
	line, col16       int
	endLine, endCol16 int
	message           string
}

// key is the finding without its related locations, for removing repeats
// (a file included by several checked files).
func (f finding) key() finding {
	f.related = nil
	return f
}

type ruleFlags []string

func (r *ruleFlags) String() string     { return strings.Join(*r, ",") }
func (r *ruleFlags) Set(v string) error { *r = append(*r, v); return nil }

func runCheck(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "text", "output format: text, json or sarif")
	target := fs.String("target-version", "", "keepalived version to check against (default: newest)")
	configID := fs.String("config-id", "", "config id for @ID lines (keepalived -i)")
	var rules ruleFlags
	fs.Var(&rules, "rule", "RULE=SEVERITY or RULE=off (repeatable)")
	projectFile := fs.String("config", "", "project file to use instead of the nearest "+project.FileName)
	withKeepalived := fs.Bool("with-keepalived", false, "also run keepalived -t on each file and show its messages")
	cluster := fs.Bool("cluster", false, "check the files as the hosts of one cluster, also against each other (no files: the project file's [cluster] peers)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if fs.NArg() == 0 && !*cluster {
		fmt.Fprintln(stderr, "keepalived-ls check: no files given (use - for stdin)")
		return 2
	}
	switch *format {
	case "text", "json", "sarif":
	default:
		fmt.Fprintf(stderr, "keepalived-ls check: unknown format %q (text, json or sarif)\n", *format)
		return 2
	}
	flags := checkFlags{configID: *configID, configIDSet: set["config-id"], targetSet: set["target-version"]}
	if *projectFile != "" {
		abs, err := filepath.Abs(*projectFile)
		if err == nil {
			_, err = project.LoadFile(abs)
		}
		if err != nil {
			fmt.Fprintf(stderr, "keepalived-ls check: --config: %v\n", err)
			return 2
		}
		flags.projectFile = abs
	}
	var cfg analysis.Config
	v, err := schema.ParseVersion(*target)
	if err == nil && !v.IsNewest() && v.Less(schema.OldestKnown) {
		err = fmt.Errorf("keepalived-ls knows keepalived %s to %s; %s is older", schema.OldestKnown, schema.NewestRelease, v)
	}
	if err != nil {
		fmt.Fprintf(stderr, "keepalived-ls check: %v\n", err)
		return 2
	}
	cfg.Target = v
	flags.target = v
	for _, r := range rules {
		id, val, ok := strings.Cut(r, "=")
		if !ok {
			fmt.Fprintf(stderr, "keepalived-ls check: --rule %q: want RULE=SEVERITY or RULE=off\n", r)
			return 2
		}
		if err := cfg.SetRule(id, val); err != nil {
			fmt.Fprintf(stderr, "keepalived-ls check: %v\n", err)
			return 2
		}
		flags.rules = append(flags.rules, [2]string{id, val})
	}
	// check streams the file through the analysis, so its live heap stays a
	// few MB: a lazy collector costs little memory and saves time. The soft
	// limit makes it collect in time on pathological files (a problem on
	// every one of millions of lines). GOGC and GOMEMLIMIT set in the
	// environment win.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(1000)
		if os.Getenv("GOMEMLIMIT") == "" {
			debug.SetMemoryLimit(256 << 20)
		}
	}
	setups := newSetups(flags)
	ka := &keepalivedRunner{enabled: *withKeepalived, stderr: stderr}
	status := 0
	var all []finding
	seen := map[finding]bool{}
	names := fs.Args()
	if *cluster {
		files, err := clusterFiles(names, flags.projectFile)
		if err != nil {
			fmt.Fprintf(stderr, "keepalived-ls check: --cluster: %v\n", err)
			return 2
		}
		all, status = checkCluster(files, setups, ka, stderr)
		names = nil // checked as a cluster
	}
	for _, name := range names {
		text, path, err := readInput(name, stdin)
		if err != nil {
			fmt.Fprintf(stderr, "keepalived-ls check: %v\n", err)
			status = 2
			continue
		}
		setup, err := setups.forFile(inputDir(name, path))
		if err != nil {
			fmt.Fprintf(stderr, "keepalived-ls check: %v\n", err)
			status = 2
			continue
		}
		opts := parser.Options{ConfigID: setup.configID, Version: setup.cfg.Target}
		if name == "-" {
			if wd, err := os.Getwd(); err == nil {
				opts.Dir = wd
			}
		}
		lines := newLineIndex(text)
		external := ka.external(name, path, text, setup.configID)
		for _, d := range setup.checker.CheckTextWith(path, text, opts, external) {
			f := resolve(lines.line, name, d)
			if seen[f.key()] {
				continue
			}
			seen[f.key()] = true
			all = append(all, f)
		}
	}
	switch *format {
	case "text":
		for _, f := range all {
			fmt.Fprintf(stdout, "%s:%d:%d: %s: %s [%s]\n", f.File, f.Line, f.Column, f.Severity, f.Message, f.Rule)
		}
	case "json":
		if all == nil {
			all = []finding{}
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(all); err != nil {
			fmt.Fprintf(stderr, "keepalived-ls check: %v\n", err)
			return 2
		}
	case "sarif":
		if err := writeSARIF(stdout, all); err != nil {
			fmt.Fprintf(stderr, "keepalived-ls check: %v\n", err)
			return 2
		}
	}
	if status != 0 {
		return status
	}
	for _, f := range all {
		if f.sev == parser.Error {
			return 1
		}
	}
	return 0
}

// readInput reads a file, or stdin for "-". The returned path is absolute
// so that relative includes resolve against the file's directory.
func readInput(name string, stdin io.Reader) ([]byte, string, error) {
	if name == "-" {
		b, err := io.ReadAll(io.LimitReader(stdin, parser.MaxFileSize+1))
		if err != nil {
			return nil, "", fmt.Errorf("reading stdin: %w", err)
		}
		if len(b) > parser.MaxFileSize {
			return nil, "", fmt.Errorf("stdin: input is larger than %d MB", parser.MaxFileSize>>20)
		}
		return b, "<stdin>", nil
	}
	st, err := os.Stat(name)
	if err != nil {
		return nil, "", err
	}
	if st.IsDir() {
		return nil, "", fmt.Errorf("%s is a directory", name)
	}
	if st.Size() > parser.MaxFileSize {
		return nil, "", fmt.Errorf("%s: file is larger than %d MB", name, parser.MaxFileSize>>20)
	}
	// ReadLocal refuses FIFOs and devices without blocking on them, so that
	// "check /dev/zero" or a named pipe ends with an error, not a hang.
	b, err := parser.ReadLocal(name)
	if err != nil {
		return nil, "", err
	}
	abs, err := filepath.Abs(name)
	if err != nil {
		abs = name
	}
	return b, abs, nil
}

// resolve turns a diagnostic into a finding with 1-based character columns.
func resolve(docLine func(int) []byte, name string, d parser.Diagnostic) finding {
	file := name
	if name == "-" {
		file = "<stdin>"
	}
	line := docLine
	if d.Src != nil {
		file = d.Src.Path
		if !filepath.IsAbs(name) {
			file = displayPath(d.Src.Path)
		}
		line = d.Src.Line
	}
	s := d.Span
	l0, l1 := line(int(s.Start.Line)), line(int(s.End.Line))
	f := finding{
		File: file, Line: int(s.Start.Line) + 1, EndLine: int(s.End.Line) + 1,
		Column: parser.RuneCol(l0, int(s.Start.Col)) + 1, EndColumn: parser.RuneCol(l1, int(s.End.Col)) + 1,
		col16: parser.UTF16Col(l0, int(s.Start.Col)) + 1, endCol16: parser.UTF16Col(l1, int(s.End.Col)) + 1,
		Severity: d.Severity.String(), Rule: d.Rule, Message: d.Message, sev: d.Severity,
	}
	if len(d.Related) > 0 {
		rels := make([]relatedLoc, 0, len(d.Related))
		for _, r := range d.Related {
			rfile, rline := file, docLine
			if d.Src != nil {
				rfile = name // the related place is in the checked file itself
				if name == "-" {
					rfile = "<stdin>"
				}
			}
			if r.Src != nil {
				rfile, rline = r.Src.Path, r.Src.Line
				if !filepath.IsAbs(name) {
					rfile = displayPath(r.Src.Path)
				}
			}
			a, b := rline(int(r.Span.Start.Line)), rline(int(r.Span.End.Line))
			rels = append(rels, relatedLoc{file: rfile, line: int(r.Span.Start.Line) + 1, col16: parser.UTF16Col(a, int(r.Span.Start.Col)) + 1,
				endLine: int(r.Span.End.Line) + 1, endCol16: parser.UTF16Col(b, int(r.Span.End.Col)) + 1, message: r.Message})
		}
		f.related = &rels
	}
	return f
}

// displayPath shows included files relative to the working directory when
// they are below it.
func displayPath(p string) string {
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(rel, "..") {
			return rel
		}
	}
	return p
}

func writeSARIF(w io.Writer, all []finding) error {
	report, err := sarif.New(sarif.Version210)
	if err != nil {
		return err
	}
	run := sarif.NewRunWithInformationURI("keepalived-ls", "https://github.com/keepalived-ls/keepalived-ls")
	run.Tool.Driver.WithVersion(versionString())
	for _, r := range analysis.Rules() {
		run.AddRule(r.ID).
			WithShortDescription(sarif.NewMultiformatMessageString(r.Summary)).
			WithHelpURI("https://github.com/keepalived-ls/keepalived-ls/blob/main/docs/rules/" + r.ID + ".md").
			WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(sarifLevel(r.Severity)))
	}
	run.ColumnKind = "utf16CodeUnits"
	location := func(file string, line, col, endLine, endCol int) *sarif.PhysicalLocation {
		region := sarif.NewRegion().WithStartLine(line).WithStartColumn(col).
			WithEndLine(endLine).WithEndColumn(endCol)
		return sarif.NewPhysicalLocation().
			WithArtifactLocation(sarif.NewSimpleArtifactLocation((&url.URL{Path: filepath.ToSlash(file)}).String())).
			WithRegion(region)
	}
	for _, f := range all {
		res := run.CreateResultForRule(f.Rule).
			WithLevel(sarifLevel(f.sev)).
			WithMessage(sarif.NewTextMessage(f.Message))
		res.AddLocation(sarif.NewLocationWithPhysicalLocation(location(f.File, f.Line, f.col16, f.EndLine, f.endCol16)))
		if f.related != nil {
			for i, r := range *f.related {
				res.AddRelatedLocation(sarif.NewLocationWithPhysicalLocation(location(r.file, r.line, r.col16, r.endLine, r.endCol16)).
					WithId(i + 1).WithMessage(sarif.NewTextMessage(r.message)))
			}
		}
	}
	report.AddRun(run)
	return report.PrettyWrite(w)
}

func sarifLevel(s parser.Severity) string {
	switch s {
	case parser.Error:
		return "error"
	case parser.Warning:
		return "warning"
	}
	return "note"
}

// lineIndex finds lines of a text, indexing it on first use.
type lineIndex struct {
	text   []byte
	starts []int
}

func newLineIndex(text []byte) *lineIndex { return &lineIndex{text: text} }

func (l *lineIndex) line(n int) []byte {
	if l.starts == nil {
		l.starts = []int{0}
		for i, c := range l.text {
			if c == '\n' {
				l.starts = append(l.starts, i+1)
			}
		}
	}
	if n < 0 || n >= len(l.starts) {
		return nil
	}
	end := len(l.text)
	if n+1 < len(l.starts) {
		end = l.starts[n+1] - 1
	}
	return bytes.TrimSuffix(l.text[l.starts[n]:end], []byte{'\r'})
}
