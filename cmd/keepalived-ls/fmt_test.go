package main

// Tests of `keepalived-ls fmt`, driven like a user runs it.

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/keepalived-ls/keepalived-ls/internal/testenv"
)

const messyConf = `global_defs {
  router_id   lb1
}
vrrp_instance VI_1
{
state BACKUP
    interface eth0  # uplink
    virtual_router_id 51
    virtual_ipaddress { 10.0.0.1/24 }
}
`

const tidyConf = `global_defs {
    router_id lb1
}
vrrp_instance VI_1 {
    state BACKUP
    interface eth0 # uplink
    virtual_router_id 51
    virtual_ipaddress {
        10.0.0.1/24
    }
}
`

func TestFmtPrints(t *testing.T) {
	dir := writeConf(t, map[string]string{"a.conf": messyConf})
	code, out, errOut := runCLI(t, "", "fmt", filepath.Join(dir, "a.conf"))
	if code != 0 || out != tidyConf || errOut != "" {
		t.Errorf("exit %d, stdout:\n%s\nstderr: %s", code, out, errOut)
	}
	// The file is untouched.
	if b, _ := os.ReadFile(filepath.Join(dir, "a.conf")); string(b) != messyConf {
		t.Errorf("the file changed without -w")
	}
}

func TestFmtStdin(t *testing.T) {
	code, out, errOut := runCLI(t, messyConf, "fmt", "-")
	if code != 0 || out != tidyConf || errOut != "" {
		t.Errorf("exit %d, stdout:\n%s\nstderr: %s", code, out, errOut)
	}
	code, out, _ = runCLI(t, messyConf, "fmt", "--check", "-")
	if code != 1 || out != "<stdin>\n" {
		t.Errorf("--check -: exit %d, stdout %q", code, out)
	}
}

func TestFmtWrite(t *testing.T) {
	dir := writeConf(t, map[string]string{"a.conf": messyConf, "b.conf": tidyConf})
	a, b := filepath.Join(dir, "a.conf"), filepath.Join(dir, "b.conf")
	if err := os.Chmod(a, 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "", "fmt", "-w", a, b)
	if code != 0 || out != "" || errOut != "" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	for _, f := range []string{a, b} {
		if got, _ := os.ReadFile(f); string(got) != tidyConf {
			t.Errorf("%s after -w:\n%s", f, got)
		}
	}
	if st, err := os.Stat(a); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("mode after -w: %v %v", st.Mode(), err)
	}
	// Formatted files pass --check.
	if code, out, _ := runCLI(t, "", "fmt", "--check", a, b); code != 0 || out != "" {
		t.Errorf("--check after -w: exit %d, stdout %q", code, out)
	}
}

func TestFmtCheck(t *testing.T) {
	dir := writeConf(t, map[string]string{"a.conf": messyConf, "b.conf": tidyConf, "c.conf": "global_defs {\nrouter_id x\n}\n"})
	code, out, errOut := runCLI(t, "", "fmt", "--check", filepath.Join(dir, "a.conf"), filepath.Join(dir, "b.conf"), filepath.Join(dir, "c.conf"))
	want := filepath.Join(dir, "a.conf") + "\n" + filepath.Join(dir, "c.conf") + "\n"
	if code != 1 || out != want || errOut != "" {
		t.Errorf("exit %d, stdout %q (want %q), stderr %q", code, out, want, errOut)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "a.conf")); string(b) != messyConf {
		t.Errorf("--check changed the file")
	}
}

func TestFmtDiff(t *testing.T) {
	dir := writeConf(t, map[string]string{"a.conf": "global_defs {\n  router_id   lb1\n}\nvrrp_script chk {\n    script /bin/true\n}\n", "b.conf": tidyConf})
	a := filepath.Join(dir, "a.conf")
	want := "diff -u " + a + ".orig " + a + "\n" +
		"--- " + a + ".orig\n" +
		"+++ " + a + "\n" +
		"@@ -1,5 +1,5 @@\n" +
		" global_defs {\n" +
		"-  router_id   lb1\n" +
		"+    router_id lb1\n" +
		" }\n" +
		" vrrp_script chk {\n" +
		"     script /bin/true\n"
	code, out, errOut := runCLI(t, "", "fmt", "--diff", a, filepath.Join(dir, "b.conf"))
	if code != 0 || out != want || errOut != "" {
		t.Errorf("exit %d, stdout:\n%s\nwant:\n%s\nstderr: %s", code, out, want, errOut)
	}
	// With --check the diff is the report, and the status says so.
	if code, out, _ := runCLI(t, "", "fmt", "--check", "--diff", a); code != 1 || out != want {
		t.Errorf("--check --diff: exit %d, stdout:\n%s", code, out)
	}
	// -w with --diff writes and shows what it wrote.
	if code, out, _ := runCLI(t, "", "fmt", "-w", "--diff", a); code != 0 || out != want {
		t.Errorf("-w --diff: exit %d, stdout:\n%s", code, out)
	}
	if code, out, _ := runCLI(t, "", "fmt", "--diff", a); code != 0 || out != "" {
		t.Errorf("--diff after -w: exit %d, stdout %q", code, out)
	}
}

func TestFmtIndent(t *testing.T) {
	in := "global_defs {\nrouter_id lb1\nnotification_email {\nroot\n}\n}\n"
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--tabs"}, "global_defs {\n\trouter_id lb1\n\tnotification_email {\n\t\troot\n\t}\n}\n"},
		{[]string{"--indent", "2"}, "global_defs {\n  router_id lb1\n  notification_email {\n    root\n  }\n}\n"},
		{[]string{"--indent=8"}, "global_defs {\n        router_id lb1\n        notification_email {\n                root\n        }\n}\n"},
	} {
		code, out, errOut := runCLI(t, in, append(append([]string{"fmt"}, tc.args...), "-")...)
		if code != 0 || out != tc.want || errOut != "" {
			t.Errorf("%v: exit %d, stdout:\n%s\nstderr: %s", tc.args, code, out, errOut)
		}
	}
}

func TestFmtSyntaxErrors(t *testing.T) {
	// The broken block is left as written, the rest is formatted, and
	// stderr says why.
	in := "global_defs {\n  router_id lb1\n}\nvrrp_instance VI_1 {\n  state   MASTER\n"
	code, out, errOut := runCLI(t, in, "fmt", "-")
	want := "global_defs {\n    router_id lb1\n}\nvrrp_instance VI_1 {\n  state   MASTER\n"
	wantErr := "<stdin>:4: lines 4-6 left as they are: fix the syntax error first (keepalived-ls check) [unbalanced-braces]\n"
	if code != 0 || out != want || errOut != wantErr {
		t.Errorf("exit %d, stdout:\n%s\nstderr: %q", code, out, errOut)
	}
}

func TestFmtErrors(t *testing.T) {
	dir := writeConf(t, map[string]string{"a.conf": messyConf})
	a := filepath.Join(dir, "a.conf")
	missing := filepath.Join(dir, "missing.conf")
	for _, tc := range []struct {
		name    string
		args    []string
		stdout  string
		stderr  string // substring
		changed bool   // a.conf is rewritten
	}{
		{"no-files", []string{"fmt"}, "", "no files given", false},
		{"write-and-check", []string{"fmt", "-w", "--check", a}, "", "-w and --check cannot be used together", false},
		{"indent-and-tabs", []string{"fmt", "--indent", "2", "--tabs", a}, "", "--indent and --tabs cannot be used together", false},
		{"indent-zero", []string{"fmt", "--indent", "0", a}, "", "--indent 0: want 1 to 16 spaces", false},
		{"unknown-flag", []string{"fmt", "--frobnicate", a}, "", "flag provided but not defined", false},
		{"write-stdin", []string{"fmt", "-w", "-"}, "", "-w cannot write to standard input", false},
		{"directory", []string{"fmt", dir}, "", "is a directory", false},
		// A missing file is reported; the other files are still formatted.
		{"missing-file", []string{"fmt", "-w", missing, a}, "", "missing.conf", true},
		{"missing-file-check", []string{"fmt", "--check", missing}, "", "missing.conf", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := os.WriteFile(a, []byte(messyConf), 0o644); err != nil {
				t.Fatal(err)
			}
			code, out, errOut := runCLI(t, "", tc.args...)
			if code != 2 || out != tc.stdout || !strings.Contains(errOut, tc.stderr) {
				t.Errorf("exit %d, stdout %q, stderr %q (want %q)", code, out, errOut, tc.stderr)
			}
			b, _ := os.ReadFile(a)
			if (string(b) != messyConf) != tc.changed {
				t.Errorf("a.conf rewritten: %v, want %v", string(b) != messyConf, tc.changed)
			}
		})
	}
}

func TestFmtUsage(t *testing.T) {
	code, out, _ := runCLI(t, "", "help")
	if code != 0 || !strings.Contains(out, "keepalived-ls fmt [-w|--check|--diff] [--indent N|--tabs] FILE...") {
		t.Errorf("usage does not describe fmt:\n%s", out)
	}
}

// TestPreCommitHooks checks that the pre-commit hooks run existing commands.
func TestPreCommitHooks(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(testenv.RepoRoot(t), ".pre-commit-hooks.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var hooks []struct {
		ID    string `yaml:"id"`
		Entry string `yaml:"entry"`
	}
	if err := yaml.Unmarshal(b, &hooks); err != nil {
		t.Fatal(err)
	}
	entries := map[string]string{}
	for _, h := range hooks {
		entries[h.ID] = h.Entry
	}
	if entries["keepalived-ls-fmt"] != "keepalived-ls fmt --check" {
		t.Errorf("hook keepalived-ls-fmt runs %q", entries["keepalived-ls-fmt"])
	}
	// The hook's command works: pre-commit appends the staged file names.
	dir := writeConf(t, map[string]string{"keepalived.conf": messyConf})
	args := append(strings.Fields(entries["keepalived-ls-fmt"])[1:], filepath.Join(dir, "keepalived.conf"))
	if code, out, _ := runCLI(t, "", args...); code != 1 || !strings.HasSuffix(out, "keepalived.conf\n") {
		t.Errorf("hook on an unformatted file: exit %d, stdout %q", code, out)
	}
}
