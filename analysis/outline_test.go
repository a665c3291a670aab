package analysis

import (
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/keepalived-ls/keepalived-ls/parser"
)

// outlineStrings renders an outline as indented "NAME (DETAIL) class
// L:C-L:C sel L:C-L:C" lines, 1-based.
func outlineStrings(items []OutlineItem, indent string) []string {
	var out []string
	sp := func(s parser.Span) string {
		return fmt.Sprintf("%d:%d-%d:%d", s.Start.Line+1, s.Start.Col+1, s.End.Line+1, s.End.Col+1)
	}
	for _, it := range items {
		s := fmt.Sprintf("%s%s (%s) %d %s sel %s", indent, it.Name, it.Detail, it.Class, sp(it.Span), sp(it.Selection))
		if it.Deprecated {
			s += " deprecated"
		}
		out = append(out, s)
		out = append(out, outlineStrings(it.Children, indent+"  ")...)
	}
	return out
}

var outlineConf = confText(`
$IFACE=eth0
global_defs {
    router_id lb1
}
vrrp_script chk_web {
    script "/bin/true"
}
vrrp_instance VI_1 {
    interface ${IFACE}
    virtual_router_id 1
}
vrrp_sync_group VG {
    group {
        VI_1
    }
}
vrrp_track_file old {
    file /x
}
include extra/*.conf
virtual_server 192.0.2.1 80 {
    real_server 192.0.2.2 80 {
        TCP_CHECK {
        }
        HTTP_GET {
            url {
                path /
            }
        }
    }
    sorry_server 192.0.2.9 80
}
`)

func TestOutline(t *testing.T) {
	d := parser.Parse("keepalived.conf", []byte(outlineConf), parser.Options{})
	want := []string{
		"$IFACE (eth0) 11 1:1-1:7 sel 1:2-1:7",
		"global_defs (global_defs) 1 2:1-4:2 sel 2:1-2:12",
		"chk_web (vrrp_script) 4 5:1-7:2 sel 5:13-5:20",
		"VI_1 (vrrp_instance) 2 8:1-11:2 sel 8:15-8:19",
		"VG (vrrp_sync_group) 3 12:1-16:2 sel 12:17-12:19",
		"old (vrrp_track_file) 5 17:1-19:2 sel 17:17-17:20 deprecated",
		"include extra/*.conf (reads no file) 10 20:1-20:21 sel 20:1-20:8",
		"192.0.2.1 80 (virtual_server) 7 21:1-32:2 sel 21:16-21:28",
		"  192.0.2.2 80 (real_server · TCP_CHECK, HTTP_GET) 8 22:5-30:6 sel 22:17-22:29",
		"    TCP_CHECK (TCP_CHECK) 9 23:9-24:10 sel 23:9-23:18",
		"    HTTP_GET (HTTP_GET) 9 25:9-29:10 sel 25:9-25:17",
		"  192.0.2.9 80 (sorry_server) 8 31:5-31:30 sel 31:18-31:30",
	}
	if got := outlineStrings(Outline(d), ""); !slices.Equal(got, want) {
		t.Errorf("outline:\n%s", diffLines(got, want))
	}
}

// TestOutlineIncludes: the outline of an included file lists its entries
// as the including document reads them; FlatSymbols covers every file.
func TestOutlineIncludes(t *testing.T) {
	dir := t.TempDir()
	main := "vrrp_script chk {\n    script \"/bin/true\"\n}\nvirtual_server 192.0.2.1 80 {\n    include servers.inc\n}\n"
	writeTestFiles(t, dir, map[string]string{
		"keepalived.conf": main,
		"servers.inc":     "real_server 192.0.2.2 80 {\n    weight 1\n}\nreal_server 192.0.2.3 80 {\n}\n",
	})
	d := parser.Parse(filepath.Join(dir, "keepalived.conf"), []byte(main), parser.Options{})
	inc := filepath.Join(dir, "servers.inc")
	want := []string{
		"chk (vrrp_script) 4 1:1-3:2 sel 1:13-1:16",
		"192.0.2.1 80 (virtual_server) 7 4:1-6:2 sel 4:16-4:28",
		"  include servers.inc (reads " + inc + ") 10 5:5-5:24 sel 5:5-5:12",
	}
	if got := outlineStrings(Outline(d), ""); !slices.Equal(got, want) {
		t.Errorf("outline:\n%s", diffLines(got, want))
	}
	want = []string{
		"192.0.2.2 80 (real_server) 8 1:1-3:2 sel 1:13-1:25",
		"192.0.2.3 80 (real_server) 8 4:1-5:2 sel 4:13-4:25",
	}
	if got := outlineStrings(OutlineFile(d, inc), ""); !slices.Equal(got, want) {
		t.Errorf("outline of servers.inc:\n%s", diffLines(got, want))
	}
	var flat []string
	for _, s := range FlatSymbols(d) {
		file := "main"
		if s.Src != nil {
			file = filepath.Base(s.Src.Path)
		}
		flat = append(flat, fmt.Sprintf("%s %s in %q", file, s.Name, s.Container))
	}
	wantFlat := []string{`main chk in ""`, `main 192.0.2.1 80 in ""`, `main include servers.inc in "192.0.2.1 80"`,
		`servers.inc 192.0.2.2 80 in "192.0.2.1 80"`, `servers.inc 192.0.2.3 80 in "192.0.2.1 80"`}
	if !slices.Equal(flat, wantFlat) {
		t.Errorf("flat symbols:\n%s", diffLines(flat, wantFlat))
	}
}

func TestMatchSymbol(t *testing.T) {
	for _, tc := range []struct {
		q, name string
		score   int
		ok      bool
	}{
		{"", "VI_1", 0, true},
		{"vi_1", "VI_1", 4, true},
		{"vi", "VI_1", 3, true},
		{"web", "chk_web", 2, true},
		{"cw", "chk_web", 1, true},
		{"wc", "chk_web", 1, false},
		{"192.0.2", "192.0.2.1 80", 3, true},
	} {
		score, ok := MatchSymbol(tc.q, tc.name)
		if ok != tc.ok || ok && score != tc.score {
			t.Errorf("MatchSymbol(%q, %q) = %d %v, want %d %v", tc.q, tc.name, score, ok, tc.score, tc.ok)
		}
	}
}
