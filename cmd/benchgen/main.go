// Command benchgen writes a large, valid keepalived configuration for speed
// benchmarks. The defaults produce the standard benchmark file (about
// 280,000 lines, 5.8 MB):
//
//	go run ./cmd/benchgen -instances 200 -virtual-servers 5000 -real-servers 4 -o FILE
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/keepalived-ls/keepalived-ls/internal/benchgen"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("benchgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	instances := fs.Int("instances", benchgen.StdInstances, "number of vrrp_instance blocks")
	vss := fs.Int("virtual-servers", benchgen.StdVirtualServers, "number of virtual_server blocks")
	rss := fs.Int("real-servers", benchgen.StdRealServers, "real_server blocks per virtual_server")
	out := fs.String("o", "-", "output file (- for standard output)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 0 {
		fmt.Fprintf(stderr, "benchgen: unexpected arguments: %v\n", fs.Args())
		return 2
	}
	if *out == "-" {
		if err := benchgen.Write(stdout, *instances, *vss, *rss); err != nil {
			fmt.Fprintf(stderr, "benchgen: %v\n", err)
			return 1
		}
		return 0
	}
	f, err := os.Create(*out)
	if err != nil {
		fmt.Fprintf(stderr, "benchgen: %v\n", err)
		return 1
	}
	bw := bufio.NewWriter(f)
	err = benchgen.Write(bw, *instances, *vss, *rss)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		fmt.Fprintf(stderr, "benchgen: %v\n", err)
		os.Remove(*out)
		return 1
	}
	return 0
}
