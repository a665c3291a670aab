package server

import (
	"context"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"
)

func init() { register(protocol.MethodInitialize, request(false, (*Server).initialize)) }

// clientCaps are the client capabilities the server acts on.
type clientCaps struct {
	structure          structCaps // folding ranges
	utf8               bool       // positions in UTF-8 bytes
	markdownHover      bool
	relatedInfo        bool
	codeDescription    bool
	versionSupport     bool
	pullDiagnostics    bool
	diagnosticRefresh  bool
	configuration      bool
	watchFilesDynamic  bool
	codeActionLiterals bool
	documentChanges    bool    // versioned edits in workspace edits
	tokensRefresh      bool    // workspace/semanticTokens/refresh
	inlayRefresh       bool    // workspace/inlayHint/refresh
	nav                navCaps // completion, symbols (navigation.go)
}

func readCaps(c protocol.ClientCapabilities) clientCaps {
	var cc clientCaps
	yes := func(b *bool) bool { return b != nil && *b }
	if g := c.General; g != nil {
		for _, e := range g.PositionEncodings {
			if e == protocol.PositionEncodingKindUTF8 {
				cc.utf8 = true
			}
		}
	}
	if td := c.TextDocument; td != nil {
		if h := td.Hover; h != nil {
			for _, f := range h.ContentFormat {
				if f == protocol.MarkupKindMarkdown {
					cc.markdownHover = true
					break
				}
				if f == protocol.MarkupKindPlainText {
					break
				}
			}
			if len(h.ContentFormat) == 0 {
				cc.markdownHover = true
			}
		}
		if p := td.PublishDiagnostics; p != nil {
			cc.relatedInfo = yes(p.RelatedInformation)
			cc.codeDescription = yes(p.CodeDescriptionSupport)
			cc.versionSupport = yes(p.VersionSupport)
		}
		cc.pullDiagnostics = td.Diagnostic != nil
		if f := td.FoldingRange; f != nil {
			cc.structure.lineFoldingOnly = yes(f.LineFoldingOnly)
			if f.RangeLimit != nil {
				cc.structure.foldingRangeLimit = *f.RangeLimit
			}
		}
		cc.codeActionLiterals = td.CodeAction != nil
		cc.nav = readNavCaps(td)
	}
	if w := c.Workspace; w != nil {
		cc.configuration = yes(w.Configuration)
		if d := w.DidChangeWatchedFiles; d != nil {
			cc.watchFilesDynamic = yes(d.DynamicRegistration)
		}
		if d := w.Diagnostics; d != nil {
			cc.diagnosticRefresh = yes(d.RefreshSupport)
		}
		if e := w.WorkspaceEdit; e != nil {
			cc.documentChanges = yes(e.DocumentChanges)
		}
		if t := w.SemanticTokens; t != nil {
			cc.tokensRefresh = yes(t.RefreshSupport)
		}
		if h := w.InlayHint; h != nil {
			cc.inlayRefresh = yes(h.RefreshSupport)
		}
	}
	return cc
}

func (s *Server) initialize(ctx context.Context, p *protocol.InitializeParams) (any, error) {
	caps := readCaps(p.Capabilities)
	settings, err := parseSettings(p.InitializationOptions)
	if err != nil {
		s.log.Warn("ignoring initializationOptions", zap.Error(err))
	}
	root := ""
	if p.RootURI != nil && p.RootURI.IsFile() {
		root = p.RootURI.FsPath()
	}
	s.mu.Lock()
	s.caps, s.settings, s.rootDir, s.state = caps, settings, root, stateRunning
	s.mu.Unlock()
	s.log.Info("initialize", zap.String("client", p.ClientInfo.Name), zap.Bool("utf8", caps.utf8),
		zap.Bool("pullDiagnostics", caps.pullDiagnostics), zap.Any("settings", settings))

	encoding := protocol.PositionEncodingKindUTF16
	if caps.utf8 {
		encoding = protocol.PositionEncodingKindUTF8
	}
	change := protocol.TextDocumentSyncKindIncremental
	openClose := true
	result := &protocol.InitializeResult{
		Capabilities: protocol.ServerCapabilities{
			PositionEncoding: encoding,
			TextDocumentSync: &protocol.TextDocumentSyncOptions{OpenClose: &openClose, Change: &change},
		},
		ServerInfo: protocol.ServerInfo{Name: "keepalived-ls", Version: protocol.NewOptional(s.version)},
	}
	for _, f := range capabilities {
		f(&result.Capabilities, caps)
	}
	return result, nil
}
