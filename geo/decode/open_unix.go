//go:build unix

package decode

import (
	"os"
	"syscall"
)

// openNoBlock opens a file for reading without waiting for a writer if it
// is a named pipe.
func openNoBlock(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}

// mkfifo makes a named pipe, for tests.
func mkfifo(path string) error { return syscall.Mkfifo(path, 0o644) }
