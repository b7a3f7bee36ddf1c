package abi

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

func TestSyscallNumbers(t *testing.T) {
	for _, c := range []struct {
		nr   uint64
		want string
	}{
		{SysRead, "read"},
		{SysWrite, "write"},
		{SysRtSigaction, "rt_sigaction"},
		{SysExecve, "execve"},
		{SysExit, "exit"},
		{SysArchPrctl, "arch_prctl"},
		{SysFutex, "futex"},
		{SysSetTidAddress, "set_tid_address"},
		{SysExitGroup, "exit_group"},
		{SysNewfstatat, "newfstatat"},
		{SysGetrandom, "getrandom"},
		{SysRseq, "rseq"},
		{SysPidfdSendSignal, "pidfd_send_signal"},
		{SysClone3, "clone3"},
		{SysOpenat2, "openat2"},
		{SysFaccessat2, "faccessat2"},
		{SysEpollPwait2, "epoll_pwait2"},
		{SysMseal, "mseal"},
	} {
		if got := SyscallName(c.nr); got != c.want {
			t.Errorf("SyscallName(%d) = %q, want %q", c.nr, got, c.want)
		}
		if nr, ok := SyscallNumber(c.want); !ok || nr != c.nr {
			t.Errorf("SyscallNumber(%q) = %d, %v; want %d", c.want, nr, ok, c.nr)
		}
	}
	for nr, want := range map[uint64]uint64{
		SysRead: 0, SysExecve: 59, SysExit: 60, SysExitGroup: 231,
		SysClone3: 435, SysFutex: 202, SysArchPrctl: 158, SysGetrandom: 318,
		SysRseq: 334, SysOpenat2: 437, SysPidfdSendSignal: 424,
		SysFaccessat2: 439, SysEpollPwait2: 441, SysMseal: 462,
	} {
		if nr != want {
			t.Errorf("constant = %d, want %d", nr, want)
		}
	}
	if NumSyscalls != 463 {
		t.Errorf("NumSyscalls = %d, want 463", NumSyscalls)
	}
}

func TestUnknownSyscall(t *testing.T) {
	for nr, want := range map[uint64]string{
		999:             "syscall_999",
		335:             "syscall_335", // a hole in the x86-64 table
		423:             "syscall_423",
		1 << 40:         "syscall_1099511627776",
		^uint64(0):      "syscall_18446744073709551615",
		NumSyscalls:     "syscall_463",
		NumSyscalls + 1: "syscall_464",
	} {
		if got := SyscallName(nr); got != want {
			t.Errorf("SyscallName(%d) = %q, want %q", nr, got, want)
		}
	}
	if _, ok := SyscallNumber("no_such_call"); ok {
		t.Error("SyscallNumber found no_such_call")
	}
}

// TestAgainstHeader checks the table against the system's header, where
// there is one.
func TestAgainstHeader(t *testing.T) {
	f, err := os.Open("/usr/include/x86_64-linux-gnu/asm/unistd_64.h")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) != 3 || fields[0] != "#define" || !strings.HasPrefix(fields[1], "__NR_") {
			continue
		}
		nr, err := strconv.ParseUint(fields[2], 10, 64)
		if err != nil {
			continue
		}
		name := strings.TrimPrefix(fields[1], "__NR_")
		if got := SyscallName(nr); got != name {
			t.Errorf("SyscallName(%d) = %q, header says %q", nr, got, name)
		}
		n++
	}
	if n < 300 {
		t.Errorf("only %d system calls in the header", n)
	}
}

func TestErrnoName(t *testing.T) {
	for e, want := range map[unix.Errno]string{
		unix.EPERM:            "EPERM",
		unix.ENOENT:           "ENOENT",
		unix.EAGAIN:           "EAGAIN",
		unix.EFAULT:           "EFAULT",
		unix.EINVAL:           "EINVAL",
		unix.ENOSYS:           "ENOSYS",
		unix.EOPNOTSUPP:       "EOPNOTSUPP",
		unix.EDEADLK:          "EDEADLK",
		unix.EHWPOISON:        "EHWPOISON",
		ERESTARTSYS:           "ERESTARTSYS",
		ERESTARTNOINTR:        "ERESTARTNOINTR",
		ERESTARTNOHAND:        "ERESTARTNOHAND",
		ENOIOCTLCMD:           "ENOIOCTLCMD",
		ERESTART_RESTARTBLOCK: "ERESTART_RESTARTBLOCK",
		0:                     "E0",
		41:                    "E41",
		999:                   "E999",
	} {
		if got := ErrnoName(e); got != want {
			t.Errorf("ErrnoName(%d) = %q, want %q", e, got, want)
		}
	}
	for e := unix.Errno(1); e <= 133; e++ {
		if e == 41 || e == 58 {
			continue
		}
		if name := ErrnoName(e); name == "E"+strconv.Itoa(int(e)) {
			t.Errorf("errno %d has no name", e)
		}
	}
}

func TestErrnoDescription(t *testing.T) {
	for e, want := range map[unix.Errno]string{
		unix.ENOENT: "No such file or directory",
		unix.ENOSYS: "Function not implemented",
		unix.EFAULT: "Bad address",
		ERESTARTSYS: "To be restarted if SA_RESTART is set",
		999:         "Unknown error 999",
	} {
		if got := ErrnoDescription(e); got != want {
			t.Errorf("ErrnoDescription(%d) = %q, want %q", e, got, want)
		}
	}
}

func TestSignalName(t *testing.T) {
	for sig, want := range map[int]string{
		1:  "SIGHUP",
		6:  "SIGABRT",
		9:  "SIGKILL",
		11: "SIGSEGV",
		17: "SIGCHLD",
		31: "SIGSYS",
		32: "SIGRTMIN",
		33: "SIGRT_1",
		35: "SIGRT_3",
		64: "SIGRT_32",
		0:  "0",
		65: "65",
		-1: "-1",
	} {
		if got := SignalName(sig); got != want {
			t.Errorf("SignalName(%d) = %q, want %q", sig, got, want)
		}
	}
}
