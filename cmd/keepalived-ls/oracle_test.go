package main

// The oracle test: keepalived-ls must agree with keepalived itself. It runs
// Debian's keepalived 2.2.7 (`keepalived -t`) and `keepalived-ls check
// --target-version 2.2.7` over the shared corpus and over mutated copies of
// it (typos, dropped braces, bad values) and requires that
//
//   - every line-level message keepalived prints about the configuration
//     (not the ones about this machine's interfaces, users or DNS) is
//     flagged by a keepalived-ls diagnostic on the same line, and
//   - a file keepalived accepts without any message gets no error.
//
// keepalived reports some block-level problems when it reaches the block's
// closing '}'; keepalived-ls reports them on the block's keyword line, so a
// message on a '}' line is also covered by a diagnostic on its block's
// first line.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keepalived-ls/keepalived-ls/internal/testenv"
	"github.com/keepalived-ls/keepalived-ls/parser"
)

// machineDependent matches keepalived messages that depend on the machine
// running `keepalived -t` (interfaces, users, DNS, script files), not on the
// configuration text.
var machineDependent = regexp.MustCompile(strings.Join([]string{
	`doesn't exist`, `does not exist`, `loopback interface`, `Non-existent interface`,
	`Unknown interface`, `default user`, `script uid/gid`, `Unable to set uid/gid`,
	`Invalid smtp server`, `not accessible`, `is not executable`, `insecure`,
	`SECURITY VIOLATION`, `Unable to access`, `cannot find`,
	`getpwnam`, `Unable to resolve`, `No such file`,
	// use_vmac with unicast needs an interface that exists on this machine.
	`Cannot use VMAC/ipvlan with unicast and no interface`,
}, "|"))

// buildDependent matches messages caused by the options Debian's keepalived
// was built with (no iptables, ipset or linkbeat support), not by the
// configuration text.
var buildDependent = regexp.MustCompile(`iptables not supported|Unknown keyword '(vrrp_ipsets|linkbeat_use_polling|linkbeat_interfaces)'`)

var lineMsg = regexp.MustCompile(`^\((?:(.+?): )?Line (\d+)\) (.*)$`)

type kaMessage struct {
	file string
	line int
	text string
}

// runKeepalived returns keepalived's configuration messages for a file.
func runKeepalived(t *testing.T, bin, file string) (lines []kaMessage, other []string, machine int) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-t", "-n", "-l", "-i", "keepalived-ls-oracle", "-f", file)
	cmd.Dir = filepath.Dir(file)
	out, _ := cmd.CombinedOutput()
	for _, l := range strings.Split(string(out), "\n") {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		if machineDependent.MatchString(l) || buildDependent.MatchString(l) {
			machine++
			continue
		}
		if m := lineMsg.FindStringSubmatch(l); m != nil {
			n, _ := strconv.Atoi(m[2])
			f := m[1]
			switch {
			case f == "":
				f = file
			case !filepath.IsAbs(f): // an included file, relative to the config's directory
				f = filepath.Join(filepath.Dir(file), f)
			}
			lines = append(lines, kaMessage{file: f, line: n, text: m[3]})
			continue
		}
		other = append(other, l)
	}
	return lines, other, machine
}

// runOurs runs `keepalived-ls check --format json --target-version 2.2.7`.
func runOurs(t *testing.T, file string) []finding {
	var stdout, stderr bytes.Buffer
	code := run([]string{"check", "--format", "json", "--target-version", "2.2.7", file}, nil, &stdout, &stderr)
	if code == 2 {
		t.Fatalf("check %s: exit 2: %s", file, stderr.String())
	}
	var fs []finding
	if err := json.Unmarshal(stdout.Bytes(), &fs); err != nil {
		t.Fatalf("check %s: bad JSON: %v\n%s", file, err, stdout.String())
	}
	for i := range fs {
		if !filepath.IsAbs(fs[i].File) {
			abs, _ := filepath.Abs(fs[i].File)
			fs[i].File = abs
		}
	}
	return fs
}

// blockStarts maps each line holding a block's closing '}' to the line of
// the block's keyword (1-based), for the file's own blocks.
func blockStarts(file string, text []byte) map[int][]int {
	d := parser.Parse(file, text, parser.Options{})
	out := map[int][]int{}
	var walk func(nodes []*parser.Node, base int32)
	walk = func(nodes []*parser.Node, base int32) {
		for _, n := range nodes {
			if n.Src != nil {
				continue
			}
			if n.Flags&parser.HasClose != 0 {
				end := int(n.Close.Line+base) + 1
				out[end] = append(out[end], int(n.Keyword.Span.Start.Line+base)+1)
			}
			walk(n.Children, base)
		}
	}
	for i, u := range d.Units() {
		walk(u.Nodes, d.UnitLine(i))
	}
	return out
}

var trackNotFound = regexp.MustCompile(`track script (\S+) not found`)

// removedForMachine reports a "track script X not found" message where X is
// defined above the reference: keepalived removed the script for a reason
// of this machine (its path or user does not exist here).
func removedForMachine(file string, text []byte, m kaMessage) bool {
	sm := trackNotFound.FindStringSubmatch(m.text)
	if sm == nil {
		return false
	}
	def := regexp.MustCompile(`(?m)^\s*vrrp_script\s+` + regexp.QuoteMeta(sm[1]) + `\s*(\{|$)`)
	loc := def.FindIndex(text)
	return loc != nil && bytes.Count(text[:loc[0]], []byte("\n"))+1 < m.line
}

type disagreement struct {
	file, what string
}

// compare checks one file and returns what keepalived-ls missed or
// over-reported.
func compare(t *testing.T, bin, file string) []disagreement {
	kmsgs, other, machine := runKeepalived(t, bin, file)
	ours := runOurs(t, file)
	text, _ := os.ReadFile(file)
	closes := blockStarts(file, text)
	abs, _ := filepath.Abs(file)
	covers := func(f string, line int) bool {
		fa, _ := filepath.Abs(f)
		for _, o := range ours {
			if o.File != fa {
				continue
			}
			if o.Line <= line && line <= o.EndLine {
				return true
			}
			if fa == abs {
				for _, start := range closes[line] {
					if o.Line == start {
						return true
					}
				}
			}
		}
		return false
	}
	// keepalived counts a line only when it ends with a newline, so it
	// reports messages on an unterminated last line with the previous number.
	lastLine := bytes.Count(text, []byte("\n")) + 1
	unterminated := len(text) > 0 && text[len(text)-1] != '\n'
	covered := func(f string, line int) bool {
		return covers(f, line) || unterminated && line == lastLine-1 && covers(f, lastLine)
	}
	var out []disagreement
	for _, m := range kmsgs {
		if removedForMachine(file, text, m) {
			continue
		}
		if !covered(m.file, m.line) {
			out = append(out, disagreement{file, fmt.Sprintf("missed keepalived's line %d: %s", m.line, m.text)})
		}
	}
	// keepalived accepts a file when it says nothing at all. Messages about
	// this machine (a missing interface, say) mean keepalived skipped part
	// of the checks, and with net_namespace it checks nothing, so neither
	// counts as acceptance.
	validated := !regexp.MustCompile(`(?m)^\s*net_namespace\s`).Match(text)
	if len(kmsgs) == 0 && len(other) == 0 && machine == 0 && validated {
		for _, o := range ours {
			if o.Severity == "error" {
				out = append(out, disagreement{file, fmt.Sprintf("error on a file keepalived accepts: %d:%d %s [%s]", o.Line, o.Column, o.Message, o.Rule)})
			}
		}
	}
	return out
}

// mutate writes deterministic broken copies of a config: a typo in a
// keyword, a dropped brace and a bad value.
func mutate(dir, name string, text []byte, seed int64) []string {
	rng := rand.New(rand.NewSource(seed))
	lines := strings.Split(string(text), "\n")
	var out []string
	write := func(kind string, ls []string) {
		p := filepath.Join(dir, fmt.Sprintf("%s.%s.conf", name, kind))
		os.WriteFile(p, []byte(strings.Join(ls, "\n")), 0o644)
		out = append(out, p)
	}
	candidates := func(match func(string) bool) []int {
		var idx []int
		for i, l := range lines {
			if match(strings.TrimSpace(l)) {
				idx = append(idx, i)
			}
		}
		return idx
	}
	word := regexp.MustCompile(`^[a-z_]{4,}`)
	if idx := candidates(func(l string) bool { return word.MatchString(l) }); len(idx) > 0 {
		i := idx[rng.Intn(len(idx))]
		ls := append([]string(nil), lines...)
		l := ls[i]
		at := strings.Index(l, strings.TrimSpace(l))
		w := word.FindString(strings.TrimSpace(l))
		k := rng.Intn(len(w) - 1)
		b := []byte(w)
		b[k], b[k+1] = b[k+1], b[k]
		if b[k] != b[k+1] {
			ls[i] = l[:at] + string(b) + l[at+len(w):]
			write("typo", ls)
		}
	}
	if idx := candidates(func(l string) bool { return l == "}" }); len(idx) > 0 {
		i := idx[rng.Intn(len(idx))]
		ls := append(append([]string(nil), lines[:i]...), lines[i+1:]...)
		write("nobrace", ls)
	}
	num := regexp.MustCompile(`^([a-z_]+)\s+(\d+)\s*$`)
	if idx := candidates(func(l string) bool { return num.MatchString(l) }); len(idx) > 0 {
		i := idx[rng.Intn(len(idx))]
		ls := append([]string(nil), lines...)
		bad := []string{"99999999999", "-5", "abc", "1.5x"}[rng.Intn(4)]
		m := num.FindStringSubmatch(strings.TrimSpace(ls[i]))
		ls[i] = strings.Replace(ls[i], m[2], bad, 1)
		write("badvalue", ls)
	}
	return out
}

func TestAgreesWithKeepalived(t *testing.T) {
	shared := testenv.Shared(t)
	bin := testenv.Tool(t, "keepalived", "apt-get install -y keepalived")
	files, _ := filepath.Glob(filepath.Join(shared, "corpus", "configs", "*"))
	if len(files) == 0 {
		t.Fatal("no corpus files")
	}
	tmp := t.TempDir()
	if keep := os.Getenv("KEEPALIVED_LS_ORACLE_DIR"); keep != "" {
		tmp = keep // keep the mutated files for debugging
		os.MkdirAll(tmp, 0o755)
	}
	var inputs []string
	for i, f := range files {
		// keepalived resolves relative includes against the file's
		// directory: copy each file so both tools see the same directory.
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(f)
		p := filepath.Join(tmp, name)
		if err := os.WriteFile(p, text, 0o644); err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, p)
		inputs = append(inputs, mutate(tmp, name, text, int64(i))...)
	}
	var mu sync.Mutex
	var problems []disagreement
	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	for _, f := range inputs {
		wg.Add(1)
		sem <- struct{}{}
		go func(f string) {
			defer wg.Done()
			defer func() { <-sem }()
			d := compare(t, bin, f)
			mu.Lock()
			problems = append(problems, d...)
			mu.Unlock()
		}(f)
	}
	wg.Wait()
	sort.Slice(problems, func(i, j int) bool {
		return problems[i].file+problems[i].what < problems[j].file+problems[j].what
	})
	for _, p := range problems {
		t.Errorf("%s: %s", filepath.Base(p.file), p.what)
	}
	t.Logf("compared %d files (%d corpus files and their mutations)", len(inputs), len(files))
}

// TestCheckNeverCrashes runs `check` over every corpus file and template
// (Jinja, ERB and Go templates are not valid configurations, but must
// never crash the checker) with the newest and the 2.2.7 reader.
func TestCheckNeverCrashes(t *testing.T) {
	shared := testenv.Shared(t)
	var files []string
	for _, dir := range []string{"configs", "templates"} {
		m, _ := filepath.Glob(filepath.Join(shared, "corpus", dir, "*"))
		files = append(files, m...)
	}
	for _, f := range files {
		for _, v := range []string{"", "2.2.7"} {
			var stdout, stderr bytes.Buffer
			args := []string{"check", "--format", "json"}
			if v != "" {
				args = append(args, "--target-version", v)
			}
			if code := run(append(args, f), nil, &stdout, &stderr); code == 2 {
				t.Errorf("%s: exit 2: %s", filepath.Base(f), stderr.String())
			}
			var fs []finding
			if err := json.Unmarshal(stdout.Bytes(), &fs); err != nil {
				t.Errorf("%s: bad JSON output: %v", filepath.Base(f), err)
			}
		}
	}
}

// TestIncludeGlobsAgreeWithKeepalived: an include pattern reads the files
// keepalived reads, no more, no fewer: a wildcard skips names with a
// leading dot (editors' lock files), follows symbolic links to
// directories, and each of them has a problem that shows which files
// were read.
func TestIncludeGlobsAgreeWithKeepalived(t *testing.T) {
	bin := testenv.Tool(t, "keepalived", "apt-get install -y keepalived")
	dir := writeConf(t, map[string]string{
		"keepalived.conf":    "include conf.d/*.conf\ninclude d/*/*.conf\n",
		"conf.d/v.conf":      "global_defs {\n  visible_typo 1\n}\n",
		"conf.d/.h.conf":     "global_defs {\n  hidden_typo 1\n}\n",
		"shared/linked.conf": "global_defs {\n  linked_typo 1\n}\n",
	})
	if err := os.MkdirAll(filepath.Join(dir, "d"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "shared"), filepath.Join(dir, "d", "lnk")); err != nil {
		t.Fatal(err)
	}
	main := filepath.Join(dir, "keepalived.conf")
	kmsgs, _, _ := runKeepalived(t, bin, main)
	files := func(names []string) string { sort.Strings(names); return strings.Join(names, " ") }
	var theirs, ours []string
	for _, m := range kmsgs {
		theirs = append(theirs, filepath.Base(m.file))
	}
	for _, f := range runOurs(t, main) {
		ours = append(ours, filepath.Base(f.File))
	}
	if want := "linked.conf v.conf"; files(theirs) != want {
		t.Fatalf("keepalived reported on %q, want %q: has keepalived's glob changed?", files(theirs), want)
	}
	if files(ours) != files(theirs) {
		t.Errorf("keepalived-ls reported on %q, keepalived on %q", files(ours), files(theirs))
	}
	if d := compare(t, bin, main); len(d) > 0 {
		t.Errorf("disagreements: %v", d)
	}
}

// TestIncludeCheckAgreesWithKeepalived: global_defs include_check makes
// include problems errors (keepalived -t exits 6) for the classes it
// names, on top of the include variant's own, and keepalived restores it
// after each included file. Each case runs keepalived and requires that
// keepalived-ls reports an include error exactly when keepalived fails.
func TestIncludeCheckAgreesWithKeepalived(t *testing.T) {
	bin := testenv.Tool(t, "keepalived", "apt-get install -y keepalived")
	gd := func(args string) string { return "global_defs {\n  include_check" + args + "\n}\n" }
	for _, c := range []struct {
		name  string
		files map[string]string
		error bool
	}{
		{"none", map[string]string{"main.conf": "include nope.conf\ninclude *.nothing\n"}, false},
		{"all-missing", map[string]string{"main.conf": gd("") + "include nope.conf\n"}, true},
		{"all-wildcard", map[string]string{"main.conf": gd("") + "include *.nothing\n"}, true},
		{"match-missing", map[string]string{"main.conf": gd(" match") + "include nope.conf\n"}, true},
		{"match-wildcard", map[string]string{"main.conf": gd(" match") + "include *.nothing\n"}, false},
		{"wildcard", map[string]string{"main.conf": gd(" wildcard_match") + "include *.nothing\n"}, true},
		{"plus-match", map[string]string{"main.conf": gd(" +match") + "include nope.conf\n"}, true},
		{"all-minus-match", map[string]string{"main.conf": gd(" +read +match +wildcard_match -match") + "include nope.conf\n"}, false},
		{"minus-keeps-variant", map[string]string{"main.conf": gd(" -wildcard_match") + "includew *.nothing\n"}, true},
		{"before-global-defs", map[string]string{"main.conf": "include nope.conf\n" + gd("")}, false},
		{"restored-after-file", map[string]string{"main.conf": "include inc.conf\ninclude nope.conf\n", "inc.conf": gd("")}, false},
		{"inside-file", map[string]string{"main.conf": "include inc.conf\n", "inc.conf": gd("") + "include nope.conf\n"}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := writeConf(t, c.files)
			main := filepath.Join(dir, "main.conf")
			cmd := exec.Command(bin, "-t", "-n", "-l", "-f", main)
			cmd.Dir = dir
			out, _ := cmd.CombinedOutput()
			kaError := cmd.ProcessState.ExitCode() != 0
			if kaError != c.error {
				t.Fatalf("keepalived -t exit %d, the case expects error=%v: has keepalived changed?\n%s", cmd.ProcessState.ExitCode(), c.error, out)
			}
			ours := false
			for _, f := range runOurs(t, main) {
				if f.Severity == "error" && strings.HasPrefix(f.Rule, "include-") {
					ours = true
				}
			}
			if ours != c.error {
				t.Errorf("keepalived-ls include error = %v, keepalived's = %v\n%s", ours, c.error, out)
			}
		})
	}
}
