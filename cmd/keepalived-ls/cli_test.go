package main

// Tests of the command line (`keepalived-ls check`, `version`), driven the
// way a user runs it: arguments, stdin, stdout, stderr and the exit status.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/keepalived-ls/keepalived-ls/analysis"
	"github.com/keepalived-ls/keepalived-ls/internal/testenv"
	"github.com/keepalived-ls/keepalived-ls/parser/schema"
)

// runCLI runs the command line with the given stdin and returns the exit
// status, stdout and stderr.
func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// writeConf writes files (relative names) into a new temporary directory
// and returns it.
func writeConf(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// small.conf has an error on line 3, a warning on line 8 and a warning on
// line 12.
const smallConf = `global_defs {
    router_id lb1
    routerid lb2
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priority 100 ; advert_int 1
    authentication {
        auth_type PASS
        auth_pass 0123456789
    }
    virtual_ipaddress {
        192.168.1.10/24
    }
}
`

const cleanConf = `global_defs {
    router_id lb1
}
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority 100
    virtual_ipaddress {
        192.168.1.10/24
    }
}
`

// warnConf has only a warning.
const warnConf = `global_defs {
    router_id lb1
    router_id lb2
}
`

func TestCheckTextFormat(t *testing.T) {
	dir := writeConf(t, map[string]string{"small.conf": smallConf})
	f := filepath.Join(dir, "small.conf")
	code, out, errOut := runCLI(t, "", "check", f)
	want := f + ":3:5: error: unknown keyword 'routerid' in 'global_defs'; did you mean 'router_id'? [unknown-keyword]\n" +
		f + ":8:18: warning: 'priority' does not take '; advert_int 1': keepalived ignores the rest of the line [extra-arguments]\n" +
		f + ":11:19: warning: auth_pass is 10 characters long; keepalived uses only the first 8 ('01234567'), so peers must use the same 8 [auth-pass-truncated]\n"
	if out != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", out, want)
	}
	if code != 1 {
		t.Errorf("exit status %d, want 1 (errors found)", code)
	}
	if errOut != "" {
		t.Errorf("stderr: %q", errOut)
	}
}

// textLine matches FILE:LINE:COL: SEVERITY: MESSAGE [rule-id].
var textLine = regexp.MustCompile(`^(.+):(\d+):(\d+): (error|warning|information|hint): (.+) \[([a-z-]+)\]$`)

func TestCheckTextLinesAreWellFormed(t *testing.T) {
	dir := writeConf(t, map[string]string{"small.conf": smallConf})
	_, out, _ := runCLI(t, "", "check", "--target-version", "2.2.7", filepath.Join(dir, "small.conf"))
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) < 3 {
		t.Fatalf("output: %q", out)
	}
	for _, l := range lines {
		m := textLine.FindStringSubmatch(l)
		if m == nil {
			t.Errorf("malformed line %q", l)
			continue
		}
		if _, ok := analysis.LookupRule(m[6]); !ok {
			t.Errorf("unknown rule in %q", l)
		}
	}
}

func TestCheckExitStatus(t *testing.T) {
	dir := writeConf(t, map[string]string{"small.conf": smallConf, "clean.conf": cleanConf, "warn.conf": warnConf, "sub/x.conf": cleanConf})
	small, clean, warn := filepath.Join(dir, "small.conf"), filepath.Join(dir, "clean.conf"), filepath.Join(dir, "warn.conf")
	for _, c := range []struct {
		name       string
		args       []string
		code       int
		stdout     string // substring; "" means empty
		stderr     string // substring; "" means empty
		stdoutSome bool
	}{
		{name: "clean", args: []string{"check", clean}, code: 0},
		{name: "warnings-only", args: []string{"check", warn}, code: 0, stdout: "[duplicate-keyword]"},
		{name: "errors", args: []string{"check", small}, code: 1, stdout: "[unknown-keyword]"},
		{name: "errors-in-second-file", args: []string{"check", clean, small}, code: 1, stdout: "[unknown-keyword]"},
		{name: "error-turned-off", args: []string{"check", "--rule", "unknown-keyword=off", small}, code: 0, stdout: "[extra-arguments]"},
		{name: "error-made-warning", args: []string{"check", "--rule", "unknown-keyword=warning", small}, code: 0, stdout: "warning: unknown keyword 'routerid'"},
		{name: "warning-made-error", args: []string{"check", "--rule", "duplicate-keyword=error", warn}, code: 1, stdout: "error: 'router_id' is already set"},
		{name: "unknown-flag", args: []string{"check", "--bogus", clean}, code: 2, stderr: "-bogus"},
		{name: "bad-version", args: []string{"check", "--target-version", "2.x", clean}, code: 2, stderr: "invalid keepalived version"},
		{name: "unknown-format", args: []string{"check", "--format", "xml", clean}, code: 2, stderr: `unknown format "xml"`},
		{name: "missing-file", args: []string{"check", filepath.Join(dir, "nope.conf")}, code: 2, stderr: "nope.conf"},
		{name: "missing-file-and-errors", args: []string{"check", filepath.Join(dir, "nope.conf"), small}, code: 2, stderr: "nope.conf", stdout: "[unknown-keyword]"},
		{name: "directory", args: []string{"check", filepath.Join(dir, "sub")}, code: 2, stderr: "is a directory"},
		{name: "no-files", args: []string{"check"}, code: 2, stderr: "no files given"},
		{name: "unknown-rule", args: []string{"check", "--rule", "no-such-rule=off", clean}, code: 2, stderr: `unknown rule "no-such-rule"`},
		{name: "bad-severity", args: []string{"check", "--rule", "unknown-keyword=fatal", clean}, code: 2, stderr: `unknown severity "fatal"`},
		{name: "rule-without-value", args: []string{"check", "--rule", "unknown-keyword", clean}, code: 2, stderr: "want RULE=SEVERITY or RULE=off"},
		{name: "unknown-command", args: []string{"lint", clean}, code: 2, stderr: `unknown command "lint"`},
		{name: "help", args: []string{"help"}, code: 0, stdout: "keepalived-ls check"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, "", c.args...)
			if code != c.code {
				t.Errorf("exit status %d, want %d\nstdout: %s\nstderr: %s", code, c.code, out, errOut)
			}
			if c.stdout == "" && out != "" {
				t.Errorf("unexpected stdout: %q", out)
			}
			if !strings.Contains(out, c.stdout) {
				t.Errorf("stdout %q does not contain %q", out, c.stdout)
			}
			if c.stderr == "" && errOut != "" {
				t.Errorf("unexpected stderr: %q", errOut)
			}
			if !strings.Contains(errOut, c.stderr) {
				t.Errorf("stderr %q does not contain %q", errOut, c.stderr)
			}
		})
	}
}

// jsonFinding mirrors the documented JSON output.
type jsonFinding struct {
	File      string `json:"file"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	EndLine   int    `json:"endLine"`
	EndColumn int    `json:"endColumn"`
	Severity  string `json:"severity"`
	Rule      string `json:"rule"`
	Message   string `json:"message"`
}

func decodeJSON(t *testing.T, out string) []jsonFinding {
	t.Helper()
	var raw []map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatalf("output is not a JSON array of objects: %v\n%s", err, out)
	}
	wantKeys := []string{"column", "endColumn", "endLine", "file", "line", "message", "rule", "severity"}
	for i, obj := range raw {
		var keys []string
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if strings.Join(keys, ",") != strings.Join(wantKeys, ",") {
			t.Errorf("finding %d has keys %v, want exactly %v", i, keys, wantKeys)
		}
	}
	var fs []jsonFinding
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&fs); err != nil {
		t.Fatal(err)
	}
	return fs
}

func TestCheckJSON(t *testing.T) {
	dir := writeConf(t, map[string]string{"small.conf": smallConf, "clean.conf": cleanConf})
	f := filepath.Join(dir, "small.conf")
	code, out, _ := runCLI(t, "", "check", "--format", "json", f)
	if code != 1 {
		t.Errorf("exit status %d, want 1", code)
	}
	got := decodeJSON(t, out)
	want := []jsonFinding{
		{f, 3, 5, 3, 13, "error", "unknown-keyword", "unknown keyword 'routerid' in 'global_defs'; did you mean 'router_id'?"},
		{f, 8, 18, 8, 32, "warning", "extra-arguments", "'priority' does not take '; advert_int 1': keepalived ignores the rest of the line"},
		{f, 11, 19, 11, 29, "warning", "auth-pass-truncated", "auth_pass is 10 characters long; keepalived uses only the first 8 ('01234567'), so peers must use the same 8"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("findings:\n%+v\nwant:\n%+v", got, want)
	}

	// No findings: an empty array, not null.
	code, out, _ = runCLI(t, "", "check", "--format", "json", filepath.Join(dir, "clean.conf"))
	if code != 0 || strings.TrimSpace(out) != "[]" {
		t.Errorf("clean file: exit %d, output %q; want 0 and []", code, out)
	}
}

// TestCheckColumnsCountCharacters: columns count Unicode characters in
// text and JSON output, UTF-16 code units in SARIF.
func TestCheckColumnsCountCharacters(t *testing.T) {
	text := "# 配置文件：主负载均衡器 🚀\n" +
		"global_defs {    # 全局设置\n" +
		"    router_id 路由器 extra # 多余的词\n" +
		"    notification_email_from 😀 more\n" +
		"}\n"
	dir := writeConf(t, map[string]string{"cjk.conf": text})
	f := filepath.Join(dir, "cjk.conf")

	_, out, _ := runCLI(t, "", "check", "--format", "json", f)
	got := decodeJSON(t, out)
	if len(got) != 2 {
		t.Fatalf("want 2 findings, got %+v", got)
	}
	// "    router_id 路由器 extra": 'extra' is the 19th character (byte 25).
	if g := got[0]; g.Line != 3 || g.Column != 19 || g.EndLine != 3 || g.EndColumn != 24 || g.Rule != "extra-arguments" {
		t.Errorf("first finding %+v, want extra-arguments at 3:19-3:24", g)
	}
	// "    notification_email_from 😀 more": 'more' is the 31st character.
	if g := got[1]; g.Line != 4 || g.Column != 31 || g.EndColumn != 35 || g.Rule != "extra-arguments" {
		t.Errorf("second finding %+v, want extra-arguments at 4:31-4:35", g)
	}

	_, out, _ = runCLI(t, "", "check", f)
	if !strings.Contains(out, f+":3:19: warning:") || !strings.Contains(out, f+":4:31: warning:") {
		t.Errorf("text output columns:\n%s", out)
	}

	// SARIF counts UTF-16 code units: the emoji is two.
	_, out, _ = runCLI(t, "", "check", "--format", "sarif", f)
	log := decodeSARIF(t, out)
	if log.Runs[0].ColumnKind != "utf16CodeUnits" {
		t.Errorf("columnKind %q", log.Runs[0].ColumnKind)
	}
	res := log.Runs[0].Results
	if len(res) != 2 {
		t.Fatalf("want 2 results, got %d", len(res))
	}
	if r := res[0].Locations[0].PhysicalLocation.Region; r.StartColumn != 19 || r.EndColumn != 24 {
		t.Errorf("SARIF region 1 %+v, want columns 19-24", r)
	}
	if r := res[1].Locations[0].PhysicalLocation.Region; r.StartColumn != 32 || r.EndColumn != 36 {
		t.Errorf("SARIF region 2 %+v, want columns 32-36 (UTF-16)", r)
	}
}

func TestCheckCRLF(t *testing.T) {
	text := strings.ReplaceAll(smallConf, "\n", "\r\n")
	dir := writeConf(t, map[string]string{"crlf.conf": text})
	_, out, _ := runCLI(t, "", "check", "--format", "json", filepath.Join(dir, "crlf.conf"))
	got := decodeJSON(t, out)
	if len(got) != 3 {
		t.Fatalf("findings: %+v", got)
	}
	// The range ends at the end of the words, not on the '\r'.
	if g := got[1]; g.Line != 8 || g.Column != 18 || g.EndColumn != 32 {
		t.Errorf("finding %+v, want 8:18-8:32", g)
	}
}

type sarifLog struct {
	Version string `json:"version"`
	Schema  string `json:"$schema"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name    string `json:"name"`
				Version string `json:"version"`
				Rules   []struct {
					ID                   string `json:"id"`
					DefaultConfiguration struct {
						Level string `json:"level"`
					} `json:"defaultConfiguration"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		ColumnKind string `json:"columnKind"`
		Results    []struct {
			RuleID    string `json:"ruleId"`
			RuleIndex *int   `json:"ruleIndex"`
			Level     string `json:"level"`
			Message   struct {
				Text string `json:"text"`
			} `json:"message"`
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI string `json:"uri"`
					} `json:"artifactLocation"`
					Region struct {
						StartLine   int `json:"startLine"`
						StartColumn int `json:"startColumn"`
						EndLine     int `json:"endLine"`
						EndColumn   int `json:"endColumn"`
					} `json:"region"`
				} `json:"physicalLocation"`
			} `json:"locations"`
		} `json:"results"`
	} `json:"runs"`
}

func decodeSARIF(t *testing.T, out string) sarifLog {
	t.Helper()
	var log sarifLog
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatalf("SARIF output is not valid JSON: %v\n%s", err, out)
	}
	if log.Version != "2.1.0" {
		t.Errorf("version %q, want 2.1.0", log.Version)
	}
	if len(log.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(log.Runs))
	}
	if n := log.Runs[0].Tool.Driver.Name; n != "keepalived-ls" {
		t.Errorf("tool.driver.name %q", n)
	}
	return log
}

func TestCheckSARIF(t *testing.T) {
	dir := writeConf(t, map[string]string{"small.conf": smallConf, "clean.conf": cleanConf})
	f := filepath.Join(dir, "small.conf")
	code, out, _ := runCLI(t, "", "check", "--format", "sarif", f)
	if code != 1 {
		t.Errorf("exit status %d, want 1", code)
	}
	log := decodeSARIF(t, out)
	run := log.Runs[0]
	if !strings.HasPrefix(run.Tool.Driver.Version, "keepalived-ls ") {
		t.Errorf("driver version %q", run.Tool.Driver.Version)
	}
	rules := analysis.Rules()
	if len(run.Tool.Driver.Rules) != len(rules) {
		t.Errorf("%d rules in the driver, want %d", len(run.Tool.Driver.Rules), len(rules))
	}
	for i, r := range run.Tool.Driver.Rules {
		if i < len(rules) && (r.ID != rules[i].ID || r.DefaultConfiguration.Level != sarifLevel(rules[i].Severity)) {
			t.Errorf("driver rule %d = %s/%s, want %s/%s", i, r.ID, r.DefaultConfiguration.Level, rules[i].ID, sarifLevel(rules[i].Severity))
		}
	}
	type res struct {
		rule, level, uri           string
		line, col, endLine, endCol int
	}
	var got []res
	for _, r := range run.Results {
		if r.RuleIndex == nil || *r.RuleIndex >= len(run.Tool.Driver.Rules) || run.Tool.Driver.Rules[*r.RuleIndex].ID != r.RuleID {
			t.Errorf("result %s: ruleIndex %v does not point at its rule", r.RuleID, r.RuleIndex)
		}
		if r.Message.Text == "" || len(r.Locations) != 1 {
			t.Errorf("result %s: message %q, %d locations", r.RuleID, r.Message.Text, len(r.Locations))
			continue
		}
		p := r.Locations[0].PhysicalLocation
		got = append(got, res{r.RuleID, r.Level, p.ArtifactLocation.URI, p.Region.StartLine, p.Region.StartColumn, p.Region.EndLine, p.Region.EndColumn})
	}
	uri := filepath.ToSlash(f)
	want := []res{
		{"unknown-keyword", "error", uri, 3, 5, 3, 13},
		{"extra-arguments", "warning", uri, 8, 18, 8, 32},
		{"auth-pass-truncated", "warning", uri, 11, 19, 11, 29},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("results:\n%v\nwant:\n%v", got, want)
	}

	// A severity changed on the command line shows in the level; notes
	// for information and hints.
	_, out, _ = runCLI(t, "", "check", "--format", "sarif", "--rule", "unknown-keyword=hint", "--rule", "auth-pass-truncated=information", f)
	for _, r := range decodeSARIF(t, out).Runs[0].Results {
		if (r.RuleID == "unknown-keyword" || r.RuleID == "auth-pass-truncated") && r.Level != "note" {
			t.Errorf("%s level %q, want note", r.RuleID, r.Level)
		}
	}

	// No findings: a valid log with an empty result list.
	code, out, _ = runCLI(t, "", "check", "--format", "sarif", filepath.Join(dir, "clean.conf"))
	if code != 0 {
		t.Errorf("clean: exit status %d", code)
	}
	if n := len(decodeSARIF(t, out).Runs[0].Results); n != 0 {
		t.Errorf("clean: %d results", n)
	}
	if !strings.Contains(out, `"results": []`) {
		t.Errorf("clean: SARIF has no empty results array:\n%s", out)
	}
}

// TestCheckSARIFURIs: artifact locations are URI references, so file names
// with blanks or '#' must be percent-encoded.
func TestCheckSARIFURIs(t *testing.T) {
	dir := writeConf(t, map[string]string{"my lb #1.conf": smallConf})
	t.Chdir(dir)
	_, out, _ := runCLI(t, "", "check", "--format", "sarif", "my lb #1.conf")
	log := decodeSARIF(t, out)
	if len(log.Runs[0].Results) == 0 {
		t.Fatal("no results")
	}
	uri := log.Runs[0].Results[0].Locations[0].PhysicalLocation.ArtifactLocation.URI
	u, err := url.Parse(uri)
	if err != nil || u.Path != "my lb #1.conf" || u.Fragment != "" {
		t.Errorf("SARIF artifactLocation.uri %q is not a URI reference for the file 'my lb #1.conf' (parsed: %+v, %v)", uri, u, err)
	}
}

func TestCheckStdin(t *testing.T) {
	code, out, _ := runCLI(t, smallConf, "check", "-")
	if code != 1 {
		t.Errorf("exit status %d, want 1", code)
	}
	if !strings.HasPrefix(out, "<stdin>:3:5: error: unknown keyword 'routerid'") {
		t.Errorf("stdout:\n%s", out)
	}
	_, out, _ = runCLI(t, smallConf, "check", "--format", "json", "-")
	got := decodeJSON(t, out)
	if len(got) != 3 || got[0].File != "<stdin>" {
		t.Errorf("findings: %+v", got)
	}
	code, out, _ = runCLI(t, cleanConf, "check", "-")
	if code != 0 || out != "" {
		t.Errorf("clean stdin: exit %d, output %q", code, out)
	}
}

// TestCheckStdinIncludes: a relative include read from stdin is resolved
// against the working directory.
func TestCheckStdinIncludes(t *testing.T) {
	dir := writeConf(t, map[string]string{"conf.d/vrrp.conf": "vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 300\n}\n"})
	t.Chdir(dir)
	code, out, _ := runCLI(t, "include conf.d/*.conf\n", "check", "-")
	if code != 1 || out == "" {
		t.Fatalf("exit %d, output %q", code, out)
	}
	want := filepath.Join("conf.d", "vrrp.conf") + ":3:23: error: "
	if !strings.HasPrefix(out, want) {
		t.Errorf("stdout %q, want a finding starting %q", out, want)
	}
}

func TestCheckTargetVersion(t *testing.T) {
	text := "global_defs {\n    router_id lb1\n    vrrp_delay_after_boot 30\n}\n"
	dir := writeConf(t, map[string]string{"delay.conf": text})
	f := filepath.Join(dir, "delay.conf")
	for _, c := range []struct {
		version string
		code    int
	}{{"", 0}, {"2.4.0", 0}, {"latest", 0}, {"v2.4.3", 0}, {"2.3.3", 1}, {"2.2.7", 1}, {"2.3", 1}} {
		args := []string{"check", f}
		if c.version != "" {
			args = []string{"check", "--target-version", c.version, f}
		}
		code, out, errOut := runCLI(t, "", args...)
		if code != c.code {
			t.Errorf("--target-version %q: exit %d, want %d (%s%s)", c.version, code, c.code, out, errOut)
		}
		if c.code == 1 && !strings.Contains(out, ":3:5: error: 'vrrp_delay_after_boot' was added in keepalived 2.4.0") {
			t.Errorf("--target-version %q: %s", c.version, out)
		}
	}
	// The version changes how values are checked too.
	dir = writeConf(t, map[string]string{"iv.conf": "vrrp_script chk {\n    script \"/usr/bin/true\"\n    interval 0.5\n}\n"})
	if code, out, _ := runCLI(t, "", "check", "--target-version=2.2.7", filepath.Join(dir, "iv.conf")); code != 1 || !strings.Contains(out, ":3:14: error:") {
		t.Errorf("interval 0.5 for 2.2.7: exit %d, %s", code, out)
	}
	if code, out, _ := runCLI(t, "", "check", filepath.Join(dir, "iv.conf")); code != 0 || out != "" {
		t.Errorf("interval 0.5 for the newest: exit %d, %s", code, out)
	}
}

func TestCheckRuleOff(t *testing.T) {
	dir := writeConf(t, map[string]string{"small.conf": smallConf})
	f := filepath.Join(dir, "small.conf")
	code, out, _ := runCLI(t, "", "check", "--rule", "unknown-keyword=off", "--rule", "auth-pass-truncated=off", f)
	want := f + ":8:18: warning: 'priority' does not take '; advert_int 1': keepalived ignores the rest of the line [extra-arguments]\n"
	if code != 0 || out != want {
		t.Errorf("exit %d, stdout:\n%s\nwant:\n%s", code, out, want)
	}
	code, out, _ = runCLI(t, "", "check", "--rule=unknown-keyword=off", "--rule=extra-arguments=off", "--rule=auth-pass-truncated=off", f)
	if code != 0 || out != "" {
		t.Errorf("all off: exit %d, stdout %q", code, out)
	}
}

func TestCheckConfigID(t *testing.T) {
	text := "global_defs {\n    router_id lb1\n}\n" +
		"vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n" +
		"@lb1 priority 300\n@^lb1 priority 50\n" +
		"    virtual_ipaddress {\n        192.168.1.10/24\n    }\n}\n"
	dir := writeConf(t, map[string]string{"id.conf": text})
	f := filepath.Join(dir, "id.conf")
	code, out, _ := runCLI(t, "", "check", f)
	if code != 0 || out != "" {
		t.Errorf("without --config-id (only @^lb1 applies): exit %d, %q", code, out)
	}
	code, out, _ = runCLI(t, "", "check", "--config-id", "lb1", f)
	if code != 1 || !strings.Contains(out, f+":7:15: error: ") || !strings.Contains(out, "300") {
		t.Errorf("--config-id lb1 (@lb1 applies): exit %d, %q", code, out)
	}
	code, out, _ = runCLI(t, "", "check", "--config-id=lb2", f)
	if code != 0 || out != "" {
		t.Errorf("--config-id lb2: exit %d, %q", code, out)
	}
}

func TestCheckIncludedFiles(t *testing.T) {
	inc := "vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 300\n}\n"
	dir := writeConf(t, map[string]string{
		"keepalived.conf":  "global_defs {\n    routerid lb1\n}\ninclude conf.d/*.conf\n",
		"conf.d/vrrp.conf": inc,
	})
	// Absolute paths outside the working directory stay absolute.
	main := filepath.Join(dir, "keepalived.conf")
	code, out, _ := runCLI(t, "", "check", main)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if code != 1 || len(lines) != 2 {
		t.Fatalf("exit %d, output:\n%s", code, out)
	}
	if !strings.HasPrefix(lines[0], main+":2:5: error: unknown keyword 'routerid'") {
		t.Errorf("line 1: %q", lines[0])
	}
	incPath := filepath.Join(dir, "conf.d", "vrrp.conf")
	if !strings.HasPrefix(lines[1], incPath+":3:23: error: ") || !strings.HasSuffix(lines[1], "[invalid-value]") {
		t.Errorf("line 2: %q, want a finding in %s", lines[1], incPath)
	}

	// Run from the configuration's directory: relative names.
	t.Chdir(dir)
	_, out, _ = runCLI(t, "", "check", "--format", "json", "keepalived.conf")
	got := decodeJSON(t, out)
	if len(got) != 2 || got[0].File != "keepalived.conf" || got[1].File != filepath.Join("conf.d", "vrrp.conf") ||
		got[1].Line != 3 || got[1].Column != 23 || got[1].EndColumn != 26 {
		t.Errorf("findings: %+v", got)
	}

	// A file included twice (by two checked files) is reported once.
	if err := os.WriteFile("other.conf", []byte("include conf.d/vrrp.conf\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, out, _ = runCLI(t, "", "check", "keepalived.conf", "other.conf")
	if n := strings.Count(out, "conf.d/vrrp.conf:3:23:"); n != 1 {
		t.Errorf("the included file's finding appears %d times:\n%s", n, out)
	}
}

func TestVersionCommand(t *testing.T) {
	code, out, errOut := runCLI(t, "", "version")
	if code != 0 || errOut != "" {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	re := regexp.MustCompile(`^keepalived-ls \S+ \(keyword schema: keepalived ` +
		regexp.QuoteMeta(schema.OldestKnown.String()) + ` to ` + regexp.QuoteMeta(schema.NewestRelease.String()) + `\)\n$`)
	if !re.MatchString(out) {
		t.Errorf("version output %q does not match %s", out, re)
	}
}

// TestBinary builds the real command and runs it as a user would.
func TestBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not found")
	}
	bin := filepath.Join(t.TempDir(), "keepalived-ls")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	build := exec.CommandContext(ctx, goTool, "build", "-o", bin, "-ldflags", "-X main.version=v0.0.0-test", ".")
	build.Dir = filepath.Join(testenv.RepoRoot(t), "cmd", "keepalived-ls")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	dir := writeConf(t, map[string]string{"small.conf": smallConf, "clean.conf": cleanConf})
	exe := func(stdin string, args ...string) (int, string, string) {
		cmd := exec.CommandContext(ctx, bin, args...)
		cmd.Dir = dir
		cmd.Stdin = strings.NewReader(stdin)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			t.Fatalf("running %s: %v", bin, err)
		}
		return cmd.ProcessState.ExitCode(), out.String(), errb.String()
	}

	code, out, _ := exe("", "version")
	if code != 0 || !strings.HasPrefix(out, "keepalived-ls v0.0.0-test (keyword schema: keepalived ") {
		t.Errorf("version: exit %d, %q", code, out)
	}
	code, out, errOut := exe("", "check", "small.conf")
	want := "small.conf:3:5: error: unknown keyword 'routerid' in 'global_defs'; did you mean 'router_id'? [unknown-keyword]\n" +
		"small.conf:8:18: warning: 'priority' does not take '; advert_int 1': keepalived ignores the rest of the line [extra-arguments]\n" +
		"small.conf:11:19: warning: auth_pass is 10 characters long; keepalived uses only the first 8 ('01234567'), so peers must use the same 8 [auth-pass-truncated]\n"
	if code != 1 || out != want || errOut != "" {
		t.Errorf("check small.conf: exit %d\nstdout:\n%s\nwant:\n%s\nstderr: %s", code, out, want, errOut)
	}
	if code, out, _ := exe("", "check", "clean.conf"); code != 0 || out != "" {
		t.Errorf("check clean.conf: exit %d, %q", code, out)
	}
	if code, out, _ := exe(smallConf, "check", "--format", "json", "-"); code != 1 || len(decodeJSON(t, out)) != 3 {
		t.Errorf("check - (json): exit %d, %q", code, out)
	}
	if code, _, errOut := exe("", "check", "--format", "yaml", "clean.conf"); code != 2 || errOut == "" {
		t.Errorf("bad format: exit %d, stderr %q", code, errOut)
	}
	if code, _, errOut := exe("", "check", "missing.conf"); code != 2 || !strings.Contains(errOut, "missing.conf") {
		t.Errorf("missing file: exit %d, stderr %q", code, errOut)
	}
}

// validConfigs lists testdata/check/valid/*.conf.
func validConfigs(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(testenv.RepoRoot(t), "testdata", "check", "valid", "*.conf"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no valid configurations: %v", err)
	}
	return files
}

// TestCheckValidConfigs: the realistic configurations of
// testdata/check/valid give no output and exit status 0, for every target.
func TestCheckValidConfigs(t *testing.T) {
	files := validConfigs(t)
	for _, v := range []string{"", "2.2.7", "2.3.3", "2.4.3"} {
		for _, id := range []string{"", "node1"} {
			args := append([]string{"check", "--target-version", v, "--config-id", id}, files...)
			code, out, errOut := runCLI(t, "", args...)
			if code != 0 || out != "" || errOut != "" {
				t.Errorf("target %q, config id %q: exit %d\nstdout:\n%s\nstderr:\n%s", v, id, code, out, errOut)
			}
		}
	}
}

// TestValidConfigsAcceptedByKeepalived: keepalived itself accepts the
// configurations of testdata/check/valid without a single message (apart
// from ones about this machine, like a missing interface).
func TestValidConfigsAcceptedByKeepalived(t *testing.T) {
	bin := testenv.Tool(t, "keepalived", "apt-get install -y keepalived")
	for _, f := range validConfigs(t) {
		lines, other, _ := runKeepalived(t, bin, f)
		for _, m := range lines {
			t.Errorf("%s: keepalived says (line %d) %s", filepath.Base(f), m.line, m.text)
		}
		for _, m := range other {
			t.Errorf("%s: keepalived says %s", filepath.Base(f), m)
		}
	}
}

// TestCheckDiagnosticFlood: a file with a problem on each of 30,000 lines
// lists 10,000 of them and counts the rest in one last finding.
func TestCheckDiagnosticFlood(t *testing.T) {
	dir := writeConf(t, map[string]string{"flood.conf": strings.Repeat("}\n", 30000)})
	code, out, errOut := runCLI(t, "", "check", "--format", "json", filepath.Join(dir, "flood.conf"))
	if code != 1 || errOut != "" {
		t.Fatalf("exit status %d (want 1), stderr %q", code, errOut)
	}
	fs := decodeJSON(t, out)
	if len(fs) != 10001 {
		t.Fatalf("%d findings, want 10001", len(fs))
	}
	last := fs[len(fs)-1]
	want := jsonFinding{File: filepath.Join(dir, "flood.conf"), Line: 10001, Column: 1, EndLine: 10001, EndColumn: 2, Severity: "error",
		Rule: "too-many-diagnostics", Message: "20000 more problems in this file are not shown: keepalived-ls reports at most 10000 per file; " +
			"this is the first of them: unexpected '}': no block is open here [unbalanced-braces]"}
	if last != want {
		t.Errorf("last finding\n got %+v\nwant %+v", last, want)
	}
}
