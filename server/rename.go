package server

import (
	"context"
	"errors"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/keepalived-ls/keepalived-ls/analysis"
)

func init() {
	register(protocol.MethodTextDocumentPrepareRename, request(true, (*Server).prepareRename))
	register(protocol.MethodTextDocumentRename, request(true, (*Server).rename))
	registerCapability(func(c *protocol.ServerCapabilities, _ clientCaps) {
		yes := true
		c.RenameProvider = &protocol.RenameOptions{PrepareProvider: &yes}
	})
}

// codeRequestFailed is LSP's RequestFailed: the request was valid but
// cannot be carried out (here: this name cannot be renamed).
const codeRequestFailed jsonrpc2.Code = -32803

// renameError turns an analysis refusal into a response error whose
// message the client shows.
func renameError(err error) error {
	var re *analysis.RenameError
	if errors.As(err, &re) {
		return jsonrpc2.NewError(codeRequestFailed, re.Reason)
	}
	return err
}

// prepareRename answers with the name under the position and its range,
// or explains why it cannot be renamed (keywords, built-in parameters,
// names produced by substitution, files outside the configuration).
func (s *Server) prepareRename(ctx context.Context, p *protocol.PrepareRenameParams) (any, error) {
	nc := s.navigate(p.TextDocument.URI)
	if nc == nil {
		return nil, nil
	}
	pos := s.navPos(nc, p.Position)
	o, err := nc.ix.PrepareRename(nc.path, int(pos.Line), int(pos.Col))
	if err != nil {
		return nil, renameError(err)
	}
	return &protocol.PrepareRenamePlaceholder{Range: s.fromSpan(nc.self.doc.Line, o.NameSpan), Placeholder: o.Name}, nil
}

// rename renames a named object everywhere: its definitions and uses in
// the document and in the files it includes.
func (s *Server) rename(ctx context.Context, p *protocol.RenameParams) (any, error) {
	nc := s.navigate(p.TextDocument.URI)
	if nc == nil {
		return nil, nil
	}
	pos := s.navPos(nc, p.Position)
	edits, err := nc.ix.RenameAt(nc.path, int(pos.Line), int(pos.Col), p.NewName)
	if err != nil {
		return nil, renameError(err)
	}
	return s.workspaceEdit(nc.root, edits), nil
}
