package linux

import (
	"encoding/binary"
	"sync"

	"golang.org/x/sys/unix"

	"quartz/hal"
)

const numSignals = 64

// sigAction is a struct sigaction as x86-64 Linux keeps it.
type sigAction struct {
	Handler  uint64
	Flags    uint64
	Restorer uint64
	Mask     uint64
}

const (
	sigDFL = 0
	sigIGN = 1

	saNocldstop = 0x1
	saNocldwait = 0x2
	saSiginfo   = 0x4
	saOnstack   = 0x08000000
	saRestart   = 0x10000000
	saNodefer   = 0x40000000
	saResethand = 0x80000000
	saRestorer  = 0x04000000
)

// sigActions is a process's signal dispositions.
type sigActions struct {
	mu      sync.Mutex
	actions [numSignals + 1]sigAction
}

func (s *sigActions) get(sig int) sigAction {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.actions[sig]
}

// clone returns a copy for a new process (fork without CLONE_SIGHAND).
func (s *sigActions) clone() *sigActions {
	s.mu.Lock()
	defer s.mu.Unlock()
	return &sigActions{actions: s.actions}
}

// resetForExec is what execve does to the dispositions (Linux's
// flush_signal_handlers): caught signals go back to SIG_DFL, ignored
// ones stay ignored, and flags and masks are cleared.
func (s *sigActions) resetForExec() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.actions {
		a := &s.actions[i]
		if a.Handler != sigIGN {
			a.Handler = sigDFL
		}
		a.Flags, a.Restorer, a.Mask = 0, 0, 0
	}
}

// ignores reports whether a signal sent now would be discarded at once:
// ignored explicitly, or by default.
func (s *sigActions) ignores(sig int) bool {
	if unix.Signal(sig) == unix.SIGKILL || unix.Signal(sig) == unix.SIGSTOP {
		return false
	}
	act := s.get(sig)
	return act.Handler == sigIGN || act.Handler == sigDFL && defaultIgnored(sig)
}

func sigBit(sig int) uint64 { return 1 << (sig - 1) }

// unblockable signals cannot be masked, caught or ignored.
const unblockable = 1<<(unix.SIGKILL-1) | 1<<(unix.SIGSTOP-1)

// defaultIgnored signals are dropped when their disposition is default.
func defaultIgnored(sig int) bool {
	switch unix.Signal(sig) {
	case unix.SIGCHLD, unix.SIGURG, unix.SIGWINCH, unix.SIGCONT:
		return true
	}
	return false
}

// siginfo is the 128-byte siginfo_t.
type siginfo [128]byte

func newSiginfo(sig int, code int32) siginfo {
	var si siginfo
	binary.LittleEndian.PutUint32(si[0:], uint32(sig))
	binary.LittleEndian.PutUint32(si[8:], uint32(code))
	return si
}

// withSender fills si_pid and si_uid (kill, tgkill, sigqueue).
func (si siginfo) withSender(pid, uid int) siginfo {
	binary.LittleEndian.PutUint32(si[16:], uint32(pid))
	binary.LittleEndian.PutUint32(si[20:], uint32(uid))
	return si
}

// withAddr fills si_addr (faults).
func (si siginfo) withAddr(addr uint64) siginfo {
	binary.LittleEndian.PutUint64(si[16:], addr)
	return si
}

const (
	siUser   = 0
	siTkill  = -6
	siKernel = 0x80
)

// pendingSignals is a thread's queue of signals not yet delivered: one
// instance of each, as for Linux's standard signals.
type pendingSignals struct {
	mu   sync.Mutex
	set  uint64
	info [numSignals + 1]siginfo
	from [numSignals + 1]signalSource
}

// signalSource is the timer that queued a signal, and the signal's
// number among the timers' signals; zero for other senders.
type signalSource struct {
	timer *timer
	seq   uint64
}

// send queues sig for t and wakes it from the guest or a blocking call.
func (t *Thread) send(sig int, si siginfo) { t.sendFrom(sig, si, signalSource{}) }

// sendFrom is send for a signal from src.
func (t *Thread) sendFrom(sig int, si siginfo, src signalSource) {
	t.pending.mu.Lock()
	if t.pending.set&sigBit(sig) == 0 {
		t.pending.set |= sigBit(sig)
		t.pending.info[sig] = si
		t.pending.from[sig] = src
	}
	t.pending.mu.Unlock()
	select {
	case t.signalled <- struct{}{}:
	default:
	}
	t.proc.signalPollee.Notify() // signalfd readers
	t.interrupt()
}

// takeSignal removes and returns the lowest pending signal that the mask
// does not block.
func (t *Thread) takeSignal() (int, siginfo, bool) {
	return t.takeSignalIn(^(t.sigMask &^ unblockable))
}

// takeSignalIn removes and returns the lowest pending signal in set. A
// timer's signal goes by its timer first, which may withdraw it.
func (t *Thread) takeSignalIn(set uint64) (int, siginfo, bool) {
	for {
		sig, si, src, ok := t.dequeueIn(set)
		if !ok || src.timer == nil || src.timer.taken(&si, src.seq) {
			return sig, si, ok
		}
	}
}

func (t *Thread) dequeueIn(set uint64) (int, siginfo, signalSource, bool) {
	t.pending.mu.Lock()
	defer t.pending.mu.Unlock()
	ready := t.pending.set & set
	for sig := 1; sig <= numSignals; sig++ {
		if ready&sigBit(sig) != 0 {
			t.pending.set &^= sigBit(sig)
			return sig, t.pending.info[sig], t.pending.from[sig], true
		}
	}
	return 0, siginfo{}, signalSource{}, false
}

// addOverrun reports whether the signal src queued is still pending at
// t; if so, and count is set, it adds n to the signal's si_overrun.
func (t *Thread) addOverrun(sig int, src signalSource, n int64, count bool) bool {
	t.pending.mu.Lock()
	defer t.pending.mu.Unlock()
	if t.pending.set&sigBit(sig) == 0 || t.pending.from[sig] != src {
		return false
	}
	if count {
		si := &t.pending.info[sig]
		si.setOverrun(int32(clampOverrun(int64(si.overrun()) + n)))
	}
	return true
}

// setMask changes the thread's signal mask (SIGKILL and SIGSTOP cannot
// be blocked). Only the thread itself calls it.
func (t *Thread) setMask(m uint64) {
	t.pending.mu.Lock()
	t.sigMask = m &^ unblockable
	t.pending.mu.Unlock()
}

// setTemporaryMask installs a signal mask for the duration of a call
// (rt_sigsuspend, ppoll, pselect6, epoll_pwait): the old mask comes back
// when the call returns, or, when it returns with EINTR and a handler
// runs, when the handler returns (the handler's frame saves the old
// mask). Finish with restoreMaskUnless.
func (t *Thread) setTemporaryMask(m uint64) {
	if !t.restoreMask {
		t.savedMask = t.sigMask
		t.restoreMask = true
	}
	t.setMask(m)
}

// restoreMaskUnless puts back the mask saved by setTemporaryMask now,
// unless the call was interrupted: then signal delivery does it.
func (t *Thread) restoreMaskUnless(interrupted bool) {
	if t.restoreMask && !interrupted {
		t.restoreMask = false
		t.setMask(t.savedMask)
	}
}

// blocks reports whether t blocks sig; any goroutine may ask.
func (t *Thread) blocks(sig int) bool {
	t.pending.mu.Lock()
	defer t.pending.mu.Unlock()
	return t.sigMask&sigBit(sig) != 0
}

// sendSignal sends a process-directed signal. As Linux's complete_signal
// does, it goes to the main thread if that does not block it, else to
// another thread that does not (a thread waiting for it in
// rt_sigtimedwait counts as one), else it waits at the main thread until
// unblocked. A process without threads (exiting, a zombie) drops it.
func (p *Process) sendSignal(sig int, si siginfo) {
	if sig == 0 {
		return
	}
	if target := p.signalTarget(sig); target != nil {
		signalThread(target, uint64(sig), si)
	}
}

// signalTarget chooses the thread that takes a process-directed sig, as
// sendSignal describes; nil when the process has no threads.
func (p *Process) signalTarget(sig int) *Thread {
	p.mu.Lock()
	var target, fallback *Thread
	if main := p.threads[p.pid]; main != nil {
		fallback = main
		if !main.blocks(sig) || main.sigWaiting.Load()&sigBit(sig) != 0 {
			target = main
		}
	}
	if target == nil {
		for _, t := range p.threads {
			if fallback == nil || t.tid < fallback.tid {
				fallback = t
			}
			if !t.blocks(sig) || t.sigWaiting.Load()&sigBit(sig) != 0 {
				target = t
				break
			}
		}
	}
	if target == nil {
		target = fallback
	}
	p.mu.Unlock()
	return target
}

// hasDeliverable reports whether an unblocked signal is pending.
func (t *Thread) hasDeliverable() bool {
	t.pending.mu.Lock()
	defer t.pending.mu.Unlock()
	return t.pending.set&^(t.sigMask&^unblockable) != 0
}

// deliverSignals acts on every pending unblocked signal before the thread
// returns to the guest: default actions, or a handler frame.
func (t *Thread) deliverSignals() {
	defer t.restoreMaskUnless(false) // no handler ran: the call's mask goes
	for !t.proc.isDying() && !t.zapped.Load() {
		sig, si, ok := t.takeSignal()
		if !ok {
			return
		}
		act := t.proc.sig.get(sig)
		switch {
		case unix.Signal(sig) == unix.SIGKILL || act.Handler == sigDFL:
			if isStopSignal(sig) {
				t.groupStop(sig)
				return // park first; the rest after SIGCONT
			}
			if !defaultIgnored(sig) {
				t.proc.killBySignal(unix.Signal(sig))
			}
		case act.Handler == sigIGN:
		default:
			if err := t.setupFrame(sig, si, act); err != nil {
				// No room for the frame: Linux forces SIGSEGV.
				t.proc.killBySignal(unix.SIGSEGV)
			}
			return // one frame at a time; the rest after the handler
		}
	}
}

// Layout of the x86-64 struct rt_sigframe.
const (
	ucOffset       = 8                  // after pretcode
	ucStackOffset  = ucOffset + 16      // uc_flags, uc_link
	mcontextOffset = ucStackOffset + 24 // after stack_t
	ucMaskOffset   = mcontextOffset + 256
	infoOffset     = ucMaskOffset + 8 + 8 // sigset, then padding to 8-aligned siginfo
	frameSize      = infoOffset + 128
	fpStateSize    = 512

	ucFlags = 0x6 // UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS
)

// sigcontext field order, as 8-byte slots from the start of uc_mcontext.
func sigcontextRegs(r *hal.Registers) []*uint64 {
	return []*uint64{&r.R8, &r.R9, &r.R10, &r.R11, &r.R12, &r.R13, &r.R14, &r.R15,
		&r.Rdi, &r.Rsi, &r.Rbp, &r.Rbx, &r.Rdx, &r.Rax, &r.Rcx, &r.Rsp, &r.Rip, &r.Eflags}
}

// setupFrame builds the signal frame on the guest stack and points the
// registers at the handler, as Linux's x64_setup_rt_frame does.
func (t *Thread) setupFrame(sig int, si siginfo, act sigAction) error {
	if act.Flags&saRestorer == 0 {
		return unix.EFAULT // x86-64 has no default restorer
	}
	r := t.regs
	sp := r.Rsp - 128 // the red zone stays intact
	onAlt := t.onAltStack(r.Rsp)
	if act.Flags&saOnstack != 0 && t.altStack.Flags&ssDisable == 0 && !onAlt {
		sp = t.altStack.Sp + t.altStack.Size
	}
	fpAddr := (sp - fpStateSize) &^ 63
	frame := ((fpAddr - frameSize) &^ 15) - 8

	var fp hal.FPState
	if t.ctx == nil || t.ctx.FPState(&fp) != nil {
		return unix.EFAULT
	}
	buf := make([]byte, frameSize)
	le := binary.LittleEndian
	le.PutUint64(buf[0:], act.Restorer)
	le.PutUint64(buf[ucOffset:], ucFlags)
	le.PutUint64(buf[ucStackOffset:], t.altStack.Sp)
	ssFlags := uint32(t.altStack.Flags)
	if onAlt {
		ssFlags |= ssOnstack
	}
	le.PutUint32(buf[ucStackOffset+8:], ssFlags)
	le.PutUint64(buf[ucStackOffset+16:], t.altStack.Size)
	mc := buf[mcontextOffset:]
	for i, p := range sigcontextRegs(&r) {
		le.PutUint64(mc[i*8:], *p)
	}
	le.PutUint16(mc[144:], 0x33) // cs
	le.PutUint16(mc[150:], 0x2b) // ss
	le.PutUint64(mc[160:], 14)   // trapno: page fault for faults, as good as any
	oldMask := t.sigMask
	if t.restoreMask {
		oldMask = t.savedMask // the mask from before rt_sigsuspend
	}
	le.PutUint64(mc[168:], oldMask)
	le.PutUint64(mc[184:], fpAddr)
	le.PutUint64(buf[ucMaskOffset:], oldMask)
	copy(buf[infoOffset:], si[:])
	if err := t.copyOut(fpAddr, fp[:]); err != nil {
		return err
	}
	if err := t.copyOut(frame, buf); err != nil {
		return err
	}

	newMask := t.sigMask | act.Mask
	if act.Flags&saNodefer == 0 {
		newMask |= sigBit(sig)
	}
	t.setMask(newMask)
	t.restoreMask = false // the frame holds the mask to go back to
	if act.Flags&saResethand != 0 {
		t.proc.sig.mu.Lock()
		t.proc.sig.actions[sig] = sigAction{}
		t.proc.sig.mu.Unlock()
	}
	t.regs.Rsp = frame
	t.regs.Rip = act.Handler
	t.regs.Rdi = uint64(sig)
	t.regs.Rsi = frame + infoOffset
	t.regs.Rdx = frame + ucOffset
	t.regs.Rax = 0
	t.regs.Eflags &^= 0x400 | 0x100 // DF, TF
	return nil
}

// sigreturn restores the state saved by setupFrame.
func (t *Thread) sigreturn() error {
	frame := t.regs.Rsp - 8 // the handler's ret popped pretcode
	buf := make([]byte, frameSize)
	if err := t.copyIn(frame, buf); err != nil {
		return err
	}
	le := binary.LittleEndian
	mc := buf[mcontextOffset:]
	r := t.regs
	for i, p := range sigcontextRegs(&r) {
		*p = le.Uint64(mc[i*8:])
	}
	// Only the flags a user may change survive (Linux's FIX_EFLAGS).
	const userFlags = 0x1 | 0x4 | 0x10 | 0x40 | 0x80 | 0x100 | 0x400 | 0x800 | 0x40000 | 0x200000 | 0x4000 | 0x10000
	r.Eflags = t.regs.Eflags&^userFlags | r.Eflags&userFlags
	if fpAddr := le.Uint64(mc[184:]); fpAddr != 0 {
		var fp hal.FPState
		if err := t.copyIn(fpAddr, fp[:]); err != nil {
			return err
		}
		if t.ctx != nil {
			t.ctx.SetFPState(&fp)
		}
	}
	t.setMask(le.Uint64(buf[ucMaskOffset:]))
	t.regs = r
	return nil
}

func (t *Thread) onAltStack(sp uint64) bool {
	base := t.altStack.Sp
	return t.altStack.Size != 0 && sp > base && sp <= base+t.altStack.Size
}

// stackT is stack_t: an alternate signal stack.
type stackT struct {
	Sp    uint64
	Flags int32
	_     int32
	Size  uint64
}

const (
	ssOnstack = 1
	ssDisable = 2
)
