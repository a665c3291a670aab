package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	"go.uber.org/zap"
	"go.uber.org/zap/exp/zapslog"
	"go.uber.org/zap/zapcore"

	"github.com/keepalived-ls/keepalived-ls/server"
)

// runServe serves LSP on stdin/stdout. Logs go to stderr or --log-file,
// never to stdout (the protocol stream).
func runServe(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Bool("stdio", true, "use stdin/stdout (the only transport)")
	level := fs.String("log-level", "info", "log level: debug, info, warn or error")
	logFile := fs.String("log-file", "", "write logs to this file instead of stderr")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	log, closeLog, err := newLogger(*level, *logFile, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "keepalived-ls: %v\n", err)
		return 2
	}
	defer closeLog()
	// The protocol libraries log through log/slog: send that to zap too.
	slog.SetDefault(slog.New(zapslog.NewHandler(log.Core())))
	log.Info("starting", zap.String("version", versionString()), zap.Int("pid", os.Getpid()))
	s := server.New(server.Options{Logger: log, Version: versionString()})
	code := s.Serve(context.Background(), stdio{stdin, stdout})
	log.Info("exiting", zap.Int("code", code))
	return code
}

// stdio joins stdin and stdout into one stream.
type stdio struct {
	r io.Reader
	w io.Writer
}

func (s stdio) Read(p []byte) (int, error)  { return s.r.Read(p) }
func (s stdio) Write(p []byte) (int, error) { return s.w.Write(p) }
func (s stdio) Close() error {
	if c, ok := s.r.(io.Closer); ok {
		c.Close()
	}
	return nil
}

// newLogger builds a structured logger writing JSON lines to a file or
// console lines to stderr.
func newLogger(level, file string, stderr io.Writer) (*zap.Logger, func(), error) {
	lvl, err := zapcore.ParseLevel(level)
	if err != nil {
		return nil, nil, fmt.Errorf("--log-level: %w", err)
	}
	var ws zapcore.WriteSyncer = zapcore.AddSync(stderr)
	enc := zapcore.NewConsoleEncoder(zap.NewDevelopmentEncoderConfig())
	closer := func() {}
	if file != "" {
		f, err := os.OpenFile(file, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			return nil, nil, fmt.Errorf("--log-file: %w", err)
		}
		ws = zapcore.AddSync(f)
		enc = zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig())
		closer = func() { f.Close() }
	}
	core := zapcore.NewCore(enc, zapcore.Lock(ws), lvl)
	return zap.New(core), closer, nil
}
