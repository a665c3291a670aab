package server

import (
	"context"

	"go.lsp.dev/protocol"
)

// exit ends the session: status 0 after a shutdown request, 1 otherwise,
// as the protocol asks. Its params, if any, are ignored.
func init() {
	register(protocol.MethodExit, handler{call: func(s *Server, _ context.Context, _ []byte) (any, error) {
		s.mu.Lock()
		code := 1
		if s.state == stateShutdown {
			code = 0
		}
		s.mu.Unlock()
		s.exit(code)
		return nil, nil
	}})
}
