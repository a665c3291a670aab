package server

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

func TestPullDiagnostics(t *testing.T) {
	dir := includeSetup(t, map[string]string{"keepalived.conf": mainWithGlobalFragment, "defs.conf": globalFragment})
	mainURI, fragURI := uri.File(filepath.Join(dir, "keepalived.conf")), uri.File(filepath.Join(dir, "defs.conf"))
	text := mainWithGlobalFragment + sorryConf + "bad_top 1\n"

	// What a push client gets.
	push := start(t, clientOptions{})
	push.open(mainURI, text)
	pushed := push.diagsFor(mainURI, 1)
	if len(pushed) != 3 {
		t.Fatalf("pushed %q", full(pushed))
	}

	c := newClient(t)
	res := c.initialize(clientOptions{Pull: true})
	dp, ok := res.Capabilities.DiagnosticProvider.(*protocol.DiagnosticOptions)
	if !ok || dp.Identifier == nil || *dp.Identifier != "keepalived-ls" || !dp.InterFileDependencies || dp.WorkspaceDiagnostics {
		t.Errorf("diagnosticProvider %#v", res.Capabilities.DiagnosticProvider)
	}
	c.open(mainURI, text)
	pulled := c.pull(mainURI)
	if !slices.Equal(full(pulled), full(pushed)) {
		t.Errorf("pulled %q\npushed %q", full(pulled), full(pushed))
	}
	// The included file that is not open is still pushed (the client
	// cannot pull it); that push shows the main file's check ran, and the
	// main file itself was not pushed.
	if p := c.nextPublish(fragURI, 0, nil); len(p.diags) != 1 {
		t.Errorf("fragment %q", full(p.diags))
	}
	time.Sleep(50 * time.Millisecond)
	if ps := c.publishesFor(mainURI); len(ps) != 0 {
		t.Errorf("the pulled document was pushed too:\n%s", c.publishLog())
	}
	// Pulls follow edits at once (no debounce).
	last := uint32(strings.Count(text, "\n") - 1) // "bad_top 1"
	c.change(mainURI, partial(last, 0, last, 9, ""))
	if got := c.pull(mainURI); len(got) != 2 {
		t.Errorf("after the edit %q", full(got))
	}
	// A document that is not open: an empty report.
	if got := c.pull("untitled:nothing"); len(got) != 0 {
		t.Errorf("unknown document %q", full(got))
	}
	// Closing does not push either.
	c.close(mainURI)
	time.Sleep(50 * time.Millisecond)
	if ps := c.publishesFor(mainURI); len(ps) != 0 {
		t.Errorf("pushed on close:\n%s", c.publishLog())
	}
}
