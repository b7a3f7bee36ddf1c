package linux

import (
	"runtime"
	"sync"
	"sync/atomic"

	"golang.org/x/sys/unix"

	"quartz/hal"
)

// Thread is a guest thread: registers, a platform context, and the
// per-thread state Linux keeps.
type Thread struct {
	tid  int
	proc *Process
	regs hal.Registers

	ctxMu sync.Mutex
	ctx   hal.Context // set while the thread runs, for interrupt

	clearChildTID uint64 // CLONE_CHILD_CLEARTID / set_tid_address
	robustList    uint64
	robustLen     uint64

	// sigMask is written only by the thread itself, under pending.mu, so
	// that senders in other goroutines can read it under that lock.
	sigMask uint64
	// savedMask is the mask to restore after a call that changed it for
	// its duration (rt_sigsuspend): restoreMask says it is set. The signal
	// frame of a handler run meanwhile saves it instead of sigMask.
	savedMask   uint64
	restoreMask bool
	// sigWaiting is the set rt_sigtimedwait waits for, while it waits.
	sigWaiting atomic.Uint64
	// zapped: another thread's execve is ending this one.
	zapped    atomic.Bool
	altStack  stackT
	pending   pendingSignals
	signalled chan struct{} // a signal arrived: blocking calls wake up
	// sleeping counts the blocking waits the thread is in (state S).
	sleeping atomic.Int32

	// cpu is the thread's CPU time (CLOCK_THREAD_CPUTIME_ID).
	cpu cpuClock
	// restart is what restart_syscall(2) carries on with, after a sleep
	// that a signal without a handler interrupted.
	restart func(*Thread) (uint64, error)

	exitCode  int
	lastFault faultRecord
	name      string // comm, for prctl(PR_GET_NAME)
}

// run is the thread's life: enter the guest, handle what it traps for,
// and go back, until the thread or its process exits.
func (t *Thread) run() {
	// The goroutine keeps its OS thread to the end: the platform ties the
	// guest thread to it, and ending the OS thread with the goroutine
	// drops every host resource bound to it.
	runtime.LockOSThread()
	ctx, err := t.proc.k.platform.NewContext()
	if err != nil {
		t.proc.exitGroup(ExitStatus{Signal: unix.SIGKILL})
		t.proc.threadExited(t, 0)
		return
	}
	t.ctxMu.Lock()
	t.ctx = ctx
	t.ctxMu.Unlock()
	code, exited := t.loop(ctx)
	t.ctxMu.Lock()
	t.ctx = nil
	t.ctxMu.Unlock()
	ctx.Release()
	// However the thread ends (exit, exit_group, the process dying), its
	// robust futexes are released first, as Linux's mm_release does.
	t.exitRobustList()
	if exited {
		t.clearTID()
	}
	t.proc.threadExited(t, code)
}

// loop runs the guest until the thread exits (exited true, with its code)
// or the process dies around it.
func (t *Thread) loop(ctx hal.Context) (code int, exited bool) {
	for {
		t.deliverSignals()
		if t.proc.isDying() || t.zapped.Load() {
			return 0, false
		}
		if t.proc.stopFlag.Load() {
			t.waitWhileStopped()
			continue // signals may have come meanwhile
		}
		t.enterGuest()
		trap := ctx.Run(t.proc.mm.AddressSpace(), &t.regs)
		t.leaveGuest()
		if trap.Kind != hal.TrapFault {
			t.lastFault = faultRecord{}
		}
		switch trap.Kind {
		case hal.TrapSyscall:
			if done, code := t.syscall(); done {
				return code, true
			}
		case hal.TrapFault:
			if t.faultRepeats(trap.Fault) || !t.proc.mm.HandleFault(trap.Fault, t.tid) {
				t.forceFault(trap.Fault)
			}
			continue
		case hal.TrapInterrupt:
		case hal.TrapExit:
			t.proc.killBySignal(unix.SIGKILL)
			return 0, false
		}
	}
}

// interrupt makes the thread come back from the guest or a blocking call.
func (t *Thread) interrupt() {
	t.ctxMu.Lock()
	defer t.ctxMu.Unlock()
	if t.ctx != nil {
		t.ctx.Interrupt()
	}
}

// clearTID does what CLONE_CHILD_CLEARTID promises at thread exit: zero
// the word and wake one futex waiter on it (pthread_join relies on it).
// Like Linux, it wakes the word as a shared futex.
func (t *Thread) clearTID() {
	if t.clearChildTID == 0 || t.proc.mm == nil {
		return
	}
	var zero [4]byte
	if _, err := t.proc.mm.CopyOut(t.clearChildTID, zero[:]); err == nil {
		t.proc.k.futexes.wake(t, t.clearChildTID, false, 1, ^uint32(0))
	}
}

// faultRecord identifies a fault, to notice one that recurs.
type faultRecord struct {
	rip, addr uint64
	code      int32
	count     int
}

// maxFaultRepeats is how often the same fault may recur with the memory
// manager claiming to have fixed it before it counts as a violation. A
// fault can legitimately recur once (another thread changed the page in
// between); an endless repeat is an access the guest may not make.
const maxFaultRepeats = 3

func (t *Thread) faultRepeats(f hal.FaultInfo) bool {
	r := faultRecord{rip: t.regs.Rip, addr: f.Addr, code: f.Code}
	if r.rip == t.lastFault.rip && r.addr == t.lastFault.addr && r.code == t.lastFault.code {
		r.count = t.lastFault.count + 1
	}
	t.lastFault = r
	return r.count >= maxFaultRepeats
}

// forceFault delivers the signal of a fault the guest cannot continue
// past. Like Linux's force_sig_fault, a blocked or ignored fault signal
// is unblocked and reset to its default action: the process dies.
func (t *Thread) forceFault(f hal.FaultInfo) {
	sig := f.Signal
	act := t.proc.sig.get(sig)
	if t.sigMask&sigBit(sig) != 0 || act.Handler == sigIGN {
		t.proc.sig.mu.Lock()
		t.proc.sig.actions[sig] = sigAction{}
		t.proc.sig.mu.Unlock()
		t.setMask(t.sigMask &^ sigBit(sig))
	}
	t.lastFault = faultRecord{}
	code := f.Code
	if sig == int(unix.SIGSEGV) && code == segvMapErr && t.proc.mm.Space().Mapped(f.Addr) {
		code = segvAccErr // mapped without access (PROT_NONE): Linux says ACCERR
	}
	si := newSiginfo(sig, code)
	if f.Code > 0 { // hardware faults carry the address; SI_KERNEL traps do not
		si = si.withAddr(f.Addr)
	}
	t.send(sig, si)
}
