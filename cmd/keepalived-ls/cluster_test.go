package main

// Tests of `check --cluster`.

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// fixtureLines returns the diagnostics of a testdata/cluster fixture's
// expected.txt (without the related lines).
func fixtureLines(t *testing.T, dir string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "expected.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if l != "" && !strings.HasPrefix(l, "\t") {
			out = append(out, l)
		}
	}
	return out
}

// clusterLines returns the output lines of cluster rules.
func clusterLines(out string) []string {
	var got []string
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, " [cluster-") {
			got = append(got, l)
		}
	}
	return got
}

// TestCheckCluster runs check --cluster on every fixture: its cluster
// lines are the fixture's expected diagnostics, and the exit status is 1
// exactly when one of the findings is an error.
func TestCheckCluster(t *testing.T) {
	root, err := filepath.Abs("../../testdata/cluster")
	if err != nil {
		t.Fatal(err)
	}
	dirs, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		t.Run(d.Name(), func(t *testing.T) {
			dir := filepath.Join(root, d.Name())
			t.Chdir(dir)
			names, _ := filepath.Glob("*.conf")
			code, out, errOut := runCLI(t, "", append([]string{"check", "--cluster"}, names...)...)
			if errOut != "" {
				t.Errorf("stderr: %s", errOut)
			}
			want := fixtureLines(t, dir)
			if got := clusterLines(out); !slices.Equal(got, want) {
				t.Errorf("cluster lines:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			wantCode := 0
			if strings.Contains(out, ": error: ") {
				wantCode = 1
			}
			if code != wantCode {
				t.Errorf("exit status %d, want %d\n%s", code, wantCode, out)
			}
		})
	}
}

// TestCheckClusterOutput: the exact output and exit status of a pair, the
// same files without --cluster, JSON with its exact fields, and SARIF with
// the peer as a related location.
func TestCheckClusterOutput(t *testing.T) {
	a := `vrrp_instance VI_1 {
    state MASTER
    interface eth0
    virtual_router_id 51
    priority 150
    advert_int 1
    virtual_ipaddress {
        192.0.2.10/24
    }
}
`
	b := strings.Replace(strings.Replace(a, "MASTER", "BACKUP", 1), "priority 150", "priority 100", 1)
	b = strings.Replace(b, "advert_int 1", "advert_int 2", 1)
	dir := writeConf(t, map[string]string{"node1/keepalived.conf": a, "node2/keepalived.conf": b})
	t.Chdir(dir)
	code, out, errOut := runCLI(t, "", "check", "--cluster", "node1/keepalived.conf", "node2/keepalived.conf")
	want := "" +
		"node1/keepalived.conf:6:16: error: advert_int is 1 here but 2 on node2/keepalived.conf:6: with VRRP version 2 keepalived drops every advert whose interval differs from its own, so neither host hears the other and both become MASTER; use the same advert_int on every host [cluster-advert-int-mismatch]\n" +
		"node2/keepalived.conf:6:16: error: advert_int is 2 here but 1 on node1/keepalived.conf:6: with VRRP version 2 keepalived drops every advert whose interval differs from its own, so neither host hears the other and both become MASTER; use the same advert_int on every host [cluster-advert-int-mismatch]\n"
	if code != 1 || out != want || errOut != "" {
		t.Errorf("exit status %d, stdout:\n%s\nwant:\n%s\nstderr: %s", code, out, want, errOut)
	}

	// Without --cluster the files are checked on their own.
	if code, out, _ := runCLI(t, "", "check", "node1/keepalived.conf", "node2/keepalived.conf"); code != 0 || out != "" {
		t.Errorf("without --cluster: exit status %d, output:\n%s", code, out)
	}

	// Rule settings apply.
	if code, out, _ := runCLI(t, "", "check", "--cluster", "--rule", "cluster-advert-int-mismatch=warning", "node1/keepalived.conf", "node2/keepalived.conf"); code != 0 || strings.Count(out, ": warning: ") != 2 {
		t.Errorf("--rule: exit status %d, output:\n%s", code, out)
	}

	// JSON keeps exactly its fields; the peer is named in the message.
	_, out, _ = runCLI(t, "", "check", "--cluster", "--format", "json", "node1/keepalived.conf", "node2/keepalived.conf")
	fs := decodeJSON(t, out)
	if len(fs) != 2 || fs[0].File != "node1/keepalived.conf" || fs[0].Line != 6 || fs[0].Rule != "cluster-advert-int-mismatch" ||
		!strings.Contains(fs[0].Message, "node2/keepalived.conf:6") {
		t.Errorf("json: %+v", fs)
	}

	// SARIF: the peer's line as a related location.
	_, out, _ = runCLI(t, "", "check", "--cluster", "--format", "sarif", "node1/keepalived.conf", "node2/keepalived.conf")
	log := decodeSARIF(t, out)
	if len(log.Runs[0].Results) != 2 {
		t.Fatalf("sarif: %d results", len(log.Runs[0].Results))
	}
	if !strings.Contains(out, `"relatedLocations"`) {
		t.Fatalf("sarif has no relatedLocations:\n%s", out)
	}
	var rel struct {
		Runs []struct {
			Results []struct {
				RelatedLocations []struct {
					ID               int `json:"id"`
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
						Region struct {
							StartLine   int `json:"startLine"`
							StartColumn int `json:"startColumn"`
						} `json:"region"`
					} `json:"physicalLocation"`
					Message struct {
						Text string `json:"text"`
					} `json:"message"`
				} `json:"relatedLocations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &rel); err != nil {
		t.Fatal(err)
	}
	r := rel.Runs[0].Results[0].RelatedLocations
	if len(r) != 1 || r[0].PhysicalLocation.ArtifactLocation.URI != "node2/keepalived.conf" || r[0].PhysicalLocation.Region.StartLine != 6 ||
		r[0].PhysicalLocation.Region.StartColumn != 16 || r[0].Message.Text != "advert_int on node2/keepalived.conf" || r[0].ID != 1 {
		t.Errorf("sarif related locations: %+v", r)
	}
}

// TestCheckClusterProject: without files, --cluster checks the project
// file's [cluster] peers (relative to the project file, globs allowed).
func TestCheckClusterProject(t *testing.T) {
	root, err := filepath.Abs("../../testdata/cluster/cluster-multiple-masters")
	if err != nil {
		t.Fatal(err)
	}
	a, _ := os.ReadFile(filepath.Join(root, "a.conf"))
	b, _ := os.ReadFile(filepath.Join(root, "b.conf"))
	dir := writeConf(t, map[string]string{
		".keepalived-ls.toml":     "[cluster]\npeers = [\"hosts/*/keepalived.conf\"]\n",
		"hosts/a/keepalived.conf": string(a),
		"hosts/b/keepalived.conf": string(b),
	})
	t.Chdir(filepath.Join(dir, "hosts"))
	code, out, errOut := runCLI(t, "", "check", "--cluster")
	got := clusterLines(out)
	if code != 0 || errOut != "" || len(got) != 2 ||
		!strings.HasPrefix(got[0], "a/keepalived.conf:6:11: warning: vrrp_instance 'VI_1' starts as MASTER with priority 100, and so does the one on b/keepalived.conf:6") ||
		!strings.HasPrefix(got[1], "b/keepalived.conf:6:11: warning: ") {
		t.Errorf("exit status %d, stdout:\n%s\nstderr: %s", code, out, errOut)
	}

	// --config names the project file.
	t.Chdir(t.TempDir())
	code, out, _ = runCLI(t, "", "check", "--cluster", "--config", filepath.Join(dir, ".keepalived-ls.toml"))
	if code != 0 || len(clusterLines(out)) != 2 {
		t.Errorf("--config: exit status %d, stdout:\n%s", code, out)
	}
}

// TestCheckClusterUsage: usage errors exit with 2.
func TestCheckClusterUsage(t *testing.T) {
	dir := writeConf(t, map[string]string{"a.conf": cleanConf, "b.conf": cleanConf, ".keepalived-ls.toml": "[cluster]\n"})
	t.Chdir(dir)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"a.conf"}, "at least two files"},
		{[]string{"a.conf", "-"}, "standard input"},
		{nil, "has no [cluster] peers"},
	} {
		code, out, errOut := runCLI(t, "", append([]string{"check", "--cluster"}, c.args...)...)
		if code != 2 || out != "" || !strings.Contains(errOut, c.want) {
			t.Errorf("%q: exit status %d, stdout %q, stderr %q (want %q)", c.args, code, out, errOut, c.want)
		}
	}
	// A missing file is reported; the others are still checked.
	code, out, errOut := runCLI(t, "", "check", "--cluster", "a.conf", "b.conf", "missing.conf")
	if code != 2 || !strings.Contains(errOut, "missing.conf") || strings.Contains(out, "[cluster-vrid-missing]") {
		t.Errorf("missing file: exit status %d, stdout %q, stderr %q", code, out, errOut)
	}
}
