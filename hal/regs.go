package hal

// Registers is the user-visible integer register file of an x86-64 thread.
// Its layout is that of Linux's struct user_regs_struct, so platforms built
// on ptrace can pass it to the host unchanged.
type Registers struct {
	R15     uint64
	R14     uint64
	R13     uint64
	R12     uint64
	Rbp     uint64
	Rbx     uint64
	R11     uint64
	R10     uint64
	R9      uint64
	R8      uint64
	Rax     uint64
	Rcx     uint64
	Rdx     uint64
	Rsi     uint64
	Rdi     uint64
	OrigRax uint64
	Rip     uint64
	Cs      uint64
	Eflags  uint64
	Rsp     uint64
	Ss      uint64
	FsBase  uint64
	GsBase  uint64
	Ds      uint64
	Es      uint64
	Fs      uint64
	Gs      uint64
}

// SyscallNumber is the number of the system call a TrapSyscall stopped at.
func (r *Registers) SyscallNumber() uint64 { return r.OrigRax }

// SyscallArgs returns the six system-call arguments in ABI order
// (rdi, rsi, rdx, r10, r8, r9).
func (r *Registers) SyscallArgs() [6]uint64 {
	return [6]uint64{r.Rdi, r.Rsi, r.Rdx, r.R10, r.R8, r.R9}
}

// FPState is the x87/SSE state of a thread in the 512-byte FXSAVE format.
type FPState [512]byte
