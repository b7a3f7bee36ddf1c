package linux

import (
	"encoding/binary"
	"sync/atomic"

	"golang.org/x/sys/unix"

	"quartz/kernel/poll"
	"quartz/kernel/vfs"
	"quartz/lib/vmio"
)

func init() {
	register(unix.SYS_SIGNALFD, sysSignalfd)
	register(unix.SYS_SIGNALFD4, sysSignalfd4)
}

// signalFile is a signalfd: reading it takes pending signals of its set,
// as struct signalfd_siginfo records, instead of delivering them. It
// reads the queues of the process that made it: the reading thread's
// own first, then the process's other threads (where signals sent to
// the process wait when every thread blocks them).
type signalFile struct {
	proc     *Process
	mask     atomic.Uint64
	nonblock *openFile
}

const signalfdSiginfoSize = 128

func (f *signalFile) Seekable() bool { return false }
func (f *signalFile) Release() error { return nil }
func (f *signalFile) Write(*vmio.Reader, int64, vfs.Canceler) (uint64, error) {
	return 0, unix.EINVAL
}

func (f *signalFile) pollee() *poll.Pollee { return &f.proc.signalPollee }

func (f *signalFile) readiness() poll.Events {
	set := f.mask.Load()
	f.proc.mu.Lock()
	defer f.proc.mu.Unlock()
	for _, t := range f.proc.threads {
		t.pending.mu.Lock()
		ready := t.pending.set&set != 0
		t.pending.mu.Unlock()
		if ready {
			return poll.In
		}
	}
	return 0
}

// take removes one pending signal of the set.
func (f *signalFile) take() (int, siginfo, bool) {
	set := f.mask.Load()
	f.proc.mu.Lock()
	threads := make([]*Thread, 0, len(f.proc.threads))
	for _, t := range f.proc.threads {
		threads = append(threads, t)
	}
	f.proc.mu.Unlock()
	for _, t := range threads {
		if sig, si, ok := t.takeSignalIn(set); ok {
			return sig, si, true
		}
	}
	return 0, siginfo{}, false
}

func (f *signalFile) Read(dst *vmio.Writer, _ int64, c vfs.Canceler) (uint64, error) {
	if dst.Remaining() < signalfdSiginfoSize {
		return 0, unix.EINVAL
	}
	var done uint64
	for dst.Remaining() >= signalfdSiginfoSize {
		sig, si, ok := f.take()
		if !ok {
			if done > 0 {
				return done, nil
			}
			if f.nonblock.nonblocking() {
				return 0, unix.EAGAIN
			}
			if err := waitReady(f, poll.In, c); err != nil {
				return 0, err
			}
			continue
		}
		rec := signalfdRecord(sig, si)
		if _, err := dst.Write(rec[:]); err != nil {
			return done, err
		}
		done += signalfdSiginfoSize
	}
	return done, nil
}

// signalfdRecord converts a siginfo_t into struct signalfd_siginfo.
func signalfdRecord(sig int, si siginfo) [signalfdSiginfoSize]byte {
	var r [signalfdSiginfoSize]byte
	le := binary.LittleEndian
	code := int32(le.Uint32(si[8:]))
	le.PutUint32(r[0:], uint32(sig))         // ssi_signo
	le.PutUint32(r[4:], le.Uint32(si[4:]))   // ssi_errno
	le.PutUint32(r[8:], uint32(code))        // ssi_code
	le.PutUint32(r[12:], le.Uint32(si[16:])) // ssi_pid
	le.PutUint32(r[16:], le.Uint32(si[20:])) // ssi_uid
	switch {
	case sig == int(unix.SIGCHLD):
		le.PutUint32(r[40:], le.Uint32(si[24:])) // ssi_status
		le.PutUint64(r[56:], le.Uint64(si[32:])) // ssi_utime
		le.PutUint64(r[64:], le.Uint64(si[40:])) // ssi_stime
	case code == -2: // SI_TIMER: si_tid, si_overrun, si_value
		le.PutUint32(r[20:], le.Uint32(si[16:])) // ssi_tid (timer id)
		le.PutUint32(r[32:], le.Uint32(si[20:])) // ssi_overrun
		le.PutUint32(r[44:], le.Uint32(si[24:])) // ssi_int
		le.PutUint64(r[48:], le.Uint64(si[24:])) // ssi_ptr
	case code > 0 && (sig == int(unix.SIGSEGV) || sig == int(unix.SIGBUS) ||
		sig == int(unix.SIGILL) || sig == int(unix.SIGFPE) || sig == int(unix.SIGTRAP)):
		le.PutUint64(r[72:], le.Uint64(si[16:])) // ssi_addr
	default: // kill, sigqueue: si_value
		le.PutUint32(r[44:], le.Uint32(si[24:]))
		le.PutUint64(r[48:], le.Uint64(si[24:]))
	}
	return r
}

func sysSignalfd(t *Thread, a sysArgs) (uint64, error) {
	return sysSignalfd4(t, sysArgs{a[0], a[1], a[2], 0})
}

func sysSignalfd4(t *Thread, a sysArgs) (uint64, error) {
	fd, maskAddr, size, flags := int32(a[0]), a[1], a[2], int(a[3])
	if flags&^(unix.SFD_CLOEXEC|unix.SFD_NONBLOCK) != 0 || size != 8 {
		return 0, unix.EINVAL
	}
	mask, err := t.readUint64(maskAddr)
	if err != nil {
		return 0, err
	}
	mask &^= unblockable
	if fd != -1 {
		return withFile(t, uint64(uint32(fd)), func(of *openFile) (uint64, error) {
			f, ok := of.File.(*signalFile)
			if !ok {
				return 0, unix.EINVAL
			}
			f.mask.Store(mask)
			f.proc.signalPollee.Notify()
			return uint64(fd), nil
		})
	}
	f := &signalFile{proc: t.proc}
	f.mask.Store(mask)
	of := newOpenFile(f, newAnonInode(0o600), unix.O_RDWR|flags&unix.O_NONBLOCK)
	of.name = "anon_inode:[signalfd]"
	f.nonblock = of
	nfd, err := t.proc.fds.install(of, flags&unix.SFD_CLOEXEC != 0, 0)
	return uint64(nfd), err
}
