package server

import (
	"context"
	"slices"
	"strconv"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"go.lsp.dev/protocol"
)

func init() { register(protocol.MethodCancelRequest, notify((*Server).cancelRequest)) }

// cancelParams is protocol.CancelParams with the id kept raw: the protocol
// type holds a 32-bit integer, and JSON-RPC ids may be any integer.
type cancelParams struct {
	ID jsontext.Value `json:"id"`
}

// cancelRequest cancels an async request still running; late or unknown
// ids are ignored.
func (s *Server) cancelRequest(_ context.Context, p *cancelParams) error {
	var id string
	switch p.ID.Kind() {
	case '0':
		n, err := strconv.ParseInt(string(p.ID), 10, 64)
		if err != nil {
			return nil // not an id jsonrpc2 would have given a request
		}
		id = numberIDKey(n)
	case '"':
		var str string
		if json.Unmarshal(p.ID, &str) != nil {
			return nil
		}
		id = stringIDKey(str)
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
