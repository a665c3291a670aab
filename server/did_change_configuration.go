package server

import (
	"context"
	"encoding/json"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/keepalived-ls/keepalived-ls/analysis"
	"github.com/keepalived-ls/keepalived-ls/parser"
)

func init() {
	register(protocol.MethodWorkspaceDidChangeConfiguration, notify((*Server).didChangeConfiguration))
}

// didChangeConfiguration takes settings pushed by the client, or asks for
// them when the notification carries none.
func (s *Server) didChangeConfiguration(ctx context.Context, p *protocol.DidChangeConfigurationParams) error {
	var probe map[string]json.RawMessage
	if json.Unmarshal(p.Settings, &probe) == nil && probe["keepalived"] != nil {
		st, err := parseSettings(p.Settings)
		if err != nil {
			return err
		}
		go s.applySettings(st)
		return nil
	}
	s.mu.Lock()
	pull := s.caps.configuration
	s.mu.Unlock()
	if pull {
		go s.fetchConfiguration(jsonrpc2.DetachContext(ctx))
	}
	return nil
}

// fetchConfiguration asks the client for the "keepalived" section.
func (s *Server) fetchConfiguration(ctx context.Context) {
	section := "keepalived"
	var result []json.RawMessage
	params := protocol.ConfigurationParams{Items: []protocol.ConfigurationItem{{Section: &section}}}
	if _, err := s.conn.Call(ctx, protocol.MethodWorkspaceConfiguration, params, &result); err != nil {
		s.log.Info("workspace/configuration failed", zap.Error(err))
		return
	}
	if len(result) == 0 {
		return
	}
	st, err := parseSettings(result[0])
	if err != nil {
		s.log.Warn("bad settings from the client", zap.Error(err))
		return
	}
	s.applySettings(st)
}

// applySettings switches to new settings: every document is parsed and
// checked again under them.
func (s *Server) applySettings(st Settings) {
	s.edit.Lock()
	defer s.edit.Unlock()
	s.mu.Lock()
	same := settingsEqual(s.settings, st)
	s.settings = st
	s.checkers = map[string]*analysis.Checker{}
	docs := make([]*document, 0, len(s.docs))
	for _, d := range s.docs {
		docs = append(docs, d)
	}
	s.mu.Unlock()
	if _, problems := st.config(); len(problems) > 0 {
		s.log.Warn("settings problems", zap.Strings("problems", problems))
	}
	s.log.Info("settings", zap.Any("settings", st))
	if same {
		return
	}
	for _, d := range docs {
		s.mu.Lock()
		opts := s.parseOptions(d.path)
		s.mu.Unlock()
		nd := *d
		nd.doc = parser.Parse(docName(d), d.doc.Text(), opts)
		s.mu.Lock()
		if s.docs[d.key] == d {
			s.docs[d.key] = &nd
		}
		s.mu.Unlock()
		s.schedule(d.key)
	}
}

func settingsEqual(a, b Settings) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}
