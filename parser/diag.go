package parser

// Severity of a diagnostic, in LSP order.
type Severity uint8

const (
	Error Severity = iota + 1
	Warning
	Information
	Hint
)

func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	case Information:
		return "information"
	case Hint:
		return "hint"
	}
	return "unknown"
}

// ParseSeverity reads "error", "warning", "information"/"info", "hint".
func ParseSeverity(s string) (Severity, bool) {
	switch s {
	case "error":
		return Error, true
	case "warning", "warn":
		return Warning, true
	case "information", "info":
		return Information, true
	case "hint":
		return Hint, true
	}
	return 0, false
}

// Diagnostic is a problem found in a file. Src nil means the document being
// parsed; then Span lines are relative to the unit that reported it until
// the Doc resolves them.
type Diagnostic struct {
	Src      *Source
	Span     Span
	Severity Severity
	Rule     string
	Message  string
	Related  []Related
	Fixes    []Fix
}

// Related points at another place that explains a diagnostic.
type Related struct {
	Src     *Source
	Span    Span
	Message string
}

// Fix is a named set of edits that resolves a diagnostic.
type Fix struct {
	Title     string
	Edits     []Edit
	Preferred bool // safe to apply without review (source.fixAll)
}

// Edit replaces a span of a file with new text.
type Edit struct {
	Src     *Source
	Span    Span
	NewText string
}
