package format_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/keepalived-ls/keepalived-ls/analysis/format"
	"github.com/keepalived-ls/keepalived-ls/internal/benchgen"
)

// largeConfig is the standard 280,000-line benchmark configuration (indented
// with tabs), and a copy with its layout disturbed so that every line
// changes.
func largeConfig(tb testing.TB) (std, messy []byte) {
	tb.Helper()
	var buf bytes.Buffer
	if err := benchgen.Write(&buf, benchgen.StdInstances, benchgen.StdVirtualServers, benchgen.StdRealServers); err != nil {
		tb.Fatal(err)
	}
	std = buf.Bytes()
	// Every line changes: indentation, trailing blanks, braces on their
	// own line, doubled blank lines.
	var m bytes.Buffer
	for line := range bytes.Lines(std) {
		line = bytes.TrimSuffix(line, []byte("\n"))
		body := bytes.TrimLeft(line, "\t")
		m.WriteString(strings.Repeat("  ", len(line)-len(body)+1))
		if k, ok := bytes.CutSuffix(body, []byte(" {")); ok {
			m.Write(k)
			m.WriteString("   \n{")
		} else {
			m.Write(body)
		}
		m.WriteString("  \n")
		if len(body) == 0 {
			m.WriteString("\n")
		}
	}
	messy = m.Bytes()
	std = append(bytes.TrimRight(std, "\n"), '\n')
	return std, messy
}

// BenchmarkFormatLarge formats the standard benchmark file (about 280,000
// lines); it must take well under a second.
func BenchmarkFormatLarge(b *testing.B) {
	std, _ := largeConfig(b)
	b.SetBytes(int64(len(std)))
	b.ReportAllocs()
	for b.Loop() {
		format.Format(std, format.Options{})
	}
}

// BenchmarkFormatLargeMessy formats the same file with every line to change.
func BenchmarkFormatLargeMessy(b *testing.B) {
	_, messy := largeConfig(b)
	b.SetBytes(int64(len(messy)))
	b.ReportAllocs()
	for b.Loop() {
		format.Document(messy, format.Options{}).Edits()
	}
}

// TestFormatLarge checks the large file: the generated layout is already
// canonical, and a disturbed copy formats back to it.
func TestFormatLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("large file")
	}
	std, messy := largeConfig(t)
	tabs := format.Options{UseTabs: true}
	if got := format.Format(std, tabs); !bytes.Equal(got, std) {
		t.Errorf("the benchmark file is not stable: %s", firstDiff(string(std), string(got)))
	}
	if got := format.Format(messy, tabs); !bytes.Equal(got, std) {
		t.Errorf("the disturbed file does not format back: %s", firstDiff(string(std), string(got)))
	}
}
