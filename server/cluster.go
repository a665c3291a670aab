package server

// Live cluster checks. A document that is one of the hosts of a cluster
// (the "cluster.peers" setting, else the [cluster] peers of its project
// file) is also checked against the other hosts' configurations with the
// rules of analysis/cluster. Open buffers win over the disk, and a change to
// one host's file (typed, opened, closed or changed on disk) checks the
// other open hosts again.

import (
	"context"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/keepalived-ls/keepalived-ls/analysis/cluster"
	"github.com/keepalived-ls/keepalived-ls/internal/project"
	"github.com/keepalived-ls/keepalived-ls/parser"
)

// clusterOf returns the files of the cluster that the file at path is a
// host of, and the directory that host names are relative to; nil when it
// is in no cluster. Callers must not hold s.mu.
func (s *Server) clusterOf(path string) ([]string, string) {
	if path == "" {
		return nil, ""
	}
	s.mu.Lock()
	peers, root := s.settings.Cluster.Peers, s.rootDir
	s.mu.Unlock()
	var patterns []string
	base := root
	if len(peers) > 0 {
		for _, p := range peers {
			if !filepath.IsAbs(p) {
				if root == "" {
					continue // relative to a workspace root there is not
				}
				p = filepath.Join(root, p)
			}
			patterns = append(patterns, p)
		}
	} else {
		e := s.proj.lookup(filepath.Dir(path))
		if e.err != nil || e.path == "" || len(e.settings.Cluster.Peers) == 0 {
			return nil, ""
		}
		patterns, base = e.settings.Cluster.Peers, filepath.Dir(e.path)
	}
	files, err := project.ExpandPeers(patterns)
	if err != nil {
		s.log.Info("cluster peers", zap.Error(err))
		return nil, ""
	}
	if len(files) < 2 || !slices.Contains(files, path) {
		return nil, ""
	}
	return files, base
}

// clusterDiagnostics returns the cluster diagnostics of a document (rule
// settings and suppression comments applied), or nil when it is in no
// cluster.
func (s *Server) clusterDiagnostics(d *document) []parser.Diagnostic {
	files, base := s.clusterOf(d.path)
	if files == nil {
		return nil
	}
	var hosts []cluster.Host
	self := -1
	for _, f := range files {
		doc := d.doc
		if f == d.key {
			self = len(hosts)
		} else {
			s.mu.Lock()
			open := s.docs[f]
			opts := s.parseOptions(f)
			s.mu.Unlock()
			if open != nil {
				doc = open.doc
			} else {
				text, err := readPeer(f)
				if err != nil {
					s.log.Debug("cluster peer skipped", zap.String("path", f), zap.Error(err))
					continue
				}
				doc = parser.Parse(f, text, opts)
			}
		}
		hosts = append(hosts, cluster.Host{Name: hostName(base, f), Doc: doc})
	}
	if self < 0 || len(hosts) < 2 {
		return nil
	}
	return s.checker(d.key).FinishExtra(d.doc, cluster.Check(hosts)[self])
}

// readPeer reads a peer's configuration from the disk; OSFS refuses
// FIFOs, devices and oversized files without blocking on them.
func readPeer(path string) ([]byte, error) { return parser.ReadLocal(path) }

// hostName is how messages name a host: relative to the cluster's
// directory when below it.
func hostName(base, path string) string {
	if base != "" {
		if r, err := filepath.Rel(base, path); err == nil && !strings.HasPrefix(r, "..") {
			return r
		}
	}
	return path
}

// clusterChanged checks again the open documents that have the file at
// key as a cluster peer. Callers must not hold s.mu.
func (s *Server) clusterChanged(key string) {
	s.mu.Lock()
	var others []*document
	for k, d := range s.docs {
		if k != key && d.path != "" {
			others = append(others, d)
		}
	}
	pull, refresh := s.caps.pullDiagnostics, s.caps.diagnosticRefresh
	s.mu.Unlock()
	sort.Slice(others, func(i, j int) bool { return others[i].key < others[j].key })
	affected := false
	for _, d := range others {
		if files, _ := s.clusterOf(d.path); slices.Contains(files, key) {
			affected = true
			if !pull {
				s.schedule(d.key)
			}
		}
	}
	if affected && pull && refresh {
		go func() {
			if _, err := s.conn.Call(context.Background(), protocol.MethodWorkspaceDiagnosticRefresh, nil, nil); err != nil {
				s.log.Debug("diagnostic refresh failed", zap.Error(err))
			}
		}()
	}
}
