package linux

import (
	"encoding/binary"
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
	register(unix.SYS_EPOLL_PWAIT2, sysEpollPwait2)
	register(unix.SYS_POLL, sysPoll)
	register(unix.SYS_PPOLL, sysPpoll)
	register(unix.SYS_SELECT, sysSelect)
	register(unix.SYS_PSELECT6, sysPselect6)
}

// waitSet waits for any of several files to change readiness. Kernel
// files notify their Pollee; host descriptors are watched by a host poll
// for as long as the wait lasts.
type waitSet struct {
	w    *poll.Poller
	stop chan struct{}
}

func newWaitSet() *waitSet { return &waitSet{w: poll.NewPoller()} }

func (ws *waitSet) add(f pollable, ev poll.Events) {
	ws.w.Observe(f.pollee())
	if h, ok := f.(*hostFile); ok {
		if ws.stop == nil {
			ws.stop = make(chan struct{})
		}
		h.watch(ev&(poll.In|poll.Out|poll.Pri), ws.stop)
	}
}

func (ws *waitSet) close() {
	if ws.stop != nil {
		close(ws.stop)
	}
	ws.w.Close()
}

// waitOutcome is how a readiness wait ended.
type waitOutcome int

const (
	wakeUp waitOutcome = iota
	timedOut
	interrupted
)

// sleep waits on ws until it is woken, the deadline passes (zero: none)
// or a signal or death interrupts the thread.
func (t *Thread) sleep(ws *waitSet, deadline time.Time) waitOutcome {
	if t.hasDeliverable() || t.proc.isDying() {
		return interrupted
	}
	c := t.blocking()
	defer c.release()
	if ws.w.Wait(deadline, c.Done()) {
		return wakeUp
	}
	if t.hasDeliverable() || t.proc.isDying() {
		return interrupted
	}
	return timedOut
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
	of := newOpenFile(e, newAnonInode(0o600), unix.O_RDWR|flags&unix.O_NONBLOCK)
	of.name = "anon_inode:[eventfd]"
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
	of := newOpenFile(e, newAnonInode(0o600), unix.O_RDWR)
	of.name = "anon_inode:[eventpoll]"
	fd, err := t.proc.fds.install(of, a[0]&unix.EPOLL_CLOEXEC != 0, 0)
	return uint64(fd), err
}

func (t *Thread) epollAt(fd uint64) (*openFile, *epollFile, error) {
	of, err := t.proc.fds.get(fd)
	if err != nil {
		return nil, nil, err
	}
	e, ok := of.File.(*epollFile)
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
		events = binary.LittleEndian.Uint32(rec[:])
		data = binary.LittleEndian.Uint64(rec[4:])
	}
	return 0, e.ctl(op, int(fd), target, events, data)
}

func sysEpollWait(t *Thread, a sysArgs) (uint64, error) {
	return t.epollWait(a[0], a[1], a[2], msDeadline(int(int32(a[3]))), 0, 8)
}

func sysEpollPwait(t *Thread, a sysArgs) (uint64, error) {
	return t.epollWait(a[0], a[1], a[2], msDeadline(int(int32(a[3]))), a[4], a[5])
}

func sysEpollPwait2(t *Thread, a sysArgs) (uint64, error) {
	dl, err := t.timespecDeadline(a[3])
	if err != nil {
		return 0, err
	}
	return t.epollWait(a[0], a[1], a[2], dl, a[4], a[5])
}

// deadline is when a wait gives up: never (infinite), now (poll once)
// or a time.
type deadline struct {
	never, now bool
	at         time.Time
}

func msDeadline(ms int) deadline {
	switch {
	case ms < 0:
		return deadline{never: true}
	case ms == 0:
		return deadline{now: true}
	}
	return deadline{at: time.Now().Add(time.Duration(ms) * time.Millisecond)}
}

// timespecDeadline reads a relative struct timespec (NULL: never).
func (t *Thread) timespecDeadline(addr uint64) (deadline, error) {
	if addr == 0 {
		return deadline{never: true}, nil
	}
	var ts unix.Timespec
	if err := readStruct(t, addr, &ts); err != nil {
		return deadline{}, err
	}
	if ts.Sec < 0 || ts.Nsec < 0 || ts.Nsec >= 1e9 {
		return deadline{}, unix.EINVAL
	}
	if ts.Sec == 0 && ts.Nsec == 0 {
		return deadline{now: true}, nil
	}
	return deadline{at: time.Now().Add(time.Duration(ts.Sec)*time.Second + time.Duration(ts.Nsec))}, nil
}

// maskArg installs the temporary signal mask of ppoll, pselect6 and
// epoll_pwait (a NULL mask changes nothing).
func (t *Thread) maskArg(addr, size uint64) error {
	if addr == 0 {
		return nil
	}
	if size != 8 {
		return unix.EINVAL
	}
	mask, err := t.readUint64(addr)
	if err != nil {
		return err
	}
	t.setTemporaryMask(mask)
	return nil
}

func (t *Thread) epollWait(epfd, evAddr, maxArg uint64, dl deadline, maskAddr, maskSize uint64) (uint64, error) {
	max := int(int32(maxArg))
	if max <= 0 || max > (1<<31-1)/12 {
		return 0, unix.EINVAL
	}
	eof, e, err := t.epollAt(epfd)
	if err != nil {
		return 0, err
	}
	defer eof.put()
	if err := t.maskArg(maskAddr, maskSize); err != nil {
		return 0, err
	}
	for {
		ws := newWaitSet()
		ws.w.Observe(&e.Pollee) // the interest list changed
		e.observe(ws)
		out := e.collect(max)
		if len(out) > 0 {
			ws.close()
			return uint64(len(out) / 12), t.copyOut(evAddr, out)
		}
		if dl.now {
			ws.close()
			return 0, nil
		}
		outcome := t.sleep(ws, dl.at)
		ws.close()
		switch outcome {
		case interrupted:
			return 0, unix.EINTR // epoll_wait is never restarted
		case timedOut:
			return 0, nil
		}
	}
}

// pollReadiness is what poll(2) sees of a file: its readiness, or, for
// files without any (regular files, directories), always ready.
func pollReadiness(of *openFile) poll.Events {
	if p, ok := of.File.(pollable); ok {
		return p.readiness()
	}
	return poll.In | poll.Out | poll.Events(pollRdNorm|pollWrNorm)
}

// pollFD is one struct pollfd.
type pollFD struct {
	FD      int32
	Events  int16
	Revents int16
}

func sysPoll(t *Thread, a sysArgs) (uint64, error) {
	return t.poll(a[0], a[1], msDeadline(int(int32(a[2]))))
}

func sysPpoll(t *Thread, a sysArgs) (uint64, error) {
	dl, err := t.timespecDeadline(a[2])
	if err != nil {
		return 0, err
	}
	if err := t.maskArg(a[3], a[4]); err != nil {
		return 0, err
	}
	return t.poll(a[0], a[1], dl)
}

// maxPollFDs is RLIMIT_NOFILE, above which poll says EINVAL.
const maxPollFDs = maxFDs

func (t *Thread) poll(addr, n uint64, dl deadline) (uint64, error) {
	if n > maxPollFDs {
		return 0, unix.EINVAL
	}
	fds := make([]pollFD, n)
	raw := make([]byte, 8*n)
	if err := t.copyIn(addr, raw); err != nil {
		return 0, err
	}
	for i := range fds {
		fds[i].FD = int32(binary.LittleEndian.Uint32(raw[8*i:]))
		fds[i].Events = int16(binary.LittleEndian.Uint16(raw[8*i+4:]))
	}
	files := make([]*openFile, n)
	for i, p := range fds {
		if p.FD >= 0 {
			files[i], _ = t.proc.fds.get(uint64(p.FD))
		}
	}
	defer func() {
		for _, of := range files {
			if of != nil {
				of.put()
			}
		}
	}()
	const always = poll.Err | poll.Hup | poll.Events(unix.POLLNVAL)
	for {
		ws := newWaitSet()
		ready := 0
		for i, p := range fds {
			fds[i].Revents = 0
			if p.FD < 0 {
				continue
			}
			of := files[i]
			if of == nil {
				fds[i].Revents = unix.POLLNVAL
				ready++
				continue
			}
			want := poll.Events(uint16(p.Events)) | always
			if ev := pollReadiness(of) & want; ev != 0 {
				fds[i].Revents = int16(ev)
				ready++
			} else if pf, ok := of.File.(pollable); ok {
				ws.add(pf, want)
			}
		}
		if ready > 0 || dl.now {
			ws.close()
			for i := range fds {
				binary.LittleEndian.PutUint16(raw[8*i+6:], uint16(fds[i].Revents))
			}
			return uint64(ready), t.copyOut(addr, raw)
		}
		outcome := t.sleep(ws, dl.at)
		ws.close()
		switch outcome {
		case interrupted:
			return 0, errRestartNoHand
		case timedOut:
			return 0, t.copyOut(addr, raw) // revents all zero
		}
	}
}

// The readiness select(2) counts in each of its three sets.
const (
	selectIn  = poll.In | poll.Hup | poll.Err | poll.Events(pollRdNorm|pollRdBand)
	selectOut = poll.Out | poll.Err | poll.Events(pollWrNorm|pollWrBand)
	selectEx  = poll.Pri
)

func sysSelect(t *Thread, a sysArgs) (uint64, error) {
	dl := deadline{never: true}
	if a[4] != 0 {
		var tv unix.Timeval
		if err := readStruct(t, a[4], &tv); err != nil {
			return 0, err
		}
		if tv.Sec < 0 || tv.Usec < 0 || tv.Usec >= 1e6 {
			return 0, unix.EINVAL
		}
		d := time.Duration(tv.Sec)*time.Second + time.Duration(tv.Usec)*time.Microsecond
		dl = deadline{now: d == 0, at: time.Now().Add(d)}
	}
	n, err := t.selectFDs(a[0], a[1], a[2], a[3], dl)
	if a[4] != 0 && !dl.now {
		// Linux writes back the time left.
		left := max(time.Until(dl.at), 0)
		tv := unix.NsecToTimeval(left.Nanoseconds())
		writeStruct(t, a[4], &tv)
	}
	return n, err
}

func sysPselect6(t *Thread, a sysArgs) (uint64, error) {
	dl, err := t.timespecDeadline(a[4])
	if err != nil {
		return 0, err
	}
	if a[5] != 0 {
		// struct { const sigset_t *ss; size_t ss_len; }
		var arg [2]uint64
		if err := readStruct(t, a[5], &arg); err != nil {
			return 0, err
		}
		if err := t.maskArg(arg[0], arg[1]); err != nil {
			return 0, err
		}
	}
	return t.selectFDs(a[0], a[1], a[2], a[3], dl)
}

func (t *Thread) selectFDs(nArg, inAddr, outAddr, exAddr uint64, dl deadline) (uint64, error) {
	n := int(int32(nArg))
	if n < 0 {
		return 0, unix.EINVAL
	}
	n = min(n, maxFDs)
	words := (n + 63) / 64
	var sets [3][]uint64
	for i, addr := range []uint64{inAddr, outAddr, exAddr} {
		if addr == 0 {
			continue
		}
		sets[i] = make([]uint64, words)
		raw := make([]byte, words*8)
		if err := t.copyIn(addr, raw); err != nil {
			return 0, err
		}
		for w := range sets[i] {
			sets[i][w] = binary.LittleEndian.Uint64(raw[w*8:])
		}
	}
	masks := [3]poll.Events{selectIn, selectOut, selectEx}
	files := map[int]*openFile{}
	defer func() {
		for _, of := range files {
			of.put()
		}
	}()
	for fd := 0; fd < n; fd++ {
		for i := range sets {
			if sets[i] != nil && sets[i][fd/64]&(1<<(fd%64)) != 0 && files[fd] == nil {
				of, err := t.proc.fds.get(uint64(fd))
				if err != nil {
					return 0, unix.EBADF
				}
				files[fd] = of
			}
		}
	}
	for {
		ws := newWaitSet()
		var out [3][]uint64
		count := 0
		for i := range sets {
			if sets[i] != nil {
				out[i] = make([]uint64, words)
			}
		}
		for fd, of := range files {
			ev := pollReadiness(of)
			var want poll.Events
			for i := range sets {
				if sets[i] == nil || sets[i][fd/64]&(1<<(fd%64)) == 0 {
					continue
				}
				want |= masks[i]
				if ev&masks[i] != 0 {
					out[i][fd/64] |= 1 << (fd % 64)
					count++
				}
			}
			if pf, ok := of.File.(pollable); ok {
				ws.add(pf, want)
			}
		}
		if count > 0 || dl.now {
			ws.close()
			return uint64(count), t.writeFDSets(out, [3]uint64{inAddr, outAddr, exAddr})
		}
		outcome := t.sleep(ws, dl.at)
		ws.close()
		switch outcome {
		case interrupted:
			return 0, errRestartNoHand
		case timedOut:
			return 0, t.writeFDSets(out, [3]uint64{inAddr, outAddr, exAddr})
		}
	}
}

func (t *Thread) writeFDSets(sets [3][]uint64, addrs [3]uint64) error {
	for i, s := range sets {
		if s == nil {
			continue
		}
		raw := make([]byte, len(s)*8)
		for w, v := range s {
			binary.LittleEndian.PutUint64(raw[w*8:], v)
		}
		if err := t.copyOut(addrs[i], raw); err != nil {
			return err
		}
	}
	return nil
}
