package analysis

import (
	"bytes"
	"testing"

	"github.com/keepalived-ls/keepalived-ls/internal/benchgen"
	"github.com/keepalived-ls/keepalived-ls/parser"
)

func stdDoc(tb testing.TB) *parser.Doc {
	tb.Helper()
	var b bytes.Buffer
	if err := benchgen.Write(&b, benchgen.StdInstances, benchgen.StdVirtualServers, benchgen.StdRealServers); err != nil {
		tb.Fatal(err)
	}
	return parser.Parse("/tmp/std.conf", b.Bytes(), parser.Options{})
}

// TestSemanticTokensLimit: a limit returns the first tokens of the full
// classification and says that some were left out.
func TestSemanticTokensLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("large document")
	}
	d := stdDoc(t)
	if !IsHuge(d) {
		t.Fatalf("the standard benchmark file (%d lines, %d bytes) is not huge", d.LineCount(), d.Size())
	}
	all, capped := SemanticTokens(d, 0, d.LineCount()-1, 0)
	if capped || len(all) <= HugeMaxTokens {
		t.Fatalf("%d tokens without a limit (capped %v)", len(all), capped)
	}
	first, capped := SemanticTokens(d, 0, d.LineCount()-1, HugeMaxTokens)
	if !capped || len(first) != HugeMaxTokens {
		t.Fatalf("%d tokens with a limit (capped %v)", len(first), capped)
	}
	for i := range first {
		if first[i] != all[i] {
			t.Fatalf("token %d: %+v with a limit, %+v without", i, first[i], all[i])
		}
	}
	for i := 1; i < len(all); i++ {
		a, b := all[i-1], all[i]
		if b.Line < a.Line || b.Line == a.Line && b.Start < a.End || b.End <= b.Start {
			t.Fatalf("tokens %+v and %+v are out of order or overlap", a, b)
		}
	}
	if _, capped := SemanticTokens(d, 0, d.LineCount()-1, len(all)); capped {
		t.Errorf("a limit of exactly the number of tokens reported a cut")
	}
}

// BenchmarkSemanticTokensStd classifies the whole standard benchmark file
// (about 280,000 lines), without a limit.
func BenchmarkSemanticTokensStd(b *testing.B) {
	d := stdDoc(b)
	b.ResetTimer()
	for b.Loop() {
		SemanticTokens(d, 0, d.LineCount()-1, 0)
	}
}

func BenchmarkFoldingRangesStd(b *testing.B) {
	d := stdDoc(b)
	b.ResetTimer()
	for b.Loop() {
		FoldingRanges(d)
	}
}
