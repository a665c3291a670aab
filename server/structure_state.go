package server

import (
	"sync"

	"go.uber.org/zap"

	"github.com/keepalived-ls/keepalived-ls/analysis"
)

// Shared by the structure handlers (folding ranges, semantic tokens,
// document links): the client capabilities they act on, the last semantic
// tokens of each document (for deltas) and the warnings about huge
// documents, kept per server.

// structCaps are the client capabilities of the structure handlers.
type structCaps struct {
	lineFoldingOnly   bool   // folding ranges are whole lines
	foldingRangeLimit uint32 // 0: no limit
}

// structState is a server's state for the structure handlers. Its mu is
// taken before the server's mu, never while holding it.
type structState struct {
	mu     sync.Mutex
	tokens map[string]tokenResult // by document key: the last result sent
	nextID uint64
	warned map[string]int32 // feature + document key -> version warned about
}

// tokenResult is a semantic tokens result a client may ask a delta against.
type tokenResult struct {
	id   string
	data []uint32
}

// structure returns the server's structure state.
func (s *Server) structure() *structState {
	s.structOnce.Do(func() {
		s.structSt = &structState{tokens: map[string]tokenResult{}, warned: map[string]int32{}}
	})
	return s.structSt
}

func (s *Server) structCaps() structCaps {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.caps.structure
}

// hugeLimit returns the number of items a heavy feature returns for a
// document (0: all of them).
func hugeLimit(d *document, n int) int {
	if analysis.IsHuge(d.doc) {
		return n
	}
	return 0
}

// warnCapped logs, once per document version and feature, that a huge
// document's result was cut.
func (s *Server) warnCapped(d *document, feature string, limit int) {
	st := s.structure()
	key := feature + "\x00" + d.key
	st.mu.Lock()
	v, seen := st.warned[key]
	st.warned[key] = d.version
	st.mu.Unlock()
	if seen && v == d.version {
		return
	}
	s.log.Warn("huge document: result cut", zap.String("feature", feature), zap.String("uri", string(d.uri)),
		zap.Int32("version", d.version), zap.Int("lines", d.doc.LineCount()), zap.Int("bytes", d.doc.Size()),
		zap.Int("limit", limit))
}
