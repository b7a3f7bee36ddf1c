package linux

import (
	"encoding/binary"
	"sync"
	"time"

	"golang.org/x/sys/unix"

	"quartz/kernel/poll"
	"quartz/kernel/vfs"
	"quartz/lib/vmio"
)

// hostFile is one of the standard descriptors Quartz was given (a
// terminal, a pipe, a file): the guest's stdio are the host's. Data goes
// straight between the host descriptor and guest pages. Blocking waits
// are host polls that a signal for the guest thread can end.
type hostFile struct {
	fd       int
	nonblock func() bool // the guest's O_NONBLOCK

	wakeOnce sync.Once
	wake     int // eventfd that ends a host poll early; -1 if none
	poll.Pollee
}

func newHostFile(fd int) *hostFile { return &hostFile{fd: fd, wake: -1} }

func retry[T any](f func() (T, error)) (T, error) {
	for {
		v, err := f()
		if err != unix.EINTR {
			return v, err
		}
	}
}

// Seekable is false: the position is the host's, moved by the host's own
// read and write; lseek and pread go to the host (positioned).
func (h *hostFile) Seekable() bool { return false }

func (h *hostFile) Read(dst *vmio.Writer, _ int64, c vfs.Canceler) (uint64, error) {
	if dst.Remaining() == 0 {
		return 0, nil
	}
	for {
		if err := h.wait(unix.POLLIN, c); err != nil {
			return 0, err
		}
		n, err := dst.ReadFromFD(h.fd)
		if err == unix.EINTR || err == unix.EAGAIN && !h.hostNonblocking() {
			continue
		}
		return uint64(max(n, 0)), err
	}
}

func (h *hostFile) Write(src *vmio.Reader, _ int64, c vfs.Canceler) (uint64, error) {
	var done uint64
	for src.Remaining() > 0 {
		if err := h.wait(unix.POLLOUT, c); err != nil {
			return done, err
		}
		n, err := src.WriteToFD(h.fd)
		if n > 0 {
			done += uint64(n)
		}
		if err == unix.EINTR || err == unix.EAGAIN && !h.hostNonblocking() {
			continue
		}
		if err != nil {
			return done, err
		}
	}
	return done, nil
}

func (h *hostFile) hostNonblocking() bool {
	fl, err := unix.FcntlInt(uintptr(h.fd), unix.F_GETFL, 0)
	return err == nil && fl&unix.O_NONBLOCK != 0
}

// wait returns when the host descriptor is ready for ev, or EINTR when c
// says stop first.
func (h *hostFile) wait(ev int16, c vfs.Canceler) error {
	if h.nonblock != nil && h.nonblock() {
		fds := []unix.PollFd{{Fd: int32(h.fd), Events: ev}}
		if n, _ := unix.Poll(fds, 0); n <= 0 {
			return unix.EAGAIN
		}
		return nil
	}
	return h.pollWait(ev, c)
}

// pollWait is wait whatever the guest's O_NONBLOCK says.
func (h *hostFile) pollWait(ev int16, c vfs.Canceler) error {
	fds := []unix.PollFd{{Fd: int32(h.fd), Events: ev}}
	if n, _ := unix.Poll(fds, 0); n > 0 || c == nil {
		return nil
	}
	h.wakeOnce.Do(func() {
		if fd, err := unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK); err == nil {
			h.wake = fd
		}
	})
	if h.wake < 0 {
		return nil // no way to wake a poll: block in the host call
	}
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		select {
		case <-c.Done():
			var one = [8]byte{1}
			unix.Write(h.wake, one[:])
		case <-stop:
		}
	}()
	fds = append(fds, unix.PollFd{Fd: int32(h.wake), Events: unix.POLLIN})
	for {
		fds[0].Revents, fds[1].Revents = 0, 0
		if _, err := unix.Poll(fds, -1); err == unix.EINTR {
			continue
		}
		if fds[1].Revents != 0 {
			var b [8]byte
			unix.Read(h.wake, b[:])
			select {
			case <-c.Done():
				return unix.EINTR
			default:
				// A wake-up left by an earlier wait whose own work
				// ended first: not ours.
			}
		}
		if fds[0].Revents != 0 {
			return nil
		}
	}
}

func (h *hostFile) Release() error {
	if h.wake >= 0 {
		unix.Close(h.wake)
	}
	return unix.Close(h.fd)
}

// positioned files keep their position outside the open file (the host
// does, for hostFile).
type positioned interface {
	preadAt(dst *vmio.Writer, off int64) (uint64, error)
	pwriteAt(src *vmio.Reader, off int64) (uint64, error)
	seekHost(off int64, whence int) (int64, error)
}

func (h *hostFile) preadAt(dst *vmio.Writer, off int64) (uint64, error) {
	n, err := retry(func() (int, error) { return dst.ReadFromFDAt(h.fd, off) })
	return uint64(max(n, 0)), err
}

func (h *hostFile) pwriteAt(src *vmio.Reader, off int64) (uint64, error) {
	n, err := retry(func() (int, error) { return src.WriteToFDAt(h.fd, off) })
	return uint64(max(n, 0)), err
}

func (h *hostFile) seekHost(off int64, whence int) (int64, error) {
	return unix.Seek(h.fd, off, whence)
}

// readiness asks the host, without waiting.
func (h *hostFile) readiness() poll.Events {
	fds := []unix.PollFd{{Fd: int32(h.fd), Events: unix.POLLIN | unix.POLLOUT | unix.POLLPRI}}
	if n, _ := unix.Poll(fds, 0); n <= 0 {
		return 0
	}
	return poll.Events(fds[0].Revents)
}

func (h *hostFile) pollee() *poll.Pollee { return &h.Pollee }

// watch notifies the pollee when the host descriptor becomes ready for
// ev, until stop is closed: poll, select and epoll wait on host
// descriptors this way.
func (h *hostFile) watch(ev poll.Events, stop <-chan struct{}) {
	go func() {
		c := stopCanceler(stop)
		for {
			if h.pollWait(int16(ev), c) != nil {
				return
			}
			h.Notify()
			select {
			case <-stop:
				return
			case <-time.After(time.Millisecond):
				// A level-triggered host descriptor stays ready; the
				// pause keeps a waiter that ignores it from spinning us.
			}
		}
	}()
}

type stopCanceler <-chan struct{}

func (s stopCanceler) Done() <-chan struct{} { return s }

// hostInode is what fstat of a host descriptor reports: the host's stat.
type hostInode struct{ fd int }

func (h hostInode) Stat() (vfs.Stat, error) {
	var st unix.Stat_t
	if err := unix.Fstat(h.fd, &st); err != nil {
		return vfs.Stat{}, err
	}
	return vfs.Stat{
		Dev: st.Dev, Ino: st.Ino, Mode: st.Mode, Nlink: uint32(st.Nlink), UID: st.Uid, GID: st.Gid,
		Rdev: st.Rdev, Size: st.Size, Blocks: st.Blocks, Blksize: int32(st.Blksize),
		Atime: time.Unix(st.Atim.Unix()), Mtime: time.Unix(st.Mtim.Unix()), Ctime: time.Unix(st.Ctim.Unix()),
	}, nil
}

func (h hostInode) SetAttr(vfs.Attr) error { return unix.EPERM }

// ioctl passes the terminal requests programs make on their standard
// descriptors through to the host, with the argument copied in and out.
func (h *hostFile) ioctl(t *Thread, req, arg uint64) (uint64, error) {
	switch req {
	case unix.TCGETS:
		tio, err := unix.IoctlGetTermios(h.fd, unix.TCGETS)
		if err != nil {
			return 0, err
		}
		return 0, t.copyOut(arg, termiosBytes(tio))
	case unix.TCSETS, unix.TCSETSW, unix.TCSETSF:
		b := make([]byte, kernelTermiosSize)
		if err := t.copyIn(arg, b); err != nil {
			return 0, err
		}
		// The host's speeds stay: struct termios carries them in c_cflag.
		tio, err := unix.IoctlGetTermios(h.fd, unix.TCGETS)
		if err != nil {
			return 0, err
		}
		setTermiosBytes(tio, b)
		return 0, unix.IoctlSetTermios(h.fd, uint(req), tio)
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
	case unix.TIOCGPGRP, unix.TIOCSPGRP, unix.TIOCGSID:
		if _, err := unix.IoctlGetTermios(h.fd, unix.TCGETS); err != nil {
			return 0, err
		}
		return t.proc.k.terminal.ioctl(t, req, arg)
	case fionread:
		n, err := unix.IoctlGetInt(h.fd, fionread)
		if err != nil {
			return 0, err
		}
		return 0, t.writeUint32(arg, uint32(n))
	}
	return 0, unix.ENOTTY
}

// kernelTermiosSize is the size of the struct termios TCGETS and TCSETS
// move: four flag words, c_line and 19 control characters. (unix.Termios
// is the larger struct termios2 layout, with the speeds.)
const kernelTermiosSize = 36

func termiosBytes(tio *unix.Termios) []byte {
	b := make([]byte, kernelTermiosSize)
	binary.LittleEndian.PutUint32(b[0:], tio.Iflag)
	binary.LittleEndian.PutUint32(b[4:], tio.Oflag)
	binary.LittleEndian.PutUint32(b[8:], tio.Cflag)
	binary.LittleEndian.PutUint32(b[12:], tio.Lflag)
	b[16] = tio.Line
	copy(b[17:], tio.Cc[:])
	return b
}

func setTermiosBytes(tio *unix.Termios, b []byte) {
	tio.Iflag = binary.LittleEndian.Uint32(b[0:])
	tio.Oflag = binary.LittleEndian.Uint32(b[4:])
	tio.Cflag = binary.LittleEndian.Uint32(b[8:])
	tio.Lflag = binary.LittleEndian.Uint32(b[12:])
	tio.Line = b[16]
	copy(tio.Cc[:], b[17:kernelTermiosSize])
}
