package schema

import (
	"fmt"
	"strconv"
	"strings"
)

// Version is a keepalived release number. The zero Version means "newest":
// every keyword is available.
type Version struct {
	Major, Minor, Patch int
}

// Newest is the zero Version: no keyword is filtered out.
var Newest = Version{}

// IsNewest reports whether v stands for "the newest keepalived".
func (v Version) IsNewest() bool { return v == Version{} }

// ParseVersion reads "2.3.4", "v2.3.4", "2.3" (patch 0), or "latest"/"newest"/"".
func ParseVersion(s string) (Version, error) {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "v"))
	switch s {
	case "", "latest", "newest", "master", "head", "HEAD":
		return Newest, nil
	}
	parts := strings.Split(s, ".")
	if len(parts) < 2 || len(parts) > 3 {
		return Version{}, fmt.Errorf("invalid keepalived version %q: want X.Y.Z", s)
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 {
			return Version{}, fmt.Errorf("invalid keepalived version %q: want X.Y.Z", s)
		}
		n[i] = v
	}
	if n[0] == 0 && n[1] == 0 && n[2] == 0 {
		return Version{}, fmt.Errorf("invalid keepalived version %q", s)
	}
	return Version{n[0], n[1], n[2]}, nil
}

// MustVersion is ParseVersion for literals known to be valid.
func MustVersion(s string) Version {
	v, err := ParseVersion(s)
	if err != nil {
		panic(err)
	}
	return v
}

func (v Version) String() string {
	if v.IsNewest() {
		return "newest"
	}
	return fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch)
}

// Compare returns -1, 0 or 1. Newest compares greater than every release.
func (v Version) Compare(w Version) int {
	switch {
	case v == w:
		return 0
	case v.IsNewest():
		return 1
	case w.IsNewest():
		return -1
	}
	for _, d := range [3]int{v.Major - w.Major, v.Minor - w.Minor, v.Patch - w.Patch} {
		if d < 0 {
			return -1
		}
		if d > 0 {
			return 1
		}
	}
	return 0
}

// Less reports whether v is an older release than w.
func (v Version) Less(w Version) bool { return v.Compare(w) < 0 }

// InRange reports whether lo <= v <= hi.
func (v Version) InRange(lo, hi Version) bool {
	return v.Compare(lo) >= 0 && v.Compare(hi) <= 0
}
