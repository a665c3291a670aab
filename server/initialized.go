package server

import (
	"context"
	"encoding/json"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"
)

func init() { register(protocol.MethodInitialized, notify((*Server).initialized)) }

// initialized registers file watching and asks for the settings. Calls to
// the client run in a goroutine: waiting for their answers on the read loop
// would deadlock it.
func (s *Server) initialized(ctx context.Context, _ *protocol.InitializedParams) error {
	ctx = jsonrpc2.DetachContext(ctx)
	s.mu.Lock()
	caps := s.caps
	s.mu.Unlock()
	gen := s.configChange()
	go func() {
		if caps.watchFilesDynamic {
			opts, _ := json.Marshal(protocol.DidChangeWatchedFilesRegistrationOptions{
				Watchers: []protocol.FileSystemWatcher{{GlobPattern: protocol.Pattern("**/*")}}})
			params := protocol.RegistrationParams{Registrations: []protocol.Registration{{
				ID: "keepalived-ls-watch", Method: protocol.MethodWorkspaceDidChangeWatchedFiles, RegisterOptions: opts}}}
			if _, err := s.conn.Call(ctx, protocol.MethodClientRegisterCapability, params, nil); err != nil {
				s.log.Info("file watching not registered", zap.Error(err))
			}
		}
		if caps.configuration {
			s.fetchConfiguration(ctx, gen)
		}
	}()
	return nil
}
