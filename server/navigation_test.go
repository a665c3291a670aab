package server

// Helpers for the navigation and editing tests (completion, definition,
// references, highlights, rename, symbols).

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// navConf uses every kind of named object, for the navigation tests.
const navConf = `$IFACE=eth0
global_defs {
    router_id lb1
    lvs_sync_daemon ${IFACE} VI_1 id 5
}
vrrp_script chk_web {
    script "/usr/bin/pgrep nginx"
    interval 2
}
track_file tf_main {
    file /run/keepalived.state
}
bfd_instance bfd_gw {
    neighbor_ip 192.0.2.1
}
vrrp_instance VI_1 {
    state MASTER
    interface ${IFACE}
    virtual_router_id 51
    priority 100
    virtual_ipaddress {
        192.0.2.10/24
    }
    track_script {
        chk_web weight 10
    }
    track_file {
        tf_main
    }
}
vrrp_sync_group VG_1 {
    group {
        VI_1
    }
    track_script {
        chk_web
    }
}
virtual_server_group vsg_web {
    192.0.2.10 80
}
virtual_server group vsg_web {
    lb_algo rr
    protocol TCP
    real_server 192.0.2.21 80 {
        FILE_CHECK {
            track_file tf_main
        }
    }
    real_server 192.0.2.22 80 {
        BFD_CHECK {
            name bfd_gw
        }
    }
}
`

// where finds the n-th (1-based) occurrence of needle in text and returns
// its LSP position (UTF-16 columns) plus offset characters.
func where(t testing.TB, text, needle string, n int, offset uint32) (uint32, uint32) {
	t.Helper()
	at := -1
	for i := 0; i < n; i++ {
		j := strings.Index(text[at+1:], needle)
		if j < 0 {
			t.Fatalf("%q occurs fewer than %d times", needle, n)
		}
		at += 1 + j
	}
	line := strings.Count(text[:at], "\n")
	start := strings.LastIndex(text[:at], "\n") + 1
	return uint32(line), utf16Len(text[start:at]) + offset
}

func posParams(u uri.URI, line, char uint32) protocol.TextDocumentPositionParams {
	return protocol.TextDocumentPositionParams{TextDocument: protocol.TextDocumentIdentifier{URI: u}, Position: protocol.Position{Line: line, Character: char}}
}

// mustCall sends a request that must succeed.
func (c *testClient) mustCall(method string, params, result any) {
	c.t.Helper()
	if err := c.call(method, params, result); err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
}

// uriName shortens a URI for assertions: the base name of a file, or the
// URI itself.
func uriName(u uri.URI) string {
	if u.IsFile() {
		return filepath.Base(u.FsPath())
	}
	return string(u)
}

// locStrings renders locations as "NAME L:C-L:C" (0-based, as on the wire).
func locStrings(locs []protocol.Location) []string {
	out := make([]string, 0, len(locs))
	for _, l := range locs {
		out = append(out, uriName(l.URI)+" "+rangeString(l.Range))
	}
	return out
}

// editStrings renders a workspace edit as sorted "NAME L:C-L:C NEWTEXT".
func editStrings(we *protocol.WorkspaceEdit) []string {
	var out []string
	if we == nil {
		return nil
	}
	for u, edits := range we.Changes {
		for _, e := range edits {
			out = append(out, fmt.Sprintf("%s %s %s", uriName(u), rangeString(e.Range), e.NewText))
		}
	}
	sort.Strings(out)
	return out
}

// fullCaps are the test client's usual capabilities with everything the
// navigation handlers can use turned on.
func fullCaps() *protocol.ClientCapabilities {
	caps := clientOptions{}.capabilities()
	yes := true
	caps.TextDocument.Completion = &protocol.CompletionClientCapabilities{CompletionItem: &protocol.ClientCompletionItemOptions{
		SnippetSupport:      &yes,
		DocumentationFormat: []protocol.MarkupKind{protocol.MarkupKindMarkdown, protocol.MarkupKindPlainText},
		TagSupport:          protocol.CompletionItemTagOptions{ValueSet: []protocol.CompletionItemTag{protocol.CompletionItemTagDeprecated}},
	}}
	caps.TextDocument.DocumentSymbol = &protocol.DocumentSymbolClientCapabilities{HierarchicalDocumentSymbolSupport: &yes,
		TagSupport: protocol.ClientSymbolTagOptions{ValueSet: []protocol.SymbolTag{protocol.SymbolTagDeprecated}}}
	caps.TextDocument.Rename = &protocol.RenameClientCapabilities{PrepareSupport: &yes}
	return &caps
}
