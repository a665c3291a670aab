// Command keepalived-ls is the language server and linter for keepalived
// configuration files.
//
//	keepalived-ls                  serve LSP over stdio (also: serve, --stdio)
//	keepalived-ls check FILE...    report problems (text, json or sarif)
//	keepalived-ls fmt FILE...      format files (-w, --check, --diff)
//	keepalived-ls expand FILE      print the configuration keepalived reads
//	keepalived-ls version          print the version
package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run dispatches a command line and returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 && (len(args[0]) == 0 || args[0][0] != '-') {
		cmd, args = args[0], args[1:]
	}
	if cmd == "serve" && len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
		usage(stdout)
		return 0
	}
	switch cmd {
	case "check":
		return runCheck(args, stdin, stdout, stderr)
	case "fmt":
		return runFmt(args, stdin, stdout, stderr)
	case "expand":
		return runExpand(args, stdin, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, versionString())
		return 0
	case "serve":
		return runServe(args, stdin, stdout, stderr)
	case "help", "-h", "--help":
		usage(stdout)
		return 0
	}
	fmt.Fprintf(stderr, "keepalived-ls: unknown command %q\n", cmd)
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprint(w, `usage:
  keepalived-ls [serve] [--stdio] [--log-level LEVEL] [--log-file FILE]
      run the language server on stdin/stdout
  keepalived-ls check [--format text|json|sarif] [--target-version X.Y.Z] [--config-id ID]
                      [--rule RULE=SEVERITY|off]... [--config FILE] [--with-keepalived] FILE...
      check configuration files (- reads stdin); settings come from the nearest
      .keepalived-ls.toml (or --config FILE), flags win; exit 0 when no errors,
      1 when errors, 2 on usage or I/O errors
  keepalived-ls fmt [-w|--check|--diff] [--indent N|--tabs] FILE... (- reads stdin)
      format configuration files; exit 0 when formatted or written, 1 with --check when a file
      would change, 2 on usage or I/O errors
  keepalived-ls expand [--config-id ID|--instance ID|--host NAME] [--comments] [--no-markers]
                       [--target-version X.Y.Z] [--config FILE] FILE (- reads stdin)
      print the configuration keepalived reads: includes inlined with "# from FILE:LINE"
      markers, $NAME and ~SEQ/~LST expanded, @ID lines resolved; exit 2 on usage or I/O errors
  keepalived-ls version
      print the version
`)
}
