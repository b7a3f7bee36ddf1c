package procfs

import (
	"io"

	"golang.org/x/sys/unix"

	"quartz/kernel/vfs"
	"quartz/lib/vmio"
)

// fileSpec says what a procfs file shows: a system file formats the
// Provider's SystemInfo, a process file asks the process.
type fileSpec struct {
	mode  uint32
	index int // in its directory, for the inode number
	sys   func(SystemInfo) []byte
	proc  func(f file, p Process) ([]byte, error)
	fd    bool // fdinfo/<fd>: numbered by its descriptor
}

// fdInfoSpec is every fdinfo/<fd> file.
var fdInfoSpec = &fileSpec{mode: unix.S_IFREG | 0o444, proc: genFDInfo, fd: true}

// file is a read-only procfs file, as a comparable value like dir.
type file struct {
	fs       *FS
	spec     *fileSpec
	pid, tid int // the process (none for system files), and thread if any
	fd       int // for fdinfo
}

func fdInfoFile(fs *FS, pid, tid, fd int) file {
	return file{fs: fs, spec: fdInfoSpec, pid: pid, tid: tid, fd: fd}
}

func (f file) ino() uint64 {
	switch {
	case f.spec.sys != nil:
		return inoStatic + uint64(f.spec.index)
	case f.spec.fd:
		return fdIno(f.pid, f.tid, f.fd, true)
	}
	return entryIno(f.pid, f.tid, f.spec.index)
}

// Stat gives size 0, as Linux does: the text exists only once opened.
func (f file) Stat() (vfs.Stat, error) {
	var uid, gid uint32
	if f.spec.sys == nil {
		uid, gid = f.fs.owner(f.pid)
	}
	return f.fs.stat(f.ino(), f.spec.mode, uid, gid), nil
}

func (f file) SetAttr(a vfs.Attr) error { return setAttr(a, false) }

// Open takes the snapshot. The access mode is the caller's to check
// against the mode bits: root may open any proc file for writing on
// Linux, and then writing fails.
func (f file) Open(flags int) (vfs.File, error) {
	if f.spec.sys != nil {
		// Linux's proc_reg_write answers EIO for files with no write.
		return &snapshot{data: f.spec.sys(f.fs.p.System()), writeErr: unix.EIO}, nil
	}
	p, ok := f.fs.p.Process(f.pid)
	if !ok {
		return nil, unix.ENOENT
	}
	data, err := f.spec.proc(f, p)
	if err != nil {
		return nil, err
	}
	return &snapshot{data: data, writeErr: unix.EINVAL}, nil
}

// info is the ProcessInfo the file reports: the group's, or its thread's.
func (f file) info(p Process) (ProcessInfo, error) {
	if f.tid == 0 {
		return p.Info(), nil
	}
	info, ok := p.Thread(f.tid)
	if !ok {
		return ProcessInfo{}, unix.ENOENT
	}
	return info, nil
}

// snapshot is an open procfs file: the text made at open, read at any
// offset.
type snapshot struct {
	data     []byte
	writeErr error
}

func (s *snapshot) Read(dst *vmio.Writer, off int64, _ vfs.Canceler) (uint64, error) {
	if off < 0 {
		return 0, unix.EINVAL
	}
	if off >= int64(len(s.data)) {
		return 0, nil
	}
	n, err := dst.Write(s.data[off:])
	switch {
	case err == io.ErrShortWrite:
		err = nil
	case err != nil && n > 0:
		err = nil // a fault after some bytes is a short read
	}
	return uint64(n), err
}

func (s *snapshot) Write(*vmio.Reader, int64, vfs.Canceler) (uint64, error) {
	return 0, s.writeErr
}

func (s *snapshot) Seekable() bool { return true }
func (s *snapshot) Release() error { return nil }

var (
	_ vfs.Opener = file{}
	_ vfs.File   = (*snapshot)(nil)
)
