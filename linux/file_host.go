package linux

import (
	"golang.org/x/sys/unix"
)

// hostFile is a file the host opened for the guest: a file or directory
// of the read-only root, or one of the standard descriptors Quartz was
// given. Data goes through the host descriptor.
type hostFile struct {
	fd   int
	dir  bool   // a directory: usable as dirfd and by fchdir
	path string // guest path of a directory
}

func retry[T any](f func() (T, error)) (T, error) {
	for {
		v, err := f()
		if err != unix.EINTR {
			return v, err
		}
	}
}

func (h *hostFile) read(_ *Thread, b []byte) (int, error) {
	return retry(func() (int, error) { return unix.Read(h.fd, b) })
}

func (h *hostFile) write(_ *Thread, b []byte) (int, error) {
	return retry(func() (int, error) { return unix.Write(h.fd, b) })
}

func (h *hostFile) pread(b []byte, off int64) (int, error) {
	return retry(func() (int, error) { return unix.Pread(h.fd, b, off) })
}

func (h *hostFile) pwrite(b []byte, off int64) (int, error) {
	return retry(func() (int, error) { return unix.Pwrite(h.fd, b, off) })
}

func (h *hostFile) seek(off int64, whence int) (int64, error) {
	return unix.Seek(h.fd, off, whence)
}

func (h *hostFile) stat(st *unix.Stat_t) error { return unix.Fstat(h.fd, st) }

func (h *hostFile) getdents(b []byte) (int, error) { return unix.Getdents(h.fd, b) }

// ioctl passes the terminal requests programs make on their standard
// descriptors through to the host, with the argument copied in and out.
func (h *hostFile) ioctl(t *Thread, req, arg uint64) (uint64, error) {
	switch req {
	case unix.TCGETS:
		tio, err := unix.IoctlGetTermios(h.fd, unix.TCGETS)
		if err != nil {
			return 0, err
		}
		return 0, writeStruct(t, arg, tio)
	case unix.TCSETS, unix.TCSETSW, unix.TCSETSF:
		var tio unix.Termios
		if err := readStruct(t, arg, &tio); err != nil {
			return 0, err
		}
		return 0, unix.IoctlSetTermios(h.fd, uint(req), &tio)
	case unix.TIOCGWINSZ:
		ws, err := unix.IoctlGetWinsize(h.fd, unix.TIOCGWINSZ)
		if err != nil {
			return 0, err
		}
		return 0, writeStruct(t, arg, ws)
	case unix.TIOCSWINSZ:
		var ws unix.Winsize
		if err := readStruct(t, arg, &ws); err != nil {
			return 0, err
		}
		return 0, unix.IoctlSetWinsize(h.fd, unix.TIOCSWINSZ, &ws)
	case unix.TIOCGPGRP:
		// The guest's process group is its own, whatever the host's is.
		if _, err := unix.IoctlGetTermios(h.fd, unix.TCGETS); err != nil {
			return 0, err
		}
		return 0, t.writeUint32(arg, uint32(t.proc.pid))
	case fionread:
		n, err := unix.IoctlGetInt(h.fd, fionread)
		if err != nil {
			return 0, err
		}
		return 0, t.writeUint32(arg, uint32(n))
	}
	return 0, unix.ENOTTY
}

func (h *hostFile) release() error { return unix.Close(h.fd) }
