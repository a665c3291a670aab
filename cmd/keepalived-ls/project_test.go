package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keepalived-ls/keepalived-ls/internal/testenv"
)

// projectConf has a 2.3.3 keyword (line 3), extra arguments (line 4) and
// a bad value on a line only node1 reads (line 5).
const projectConf = `global_defs {
    router_id lb1
    json_dump_file /tmp/keepalived.json
    vrrp_version 2 3
@node1    vrrp_garp_master_delay nope
}
`

func TestProjectFileApplies(t *testing.T) {
	dir := writeConf(t, map[string]string{
		".keepalived-ls.toml": "target-version = \"2.2.7\"\nconfig-id = \"node1\"\n[rules]\nextra-arguments = \"off\"\n",
		"sub/keepalived.conf": projectConf,
	})
	f := filepath.Join(dir, "sub", "keepalived.conf")
	code, out, errOut := runCLI(t, "", "check", f)
	if errOut != "" {
		t.Fatalf("stderr %q", errOut)
	}
	// 2.2.7 does not know json_dump_file; node1 reads line 5; the extra
	// arguments are off.
	if code != 1 || !strings.Contains(out, ":3:5: error:") || !strings.Contains(out, "[unavailable-in-version]") ||
		!strings.Contains(out, ":5:") || strings.Contains(out, "extra-arguments") {
		t.Errorf("exit %d, output:\n%s", code, out)
	}

	// Flags win over the file.
	code, out, _ = runCLI(t, "", "check", "--target-version", "2.4.3", "--config-id", "", "--rule", "extra-arguments=warning", f)
	if strings.Contains(out, "unavailable-in-version") || strings.Contains(out, ":5:") || !strings.Contains(out, "[extra-arguments]") {
		t.Errorf("flags did not win: exit %d, output:\n%s", code, out)
	}

	// --config names another file; the nearest one is then not used.
	other := filepath.Join(t.TempDir(), "other.toml")
	if err := os.WriteFile(other, []byte("[rules]\nunavailable-in-version = \"off\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, out, _ = runCLI(t, "", "check", "--config", other, "--target-version", "2.2.7", f)
	if strings.Contains(out, "unavailable-in-version") || !strings.Contains(out, "[extra-arguments]") {
		t.Errorf("--config: output:\n%s", out)
	}
}

func TestProjectFileErrors(t *testing.T) {
	dir := writeConf(t, map[string]string{
		".keepalived-ls.toml": "[rules]\nno-such-rule = \"off\"\n",
		"keepalived.conf":     "global_defs {\n    router_id lb1\n}\n",
	})
	code, _, errOut := runCLI(t, "", "check", filepath.Join(dir, "keepalived.conf"))
	if code != 2 || !strings.Contains(errOut, filepath.Join(dir, ".keepalived-ls.toml")) || !strings.Contains(errOut, "no-such-rule") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	code, _, errOut = runCLI(t, "", "check", "--config", filepath.Join(dir, "missing.toml"), filepath.Join(dir, "keepalived.conf"))
	if code != 2 || !strings.Contains(errOut, "--config") {
		t.Errorf("missing --config file: exit %d, stderr %q", code, errOut)
	}
}

// TestWithKeepalived: --with-keepalived adds keepalived's own messages on
// lines keepalived-ls says nothing about.
func TestWithKeepalived(t *testing.T) {
	testenv.Tool(t, "keepalived", "apt-get install -y keepalived")
	// keepalived reports the interface this machine lacks (line 5), which
	// keepalived-ls cannot know.
	dir := writeConf(t, map[string]string{"keepalived.conf": "global_defs {\n    router_idd lb1\n}\nvrrp_instance VI_1 {\n    interface nosuchif0\n    virtual_router_id 51\n    virtual_ipaddress {\n        192.168.1.10/24\n    }\n}\n"})
	f := filepath.Join(dir, "keepalived.conf")
	_, plain, _ := runCLI(t, "", "check", f)
	if strings.Contains(plain, "keepalived-message") {
		t.Fatalf("keepalived ran without --with-keepalived:\n%s", plain)
	}
	code, out, errOut := runCLI(t, "", "check", "--with-keepalived", f)
	if errOut != "" {
		t.Fatalf("stderr %q", errOut)
	}
	if code != 1 || !strings.Contains(out, ":5:5: warning: keepalived -t: ") || !strings.Contains(out, "nosuchif0") {
		t.Errorf("exit %d, output:\n%s", code, out)
	}
	// keepalived's "Unknown keyword" on line 2 is not repeated.
	if strings.Count(out, ":2:") != 1 {
		t.Errorf("line 2 reported more than once:\n%s", out)
	}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if strings.HasSuffix(l, "[keepalived-message]") && !strings.Contains(l, "keepalived -t: ") {
			t.Errorf("keepalived message without its origin: %s", l)
		}
	}
	// Standard input is never given to keepalived.
	_, out, _ = runCLI(t, "global_defs {\n    router_idd lb1\n}\n", "check", "--with-keepalived", "-")
	if strings.Contains(out, "keepalived-message") {
		t.Errorf("stdin: %s", out)
	}
}
