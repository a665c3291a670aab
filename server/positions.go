package server

import (
	"go.lsp.dev/protocol"

	"github.com/keepalived-ls/keepalived-ls/parser"
)

// Every conversion between LSP positions and parser positions goes through
// this file. LSP columns count UTF-16 code units unless the client agreed
// to UTF-8; the parser counts bytes.

// lineFunc returns a line of some file without its line ending.
type lineFunc func(n int) []byte

// toPos converts an LSP position to a parser position; positions past the
// end of a line or of the file are clamped.
func (s *Server) toPos(lines lineFunc, count int, p protocol.Position) parser.Pos {
	line := int(p.Line)
	if line >= count {
		if count == 0 {
			return parser.Pos{}
		}
		last := count - 1
		return parser.Pos{Line: int32(last), Col: int32(len(lines(last)))}
	}
	text := lines(line)
	col := int(p.Character)
	if s.caps.utf8 {
		col = min(col, len(text))
	} else {
		col = parser.ByteCol(text, col)
	}
	return parser.Pos{Line: int32(line), Col: int32(col)}
}

// fromPos converts a parser position to an LSP position.
func (s *Server) fromPos(lines lineFunc, p parser.Pos) protocol.Position {
	text := lines(int(p.Line))
	col := int(p.Col)
	if col > len(text) {
		col = len(text)
	}
	if !s.caps.utf8 {
		col = parser.UTF16Col(text, col)
	}
	return protocol.Position{Line: uint32(max(p.Line, 0)), Character: uint32(max(col, 0))}
}

func (s *Server) fromSpan(lines lineFunc, sp parser.Span) protocol.Range {
	return protocol.Range{Start: s.fromPos(lines, sp.Start), End: s.fromPos(lines, sp.End)}
}

// linesOf returns the line function for a diagnostic's file: the document
// itself or an included source.
func linesOf(d *parser.Doc, src *parser.Source) lineFunc {
	if src != nil {
		return src.Line
	}
	return d.Line
}
