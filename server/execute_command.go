package server

import (
	"context"
	"encoding/json"
	"fmt"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/keepalived-ls/keepalived-ls/analysis/expand"
	"github.com/keepalived-ls/keepalived-ls/parser"
)

// CommandShowExpanded returns the configuration keepalived reads from a
// file (see package expand). Its one argument is the document URI, or an
// object {"uri": ..., "configId": ..., "comments": bool}; configId
// defaults to the configured one.
const CommandShowExpanded = "keepalived.showExpanded"

func init() {
	register(protocol.MethodWorkspaceExecuteCommand, request(true, (*Server).executeCommand))
	registerCapability(func(c *protocol.ServerCapabilities, _ clientCaps) {
		c.ExecuteCommandProvider = protocol.ExecuteCommandOptions{Commands: []string{CommandShowExpanded}}
	})
}

func (s *Server) executeCommand(ctx context.Context, p *protocol.ExecuteCommandParams) (any, error) {
	switch p.Command {
	case CommandShowExpanded:
		return s.showExpanded(p.Arguments)
	}
	return nil, fmt.Errorf("%w: unknown command %q", jsonrpc2.ErrInvalidParams, p.Command)
}

// expandArgs is the object form of showExpanded's argument.
type expandArgs struct {
	URI      string  `json:"uri"`
	ConfigID *string `json:"configId"`
	Comments bool    `json:"comments"`
}

func (s *Server) showExpanded(args []protocol.LSPAny) (any, error) {
	if len(args) != 1 {
		return nil, fmt.Errorf("%w: %s takes one argument, the document URI", jsonrpc2.ErrInvalidParams, CommandShowExpanded)
	}
	var a expandArgs
	if err := json.Unmarshal(args[0], &a.URI); err != nil {
		if err := json.Unmarshal(args[0], &a); err != nil || a.URI == "" {
			return nil, fmt.Errorf("%w: %s wants a document URI or {\"uri\": ...}", jsonrpc2.ErrInvalidParams, CommandShowExpanded)
		}
	}
	u := uri.URI(a.URI)
	key, path := docKey(u)
	opts := s.parseOptions(path)
	var doc *parser.Doc
	if d := s.snapshot(u); d != nil && (a.ConfigID == nil || *a.ConfigID == d.doc.Options().ConfigID) {
		doc = d.doc
	} else {
		var text []byte
		if d != nil {
			text = d.doc.Text()
		} else if path == "" {
			return nil, fmt.Errorf("%w: %s is not open", jsonrpc2.ErrInvalidParams, a.URI)
		} else {
			var err error
			if text, err = (overlay{s}).ReadFile(path); err != nil {
				return nil, fmt.Errorf("%w: %v", jsonrpc2.ErrInvalidParams, err)
			}
		}
		if a.ConfigID != nil {
			opts.ConfigID = *a.ConfigID
		}
		name := key
		if d != nil {
			name = docName(d)
		}
		doc = parser.Parse(name, text, opts)
	}
	return expand.String(doc, expand.Options{Comments: a.Comments}), nil
}
