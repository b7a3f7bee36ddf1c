package ptrace

import (
	"unsafe"

	"golang.org/x/sys/unix"

	"quartz/hal"
)

// Thin wrappers over ptrace(2) and wait4(2). The ptrace requests are quick
// and never block, so they use RawSyscall; wait4 blocks and lets the Go
// scheduler run other goroutines meanwhile.

const (
	ptraceSysemu      = 31 // PTRACE_SYSEMU
	ptraceGetFPRegs   = 14 // PTRACE_GETFPREGS
	ptraceSetFPRegs   = 15 // PTRACE_SETFPREGS
	seizeOptions      = unix.PTRACE_O_EXITKILL | unix.PTRACE_O_TRACESYSGOOD
	syscallStopSignal = unix.SIGTRAP | 0x80
)

func ptrace(req int, tid int, addr, data uintptr) error {
	_, _, e := unix.RawSyscall6(unix.SYS_PTRACE, uintptr(req), uintptr(tid), addr, data, 0, 0)
	if e != 0 {
		return e
	}
	return nil
}

func getRegs(tid int, r *hal.Registers) error {
	return ptrace(unix.PTRACE_GETREGS, tid, 0, uintptr(unsafe.Pointer(r)))
}

func setRegs(tid int, r *hal.Registers) error {
	return ptrace(unix.PTRACE_SETREGS, tid, 0, uintptr(unsafe.Pointer(r)))
}

func getFPRegs(tid int, f *hal.FPState) error {
	return ptrace(ptraceGetFPRegs, tid, 0, uintptr(unsafe.Pointer(f)))
}

func setFPRegs(tid int, f *hal.FPState) error {
	return ptrace(ptraceSetFPRegs, tid, 0, uintptr(unsafe.Pointer(f)))
}

func getSiginfo(tid int, si *unix.Siginfo) error {
	return ptrace(unix.PTRACE_GETSIGINFO, tid, 0, uintptr(unsafe.Pointer(si)))
}

// seize attaches to tid and stops it, returning once it is in a ptrace
// stop. The calling OS thread becomes its tracer.
func seize(tid int) error {
	if err := ptrace(unix.PTRACE_SEIZE, tid, 0, seizeOptions); err != nil {
		return err
	}
	if err := ptrace(unix.PTRACE_INTERRUPT, tid, 0, 0); err != nil {
		return err
	}
	for {
		ws, err := wait(tid)
		if err != nil {
			return err
		}
		if ws.Exited() || ws.Signaled() {
			return unix.ESRCH
		}
		if ws.Stopped() && ws.TrapCause() == unix.PTRACE_EVENT_STOP {
			return nil
		}
		// Some other stop (a signal sent before the interrupt landed):
		// suppress it and keep waiting for the interrupt.
		if err := ptrace(unix.PTRACE_CONT, tid, 0, 0); err != nil {
			return err
		}
	}
}

// wait waits for a state change of one traced thread.
func wait(tid int) (unix.WaitStatus, error) {
	var ws unix.WaitStatus
	for {
		_, err := unix.Wait4(tid, &ws, unix.WALL, nil)
		if err == unix.EINTR {
			continue
		}
		return ws, err
	}
}

// sanitize makes guest registers acceptable to PTRACE_SETREGS: user code
// and stack segments, and no system call to restart.
func sanitize(r *hal.Registers) {
	r.Cs = 0x33
	r.Ss = 0x2b
	r.Ds, r.Es, r.Fs, r.Gs = 0, 0, 0, 0
	if r.Eflags == 0 {
		r.Eflags = 0x202
	}
	r.OrigRax = ^uint64(0)
}
