package server

import (
	"context"
	"fmt"

	"go.lsp.dev/protocol"
)

func init() { register(protocol.MethodCancelRequest, notify((*Server).cancelRequest)) }

// cancelRequest cancels an async request still running; late or unknown
// ids are ignored.
func (s *Server) cancelRequest(_ context.Context, p *protocol.CancelParams) error {
	var id string
	switch v := p.ID.(type) {
	case protocol.Integer:
		id = fmt.Sprint(int64(v))
	case protocol.String:
		id = string(v)
	default:
		return nil
	}
	s.mu.Lock()
	cancel := s.inflight[id]
	s.mu.Unlock()
	if cancel != nil {
		cancel()
	}
	return nil
}
