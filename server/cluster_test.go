package server

import (
	"path/filepath"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// clusterHost is a host's vrrp_instance: the priority is on line 4
// (0-based), the virtual address on line 6.
func clusterHost(state string, priority, vip string) string {
	return "vrrp_instance VI_1 {\n" +
		"    state " + state + "\n" +
		"    interface eth0\n" +
		"    virtual_router_id 51\n" +
		"    priority " + priority + "\n" +
		"    virtual_ipaddress {\n" +
		"        " + vip + "\n" +
		"    }\n" +
		"}\n"
}

// clusterCodes lists a publish's cluster diagnostics as "LINE code".
func clusterCodes(ds []protocol.Diagnostic) string {
	var out []string
	for _, d := range ds {
		if c := diagCode(d); strings.HasPrefix(c, "cluster-") {
			out = append(out, rangeString(d.Range)[:strings.IndexByte(rangeString(d.Range), ':')]+" "+c)
		}
	}
	return strings.Join(out, ", ")
}

// TestClusterLive: two peers of a project's [cluster] are open; editing
// one peer's priority or virtual address updates the diagnostics published
// for the other, whose related information points at the peer's buffer.
// Closing a peer brings back its content on disk.
func TestClusterLive(t *testing.T) {
	dir := t.TempDir()
	n1 := clusterHost("MASTER", "150", "192.0.2.10/24")
	n2 := clusterHost("BACKUP", "100", "192.0.2.10/24")
	writeFiles(t, dir, map[string]string{
		".keepalived-ls.toml":   "[cluster]\npeers = [\"node*/keepalived.conf\"]\n",
		"node1/keepalived.conf": n1,
		"node2/keepalived.conf": n2,
	})
	u1 := uri.File(filepath.Join(dir, "node1", "keepalived.conf"))
	u2 := uri.File(filepath.Join(dir, "node2", "keepalived.conf"))
	c := start(t, clientOptions{})

	// node1 alone: node2 is read from the disk and agrees.
	c.open(u1, n1)
	if got := clusterCodes(c.diagsFor(u1, 1)); got != "" {
		t.Fatalf("node1 against node2 on disk: %s", got)
	}

	// node2 opened with another priority than on disk: node1 is checked
	// against the buffer.
	n := c.seq()
	c.open(u2, clusterHost("BACKUP", "150", "192.0.2.10/24"))
	if got := clusterCodes(c.diagsFor(u2, 1)); got != "4 cluster-equal-priority" {
		t.Errorf("node2 buffer: %s", got)
	}
	p := c.nextPublish(u1, n, func(p publish) bool { return clusterCodes(p.diags) != "" })
	if got := clusterCodes(p.diags); got != "4 cluster-equal-priority" {
		t.Errorf("node1 after node2 opened: %s", got)
	}
	d := oneWithCode(t, p.diags, "cluster-equal-priority")
	if msg := diagMessage(d); msg != "priority 150 here and on node2/keepalived.conf:5: at equal priorities keepalived makes the host with the higher primary IP address MASTER, so the addresses, not this configuration, decide which host it is; give each host its own priority" {
		t.Errorf("message: %s", msg)
	}
	if len(d.RelatedInformation) != 1 || d.RelatedInformation[0].Location.URI != u2 || rangeString(d.RelatedInformation[0].Location.Range) != "4:13-4:16" {
		t.Errorf("related: %q", full([]protocol.Diagnostic{d}))
	}

	// Editing node2's priority: node1's diagnostics follow.
	n = c.seq()
	v := c.change(u2, partial(4, 13, 4, 16, "200"))
	if got := clusterCodes(c.diagsFor(u2, v)); got != "4 cluster-backup-preempts" {
		t.Errorf("node2 at 200: %s", got)
	}
	p = c.nextPublish(u1, n, func(p publish) bool { return strings.Contains(clusterCodes(p.diags), "backup-preempts") })
	if got := clusterCodes(p.diags); got != "4 cluster-backup-preempts" {
		t.Errorf("node1 with node2 at 200: %s", got)
	}
	if msg := diagMessage(p.diags[0]); !strings.Contains(msg, "below the BACKUP on node2/keepalived.conf:5 (priority 200)") {
		t.Errorf("message: %s", msg)
	}

	// Editing node2's virtual address.
	n = c.seq()
	v = c.change(u2, partial(4, 13, 4, 16, "100"), partial(6, 8, 6, 21, "192.0.2.99/24"))
	if got := clusterCodes(c.diagsFor(u2, v)); got != "6 cluster-vip-mismatch" {
		t.Errorf("node2 with another address: %s", got)
	}
	p = c.nextPublish(u1, n, func(p publish) bool { return strings.Contains(clusterCodes(p.diags), "vip-mismatch") })
	if got := clusterCodes(p.diags); got != "6 cluster-vip-mismatch" {
		t.Errorf("node1 with node2's other address: %s", got)
	}
	d = p.diags[0]
	if d.Severity != protocol.DiagnosticSeverityError || !strings.HasPrefix(diagMessage(d), "virtual address 192.0.2.10/24 dev eth0 is not in the virtual_ipaddress of the instance on node2/keepalived.conf:6") {
		t.Errorf("vip: %q", full(p.diags))
	}
	if len(d.RelatedInformation) != 1 || d.RelatedInformation[0].Location.URI != u2 || rangeString(d.RelatedInformation[0].Location.Range) != "5:4-5:21" {
		t.Errorf("related: %q", full(p.diags))
	}

	// Closing node2: node1 is checked against the disk again.
	n = c.seq()
	c.close(u2)
	c.nextPublish(u1, n, func(p publish) bool { return clusterCodes(p.diags) == "" })
}

// TestClusterSetting: the cluster.peers setting (relative to the workspace
// root) wins over the project file, and rule settings and suppression
// comments apply to cluster rules.
func TestClusterSetting(t *testing.T) {
	dir := t.TempDir()
	a := clusterHost("MASTER", "100", "192.0.2.10/24")
	b := clusterHost("MASTER", "100", "192.0.2.10/24")
	writeFiles(t, dir, map[string]string{
		".keepalived-ls.toml": "[cluster]\npeers = [\"a.conf\", \"nothing.conf\"]\n",
		"a.conf":              a,
		"b.conf":              b,
	})
	ua := uri.File(filepath.Join(dir, "a.conf"))
	c := start(t, clientOptions{RootURI: uri.File(dir), InitOptions: map[string]any{"keepalived": map[string]any{
		"cluster": map[string]any{"peers": []string{"*.conf"}},
		"rules":   map[string]string{"cluster-multiple-masters": "error"},
	}}})
	c.open(ua, a)
	ds := c.diagsFor(ua, 1)
	if got := clusterCodes(ds); got != "1 cluster-multiple-masters" {
		t.Fatalf("a.conf: %q", full(ds))
	}
	if d := oneWithCode(t, ds, "cluster-multiple-masters"); d.Severity != protocol.DiagnosticSeverityError {
		t.Errorf("severity %d, want error", d.Severity)
	}
	// A suppression comment on the line before.
	v := c.change(ua, partial(1, 0, 1, 0, "    # keepalived-ls: disable=cluster-multiple-masters\n"))
	if ds := c.diagsFor(ua, v); len(ds) != 0 {
		t.Errorf("suppressed: %q", full(ds))
	}
}
