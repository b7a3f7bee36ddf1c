package procfs

import (
	"time"

	"quartz/kernel/vfs"
)

// Provider is where procfs's content comes from. procfs calls it on
// lookups, listings and opens, from any goroutine, so it keeps its own
// locks.
type Provider interface {
	// PIDs lists the thread groups (by leader id) to show, ascending;
	// zombies included, as Linux lists them until they are reaped.
	PIDs() []int
	// Process finds a thread group by its leader's id, false when there
	// is none. Given the id of a thread that is not a leader it may
	// return that thread's group: Linux serves /proc/<tid> too, without
	// listing it.
	Process(pid int) (Process, bool)
	// System is the machine-wide state of the moment.
	System() SystemInfo
}

// Process is one thread group as procfs sees it. Its methods answer for
// the moment they are called; once the group is gone they may answer
// with its last state or with nothing (nil bytes, empty lists, errors).
type Process interface {
	// Info is the group as /proc/<pid>/stat and status show it: the
	// leader's identity and state, times and faults summed over the
	// group's threads.
	Info() ProcessInfo
	// Thread is one thread as task/<tid>/stat and status show it: PID is
	// tid, State, Comm, times, faults and SigPending its own, the rest
	// the group's. False when tid is not (or no longer) in the group.
	Thread(tid int) (ProcessInfo, bool)
	// TIDs lists the group's thread ids, ascending.
	TIDs() []int

	// Cmdline, Environ and Maps are the texts of the files of those
	// names (NUL-separated arguments and environment as Linux reads
	// them from the process's memory; the maps lines).
	Cmdline() []byte
	Environ() []byte
	Maps() []byte
	// Mounts are the mounts of the process's name space, parents first,
	// with mount points as seen from its root (see NamespaceMounts).
	Mounts() []MountEntry

	// Exe, Cwd and Root are the targets of those links; an error
	// (ENOENT) when there is none, as for a zombie.
	Exe() (Link, error)
	Cwd() (Link, error)
	Root() (Link, error)

	// FDs lists the open descriptors, ascending.
	FDs() []int
	// FD describes one, or fails (EBADF, ENOENT) when it is not open.
	FD(fd int) (FDInfo, error)
}

// Link is where a magic link (exe, cwd, root, fd/N) leads and what it
// reads as.
type Link struct {
	// Path is what following the link reaches, whatever its name says.
	// A Dentry with no Mount is fine for objects outside the tree (a
	// pipe's inode): stat and open work on it. With no Dentry the link
	// leads nowhere and following it fails with ENXIO, as it does on
	// Linux for a socket's open.
	Path vfs.Path
	// Text is what readlink(2) gives: an absolute path, possibly with
	// " (deleted)", or a name such as "pipe:[42]" or "anon_inode:[eventfd]".
	Text string
}

// FDInfo is one open descriptor: its link, and the fields of
// /proc/<pid>/fdinfo/<fd>.
type FDInfo struct {
	Link
	// Flags are the open file's status flags and access mode
	// (fcntl(F_GETFL)), with O_CLOEXEC added when the descriptor has
	// FD_CLOEXEC. The access mode also sets the link's permission bits.
	Flags int
	Pos   int64
	MntID int
	// Ino is the file's inode number; 0 takes it from Path's inode.
	Ino uint64
	// Extra are more fdinfo lines particular to the file (eventfd-count,
	// epoll's tfd lines...), each ending in "\n".
	Extra string
}

// ProcessInfo is what stat and status report about a thread group or a
// thread.
type ProcessInfo struct {
	PID       int // the thread's id; the leader's for a group
	TGID      int
	PPID      int
	PGRP      int
	SID       int
	TracerPID int
	Comm      string
	// State is Linux's letter: R running, S sleeping, D disk sleep,
	// T stopped, t tracing stop, X dead, Z zombie, P parked, I idle.
	State byte
	// Flags are Linux's PF_* task flags (stat's ninth field); user
	// processes usually have PF_RANDOMIZE (0x400000).
	Flags uint32

	// TTY is the controlling terminal's device number (unix.Mkdev), 0 for
	// none; TPGID its foreground process group, -1 for none.
	TTY   uint64
	TPGID int

	UID, GID [4]uint32 // real, effective, saved, file system
	Groups   []uint32
	Umask    uint32
	// Capability sets, bit n for capability n.
	CapInh, CapPrm, CapEff, CapBnd, CapAmb uint64

	NoNewPrivs     bool
	Seccomp        int // 0 off, 1 strict, 2 filter
	SeccompFilters int

	Priority, Nice     int // as stat shows them: 20 and 0 for a default thread
	RTPriority, Policy int
	CPU                int // the CPU it last ran on
	// CPUsAllowed is the affinity mask, indexed by CPU number; its length
	// is the number of CPUs the system has.
	CPUsAllowed []bool
	Threads     int

	VoluntarySwitches, InvoluntarySwitches uint64

	// Start is when it started, since boot; times are shown in clock
	// ticks of 1/100 s (USER_HZ), truncated.
	Start          time.Duration
	UTime, STime   time.Duration
	CUTime, CSTime time.Duration // waited-for children's

	MinFlt, CMinFlt, MajFlt, CMajFlt uint64

	// Signal sets, bit n-1 for signal n: pending to the thread (the
	// group's own for a group), pending to the group, blocked, ignored,
	// caught (a handler installed).
	SigPending, SigShared, SigBlocked, SigIgnored, SigCaught uint64
	// SigQueued and SigQueueLimit are status's SigQ: queued signals of
	// the user, and RLIMIT_SIGPENDING.
	SigQueued, SigQueueLimit uint64

	ExitSignal int // sent to the parent at exit (SIGCHLD)
	ExitCode   int // the wait status, once exiting
	FDSize     int // slots in the descriptor table
	// RSSLimit is RLIMIT_RSS's soft limit; ^uint64(0) when unlimited.
	RSSLimit uint64
	// Mem is the address space; nil when there is none (a zombie, a
	// kernel thread), which blanks the memory fields as on Linux.
	Mem *MemoryInfo
}

// MemoryInfo is an address space's sizes (bytes) and layout.
type MemoryInfo struct {
	Peak, Size                 uint64 // VmPeak, VmSize: mapped, at most and now
	Locked, Pinned             uint64
	HWM, RSS                   uint64 // resident, at most and now
	RSSAnon, RSSFile, RSSShmem uint64 // resident anonymous, file and shared memory
	Data, Stack, Exe, Lib      uint64
	PTE, Swap                  uint64
	THPDisabled                bool // prctl(PR_SET_THP_DISABLE)

	// Layout, for stat's address fields.
	StartCode, EndCode, StartStack     uint64
	StartData, EndData, StartBrk       uint64
	ArgStart, ArgEnd, EnvStart, EnvEnd uint64
}

// MountEntry is one line of /proc/<pid>/mounts.
type MountEntry struct {
	Source, Dir, FSType string
	ReadOnly            bool
	// Options are more mount options after "rw" or "ro"
	// ("nosuid,relatime"), or "".
	Options string
}

// SystemInfo is the machine-wide state the system files show.
type SystemInfo struct {
	Uptime   time.Duration
	BootTime time.Time
	// Load is the 1, 5 and 15 minute load averages.
	Load    [3]float64
	Running int // runnable threads
	Blocked int // threads in uninterruptible sleep
	Threads int // all threads
	LastPID int // the most recently given process id
	Forks   uint64
	// ContextSwitches since boot.
	ContextSwitches uint64
	CPUs            []CPU
	Memory          Memory
	Kernel          Kernel
	FileSystems     []FileSystem
}

// CPU is one processor as /proc/cpuinfo (x86 layout) and /proc/stat show
// it.
type CPU struct {
	VendorID, ModelName     string
	Family, Model, Stepping int
	Microcode               uint32 // 0 omits the line
	MHz                     float64
	CacheSizeKB             int // 0 omits the line
	PhysicalID, Siblings    int
	CoreID, Cores           int
	APICID, InitialAPICID   int
	CPUIDLevel              int
	Flags, Bugs             []string
	BogoMIPS                float64
	TLBSize                 int // 4K pages; 0 omits the line (only AMD has it)
	CLFlushSize             int
	CacheAlignment          int
	PhysBits, VirtBits      int
	PowerManagement         []string
	Times                   CPUTimes
}

// CPUTimes is how a CPU spent its time since boot.
type CPUTimes struct {
	User, Nice, System, Idle, IOWait time.Duration
	IRQ, SoftIRQ, Steal              time.Duration
	Guest, GuestNice                 time.Duration
}

// Memory is the machine's memory in bytes, as /proc/meminfo reports it.
// Fields Linux has that Quartz has no notion of read as 0.
type Memory struct {
	Total, Free, Available uint64
	Buffers, Cached        uint64
	Shmem, Anon, Mapped    uint64
	SwapTotal, SwapFree    uint64
	Committed              uint64 // Committed_AS
	PageTables             uint64
	KernelStack, Slab      uint64
}

// Kernel names the kernel for /proc/version:
// "Linux version <Release> <Build> <Version>".
type Kernel struct {
	Release string // uname -r
	Build   string // "(user@host) (compiler, linker)"
	Version string // uname -v
}

// FileSystem is one line of /proc/filesystems.
type FileSystem struct {
	Name  string
	NoDev bool // needs no block device (tmpfs, proc)
}
