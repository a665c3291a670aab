package analysis

import (
	"reflect"
	"testing"
)

// TestScriptWordsFastPath: for text without ' and \ the fast splitter gives
// exactly what the general one gives. Every string of up to 7 characters
// over an alphabet of blanks, quotes and letters is tried.
func TestScriptWordsFastPath(t *testing.T) {
	alphabet := []byte{'a', 'b', ' ', '\t', '"'}
	buf := make([]byte, 0, 7)
	bad := 0
	var try func()
	try = func() {
		s := string(buf)
		w1, e1 := scriptWords(s)
		w2, e2 := scriptWordsSlow(s)
		if len(w1) == 0 && len(w2) == 0 {
			w1, w2 = nil, nil
		}
		if (!reflect.DeepEqual(w1, w2) || e1 != e2) && bad < 10 {
			bad++
			t.Errorf("%q: fast %q %q, general %q %q", s, w1, e1, w2, e2)
		}
		if len(buf) == cap(buf) {
			return
		}
		for _, c := range alphabet {
			buf = append(buf, c)
			try()
			buf = buf[:len(buf)-1]
		}
	}
	try()
}

func TestScriptWords(t *testing.T) {
	for _, c := range []struct {
		in    string
		words []string
		err   bool
	}{
		{`/usr/bin/true`, []string{"/usr/bin/true"}, false},
		{`"/bin/sh -c 'exit 0'" root`, []string{"/bin/sh -c 'exit 0'", "root"}, false},
		{`/bin/echo 'a b' c`, []string{"/bin/echo", "a b", "c"}, false},
		{`/bin/echo a\ b`, []string{"/bin/echo", "a b"}, false},
		{`"a"b`, []string{"ab"}, false},
		{`"/bin/true`, []string{"/bin/true"}, true},
		{`/bin/echo 'x`, []string{"/bin/echo", "x"}, true},
	} {
		words, err := scriptWords(c.in)
		if !reflect.DeepEqual(words, c.words) || (err != "") != c.err {
			t.Errorf("scriptWords(%q) = %q, %q; want %q, error %v", c.in, words, err, c.words, c.err)
		}
	}
}
