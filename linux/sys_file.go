package linux

import (
	"strings"

	"golang.org/x/sys/unix"

	"quartz/lib/vmio"
)

func init() {
	register(unix.SYS_READ, sysRead)
	register(unix.SYS_WRITE, sysWrite)
	register(unix.SYS_PREAD64, sysPread)
	register(unix.SYS_PWRITE64, sysPwrite)
	register(unix.SYS_READV, sysReadv)
	register(unix.SYS_WRITEV, sysWritev)
	register(unix.SYS_LSEEK, sysLseek)
	register(unix.SYS_OPEN, sysOpen)
	register(unix.SYS_OPENAT, sysOpenat)
	register(unix.SYS_CLOSE, sysClose)
	register(unix.SYS_GETDENTS64, sysGetdents64)
	register(unix.SYS_IOCTL, sysIoctl)
	register(unix.SYS_FCNTL, sysFcntl)
	register(unix.SYS_DUP, sysDup)
	register(unix.SYS_DUP2, sysDup2)
	register(unix.SYS_DUP3, sysDup3)
	register(unix.SYS_SENDFILE, sysSendfile)
	register(unix.SYS_FADVISE64, sysFadvise64)
}

// sysFadvise64 accepts advice about access patterns; Quartz has no
// read-ahead to tune, but the errors are Linux's.
func sysFadvise64(t *Thread, a sysArgs) (uint64, error) {
	return withFile(t, a[0], func(of *openFile) (uint64, error) {
		if a[3] > unix.FADV_NOREUSE || int64(a[2]) < 0 {
			return 0, unix.EINVAL
		}
		if _, ok := of.file.(*hostFile); !ok {
			return 0, unix.ESPIPE
		}
		return 0, nil
	})
}

// maxIO bounds one transfer through a kernel buffer; larger requests are
// done in pieces.
const maxIO = 1 << 20

// resolve turns a path argument relative to dirfd into a guest absolute
// path.
func (t *Thread) resolve(dirfd uint64, p string) (string, error) {
	if strings.HasPrefix(p, "/") {
		return p, nil
	}
	if int32(dirfd) == unix.AT_FDCWD {
		t.proc.cwdMu.Lock()
		defer t.proc.cwdMu.Unlock()
		return t.proc.cwd + "/" + p, nil
	}
	of, err := t.proc.fds.get(dirfd)
	if err != nil {
		return "", err
	}
	defer of.put()
	h, ok := of.file.(*hostFile)
	if !ok || !h.dir {
		return "", unix.ENOTDIR
	}
	return h.path + "/" + p, nil
}

// pathArg reads and resolves a (dirfd, path) argument pair.
func (t *Thread) pathArg(dirfd, addr uint64) (string, error) {
	p, err := t.readPath(addr)
	if err != nil {
		return "", err
	}
	if p == "" {
		return "", unix.ENOENT
	}
	return t.resolve(dirfd, p)
}

func sysOpen(t *Thread, a sysArgs) (uint64, error) {
	return sysOpenat(t, sysArgs{atFDCWD, a[0], a[1], a[2]})
}

func sysOpenat(t *Thread, a sysArgs) (uint64, error) {
	p, err := t.pathArg(a[0], a[1])
	if err != nil {
		return 0, err
	}
	flags := int(int32(a[2]))
	if data, ok := t.kernelFile(p); ok {
		if flags&unix.O_ACCMODE != unix.O_RDONLY {
			return 0, unix.EACCES
		}
		gfd, err := t.proc.fds.install(newOpenFile(&memFile{data: data}, unix.O_RDONLY), flags&unix.O_CLOEXEC != 0, 0)
		return uint64(gfd), err
	}
	fd, err := t.proc.k.root.OpenFile(p, flags)
	if err != nil {
		return 0, err
	}
	h := &hostFile{fd: fd}
	var st unix.Stat_t
	if unix.Fstat(fd, &st) == nil && st.Mode&unix.S_IFMT == unix.S_IFDIR {
		h.dir = true
		if h.path, err = t.proc.k.root.GuestPath(fd); err != nil {
			unix.Close(fd)
			return 0, err
		}
	}
	gfd, err := t.proc.fds.install(newOpenFile(h, flags&^unix.O_CLOEXEC), flags&unix.O_CLOEXEC != 0, 0)
	if err != nil {
		unix.Close(fd)
		return 0, err
	}
	return uint64(gfd), nil
}

func sysClose(t *Thread, a sysArgs) (uint64, error) {
	return 0, t.proc.fds.close(a[0])
}

// withFile runs f on the file at descriptor fd.
func withFile(t *Thread, fd uint64, f func(of *openFile) (uint64, error)) (uint64, error) {
	of, err := t.proc.fds.get(fd)
	if err != nil {
		return 0, err
	}
	defer of.put()
	return f(of)
}

func accessMode(of *openFile) int { return int(of.flags.Load()) & unix.O_ACCMODE }

// transfer moves up to count bytes between the guest buffer at addr and
// the file, through a kernel buffer, a piece at a time. A short piece
// ends the transfer, as it would a read(2) of the whole.
func transfer(t *Thread, addr, count uint64, toGuest bool, io func(b []byte) (int, error)) (uint64, error) {
	if int64(count) < 0 {
		return 0, unix.EINVAL
	}
	buf := make([]byte, min(count, maxIO))
	var done uint64
	for done < count {
		piece := buf[:min(count-done, maxIO)]
		if !toGuest {
			if err := t.copyIn(addr+done, piece); err != nil {
				return done, doneOr(done, err)
			}
		}
		n, err := io(piece)
		if n > 0 && toGuest {
			if cerr := t.copyOut(addr+done, piece[:n]); cerr != nil {
				return done, doneOr(done, cerr)
			}
		}
		if n > 0 {
			done += uint64(n)
		}
		if err != nil {
			return done, doneOr(done, err)
		}
		if n < len(piece) {
			break
		}
	}
	return done, nil
}

// doneOr reports a partial transfer as success, like Linux does.
func doneOr(done uint64, err error) error {
	if done > 0 {
		return nil
	}
	return err
}

func sysRead(t *Thread, a sysArgs) (uint64, error) {
	return withFile(t, a[0], func(of *openFile) (uint64, error) {
		if accessMode(of) == unix.O_WRONLY {
			return 0, unix.EBADF
		}
		if h, ok := of.file.(*hostFile); ok {
			// One copy: the host reads straight into the guest's pages.
			n, err := retry(func() (int, error) {
				return vmio.NewGuestWriter(t.proc.mm, a[1], min(a[2], maxRW)).ReadFromFD(h.fd)
			})
			return uint64(n), doneOr(uint64(n), err)
		}
		return transfer(t, a[1], a[2], true, func(b []byte) (int, error) { return of.read(t, b) })
	})
}

func sysWrite(t *Thread, a sysArgs) (uint64, error) {
	return withFile(t, a[0], func(of *openFile) (uint64, error) {
		if accessMode(of) == unix.O_RDONLY {
			return 0, unix.EBADF
		}
		if h, ok := of.file.(*hostFile); ok {
			n, err := retry(func() (int, error) {
				return vmio.NewGuestReader(t.proc.mm, a[1], min(a[2], maxRW)).WriteToFD(h.fd)
			})
			return uint64(n), doneOr(uint64(n), err)
		}
		return transfer(t, a[1], a[2], false, func(b []byte) (int, error) { return of.write(t, b) })
	})
}

// maxRW is the most one read or write moves, as Linux's MAX_RW_COUNT.
const maxRW = 0x7ffff000

func sysPread(t *Thread, a sysArgs) (uint64, error) {
	if int64(a[3]) < 0 {
		return 0, unix.EINVAL
	}
	return withFile(t, a[0], func(of *openFile) (uint64, error) {
		if accessMode(of) == unix.O_WRONLY {
			return 0, unix.EBADF
		}
		off := int64(a[3])
		return transfer(t, a[1], a[2], true, func(b []byte) (int, error) {
			n, err := of.pread(b, off)
			off += int64(max(n, 0))
			return n, err
		})
	})
}

func sysPwrite(t *Thread, a sysArgs) (uint64, error) {
	if int64(a[3]) < 0 {
		return 0, unix.EINVAL
	}
	return withFile(t, a[0], func(of *openFile) (uint64, error) {
		if accessMode(of) == unix.O_RDONLY {
			return 0, unix.EBADF
		}
		off := int64(a[3])
		return transfer(t, a[1], a[2], false, func(b []byte) (int, error) {
			n, err := of.pwrite(b, off)
			off += int64(max(n, 0))
			return n, err
		})
	})
}

// iovecs reads an iovec array of at most IOV_MAX entries.
func (t *Thread) iovecs(addr, count uint64) ([][2]uint64, error) {
	if count > 1024 {
		return nil, unix.EINVAL
	}
	vecs := make([][2]uint64, count)
	var total uint64
	for i := range vecs {
		base, err := t.readUint64(addr + uint64(i)*16)
		if err != nil {
			return nil, err
		}
		n, err := t.readUint64(addr + uint64(i)*16 + 8)
		if err != nil {
			return nil, err
		}
		if int64(n) < 0 || total+n < total {
			return nil, unix.EINVAL
		}
		total += n
		vecs[i] = [2]uint64{base, n}
	}
	return vecs, nil
}

// vectored runs one transfer per iovec until one comes up short.
func vectored(t *Thread, fd, iov, cnt uint64, want int, toGuest bool, io func(of *openFile, b []byte) (int, error)) (uint64, error) {
	vecs, err := t.iovecs(iov, cnt)
	if err != nil {
		return 0, err
	}
	return withFile(t, fd, func(of *openFile) (uint64, error) {
		if accessMode(of) == want {
			return 0, unix.EBADF
		}
		var done uint64
		for _, v := range vecs {
			if v[1] == 0 {
				continue
			}
			n, err := transfer(t, v[0], v[1], toGuest, func(b []byte) (int, error) { return io(of, b) })
			done += n
			if err != nil {
				return done, doneOr(done, err)
			}
			if n < v[1] {
				break
			}
		}
		return done, nil
	})
}

func sysReadv(t *Thread, a sysArgs) (uint64, error) {
	return vectored(t, a[0], a[1], a[2], unix.O_WRONLY, true, func(of *openFile, b []byte) (int, error) { return of.read(t, b) })
}

func sysWritev(t *Thread, a sysArgs) (uint64, error) {
	return vectored(t, a[0], a[1], a[2], unix.O_RDONLY, false, func(of *openFile, b []byte) (int, error) { return of.write(t, b) })
}

func sysLseek(t *Thread, a sysArgs) (uint64, error) {
	return withFile(t, a[0], func(of *openFile) (uint64, error) {
		if a[2] > unix.SEEK_HOLE {
			return 0, unix.EINVAL
		}
		off, err := of.seek(int64(a[1]), int(a[2]))
		return uint64(off), err
	})
}

func sysGetdents64(t *Thread, a sysArgs) (uint64, error) {
	return withFile(t, a[0], func(of *openFile) (uint64, error) {
		buf := make([]byte, min(a[2], 64<<10))
		n, err := of.getdents(buf)
		if err != nil {
			return 0, err
		}
		return uint64(n), t.copyOut(a[1], buf[:n])
	})
}

func sysIoctl(t *Thread, a sysArgs) (uint64, error) {
	return withFile(t, a[0], func(of *openFile) (uint64, error) {
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
		}
		return of.ioctl(t, a[1], a[2])
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

// settableFlags are the status flags F_SETFL may change.
const settableFlags = unix.O_APPEND | unix.O_NONBLOCK | unix.O_ASYNC | unix.O_DIRECT | unix.O_NOATIME

func sysFcntl(t *Thread, a sysArgs) (uint64, error) {
	fds := t.proc.fds
	switch cmd := int(a[1]); cmd {
	case unix.F_DUPFD, unix.F_DUPFD_CLOEXEC:
		if a[2] >= maxFDs {
			return 0, unix.EINVAL
		}
		return withFile(t, a[0], func(of *openFile) (uint64, error) {
			fd, err := fds.install(of.get(), cmd == unix.F_DUPFD_CLOEXEC, int(a[2]))
			if err != nil {
				of.put()
			}
			return uint64(fd), err
		})
	case unix.F_GETFD:
		on, err := fds.cloexec(a[0])
		if on {
			return unix.FD_CLOEXEC, err
		}
		return 0, err
	case unix.F_SETFD:
		return 0, fds.setCloexec(a[0], a[2]&unix.FD_CLOEXEC != 0)
	case unix.F_GETFL:
		return withFile(t, a[0], func(of *openFile) (uint64, error) { return uint64(of.flags.Load()), nil })
	case unix.F_SETFL:
		return withFile(t, a[0], func(of *openFile) (uint64, error) {
			for {
				old := of.flags.Load()
				nw := old&^settableFlags | uint32(a[2])&settableFlags
				if of.flags.CompareAndSwap(old, nw) {
					return 0, nil
				}
			}
		})
	}
	if _, err := fds.cloexec(a[0]); err != nil {
		return 0, err
	}
	return 0, unix.EINVAL
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

// sysSendfile copies between two descriptors through a kernel buffer.
func sysSendfile(t *Thread, a sysArgs) (uint64, error) {
	out, err := t.proc.fds.get(a[0])
	if err != nil {
		return 0, err
	}
	defer out.put()
	in, err := t.proc.fds.get(a[1])
	if err != nil {
		return 0, err
	}
	defer in.put()
	if accessMode(in) == unix.O_WRONLY || accessMode(out) == unix.O_RDONLY {
		return 0, unix.EBADF
	}
	var off int64 = -1
	if a[2] != 0 {
		v, err := t.readUint64(a[2])
		if err != nil {
			return 0, err
		}
		if off = int64(v); off < 0 {
			return 0, unix.EINVAL
		}
	}
	buf := make([]byte, min(a[3], maxIO))
	var done uint64
	for done < a[3] {
		piece := buf[:min(a[3]-done, maxIO)]
		var n int
		if off >= 0 {
			n, err = in.pread(piece, off+int64(done))
		} else {
			n, err = in.read(t, piece)
		}
		if n <= 0 {
			break
		}
		w, werr := out.write(t, piece[:n])
		done += uint64(max(w, 0))
		if werr != nil {
			err = werr
			break
		}
		if w < n || n < len(piece) {
			break
		}
	}
	if a[2] != 0 {
		if werr := t.writeUint64(a[2], uint64(off)+done); werr != nil {
			return 0, werr
		}
	}
	return done, doneOr(done, err)
}
