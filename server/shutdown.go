package server

import (
	"context"

	"go.lsp.dev/protocol"
)

func init() {
	register(protocol.MethodShutdown, handler{call: func(s *Server, _ context.Context, _ []byte) (any, error) {
		s.mu.Lock()
		s.state = stateShutdown
		s.mu.Unlock()
		s.stopTimers()
		return nil, nil
	}})
}
