package server

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
	"go.lsp.dev/jsonrpc2"
	"go.uber.org/zap"
)

// maxFrame bounds one message; bigger frames are skipped.
const maxFrame = 256 << 20

// stream frames LSP messages like jsonrpc2's header stream but survives a
// broken peer: a malformed header, invalid JSON or a message that is not
// JSON-RPC gets an error response (or is skipped) instead of ending the
// connection.
type stream struct {
	in  *bufio.Reader
	out jsonrpc2.Stream // writes use the library's header framing
	log *zap.Logger
	buf []byte
}

type frameWriter interface {
	WriteFrame(ctx context.Context, data []byte) (int64, error)
}

func newStream(rwc io.ReadWriteCloser, log *zap.Logger) *stream {
	return &stream{in: bufio.NewReaderSize(rwc, 64<<10), out: jsonrpc2.NewHeaderStream(rwc), log: log}
}

func (s *stream) Write(ctx context.Context, msg jsonrpc2.Message) (int64, error) {
	return s.out.Write(ctx, msg)
}

func (s *stream) WriteFrame(ctx context.Context, data []byte) (int64, error) {
	return s.out.(frameWriter).WriteFrame(ctx, data)
}

func (s *stream) Close() error { return s.out.Close() }

func (s *stream) Read(ctx context.Context) (jsonrpc2.Message, int64, error) {
	body, n, err := s.ReadFrame(ctx)
	if err != nil {
		return nil, 0, err
	}
	msg, err := jsonrpc2.DecodeMessage(body)
	return msg, n, err
}

// keepFrame is the largest message body whose buffer is kept for the next
// messages.
const keepFrame = 1 << 20

// ReadFrame returns the next well-formed JSON-RPC message body.
func (s *stream) ReadFrame(ctx context.Context) ([]byte, int64, error) {
	for {
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		length, err := s.readHeader()
		if err != nil {
			return nil, 0, err
		}
		if length < 0 {
			continue // bad header: already reported, resynchronised
		}
		if length > maxFrame {
			s.log.Warn("skipping oversized message", zap.Int("bytes", length))
			if _, err := s.in.Discard(length); err != nil {
				return nil, 0, io.ErrUnexpectedEOF
			}
			s.replyError(ctx, jsonrpc2.InvalidRequest, "message too large")
			continue
		}
		var body []byte
		if length > keepFrame {
			// A one-off: opening a 50 MB file must not pin 50 MB for the
			// rest of the session.
			body = make([]byte, length)
		} else {
			if cap(s.buf) < length {
				s.buf = make([]byte, length)
			}
			body = s.buf[:length]
		}
		if _, err := io.ReadFull(s.in, body); err != nil {
			return nil, 0, io.ErrUnexpectedEOF
		}
		if !jsontext.Value(body).IsValid(validateOpts...) {
			s.log.Warn("invalid JSON from the client", zap.ByteString("body", truncate(body)))
			s.replyError(ctx, jsonrpc2.ParseError, "invalid JSON")
			continue
		}
		if k := jsontext.Value(body).Kind(); k != '{' {
			s.log.Warn("message is not a JSON object", zap.ByteString("body", truncate(body)))
			s.replyError(ctx, jsonrpc2.InvalidRequest, "batches and non-object messages are not supported")
			continue
		}
		if _, err := jsonrpc2.DecodeMessage(body); err != nil {
			s.log.Warn("invalid JSON-RPC message", zap.Error(err), zap.ByteString("body", truncate(body)))
			s.replyError(ctx, jsonrpc2.InvalidRequest, "invalid JSON-RPC message")
			continue
		}
		return body, int64(length), nil
	}
}

// readHeader reads a header block and returns the Content-Length, or -1
// for a malformed block (which it skips).
func (s *stream) readHeader() (int, error) {
	length := -1
	sawLine := false
	for {
		line, err := s.in.ReadString('\n')
		if err != nil {
			if err == io.EOF && !sawLine && line == "" {
				return 0, io.EOF
			}
			return 0, io.ErrUnexpectedEOF
		}
		sawLine = true
		line = strings.TrimRight(line, "\r\n")
		// After a body the server could not frame (no or a wrong
		// Content-Length), the next header follows the skipped bytes on
		// the same line: start over at it instead of losing every later
		// message.
		if i := lastIndexFold(line, "content-length:"); i > 0 {
			s.log.Warn("skipping bytes before a header", zap.ByteString("bytes", truncate([]byte(line[:i]))))
			line, length = line[i:], -1
		}
		if len(line) > 8192 {
			s.log.Warn("skipping an oversized header line")
			continue
		}
		if line == "" {
			if length < 0 {
				s.log.Warn("header block without a valid Content-Length")
				return -1, nil
			}
			return length, nil
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			s.log.Warn("malformed header line", zap.String("line", line))
			continue
		}
		if strings.EqualFold(strings.TrimSpace(name), "Content-Length") {
			n, err := strconv.Atoi(strings.TrimSpace(value))
			if err != nil || n <= 0 {
				s.log.Warn("bad Content-Length", zap.String("value", value))
				continue
			}
			length = n
		}
	}
}

func (s *stream) replyError(ctx context.Context, code jsonrpc2.Code, msg string) {
	body := fmt.Appendf(nil, `{"jsonrpc":"2.0","id":null,"error":{"code":%d,"message":%q}}`, code, msg)
	if _, err := s.WriteFrame(ctx, body); err != nil {
		s.log.Debug("writing an error response failed", zap.Error(err))
	}
}

// validateOpts accept what the protocol decoder accepts (it replaces
// invalid UTF-8 and takes the last of duplicate names): stricter checks
// here would drop messages the rest of the stack handles.
var validateOpts = []jsontext.Options{jsontext.AllowInvalidUTF8(true), jsontext.AllowDuplicateNames(true)}

// lastIndexFold is strings.LastIndex ignoring case.
func lastIndexFold(s, substr string) int {
	n := len(substr)
	for i := len(s) - n; i >= 0; i-- {
		if strings.EqualFold(s[i:i+n], substr) {
			return i
		}
	}
	return -1
}

func truncate(b []byte) []byte {
	if len(b) > 200 {
		return b[:200]
	}
	return b
}
