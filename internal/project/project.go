// Package project reads keepalived-ls project files (.keepalived-ls.toml):
// settings shared by everyone who checks the configurations of a
// directory tree, from the command line or an editor.
//
//	target-version = "2.2.7"
//	config-id = "node1"
//	include-roots = ["/etc/keepalived", "conf"]
//
//	[rules]
//	extra-arguments = "off"
//	sorry-server-is-real-server = "error"
//
//	[cluster]
//	peers = ["node1/keepalived.conf", "node2/keepalived.conf"]
//
// The file that applies to a configuration file is the nearest one found by
// walking up from the configuration file's directory.
package project

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/bmatcuk/doublestar/v4"

	"github.com/keepalived-ls/keepalived-ls/analysis"
	"github.com/keepalived-ls/keepalived-ls/parser"
	"github.com/keepalived-ls/keepalived-ls/parser/schema"
)

// FileName is the name of a project file.
const FileName = ".keepalived-ls.toml"

// Settings are the settings of a project file. Empty fields are not set.
type Settings struct {
	// TargetVersion is the keepalived release the configurations are for.
	TargetVersion string `toml:"target-version"`
	// ConfigID is keepalived's -i: which @ID lines apply.
	ConfigID string `toml:"config-id"`
	// Rules maps rule ids to a severity or "off".
	Rules map[string]string `toml:"rules"`
	// IncludeRoots are directories tried for the relative includes of
	// unsaved documents; relative entries are resolved against the project
	// file's directory when loaded.
	IncludeRoots []string `toml:"include-roots"`
	// Cluster names the configurations of the hosts of one cluster.
	Cluster Cluster `toml:"cluster"`
}

// Cluster is the [cluster] section: the configuration files of the hosts
// that form one cluster (VRRP peers, LVS directors), checked against each
// other.
type Cluster struct {
	// Peers are files or glob patterns (doublestar: *, **, ?, [...],
	// {a,b}); relative entries are resolved against the project file's
	// directory when loaded.
	Peers []string `toml:"peers"`
}

// Find returns the nearest project file in dir or a directory above it, or
// "" when there is none. dir is made absolute first.
func Find(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := abs; ; {
		p := filepath.Join(d, FileName)
		st, err := os.Stat(p)
		switch {
		case err == nil && !st.IsDir():
			return p, nil
		case err == nil:
			return "", fmt.Errorf("%s is a directory, not a project file", p)
		case !errors.Is(err, os.ErrNotExist):
			return "", err
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", nil
		}
		d = parent
	}
}

// Load finds and reads the project file that applies to files in dir. It
// returns the settings and the path of the file found ("" and empty
// settings when there is none).
func Load(dir string) (Settings, string, error) {
	p, err := Find(dir)
	if err != nil || p == "" {
		return Settings{}, "", err
	}
	st, err := LoadFile(p)
	return st, p, err
}

// LoadFile reads and validates one project file.
func LoadFile(path string) (Settings, error) {
	data, err := parser.ReadLocal(path) // never blocks on a FIFO
	if err != nil {
		return Settings{}, err
	}
	return Parse(path, data)
}

// Parse reads a project file's text. Errors name the file and, when known,
// the line: "FILE:LINE: message".
func Parse(path string, data []byte) (Settings, error) {
	var st Settings
	md, err := toml.Decode(string(data), &st)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return Settings{}, fmt.Errorf("%s:%d: %s", path, pe.Position.Line, pe.Message)
		}
		return Settings{}, fmt.Errorf("%s: %s", path, strings.TrimPrefix(err.Error(), "toml: "))
	}
	if und := md.Undecoded(); len(und) > 0 {
		var keys []string
		for _, k := range und {
			keys = append(keys, k.String())
		}
		return Settings{}, fmt.Errorf("%s: unknown setting %s (known: target-version, config-id, include-roots, [rules], [cluster] peers)",
			path, "'"+strings.Join(keys, "', '")+"'")
	}
	if err := st.validate(); err != nil {
		return Settings{}, fmt.Errorf("%s: %w", path, err)
	}
	dir := filepath.Dir(path)
	for i, r := range st.IncludeRoots {
		if r == "" {
			return Settings{}, fmt.Errorf("%s: include-roots: an empty directory name", path)
		}
		if !filepath.IsAbs(r) {
			st.IncludeRoots[i] = filepath.Join(dir, r)
		}
	}
	for i, p := range st.Cluster.Peers {
		if p == "" {
			return Settings{}, fmt.Errorf("%s: [cluster] peers: an empty file name", path)
		}
		if !doublestar.ValidatePattern(filepath.ToSlash(p)) {
			return Settings{}, fmt.Errorf("%s: [cluster] peers: %q is not a valid pattern", path, p)
		}
		if !filepath.IsAbs(p) {
			st.Cluster.Peers[i] = filepath.Join(dir, p)
		}
	}
	return st, nil
}

// ExpandPeers turns cluster peer entries (absolute files or glob patterns)
// into files: in the order of the entries, each pattern's matches sorted,
// without repeats and without directories. A file named without glob
// characters is kept even if it does not exist, so that the caller can
// report it.
func ExpandPeers(patterns []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	add := func(p string) {
		p = filepath.Clean(p)
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, p := range patterns {
		if !hasMeta(p) {
			add(p)
			continue
		}
		matches, err := doublestar.FilepathGlob(p, doublestar.WithFilesOnly())
		if err != nil {
			return nil, fmt.Errorf("[cluster] peers: %q: %w", p, err)
		}
		sort.Strings(matches)
		for _, m := range matches {
			add(m)
		}
	}
	return out, nil
}

// hasMeta reports whether a path has glob characters.
func hasMeta(p string) bool { return strings.ContainsAny(p, "*?[{") }

// validate checks the target version and the rules.
func (st Settings) validate() error {
	if st.TargetVersion != "" {
		v, err := schema.ParseVersion(st.TargetVersion)
		if err != nil {
			return fmt.Errorf("target-version: %w", err)
		}
		if !v.IsNewest() && v.Less(schema.OldestKnown) {
			return fmt.Errorf("target-version: keepalived-ls knows keepalived %s to %s; %s is older", schema.OldestKnown, schema.NewestRelease, v)
		}
	}
	var cfg analysis.Config
	for _, id := range st.ruleIDs() {
		if err := cfg.SetRule(id, strings.ToLower(st.Rules[id])); err != nil {
			return fmt.Errorf("[rules]: %w", err)
		}
	}
	return nil
}

func (st Settings) ruleIDs() []string {
	ids := make([]string, 0, len(st.Rules))
	for id := range st.Rules {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// Apply sets the project's target version and rules on an analysis
// configuration (the settings must have been validated: Parse does).
// Settings applied afterwards (flags, editor settings) override these.
func (st Settings) Apply(cfg *analysis.Config) {
	if st.TargetVersion != "" {
		if v, err := schema.ParseVersion(st.TargetVersion); err == nil {
			cfg.Target = v
		}
	}
	for _, id := range st.ruleIDs() {
		_ = cfg.SetRule(id, strings.ToLower(st.Rules[id]))
	}
}
