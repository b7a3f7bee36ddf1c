package linux

import (
	"golang.org/x/sys/unix"

	"quartz/kernel/fs/devfs"
	"quartz/kernel/vfs"
	"quartz/lib/vmio"
)

func init() {
	register(unix.SYS_READ, sysRead)
	register(unix.SYS_WRITE, sysWrite)
	register(unix.SYS_PREAD64, sysPread)
	register(unix.SYS_PWRITE64, sysPwrite)
	register(unix.SYS_READV, sysReadv)
	register(unix.SYS_WRITEV, sysWritev)
	register(unix.SYS_PREADV, sysPreadv)
	register(unix.SYS_PWRITEV, sysPwritev)
	register(unix.SYS_PREADV2, sysPreadv2)
	register(unix.SYS_PWRITEV2, sysPwritev2)
	register(unix.SYS_LSEEK, sysLseek)
	register(unix.SYS_CLOSE, sysClose)
	register(unix.SYS_CLOSE_RANGE, sysCloseRange)
	register(unix.SYS_IOCTL, sysIoctl)
	register(unix.SYS_DUP, sysDup)
	register(unix.SYS_DUP2, sysDup2)
	register(unix.SYS_DUP3, sysDup3)
	register(unix.SYS_FADVISE64, sysFadvise64)
}

// maxRW is the most one read or write moves, as Linux's MAX_RW_COUNT.
const maxRW = 0x7ffff000

// withFile runs f on the file at descriptor fd.
func withFile(t *Thread, fd uint64, f func(of *openFile) (uint64, error)) (uint64, error) {
	of, err := t.proc.fds.get(fd)
	if err != nil {
		return 0, err
	}
	defer of.put()
	return f(of)
}

// doneOr reports a partial transfer as success, like Linux does.
func doneOr(done uint64, err error) error {
	if done > 0 {
		return nil
	}
	return err
}

// readable and writable check the access mode a transfer needs.
func readable(of *openFile) error {
	if accessMode(of) == unix.O_WRONLY || isPath(of) {
		return unix.EBADF
	}
	return nil
}

func writable(of *openFile) error {
	if accessMode(of) == unix.O_RDONLY || isPath(of) {
		return unix.EBADF
	}
	return nil
}

func isPath(of *openFile) bool { return of.flags.Load()&unix.O_PATH != 0 }

// wrote finishes a write: a broken pipe also raises SIGPIPE.
func (t *Thread) wrote(n uint64, err error) (uint64, error) {
	if err == unix.EPIPE {
		t.send(int(unix.SIGPIPE), newSiginfo(int(unix.SIGPIPE), siKernel))
	}
	return n, err
}

func sysRead(t *Thread, a sysArgs) (uint64, error) {
	return withFile(t, a[0], func(of *openFile) (uint64, error) {
		if err := readable(of); err != nil {
			return 0, err
		}
		return of.read(t, vmio.NewGuestWriter(t.proc.mm, a[1], min(a[2], maxRW)))
	})
}

func sysWrite(t *Thread, a sysArgs) (uint64, error) {
	return withFile(t, a[0], func(of *openFile) (uint64, error) {
		if err := writable(of); err != nil {
			return 0, err
		}
		return t.wrote(of.write(t, vmio.NewGuestReader(t.proc.mm, a[1], min(a[2], maxRW))))
	})
}

func sysPread(t *Thread, a sysArgs) (uint64, error) {
	if int64(a[3]) < 0 {
		return 0, unix.EINVAL
	}
	return withFile(t, a[0], func(of *openFile) (uint64, error) {
		if err := readable(of); err != nil {
			return 0, err
		}
		return of.preadAt(t, vmio.NewGuestWriter(t.proc.mm, a[1], min(a[2], maxRW)), int64(a[3]))
	})
}

func sysPwrite(t *Thread, a sysArgs) (uint64, error) {
	if int64(a[3]) < 0 {
		return 0, unix.EINVAL
	}
	return withFile(t, a[0], func(of *openFile) (uint64, error) {
		if err := writable(of); err != nil {
			return 0, err
		}
		return t.wrote(of.pwriteAt(t, vmio.NewGuestReader(t.proc.mm, a[1], min(a[2], maxRW)), int64(a[3])))
	})
}

// preadAt and pwriteAt are pread and pwrite for every kind of file,
// host descriptors included.
func (of *openFile) preadAt(t *Thread, dst *vmio.Writer, off int64) (uint64, error) {
	if p, ok := of.File.(positioned); ok {
		return p.preadAt(dst, off)
	}
	return of.pread(t, dst, off)
}

func (of *openFile) pwriteAt(t *Thread, src *vmio.Reader, off int64) (uint64, error) {
	if p, ok := of.File.(positioned); ok {
		return p.pwriteAt(src, off)
	}
	return of.pwrite(t, src, off)
}

// iovecs reads an iovec array of at most IOV_MAX entries, with Linux's
// checks: EINVAL for too many or a total past what ssize_t holds.
func (t *Thread) iovecs(addr, count uint64) ([]vmio.Iovec, error) {
	if count > 1024 {
		return nil, unix.EINVAL
	}
	raw := make([]byte, count*16)
	if err := t.copyIn(addr, raw); err != nil {
		return nil, err
	}
	vecs := make([]vmio.Iovec, 0, count)
	var total uint64
	for i := uint64(0); i < count; i++ {
		base := leUint64(raw[i*16:])
		n := leUint64(raw[i*16+8:])
		if int64(n) < 0 || int64(total+n) < 0 {
			return nil, unix.EINVAL
		}
		total += n
		if n > 0 {
			vecs = append(vecs, vmio.Iovec{Base: base, Len: n})
		}
	}
	return vecs, nil
}

func leUint64(b []byte) uint64 {
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

// vectored runs a readv/writev family call: off < 0 uses and moves the
// file position.
func vectored(t *Thread, fd, iov, cnt uint64, off int64, toGuest bool) (uint64, error) {
	vecs, err := t.iovecs(iov, cnt)
	if err != nil {
		return 0, err
	}
	return withFile(t, fd, func(of *openFile) (uint64, error) {
		if toGuest {
			if err := readable(of); err != nil {
				return 0, err
			}
			dst, err := vmio.NewGuestWriterV(t.proc.mm, vecs)
			if err != nil {
				return 0, err
			}
			if off >= 0 {
				return of.preadAt(t, dst, off)
			}
			return of.read(t, dst)
		}
		if err := writable(of); err != nil {
			return 0, err
		}
		src, err := vmio.NewGuestReaderV(t.proc.mm, vecs)
		if err != nil {
			return 0, err
		}
		if off >= 0 {
			return t.wrote(of.pwriteAt(t, src, off))
		}
		return t.wrote(of.write(t, src))
	})
}

func sysReadv(t *Thread, a sysArgs) (uint64, error)  { return vectored(t, a[0], a[1], a[2], -1, true) }
func sysWritev(t *Thread, a sysArgs) (uint64, error) { return vectored(t, a[0], a[1], a[2], -1, false) }

func sysPreadv(t *Thread, a sysArgs) (uint64, error) {
	if int64(a[3]) < 0 {
		return 0, unix.EINVAL
	}
	return vectored(t, a[0], a[1], a[2], int64(a[3]), true)
}

func sysPwritev(t *Thread, a sysArgs) (uint64, error) {
	if int64(a[3]) < 0 {
		return 0, unix.EINVAL
	}
	return vectored(t, a[0], a[1], a[2], int64(a[3]), false)
}

// knownRWF are the preadv2/pwritev2 flags: hints Quartz may ignore
// (RWF_HIPRI, RWF_DSYNC, RWF_SYNC, RWF_NOWAIT is honoured as a hint
// only), and RWF_APPEND.
const knownRWF = 0x1f

func sysPreadv2(t *Thread, a sysArgs) (uint64, error) {
	if a[5]&^knownRWF != 0 {
		return 0, unix.EOPNOTSUPP
	}
	off := int64(a[3])
	if off < -1 {
		return 0, unix.EINVAL
	}
	return vectored(t, a[0], a[1], a[2], off, true)
}

func sysPwritev2(t *Thread, a sysArgs) (uint64, error) {
	if a[5]&^knownRWF != 0 {
		return 0, unix.EOPNOTSUPP
	}
	off := int64(a[3])
	if off < -1 {
		return 0, unix.EINVAL
	}
	return vectored(t, a[0], a[1], a[2], off, false)
}

func sysLseek(t *Thread, a sysArgs) (uint64, error) {
	return withFile(t, a[0], func(of *openFile) (uint64, error) {
		if isPath(of) {
			return 0, unix.EBADF
		}
		if p, ok := of.File.(positioned); ok {
			off, err := p.seekHost(int64(a[1]), int(a[2]))
			return uint64(off), err
		}
		off, err := of.seek(int64(a[1]), int(a[2]))
		return uint64(off), err
	})
}

func sysClose(t *Thread, a sysArgs) (uint64, error) {
	of, err := t.proc.fds.get(a[0])
	if err != nil {
		return 0, err
	}
	defer of.put()
	// Closing any descriptor of a file drops the process's record locks
	// on it (POSIX).
	t.proc.k.locks.releaseProcess(t.proc, of.inode)
	return 0, t.proc.fds.close(a[0])
}

const (
	closeRangeUnshare = 1 << 1
	closeRangeCloexec = 1 << 2
)

func sysCloseRange(t *Thread, a sysArgs) (uint64, error) {
	first, last, flags := uint32(a[0]), uint32(a[1]), a[2]
	if flags&^(closeRangeUnshare|closeRangeCloexec) != 0 || first > last {
		return 0, unix.EINVAL
	}
	t.proc.fds.closeRange(int(first), int64(last), flags&closeRangeCloexec != 0)
	return 0, nil
}

// sysFadvise64 accepts advice about access patterns; Quartz has no
// read-ahead to tune, but the errors are Linux's.
func sysFadvise64(t *Thread, a sysArgs) (uint64, error) {
	return withFile(t, a[0], func(of *openFile) (uint64, error) {
		if a[3] > unix.FADV_NOREUSE || int64(a[2]) < 0 {
			return 0, unix.EINVAL
		}
		if !of.Seekable() {
			return 0, unix.ESPIPE
		}
		return 0, nil
	})
}

func sysIoctl(t *Thread, a sysArgs) (uint64, error) {
	return withFile(t, a[0], func(of *openFile) (uint64, error) {
		if isPath(of) {
			return 0, unix.EBADF
		}
		switch a[1] {
		case fioclex, fionclex:
			return 0, t.proc.fds.setCloexec(a[0], a[1] == fioclex)
		case fionbio:
			on, err := t.readUint32(a[2])
			if err != nil {
				return 0, err
			}
			setStatusFlag(of, unix.O_NONBLOCK, on != 0)
			return 0, nil
		case fioasync:
			on, err := t.readUint32(a[2])
			if err != nil {
				return 0, err
			}
			setStatusFlag(of, unix.O_ASYNC, on != 0)
			return 0, nil
		}
		if io, ok := of.File.(ioctler); ok {
			return io.ioctl(t, a[1], a[2])
		}
		if tty, ok := of.File.(interface{ Console() devfs.Console }); ok {
			if hc, ok := tty.Console().(*hostConsole); ok {
				return hc.ioctl(t, a[1], a[2])
			}
		}
		if a[1] == fionread {
			if st, err := of.inode.Stat(); err == nil && vfs.Type(st.Mode) == unix.S_IFREG {
				of.mu.Lock()
				n := max(st.Size-of.pos, 0)
				of.mu.Unlock()
				return 0, t.writeUint32(a[2], uint32(n))
			}
		}
		return 0, unix.ENOTTY
	})
}

func setStatusFlag(of *openFile, flag uint32, on bool) {
	for {
		old := of.flags.Load()
		nw := old &^ flag
		if on {
			nw |= flag
		}
		if of.flags.CompareAndSwap(old, nw) {
			return
		}
	}
}

func sysDup(t *Thread, a sysArgs) (uint64, error) {
	return withFile(t, a[0], func(of *openFile) (uint64, error) {
		fd, err := t.proc.fds.install(of.get(), false, 0)
		if err != nil {
			of.put()
		}
		return uint64(fd), err
	})
}

func sysDup2(t *Thread, a sysArgs) (uint64, error) {
	if a[0] == a[1] {
		_, err := t.proc.fds.cloexec(a[0])
		return a[1], err
	}
	return a[1], t.proc.fds.dup2(a[0], a[1], false)
}

func sysDup3(t *Thread, a sysArgs) (uint64, error) {
	if a[0] == a[1] || a[2]&^unix.O_CLOEXEC != 0 {
		return 0, unix.EINVAL
	}
	return a[1], t.proc.fds.dup2(a[0], a[1], a[2]&unix.O_CLOEXEC != 0)
}
