package linux

import (
	"errors"
	"fmt"

	"golang.org/x/sys/unix"

	"quartz/linux/strace"
)

// sysArgs are a system call's six raw arguments.
type sysArgs = [6]uint64

// sysFunc implements one system call. It returns the result, or an error
// that is a unix.Errno for the guest or one of the control errors below.
type sysFunc func(t *Thread, a sysArgs) (uint64, error)

var (
	// errThreadExit: the calling thread is gone (exit, exit_group).
	errThreadExit = errors.New("thread exit")
	// errInterrupted: a blocking call was interrupted by a signal; it is
	// restarted or fails with EINTR depending on the handler (SA_RESTART).
	errInterrupted = errors.New("interrupted")
	// errRestartNoHand: a blocking call was interrupted; it is restarted
	// only if no handler runs (Linux's ERESTARTNOHAND: poll, select,
	// sleeps), else it fails with EINTR whatever SA_RESTART says.
	errRestartNoHand = errors.New("interrupted, restart without handler")
	// errRegsSet: the handler has set every register itself
	// (rt_sigreturn, execve); leave rax alone.
	errRegsSet = errors.New("registers set")
)

// syscalls is the dispatch table, by x86-64 system call number. It is
// filled by the sys_*.go files' init functions.
var syscalls [512]sysFunc

func register(nr uintptr, f sysFunc) {
	if syscalls[nr] != nil {
		panic(fmt.Sprintf("system call %d registered twice", nr))
	}
	syscalls[nr] = f
}

// syscall handles the system call the thread trapped on. It reports
// whether the thread has exited, with its exit code.
func (t *Thread) syscall() (exited bool, code int) {
	nr := t.regs.SyscallNumber()
	args := t.regs.SyscallArgs()
	// execve replaces the memory its arguments are in: strace formats
	// them before the call.
	var entry string
	if t.proc.k.strace != nil && (nr == unix.SYS_EXECVE || nr == unix.SYS_EXECVEAT) {
		entry = strace.Enter(nr, args, guestMemory{t})
	}
	var ret uint64
	var err error
	if nr < uint64(len(syscalls)) && syscalls[nr] != nil {
		ret, err = syscalls[nr](t, args)
	} else {
		err = unix.ENOSYS
	}
	switch err {
	case nil:
	case errThreadExit:
		t.trace(nr, args, 0, entry)
		return true, t.exitCode
	case errRegsSet:
		t.trace(nr, args, 0, entry)
		return false, 0
	case errInterrupted:
		if t.restartable() {
			t.regs.Rip -= 2 // back onto the syscall instruction
			t.regs.Rax = nr
			return false, 0
		}
		ret = errnoResult(unix.EINTR)
	case errRestartNoHand:
		if !t.handlerPending() {
			t.regs.Rip -= 2
			t.regs.Rax = nr
			return false, 0
		}
		ret = errnoResult(unix.EINTR)
	default:
		errno, ok := err.(unix.Errno)
		if !ok {
			errno = unix.EIO // a kernel-side failure the guest can only see as I/O error
		}
		ret = errnoResult(errno)
	}
	t.regs.Rax = ret
	t.trace(nr, args, int64(ret), entry)
	return false, 0
}

// trace writes the --strace line of a completed call; entry, when set, is
// the call's part formatted before it ran.
func (t *Thread) trace(nr uint64, args sysArgs, ret int64, entry string) {
	k := t.proc.k
	if k.strace == nil {
		return
	}
	var line string
	switch {
	case entry != "":
		line = entry + ")" + strace.Exit(nr, args, ret, guestMemory{t})
	case t.proc.mm != nil:
		line = strace.Line(nr, args, ret, guestMemory{t})
	}
	k.straceMu.Lock()
	defer k.straceMu.Unlock()
	// Like strace -f: every thread but the first process's main thread
	// is named.
	if t.tid != int(k.tree.initPID.Load()) {
		fmt.Fprintf(k.strace, "[pid %d] %s\n", t.tid, line)
	} else {
		fmt.Fprintln(k.strace, line)
	}
}

// guestMemory lets the strace decoder read the thread's memory.
type guestMemory struct{ t *Thread }

func (g guestMemory) ReadString(addr uint64, max int) (string, error) {
	return g.t.proc.mm.ReadString(addr, max)
}

func (g guestMemory) ReadBytes(addr uint64, n int) ([]byte, error) {
	b := make([]byte, n)
	done, err := g.t.proc.mm.CopyIn(addr, b)
	return b[:done], err
}

// restartable reports whether a call interrupted by the next signal to be
// delivered is restarted after it: when the signal's handler asked for
// SA_RESTART, or the signal will not run a handler at all.
func (t *Thread) restartable() bool {
	t.pending.mu.Lock()
	ready := t.pending.set &^ (t.sigMask &^ unblockable)
	t.pending.mu.Unlock()
	for sig := 1; sig <= numSignals; sig++ {
		if ready&sigBit(sig) != 0 {
			act := t.proc.sig.get(sig)
			return act.Handler == sigDFL || act.Handler == sigIGN || act.Flags&saRestart != 0
		}
	}
	return true
}

// handlerPending reports whether the next signal to be delivered runs a
// handler.
func (t *Thread) handlerPending() bool {
	t.pending.mu.Lock()
	ready := t.pending.set &^ (t.sigMask &^ unblockable)
	t.pending.mu.Unlock()
	for sig := 1; sig <= numSignals; sig++ {
		if ready&sigBit(sig) != 0 {
			h := t.proc.sig.get(sig).Handler
			return h != sigDFL && h != sigIGN
		}
	}
	return false
}

// errnoResult is the raw return value that reports errno: its negation.
func errnoResult(errno unix.Errno) uint64 { return -uint64(errno) }
