package benchgen

import (
	"bytes"
	"fmt"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/keepalived-ls/keepalived-ls/analysis"
	"github.com/keepalived-ls/keepalived-ls/parser"
)

func generate(t testing.TB, instances, vss, rss int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, instances, vss, rss); err != nil {
		t.Fatalf("Write(%d, %d, %d): %v", instances, vss, rss, err)
	}
	return buf.Bytes()
}

func TestDeterministic(t *testing.T) {
	a := generate(t, 3, 40, 4)
	b := generate(t, 3, 40, 4)
	if !bytes.Equal(a, b) {
		t.Fatal("two runs with the same sizes differ")
	}
	if c := generate(t, 3, 41, 4); bytes.Equal(a, c) {
		t.Fatal("different sizes give the same output")
	}
}

func TestSmallLineCount(t *testing.T) {
	text := generate(t, 1, 25, 4)
	lines := bytes.Count(text, []byte("\n"))
	if lines < 1300 || lines > 1700 {
		t.Errorf("1/25/4 gives %d lines, want about 1500", lines)
	}
	if !bytes.HasSuffix(text, []byte("\n")) {
		t.Error("output does not end with a newline")
	}
	for _, kw := range []string{"global_defs {", "vrrp_script ", "vrrp_instance ", "virtual_server ", "real_server ",
		"TCP_CHECK {", "HTTP_GET {", "MISC_CHECK {", "track_script {", "notify_master \"/"} {
		if !bytes.Contains(text, []byte(kw)) {
			t.Errorf("output lacks %q", kw)
		}
	}
}

func TestStandardSize(t *testing.T) {
	if testing.Short() {
		t.Skip("large output in -short mode")
	}
	text := generate(t, StdInstances, StdVirtualServers, StdRealServers)
	lines := bytes.Count(text, []byte("\n"))
	if lines < 270000 || lines > 290000 {
		t.Errorf("standard benchmark has %d lines, want 270k-290k", lines)
	}
	if n := len(text); n < 5500000 || n > 6200000 {
		t.Errorf("standard benchmark has %d bytes, want 5.5-6.2 MB", n)
	}
}

func TestEmptyAndInvalidCounts(t *testing.T) {
	text := generate(t, 0, 0, 0)
	if !bytes.Contains(text, []byte("global_defs {")) {
		t.Error("0/0/0 lacks global_defs")
	}
	if err := Write(&bytes.Buffer{}, -1, 0, 0); err == nil {
		t.Error("negative count accepted")
	}
}

// TestUnique checks what keepalived requires across blocks: virtual_router_id
// in 1..255 and unique per interface, unique virtual_server addresses, and
// unique real_server addresses within a virtual_server.
func TestUnique(t *testing.T) {
	text := generate(t, 1100, 700, 5)
	iface := regexp.MustCompile(`^\tinterface (\S+)$`)
	vrid := regexp.MustCompile(`^\tvirtual_router_id (\d+)$`)
	vs := regexp.MustCompile(`^virtual_server (\S+ \d+) \{$`)
	rs := regexp.MustCompile(`^\treal_server (\S+ \d+) \{$`)
	seenVRID := map[string]bool{}
	seenVS := map[string]bool{}
	var seenRS map[string]bool
	var dev string
	instances := 0
	for _, line := range bytes.Split(text, []byte("\n")) {
		s := string(line)
		if m := iface.FindStringSubmatch(s); m != nil {
			dev = m[1]
		} else if m := vrid.FindStringSubmatch(s); m != nil {
			instances++
			var id int
			fmt.Sscan(m[1], &id)
			if id < 1 || id > 255 {
				t.Errorf("virtual_router_id %d out of range", id)
			}
			key := dev + "/" + m[1]
			if seenVRID[key] {
				t.Errorf("virtual_router_id %s used twice on %s", m[1], dev)
			}
			seenVRID[key] = true
		} else if m := vs.FindStringSubmatch(s); m != nil {
			if seenVS[m[1]] {
				t.Errorf("virtual_server %s twice", m[1])
			}
			seenVS[m[1]] = true
			seenRS = map[string]bool{}
		} else if m := rs.FindStringSubmatch(s); m != nil {
			if seenRS[m[1]] {
				t.Errorf("real_server %s twice in one virtual_server", m[1])
			}
			seenRS[m[1]] = true
		}
	}
	if instances != 1100 || len(seenVS) != 700 {
		t.Errorf("found %d instances and %d virtual servers, want 1100 and 700", instances, len(seenVS))
	}
}

// TestLinterAcceptsOutput parses a small generated file and checks that the
// linter reports no errors: every construct is one keepalived -t accepts.
func TestLinterAcceptsOutput(t *testing.T) {
	text := generate(t, 4, 25, 4)
	path := filepath.Join(t.TempDir(), "keepalived.conf")
	doc := parser.Parse(path, text, parser.Options{})
	lines := bytes.Split(text, []byte("\n"))
	for _, d := range analysis.Check(doc, analysis.Config{}) {
		ln := int(d.Span.Start.Line)
		src := ""
		if d.Src == nil && ln < len(lines) {
			src = string(lines[ln])
		}
		msg := fmt.Sprintf("line %d: %s: %s [%s]\n\t%s", ln+1, d.Severity, d.Message, d.Rule, src)
		if d.Severity == parser.Error {
			t.Error(msg)
		} else {
			t.Log(msg)
		}
	}
}
