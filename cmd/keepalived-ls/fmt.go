package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/aymanbagabas/go-udiff"

	"github.com/keepalived-ls/keepalived-ls/analysis/format"
)

// runFmt is `keepalived-ls fmt`: it prints, writes (-w), lists (--check) or
// diffs (--diff) the formatted files.
func runFmt(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("fmt", flag.ContinueOnError)
	fs.SetOutput(stderr)
	write := fs.Bool("w", false, "write the formatted text back to the files")
	check := fs.Bool("check", false, "print the names of files that are not formatted; exit 1 if there are any")
	diff := fs.Bool("diff", false, "print a unified diff of the changes")
	indent := fs.Int("indent", 4, "spaces per level")
	tabs := fs.Bool("tabs", false, "indent with tabs")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	usageErr := func(msg string) int {
		fmt.Fprintf(stderr, "keepalived-ls fmt: %s\n", msg)
		return 2
	}
	switch {
	case fs.NArg() == 0:
		return usageErr("no files given (use - for stdin)")
	case *write && *check:
		return usageErr("-w and --check cannot be used together")
	case set["indent"] && *tabs:
		return usageErr("--indent and --tabs cannot be used together")
	case *indent < 1 || *indent > 16:
		return usageErr(fmt.Sprintf("--indent %d: want 1 to 16 spaces", *indent))
	}
	opts := format.Options{TabSize: *indent, UseTabs: *tabs}
	status, unformatted := 0, false
	for _, name := range fs.Args() {
		if name == "-" && *write {
			fmt.Fprintln(stderr, "keepalived-ls fmt: -w cannot write to standard input")
			status = 2
			continue
		}
		text, _, err := readInput(name, stdin)
		if err != nil {
			fmt.Fprintf(stderr, "keepalived-ls fmt: %v\n", err)
			status = 2
			continue
		}
		display := name
		if name == "-" {
			display = "<stdin>"
		}
		res := format.Document(text, opts)
		for _, r := range res.Skipped() {
			fmt.Fprintf(stderr, "%s:%d: lines %d-%d left as they are: %s [%s]\n",
				display, r.Line+1, r.StartLine+1, r.EndLine+1, skipReason(r.Rule), r.Rule)
		}
		out := res.Text()
		changed := res.Changed()
		if changed {
			unformatted = true
		}
		switch {
		case *diff:
			if changed {
				fmt.Fprintf(stdout, "diff -u %s.orig %s\n", display, display)
				io.WriteString(stdout, udiff.Unified(display+".orig", display, string(text), string(out)))
			}
		case *check:
			if changed {
				fmt.Fprintln(stdout, display)
			}
		case !*write:
			stdout.Write(out)
		}
		if *write && changed {
			st, err := os.Stat(name)
			if err == nil {
				err = os.WriteFile(name, out, st.Mode().Perm())
			}
			if err != nil {
				fmt.Fprintf(stderr, "keepalived-ls fmt: %v\n", err)
				status = 2
			}
		}
	}
	if status == 0 && *check && unformatted {
		status = 1
	}
	return status
}

// skipReason explains why a part of a file was not formatted.
func skipReason(rule string) string {
	switch rule {
	case "line-too-long":
		return "a line would become longer than keepalived reads"
	case "unknown-keyword":
		return "a keyword keepalived does not know at the top level (a '}' too many above?)"
	case "unusual-whitespace":
		return "the text holds control characters"
	}
	return "fix the syntax error first (keepalived-ls check)"
}
