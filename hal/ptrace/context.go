package ptrace

import (
	"sync/atomic"
	"unsafe"

	"golang.org/x/sys/unix"

	"quartz/hal"
)

// kickSignal is the host signal Interrupt sends to a running stub thread
// to bring it back into a ptrace stop. Guests never see host signals, so
// the choice only has to avoid signals the host itself raises.
const kickSignal = unix.SIGSTKFLT

// context is a guest thread: one stub thread in the address space it runs
// in, traced by the OS thread of the goroutine that owns the context.
type context struct {
	as  *addressSpace // address space of the current stub thread, or nil
	pid int           // its stub process
	tid int           // the stub thread

	target  atomic.Uint64 // pid<<32 | tid, for Interrupt from other goroutines
	running atomic.Bool   // inside Run, guest possibly executing
	pending atomic.Bool   // Interrupt was called and not yet reported
}

var _ hal.Context = (*context)(nil)

// bind gives the context a stub thread in as, leaving any previous one.
func (c *context) bind(as *addressSpace) error {
	c.leave()
	tid, err := as.stub.newThread()
	if err != nil {
		return err
	}
	if err := seize(tid); err != nil {
		return err
	}
	c.as, c.pid, c.tid = as, as.stub.pid, tid
	c.target.Store(uint64(c.pid)<<32 | uint64(tid))
	as.tracers.Store(unix.Gettid(), c)
	return nil
}

// leave makes the current stub thread exit, if the context has one.
func (c *context) leave() {
	if c.as == nil {
		return
	}
	tid := c.tid
	c.as.tracers.Delete(unix.Gettid())
	c.as, c.tid = nil, 0
	c.target.Store(0)
	r := hal.Registers{Rip: syscallAddr, Rax: unix.SYS_EXIT}
	sanitize(&r)
	if setRegs(tid, &r) == nil && ptrace(unix.PTRACE_CONT, tid, 0, 0) == nil {
		for {
			ws, err := wait(tid)
			if err != nil || ws.Exited() || ws.Signaled() {
				return
			}
			if ptrace(unix.PTRACE_CONT, tid, 0, 0) != nil {
				break
			}
		}
	}
	// The process is dying or dead: collect the thread's exit report.
	wait(tid)
}

func (c *context) Run(as hal.AddressSpace, regs *hal.Registers) hal.Trap {
	pas := as.(*addressSpace)
	if c.as != pas {
		if err := c.bind(pas); err != nil {
			return hal.Trap{Kind: hal.TrapExit}
		}
	}
	c.running.Store(true)
	defer c.running.Store(false)
	if c.pending.Swap(false) {
		return hal.Trap{Kind: hal.TrapInterrupt}
	}
	r := *regs
	sanitize(&r)
	if err := setRegs(c.tid, &r); err != nil {
		return c.exited()
	}
	for {
		if err := ptrace(ptraceSysemu, c.tid, 0, 0); err != nil {
			return c.exited()
		}
		ws, err := wait(c.tid)
		if err != nil || ws.Exited() || ws.Signaled() {
			return c.exited()
		}
		if !ws.Stopped() {
			continue
		}
		sig := ws.StopSignal()
		switch {
		case sig == syscallStopSignal:
			return c.trap(regs, hal.Trap{Kind: hal.TrapSyscall})
		case ws.TrapCause() == unix.PTRACE_EVENT_STOP:
			// A group stop or a stray interrupt: nothing for the guest.
			continue
		case sig == kickSignal:
			if c.pending.Swap(false) {
				return c.trap(regs, hal.Trap{Kind: hal.TrapInterrupt})
			}
			continue // a late kick whose interrupt was already reported
		case isFault(sig):
			var si unix.Siginfo
			if err := getSiginfo(c.tid, &si); err != nil {
				return c.exited()
			}
			return c.trap(regs, hal.Trap{Kind: hal.TrapFault, Fault: faultInfo(sig, &si)})
		default:
			// Any other host signal is not the guest's business.
			continue
		}
	}
}

// trap reads the registers at a stop and returns t.
func (c *context) trap(regs *hal.Registers, t hal.Trap) hal.Trap {
	if err := getRegs(c.tid, regs); err != nil {
		return c.exited()
	}
	return t
}

// exited forgets a stub thread that can no longer run.
func (c *context) exited() hal.Trap {
	if c.as != nil {
		c.as.tracers.Delete(unix.Gettid())
	}
	c.as, c.tid = nil, 0
	c.target.Store(0)
	return hal.Trap{Kind: hal.TrapExit}
}

func isFault(sig unix.Signal) bool {
	switch sig {
	case unix.SIGSEGV, unix.SIGBUS, unix.SIGFPE, unix.SIGILL, unix.SIGTRAP:
		return true
	}
	return false
}

func faultInfo(sig unix.Signal, si *unix.Siginfo) hal.FaultInfo {
	// siginfo: signo, errno, code (int32 each), then a union whose first
	// field for fault signals is si_addr.
	return hal.FaultInfo{Signal: int(sig), Code: si.Code, Addr: siginfoAddr(si)}
}

func (c *context) Interrupt() {
	c.pending.Store(true)
	if t := c.target.Load(); c.running.Load() && t != 0 {
		unix.Tgkill(int(t>>32), int(uint32(t)), kickSignal)
	}
}

func (c *context) FPState(f *hal.FPState) error {
	if c.tid == 0 {
		return unix.ESRCH
	}
	return getFPRegs(c.tid, f)
}

func (c *context) SetFPState(f *hal.FPState) error {
	if c.tid == 0 {
		return unix.ESRCH
	}
	return setFPRegs(c.tid, f)
}

func (c *context) Release() { c.leave() }

// siginfoAddr returns si_addr: for fault signals the union after the
// three leading int32 fields (and padding) starts with it.
func siginfoAddr(si *unix.Siginfo) uint64 {
	return *(*uint64)(unsafe.Add(unsafe.Pointer(si), 16))
}

// inject runs a system call on the context's own stub thread, which is in
// a ptrace stop because its goroutine is here and not in Run. The
// registers are clobbered freely: Run sets them all before resuming.
func (c *context) inject(nr uintptr, args []uint64) (uint64, error) {
	var a [6]uint64
	copy(a[:], args)
	r := hal.Registers{Rip: syscallAddr, Rax: uint64(nr),
		Rdi: a[0], Rsi: a[1], Rdx: a[2], R10: a[3], R8: a[4], R9: a[5]}
	sanitize(&r)
	if err := setRegs(c.tid, &r); err != nil {
		return 0, errStubGone
	}
	if err := ptrace(unix.PTRACE_CONT, c.tid, 0, 0); err != nil {
		return 0, errStubGone
	}
	for {
		ws, err := wait(c.tid)
		if err != nil || ws.Exited() || ws.Signaled() {
			return 0, errStubGone
		}
		if ws.Stopped() && ws.StopSignal() == unix.SIGTRAP && ws.TrapCause() <= 0 {
			break // the int3 after the call
		}
		// A kick or a stray signal: its interrupt stays pending in
		// c.pending for the next Run; here it is only suppressed.
		if err := ptrace(unix.PTRACE_CONT, c.tid, 0, 0); err != nil {
			return 0, errStubGone
		}
	}
	if err := getRegs(c.tid, &r); err != nil {
		return 0, errStubGone
	}
	if int64(r.Rax) < 0 && int64(r.Rax) > -4096 {
		return 0, unix.Errno(-int64(r.Rax))
	}
	return r.Rax, nil
}
