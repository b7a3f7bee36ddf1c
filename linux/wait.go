package linux

import (
	"encoding/binary"

	"golang.org/x/sys/unix"
)

func init() {
	register(unix.SYS_WAIT4, sysWait4)
	register(unix.SYS_WAITID, sysWaitid)
}

// wait options.
const (
	wNohang    = 0x1
	wStopped   = 0x2 // WUNTRACED
	wExited    = 0x4
	wContinued = 0x8
	wNowait    = 0x1000000
	wNothread  = 0x20000000
	wAll       = 0x40000000
	wClone     = 0x80000000
)

// waitid id types.
const (
	pAll   = 0
	pPID   = 1
	pPGID  = 2
	pPIDFD = 3
)

// waitFor says which children a wait accepts.
type waitFor struct {
	idType  int
	id      int
	options uint32
}

// accepts reports whether child c is one the wait is for (Linux's
// eligible_child): by pid or group, and "clone" children (whose exit
// signal is not SIGCHLD) only with __WCLONE, all with __WALL. Call with
// tree.mu held.
func (w waitFor) accepts(c *Process) bool {
	switch w.idType {
	case pPID:
		if c.pid != w.id {
			return false
		}
	case pPGID:
		if c.pgid != w.id {
			return false
		}
	}
	if w.options&wAll != 0 {
		return true
	}
	return (c.exitSignal != int(unix.SIGCHLD)) == (w.options&wClone != 0)
}

// waitEvent is what a wait reports about a child: wait4's status word
// and waitid's siginfo.
type waitEvent struct {
	child  *Process
	status uint32
	info   siginfo
}

// event returns the change of c that w can report, if any, and consumes
// it unless WNOWAIT (a zombie is reaped): death first, then a stop, then
// a continue, as Linux's wait_consider_task looks. Call with tree.mu
// held.
func (w waitFor) event(c *Process) (waitEvent, bool) {
	consume := w.options&wNowait == 0
	switch {
	case c.zombie && w.options&wExited != 0:
		if consume {
			c.reap()
		}
		return waitEvent{c, c.waitStatus(), c.childInfo()}, true
	case c.waitStop && w.options&wStopped != 0:
		c.waitStop = c.waitStop && !consume
		return waitEvent{c, uint32(c.stopSig)<<8 | 0x7f, c.jobInfo(cldStopped, c.stopSig)}, true
	case c.waitCont && w.options&wContinued != 0:
		c.waitCont = c.waitCont && !consume
		return waitEvent{c, 0xffff, c.jobInfo(cldContinued, int(unix.SIGCONT))}, true
	}
	return waitEvent{}, false
}

// waitChild waits for a change (death, stop, continue) of a child that w
// accepts and returns it; with WNOHANG it returns a zero event when no
// child has one. ECHILD: no child is accepted at all. A signal
// interrupts the wait (errInterrupted: restarted after a handler with
// SA_RESTART).
func (t *Thread) waitChild(w waitFor) (waitEvent, error) {
	t.sleeping.Add(1) // /proc shows the thread sleeping (S)
	defer t.sleeping.Add(-1)
	p := t.proc
	k := p.k
	for {
		k.tree.mu.Lock()
		any := false
		for _, c := range p.children {
			if !w.accepts(c) {
				continue
			}
			any = true
			if ev, ok := w.event(c); ok {
				k.tree.mu.Unlock()
				return ev, nil
			}
		}
		event := p.childEvent
		k.tree.mu.Unlock()
		if !any {
			return waitEvent{}, unix.ECHILD
		}
		if w.options&wNohang != 0 {
			return waitEvent{}, nil
		}
		// As in Linux's do_wait, a child that is ready wins over a
		// signal: the signal interrupts only a scan that found nothing.
		if t.signalInterrupts() {
			return waitEvent{}, errInterrupted
		}
		select {
		case <-event:
		case <-t.signalled:
		case <-p.dying:
			return waitEvent{}, unix.EINTR
		}
	}
}

func sysWait4(t *Thread, a sysArgs) (uint64, error) {
	pid, statusAddr, options, rusageAddr := int(int32(a[0])), a[1], uint32(a[2]), a[3]
	if options&^(wNohang|wStopped|wContinued|wNothread|wClone|wAll) != 0 {
		return 0, unix.EINVAL
	}
	w := waitFor{options: options | wExited}
	switch {
	case pid == -1<<31:
		return 0, unix.ESRCH // -INT_MIN cannot be negated
	case pid > 0:
		w.idType, w.id = pPID, pid
	case pid == 0:
		w.idType, w.id = pPGID, t.processGroup()
	case pid < -1:
		w.idType, w.id = pPGID, -pid
	}
	ev, err := t.waitChild(w)
	if err != nil || ev.child == nil {
		return 0, err
	}
	// As in Linux, the child is reaped even when the status cannot be
	// stored.
	if statusAddr != 0 {
		if err := t.writeUint32(statusAddr, ev.status); err != nil {
			return 0, err
		}
	}
	if rusageAddr != 0 {
		var ru unix.Rusage
		if err := writeStruct(t, rusageAddr, &ru); err != nil {
			return 0, err
		}
	}
	return uint64(ev.child.pid), nil
}

func sysWaitid(t *Thread, a sysArgs) (uint64, error) {
	idType, id, infoAddr, options, rusageAddr := int(a[0]), int(int32(a[1])), a[2], uint32(a[3]), a[4]
	if options&^(wNohang|wStopped|wExited|wContinued|wNowait|wNothread|wClone|wAll) != 0 ||
		options&(wExited|wStopped|wContinued) == 0 {
		return 0, unix.EINVAL
	}
	w := waitFor{idType: idType, id: id, options: options}
	switch idType {
	case pAll:
	case pPID:
		if id <= 0 {
			return 0, unix.EINVAL
		}
	case pPGID:
		if id < 0 {
			return 0, unix.EINVAL
		}
		if id == 0 {
			w.id = t.processGroup()
		}
	default:
		return 0, unix.EINVAL // P_PIDFD needs pidfds, which Quartz does not have
	}
	ev, err := t.waitChild(w)
	if err != nil {
		return 0, err
	}
	if infoAddr != 0 {
		// siginfo for waitid: signo, errno, code, pid, uid, status; all
		// zero when WNOHANG found nothing.
		var b [28]byte
		if ev.child != nil {
			copy(b[:], ev.info[:28])
			binary.LittleEndian.PutUint32(b[0:], uint32(unix.SIGCHLD))
		}
		if err := t.copyOut(infoAddr, b[:]); err != nil {
			return 0, err
		}
	}
	if rusageAddr != 0 {
		var ru unix.Rusage
		if err := writeStruct(t, rusageAddr, &ru); err != nil {
			return 0, err
		}
	}
	return 0, nil
}

// processGroup is the caller's process group id.
func (t *Thread) processGroup() int {
	k := t.proc.k
	k.tree.mu.Lock()
	defer k.tree.mu.Unlock()
	return t.proc.pgid
}
