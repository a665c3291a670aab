package main

import (
	"fmt"
	"runtime/debug"

	"github.com/keepalived-ls/keepalived-ls/parser/schema"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3";
// otherwise the module version from go install is used.
var version = ""

func versionString() string {
	v := version
	if v == "" {
		v = "(devel)"
		if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
			v = bi.Main.Version
		}
	}
	return fmt.Sprintf("keepalived-ls %s (keyword schema: keepalived %s to %s)", v, schema.OldestKnown, schema.NewestRelease)
}
