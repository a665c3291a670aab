package server

import (
	"context"

	"go.lsp.dev/protocol"
)

// didSave needs no work: open buffers are already what the server reads.
func init() {
	register(protocol.MethodTextDocumentDidSave, notify(func(*Server, context.Context, *protocol.DidSaveTextDocumentParams) error { return nil }))
}
