package strace

// kind says how to format one argument.
type kind uint8

const (
	kInt       kind = iota // C int, decimal
	kLong                  // signed 64-bit, decimal
	kUint                  // unsigned 64-bit (size_t), decimal
	kUint32                // C unsigned int, decimal
	kHex                   // unsigned, hex
	kPtr                   // address: NULL or hex
	kFD                    // file descriptor
	kDirFD                 // directory fd: AT_FDCWD or a number
	kPath                  // C string, whole
	kStr                   // C string, cut at 32 bytes
	kBufIn                 // buffer the call reads; its length is the next argument
	kBufOut                // buffer the call fills; its length is the result
	kBufOutHex             // kBufOut in \x escapes (getrandom)
	kGetcwdOut             // getcwd's path; the result counts its NUL
	kMode                  // file permissions, octal
	kSymMode               // file mode with its type: S_IFCHR|0600
	kOpenFlags
	kFdFlags // O_CLOEXEC|O_NONBLOCK (pipe2, dup3), no access mode
	kProt
	kMmapFlags
	kMremapFlags
	kMsyncFlags
	kMadvise
	kFadvise
	kSignal
	kCloneFlags
	kArchPrctl
	kWhence
	kAccessMode
	kAtFlags
	kFaccessatFlags
	kStatxFlags
	kStatxMask
	kSigHow
	kClockID
	kTimerFlags
	kWaitOptions
	kWait4Options
	kIDType
	kRlimitRes
	kRusageWho
	kEpollOp
	kEpollCreateFlags
	kEventfdFlags
	kTimerfdFlags
	kTimerfdSetFlags
	kSignalfdFlags
	kInotifyFlags
	kGrndFlags
	kRenameFlags
	kMemfdFlags
	kCloseRangeFlags
	kSpliceFlags
	kFlockOp
	kSeccompOp
	kMembarrierCmd
	kIoctlReq
	kSockDomain
	kSockType
	kSockFlags
	kShutHow
	kMsgFlags
	kTimespec      // struct timespec the call reads
	kTimespecOut   // struct timespec the call writes
	kRemOut        // nanosleep's remaining time, written when interrupted
	kTimeval       // struct timeval the call reads
	kTimevalOut    // struct timeval the call writes
	kSigset        // sigset_t the call reads
	kSigsetOut     // sigset_t the call writes
	kSigaction     // struct sigaction the call reads
	kSigactionOut  // struct sigaction the call writes
	kStack         // stack_t the call reads
	kStackOut      // stack_t the call writes
	kRlimit        // struct rlimit the call reads (getrlimit family)
	kRlimitOut     // struct rlimit the call writes
	kRlimit64      // struct rlimit64 the call reads (prlimit64)
	kRlimit64Out   // struct rlimit64 the call writes
	kStatOut       // struct stat
	kStatxOut      // struct statx
	kUnameOut      // struct utsname
	kFdPairOut     // int[2]: pipe, socketpair
	kWaitStatusOut // int *wstatus
	kIovecIn       // struct iovec[] the call reads; the count is the next argument
	kIovecOut      // struct iovec[] the call fills; the count is the next argument
	kDirentsOut    // getdents buffer
	kCPUSetIn      // CPU mask the call reads; its size is the previous argument
	kCPUSetOut     // CPU mask the call writes; its size is the result
	kFdSet         // fd_set of as many fds as the first argument says
	kPollfds       // struct pollfd[]; the count is the next argument
	kEpollEvent    // struct epoll_event the call reads
	kEpollEventsOut
	kSockaddr    // socket address the call reads; its length is the next argument
	kSockaddrOut // socket address the call writes; its length is at the next argument
	kSocklenPtr  // socklen_t *: [16]
	kOffPtr      // off_t *: [4096]
	kArgv        // char *const argv[]
	kEnvp        // char *const envp[], counted
	kOpenHow     // struct open_how; its size is the next argument
	kCloneArgs   // struct clone_args; its size is the next argument
)

// arg formats argument i as kind k.
func (c *call) arg(k kind, i int) string {
	v := c.a[i]
	next := func() uint64 {
		if i+1 < len(c.a) {
			return c.a[i+1]
		}
		return 0
	}
	switch k {
	case kInt, kFD:
		return cint(v)
	case kLong:
		return dec(int64(v))
	case kUint:
		return udec(v)
	case kUint32:
		return udec(uint64(uint32(v)))
	case kHex:
		return hex(v)
	case kPtr:
		return ptr(v)
	case kDirFD:
		if int32(v) == -100 {
			return "AT_FDCWD"
		}
		return cint(v)
	case kPath:
		return c.path(v)
	case kStr:
		return c.str(v)
	case kBufIn:
		return c.buf(v, next(), false)
	case kBufOut, kBufOutHex:
		if !c.written() {
			return ptr(v)
		}
		return c.buf(v, uint64(c.ret), k == kBufOutHex)
	case kGetcwdOut:
		if !c.written() || c.ret <= 0 {
			return ptr(v)
		}
		return c.bufWhole(v, uint64(c.ret-1))
	case kMode:
		return octal(v & 0xffffffff)
	case kSymMode:
		return symbolicMode(v & 0xffffffff)
	case kOpenFlags:
		return openMode(v)
	case kFdFlags:
		return openFlags.flags(v&0xffffffff, "0")
	case kProt:
		return prot(v)
	case kMmapFlags:
		return mmapFlags(v)
	case kMremapFlags:
		return mremapFlags.flags(v&0xffffffff, "0")
	case kMsyncFlags:
		return msyncFlags.flags(v&0xffffffff, "0")
	case kMadvise:
		return madviseAdvice.value(uint64(uint32(v)))
	case kFadvise:
		return fadviseAdvice.value(uint64(uint32(v)))
	case kSignal:
		return signal(v)
	case kCloneFlags:
		return cloneFlags(v)
	case kArchPrctl:
		if n := archPrctlCodes.lookup(uint64(uint32(v))); n != "" {
			return n
		}
		return hex(v)
	case kWhence:
		return whences.value(uint64(uint32(v)))
	case kAccessMode:
		return accessMode(v)
	case kAtFlags:
		return atFlags.flags(v&0xffffffff, "0")
	case kFaccessatFlags:
		return faccessatFlags.flags(v&0xffffffff, "0")
	case kStatxFlags:
		return statxFlags(v)
	case kStatxMask:
		return statxMasks.flags(v&0xffffffff, "0")
	case kSigHow:
		return sigprocmaskHows.value(uint64(uint32(v)))
	case kClockID:
		return clockID(v)
	case kTimerFlags:
		return timerFlags.flags(v&0xffffffff, "0")
	case kWaitOptions:
		return waitOptions.flags(v&0xffffffff, "0")
	case kWait4Options:
		return wait4Options.flags(v&0xffffffff, "0")
	case kIDType:
		return idTypes.value(uint64(uint32(v)))
	case kRlimitRes:
		return rlimitResources.value(uint64(uint32(v)))
	case kRusageWho:
		return rusageWho.value(uint64(uint32(v)))
	case kEpollOp:
		return epollOps.value(uint64(uint32(v)))
	case kEpollCreateFlags:
		return epollCreateFlags.flags(v&0xffffffff, "0")
	case kEventfdFlags:
		return eventfdFlags.flags(v&0xffffffff, "0")
	case kTimerfdFlags:
		return timerfdFlags.flags(v&0xffffffff, "0")
	case kTimerfdSetFlags:
		return timerfdSetFlags.flags(v&0xffffffff, "0")
	case kSignalfdFlags:
		return signalfdFlags.flags(v&0xffffffff, "0")
	case kInotifyFlags:
		return inotifyFlags.flags(v&0xffffffff, "0")
	case kGrndFlags:
		return getrandomFlags.flags(v&0xffffffff, "0")
	case kRenameFlags:
		return renameFlags.flags(v&0xffffffff, "0")
	case kMemfdFlags:
		return memfdFlags.flags(v&0xffffffff, "0")
	case kCloseRangeFlags:
		return closeRangeFlags.flags(v&0xffffffff, "0")
	case kSpliceFlags:
		return spliceFlags.flags(v&0xffffffff, "0")
	case kFlockOp:
		return flockOps.flags(v&0xffffffff, "0")
	case kSeccompOp:
		return seccompOps.value(uint64(uint32(v)))
	case kMembarrierCmd:
		return membarrierCmds.value(uint64(uint32(v)))
	case kIoctlReq:
		return ioctlRequest(v)
	case kSockDomain:
		return addressFamilies.value(uint64(uint32(v)))
	case kSockType:
		return socketType(v)
	case kSockFlags:
		return socketFlags.flags(v&0xffffffff, "0")
	case kShutHow:
		return shutdownHows.value(uint64(uint32(v)))
	case kMsgFlags:
		return msgFlags.flags(v&0xffffffff, "0")
	case kTimespec:
		return c.timespec(v)
	case kTimeval:
		return c.timeval(v)
	case kSigset:
		return c.sigset(v)
	case kSigaction:
		return c.sigaction(v)
	case kStack:
		return c.stack(v)
	case kRlimit:
		return c.rlimit(v, "RLIM_INFINITY")
	case kRlimit64:
		return c.rlimit(v, "RLIM64_INFINITY")
	case kIovecIn:
		return c.iovec(v, next(), -1)
	case kCPUSetIn:
		if i == 0 {
			return ptr(v)
		}
		return c.cpuSet(v, c.a[i-1])
	case kFdSet:
		return c.fdSet(v, uint64(uint32(c.a[0])))
	case kPollfds:
		return c.pollfds(v, next(), false)
	case kEpollEvent:
		return c.epollEventAt(v)
	case kSockaddr:
		return c.sockaddr(v, next())
	case kArgv:
		return c.argv(v)
	case kEnvp:
		return c.envp(v)
	case kOpenHow:
		return c.openHow(v, next())
	case kCloneArgs:
		return c.cloneArgs(v, next())
	case kRemOut:
		if c.done && c.ret == -4 { // EINTR
			return c.timespec(v)
		}
		return ptr(v)
	case kSocklenPtr: // read and written: shows the value it has now
		return c.intAt(v)
	case kOffPtr:
		return c.longAt(v)
	}
	// The rest are written by the kernel: decoded once the call has
	// succeeded, addresses before that.
	if !c.written() || v == 0 {
		return ptr(v)
	}
	switch k {
	case kTimespecOut:
		return c.timespec(v)
	case kTimevalOut:
		return c.timeval(v)
	case kSigsetOut:
		return c.sigset(v)
	case kSigactionOut:
		return c.sigaction(v)
	case kStackOut:
		return c.stack(v)
	case kRlimitOut:
		return c.rlimit(v, "RLIM_INFINITY")
	case kRlimit64Out:
		return c.rlimit(v, "RLIM64_INFINITY")
	case kStatOut:
		return c.stat(v)
	case kStatxOut:
		return c.statx(v)
	case kUnameOut:
		return c.utsname(v)
	case kFdPairOut:
		return c.fdPair(v)
	case kWaitStatusOut:
		if c.ret == 0 { // WNOHANG and nobody to reap: nothing written
			return ptr(v)
		}
		return c.waitStatusAt(v)
	case kIovecOut:
		return c.iovec(v, next(), c.ret)
	case kDirentsOut:
		return c.dirents(v, c.ret, 16)
	case kCPUSetOut:
		return c.cpuSet(v, uint64(c.ret))
	case kEpollEventsOut:
		return c.epollEventsAt(v, uint64(c.ret))
	case kSockaddrOut:
		n, ok := c.u32(next())
		if !ok {
			return hex(v)
		}
		return c.sockaddr(v, uint64(n))
	}
	return hex(v)
}
