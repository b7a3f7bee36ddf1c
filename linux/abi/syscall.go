package abi

import "strconv"

// NumSyscalls is one more than the highest system call number this package
// names.
const NumSyscalls = SysMseal + 1

// SyscallName returns the name of x86-64 system call nr as strace prints it
// ("read", "rt_sigaction"), or "syscall_<nr>" for a number Linux does not
// define.
func SyscallName(nr uint64) string {
	if nr < uint64(len(syscallNames)) && syscallNames[nr] != "" {
		return syscallNames[nr]
	}
	return "syscall_" + strconv.FormatUint(nr, 10)
}

// SyscallNumber returns the number of the system call called name, and
// whether there is one.
func SyscallNumber(name string) (uint64, bool) {
	nr, ok := syscallNumbers[name]
	return nr, ok
}

var syscallNumbers = func() map[string]uint64 {
	m := make(map[string]uint64, len(syscallNames))
	for nr, name := range syscallNames {
		if name != "" {
			m[name] = uint64(nr)
		}
	}
	return m
}()
