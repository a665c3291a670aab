//go:build !unix

package parser

import "os"

// openNonBlocking opens a file for reading. Outside Unix there are no FIFOs
// to block on in the file system; OSFS.ReadFile checks the type before and
// after opening.
func openNonBlocking(path string) (*os.File, error) {
	return os.Open(path)
}
