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

// BenchmarkKeystroke is the server's work for one typed character, without
// the protocol: an incremental edit in the middle of the document (typing
// a digit, then deleting it) and a check of the new version. Its time must
// not grow with the size of the document.
func BenchmarkKeystroke(b *testing.B) {
	for _, c := range []struct {
		name                 string
		instances, vs, reals int
	}{
		{"lines=1.5k", 1, 25, StdRealServers},
		{"lines=283k", StdInstances, StdVirtualServers, StdRealServers},
	} {
		b.Run(c.name, func(b *testing.B) {
			var buf bytes.Buffer
			if err := Write(&buf, c.instances, c.vs, c.reals); err != nil {
				b.Fatal(err)
			}
			doc := parser.Parse(largePath, buf.Bytes(), parser.Options{})
			checker := analysis.NewChecker(analysis.Config{})
			checker.Check(doc)
			// A "weight N" line in the middle: typing a digit keeps it valid.
			ln := doc.LineCount() / 2
			for !bytes.Contains(doc.Line(ln), []byte("weight ")) {
				ln++
			}
			at := parser.Pos{Line: int32(ln), Col: int32(len(doc.Line(ln)))}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if i%2 == 0 {
					doc = doc.Edit(at, at, []byte("1"))
				} else {
					doc = doc.Edit(at, parser.Pos{Line: at.Line, Col: at.Col + 1}, nil)
				}
				i++
				diagSink = checker.Check(doc)
			}
		})
	}
}
