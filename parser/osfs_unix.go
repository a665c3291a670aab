//go:build unix

package parser

import (
	"os"
	"syscall"
)

// openNonBlocking opens a file for reading without blocking: opening a FIFO
// that has no writer returns at once instead of waiting for one.
func openNonBlocking(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
