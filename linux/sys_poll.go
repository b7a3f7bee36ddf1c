package linux

import (
	"time"

	"golang.org/x/sys/unix"

	"quartz/kernel/poll"
)

func init() {
	register(unix.SYS_EVENTFD, sysEventfd)
	register(unix.SYS_EVENTFD2, sysEventfd2)
	register(unix.SYS_EPOLL_CREATE, sysEpollCreate)
	register(unix.SYS_EPOLL_CREATE1, sysEpollCreate1)
	register(unix.SYS_EPOLL_CTL, sysEpollCtl)
	register(unix.SYS_EPOLL_WAIT, sysEpollWait)
	register(unix.SYS_EPOLL_PWAIT, sysEpollPwait)
}

func sysEventfd(t *Thread, a sysArgs) (uint64, error) {
	return sysEventfd2(t, sysArgs{a[0], 0})
}

func sysEventfd2(t *Thread, a sysArgs) (uint64, error) {
	flags := int(a[1])
	if flags&^(unix.EFD_CLOEXEC|unix.EFD_NONBLOCK|unix.EFD_SEMAPHORE) != 0 {
		return 0, unix.EINVAL
	}
	e := &eventFile{count: uint64(uint32(a[0])), semaphore: flags&unix.EFD_SEMAPHORE != 0}
	of := newOpenFile(e, unix.O_RDWR|flags&unix.O_NONBLOCK)
	e.nonblock = of
	fd, err := t.proc.fds.install(of, flags&unix.EFD_CLOEXEC != 0, 0)
	return uint64(fd), err
}

func sysEpollCreate(t *Thread, a sysArgs) (uint64, error) {
	if int32(a[0]) <= 0 {
		return 0, unix.EINVAL
	}
	return sysEpollCreate1(t, sysArgs{0})
}

func sysEpollCreate1(t *Thread, a sysArgs) (uint64, error) {
	if a[0]&^unix.EPOLL_CLOEXEC != 0 {
		return 0, unix.EINVAL
	}
	e := &epollFile{interest: make(map[int]*epollItem)}
	fd, err := t.proc.fds.install(newOpenFile(e, unix.O_RDWR), a[0]&unix.EPOLL_CLOEXEC != 0, 0)
	return uint64(fd), err
}

func (t *Thread) epollAt(fd uint64) (*openFile, *epollFile, error) {
	of, err := t.proc.fds.get(fd)
	if err != nil {
		return nil, nil, err
	}
	e, ok := of.file.(*epollFile)
	if !ok {
		of.put()
		return nil, nil, unix.EINVAL
	}
	return of, e, nil
}

func sysEpollCtl(t *Thread, a sysArgs) (uint64, error) {
	epfd, op, fd, evAddr := a[0], int(a[1]), a[2], a[3]
	eof, e, err := t.epollAt(epfd)
	if err != nil {
		return 0, err
	}
	defer eof.put()
	target, err := t.proc.fds.get(fd)
	if err != nil {
		return 0, err
	}
	defer target.put()
	var events uint32
	var data uint64
	if op != unix.EPOLL_CTL_DEL {
		var rec [12]byte
		if err := t.copyIn(evAddr, rec[:]); err != nil {
			return 0, err
		}
		events = uint32(rec[0]) | uint32(rec[1])<<8 | uint32(rec[2])<<16 | uint32(rec[3])<<24
		for i := 7; i >= 0; i-- {
			data = data<<8 | uint64(rec[4+i])
		}
	}
	return 0, e.ctl(op, int(fd), target, events, data)
}

func sysEpollWait(t *Thread, a sysArgs) (uint64, error) {
	return sysEpollPwait(t, sysArgs{a[0], a[1], a[2], a[3], 0, 8})
}

func sysEpollPwait(t *Thread, a sysArgs) (uint64, error) {
	epfd, evAddr, max, timeoutMs := a[0], a[1], int(int32(a[2])), int(int32(a[3]))
	if max <= 0 || max > (1<<31-1)/12 {
		return 0, unix.EINVAL
	}
	eof, e, err := t.epollAt(epfd)
	if err != nil {
		return 0, err
	}
	defer eof.put()
	if a[4] != 0 {
		if a[5] != 8 {
			return 0, unix.EINVAL
		}
		mask, err := t.readUint64(a[4])
		if err != nil {
			return 0, err
		}
		old := t.sigMask
		t.sigMask = mask &^ unblockable
		defer func() { t.sigMask = old }()
	}
	var deadline time.Time
	if timeoutMs >= 0 {
		deadline = time.Now().Add(time.Duration(timeoutMs) * time.Millisecond)
	}
	w := poll.NewPoller()
	defer w.Close()
	e.observe(w)
	for {
		if out := e.collect(max); len(out) > 0 {
			return uint64(len(out) / 12), t.copyOut(evAddr, out)
		}
		if timeoutMs == 0 {
			return 0, nil
		}
		if t.hasDeliverable() {
			return 0, unix.EINTR // epoll_wait is never restarted
		}
		if !w.Wait(deadline, t.cancel()) {
			if t.proc.isDying() {
				return 0, unix.EINTR
			}
			if t.hasDeliverable() {
				return 0, unix.EINTR
			}
			if !deadline.IsZero() && !time.Now().Before(deadline) {
				return 0, nil
			}
		}
		e.resetEdges()
	}
}
