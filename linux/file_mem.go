package linux

import (
	"path"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// memFile is a read-only file whose content the kernel generated when it
// was opened, like Linux's seq files (/proc/self/maps).
type memFile struct {
	baseFile
	data []byte
	off  int64
}

func (f *memFile) read(_ *Thread, b []byte) (int, error) {
	n, err := f.pread(b, f.off)
	f.off += int64(n)
	return n, err
}

func (f *memFile) pread(b []byte, off int64) (int, error) {
	if off >= int64(len(f.data)) {
		return 0, nil
	}
	return copy(b, f.data[off:]), nil
}

func (f *memFile) seek(off int64, whence int) (int64, error) {
	switch whence {
	case unix.SEEK_SET:
	case unix.SEEK_CUR:
		off += f.off
	case unix.SEEK_END:
		off += int64(len(f.data))
	default:
		return 0, unix.EINVAL
	}
	if off < 0 {
		return 0, unix.EINVAL
	}
	f.off = off
	return off, nil
}

func (f *memFile) write(*Thread, []byte) (int, error) { return 0, unix.EBADF }

func (f *memFile) stat(st *unix.Stat_t) error {
	*st = unix.Stat_t{Mode: unix.S_IFREG | 0o444, Nlink: 1, Blksize: 1024}
	return nil
}

// kernelFile returns the content of the files the kernel itself provides
// about a process, for a guest path, or false. Until Quartz has a procfs
// this is the process's own /proc/self/maps (and /proc/<pid>/maps).
func (t *Thread) kernelFile(p string) ([]byte, bool) {
	p = path.Clean(p)
	rest, ok := strings.CutPrefix(p, "/proc/")
	if !ok {
		return nil, false
	}
	who, file, ok := strings.Cut(rest, "/")
	if !ok || file != "maps" {
		return nil, false
	}
	if who != "self" && who != "thread-self" && who != strconv.Itoa(t.proc.pid) {
		return nil, false
	}
	return []byte(t.proc.mm.Maps()), true
}
