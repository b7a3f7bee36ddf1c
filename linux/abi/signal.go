package abi

import "strconv"

// Signal numbers bounds on x86-64 Linux.
const (
	SIGRTMIN = 32 // the first real-time signal (the kernel's, not glibc's 34)
	SIGRTMAX = 64
	NSIG     = 64
)

var signalNames = [...]string{
	1:  "SIGHUP",
	2:  "SIGINT",
	3:  "SIGQUIT",
	4:  "SIGILL",
	5:  "SIGTRAP",
	6:  "SIGABRT",
	7:  "SIGBUS",
	8:  "SIGFPE",
	9:  "SIGKILL",
	10: "SIGUSR1",
	11: "SIGSEGV",
	12: "SIGUSR2",
	13: "SIGPIPE",
	14: "SIGALRM",
	15: "SIGTERM",
	16: "SIGSTKFLT",
	17: "SIGCHLD",
	18: "SIGCONT",
	19: "SIGSTOP",
	20: "SIGTSTP",
	21: "SIGTTIN",
	22: "SIGTTOU",
	23: "SIGURG",
	24: "SIGXCPU",
	25: "SIGXFSZ",
	26: "SIGVTALRM",
	27: "SIGPROF",
	28: "SIGWINCH",
	29: "SIGIO",
	30: "SIGPWR",
	31: "SIGSYS",
	32: "SIGRTMIN",
}

// SignalName returns the name of signal sig as strace prints it: "SIGSEGV"
// for 1..31, "SIGRTMIN" for 32 and "SIGRT_<n>" for 32+n up to 64 (35 is
// "SIGRT_3"). Any other number is returned in decimal, as strace does.
func SignalName(sig int) string {
	if sig > 0 && sig < len(signalNames) {
		return signalNames[sig]
	}
	if sig > SIGRTMIN && sig <= SIGRTMAX {
		return "SIGRT_" + strconv.Itoa(sig-SIGRTMIN)
	}
	return strconv.Itoa(sig)
}
