package format_test

import (
	"bytes"
	"math/rand"
	"testing"

	"github.com/keepalived-ls/keepalived-ls/analysis/format"
	"github.com/keepalived-ls/keepalived-ls/parser"
)

// checkMeaning fails when the formatted text does not read like the
// original in every view.
func checkMeaning(t *testing.T, in input, got []byte) {
	t.Helper()
	for _, v := range views(t, in.text, in.dir, in.fs) {
		want := meaning(parser.Parse(in.name, append([]byte(nil), in.text...), v.opts), v.cfg)
		have := meaning(parser.Parse(in.name, got, v.opts), v.cfg)
		if want != have {
			t.Errorf("%s: formatting changes what keepalived reads (%s): %s\nformatted:\n%s",
				in.name, v.name, firstDiff(want, have), got)
			return
		}
	}
}

// comments lists the text of every comment, trailing blanks removed.
func comments(text []byte) [][]byte {
	var out [][]byte
	for _, u := range parser.Parse("", text, parser.Options{FS: emptyFS{}}).Units() {
		for _, c := range u.Comments {
			out = append(out, bytes.TrimRight(spanText(u, c), " \t"))
		}
	}
	return out
}

// TestProperties checks, on the repository's configurations and the shared
// corpus: formatting is idempotent, keeps the meaning in every view, keeps
// every comment, and its edits turn the original into the formatted text.
func TestProperties(t *testing.T) {
	ins := inputs(t, !testing.Short())
	var changed, skipped, total int
	for _, opts := range []format.Options{{}, {UseTabs: true}, {TabSize: 2}} {
		for _, in := range ins {
			res := format.Document(in.text, opts)
			got := res.Text()
			if again := format.Format(got, opts); !bytes.Equal(again, got) {
				t.Errorf("%s %+v: not idempotent: %s", in.name, opts, firstDiff(string(got), string(again)))
			}
			if fixed := applyEdits(t, in.text, res.Edits()); !bytes.Equal(fixed, got) {
				t.Errorf("%s: edits do not give the formatted text: %s", in.name, firstDiff(string(got), string(fixed)))
			}
			if opts == (format.Options{}) {
				checkMeaning(t, in, got)
				total++
				if res.Changed() {
					changed++
				}
				if len(res.Skipped()) > 0 {
					skipped++
				}
				// Every comment is still there, with its text, in order.
				a, b := comments(in.text), comments(got)
				if len(a) != len(b) {
					t.Errorf("%s: %d comments, %d after formatting", in.name, len(a), len(b))
				}
				for i := range min(len(a), len(b)) {
					if !bytes.Equal(a[i], b[i]) {
						t.Errorf("%s: comment %d %q became %q", in.name, i, a[i], b[i])
						break
					}
				}
			}
		}
	}
	t.Logf("%d files: %d changed by formatting, %d with parts left as written", total, changed, skipped)
}

// TestRangeProperties formats random line ranges: lines outside the range
// never change, the meaning is kept, and the range covering the whole file
// gives Format's result.
func TestRangeProperties(t *testing.T) {
	rng := rand.New(rand.NewSource(6))
	for _, in := range inputs(t, !testing.Short()) {
		n := bytes.Count(in.text, []byte{'\n'}) + 1
		if whole := format.FormatRange(in.text, 0, n-1, format.Options{}); !bytes.Equal(whole, format.Format(in.text, format.Options{})) {
			t.Errorf("%s: formatting every line differs from Format", in.name)
		}
		for k := 0; k < 4; k++ {
			a := rng.Intn(n)
			b := a + rng.Intn(12)
			res := format.Range(in.text, a, b, format.Options{})
			for _, e := range res.Edits() {
				last := int(e.Span.End.Line)
				if e.Span.End.Col == 0 {
					last--
				}
				if int(e.Span.Start.Line) < a || last > b {
					t.Errorf("%s: range %d-%d: edit of lines %d-%d", in.name, a, b, e.Span.Start.Line, last)
				}
			}
			checkMeaning(t, in, res.Text())
		}
	}
}

// FuzzFormat checks the properties on arbitrary text: formatting never
// fails, is idempotent (with the options the input's length picks), keeps
// the meaning (tree, definitions, conditionals, parser and check rule ids:
// see meaning) and its edits are exact; formatting a range of lines (picked
// from the input too) changes only those lines and keeps the meaning.
// Seeded from the repository's configurations and, when present, the
// shared corpus.
func FuzzFormat(f *testing.F) {
	for _, in := range inputs(f, sharedPresent(f)) {
		if len(in.text) <= 32<<10 {
			f.Add(in.text)
		}
	}
	f.Add([]byte("a {\n$X=b \\\n  \n}\n"))
	f.Add([]byte("vrrp_instance X\n{ @a state B }\n"))
	f.Add([]byte("$V={$V\n$V\n")) // once made the parser loop forever
	options := []format.Options{{}, {UseTabs: true}, {TabSize: 2}}
	f.Fuzz(func(t *testing.T, text []byte) {
		if len(text) > 64<<10 {
			return
		}
		in := input{name: "fuzz", text: text, dir: "/", fs: emptyFS{}}
		opts := options[len(text)%len(options)]
		res := format.Document(text, opts)
		got := res.Text()
		if again := format.Format(got, opts); !bytes.Equal(again, got) {
			t.Fatalf("not idempotent (%+v): %q -> %q -> %q", opts, text, got, again)
		}
		if fixed := applyEdits(t, text, res.Edits()); !bytes.Equal(fixed, got) {
			t.Fatalf("edits do not give the formatted text")
		}
		checkMeaning(t, in, got)
		format.OnType(text, len(text)%5, opts)

		n := bytes.Count(text, []byte{'\n'}) + 1
		a := int(uint(len(text)*7919) % uint(n))
		b := a + len(text)%9
		rres := format.Range(text, a, b, opts)
		for _, e := range rres.Edits() {
			last := int(e.Span.End.Line)
			if e.Span.End.Col == 0 {
				last--
			}
			if int(e.Span.Start.Line) < a || last > b {
				t.Fatalf("range %d-%d: edit of lines %d-%d", a, b, e.Span.Start.Line, last)
			}
		}
		if fixed := applyEdits(t, text, rres.Edits()); !bytes.Equal(fixed, rres.Text()) {
			t.Fatalf("range %d-%d: edits do not give the formatted text", a, b)
		}
		checkMeaning(t, in, rres.Text())
	})
}
