package benchgen

import (
	"bytes"
	"sync"
	"testing"

	"github.com/keepalived-ls/keepalived-ls/analysis"
	"github.com/keepalived-ls/keepalived-ls/parser"
)

// The standard benchmark configuration, generated once per test binary.
var (
	largeOnce sync.Once
	largeText []byte
	largeErr  error
)

// diagSink keeps the benchmark results alive.
var diagSink []parser.Diagnostic

const largePath = "/etc/keepalived/keepalived.conf"

func large(b *testing.B) []byte {
	b.Helper()
	if testing.Short() {
		b.Skip("large benchmark input in -short mode")
	}
	largeOnce.Do(func() {
		var buf bytes.Buffer
		largeErr = Write(&buf, StdInstances, StdVirtualServers, StdRealServers)
		largeText = buf.Bytes()
	})
	if largeErr != nil {
		b.Fatal(largeErr)
	}
	return largeText
}

// BenchmarkParseLarge parses the standard ~280k-line configuration.
func BenchmarkParseLarge(b *testing.B) {
	text := large(b)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		doc := parser.Parse(largePath, text, parser.Options{})
		if doc.LineCount() == 0 {
			b.Fatal("empty document")
		}
	}
}

// BenchmarkCheckLarge runs the analysis (fresh checker, no cached units) on
// the parsed standard configuration.
func BenchmarkCheckLarge(b *testing.B) {
	text := large(b)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		// Results are memoised on the units: analyse a fresh parse.
		b.StopTimer()
		doc := parser.Parse(largePath, text, parser.Options{})
		b.StartTimer()
		diagSink = analysis.Check(doc, analysis.Config{})
	}
}

// BenchmarkRecheckLarge checks a document whose units are all memoised:
// what the server pays per keystroke besides the edited unit.
func BenchmarkRecheckLarge(b *testing.B) {
	text := large(b)
	doc := parser.Parse(largePath, text, parser.Options{})
	c := analysis.NewChecker(analysis.Config{})
	c.Check(doc)
	b.ReportAllocs()
	for b.Loop() {
		diagSink = c.Check(doc)
	}
}

// BenchmarkCheckTextLarge is what `keepalived-ls check` does: parse and
// check in one streaming pass.
func BenchmarkCheckTextLarge(b *testing.B) {
	text := large(b)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		diagSink = analysis.NewChecker(analysis.Config{}).CheckText(largePath, text, parser.Options{})
	}
}
