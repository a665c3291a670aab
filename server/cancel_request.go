package server

import (
	"context"
	"slices"

	"go.lsp.dev/protocol"
)

func init() { register(protocol.MethodCancelRequest, notify((*Server).cancelRequest)) }

// cancelRequest cancels an async request still running; late or unknown
// ids are ignored.
func (s *Server) cancelRequest(_ context.Context, p *protocol.CancelParams) error {
	var id string
	switch v := p.ID.(type) {
	case protocol.Integer:
		id = numberIDKey(int64(v))
	case protocol.String:
		id = stringIDKey(string(v))
	default:
		return nil
	}
	s.mu.Lock()
	rs := slices.Clone(s.inflight[id])
	s.mu.Unlock()
	for _, r := range rs {
		r.cancel()
	}
	return nil
}
