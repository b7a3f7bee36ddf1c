package linux

import (
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
	s := &t.proc.sig
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
	if newAddr != 0 && act.Handler == sigIGN {
		t.discardPending(int(sig))
	}
	return 0, nil
}

// discardPending drops a pending signal that became ignored.
func (t *Thread) discardPending(sig int) {
	t.pending.mu.Lock()
	t.pending.set &^= sigBit(sig)
	t.pending.mu.Unlock()
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
			t.sigMask |= set
		case unix.SIG_UNBLOCK:
			t.sigMask &^= set
		case unix.SIG_SETMASK:
			t.sigMask = set
		default:
			return 0, unix.EINVAL
		}
		t.sigMask &^= unblockable
	}
	if oldAddr != 0 {
		if err := t.writeUint64(oldAddr, old); err != nil {
			t.sigMask = old
			return 0, err
		}
	}
	return 0, nil
}

func sysRtSigreturn(t *Thread, a sysArgs) (uint64, error) {
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
// checks that the target exists.
func signalThread(target *Thread, sig uint64, si siginfo) error {
	if sig == 0 {
		return nil
	}
	act := target.proc.sig.get(int(sig))
	if act.Handler == sigIGN || (act.Handler == sigDFL && defaultIgnored(int(sig))) {
		return nil // discarded at once, as Linux does
	}
	target.send(int(sig), si)
	return nil
}

func sysKill(t *Thread, a sysArgs) (uint64, error) {
	pid, sig := int64(int32(a[0])), a[1]
	if sig > numSignals {
		return 0, unix.EINVAL
	}
	// One process exists so far: the caller's. Its pid, its process
	// group (0, -pid) and "everyone" (-1) all mean it.
	p := t.proc
	if pid != int64(p.pid) && pid != 0 && pid != -1 && pid != -int64(p.pid) {
		return 0, unix.ESRCH
	}
	si := newSiginfo(int(sig), siUser).withSender(p.pid, 0)
	// A process-directed signal goes to a thread that does not block it,
	// preferably the caller.
	target := t
	if t.sigMask&sigBit(int(max(sig, 1))) != 0 {
		p.mu.Lock()
		for _, o := range p.threads {
			if o.sigMask&sigBit(int(max(sig, 1))) == 0 {
				target = o
				break
			}
		}
		p.mu.Unlock()
	}
	return 0, signalThread(target, sig, si)
}

func sysTkill(t *Thread, a sysArgs) (uint64, error) {
	return sysTgkill(t, sysArgs{uint64(t.proc.pid), a[0], a[1]})
}

func sysTgkill(t *Thread, a sysArgs) (uint64, error) {
	tgid, tid, sig := int64(int32(a[0])), int64(int32(a[1])), a[2]
	if tgid <= 0 || tid <= 0 || sig > numSignals {
		return 0, unix.EINVAL
	}
	if tgid != int64(t.proc.pid) {
		return 0, unix.ESRCH
	}
	target := t.proc.thread(int(tid))
	if target == nil {
		return 0, unix.ESRCH
	}
	return 0, signalThread(target, sig, newSiginfo(int(sig), siTkill).withSender(t.proc.pid, 0))
}

func sysRtSigpending(t *Thread, a sysArgs) (uint64, error) {
	if a[1] != 8 {
		return 0, unix.EINVAL
	}
	t.pending.mu.Lock()
	set := t.pending.set & t.sigMask
	t.pending.mu.Unlock()
	return 0, t.writeUint64(a[0], set)
}
