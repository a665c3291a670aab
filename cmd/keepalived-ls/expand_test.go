package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// hostsConf is one file for two hosts, with an include and a definition.
var hostsConf = map[string]string{
	"keepalived.conf": `! shared by lb1 and lb2
@lb1 $PRIO=150
@^lb1 $PRIO=100
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priority $PRIO
    virtual_ipaddress {
        include vips.conf
    }
}
`,
	"vips.conf": "# the service addresses\n10.0.0.10/24\n",
}

func TestExpandCommand(t *testing.T) {
	dir := writeConf(t, hostsConf)
	conf := filepath.Join(dir, "keepalived.conf")
	want := func(prio string) string {
		return `vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priority ` + prio + `
    virtual_ipaddress {
        # from vips.conf:2
        10.0.0.10/24
    # from keepalived.conf:10
    }
}
`
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"expand", conf}, want("100")},
		{[]string{"expand", "--config-id", "lb1", conf}, want("150")},
		{[]string{"expand", "--instance", "lb1", conf}, want("150")},
		{[]string{"expand", "--host", "lb1.example.com", conf}, want("150")},
		{[]string{"expand", "--host", "lb2", conf}, want("100")},
		{[]string{"expand", "--no-markers", conf}, strings.ReplaceAll(strings.ReplaceAll(want("100"), "        # from vips.conf:2\n", ""), "    # from keepalived.conf:10\n", "")},
		{[]string{"expand", "--comments", "--config-id", "lb1", conf}, "! shared by lb1 and lb2\n" +
			strings.Replace(want("150"), "        # from vips.conf:2\n", "        # from vips.conf:1\n        # the service addresses\n", 1)},
	} {
		code, out, errOut := runCLI(t, "", tc.args...)
		if code != 0 || out != tc.want || errOut != "" {
			t.Errorf("%v: exit %d, stderr %q, output:\n%s\nwant:\n%s", tc.args, code, errOut, out, tc.want)
		}
	}
}

func TestExpandCommandErrors(t *testing.T) {
	dir := writeConf(t, hostsConf)
	conf := filepath.Join(dir, "keepalived.conf")
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"expand"}, "keepalived-ls expand: give one file (- reads stdin)\n"},
		{[]string{"expand", conf, conf}, "keepalived-ls expand: give one file (- reads stdin)\n"},
		{[]string{"expand", "--host", "a", "--instance", "b", conf}, "keepalived-ls expand: --config-id, --instance and --host are alternatives; give one\n"},
		{[]string{"expand", filepath.Join(dir, "missing.conf")}, "keepalived-ls expand: stat " + filepath.Join(dir, "missing.conf") + ": no such file or directory\n"},
		{[]string{"expand", dir}, "keepalived-ls expand: " + dir + " is a directory\n"},
	} {
		code, out, errOut := runCLI(t, "", tc.args...)
		if code != 2 || out != "" || errOut != tc.msg {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and %q", tc.args, code, out, errOut, tc.msg)
		}
	}
}

// TestExpandStdin reads standard input, resolving includes from the
// working directory.
func TestExpandStdin(t *testing.T) {
	dir := writeConf(t, hostsConf)
	t.Chdir(dir)
	text, err := os.ReadFile("keepalived.conf")
	if err != nil {
		t.Fatal(err)
	}
	code, out, _ := runCLI(t, string(text), "expand", "--no-markers", "-")
	if code != 0 || !strings.Contains(out, "        10.0.0.10/24\n") {
		t.Errorf("exit %d, output:\n%s", code, out)
	}
}
