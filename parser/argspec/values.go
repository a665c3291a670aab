package argspec

import (
	"fmt"
	"math"
	"net"
	"net/netip"
	"strconv"
	"strings"
)

// Booleans keepalived accepts (case-sensitive).
var trueWords = []string{"true", "on", "yes"}
var falseWords = []string{"false", "off", "no"}

// CheckValue validates one word against a type. It returns an empty message
// when the word is acceptable; otherwise Invalid (keepalived rejects it) or
// Suspicious (keepalived accepts it but probably not as meant).
func CheckValue(t Type, w string) (ProblemKind, string) {
	switch t.Kind {
	case TInt:
		return checkInt(t, w)
	case TDecimal, TTimer:
		return checkDecimal(t, w)
	case TPort:
		n, err := strconv.ParseUint(w, 10, 64)
		if err != nil || !isDigits(w) {
			return Invalid, fmt.Sprintf("'%s' is not a port number", w)
		}
		if n > 65535 {
			return Invalid, fmt.Sprintf("port %s is out of range (0..65535)", w)
		}
	case TBool:
		for _, b := range append(trueWords, falseWords...) {
			if w == b {
				return 0, ""
			}
		}
		return Invalid, fmt.Sprintf("'%s' is not a boolean: use yes/no, true/false or on/off (lower case)", w)
	case TEnum, TIEnum:
		for _, v := range t.Values {
			if w == v || (t.Kind == TIEnum && strings.EqualFold(w, v)) {
				return 0, ""
			}
		}
		return Invalid, fmt.Sprintf("'%s' is not valid: expected one of %s", w, strings.Join(t.Values, ", "))
	case TIP, TIP4, TIP6, TMcast:
		return checkIP(t, w)
	case TPrefix:
		return checkPrefix(w)
	case TIfname:
		if len(w) > 15 {
			return Invalid, fmt.Sprintf("interface name '%s' is longer than 15 characters", w)
		}
	case TMAC:
		hw, err := net.ParseMAC(w)
		if err != nil || len(hw) != 6 {
			return Invalid, fmt.Sprintf("'%s' is not a MAC address (xx:xx:xx:xx:xx:xx)", w)
		}
	case THex32:
		if len(w) != 32 || !isHex(w) {
			return Invalid, fmt.Sprintf("'%s' is not a 32-digit hexadecimal digest", w)
		}
	}
	return 0, ""
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

func checkInt(t Type, w string) (ProblemKind, string) {
	s := strings.TrimPrefix(strings.TrimPrefix(w, "-"), "+")
	if !isDigits(s) {
		return Invalid, fmt.Sprintf("'%s' is not a whole number", w)
	}
	v, err := strconv.ParseFloat(w, 64)
	if err != nil {
		return Invalid, fmt.Sprintf("'%s' is not a whole number", w)
	}
	return checkRange(t, w, v)
}

func checkRange(t Type, w string, v float64) (ProblemKind, string) {
	if (t.Min != nil && v < *t.Min) || (t.Max != nil && v > *t.Max) {
		return Invalid, fmt.Sprintf("%s is out of range (%s)", w, rangeText(t))
	}
	return 0, ""
}

func rangeText(t Type) string {
	f := func(p *float64) string { return strconv.FormatFloat(*p, 'f', -1, 64) }
	switch {
	case t.Min != nil && t.Max != nil:
		return f(t.Min) + ".." + f(t.Max)
	case t.Min != nil:
		return "at least " + f(t.Min)
	case t.Max != nil:
		return "at most " + f(t.Max)
	}
	return "any"
}

func checkDecimal(t Type, w string) (ProblemKind, string) {
	intPart, frac, hasFrac := strings.Cut(w, ".")
	neg := strings.HasPrefix(intPart, "-")
	digits := strings.TrimPrefix(intPart, "-")
	if (!isDigits(digits) && !(digits == "" && hasFrac)) || (hasFrac && !isDigits(frac)) {
		return Invalid, fmt.Sprintf("'%s' is not a number", w)
	}
	if neg && (t.Min == nil || *t.Min >= 0) {
		return Invalid, fmt.Sprintf("'%s' must not be negative", w)
	}
	v, err := strconv.ParseFloat(w, 64)
	if err != nil || math.IsInf(v, 0) {
		return Invalid, fmt.Sprintf("'%s' is not a number", w)
	}
	if k, msg := checkRange(t, w, v); msg != "" {
		return k, msg
	}
	if t.Kind == TTimer && len(frac) > 6 {
		return Suspicious, fmt.Sprintf("'%s' has more than 6 decimal places; keepalived rounds it", w)
	}
	return 0, ""
}

// splitAddr mimics keepalived: everything from the first '/' or '-' is
// dropped from a server address.
func splitAddr(w string) (addr, dropped string) {
	if i := strings.IndexAny(w, "/-"); i >= 0 {
		return w[:i], w[i:]
	}
	return w, ""
}

func checkIP(t Type, w string) (ProblemKind, string) {
	a, dropped := splitAddr(w)
	ip, err := netip.ParseAddr(a)
	if err != nil || ip.Zone() != "" {
		return Invalid, fmt.Sprintf("'%s' is not a numeric IP address", w)
	}
	switch t.Kind {
	case TIP4:
		if !ip.Is4() {
			return Invalid, fmt.Sprintf("'%s' is not an IPv4 address", w)
		}
	case TIP6:
		if !ip.Is6() {
			return Invalid, fmt.Sprintf("'%s' is not an IPv6 address", w)
		}
	case TMcast:
		if !ip.IsMulticast() {
			return Invalid, fmt.Sprintf("'%s' is not a multicast address", w)
		}
	}
	if dropped != "" {
		return Suspicious, fmt.Sprintf("keepalived ignores '%s' in '%s' and uses %s", dropped, w, a)
	}
	return 0, ""
}

func checkPrefix(w string) (ProblemKind, string) {
	a, bits, hasBits := strings.Cut(w, "/")
	ip, err := netip.ParseAddr(a)
	if err != nil || ip.Zone() != "" {
		return Invalid, fmt.Sprintf("'%s' is not a numeric IP address", w)
	}
	if hasBits {
		n, err := strconv.Atoi(bits)
		if err != nil || !isDigits(bits) || n < 0 || n > ip.BitLen() {
			return Invalid, fmt.Sprintf("'%s' has an invalid prefix length (0..%d)", w, ip.BitLen())
		}
	}
	return 0, ""
}

// IsBool reports whether w is one of keepalived's boolean words.
func IsBool(w string) bool {
	k, msg := CheckValue(Type{Kind: TBool}, w)
	return k == 0 && msg == ""
}
