// Package server is the keepalived-ls language server: LSP glue over
// go.lsp.dev/protocol and jsonrpc2. Each LSP method has its own small
// handler file; everything about keepalived itself is in parser and
// analysis.
package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/keepalived-ls/keepalived-ls/analysis"
)

// Options configure a server.
type Options struct {
	Logger  *zap.Logger
	Version string // reported in serverInfo
}

// lifecycle states.
const (
	stateNew = iota
	stateRunning
	stateShutdown
)

// Server holds one client session.
type Server struct {
	log     *zap.Logger
	version string
	conn    jsonrpc2.Conn

	// edit serialises everything that changes documents; pub serialises
	// publishing (the check that a result is still current and its
	// notification go together, so an older version, or a closed document's
	// diagnostics, never goes out after a newer one); mu guards the fields
	// below and is held only briefly.
	edit     sync.Mutex
	pub      sync.Mutex
	mu       sync.Mutex
	state    int
	rootDir  string
	caps     clientCaps
	settings Settings
	cfgGen   int                  // settings changes so far (see configChange)
	docs     map[string]*document // by key(uri)
	checkers map[string]*analysis.Checker
	timers   map[string]*time.Timer
	included map[string]map[string]bool // root key -> keys of included files it published to
	inflight map[string][]*inflightReq  // async requests by requestIDKey, for $/cancelRequest
	proj     projectState               // project files and keepalived runs (project.go)
	exited   chan int

	structOnce sync.Once
	structSt   *structState // folding, semantic tokens, links
	exitOnce   sync.Once
}

// New returns a server that is not yet connected.
func New(opts Options) *Server {
	log := opts.Logger
	if log == nil {
		log = zap.NewNop()
	}
	return &Server{
		log:      log,
		version:  opts.Version,
		settings: defaultSettings(),
		docs:     map[string]*document{},
		checkers: map[string]*analysis.Checker{},
		timers:   map[string]*time.Timer{},
		included: map[string]map[string]bool{},
		inflight: map[string][]*inflightReq{},
		exited:   make(chan int, 1),
	}
}

// Serve runs the protocol on rwc until the client sends exit or the stream
// ends, and returns the process exit code (0 after shutdown+exit).
func (s *Server) Serve(ctx context.Context, rwc io.ReadWriteCloser) int {
	stream := newStream(rwc, s.log)
	s.conn = jsonrpc2.NewConn(stream, jsonrpc2.WithCodec(codec{}))
	s.conn.Go(ctx, s.handle)
	select {
	case code := <-s.exited:
		// Closing waits for the reader, which may sit in a read of stdin
		// that nothing can interrupt: close in the background.
		go s.conn.Close()
		return code
	case <-s.conn.Done():
		if err := s.conn.Err(); err != nil {
			s.log.Warn("connection ended", zap.Error(err))
		}
		s.stopTimers()
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.state == stateShutdown {
			return 0
		}
		return 1
	}
}

// codec marshals payloads with the protocol package's union-aware JSON.
type codec struct{}

func (codec) Marshal(v any) ([]byte, error) {
	if m, ok := v.(jsonrpc2.RawMessage); ok {
		if m == nil {
			return []byte("null"), nil
		}
		return m, nil
	}
	return protocol.Marshal(v)
}

func (codec) Unmarshal(data []byte, v any) error {
	if p, ok := v.(*jsonrpc2.RawMessage); ok {
		*p = append(jsonrpc2.RawMessage(nil), data...)
		return nil
	}
	return protocol.Unmarshal(data, v)
}

// handler describes how to serve one method.
type handler struct {
	// async handlers only read state: they run concurrently on a snapshot.
	// Synchronous ones (document changes) run in order on the read loop.
	async bool
	call  func(s *Server, ctx context.Context, params []byte) (any, error)
}

// handlers maps LSP methods to their handler; each is defined in its own
// file and registered in init.
var handlers = map[string]handler{}

func register(method string, h handler) { handlers[method] = h }

// capabilities are contributed by the files that implement them, so adding
// a feature touches only its own file.
var capabilities []func(c *protocol.ServerCapabilities, cc clientCaps)

func registerCapability(f func(c *protocol.ServerCapabilities, cc clientCaps)) {
	capabilities = append(capabilities, f)
}

// request and notify adapt typed handler functions.
func request[P any](async bool, f func(s *Server, ctx context.Context, p *P) (any, error)) handler {
	return handler{async: async, call: func(s *Server, ctx context.Context, raw []byte) (any, error) {
		var p P
		if len(raw) > 0 && string(raw) != "null" {
			if err := protocol.Unmarshal(raw, &p); err != nil {
				return nil, fmt.Errorf("%w: %v", jsonrpc2.ErrInvalidParams, err)
			}
		}
		return f(s, ctx, &p)
	}}
}

func notify[P any](f func(s *Server, ctx context.Context, p *P) error) handler {
	return handler{call: func(s *Server, ctx context.Context, raw []byte) (any, error) {
		var p P
		if len(raw) > 0 && string(raw) != "null" {
			if err := protocol.Unmarshal(raw, &p); err != nil {
				return nil, fmt.Errorf("%w: %v", jsonrpc2.ErrInvalidParams, err)
			}
		}
		return nil, f(s, ctx, &p)
	}}
}

var errNotInitialized = jsonrpc2.NewError(jsonrpc2.ServerNotInitialized, "the server is not initialized")

// handle is the connection's handler: lifecycle gating, dispatch, panic
// recovery. A notification never returns an error (that would close the
// connection).
func (s *Server) handle(ctx context.Context, req *jsonrpc2.Request) (result any, err error) {
	method := strings.Clone(req.Method())
	isCall := req.IsCall()
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("handler panic", zap.String("method", method), zap.Any("panic", r),
				zap.String("stack", string(debug.Stack())))
			result, err = nil, nil
			if isCall {
				err = jsonrpc2.NewError(jsonrpc2.InternalError, fmt.Sprintf("internal error in %s: %v", method, r))
			}
		}
		if err != nil && !isCall {
			s.log.Warn("notification failed", zap.String("method", method), zap.Error(err))
			err = nil
		}
	}()
	h, known := handlers[method]
	s.mu.Lock()
	state := s.state
	s.mu.Unlock()
	switch {
	case !known:
		if isCall {
			s.log.Debug("unknown request", zap.String("method", method))
			return nil, fmt.Errorf("%s: %w", method, jsonrpc2.ErrMethodNotFound)
		}
		s.log.Debug("ignoring notification", zap.String("method", method))
		return nil, nil
	case method == protocol.MethodExit:
	case state == stateNew && method != protocol.MethodInitialize:
		if isCall {
			return nil, errNotInitialized
		}
		return nil, nil
	case state != stateNew && method == protocol.MethodInitialize:
		return nil, jsonrpc2.NewError(jsonrpc2.InvalidRequest, "initialize was already received")
	case state == stateShutdown && method != protocol.MethodShutdown:
		if isCall {
			return nil, jsonrpc2.NewError(jsonrpc2.InvalidRequest, "the server is shutting down")
		}
		return nil, nil
	}
	params := req.Params()
	if h.async && isCall {
		// Cancellable through $/cancelRequest. The context derives from the
		// connection's, not from the pooled request context. Registered
		// before the release: once released, the read loop may already be
		// handling the $/cancelRequest that follows.
		id := requestIDKey(req.ID())
		reqCtx := ctx
		r := &inflightReq{}
		ctx, r.cancel = context.WithCancel(jsonrpc2.DetachContext(ctx))
		s.mu.Lock()
		s.inflight[id] = append(s.inflight[id], r)
		s.mu.Unlock()
		jsonrpc2.Async(reqCtx) // params are cloned by the release
		params = req.Params()
		defer func() {
			s.mu.Lock()
			rs := slices.DeleteFunc(s.inflight[id], func(x *inflightReq) bool { return x == r })
			if len(rs) == 0 {
				delete(s.inflight, id)
			} else {
				s.inflight[id] = rs
			}
			s.mu.Unlock()
			r.cancel()
		}()
	}
	start := time.Now()
	result, err = h.call(s, ctx, params)
	if ce := s.log.Check(zap.DebugLevel, "handled"); ce != nil {
		ce.Write(zap.String("method", method), zap.Duration("took", time.Since(start)), zap.Error(err))
	}
	if err == nil && ctx.Err() != nil || err != nil && errors.Is(err, context.Canceled) {
		return nil, protocol.ErrRequestCancelled
	}
	return result, err
}

// inflightReq is an async request that $/cancelRequest can cancel.
type inflightReq struct {
	cancel context.CancelFunc
}

// requestIDKey keys s.inflight: the number 7 and the string "7" are
// different ids. A client that reuses an id while the first request runs
// has both cancelled by one $/cancelRequest.
func requestIDKey(id jsonrpc2.ID) string {
	if n, ok := id.Number(); ok {
		return numberIDKey(n)
	}
	str, _ := id.StringValue()
	return stringIDKey(str)
}

func numberIDKey(n int64) string    { return "n" + strconv.FormatInt(n, 10) }
func stringIDKey(str string) string { return "s" + str }

// notifyClient sends a notification, logging failures.
func (s *Server) notifyClient(ctx context.Context, method string, params any) {
	if err := s.conn.Notify(ctx, method, params); err != nil {
		s.log.Debug("notify failed", zap.String("method", method), zap.Error(err))
	}
}

func (s *Server) stopTimers() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.timers {
		t.Stop()
	}
}

func (s *Server) exit(code int) {
	s.exitOnce.Do(func() {
		s.stopTimers()
		s.exited <- code
	})
}
