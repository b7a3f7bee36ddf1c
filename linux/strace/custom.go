package strace

import "quartz/linux/abi"

// Formatters for calls whose arguments depend on one another.

// openCount: open and openat have a mode only when they may create a file.
func openCount(flagsArg int) func(c *call) int {
	return func(c *call) int {
		if c.a[flagsArg]&(oCreat|oTmpfile) != 0 {
			return flagsArg + 2
		}
		return flagsArg + 1
	}
}

// mremapCount: mremap has a new address only with MREMAP_FIXED.
func mremapCount(c *call) int {
	if c.a[3]&2 != 0 {
		return 5
	}
	return 4
}

// pollComment shows the fds that have events: = 1 ([{fd=3, revents=POLLIN}]).
func pollComment(c *call) string {
	if c.ret == 0 {
		return "Timeout"
	}
	return c.pollfds(c.a[0], c.a[1], true)
}

func timeoutComment(c *call) string {
	if c.ret == 0 {
		return "Timeout"
	}
	return ""
}

// socketProtocol formats a protocol number for a socket of the domain.
func socketProtocol(domain, proto uint64) string {
	switch uint32(domain) {
	case afInet, afInet6:
		return ipProtocols.value(uint64(uint32(proto)))
	}
	return cint(proto)
}

// socketArgs: socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP).
func socketArgs(c *call) []string {
	return []string{
		addressFamilies.value(uint64(uint32(c.a[0]))),
		socketType(c.a[1]),
		socketProtocol(c.a[0], c.a[2]),
	}
}

// socketpairArgs: socketpair(AF_UNIX, SOCK_STREAM, 0, [3, 4]).
func socketpairArgs(c *call) []string {
	return append(socketArgs(c), c.arg(kFdPairOut, 3))
}

// sockoptArgs: setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) and
// getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]).
func sockoptArgs(c *call) []string {
	level := uint64(uint32(c.a[1]))
	opt := uint64(uint32(c.a[2]))
	var name string
	switch level {
	case 1:
		name = socketOptions.value(opt)
	case 6:
		name = tcpOptions.value(opt)
	case 41:
		name = ipv6Options.value(opt)
	default:
		name = cint(opt)
	}
	out := []string{cint(c.a[0]), socketLevels.value(level), name}
	if c.nr == abi.SysSetsockopt { // the value is read
		val := ptr(c.a[3])
		if c.a[4] == 4 {
			val = c.intAt(c.a[3])
		}
		return append(out, val, udec(uint64(uint32(c.a[4]))))
	}
	val := ptr(c.a[3])
	if n, ok := c.u32(c.a[4]); ok && n == 4 && c.written() {
		val = c.intAt(c.a[3])
	}
	return append(out, val, c.intAt(c.a[4]))
}

// cloneCallArgs formats clone the way strace does on x86-64, whose raw
// argument order is flags, stack, parent_tid, child_tid, tls:
// clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f...).
func cloneCallArgs(c *call) []string {
	flags := c.a[0]
	out := []string{"child_stack=" + ptr(c.a[1]), "flags=" + cloneFlags(flags)}
	if flags&(cloneParentSettid|clonePidfd) != 0 {
		v := ptr(c.a[2])
		if c.written() {
			v = c.intAt(c.a[2])
		}
		out = append(out, "parent_tid="+v)
	}
	if flags&cloneSettls != 0 {
		out = append(out, "tls="+hex(c.a[4]))
	}
	if flags&(cloneChildSettid|cloneChildCleartid) != 0 {
		out = append(out, "child_tidptr="+hex(c.a[3]))
	}
	return out
}

// clone3Args: clone3({flags=..., ...} => {parent_tid=[124]}, 88).
func clone3Args(c *call) []string {
	s := c.cloneArgs(c.a[0], c.a[1])
	if c.written() && c.a[1] >= 64 {
		if b, ok := c.read(c.a[0], 32); ok && le.Uint64(b)&cloneParentSettid != 0 {
			if p := le.Uint64(b[24:]); p != 0 {
				s += " => {parent_tid=" + c.intAt(p) + "}"
			}
		}
	}
	return []string{s, udec(c.a[1])}
}

// fcntl commands whose argument is printed specially.
const (
	fDupfd        = 0
	fGetfd        = 1
	fSetfd        = 2
	fGetfl        = 3
	fSetfl        = 4
	fSetown       = 8
	fSetsig       = 10
	fSetlease     = 1024
	fNotify       = 1026
	fDupfdCloexec = 1030
	fSetpipeSz    = 1031
	fAddSeals     = 1033
	fGetSeals     = 1034
)

// fcntlArgs: fcntl(3, F_SETFD, FD_CLOEXEC), fcntl(3, F_GETFL).
func fcntlArgs(c *call) []string {
	cmd := uint64(uint32(c.a[1]))
	out := []string{cint(c.a[0]), fcntlCmds.value(cmd)}
	switch cmd {
	case fSetfd:
		return append(out, fdFlags.flags(c.a[2]&0xffffffff, "0"))
	case fSetfl:
		return append(out, openMode(c.a[2]))
	case fAddSeals:
		return append(out, sealFlags.flags(c.a[2]&0xffffffff, "0"))
	case fDupfd, fDupfdCloexec, fSetown, fSetsig, fSetlease, fNotify, fSetpipeSz:
		return append(out, cint(c.a[2]))
	case fGetfd, fGetfl, fGetSeals, 9, 11, 1025, 1032: // the getters take nothing
		return out
	}
	return append(out, ptr(c.a[2]))
}

// fcntlValue: F_GETFL's result is flags: = 0x8002 (flags O_RDWR|O_LARGEFILE).
func fcntlValue(c *call) string {
	r := uint64(c.ret)
	switch uint32(c.a[1]) {
	case fGetfd:
		if r != 0 {
			return hex(r) + " (flags " + fdFlags.flags(r, "0") + ")"
		}
	case fGetfl:
		return hex(r) + " (flags " + openMode(r) + ")"
	case fGetSeals:
		return hex(r) + " (seals " + sealFlags.flags(r, "0") + ")"
	}
	return dec(c.ret)
}

// prctlArgs: prctl(PR_SET_NAME, "worker"), others with their four
// arguments in hex.
func prctlArgs(c *call) []string {
	opt := uint64(uint32(c.a[0]))
	name := prctlOptions.value(opt)
	switch opt {
	case 15: // PR_SET_NAME
		return []string{name, c.str(c.a[1])}
	case 16: // PR_GET_NAME
		if !c.written() {
			return []string{name, ptr(c.a[1])}
		}
		return []string{name, c.str(c.a[1])}
	case 1: // PR_SET_PDEATHSIG
		return []string{name, signal(c.a[1])}
	case 4: // PR_SET_DUMPABLE
		return []string{name, dumpableModes.value(uint64(uint32(c.a[1])))}
	case 8, 22, 24, 36: // one value
		return []string{name, dec(int64(c.a[1]))}
	case 38, 41: // a value and three unused words
		return []string{name, udec(c.a[1]), udec(c.a[2]), udec(c.a[3]), udec(c.a[4])}
	case 3, 7, 21, 37, 39, 42: // no arguments
		return []string{name}
	}
	return []string{name, hex(c.a[1]), hex(c.a[2]), hex(c.a[3]), hex(c.a[4])}
}

// futex operations.
const (
	futexWait          = 0
	futexWake          = 1
	futexFD            = 2
	futexRequeue       = 3
	futexCmpRequeue    = 4
	futexWakeOp        = 5
	futexLockPI        = 6
	futexUnlockPI      = 7
	futexTrylockPI     = 8
	futexWaitBitset    = 9
	futexWakeBitset    = 10
	futexWaitRequeuePI = 11
	futexCmpRequeuePI  = 12
	futexLockPI2       = 13
)

// futexArgs shows the arguments each futex operation takes:
// futex(0x7f..., FUTEX_WAIT_PRIVATE, 2, NULL),
// futex(0x7f..., FUTEX_WAKE_PRIVATE, 1).
func futexArgs(c *call) []string {
	uaddr, op := ptr(c.a[0]), futexOp(c.a[1])
	val := udec(uint64(uint32(c.a[2])))
	val2 := udec(uint64(uint32(c.a[3])))
	val3 := udec(uint64(uint32(c.a[5])))
	bitset := hex(uint64(uint32(c.a[5])))
	if uint32(c.a[5]) == 0xffffffff {
		bitset = "FUTEX_BITSET_MATCH_ANY"
	}
	switch uint32(c.a[1]) &^ (futexPrivate | futexRealtime) {
	case futexWait:
		return []string{uaddr, op, val, c.timespec(c.a[3])}
	case futexWake, futexFD:
		return []string{uaddr, op, val}
	case futexRequeue:
		return []string{uaddr, op, val, val2, ptr(c.a[4])}
	case futexCmpRequeue, futexCmpRequeuePI:
		return []string{uaddr, op, val, val2, ptr(c.a[4]), val3}
	case futexWakeOp:
		return []string{uaddr, op, val, val2, ptr(c.a[4]), hex(uint64(uint32(c.a[5])))}
	case futexLockPI, futexLockPI2:
		return []string{uaddr, op, c.timespec(c.a[3])}
	case futexUnlockPI, futexTrylockPI:
		return []string{uaddr, op}
	case futexWaitBitset:
		return []string{uaddr, op, val, c.timespec(c.a[3]), bitset}
	case futexWakeBitset:
		return []string{uaddr, op, val, bitset}
	case futexWaitRequeuePI:
		return []string{uaddr, op, val, c.timespec(c.a[3]), ptr(c.a[4])}
	}
	return []string{uaddr, op, hex(c.a[2]), hex(c.a[3]), hex(c.a[4]), hex(c.a[5])}
}
