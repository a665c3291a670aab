package schema

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keepalived-ls/keepalived-ls/internal/testenv"
	"github.com/keepalived-ls/keepalived-ls/parser/argspec"
)

// TestNoKeywordMissing compares the generated table with keepalived's
// extracted keyword tree (../shared/reference/keywords.json).
func TestNoKeywordMissing(t *testing.T) {
	ref := filepath.Join(testenv.Shared(t), "reference", "keywords.json")
	raw, err := os.ReadFile(ref)
	if err != nil {
		t.Fatal(err)
	}
	var nodes []struct {
		Path       []string `json:"path"`
		OpensBlock bool     `json:"opens_block"`
		BlockKind  *string  `json:"block_kind"`
		Quoted     bool     `json:"quoted"`
	}
	if err := json.Unmarshal(raw, &nodes); err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, n := range nodes {
		path := strings.Join(n.Path, " > ")
		names[n.Path[len(n.Path)-1]] = true
		k := Lookup(path)
		if k == nil {
			t.Errorf("%s: missing from the schema", path)
			continue
		}
		want := NoBlock
		if n.OpensBlock {
			want = KeywordBlock
			if n.BlockKind != nil && *n.BlockKind == "values" {
				want = ValueBlock
			}
		}
		if k.Block != want {
			t.Errorf("%s: block kind %v, want %v", path, k.Block, want)
		}
		if k.Quoted != n.Quoted {
			t.Errorf("%s: quoted %v, want %v", path, k.Quoted, n.Quoted)
		}
	}
	if len(All()) != len(nodes) {
		t.Errorf("schema has %d keyword nodes, reference has %d", len(All()), len(nodes))
	}
	if len(byName) != len(names) {
		t.Errorf("schema has %d keyword names, reference has %d", len(byName), len(names))
	}
}

func TestCounts(t *testing.T) {
	if got := len(All()); got != 531 {
		t.Errorf("keyword nodes: %d, want 531", got)
	}
	if got := len(byName); got != 363 {
		t.Errorf("keyword names: %d, want 363", got)
	}
	if got := len(Top.Children()); got != 25 {
		t.Errorf("top-level keywords: %d, want 25", got)
	}
}

func TestEveryKeywordDescribed(t *testing.T) {
	for _, k := range All() {
		if strings.TrimSpace(k.Doc) == "" {
			t.Errorf("%s: no description", k.Path)
		}
		for _, s := range []string{k.Args, k.Line} {
			if _, err := argspec.Parse(s); err != nil {
				t.Errorf("%s: %v", k.Path, err)
			}
		}
		if k.Block == ValueBlock && k.Line == "" {
			t.Errorf("%s: value block without a line spec", k.Path)
		}
		if k.Replacement != "" && k.Parent != nil && k.Parent.Child(k.Replacement) == nil && Top.Child(k.Replacement) == nil {
			t.Errorf("%s: replacement %q is not a keyword of the same block", k.Path, k.Replacement)
		}
	}
}

func TestVersions(t *testing.T) {
	cases := []struct {
		path      string
		version   string
		available bool
	}{
		{"vrrp_instance > priority", "2.0.0", true},
		{"vrrp_instance > auth_hmac", "2.3.4", false},
		{"vrrp_instance > auth_hmac", "2.4.0", true},
		{"global_defs > vrrp_delay_after_boot", "2.3.3", false},
		{"global_defs > json_dump_file", "2.3.2", false},
		{"global_defs > json_dump_file", "2.3.3", true},
		{"bfd_instance > multihop", "2.2.7", false},
		{"bfd_instance > multihop", "2.2.8", true},
		{"virtual_server > real_server > HTTP_GET > sni_name", "2.4.3", false},
		{"virtual_server > real_server > HTTP_GET > sni_name", "", true},
	}
	for _, c := range cases {
		k := Lookup(c.path)
		if k == nil {
			t.Fatalf("%s: not found", c.path)
		}
		v, err := ParseVersion(c.version)
		if err != nil {
			t.Fatal(err)
		}
		if got := k.AvailableIn(v); got != c.available {
			t.Errorf("%s in %q: available %v, want %v (added %s)", c.path, c.version, got, c.available, k.AddedText())
		}
	}
	if k := Lookup("virtual_server > real_server > HTTP_GET > sni_name"); !k.Unreleased || !strings.Contains(k.AddedText(), "not yet in a release") {
		t.Errorf("sni_name: want unreleased, got %q", k.AddedText())
	}
}

func TestParseVersion(t *testing.T) {
	for in, want := range map[string]string{"2.2.7": "2.2.7", "v2.3": "2.3.0", "": "newest", "latest": "newest"} {
		v, err := ParseVersion(in)
		if err != nil || v.String() != want {
			t.Errorf("ParseVersion(%q) = %v, %v; want %s", in, v, err, want)
		}
	}
	for _, bad := range []string{"2", "x.y.z", "2.3.4.5", "-1.2.3", "0.0.0"} {
		if _, err := ParseVersion(bad); err == nil {
			t.Errorf("ParseVersion(%q): want an error", bad)
		}
	}
	if !MustVersion("2.3.0").InRange(MustVersion("2.3.0"), MustVersion("2.3.3")) || MustVersion("2.3.4").InRange(MustVersion("2.3.0"), MustVersion("2.3.3")) {
		t.Error("InRange")
	}
}

func TestSuggest(t *testing.T) {
	vi := Lookup("vrrp_instance")
	if got := vi.Suggest("virtual_router_idd", 3); len(got) == 0 || got[0] != "virtual_router_id" {
		t.Errorf("Suggest: %v", got)
	}
	if got := vi.Suggest("prioirty", 3); len(got) == 0 || got[0] != "priority" {
		t.Errorf("Suggest transposition: %v", got)
	}
	if got := vi.Suggest("zzzzzzzzzzzz", 3); len(got) != 0 {
		t.Errorf("Suggest nonsense: %v", got)
	}
}
