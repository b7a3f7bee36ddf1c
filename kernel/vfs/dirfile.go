package vfs

import (
	"golang.org/x/sys/unix"

	"quartz/lib/vmio"
)

// OpenDir is what opening a directory gives every file system: a handle
// for getdents (the caller lists through Dir.ReadDir) whose data cannot
// be read or written. Opening a directory for writing is EISDIR.
func OpenDir(flags int) (File, error) {
	if flags&unix.O_ACCMODE != unix.O_RDONLY {
		return nil, unix.EISDIR
	}
	return dirFile{}, nil
}

type dirFile struct{}

func (dirFile) Read(*vmio.Writer, int64, Canceler) (uint64, error)  { return 0, unix.EISDIR }
func (dirFile) Write(*vmio.Reader, int64, Canceler) (uint64, error) { return 0, unix.EBADF }
func (dirFile) Seekable() bool                                      { return true }
func (dirFile) Release() error                                      { return nil }
