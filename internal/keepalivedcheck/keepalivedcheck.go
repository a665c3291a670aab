// Package keepalivedcheck runs keepalived's own configuration test
// (`keepalived -t`) on a saved file and turns the messages it prints about
// lines of the configuration into diagnostics, to show next to those of
// keepalived-ls. `keepalived -t` only reads and validates the
// configuration: it starts no VRRP or checker process and runs no script.
package keepalivedcheck

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/keepalived-ls/keepalived-ls/parser"
)

// Rule is the rule id of keepalived's messages.
const Rule = "keepalived-message"

// DefaultTimeout bounds one run of keepalived.
const DefaultTimeout = 20 * time.Second

// NoConfigID is passed as keepalived's -i when no config id is set: like
// keepalived-ls without a config id, no "@ID" line then applies.
const NoConfigID = "keepalived-ls-no-config-id"

// Message is one message keepalived printed about a line of a file.
type Message struct {
	File string // absolute path
	Line int    // 1-based
	Text string
}

// Find returns the path of the keepalived binary, or "" when it is not
// installed.
func Find() string {
	p, err := exec.LookPath("keepalived")
	if err != nil {
		return ""
	}
	return p
}

var lineMsg = regexp.MustCompile(`^\((?:(.+?): )?Line (\d+)\) (.*)$`)

// Run runs `keepalived -t` on a file (it must be saved: keepalived reads
// the disk) and returns its messages about lines, without repeats. A
// timeout of 0 means DefaultTimeout.
func Run(ctx context.Context, bin, file, configID string, timeout time.Duration) ([]Message, error) {
	if bin == "" {
		return nil, errors.New("keepalived is not installed")
	}
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		return nil, err
	}
	if configID == "" {
		configID = NoConfigID
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-t", "-n", "-l", "-i", configID, "-f", abs)
	cmd.Dir = filepath.Dir(abs)
	cmd.Stdin = nil
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	runErr := cmd.Run()
	if ctx.Err() != nil {
		return nil, errors.New("keepalived -t did not finish in " + timeout.String())
	}
	var ee *exec.ExitError
	if runErr != nil && !errors.As(runErr, &ee) {
		return nil, runErr
	}
	return Parse(out.Bytes(), abs), nil
}

// Parse reads keepalived's output: lines "(Line N) text" about file, and
// "(FILE: Line N) text" about FILE (relative names are taken from file's
// directory).
func Parse(out []byte, file string) []Message {
	var msgs []Message
	seen := map[Message]bool{}
	for _, l := range strings.Split(string(out), "\n") {
		m := lineMsg.FindStringSubmatch(strings.TrimSpace(l))
		if m == nil {
			continue
		}
		n, err := strconv.Atoi(m[2])
		if err != nil || n < 1 {
			continue
		}
		f := file
		if m[1] != "" {
			f = m[1]
			if !filepath.IsAbs(f) {
				f = filepath.Join(filepath.Dir(file), f)
			}
		}
		msg := Message{File: filepath.Clean(f), Line: n, Text: m[3]}
		if !seen[msg] {
			seen[msg] = true
			msgs = append(msgs, msg)
		}
	}
	return msgs
}

// Diagnostics turns keepalived's messages into diagnostics of rule
// keepalived-message. docPath is the checked document: its diagnostics have
// Src nil and docLine returns its lines. Messages about other files use the
// Source in sources for their path (the document's included files, see
// Sources), or one read from the disk. Checker.CheckWith then drops those
// on lines where keepalived-ls reports something.
func Diagnostics(msgs []Message, docPath string, docLine func(int) []byte, sources map[string]*parser.Source) []parser.Diagnostic {
	docPath = filepath.Clean(docPath)
	srcs := map[string]*parser.Source{}
	for p, s := range sources {
		srcs[filepath.Clean(p)] = s
	}
	out := []parser.Diagnostic{} // not nil: keepalived ran
	for _, m := range msgs {
		var src *parser.Source
		line := docLine
		if m.File != docPath {
			src = srcs[m.File]
			if src == nil {
				text, err := os.ReadFile(m.File)
				if err != nil {
					continue
				}
				src = parser.NewSource(m.File, text)
				srcs[m.File] = src
			}
			line = src.Line
		}
		ln := int32(m.Line - 1)
		text := line(int(ln))
		if string(bytes.TrimSpace(text)) == "}" {
			// keepalived reports some block problems when it reaches the
			// block's end: show them on the block's first line.
			if start, ok := blockStart(line, int(ln)); ok {
				ln = int32(start)
				text = line(start)
			}
		}
		start := len(text) - len(bytes.TrimLeft(text, " \t"))
		end := len(bytes.TrimRight(text, " \t\r"))
		if end < start {
			end = start
		}
		out = append(out, parser.Diagnostic{Src: src, Span: parser.Span{Start: parser.Pos{Line: ln, Col: int32(start)}, End: parser.Pos{Line: ln, Col: int32(end)}},
			Severity: parser.Warning, Rule: Rule, Message: "keepalived -t: " + m.Text})
	}
	return out
}

// blockStart finds the line of the keyword whose block the lone '}' on line
// closes (ignoring comments and quoted text).
func blockStart(line func(int) []byte, close int) (int, bool) {
	depth := 0
	for ln := close; ln >= 0 && ln > close-10000; ln-- {
		text := line(ln)
		// Only the part before a comment counts.
		quoted := false
		for i, ch := range text {
			if ch == '"' {
				quoted = !quoted
			} else if (ch == '#' || ch == '!') && !quoted {
				text = text[:i]
				break
			}
		}
		for i := len(text) - 1; i >= 0; i-- {
			switch text[i] {
			case '}':
				depth++
			case '{':
				depth--
				if depth == 0 {
					if len(bytes.TrimSpace(text[:i])) > 0 {
						return ln, true
					}
					for k := ln - 1; k >= 0; k-- { // "{" on a line of its own
						if len(bytes.TrimSpace(line(k))) > 0 {
							return k, true
						}
					}
					return ln, true
				}
			}
		}
	}
	return 0, false
}

// Sources maps the paths of the files a document includes to their
// Sources.
func Sources(d *parser.Doc) map[string]*parser.Source {
	out := map[string]*parser.Source{}
	var walk func(nodes []*parser.Node)
	walk = func(nodes []*parser.Node) {
		for _, n := range nodes {
			if n.Kind == parser.Include {
				for _, f := range n.Files() {
					if f.Source != nil {
						out[f.Source.Path] = f.Source
					}
				}
			}
			walk(n.Children)
		}
	}
	for _, u := range d.Units() {
		if len(u.Includes) > 0 {
			walk(u.Nodes)
		}
	}
	return out
}
