package linux

import (
	"golang.org/x/sys/unix"
)

func init() {
	register(unix.SYS_FCNTL, sysFcntl)
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
			if isPath(of) {
				return 0, unix.EBADF
			}
			for {
				old := of.flags.Load()
				nw := old&^settableFlags | uint32(a[2])&settableFlags
				if of.flags.CompareAndSwap(old, nw) {
					return 0, nil
				}
			}
		})
	case unix.F_GETLK, unix.F_SETLK, unix.F_SETLKW, unix.F_OFD_GETLK, unix.F_OFD_SETLK, unix.F_OFD_SETLKW:
		return withFile(t, a[0], func(of *openFile) (uint64, error) {
			if isPath(of) {
				return 0, unix.EBADF
			}
			return 0, t.recordLockOp(of, cmd, a[2])
		})
	case unix.F_GETPIPE_SZ, unix.F_SETPIPE_SZ:
		return withFile(t, a[0], func(of *openFile) (uint64, error) {
			pf, ok := of.File.(interface{ pipeOf() pipeFile })
			if !ok {
				return 0, unix.EBADF
			}
			p := pf.pipeOf().Pipe()
			if cmd == unix.F_GETPIPE_SZ {
				return uint64(p.Capacity()), nil
			}
			n, err := p.SetCapacity(int(int32(a[2])))
			return uint64(n), err
		})
	case unix.F_GETOWN, unix.F_SETOWN, unix.F_GETSIG, unix.F_SETSIG:
		// Quartz does not raise SIGIO; the owner is accepted and
		// reported as none.
		_, err := fds.cloexec(a[0])
		return 0, err
	case unix.F_ADD_SEALS, unix.F_GET_SEALS:
		_, err := fds.cloexec(a[0])
		if err != nil {
			return 0, err
		}
		return 0, unix.EINVAL // only memfds take seals
	}
	if _, err := fds.cloexec(a[0]); err != nil {
		return 0, err
	}
	return 0, unix.EINVAL
}
