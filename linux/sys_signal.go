package linux

import (
	"encoding/binary"
	"time"

	"golang.org/x/sys/unix"
)

func init() {
	register(unix.SYS_RT_SIGACTION, sysRtSigaction)
	register(unix.SYS_RT_SIGPROCMASK, sysRtSigprocmask)
	register(unix.SYS_RT_SIGRETURN, sysRtSigreturn)
	register(unix.SYS_SIGALTSTACK, sysSigaltstack)
	register(unix.SYS_KILL, sysKill)
	register(unix.SYS_TKILL, sysTkill)
	register(unix.SYS_TGKILL, sysTgkill)
	register(unix.SYS_RT_SIGPENDING, sysRtSigpending)
	register(unix.SYS_RT_SIGSUSPEND, sysRtSigsuspend)
	register(unix.SYS_RT_SIGTIMEDWAIT, sysRtSigtimedwait)
	register(unix.SYS_RT_SIGQUEUEINFO, sysRtSigqueueinfo)
	register(unix.SYS_RT_TGSIGQUEUEINFO, sysRtTgsigqueueinfo)
	register(unix.SYS_PAUSE, sysPause)
}

func validSignal(sig uint64) bool { return sig >= 1 && sig <= numSignals }

func sysRtSigaction(t *Thread, a sysArgs) (uint64, error) {
	sig, newAddr, oldAddr, size := a[0], a[1], a[2], a[3]
	if size != 8 || !validSignal(sig) {
		return 0, unix.EINVAL
	}
	var act sigAction
	if newAddr != 0 {
		if err := readStruct(t, newAddr, &act); err != nil {
			return 0, err
		}
		if sig == uint64(unix.SIGKILL) || sig == uint64(unix.SIGSTOP) {
			return 0, unix.EINVAL
		}
	}
	s := t.proc.sig
	s.mu.Lock()
	old := s.actions[sig]
	if newAddr != 0 {
		act.Mask &^= unblockable
		s.actions[sig] = act
	}
	s.mu.Unlock()
	if oldAddr != 0 {
		if err := writeStruct(t, oldAddr, &old); err != nil {
			return 0, err
		}
	}
	if newAddr != 0 && (act.Handler == sigIGN || act.Handler == sigDFL && defaultIgnored(int(sig))) {
		// POSIX: a pending signal that becomes ignored is discarded,
		// blocked or not, in every thread.
		t.proc.discardPending(int(sig))
	}
	return 0, nil
}

// discardPending drops sig from the pending signals of every thread.
func (p *Process) discardPending(sig int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, t := range p.threads {
		t.pending.mu.Lock()
		t.pending.set &^= sigBit(sig)
		t.pending.mu.Unlock()
	}
}

func sysRtSigprocmask(t *Thread, a sysArgs) (uint64, error) {
	how, setAddr, oldAddr, size := a[0], a[1], a[2], a[3]
	if size != 8 {
		return 0, unix.EINVAL
	}
	old := t.sigMask
	if setAddr != 0 {
		set, err := t.readUint64(setAddr)
		if err != nil {
			return 0, err
		}
		switch how {
		case unix.SIG_BLOCK:
			t.setMask(old | set)
		case unix.SIG_UNBLOCK:
			t.setMask(old &^ set)
		case unix.SIG_SETMASK:
			t.setMask(set)
		default:
			return 0, unix.EINVAL
		}
	}
	if oldAddr != 0 {
		if err := t.writeUint64(oldAddr, old); err != nil {
			t.setMask(old)
			return 0, err
		}
	}
	return 0, nil
}

func sysRtSigreturn(t *Thread, a sysArgs) (uint64, error) {
	t.restart = nil // as Linux: restart_syscall after a handler only fails
	if err := t.sigreturn(); err != nil {
		t.proc.killBySignal(unix.SIGSEGV)
		return 0, errThreadExit
	}
	return 0, errRegsSet
}

const minSigStack = 2048 // MINSIGSTKSZ

func sysSigaltstack(t *Thread, a sysArgs) (uint64, error) {
	old := t.altStack
	if t.onAltStack(t.regs.Rsp) {
		old.Flags |= ssOnstack
	}
	if a[0] != 0 {
		var ss stackT
		if err := readStruct(t, a[0], &ss); err != nil {
			return 0, err
		}
		if t.onAltStack(t.regs.Rsp) {
			return 0, unix.EPERM
		}
		switch {
		case ss.Flags&^ssDisable != 0 && ss.Flags != ssOnstack:
			return 0, unix.EINVAL
		case ss.Flags&ssDisable != 0:
			t.altStack = stackT{Flags: ssDisable}
		case ss.Size < minSigStack:
			return 0, unix.ENOMEM
		default:
			t.altStack = stackT{Sp: ss.Sp, Size: ss.Size}
		}
	}
	if a[1] != 0 {
		if err := writeStruct(t, a[1], &old); err != nil {
			return 0, err
		}
	}
	return 0, nil
}

// signalThread sends sig to target as kill-like calls do; sig 0 only
// checks that the target exists. As in Linux, a signal that the target
// would ignore is discarded at once, unless the thread blocks it (the
// disposition may change before it is unblocked).
//
// A signal whose action is to end the process does so when it is sent,
// as Linux's complete_signal does; but only SIGKILL ends a stopped
// process: other signals wait for SIGCONT.
func signalThread(target *Thread, sig uint64, si siginfo) error {
	return signalThreadFrom(target, sig, si, signalSource{})
}

// signalThreadFrom is signalThread for a signal from src.
func signalThreadFrom(target *Thread, sig uint64, si siginfo, src signalSource) error {
	if sig == 0 {
		return nil
	}
	p := target.proc
	p.prepareSignal(int(sig))
	acts := p.sigs()
	blocked := target.blocks(int(sig))
	if acts.ignores(int(sig)) && !blocked {
		return nil
	}
	target.sendFrom(int(sig), si, src)
	if s := unix.Signal(sig); s == unix.SIGKILL || !blocked && !p.stopFlag.Load() &&
		!isStopSignal(int(sig)) && acts.get(int(sig)).Handler == sigDFL && !defaultIgnored(int(sig)) {
		p.killBySignal(s)
	}
	return nil
}

// killInfo is the siginfo of kill(2) from the calling thread.
func (t *Thread) killInfo(sig uint64, code int32) siginfo {
	return newSiginfo(int(sig), code).withSender(t.proc.pid, unix.Getuid())
}

// signalProcess sends a process-directed signal from t: kill(2),
// rt_sigqueueinfo. Sent to the caller's own process, it goes to the
// caller when the caller does not block it, as Linux's caller would
// dequeue it on its way back to user space.
func (t *Thread) signalProcess(target *Process, sig uint64, si siginfo) {
	if sig == 0 {
		return
	}
	if target == t.proc && !t.blocks(int(sig)) {
		signalThread(t, sig, si)
		return
	}
	target.sendSignal(int(sig), si)
}

func sysKill(t *Thread, a sysArgs) (uint64, error) {
	pid, sig := int(int32(a[0])), a[1]
	if sig > numSignals {
		return 0, unix.EINVAL
	}
	si := t.killInfo(sig, siUser)
	k := t.proc.k
	var targets []*Process
	k.tree.mu.Lock()
	switch {
	case pid > 0:
		if p := k.tree.lookupProcess(pid); p != nil {
			targets = append(targets, p)
		}
	case pid == 0:
		targets = k.tree.groupMembers(t.proc.pgid)
	case pid == -1:
		// Everyone but init and the caller.
		for _, p := range k.tree.procs {
			if p != t.proc && p != k.tree.init && !p.reaped {
				targets = append(targets, p)
			}
		}
	default:
		targets = k.tree.groupMembers(-pid)
	}
	k.tree.mu.Unlock()
	if len(targets) == 0 {
		return 0, unix.ESRCH
	}
	for _, p := range targets {
		t.signalProcess(p, sig, si)
	}
	return 0, nil
}

func sysTkill(t *Thread, a sysArgs) (uint64, error) {
	tid, sig := int(int32(a[0])), a[1]
	if tid <= 0 || sig > numSignals {
		return 0, unix.EINVAL
	}
	target := t.proc.k.findThread(tid)
	if target == nil {
		return 0, unix.ESRCH
	}
	return 0, signalThread(target, sig, t.killInfo(sig, siTkill))
}

func sysTgkill(t *Thread, a sysArgs) (uint64, error) {
	tgid, tid, sig := int(int32(a[0])), int(int32(a[1])), a[2]
	if tgid <= 0 || tid <= 0 || sig > numSignals {
		return 0, unix.EINVAL
	}
	target := t.proc.k.findThread(tid)
	if target == nil || target.proc.pid != tgid {
		return 0, unix.ESRCH
	}
	return 0, signalThread(target, sig, t.killInfo(sig, siTkill))
}

// queuedInfo reads the siginfo of rt_sigqueueinfo and rt_tgsigqueueinfo.
// Only the kernel may claim to be kill or tgkill (si_code >= 0 or
// SI_TKILL) towards another process.
func (t *Thread) queuedInfo(pid int, sig uint64, addr uint64) (siginfo, error) {
	var si siginfo
	if err := t.copyIn(addr, si[:]); err != nil {
		return si, err
	}
	code := int32(binary.LittleEndian.Uint32(si[8:]))
	if (code >= 0 || code == siTkill) && pid != t.proc.pid {
		return si, unix.EPERM
	}
	binary.LittleEndian.PutUint32(si[0:], uint32(sig))
	return si, nil
}

func sysRtSigqueueinfo(t *Thread, a sysArgs) (uint64, error) {
	pid, sig := int(int32(a[0])), a[1]
	if sig > numSignals {
		return 0, unix.EINVAL
	}
	si, err := t.queuedInfo(pid, sig, a[2])
	if err != nil {
		return 0, err
	}
	target := t.proc.k.findProcess(pid)
	if target == nil || pid <= 0 {
		return 0, unix.ESRCH
	}
	t.signalProcess(target, sig, si)
	return 0, nil
}

func sysRtTgsigqueueinfo(t *Thread, a sysArgs) (uint64, error) {
	tgid, tid, sig := int(int32(a[0])), int(int32(a[1])), a[2]
	if tgid <= 0 || tid <= 0 || sig > numSignals {
		return 0, unix.EINVAL
	}
	si, err := t.queuedInfo(tgid, sig, a[3])
	if err != nil {
		return 0, err
	}
	target := t.proc.k.findThread(tid)
	if target == nil || target.proc.pid != tgid {
		return 0, unix.ESRCH
	}
	return 0, signalThread(target, sig, si)
}

func sysRtSigpending(t *Thread, a sysArgs) (uint64, error) {
	if a[1] > 8 {
		return 0, unix.EINVAL
	}
	t.pending.mu.Lock()
	set := t.pending.set & t.sigMask
	t.pending.mu.Unlock()
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], set)
	return 0, t.copyOut(a[0], b[:a[1]])
}

// sysRtSigsuspend waits with a temporary signal mask until a signal runs
// a handler or ends the process. It always fails with EINTR; the old mask
// comes back when the handler returns.
func sysRtSigsuspend(t *Thread, a sysArgs) (uint64, error) {
	if a[1] != 8 {
		return 0, unix.EINVAL
	}
	mask, err := t.readUint64(a[0])
	if err != nil {
		return 0, err
	}
	t.setTemporaryMask(mask)
	for !t.signalInterrupts() {
		select {
		case <-t.signalled:
		case <-t.proc.dying:
			t.restoreMaskUnless(false)
			return 0, unix.EINTR
		}
	}
	return 0, unix.EINTR
}

// sysPause waits until a signal runs a handler or ends the process. A
// stop and continue meanwhile do not end it (Linux's ERESTARTNOHAND).
func sysPause(t *Thread, a sysArgs) (uint64, error) {
	for !t.signalInterrupts() {
		select {
		case <-t.signalled:
		case <-t.proc.dying:
			return 0, unix.EINTR
		}
	}
	return 0, errRestartNoHand
}

// sysRtSigtimedwait takes a pending signal of the set, waiting for one
// at most the timeout: EAGAIN when it passes, EINTR when a signal outside
// the set runs a handler first.
func sysRtSigtimedwait(t *Thread, a sysArgs) (uint64, error) {
	if a[3] != 8 {
		return 0, unix.EINVAL
	}
	set, err := t.readUint64(a[0])
	if err != nil {
		return 0, err
	}
	set &^= unblockable
	var timeout <-chan time.Time
	if a[2] != 0 {
		d, _, err := readTimespec(t, a[2])
		if err != nil {
			return 0, err
		}
		timer := time.NewTimer(d)
		defer timer.Stop()
		timeout = timer.C
	}
	t.sigWaiting.Store(set)
	defer t.sigWaiting.Store(0)
	for {
		if sig, si, ok := t.takeSignalIn(set); ok {
			if a[1] != 0 {
				if err := t.copyOut(a[1], si[:]); err != nil {
					return 0, err
				}
			}
			return uint64(sig), nil
		}
		if t.signalInterrupts() {
			return 0, unix.EINTR
		}
		select {
		case <-t.signalled:
		case <-timeout:
			if sig, si, ok := t.takeSignalIn(set); ok {
				if a[1] != 0 {
					if err := t.copyOut(a[1], si[:]); err != nil {
						return 0, err
					}
				}
				return uint64(sig), nil
			}
			return 0, unix.EAGAIN
		case <-t.proc.dying:
			return 0, unix.EINTR
		}
	}
}
