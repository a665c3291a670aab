package server

import (
	"context"
	"encoding/json"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/keepalived-ls/keepalived-ls/analysis"
)

func init() {
	register(protocol.MethodWorkspaceDidChangeConfiguration, notify((*Server).didChangeConfiguration))
}

// didChangeConfiguration takes settings pushed by the client, or asks for
// them when the notification carries none.
func (s *Server) didChangeConfiguration(ctx context.Context, p *protocol.DidChangeConfigurationParams) error {
	gen := s.configChange()
	var probe map[string]json.RawMessage
	if json.Unmarshal(p.Settings, &probe) == nil && probe["keepalived"] != nil {
		st, err := parseSettings(p.Settings)
		if err != nil {
			return err
		}
		// Applied here, in order: settings pushed one after the other
		// must end with the last one.
		s.applySettings(gen, st)
		return nil
	}
	s.mu.Lock()
	pull := s.caps.configuration
	s.mu.Unlock()
	if pull {
		go s.fetchConfiguration(jsonrpc2.DetachContext(ctx), gen)
	}
	return nil
}

// configChange starts a settings change and returns its generation: only
// the settings of the latest change are applied (an answer to an older
// workspace/configuration request can arrive after a newer change).
func (s *Server) configChange() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cfgGen++
	return s.cfgGen
}

// fetchConfiguration asks the client for the "keepalived" section.
func (s *Server) fetchConfiguration(ctx context.Context, gen int) {
	section := "keepalived"
	var result []json.RawMessage
	params := protocol.ConfigurationParams{Items: []protocol.ConfigurationItem{{Section: &section}}}
	if _, err := s.conn.Call(ctx, protocol.MethodWorkspaceConfiguration, params, &result); err != nil {
		s.log.Info("workspace/configuration failed", zap.Error(err))
		return
	}
	// A client without settings of its own answers null: keep what the
	// server has (the initializationOptions), do not reset to defaults.
	if len(result) == 0 || len(result[0]) == 0 || string(result[0]) == "null" {
		return
	}
	st, err := parseSettings(result[0])
	if err != nil {
		s.log.Warn("bad settings from the client", zap.Error(err))
		return
	}
	s.applySettings(gen, st)
}

// applySettings switches to new settings, unless a newer change has begun:
// every document is parsed and checked again under them.
func (s *Server) applySettings(gen int, st Settings) {
	s.edit.Lock()
	defer s.edit.Unlock()
	s.mu.Lock()
	if gen != s.cfgGen {
		s.mu.Unlock()
		return
	}
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
	s.reparse(docs)
	// Clients only ask again for what they pull (diagnostics) or cache
	// (tokens: $NAME values and @ID lines; inlay hints) when told to.
	if len(docs) == 0 {
		return
	}
	s.mu.Lock()
	var refresh []string
	if s.caps.pullDiagnostics && s.caps.diagnosticRefresh {
		refresh = append(refresh, protocol.MethodWorkspaceDiagnosticRefresh)
	}
	if s.caps.tokensRefresh {
		refresh = append(refresh, protocol.MethodWorkspaceSemanticTokensRefresh)
	}
	if s.caps.inlayRefresh {
		refresh = append(refresh, protocol.MethodWorkspaceInlayHintRefresh)
	}
	s.mu.Unlock()
	for _, m := range refresh {
		go func() {
			if _, err := s.conn.Call(context.Background(), m, nil, nil); err != nil {
				s.log.Debug("refresh failed", zap.String("method", m), zap.Error(err))
			}
		}()
	}
}

func settingsEqual(a, b Settings) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}
