package strace

import (
	"strings"

	"quartz/linux/abi"
)

// xlat is a table of named values, in the order strace prints them.
type xlat []struct {
	v    uint64
	name string
}

// lookup returns the name of v, or "".
func (x xlat) lookup(v uint64) string {
	for _, e := range x {
		if e.v == v {
			return e.name
		}
	}
	return ""
}

// value formats v by name, or in decimal (as a C int) if it has none.
func (x xlat) value(v uint64) string {
	if n := x.lookup(v); n != "" {
		return n
	}
	return cint(v)
}

// flags formats v as NAME|NAME|0x..: each entry whose bits are all set is
// printed and its bits taken out, in table order; bits left over are
// printed in hex. zero is printed for 0.
func (x xlat) flags(v uint64, zero string) string {
	if v == 0 {
		return zero
	}
	parts := x.flagParts(v)
	return strings.Join(parts, "|")
}

func (x xlat) flagParts(v uint64) []string {
	var parts []string
	for _, e := range x {
		if e.v != 0 && v&e.v == e.v {
			parts = append(parts, e.name)
			v &^= e.v
		}
	}
	if v != 0 {
		parts = append(parts, hex(v))
	}
	return parts
}

var openAccModes = xlat{{0, "O_RDONLY"}, {1, "O_WRONLY"}, {2, "O_RDWR"}, {3, "O_ACCMODE"}}

// openFlags are open(2)'s flags past the access mode, in strace's order.
var openFlags = xlat{
	{0o100, "O_CREAT"},
	{0o200, "O_EXCL"},
	{0o400, "O_NOCTTY"},
	{0o1000, "O_TRUNC"},
	{0o2000, "O_APPEND"},
	{0o4000, "O_NONBLOCK"},
	{0o4010000, "O_SYNC"},
	{0o4000000, "__O_SYNC"},
	{0o10000, "O_DSYNC"},
	{0o40000, "O_DIRECT"},
	{0o100000, "O_LARGEFILE"},
	{0o400000, "O_NOFOLLOW"},
	{0o1000000, "O_NOATIME"},
	{0o2000000, "O_CLOEXEC"},
	{0o10000000, "O_PATH"},
	{0o20200000, "O_TMPFILE"},
	{0o20000000, "__O_TMPFILE"},
	{0o200000, "O_DIRECTORY"},
	{0o20000, "FASYNC"},
}

const (
	oCreat   = 0o100
	oTmpfile = 0o20000000 // __O_TMPFILE: O_TMPFILE without O_DIRECTORY
)

// openMode formats open(2) flags: O_RDONLY|O_CLOEXEC.
func openMode(v uint64) string {
	v &= 0xffffffff
	parts := []string{openAccModes.lookup(v & 3)}
	if rest := v &^ 3; rest != 0 {
		parts = append(parts, openFlags.flagParts(rest)...)
	}
	return strings.Join(parts, "|")
}

var protFlags = xlat{
	{0x1, "PROT_READ"},
	{0x2, "PROT_WRITE"},
	{0x4, "PROT_EXEC"},
	{0x8, "PROT_SEM"},
	{0x01000000, "PROT_GROWSDOWN"},
	{0x02000000, "PROT_GROWSUP"},
}

func prot(v uint64) string { return protFlags.flags(v&0xffffffff, "PROT_NONE") }

var mmapTypes = xlat{{1, "MAP_SHARED"}, {2, "MAP_PRIVATE"}, {3, "MAP_SHARED_VALIDATE"}, {8, "MAP_DROPPABLE"}}

var mmapFlagNames = xlat{
	{0x10, "MAP_FIXED"},
	{0x20, "MAP_ANONYMOUS"},
	{0x40, "MAP_32BIT"},
	{0x80, "MAP_ABOVE4G"},
	{0x4000, "MAP_NORESERVE"},
	{0x8000, "MAP_POPULATE"},
	{0x10000, "MAP_NONBLOCK"},
	{0x100, "MAP_GROWSDOWN"},
	{0x800, "MAP_DENYWRITE"},
	{0x1000, "MAP_EXECUTABLE"},
	{0x2000, "MAP_LOCKED"},
	{0x20000, "MAP_STACK"},
	{0x40000, "MAP_HUGETLB"},
	{0x80000, "MAP_SYNC"},
	{0x4000000, "MAP_UNINITIALIZED"},
	{0x100000, "MAP_FIXED_NOREPLACE"},
}

// mmapFlags formats mmap's flags: the map type, then the flags.
func mmapFlags(v uint64) string {
	v &= 0xffffffff
	typ := v & 0xf
	name := mmapTypes.lookup(typ)
	if name == "" {
		name = hex(typ)
	}
	parts := []string{name}
	var huge uint64
	if v&mapHugetlb != 0 {
		huge = v >> mapHugeShift
		v &^= huge << mapHugeShift
	}
	if rest := v &^ 0xf; rest != 0 {
		parts = append(parts, mmapFlagNames.flagParts(rest)...)
	}
	if huge != 0 {
		parts = append(parts, udec(huge)+"<<MAP_HUGE_SHIFT")
	}
	return strings.Join(parts, "|")
}

const (
	mapHugetlb   = 0x40000
	mapHugeShift = 26 // MAP_HUGETLB's page size, log2, sits above this
)

var mremapFlags = xlat{{1, "MREMAP_MAYMOVE"}, {2, "MREMAP_FIXED"}, {4, "MREMAP_DONTUNMAP"}}

var msyncFlags = xlat{{1, "MS_ASYNC"}, {2, "MS_INVALIDATE"}, {4, "MS_SYNC"}}

var madviseAdvice = xlat{
	{0, "MADV_NORMAL"}, {1, "MADV_RANDOM"}, {2, "MADV_SEQUENTIAL"}, {3, "MADV_WILLNEED"},
	{4, "MADV_DONTNEED"}, {8, "MADV_FREE"}, {9, "MADV_REMOVE"}, {10, "MADV_DONTFORK"},
	{11, "MADV_DOFORK"}, {12, "MADV_MERGEABLE"}, {13, "MADV_UNMERGEABLE"},
	{14, "MADV_HUGEPAGE"}, {15, "MADV_NOHUGEPAGE"}, {16, "MADV_DONTDUMP"},
	{17, "MADV_DODUMP"}, {18, "MADV_WIPEONFORK"}, {19, "MADV_KEEPONFORK"},
	{20, "MADV_COLD"}, {21, "MADV_PAGEOUT"}, {22, "MADV_POPULATE_READ"},
	{23, "MADV_POPULATE_WRITE"}, {24, "MADV_DONTNEED_LOCKED"}, {25, "MADV_COLLAPSE"},
	{100, "MADV_HWPOISON"}, {101, "MADV_SOFT_OFFLINE"}, {102, "MADV_GUARD_INSTALL"},
	{103, "MADV_GUARD_REMOVE"},
}

var fadviseAdvice = xlat{
	{0, "POSIX_FADV_NORMAL"}, {1, "POSIX_FADV_RANDOM"}, {2, "POSIX_FADV_SEQUENTIAL"},
	{3, "POSIX_FADV_WILLNEED"}, {4, "POSIX_FADV_DONTNEED"}, {5, "POSIX_FADV_NOREUSE"},
}

// signal formats a signal number: SIGSEGV, or the number.
func signal(v uint64) string { return abi.SignalName(int(int32(v))) }

// cloneFlagNames are clone's flags above the exit signal byte.
var cloneFlagNames = xlat{
	{0x00000100, "CLONE_VM"},
	{0x00000200, "CLONE_FS"},
	{0x00000400, "CLONE_FILES"},
	{0x00000800, "CLONE_SIGHAND"},
	{0x00001000, "CLONE_PIDFD"},
	{0x00002000, "CLONE_PTRACE"},
	{0x00004000, "CLONE_VFORK"},
	{0x00008000, "CLONE_PARENT"},
	{0x00010000, "CLONE_THREAD"},
	{0x00020000, "CLONE_NEWNS"},
	{0x00040000, "CLONE_SYSVSEM"},
	{0x00080000, "CLONE_SETTLS"},
	{0x00100000, "CLONE_PARENT_SETTID"},
	{0x00200000, "CLONE_CHILD_CLEARTID"},
	{0x00800000, "CLONE_UNTRACED"},
	{0x01000000, "CLONE_CHILD_SETTID"},
	{0x02000000, "CLONE_NEWCGROUP"},
	{0x04000000, "CLONE_NEWUTS"},
	{0x08000000, "CLONE_NEWIPC"},
	{0x10000000, "CLONE_NEWUSER"},
	{0x20000000, "CLONE_NEWPID"},
	{0x40000000, "CLONE_NEWNET"},
	{0x80000000, "CLONE_IO"},
	{0x100000000, "CLONE_CLEAR_SIGHAND"},
	{0x200000000, "CLONE_INTO_CGROUP"},
}

const (
	cloneSettls        = 0x00080000
	cloneParentSettid  = 0x00100000
	cloneChildCleartid = 0x00200000
	cloneChildSettid   = 0x01000000
	clonePidfd         = 0x00001000
)

// cloneFlags formats clone's flags: CLONE_VM|...|SIGCHLD, the exit signal
// in the low byte last.
func cloneFlags(v uint64) string {
	sig := v & 0xff
	parts := cloneFlagNames.flagParts(v &^ 0xff)
	if sig != 0 {
		parts = append(parts, signal(sig))
	}
	if len(parts) == 0 {
		return "0"
	}
	return strings.Join(parts, "|")
}

var futexCmds = xlat{
	{0, "FUTEX_WAIT"}, {1, "FUTEX_WAKE"}, {2, "FUTEX_FD"}, {3, "FUTEX_REQUEUE"},
	{4, "FUTEX_CMP_REQUEUE"}, {5, "FUTEX_WAKE_OP"}, {6, "FUTEX_LOCK_PI"},
	{7, "FUTEX_UNLOCK_PI"}, {8, "FUTEX_TRYLOCK_PI"}, {9, "FUTEX_WAIT_BITSET"},
	{10, "FUTEX_WAKE_BITSET"}, {11, "FUTEX_WAIT_REQUEUE_PI"}, {12, "FUTEX_CMP_REQUEUE_PI"},
	{13, "FUTEX_LOCK_PI2"},
}

const (
	futexPrivate  = 128
	futexRealtime = 256
)

// futexOp formats a futex operation: FUTEX_WAIT_PRIVATE,
// FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME.
func futexOp(v uint64) string {
	op := uint32(v)
	name := futexCmds.lookup(uint64(op &^ (futexPrivate | futexRealtime)))
	if name == "" {
		return hex(uint64(op))
	}
	if op&futexPrivate != 0 {
		name += "_PRIVATE"
	}
	if op&futexRealtime != 0 {
		name += "|FUTEX_CLOCK_REALTIME"
	}
	return name
}

var archPrctlCodes = xlat{
	{0x1001, "ARCH_SET_GS"}, {0x1002, "ARCH_SET_FS"}, {0x1003, "ARCH_GET_FS"},
	{0x1004, "ARCH_GET_GS"}, {0x1011, "ARCH_GET_CPUID"}, {0x1012, "ARCH_SET_CPUID"},
	{0x1021, "ARCH_GET_XCOMP_SUPP"}, {0x1022, "ARCH_GET_XCOMP_PERM"},
	{0x1023, "ARCH_REQ_XCOMP_PERM"}, {0x1024, "ARCH_GET_XCOMP_GUEST_PERM"},
	{0x1025, "ARCH_REQ_XCOMP_GUEST_PERM"}, {0x2001, "ARCH_MAP_VDSO_X32"},
	{0x2002, "ARCH_MAP_VDSO_32"}, {0x2003, "ARCH_MAP_VDSO_64"},
	{0x4001, "ARCH_GET_UNTAG_MASK"}, {0x4002, "ARCH_ENABLE_TAGGED_ADDR"},
	{0x4003, "ARCH_GET_MAX_TAG_BITS"}, {0x4004, "ARCH_FORCE_TAGGED_SVA"},
	{0x5001, "ARCH_SHSTK_ENABLE"}, {0x5002, "ARCH_SHSTK_DISABLE"},
	{0x5003, "ARCH_SHSTK_LOCK"}, {0x5004, "ARCH_SHSTK_UNLOCK"}, {0x5005, "ARCH_SHSTK_STATUS"},
}

var prctlOptions = xlat{
	{1, "PR_SET_PDEATHSIG"}, {2, "PR_GET_PDEATHSIG"}, {3, "PR_GET_DUMPABLE"},
	{4, "PR_SET_DUMPABLE"}, {8, "PR_SET_KEEPCAPS"}, {7, "PR_GET_KEEPCAPS"},
	{15, "PR_SET_NAME"}, {16, "PR_GET_NAME"}, {21, "PR_GET_SECCOMP"},
	{22, "PR_SET_SECCOMP"}, {23, "PR_CAPBSET_READ"}, {24, "PR_CAPBSET_DROP"},
	{29, "PR_SET_TIMERSLACK"}, {30, "PR_GET_TIMERSLACK"}, {35, "PR_SET_MM"},
	{36, "PR_SET_CHILD_SUBREAPER"}, {37, "PR_GET_CHILD_SUBREAPER"},
	{38, "PR_SET_NO_NEW_PRIVS"}, {39, "PR_GET_NO_NEW_PRIVS"}, {40, "PR_GET_TID_ADDRESS"},
	{41, "PR_SET_THP_DISABLE"}, {42, "PR_GET_THP_DISABLE"}, {47, "PR_CAP_AMBIENT"},
	{0x59616d61, "PR_SET_PTRACER"}, {0x53564d41, "PR_SET_VMA"},
}

var dumpableModes = xlat{{0, "SUID_DUMP_DISABLE"}, {1, "SUID_DUMP_USER"}, {2, "SUID_DUMP_ROOT"}}

var whences = xlat{{0, "SEEK_SET"}, {1, "SEEK_CUR"}, {2, "SEEK_END"}, {3, "SEEK_DATA"}, {4, "SEEK_HOLE"}}

var accessModes = xlat{{4, "R_OK"}, {2, "W_OK"}, {1, "X_OK"}}

func accessMode(v uint64) string { return accessModes.flags(v&0xffffffff, "F_OK") }

var atFlags = xlat{
	{0x100, "AT_SYMLINK_NOFOLLOW"},
	{0x200, "AT_REMOVEDIR"},
	{0x400, "AT_SYMLINK_FOLLOW"},
	{0x800, "AT_NO_AUTOMOUNT"},
	{0x1000, "AT_EMPTY_PATH"},
	{0x8000, "AT_RECURSIVE"},
}

var faccessatFlags = xlat{{0x200, "AT_EACCESS"}, {0x100, "AT_SYMLINK_NOFOLLOW"}, {0x1000, "AT_EMPTY_PATH"}}

var statxSyncTypes = xlat{{0, "AT_STATX_SYNC_AS_STAT"}, {0x2000, "AT_STATX_FORCE_SYNC"}, {0x4000, "AT_STATX_DONT_SYNC"}}

// statxFlags formats statx's flags: the sync type, then the AT_ flags.
func statxFlags(v uint64) string {
	v &= 0xffffffff
	sync := v & 0x6000
	name := statxSyncTypes.lookup(sync)
	if name == "" {
		name = hex(sync)
	}
	parts := []string{name}
	if rest := v &^ 0x6000; rest != 0 {
		parts = append(parts, atFlags.flagParts(rest)...)
	}
	return strings.Join(parts, "|")
}

var statxMasks = xlat{
	{0xfff, "STATX_ALL"},
	{0x7ff, "STATX_BASIC_STATS"},
	{0x1, "STATX_TYPE"}, {0x2, "STATX_MODE"}, {0x4, "STATX_NLINK"}, {0x8, "STATX_UID"},
	{0x10, "STATX_GID"}, {0x20, "STATX_ATIME"}, {0x40, "STATX_MTIME"}, {0x80, "STATX_CTIME"},
	{0x100, "STATX_INO"}, {0x200, "STATX_SIZE"}, {0x400, "STATX_BLOCKS"},
	{0x800, "STATX_BTIME"}, {0x1000, "STATX_MNT_ID"}, {0x2000, "STATX_DIOALIGN"},
	{0x4000, "STATX_MNT_ID_UNIQUE"}, {0x8000, "STATX_SUBVOL"}, {0x10000, "STATX_WRITE_ATOMIC"},
}

var statxAttributes = xlat{
	{0x4, "STATX_ATTR_COMPRESSED"}, {0x10, "STATX_ATTR_IMMUTABLE"}, {0x20, "STATX_ATTR_APPEND"},
	{0x40, "STATX_ATTR_NODUMP"}, {0x800, "STATX_ATTR_ENCRYPTED"}, {0x1000, "STATX_ATTR_AUTOMOUNT"},
	{0x2000, "STATX_ATTR_MOUNT_ROOT"}, {0x100000, "STATX_ATTR_VERITY"}, {0x200000, "STATX_ATTR_DAX"},
	{0x400000, "STATX_ATTR_WRITE_ATOMIC"},
}

var sigprocmaskHows = xlat{{0, "SIG_BLOCK"}, {1, "SIG_UNBLOCK"}, {2, "SIG_SETMASK"}}

var clockIDs = xlat{
	{0, "CLOCK_REALTIME"}, {1, "CLOCK_MONOTONIC"}, {2, "CLOCK_PROCESS_CPUTIME_ID"},
	{3, "CLOCK_THREAD_CPUTIME_ID"}, {4, "CLOCK_MONOTONIC_RAW"}, {5, "CLOCK_REALTIME_COARSE"},
	{6, "CLOCK_MONOTONIC_COARSE"}, {7, "CLOCK_BOOTTIME"}, {8, "CLOCK_REALTIME_ALARM"},
	{9, "CLOCK_BOOTTIME_ALARM"}, {11, "CLOCK_TAI"},
}

func clockID(v uint64) string { return clockIDs.value(uint64(uint32(v))) }

var timerFlags = xlat{{1, "TIMER_ABSTIME"}}

var waitOptions = xlat{
	{1, "WNOHANG"}, {2, "WSTOPPED"}, {4, "WEXITED"}, {8, "WCONTINUED"},
	{0x1000000, "WNOWAIT"}, {0x20000000, "__WNOTHREAD"}, {0x40000000, "__WALL"},
	{0x80000000, "__WCLONE"},
}

// wait4Options formats wait4's options, where 2 is WUNTRACED.
var wait4Options = xlat{
	{1, "WNOHANG"}, {2, "WUNTRACED"}, {4, "WEXITED"}, {8, "WCONTINUED"},
	{0x1000000, "WNOWAIT"}, {0x20000000, "__WNOTHREAD"}, {0x40000000, "__WALL"},
	{0x80000000, "__WCLONE"},
}

var idTypes = xlat{{0, "P_ALL"}, {1, "P_PID"}, {2, "P_PGID"}, {3, "P_PIDFD"}}

var rlimitResources = xlat{
	{0, "RLIMIT_CPU"}, {1, "RLIMIT_FSIZE"}, {2, "RLIMIT_DATA"}, {3, "RLIMIT_STACK"},
	{4, "RLIMIT_CORE"}, {5, "RLIMIT_RSS"}, {6, "RLIMIT_NPROC"}, {7, "RLIMIT_NOFILE"},
	{8, "RLIMIT_MEMLOCK"}, {9, "RLIMIT_AS"}, {10, "RLIMIT_LOCKS"}, {11, "RLIMIT_SIGPENDING"},
	{12, "RLIMIT_MSGQUEUE"}, {13, "RLIMIT_NICE"}, {14, "RLIMIT_RTPRIO"}, {15, "RLIMIT_RTTIME"},
}

var rusageWho = xlat{{0, "RUSAGE_SELF"}, {0xffffffff, "RUSAGE_CHILDREN"}, {1, "RUSAGE_THREAD"}}

var epollOps = xlat{{1, "EPOLL_CTL_ADD"}, {2, "EPOLL_CTL_DEL"}, {3, "EPOLL_CTL_MOD"}}

var epollEvents = xlat{
	{0x1, "EPOLLIN"}, {0x2, "EPOLLPRI"}, {0x4, "EPOLLOUT"}, {0x8, "EPOLLERR"},
	{0x10, "EPOLLHUP"}, {0x20, "EPOLLNVAL"}, {0x40, "EPOLLRDNORM"}, {0x80, "EPOLLRDBAND"},
	{0x100, "EPOLLWRNORM"}, {0x200, "EPOLLWRBAND"}, {0x400, "EPOLLMSG"},
	{0x2000, "EPOLLRDHUP"}, {1 << 28, "EPOLLEXCLUSIVE"}, {1 << 29, "EPOLLWAKEUP"},
	{1 << 30, "EPOLLONESHOT"}, {1 << 31, "EPOLLET"},
}

var pollEvents = xlat{
	{0x1, "POLLIN"}, {0x2, "POLLPRI"}, {0x4, "POLLOUT"}, {0x8, "POLLERR"},
	{0x10, "POLLHUP"}, {0x20, "POLLNVAL"}, {0x40, "POLLRDNORM"}, {0x80, "POLLRDBAND"},
	{0x100, "POLLWRNORM"}, {0x200, "POLLWRBAND"}, {0x400, "POLLMSG"},
	{0x1000, "POLLREMOVE"}, {0x2000, "POLLRDHUP"},
}

var epollCreateFlags = xlat{{0o2000000, "EPOLL_CLOEXEC"}}
var eventfdFlags = xlat{{1, "EFD_SEMAPHORE"}, {0o2000000, "EFD_CLOEXEC"}, {0o4000, "EFD_NONBLOCK"}}
var timerfdFlags = xlat{{0o2000000, "TFD_CLOEXEC"}, {0o4000, "TFD_NONBLOCK"}}
var timerfdSetFlags = xlat{{1, "TFD_TIMER_ABSTIME"}, {2, "TFD_TIMER_CANCEL_ON_SET"}}
var signalfdFlags = xlat{{0o2000000, "SFD_CLOEXEC"}, {0o4000, "SFD_NONBLOCK"}}
var inotifyFlags = xlat{{0o2000000, "IN_CLOEXEC"}, {0o4000, "IN_NONBLOCK"}}
var getrandomFlags = xlat{{1, "GRND_NONBLOCK"}, {2, "GRND_RANDOM"}, {4, "GRND_INSECURE"}}
var renameFlags = xlat{{1, "RENAME_NOREPLACE"}, {2, "RENAME_EXCHANGE"}, {4, "RENAME_WHITEOUT"}}
var memfdFlags = xlat{
	{1, "MFD_CLOEXEC"}, {2, "MFD_ALLOW_SEALING"}, {4, "MFD_HUGETLB"},
	{8, "MFD_NOEXEC_SEAL"}, {0x10, "MFD_EXEC"},
}
var closeRangeFlags = xlat{{2, "CLOSE_RANGE_UNSHARE"}, {4, "CLOSE_RANGE_CLOEXEC"}}
var spliceFlags = xlat{{1, "SPLICE_F_MOVE"}, {2, "SPLICE_F_NONBLOCK"}, {4, "SPLICE_F_MORE"}, {8, "SPLICE_F_GIFT"}}
var flockOps = xlat{{1, "LOCK_SH"}, {2, "LOCK_EX"}, {4, "LOCK_NB"}, {8, "LOCK_UN"}}
var seccompOps = xlat{
	{0, "SECCOMP_SET_MODE_STRICT"}, {1, "SECCOMP_SET_MODE_FILTER"},
	{2, "SECCOMP_GET_ACTION_AVAIL"}, {3, "SECCOMP_GET_NOTIF_SIZES"},
}
var membarrierCmds = xlat{
	{0, "MEMBARRIER_CMD_QUERY"}, {1, "MEMBARRIER_CMD_GLOBAL"},
	{2, "MEMBARRIER_CMD_GLOBAL_EXPEDITED"}, {4, "MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED"},
	{8, "MEMBARRIER_CMD_PRIVATE_EXPEDITED"}, {16, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED"},
	{32, "MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE"},
	{64, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE"},
	{128, "MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ"},
	{256, "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ"},
}

var fcntlCmds = xlat{
	{0, "F_DUPFD"}, {1, "F_GETFD"}, {2, "F_SETFD"}, {3, "F_GETFL"}, {4, "F_SETFL"},
	{5, "F_GETLK"}, {6, "F_SETLK"}, {7, "F_SETLKW"}, {8, "F_SETOWN"}, {9, "F_GETOWN"},
	{10, "F_SETSIG"}, {11, "F_GETSIG"}, {15, "F_SETOWN_EX"}, {16, "F_GETOWN_EX"},
	{17, "F_GETOWNER_UIDS"}, {36, "F_OFD_GETLK"}, {37, "F_OFD_SETLK"}, {38, "F_OFD_SETLKW"},
	{1024, "F_SETLEASE"}, {1025, "F_GETLEASE"}, {1026, "F_NOTIFY"}, {1027, "F_DUPFD_QUERY"},
	{1028, "F_CREATED_QUERY"}, {1029, "F_CANCELLK"}, {1030, "F_DUPFD_CLOEXEC"},
	{1031, "F_SETPIPE_SZ"}, {1032, "F_GETPIPE_SZ"}, {1033, "F_ADD_SEALS"}, {1034, "F_GET_SEALS"},
}

var fdFlags = xlat{{1, "FD_CLOEXEC"}}

var sealFlags = xlat{
	{1, "F_SEAL_SEAL"}, {2, "F_SEAL_SHRINK"}, {4, "F_SEAL_GROW"}, {8, "F_SEAL_WRITE"},
	{16, "F_SEAL_FUTURE_WRITE"}, {32, "F_SEAL_EXEC"},
}

var ioctlRequests = xlat{
	{0x5401, "TCGETS"}, {0x5402, "TCSETS"}, {0x5403, "TCSETSW"}, {0x5404, "TCSETSF"},
	{0x5405, "TCGETA"}, {0x5406, "TCSETA"}, {0x5407, "TCSETAW"}, {0x5408, "TCSETAF"},
	{0x5409, "TCSBRK"}, {0x540a, "TCXONC"}, {0x540b, "TCFLSH"}, {0x540c, "TIOCEXCL"},
	{0x540d, "TIOCNXCL"}, {0x540e, "TIOCSCTTY"}, {0x540f, "TIOCGPGRP"}, {0x5410, "TIOCSPGRP"},
	{0x5411, "TIOCOUTQ"}, {0x5412, "TIOCSTI"}, {0x5413, "TIOCGWINSZ"}, {0x5414, "TIOCSWINSZ"},
	{0x5415, "TIOCMGET"}, {0x541b, "FIONREAD"}, {0x541c, "TIOCLINUX"}, {0x541d, "TIOCCONS"},
	{0x5421, "FIONBIO"}, {0x5422, "TIOCNOTTY"}, {0x5429, "TIOCGSID"}, {0x5450, "FIONCLEX"},
	{0x5451, "FIOCLEX"}, {0x5452, "FIOASYNC"}, {0x80045430, "TIOCGPTN"},
	{0x40045431, "TIOCSPTLCK"}, {0x80045432, "TIOCGDEV"}, {0x5441, "TIOCGPTPEER"},
	{0x4b33, "KDGKBTYPE"}, {0x8912, "SIOCGIFCONF"}, {0x8933, "SIOCGIFINDEX"},
}

func ioctlRequest(v uint64) string {
	if n := ioctlRequests.lookup(uint64(uint32(v))); n != "" {
		return n
	}
	return hex(uint64(uint32(v)))
}

var addressFamilies = xlat{
	{0, "AF_UNSPEC"}, {1, "AF_UNIX"}, {2, "AF_INET"}, {10, "AF_INET6"},
	{16, "AF_NETLINK"}, {17, "AF_PACKET"}, {38, "AF_ALG"}, {40, "AF_VSOCK"},
}

const (
	afUnix  = 1
	afInet  = 2
	afInet6 = 10
)

var socketTypes = xlat{
	{1, "SOCK_STREAM"}, {2, "SOCK_DGRAM"}, {3, "SOCK_RAW"}, {4, "SOCK_RDM"},
	{5, "SOCK_SEQPACKET"}, {6, "SOCK_DCCP"}, {10, "SOCK_PACKET"},
}

var socketFlags = xlat{{0o2000000, "SOCK_CLOEXEC"}, {0o4000, "SOCK_NONBLOCK"}}

// socketType formats a socket type with its flags: SOCK_STREAM|SOCK_CLOEXEC.
func socketType(v uint64) string {
	v &= 0xffffffff
	parts := []string{socketTypes.value(v & 0xf)}
	if rest := v &^ 0xf; rest != 0 {
		parts = append(parts, socketFlags.flagParts(rest)...)
	}
	return strings.Join(parts, "|")
}

var ipProtocols = xlat{
	{0, "IPPROTO_IP"}, {1, "IPPROTO_ICMP"}, {6, "IPPROTO_TCP"}, {17, "IPPROTO_UDP"},
	{41, "IPPROTO_IPV6"}, {58, "IPPROTO_ICMPV6"}, {132, "IPPROTO_SCTP"}, {255, "IPPROTO_RAW"},
}

var shutdownHows = xlat{{0, "SHUT_RD"}, {1, "SHUT_WR"}, {2, "SHUT_RDWR"}}

var msgFlags = xlat{
	{0x1, "MSG_OOB"}, {0x2, "MSG_PEEK"}, {0x4, "MSG_DONTROUTE"}, {0x8, "MSG_CTRUNC"},
	{0x10, "MSG_PROXY"}, {0x20, "MSG_TRUNC"}, {0x40, "MSG_DONTWAIT"}, {0x80, "MSG_EOR"},
	{0x100, "MSG_WAITALL"}, {0x200, "MSG_FIN"}, {0x400, "MSG_SYN"}, {0x800, "MSG_CONFIRM"},
	{0x1000, "MSG_RST"}, {0x2000, "MSG_ERRQUEUE"}, {0x4000, "MSG_NOSIGNAL"},
	{0x8000, "MSG_MORE"}, {0x10000, "MSG_WAITFORONE"}, {0x20000, "MSG_BATCH"},
	{0x4000000, "MSG_ZEROCOPY"}, {0x20000000, "MSG_FASTOPEN"}, {0x40000000, "MSG_CMSG_CLOEXEC"},
}

var socketLevels = xlat{{1, "SOL_SOCKET"}, {0, "SOL_IP"}, {6, "SOL_TCP"}, {17, "SOL_UDP"}, {41, "SOL_IPV6"}}

var socketOptions = xlat{
	{1, "SO_DEBUG"}, {2, "SO_REUSEADDR"}, {3, "SO_TYPE"}, {4, "SO_ERROR"},
	{5, "SO_DONTROUTE"}, {6, "SO_BROADCAST"}, {7, "SO_SNDBUF"}, {8, "SO_RCVBUF"},
	{9, "SO_KEEPALIVE"}, {10, "SO_OOBINLINE"}, {13, "SO_LINGER"}, {15, "SO_REUSEPORT"},
	{16, "SO_PASSCRED"}, {17, "SO_PEERCRED"}, {18, "SO_RCVLOWAT"}, {19, "SO_SNDLOWAT"},
	{20, "SO_RCVTIMEO_OLD"}, {21, "SO_SNDTIMEO_OLD"}, {38, "SO_PROTOCOL"}, {39, "SO_DOMAIN"},
}

var tcpOptions = xlat{
	{1, "TCP_NODELAY"}, {2, "TCP_MAXSEG"}, {3, "TCP_CORK"}, {4, "TCP_KEEPIDLE"},
	{5, "TCP_KEEPINTVL"}, {6, "TCP_KEEPCNT"}, {7, "TCP_SYNCNT"}, {9, "TCP_DEFER_ACCEPT"},
	{12, "TCP_QUICKACK"}, {18, "TCP_USER_TIMEOUT"}, {23, "TCP_FASTOPEN"},
}

var ipv6Options = xlat{{26, "IPV6_V6ONLY"}}

var sigactionFlags = xlat{
	{0x04000000, "SA_RESTORER"},
	{0x08000000, "SA_ONSTACK"},
	{0x10000000, "SA_RESTART"},
	{0x20000000, "SA_INTERRUPT"},
	{0x40000000, "SA_NODEFER"},
	{0x80000000, "SA_RESETHAND"},
	{0x4, "SA_SIGINFO"},
	{0x1, "SA_NOCLDSTOP"},
	{0x2, "SA_NOCLDWAIT"},
	{0x400, "SA_UNSUPPORTED"},
	{0x800, "SA_EXPOSE_TAGBITS"},
}

const saRestorer = 0x04000000

var sigaltstackFlags = xlat{{1, "SS_ONSTACK"}, {2, "SS_DISABLE"}, {1 << 31, "SS_AUTODISARM"}}

var resolveFlags = xlat{
	{0x01, "RESOLVE_NO_XDEV"}, {0x02, "RESOLVE_NO_MAGICLINKS"}, {0x04, "RESOLVE_NO_SYMLINKS"},
	{0x08, "RESOLVE_BENEATH"}, {0x10, "RESOLVE_IN_ROOT"}, {0x20, "RESOLVE_CACHED"},
}

// fileTypes are the S_IFMT values of a mode.
var fileTypes = xlat{
	{0o140000, "S_IFSOCK"}, {0o120000, "S_IFLNK"}, {0o100000, "S_IFREG"},
	{0o60000, "S_IFBLK"}, {0o40000, "S_IFDIR"}, {0o20000, "S_IFCHR"}, {0o10000, "S_IFIFO"},
}

var modeSpecialBits = xlat{{0o4000, "S_ISUID"}, {0o2000, "S_ISGID"}, {0o1000, "S_ISVTX"}}

// symbolicMode formats a file mode with its type: S_IFREG|0644.
func symbolicMode(v uint64) string {
	var parts []string
	if t := v & 0o170000; t != 0 {
		if n := fileTypes.lookup(t); n != "" {
			parts = append(parts, n)
		} else {
			parts = append(parts, octal(t))
		}
	}
	if s := v & 0o7000; s != 0 {
		parts = append(parts, modeSpecialBits.flagParts(s)...)
	}
	parts = append(parts, octal(v&0o777))
	return strings.Join(parts, "|")
}
