package hal

import "fmt"

// TrapKind says why Context.Run returned.
type TrapKind int

const (
	// TrapSyscall: the guest executed a system-call instruction. The
	// registers hold the number (OrigRax) and arguments; Rip is already past
	// the instruction. Put the result in Rax and Run again.
	TrapSyscall TrapKind = iota
	// TrapFault: the guest touched memory it may not, or executed an
	// instruction that raised an exception. Trap.Fault describes it.
	TrapFault
	// TrapInterrupt: Interrupt was called, or the platform preempted the
	// guest. The registers are consistent; Run again to continue.
	TrapInterrupt
	// TrapExit: the context can no longer run (its host thread is gone).
	TrapExit
)

func (k TrapKind) String() string {
	switch k {
	case TrapSyscall:
		return "syscall"
	case TrapFault:
		return "fault"
	case TrapInterrupt:
		return "interrupt"
	case TrapExit:
		return "exit"
	}
	return fmt.Sprintf("TrapKind(%d)", int(k))
}

// Access is a kind of memory access.
type Access uint8

const (
	AccessRead Access = 1 << iota
	AccessWrite
	AccessExec
)

// FaultInfo describes a TrapFault in the terms of a Linux siginfo: the
// signal the hardware exception maps to, its si_code and address.
type FaultInfo struct {
	Signal int    // SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP
	Code   int32  // si_code, e.g. SEGV_MAPERR or SEGV_ACCERR
	Addr   uint64 // faulting data address (si_addr)
	// Access is the kind of access that faulted, when the platform knows
	// it; zero when it does not (the ptrace platform cannot tell a read
	// from a write).
	Access Access
}

// Trap is the result of Context.Run.
type Trap struct {
	Kind  TrapKind
	Fault FaultInfo
}
