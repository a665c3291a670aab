package server

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// legendOf returns the semantic tokens legend of an initialize result.
func legendOf(t testing.TB, res *protocol.InitializeResult) protocol.SemanticTokensLegend {
	t.Helper()
	switch p := res.Capabilities.SemanticTokensProvider.(type) {
	case *protocol.SemanticTokensOptions:
		return p.Legend
	case *protocol.SemanticTokensRegistrationOptions:
		return p.Legend
	}
	t.Fatalf("no semantic tokens provider: %#v", res.Capabilities.SemanticTokensProvider)
	return protocol.SemanticTokensLegend{}
}

// decodeTokens turns the relative encoding back into absolute tokens,
// formatted as "line:start-end type+modifier...".
func decodeTokens(t testing.TB, legend protocol.SemanticTokensLegend, data []uint32) []string {
	t.Helper()
	if len(data)%5 != 0 {
		t.Fatalf("token data of length %d", len(data))
	}
	var out []string
	var line, char uint32
	for i := 0; i < len(data); i += 5 {
		if data[i] > 0 {
			line += data[i]
			char = data[i+1]
		} else {
			char += data[i+1]
		}
		if int(data[i+3]) >= len(legend.TokenTypes) {
			t.Fatalf("token type %d outside the legend", data[i+3])
		}
		s := fmt.Sprintf("%d:%d-%d %s", line, char, char+data[i+2], legend.TokenTypes[data[i+3]])
		for bit, m := range legend.TokenModifiers {
			if data[i+4]&(1<<bit) != 0 {
				s += "+" + m
			}
		}
		if data[i+4]>>len(legend.TokenModifiers) != 0 {
			t.Fatalf("modifier bits %b outside the legend", data[i+4])
		}
		out = append(out, s)
	}
	return out
}

func (c *testClient) semanticTokensFull(u uri.URI) *protocol.SemanticTokens {
	c.t.Helper()
	var out *protocol.SemanticTokens
	if err := c.call(protocol.MethodTextDocumentSemanticTokensFull, &protocol.SemanticTokensParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: u}}, &out); err != nil {
		c.t.Fatalf("semanticTokens/full: %v", err)
	}
	if out == nil {
		c.t.Fatal("semanticTokens/full: null")
	}
	return out
}

func (c *testClient) semanticTokensRange(u uri.URI, r protocol.Range) *protocol.SemanticTokens {
	c.t.Helper()
	var out *protocol.SemanticTokens
	if err := c.call(protocol.MethodTextDocumentSemanticTokensRange, &protocol.SemanticTokensRangeParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: u}, Range: r}, &out); err != nil {
		c.t.Fatalf("semanticTokens/range: %v", err)
	}
	return out
}

// semanticTokensDelta returns either a delta or a full result.
func (c *testClient) semanticTokensDelta(u uri.URI, prev string) (*protocol.SemanticTokensDelta, *protocol.SemanticTokens) {
	c.t.Helper()
	var raw json.RawMessage
	if err := c.call(protocol.MethodTextDocumentSemanticTokensFullDelta, &protocol.SemanticTokensDeltaParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: u}, PreviousResultID: prev}, &raw); err != nil {
		c.t.Fatalf("semanticTokens/full/delta: %v", err)
	}
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(raw, &probe); err != nil {
		c.t.Fatalf("delta result %s: %v", raw, err)
	}
	if _, ok := probe["edits"]; ok {
		var d protocol.SemanticTokensDelta
		if err := protocol.Unmarshal(raw, &d); err != nil {
			c.t.Fatal(err)
		}
		return &d, nil
	}
	var full protocol.SemanticTokens
	if err := protocol.Unmarshal(raw, &full); err != nil {
		c.t.Fatal(err)
	}
	return nil, &full
}

const tokensConf = `# 設定 😀 comment
$VIP=192.0.2.10
@lb2 router_id other
@^lb2 global_defs {
    router_id "lb 😀" # 名前
}
vrrp_script chk {   # 检查 😀 ok
    script "/bin/true 😀" # é
    weight -20
}
vrrp_instance VI_1 {
    state BACKUP
    virtual_ipaddress {
        ${VIP}/24 dev eth0
        ~SEQ(i, 1, 2) 192.0.2.${i}/32
    }
    track_script {
        chk
    }
}
virtual_server 192.0.2.10 80 {
    real_server 192.0.2.11 80 {
        HTTP_GET {
            nb_get_retry 3
        }
    }
}
include /nonexistent/*.conf
bogus_keyword 5 "quoted"
`

// tokensWant is the classification of tokensConf; the lines with
// characters outside ASCII differ between UTF-16 and UTF-8 columns.
func tokensWant(utf8 bool) []string {
	pick := func(u16, u8 string) string {
		if utf8 {
			return u8
		}
		return u16
	}
	return []string{
		pick("0:0-15 comment", "0:0-21 comment"), // 設定 are 1 unit (3 bytes) each, 😀 2 units (4 bytes)
		"1:0-4 parameter+declaration+definition",
		"1:4-5 operator",
		"2:0-4 macro+disabled", // @lb2 does not apply (no config id)
		"2:5-20 comment+disabled",
		"3:0-5 macro", // @^lb2 applies
		"3:6-17 keyword+block",
		"4:4-13 keyword",
		pick("4:14-21 string", "4:14-23 string"),
		pick("4:22-26 comment", "4:24-32 comment"),
		"6:0-11 keyword+block",
		"6:12-15 variable+declaration+definition",
		pick("6:20-30 comment", "6:20-36 comment"),
		"7:4-10 keyword",
		pick("7:11-25 string", "7:11-27 string"),
		pick("7:26-29 comment", "7:28-32 comment"),
		"8:4-10 keyword",
		"8:11-14 number",
		"10:0-13 keyword+block",
		"10:14-18 variable+declaration+definition",
		"11:4-9 keyword",
		"11:10-16 enumMember",
		"12:4-21 keyword+block",
		"13:8-14 parameter", // ${VIP}; the address it produces is not written here
		"13:18-21 keyword",  // dev
		"14:8-21 macro",     // ~SEQ(i, 1, 2)
		"14:30-34 parameter",
		"16:4-16 keyword+block",
		"17:8-11 variable", // a reference to vrrp_script chk
		"20:0-14 keyword+block",
		"20:15-25 number",
		"20:26-28 number",
		"21:4-15 keyword+block",
		"21:16-26 number",
		"21:27-29 number",
		"22:8-16 keyword+block",
		"23:12-24 keyword+deprecated",
		"23:25-26 number",
		"27:0-7 macro", // include
		"27:8-27 string",
		"28:16-24 string", // an unknown keyword: only its quoted words
	}
}

func TestSemanticTokens(t *testing.T) {
	for _, utf8 := range []bool{false, true} {
		t.Run(fmt.Sprint("utf8=", utf8), func(t *testing.T) {
			c := newClient(t)
			res := c.initialize(clientOptions{UTF8: utf8})
			legend := legendOf(t, res)
			for _, want := range []string{"keyword", "variable", "string", "number", "comment", "enumMember", "macro", "parameter", "property", "operator"} {
				if !slices.Contains(legend.TokenTypes, want) {
					t.Errorf("legend token types %q lack %q", legend.TokenTypes, want)
				}
			}
			for _, want := range []string{"declaration", "definition", "deprecated", "readonly", "defaultLibrary"} {
				if !slices.Contains(legend.TokenModifiers, want) {
					t.Errorf("legend modifiers %q lack %q", legend.TokenModifiers, want)
				}
			}
			u := uri.URI("untitled:tokens")
			c.open(u, tokensConf)
			full := c.semanticTokensFull(u)
			if full.ResultID == nil || *full.ResultID == "" {
				t.Errorf("no result id")
			}
			want := tokensWant(utf8)
			if got := decodeTokens(t, legend, full.Data); !slices.Equal(got, want) {
				t.Errorf("tokens\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(want, "\n     "))
			}
			// A range: the tokens of its lines, encoded from the first.
			rng := c.semanticTokensRange(u, rng(6, 0, 8, 3))
			var wantRange []string
			for _, w := range want {
				if strings.HasPrefix(w, "6:") || strings.HasPrefix(w, "7:") || strings.HasPrefix(w, "8:") {
					wantRange = append(wantRange, w)
				}
			}
			if got := decodeTokens(t, legend, rng.Data); !slices.Equal(got, wantRange) {
				t.Errorf("range tokens\n got %q\nwant %q", got, wantRange)
			}
		})
	}
}

func TestSemanticTokensBuiltinParameter(t *testing.T) {
	c := newClient(t)
	legend := legendOf(t, c.initialize(clientOptions{}))
	u := uri.URI("untitled:builtin")
	c.open(u, "$DIR=${_PWD}/scripts\nglobal_defs {\n    router_id ${_INSTANCE}x\n}\n")
	want := []string{
		"0:0-4 parameter+declaration+definition",
		"0:4-5 operator",
		"0:5-12 parameter+readonly+defaultLibrary",
		"1:0-11 keyword+block",
		"2:4-13 keyword",
		"2:14-26 parameter+readonly+defaultLibrary",
	}
	if got := decodeTokens(t, legend, c.semanticTokensFull(u).Data); !slices.Equal(got, want) {
		t.Errorf("tokens\n got %q\nwant %q", got, want)
	}
}

// applyTokenEdits applies delta edits to token data.
func applyTokenEdits(t testing.TB, data []uint32, edits []protocol.SemanticTokensEdit) []uint32 {
	t.Helper()
	out := slices.Clone(data)
	slices.SortFunc(edits, func(a, b protocol.SemanticTokensEdit) int { return int(b.Start) - int(a.Start) })
	for _, e := range edits {
		if int(e.Start+e.DeleteCount) > len(out) {
			t.Fatalf("edit %+v past the end (%d)", e, len(out))
		}
		out = slices.Replace(out, int(e.Start), int(e.Start+e.DeleteCount), e.Data...)
	}
	return out
}

func TestSemanticTokensDelta(t *testing.T) {
	c := newClient(t)
	legend := legendOf(t, c.initialize(clientOptions{}))
	u := uri.URI("untitled:delta")
	c.open(u, tokensConf)
	first := c.semanticTokensFull(u)

	// Insert a line in vrrp_instance: the tokens before it stay, and so do
	// the ones after it in the relative encoding (the first of them is
	// still one line below the token before it).
	c.change(u, partial(11, 0, 11, 0, "    priority 100\n"))
	delta, fullRes := c.semanticTokensDelta(u, *first.ResultID)
	if delta == nil {
		t.Fatalf("full result instead of a delta: %v", fullRes)
	}
	if delta.ResultID == nil || *delta.ResultID == *first.ResultID {
		t.Fatalf("delta result id %v (previous %s)", delta.ResultID, *first.ResultID)
	}
	if len(delta.Edits) != 1 {
		t.Fatalf("edits %+v, want one", delta.Edits)
	}
	e := delta.Edits[0]
	// Tokens 0..19 (to "10:14-18 VI_1") are unchanged; two tokens come in
	// (priority 100).
	if e.Start != 20*5 || e.DeleteCount != 0 || !slices.Equal(e.Data, []uint32{1, 4, 8, 0, 0, 0, 9, 3, 4, 0}) {
		t.Errorf("edit start %d delete %d data %v", e.Start, e.DeleteCount, e.Data)
	}
	updated := applyTokenEdits(t, first.Data, delta.Edits)
	want := decodeTokens(t, legend, c.semanticTokensFull(u).Data)
	if got := decodeTokens(t, legend, updated); !slices.Equal(got, want) {
		t.Errorf("tokens after the delta\n got %q\nwant %q", got, want)
	}
	if !slices.Contains(want, "11:4-12 keyword") || !slices.Contains(want, "11:13-16 number") || !slices.Contains(want, "12:4-9 keyword") {
		t.Errorf("tokens after the edit: %q", want)
	}

	// Delete the track_script block (three lines): the edit removes its two
	// tokens (29 and 30); the next one is three lines below the one before
	// it both before and after the deletion, so nothing else changes.
	before := c.semanticTokensFull(u)
	c.change(u, partial(17, 0, 20, 0, ""))
	delta, fullRes = c.semanticTokensDelta(u, *before.ResultID)
	if delta == nil || len(delta.Edits) != 1 {
		t.Fatalf("delta after a deletion: %+v %v", delta, fullRes)
	}
	if e := delta.Edits[0]; e.Start != 29*5 || e.DeleteCount != 10 || len(e.Data) != 0 {
		t.Errorf("edit start %d delete %d data %v", e.Start, e.DeleteCount, e.Data)
	}
	want = decodeTokens(t, legend, c.semanticTokensFull(u).Data)
	if got := decodeTokens(t, legend, applyTokenEdits(t, before.Data, delta.Edits)); !slices.Equal(got, want) {
		t.Errorf("tokens after the second delta\n got %q\nwant %q", got, want)
	}

	// No change: an empty delta.
	latest := c.semanticTokensFull(u)
	delta, _ = c.semanticTokensDelta(u, *latest.ResultID)
	if delta == nil || len(delta.Edits) != 0 {
		t.Errorf("delta without a change: %+v", delta)
	}
	// An unknown previous result: everything.
	delta, fullRes = c.semanticTokensDelta(u, "no-such-result")
	if delta != nil || fullRes == nil || !slices.Equal(fullRes.Data, latest.Data) {
		t.Errorf("delta against an unknown result: delta %+v, full %+v", delta, fullRes)
	}
}
