package server

// A soak test: tens of thousands of random incremental edits on a large
// generated configuration. The server's diagnostics must stay equal to a
// fresh full check of the same text, and its memory must not grow with the
// number of edits.

import (
	"bytes"
	"context"
	"fmt"
	"math/rand"
	"net"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/keepalived-ls/keepalived-ls/analysis"
	"github.com/keepalived-ls/keepalived-ls/internal/benchgen"
	"github.com/keepalived-ls/keepalived-ls/parser"
)

// Soak parameters. KEEPALIVED_LS_SOAK_EDITS overrides the number of edits.
const (
	soakEdits         = 20000
	soakCheckEvery    = 5000 // compare with a full check this often
	soakMaxHeapGrowth = 0.20 // live heap after the edits vs after the open
	// Heap in use (spans holding any live object) also counts the Go
	// heap's fragmentation after tens of thousands of edits, which the
	// runtime reuses but does not compact: bounded, not kept equal.
	soakMaxInuseGrowth = 1.0
	soakBurst          = 40 // mean number of edits before they are undone
)

// raceEnabled is set by race_test.go under the race detector.
var raceEnabled bool

// TestSoakIncrementalEdits applies random edits (insertions, deletions,
// braces, multi-line text, non-ASCII) through didChange with incremental
// sync, in bursts that are then undone, to a 17,000-line generated
// configuration. It checks that the pulled diagnostics equal a full check
// of the same text (in the middle of bursts, after the undos, and on a
// final random text), that the server's text is the client's, and that
// the live heap after the edits is within 20% of the live heap after the
// open (the text being the same again; heap in use, which also counts
// fragmentation, within 2x).
//
// It runs unless -short (about 5 s; 2,000 edits under -race);
// KEEPALIVED_LS_SOAK=1 runs it with -short too, KEEPALIVED_LS_SOAK_EDITS=N
// sets the number of edits, KEEPALIVED_LS_SOAK_HEAPPROFILE=FILE writes
// heap profiles after the open (FILE.open) and after the edits (FILE): see
// what grew with go tool pprof -base FILE.open FILE.
func TestSoakIncrementalEdits(t *testing.T) {
	if testing.Short() && os.Getenv("KEEPALIVED_LS_SOAK") != "1" {
		t.Skip("soak test: set KEEPALIVED_LS_SOAK=1 to run it with -short")
	}
	edits := soakEdits
	if raceEnabled {
		edits = soakEdits / 10 // about ten times slower under the race detector
	}
	if s := os.Getenv("KEEPALIVED_LS_SOAK_EDITS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			t.Fatalf("KEEPALIVED_LS_SOAK_EDITS=%q", s)
		}
		edits = n
	}
	if os.Getenv("KEEPALIVED_LS_SOAK_HEAPPROFILE") != "" {
		runtime.MemProfileRate = 1 // every allocation, so that profiles can be subtracted
	}
	var gen bytes.Buffer
	if err := benchgen.Write(&gen, 20, 300, 4); err != nil {
		t.Fatal(err)
	}
	c := newQuietClient(t)
	c.initialize(clientOptions{Pull: true})
	u := uri.URI("untitled:soak")
	doc := newSoakDoc(gen.String())
	c.notify(protocol.MethodTextDocumentDidOpen, &protocol.DidOpenTextDocumentParams{
		TextDocument: protocol.TextDocumentItem{URI: u, LanguageID: "keepalived", Version: 1, Text: doc.text()}})
	version := int32(1)
	c.compareWithFullCheck(u, doc.text(), "after the open")
	// Warm up what is allocated once, on a scratch document (buffers of
	// the connection, lazily built tables), so that the heap measured
	// after the open is the baseline the edits of the document are
	// compared with.
	warmup := uri.URI("untitled:warmup")
	scratch := newSoakDoc(vrrpConf)
	c.notify(protocol.MethodTextDocumentDidOpen, &protocol.DidOpenTextDocumentParams{
		TextDocument: protocol.TextDocumentItem{URI: warmup, LanguageID: "keepalived", Version: 1, Text: scratch.text()}})
	wrnd := rand.New(rand.NewSource(1))
	for i := range 500 {
		r, text := scratch.randomEdit(wrnd, len(vrrpConf))
		scratch.apply(r, text)
		c.notify(protocol.MethodTextDocumentDidChange, &protocol.DidChangeTextDocumentParams{
			TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: warmup}, Version: int32(i + 2)},
			ContentChanges: []protocol.TextDocumentContentChangeEvent{&protocol.TextDocumentContentChangePartial{Range: r, Text: text}},
		})
	}
	c.compareWithFullCheck(warmup, scratch.text(), "warm-up document")
	c.notify(protocol.MethodTextDocumentDidClose, &protocol.DidCloseTextDocumentParams{TextDocument: protocol.TextDocumentIdentifier{URI: warmup}})
	c.pull(u)
	msOpen := heapStats()
	if f := os.Getenv("KEEPALIVED_LS_SOAK_HEAPPROFILE"); f != "" {
		writeHeapProfile(t, f+".open")
	}
	heapOpen := msOpen.HeapInuse
	size0, lines0 := doc.size, len(doc.lines)

	rnd := rand.New(rand.NewSource(20261125))
	start := time.Now()
	send := func(changes []protocol.TextDocumentContentChangeEvent) {
		version++
		c.notify(protocol.MethodTextDocumentDidChange, &protocol.DidChangeTextDocumentParams{
			TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: u}, Version: version},
			ContentChanges: changes,
		})
	}
	// Bursts of random edits (a random walk away from the original), each
	// followed by its undo, as edits too, in reverse order: the document
	// ends as it started, so the heap at the end must be the heap at the
	// start. Comparisons with a full check happen in the middle of bursts,
	// on broken text.
	var applied, undone, multi, notifications int
	var undo []edit
	checked := 0
	for i := 1; i <= edits; i++ {
		var changes []protocol.TextDocumentContentChangeEvent
		n := 1
		if rnd.Intn(10) == 0 {
			n = 2 + rnd.Intn(3) // several changes in one notification
			multi++
		}
		for range n {
			r, text := doc.randomEdit(rnd, size0)
			undo = append(undo, doc.apply(r, text))
			changes = append(changes, &protocol.TextDocumentContentChangePartial{Range: r, Text: text})
			applied++
		}
		send(changes)
		notifications++
		if i/soakCheckEvery > checked {
			checked++
			c.compareWithFullCheck(u, doc.text(), fmt.Sprintf("after %d edits (%d undone)", applied, undone))
		}
		if rnd.Intn(soakBurst) == 0 || i == edits {
			// Undo the burst, sometimes several inverse edits at once.
			for len(undo) > 0 {
				var changes []protocol.TextDocumentContentChangeEvent
				for k := 1 + rnd.Intn(3); k > 0 && len(undo) > 0; k-- {
					e := undo[len(undo)-1]
					undo = undo[:len(undo)-1]
					doc.apply(e.r, e.text)
					changes = append(changes, &protocol.TextDocumentContentChangePartial{Range: e.r, Text: e.text})
					undone++
				}
				send(changes)
				notifications++
			}
		}
	}
	if doc.text() != gen.String() {
		t.Fatal("the undos did not restore the text")
	}
	c.compareWithFullCheck(u, doc.text(), fmt.Sprintf("after %d edits and their undos", applied))
	elapsed := time.Since(start)
	// The server's text is the client's.
	if got := string(c.srv.snapshot(u).doc.Text()); got != doc.text() {
		t.Fatalf("server text differs from the client's after %d edits", edits)
	}
	if d := c.srv.snapshot(u); d.version != version {
		t.Errorf("server version %d, want %d", d.version, version)
	}
	msEnd := heapStats()
	heapEnd := msEnd.HeapInuse
	if f := os.Getenv("KEEPALIVED_LS_SOAK_HEAPPROFILE"); f != "" {
		writeHeapProfile(t, f)
	}
	growth := float64(msEnd.HeapAlloc)/float64(msOpen.HeapAlloc) - 1
	inuseGrowth := float64(heapEnd)/float64(heapOpen) - 1
	t.Logf("%d random edits in %d notifications (%d with several changes), %d inverse edits; %d didChange in all; %v (%v per didChange, with %d full checks)",
		applied, edits, multi, undone, notifications, elapsed.Round(time.Millisecond), (elapsed / time.Duration(notifications)).Round(time.Microsecond), checked+1)
	t.Logf("document: %d lines, %d bytes at the open; %d lines, %d bytes at the end", lines0, size0, len(doc.lines), doc.size)
	t.Logf("live heap (HeapAlloc) after GC: %.1f MB after the open, %.1f MB after the edits (%+.1f%%, limit %+.0f%%); %d and %d objects",
		float64(msOpen.HeapAlloc)/(1<<20), float64(msEnd.HeapAlloc)/(1<<20), 100*growth, 100*soakMaxHeapGrowth, msOpen.HeapObjects, msEnd.HeapObjects)
	t.Logf("heap in use after GC: %.1f MB after the open, %.1f MB after the edits (%+.1f%%, limit %+.0f%%)",
		float64(heapOpen)/(1<<20), float64(heapEnd)/(1<<20), 100*inuseGrowth, 100*soakMaxInuseGrowth)
	if growth > soakMaxHeapGrowth {
		t.Errorf("live heap grew by %.1f%% over %d edits (%.1f MB to %.1f MB), limit %.0f%%",
			100*growth, edits, float64(msOpen.HeapAlloc)/(1<<20), float64(msEnd.HeapAlloc)/(1<<20), 100*soakMaxHeapGrowth)
	}
	if inuseGrowth > soakMaxInuseGrowth {
		t.Errorf("heap in use grew by %.1f%% over %d edits (%.1f MB to %.1f MB), limit %.0f%%",
			100*inuseGrowth, edits, float64(heapOpen)/(1<<20), float64(heapEnd)/(1<<20), 100*soakMaxInuseGrowth)
	}
	// A last burst that is not undone: the final text is random, and its
	// diagnostics are those of a full check too.
	for range 200 {
		r, text := doc.randomEdit(rnd, size0)
		doc.apply(r, text)
		send([]protocol.TextDocumentContentChangeEvent{&protocol.TextDocumentContentChangePartial{Range: r, Text: text}})
	}
	c.compareWithFullCheck(u, doc.text(), "final text")
	if got := string(c.srv.snapshot(u).doc.Text()); got != doc.text() {
		t.Fatal("server text differs from the client's at the end")
	}
	if code := c.shutdownExit(); code != 0 {
		t.Errorf("exit code %d", code)
	}
}

// writeHeapProfile writes a heap profile to file, for go tool pprof.
func writeHeapProfile(t *testing.T, file string) {
	w, err := os.Create(file)
	if err == nil {
		err = pprof.WriteHeapProfile(w)
		if cerr := w.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		t.Errorf("heap profile: %v", err)
	}
}

// heapStats returns the memory statistics after a full collection.
func heapStats() runtime.MemStats {
	var ms runtime.MemStats
	runtime.GC()
	runtime.GC() // finalizers and sweeping of the first
	runtime.ReadMemStats(&ms)
	return ms
}

// newQuietClient is newClient with a server that logs only warnings (the
// debug log of 20,000 changes would dominate the heap being measured).
func newQuietClient(t *testing.T) *testClient {
	t.Helper()
	core, logs := observer.New(zapcore.WarnLevel)
	srv := New(Options{Logger: zap.New(core), Version: "test"})
	serverEnd, clientEnd := net.Pipe()
	served := make(chan int, 1)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { served <- srv.Serve(ctx, serverEnd) }()
	c := &testClient{
		t: t, ctx: context.Background(), pipe: clientEnd, srv: srv, served: served, logs: logs,
		changed: make(chan struct{}), docs: map[uri.URI]*clientDoc{},
	}
	c.conn = jsonrpc2.NewConn(jsonrpc2.NewHeaderStream(clientEnd), jsonrpc2.WithCodec(codec{}))
	c.conn.Go(context.Background(), c.handle)
	t.Cleanup(func() {
		cancel()
		clientEnd.Close()
		serverEnd.Close()
		<-c.conn.Done()
		if t.Failed() {
			dumpLogs(t, logs)
		}
	})
	return c
}

// compareWithFullCheck pulls the document's diagnostics and compares them
// with a fresh parse and check of text (parser.Parse, analysis.Checker),
// converted to LSP positions independently of the server.
func (c *testClient) compareWithFullCheck(u uri.URI, text, when string) {
	c.t.Helper()
	got := full(c.pull(u))
	cfg, problems := defaultSettings().config()
	if len(problems) > 0 {
		c.t.Fatalf("default settings: %v", problems)
	}
	doc := parser.Parse(string(u), []byte(text), parser.Options{Version: cfg.Target})
	diags := analysis.NewChecker(cfg).Check(doc)
	want := make([]string, 0, len(diags))
	pos := func(p parser.Pos) string {
		return fmt.Sprintf("%d:%d", p.Line, parser.UTF16Col(doc.Line(int(p.Line)), int(p.Col)))
	}
	for _, d := range diags {
		if d.Src != nil {
			c.t.Fatalf("%s: a diagnostic from another file: %s", when, d.Src.Path)
		}
		s := fmt.Sprintf("%s-%s %d %s: %s", pos(d.Span.Start), pos(d.Span.End), d.Severity, d.Rule, d.Message)
		for _, r := range d.Related {
			s += fmt.Sprintf(" [related %s %s-%s %q]", u, pos(r.Span.Start), pos(r.Span.End), r.Message)
		}
		want = append(want, s)
	}
	if !slices.Equal(got, want) {
		for i := range max(len(got), len(want)) {
			g, w := "", ""
			if i < len(got) {
				g = got[i]
			}
			if i < len(want) {
				w = want[i]
			}
			if g != w {
				c.t.Fatalf("%s: %d diagnostics, a full check has %d; first difference at %d:\n got %q\nwant %q", when, len(got), len(want), i, g, w)
			}
		}
	}
	c.t.Logf("%s: %d diagnostics, equal to a full check", when, len(got))
}

// soakDoc is the client's copy of the document as lines (without their
// line ends), so an edit costs the lines it touches, not the whole text.
type soakDoc struct {
	lines []string
	size  int // bytes, with the line ends
}

func newSoakDoc(text string) *soakDoc {
	lines := strings.Split(text, "\n")
	// Room to grow: the slice is not reallocated during the measurement.
	return &soakDoc{lines: slices.Grow(lines, len(lines)), size: len(text)}
}

func (d *soakDoc) text() string { return strings.Join(d.lines, "\n") }

// col16 converts a byte offset in a line to UTF-16 code units.
func col16(line string, b int) uint32 {
	n := 0
	for _, r := range line[:b] {
		n += utf16.RuneLen(r)
	}
	return uint32(n)
}

// byteOf converts a UTF-16 column (at a character boundary) to a byte
// offset.
func byteOf(line string, c uint32) int {
	n := uint32(0)
	for i, r := range line {
		if n >= c {
			return i
		}
		n += uint32(utf16.RuneLen(r))
	}
	return len(line)
}

// randomCol returns a byte offset at a character boundary of a line.
func randomCol(rnd *rand.Rand, line string) int {
	b := rnd.Intn(len(line) + 1)
	for b > 0 && b < len(line) && !utf8.RuneStart(line[b]) {
		b--
	}
	return b
}

func (d *soakDoc) pos(l, b int) protocol.Position {
	return protocol.Position{Line: uint32(l), Character: col16(d.lines[l], b)}
}

// soakPieces are inserted text: keywords, values, braces, blocks over
// several lines, comments and non-ASCII.
var soakPieces = []string{
	"{", "}", "{\n", "}\n", "\n", " ", "\t", "x",
	"weight 1\n", "    real_server 10.0.0.2 80 {\n        weight 2\n    }\n",
	"virtual_server 10.1.2.3 443 {\n    lb_algo rr\n    lb_kind NAT\n    protocol TCP\n}\n",
	"vrrp_instance VI_SOAK {\n    state BACKUP\n    interface eth0\n    virtual_router_id 77\n    priority 90\n}\n",
	"# commentaire é 😀\n", "router_id 名前\n", "é", "😀", "名", "\"quoted", "\"", "! bang comment\n",
	"notification_email {\n  a@b.c\n}\n", "$NAME", "$X=1\n", "@high ", "delay_loop 6\n", "persistence_timeout 50\n",
	"garbage_keyword 1 2 3\n", "inhibit_on_failure\n", "}\n}\n", "{\n{\n",
}

// randomEdit returns a range and its replacement, keeping the document
// near its original size (target).
func (d *soakDoc) randomEdit(rnd *rand.Rand, target int) (protocol.Range, string) {
	l1 := rnd.Intn(len(d.lines))
	b1 := randomCol(rnd, d.lines[l1])
	l2, b2 := l1, b1
	grow := d.size < target
	kind := rnd.Intn(10)
	switch {
	case kind < 3 || kind < 5 && !grow:
		// Deletion inside a line or over a few lines.
		if rnd.Intn(3) == 0 {
			l2 = min(len(d.lines)-1, l1+1+rnd.Intn(3))
			b2 = randomCol(rnd, d.lines[l2])
		} else {
			b2 = b1 + randomCol(rnd, d.lines[l1][b1:])
		}
	case kind < 6:
		// A brace deleted, when the line has one.
		if i := strings.IndexAny(d.lines[l1], "{}"); i >= 0 {
			b1, b2 = i, i+1
			return protocol.Range{Start: d.pos(l1, b1), End: d.pos(l2, b2)}, ""
		}
	case kind < 7:
		// A replacement of a word.
		b2 = b1 + randomCol(rnd, d.lines[l1][b1:min(len(d.lines[l1]), b1+8)])
	}
	text := ""
	if kind >= 3 || rnd.Intn(4) == 0 {
		text = soakPieces[rnd.Intn(len(soakPieces))]
	}
	return protocol.Range{Start: d.pos(l1, b1), End: d.pos(l2, b2)}, text
}

// edit is a change: a range and its replacement.
type edit struct {
	r    protocol.Range
	text string
}

// apply applies an edit to the lines and returns its inverse.
func (d *soakDoc) apply(r protocol.Range, text string) edit {
	l1, l2 := int(r.Start.Line), int(r.End.Line)
	b1, b2 := byteOf(d.lines[l1], r.Start.Character), byteOf(d.lines[l2], r.End.Character)
	var old string
	if l1 == l2 {
		old = d.lines[l1][b1:b2]
	} else {
		old = d.lines[l1][b1:] + "\n" + strings.Join(d.lines[l1+1:l2], "\n")
		if l2 > l1+1 {
			old += "\n"
		}
		old += d.lines[l2][:b2]
	}
	joined := d.lines[l1][:b1] + text + d.lines[l2][b2:]
	repl := strings.Split(joined, "\n")
	d.lines = slices.Replace(d.lines, l1, l2+1, repl...)
	d.size += len(text) - len(old)
	// The inserted text now spans from the start to end.
	end := r.Start
	if i := strings.LastIndexByte(text, '\n'); i >= 0 {
		end = protocol.Position{Line: r.Start.Line + uint32(strings.Count(text, "\n")), Character: col16(text[i+1:], len(text)-i-1)}
	} else {
		end.Character += col16(text, len(text))
	}
	return edit{protocol.Range{Start: r.Start, End: end}, old}
}
