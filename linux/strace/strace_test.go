package strace

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"quartz/linux/abi"
)

// fakeMem is guest memory made of a few regions; anything else faults.
type fakeMem struct {
	regions map[uint64][]byte
}

func newMem() *fakeMem { return &fakeMem{regions: map[uint64][]byte{}} }

// put stores b at addr and returns addr.
func (m *fakeMem) put(addr uint64, b []byte) uint64 {
	m.regions[addr] = append([]byte(nil), b...)
	return addr
}

// str stores a NUL-terminated string at addr.
func (m *fakeMem) str(addr uint64, s string) uint64 {
	return m.put(addr, append([]byte(s), 0))
}

// u64s stores 64-bit words at addr.
func (m *fakeMem) u64s(addr uint64, vs ...uint64) uint64 {
	b := make([]byte, 8*len(vs))
	for i, v := range vs {
		binary.LittleEndian.PutUint64(b[i*8:], v)
	}
	return m.put(addr, b)
}

// find returns the bytes from addr to the end of its region.
func (m *fakeMem) find(addr uint64) []byte {
	for base, b := range m.regions {
		if addr >= base && addr < base+uint64(len(b)) {
			return b[addr-base:]
		}
	}
	return nil
}

func (m *fakeMem) ReadBytes(addr uint64, n int) ([]byte, error) {
	b := m.find(addr)
	if len(b) < n {
		return append([]byte(nil), b...), unix.EFAULT
	}
	return append([]byte(nil), b[:n]...), nil
}

func (m *fakeMem) ReadString(addr uint64, max int) (string, error) {
	b := m.find(addr)
	if i := bytes.IndexByte(b[:min(len(b), max)], 0); i >= 0 {
		return string(b[:i]), nil
	}
	if len(b) < max {
		return "", unix.EFAULT
	}
	return "", unix.ENAMETOOLONG
}

func errno(e unix.Errno) int64 { return -int64(e) }

func args(a ...uint64) [6]uint64 {
	var r [6]uint64
	copy(r[:], a)
	return r
}

const atFDCWD = ^uint64(99) // -100

type lineTest struct {
	name string
	nr   uint64
	args [6]uint64
	ret  int64
	want string
}

func runLines(t *testing.T, mem Memory, tests []lineTest) {
	t.Helper()
	for _, tt := range tests {
		if got := Line(tt.nr, tt.args, tt.ret, mem); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, tt.want)
		}
	}
}

func TestOpenat(t *testing.T) {
	m := newMem()
	passwd := m.str(0x1000, "/etc/passwd")
	out := m.str(0x2000, "out.txt")
	dot := m.str(0x3000, ".")
	runLines(t, m, []lineTest{
		{"openat", abi.SysOpenat, args(atFDCWD, passwd, unix.O_RDONLY|unix.O_CLOEXEC), 3,
			`openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3`},
		{"openat creat", abi.SysOpenat, args(atFDCWD, out, unix.O_WRONLY|unix.O_CREAT|unix.O_TRUNC, 0o644), 4,
			`openat(AT_FDCWD, "out.txt", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 4`},
		{"openat dir", abi.SysOpenat, args(atFDCWD, dot, unix.O_RDONLY|unix.O_NONBLOCK|unix.O_CLOEXEC|unix.O_DIRECTORY), 3,
			`openat(AT_FDCWD, ".", O_RDONLY|O_NONBLOCK|O_CLOEXEC|O_DIRECTORY) = 3`},
		{"openat dirfd", abi.SysOpenat, args(5, passwd, unix.O_RDWR|unix.O_APPEND|unix.O_NOFOLLOW), 6,
			`openat(5, "/etc/passwd", O_RDWR|O_APPEND|O_NOFOLLOW) = 6`},
		{"openat path", abi.SysOpenat, args(atFDCWD, passwd, unix.O_PATH|unix.O_CLOEXEC), 3,
			`openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC|O_PATH) = 3`},
		{"open enoent", abi.SysOpen, args(passwd, unix.O_RDONLY), errno(unix.ENOENT),
			`open("/etc/passwd", O_RDONLY) = -1 ENOENT (No such file or directory)`},
	})
	if got, want := Enter(abi.SysOpenat, args(atFDCWD, passwd, unix.O_RDONLY|unix.O_CLOEXEC), m),
		`openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC`; got != want {
		t.Errorf("Enter = %s, want %s", got, want)
	}
	if got, want := Exit(abi.SysOpenat, args(atFDCWD, passwd), 3, m), " = 3"; got != want {
		t.Errorf("Exit = %q, want %q", got, want)
	}
}

func TestWriteBuffer(t *testing.T) {
	m := newMem()
	hello := m.put(0x1000, []byte("hello, world\n"))
	esc := m.put(0x2000, []byte("a\tb\"c\\d\r\x00\x01\x7f\xff"))
	digit := m.put(0x3000, []byte{0, '1', 7, '7', 0o177, '9'})
	long := m.put(0x4000, []byte(strings.Repeat("0123456789", 5)))
	elf := m.put(0x5000, []byte("\x7fELF\x02\x01\x01\x00\x00\x00"))
	runLines(t, m, []lineTest{
		{"write", abi.SysWrite, args(1, hello, 13), 13, `write(1, "hello, world\n", 13) = 13`},
		{"escapes", abi.SysWrite, args(2, esc, 12), 12, `write(2, "a\tb\"c\\d\r\0\1\177\377", 12) = 12`},
		{"octal before digit", abi.SysWrite, args(1, digit, 6), 6, `write(1, "\0001\0077\1779", 6) = 6`},
		{"truncated", abi.SysWrite, args(1, long, 50), 50,
			`write(1, "01234567890123456789012345678901"..., 50) = 50`},
		{"exactly 32", abi.SysWrite, args(1, long, 32), 32,
			`write(1, "01234567890123456789012345678901", 32) = 32`},
		{"elf", abi.SysPwrite64, args(3, elf, 10, 64), 10, `pwrite64(3, "\177ELF\2\1\1\0\0\0", 10, 64) = 10`},
		{"epipe", abi.SysWrite, args(1, hello, 13), errno(unix.EPIPE), `write(1, "hello, world\n", 13) = -1 EPIPE (Broken pipe)`},
	})
}

func TestReadBuffer(t *testing.T) {
	m := newMem()
	buf := m.put(0x1000, []byte("root:x:0:0:root:/root:/bin/bash\nbin:x:1:1"))
	runLines(t, m, []lineTest{
		{"read", abi.SysRead, args(3, buf, 4096), 5, `read(3, "root:", 4096) = 5`},
		{"read long", abi.SysRead, args(3, buf, 4096), 42, `read(3, "root:x:0:0:root:/root:/bin/bash\n"..., 4096) = 42`},
		{"read eof", abi.SysRead, args(3, buf, 4096), 0, `read(3, "", 4096) = 0`},
		{"read eagain", abi.SysRead, args(3, buf, 4096), errno(unix.EAGAIN),
			`read(3, 0x1000, 4096) = -1 EAGAIN (Resource temporarily unavailable)`},
		{"pread64", abi.SysPread64, args(3, buf, 832, 64), 4, `pread64(3, "root", 832, 64) = 4`},
	})
	// Before the call the buffer holds nothing worth showing.
	if got, want := Enter(abi.SysRead, args(3, buf, 4096), m), "read(3, 0x1000, 4096"; got != want {
		t.Errorf("Enter = %s, want %s", got, want)
	}
}

func TestMmap(t *testing.T) {
	runLines(t, newMem(), []lineTest{
		{"anon", abi.SysMmap, args(0, 8192, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS, ^uint64(0), 0),
			0x7f1234560000,
			`mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f1234560000`},
		{"file fixed", abi.SysMmap, args(0x7f0000028000, 1363968, unix.PROT_READ|unix.PROT_EXEC, unix.MAP_PRIVATE|unix.MAP_FIXED|unix.MAP_DENYWRITE, 3, 0x28000),
			0x7f0000028000,
			`mmap(0x7f0000028000, 1363968, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x28000) = 0x7f0000028000`},
		{"stack", abi.SysMmap, args(0, 1<<20, unix.PROT_NONE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS|unix.MAP_STACK|unix.MAP_NORESERVE, ^uint64(0), 0),
			0x7f0000000000,
			`mmap(NULL, 1048576, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE|MAP_STACK, -1, 0) = 0x7f0000000000`},
		{"shared unknown bit", abi.SysMmap, args(0, 4096, unix.PROT_READ|0x100, unix.MAP_SHARED|0x8000000, 4, 0),
			0x7f0000000000,
			`mmap(NULL, 4096, PROT_READ|0x100, MAP_SHARED|0x8000000, 4, 0) = 0x7f0000000000`},
		{"enomem", abi.SysMmap, args(0, 1<<40, unix.PROT_READ, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS, ^uint64(0), 0),
			errno(unix.ENOMEM),
			`mmap(NULL, 1099511627776, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = -1 ENOMEM (Cannot allocate memory)`},
		{"mprotect", abi.SysMprotect, args(0x7f0000001000, 4096, unix.PROT_READ), 0,
			`mprotect(0x7f0000001000, 4096, PROT_READ) = 0`},
		{"munmap", abi.SysMunmap, args(0x7f0000001000, 4096), 0, `munmap(0x7f0000001000, 4096) = 0`},
		{"brk", abi.SysBrk, args(0), 0x555555559000, `brk(NULL) = 0x555555559000`},
		{"mremap", abi.SysMremap, args(0x7f0000001000, 4096, 8192, 1), 0x7f0000100000,
			`mremap(0x7f0000001000, 4096, 8192, MREMAP_MAYMOVE) = 0x7f0000100000`},
		{"hugetlb", abi.SysMmap, args(0, 4096, 7, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS|unix.MAP_HUGETLB|21<<26, ^uint64(0), 0), errno(unix.ENOMEM),
			`mmap(NULL, 4096, PROT_READ|PROT_WRITE|PROT_EXEC, MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB|21<<MAP_HUGE_SHIFT, -1, 0) = -1 ENOMEM (Cannot allocate memory)`},
		{"madvise", abi.SysMadvise, args(0x7f0000001000, 4096, 4), 0,
			`madvise(0x7f0000001000, 4096, MADV_DONTNEED) = 0`},
	})
}

func TestErrors(t *testing.T) {
	m := newMem()
	p := m.str(0x1000, "/nope")
	runLines(t, m, []lineTest{
		{"enoent", abi.SysOpenat, args(atFDCWD, p, unix.O_RDONLY), errno(unix.ENOENT),
			`openat(AT_FDCWD, "/nope", O_RDONLY) = -1 ENOENT (No such file or directory)`},
		{"ebadf", abi.SysClose, args(99), errno(unix.EBADF), `close(99) = -1 EBADF (Bad file descriptor)`},
		{"erestartsys", abi.SysWait4, args(^uint64(0), 0x2000, 0, 0), errno(abi.ERESTARTSYS),
			`wait4(-1, 0x2000, 0, NULL) = ? ERESTARTSYS (To be restarted if SA_RESTART is set)`},
		{"max errno", abi.SysClose, args(3), -4095, `close(3) = -1 E4095 (Unknown error 4095)`},
		{"not an error", abi.SysLseek, args(3, 0, 2), -4096, `lseek(3, 0, SEEK_END) = -4096`},
	})
}

func TestUnknownSyscall(t *testing.T) {
	runLines(t, newMem(), []lineTest{
		{"999", 999, args(1, 2, 0, 0, 0, ^uint64(0)), errno(unix.ENOSYS),
			`syscall_999(0x1, 0x2, 0, 0, 0, 0xffffffffffffffff) = -1 ENOSYS (Function not implemented)`},
		{"hole", 400, args(), errno(unix.ENOSYS),
			`syscall_400(0, 0, 0, 0, 0, 0) = -1 ENOSYS (Function not implemented)`},
		// A call Linux has but this package has no signature for.
		{"no signature", abi.SysTuxcall, args(7), errno(unix.ENOSYS),
			`tuxcall(0x7, 0, 0, 0, 0, 0) = -1 ENOSYS (Function not implemented)`},
	})
}

func TestExecve(t *testing.T) {
	m := newMem()
	path := m.str(0x1000, "/bin/ls")
	ls := m.str(0x1100, "ls")
	l := m.str(0x1200, "-l")
	long := m.str(0x1300, strings.Repeat("x", 40))
	argv := m.u64s(0x2000, ls, l, 0)
	argvLong := m.u64s(0x2100, ls, long, 0)
	env := m.u64s(0x3000, m.str(0x3100, "HOME=/"), m.str(0x3200, "PATH=/bin"), 0)
	oneEnv := m.u64s(0x3300, m.str(0x3400, "A=b"), 0)
	empty := m.u64s(0x3500, 0)
	runLines(t, m, []lineTest{
		{"execve", abi.SysExecve, args(path, argv, env), 0,
			`execve("/bin/ls", ["ls", "-l"], 0x3000 /* 2 vars */) = 0`},
		{"long arg", abi.SysExecve, args(path, argvLong, oneEnv), 0,
			`execve("/bin/ls", ["ls", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"...], 0x3300 /* 1 var */) = 0`},
		{"empty", abi.SysExecve, args(path, empty, 0), errno(unix.ENOENT),
			`execve("/bin/ls", [], NULL) = -1 ENOENT (No such file or directory)`},
		{"bad argv", abi.SysExecve, args(path, 0xdead000, 0xbeef000), errno(unix.EFAULT),
			`execve("/bin/ls", 0xdead000, 0xbeef000) = -1 EFAULT (Bad address)`},
	})
}

func TestBadPointer(t *testing.T) {
	m := newMem()
	buf := m.put(0x1000, []byte("abc"))
	runLines(t, m, []lineTest{
		{"path", abi.SysOpenat, args(atFDCWD, 0xdead0000, unix.O_RDONLY), errno(unix.EFAULT),
			`openat(AT_FDCWD, 0xdead0000, O_RDONLY) = -1 EFAULT (Bad address)`},
		{"null path", abi.SysOpen, args(0, unix.O_RDONLY), errno(unix.EFAULT),
			`open(NULL, O_RDONLY) = -1 EFAULT (Bad address)`},
		{"buffer", abi.SysWrite, args(1, 0xdead0000, 10), errno(unix.EFAULT),
			`write(1, 0xdead0000, 10) = -1 EFAULT (Bad address)`},
		{"short buffer", abi.SysWrite, args(1, buf, 10), errno(unix.EFAULT),
			`write(1, 0x1000, 10) = -1 EFAULT (Bad address)`},
		{"stat", abi.SysFstat, args(3, 0xdead0000), 0, `fstat(3, 0xdead0000) = 0`},
		{"timespec", abi.SysNanosleep, args(0xdead0000, 0), errno(unix.EFAULT),
			`nanosleep(0xdead0000, NULL) = -1 EFAULT (Bad address)`},
	})
	// Without memory at all, pointers print as addresses.
	if got, want := Line(abi.SysOpenat, args(atFDCWD, 0x1000, unix.O_RDONLY), 3, nil),
		`openat(AT_FDCWD, 0x1000, O_RDONLY) = 3`; got != want {
		t.Errorf("nil memory: got %s, want %s", got, want)
	}
}

func TestUnterminatedPath(t *testing.T) {
	m := newMem()
	long := m.put(0x10000, bytes.Repeat([]byte{'a'}, maxPathLen+10))
	got := Line(abi.SysChdir, args(long), errno(unix.ENAMETOOLONG), m)
	want := `chdir("` + strings.Repeat("a", maxPathLen) + `"...) = -1 ENAMETOOLONG (File name too long)`
	if got != want {
		t.Errorf("got %.60s..., want %.60s...", got, want)
	}
}

func TestProcessCalls(t *testing.T) {
	m := newMem()
	status := m.put(0x1000, []byte{0, 1, 0, 0}) // exited with 1
	killed := m.put(0x1100, []byte{0x89, 0, 0, 0})
	tid := m.put(0x1200, []byte{0x39, 0x30, 0, 0}) // 12345
	cloneArgs := m.u64s(0x2000,
		unix.CLONE_VM|unix.CLONE_FS|unix.CLONE_FILES|unix.CLONE_SIGHAND|unix.CLONE_THREAD|
			unix.CLONE_SYSVSEM|unix.CLONE_SETTLS|unix.CLONE_PARENT_SETTID|unix.CLONE_CHILD_CLEARTID,
		0, 0x7f00000a990, tid, 0, 0x7f000000000, 0x7fff80, 0x7f00000a6c0)
	runLines(t, m, []lineTest{
		{"exit_group", abi.SysExitGroup, args(0), 0, `exit_group(0) = ?`},
		{"exit", abi.SysExit, args(3), 0, `exit(3) = ?`},
		{"clone", abi.SysClone, args(unix.CLONE_CHILD_CLEARTID|unix.CLONE_CHILD_SETTID|uint64(unix.SIGCHLD), 0, 0, 0x7f0000000a10, 0), 123,
			`clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f0000000a10) = 123`},
		{"clone thread", abi.SysClone, args(unix.CLONE_VM|unix.CLONE_THREAD|unix.CLONE_SIGHAND|unix.CLONE_SETTLS|unix.CLONE_PARENT_SETTID, 0x7f0000100000, tid, 0, 0x7f0000200000), 12345,
			`clone(child_stack=0x7f0000100000, flags=CLONE_VM|CLONE_SIGHAND|CLONE_THREAD|CLONE_SETTLS|CLONE_PARENT_SETTID, parent_tid=[12345], tls=0x7f0000200000) = 12345`},
		{"clone3", abi.SysClone3, args(cloneArgs, 88), 12345,
			`clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x7f00000a990, parent_tid=0x1200, exit_signal=0, stack=0x7f000000000, stack_size=0x7fff80, tls=0x7f00000a6c0} => {parent_tid=[12345]}, 88) = 12345`},
		{"wait4", abi.SysWait4, args(^uint64(0), status, 0, 0), 124,
			`wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 1}], 0, NULL) = 124`},
		{"wait4 signaled", abi.SysWait4, args(124, killed, unix.WNOHANG, 0), 124,
			`wait4(124, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL && WCOREDUMP(s)}], WNOHANG, NULL) = 124`},
		{"wait4 nohang", abi.SysWait4, args(^uint64(0), status, unix.WNOHANG, 0), 0,
			`wait4(-1, 0x1000, WNOHANG, NULL) = 0`},
		{"kill", abi.SysKill, args(123, uint64(unix.SIGTERM)), 0, `kill(123, SIGTERM) = 0`},
		{"kill 0", abi.SysKill, args(123, 0), 0, `kill(123, 0) = 0`},
		{"tgkill", abi.SysTgkill, args(100, 101, uint64(unix.SIGSEGV)), 0, `tgkill(100, 101, SIGSEGV) = 0`},
		{"tkill rt", abi.SysTkill, args(101, 35), 0, `tkill(101, SIGRT_3) = 0`},
		{"getpid", abi.SysGetpid, args(), 42, `getpid() = 42`},
		{"set_tid_address", abi.SysSetTidAddress, args(0x7f0000000a10), 42, `set_tid_address(0x7f0000000a10) = 42`},
		{"arch_prctl", abi.SysArchPrctl, args(0x1002, 0x7f0000000740), 0, `arch_prctl(ARCH_SET_FS, 0x7f0000000740) = 0`},
		{"set_robust_list", abi.SysSetRobustList, args(0x7f0000000a20, 24), 0, `set_robust_list(0x7f0000000a20, 24) = 0`},
		{"rseq", abi.SysRseq, args(0x7f0000001060, 0x20, 0, 0x53053053), 0, `rseq(0x7f0000001060, 0x20, 0, 0x53053053) = 0`},
		{"prlimit64", abi.SysPrlimit64, args(0, 3, 0, m.u64s(0x3000, 8192*1024, ^uint64(0))), 0,
			`prlimit64(0, RLIMIT_STACK, NULL, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}) = 0`},
		{"prctl", abi.SysPrctl, args(15, m.str(0x4000, "worker")), 0, `prctl(PR_SET_NAME, "worker") = 0`},
		{"prctl pdeathsig", abi.SysPrctl, args(1, 9), 0, `prctl(PR_SET_PDEATHSIG, SIGKILL) = 0`},
		{"close_range", abi.SysCloseRange, args(3, 0xffffffff, 0), 0, `close_range(3, 4294967295, 0) = 0`},
		{"nanosleep", abi.SysNanosleep, args(m.u64s(0x4100, 0, 1), m.u64s(0x4200, 0, 0)), 0,
			`nanosleep({tv_sec=0, tv_nsec=1}, 0x4200) = 0`},
		{"nanosleep eintr", abi.SysNanosleep, args(0x4100, 0x4200), errno(unix.EINTR),
			`nanosleep({tv_sec=0, tv_nsec=1}, {tv_sec=0, tv_nsec=0}) = -1 EINTR (Interrupted system call)`},
		{"umask", abi.SysUmask, args(0o22), 0o22, `umask(022) = 022`},
	})
}

func TestFutex(t *testing.T) {
	runLines(t, newMem(), []lineTest{
		{"wait", abi.SysFutex, args(0x7f0000000100, 0|128, 2, 0), 0,
			`futex(0x7f0000000100, FUTEX_WAIT_PRIVATE, 2, NULL) = 0`},
		{"wake", abi.SysFutex, args(0x7f0000000100, 1|128, 1), 1,
			`futex(0x7f0000000100, FUTEX_WAKE_PRIVATE, 1) = 1`},
		{"wait bitset", abi.SysFutex, args(0x7f0000000100, 9|128|256, 0, 0, 0, 0xffffffff), errno(unix.EAGAIN),
			`futex(0x7f0000000100, FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME, 0, NULL, FUTEX_BITSET_MATCH_ANY) = -1 EAGAIN (Resource temporarily unavailable)`},
	})
}

func TestSignals(t *testing.T) {
	m := newMem()
	act := m.u64s(0x1000, 0x401000, 0x14000000, 0x401100, 0)
	mask := m.u64s(0x2000, 1<<(unix.SIGCHLD-1))
	full := m.u64s(0x2100, ^uint64(0)&^(1<<31|1<<32))
	old := m.u64s(0x2200, 0)
	runLines(t, m, []lineTest{
		{"rt_sigaction", abi.SysRtSigaction, args(uint64(unix.SIGINT), act, 0, 8), 0,
			`rt_sigaction(SIGINT, {sa_handler=0x401000, sa_mask=[], sa_flags=SA_RESTORER|SA_RESTART, sa_restorer=0x401100}, NULL, 8) = 0`},
		{"rt_sigaction old", abi.SysRtSigaction, args(uint64(unix.SIGPIPE), 0, m.u64s(0x1100, 1, 0, 0, 0), 8), 0,
			`rt_sigaction(SIGPIPE, NULL, {sa_handler=SIG_IGN, sa_mask=[], sa_flags=0}, 8) = 0`},
		{"rt_sigprocmask", abi.SysRtSigprocmask, args(0, mask, old, 8), 0,
			`rt_sigprocmask(SIG_BLOCK, [CHLD], [], 8) = 0`},
		{"rt_sigprocmask full", abi.SysRtSigprocmask, args(2, full, 0, 8), 0,
			`rt_sigprocmask(SIG_SETMASK, ~[RTMIN RT_1], NULL, 8) = 0`},
		{"sigaltstack", abi.SysSigaltstack, args(m.u64s(0x3000, 0x7f0000010000, 0, 8192), 0), 0,
			`sigaltstack({ss_sp=0x7f0000010000, ss_flags=0, ss_size=8192}, NULL) = 0`},
	})
}

func TestStructs(t *testing.T) {
	m := newMem()
	st := make([]byte, 144)
	binary.LittleEndian.PutUint32(st[24:], 0o100644)
	binary.LittleEndian.PutUint64(st[48:], 2263)
	stat := m.put(0x1000, st)
	dev := make([]byte, 144)
	binary.LittleEndian.PutUint32(dev[24:], 0o20666)
	binary.LittleEndian.PutUint64(dev[40:], 0x103)
	null := m.put(0x2000, dev)
	path := m.str(0x3000, "/etc/hosts")
	uts := make([]byte, 65*6)
	copy(uts, "Linux")
	copy(uts[65:], "quartz")
	runLines(t, m, []lineTest{
		{"fstat", abi.SysFstat, args(3, stat), 0, `fstat(3, {st_mode=S_IFREG|0644, st_size=2263, ...}) = 0`},
		{"newfstatat", abi.SysNewfstatat, args(atFDCWD, path, stat, unix.AT_SYMLINK_NOFOLLOW), 0,
			`newfstatat(AT_FDCWD, "/etc/hosts", {st_mode=S_IFREG|0644, st_size=2263, ...}, AT_SYMLINK_NOFOLLOW) = 0`},
		{"stat dev", abi.SysStat, args(m.str(0x3100, "/dev/null"), null), 0,
			`stat("/dev/null", {st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}) = 0`},
		{"stat failed", abi.SysStat, args(path, stat), errno(unix.ENOENT),
			`stat("/etc/hosts", 0x1000) = -1 ENOENT (No such file or directory)`},
		{"uname", abi.SysUname, args(m.put(0x4000, uts)), 0, `uname({sysname="Linux", nodename="quartz", ...}) = 0`},
		{"clock_gettime", abi.SysClockGettime, args(1, m.u64s(0x5000, 12, 345)), 0,
			`clock_gettime(CLOCK_MONOTONIC, {tv_sec=12, tv_nsec=345}) = 0`},
		{"pipe2", abi.SysPipe2, args(m.put(0x6000, []byte{3, 0, 0, 0, 4, 0, 0, 0}), unix.O_CLOEXEC), 0,
			`pipe2([3, 4], O_CLOEXEC) = 0`},
		{"getcwd", abi.SysGetcwd, args(m.str(0x7000, "/home/user"), 4096), 11, `getcwd("/home/user", 4096) = 11`},
		{"getrandom", abi.SysGetrandom, args(m.put(0x8000, []byte{0xde, 0xad, 'a', 0}), 4, 1), 4,
			`getrandom("\xde\xad\x61\x00", 4, GRND_NONBLOCK) = 4`},
		{"writev", abi.SysWritev, args(1, m.u64s(0x9000, path, 5, path+5, 5), 2), 10,
			`writev(1, [{iov_base="/etc/", iov_len=5}, {iov_base="hosts", iov_len=5}], 2) = 10`},
	})
}

func TestMisc(t *testing.T) {
	m := newMem()
	pfd := m.put(0x1000, []byte{3, 0, 0, 0, 1, 0, 1, 0})
	ev := m.put(0x2000, []byte{1, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0})
	runLines(t, m, []lineTest{
		{"fcntl getfl", abi.SysFcntl, args(3, unix.F_GETFL), 0x8002, `fcntl(3, F_GETFL) = 0x8002 (flags O_RDWR|O_LARGEFILE)`},
		{"fcntl setfd", abi.SysFcntl, args(3, unix.F_SETFD, unix.FD_CLOEXEC), 0, `fcntl(3, F_SETFD, FD_CLOEXEC) = 0`},
		{"fcntl dupfd", abi.SysFcntl, args(3, unix.F_DUPFD_CLOEXEC, 10), 10, `fcntl(3, F_DUPFD_CLOEXEC, 10) = 10`},
		{"poll", abi.SysPoll, args(pfd, 1, ^uint64(0)), 1, `poll([{fd=3, events=POLLIN}], 1, -1) = 1 ([{fd=3, revents=POLLIN}])`},
		{"poll timeout", abi.SysPoll, args(pfd, 1, 0), 0, `poll([{fd=3, events=POLLIN}], 1, 0) = 0 (Timeout)`},
		{"epoll_ctl", abi.SysEpollCtl, args(4, 1, 3, ev), 0,
			`epoll_ctl(4, EPOLL_CTL_ADD, 3, {events=EPOLLIN, data={u32=3, u64=3}}) = 0`},
		{"epoll_pwait", abi.SysEpollPwait, args(4, ev, 8, ^uint64(0), 0, 8), 1,
			`epoll_pwait(4, [{events=EPOLLIN, data={u32=3, u64=3}}], 8, -1, NULL, 8) = 1`},
		{"eventfd2", abi.SysEventfd2, args(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK), 5, `eventfd2(0, EFD_CLOEXEC|EFD_NONBLOCK) = 5`},
		{"epoll_create1", abi.SysEpollCreate1, args(unix.EPOLL_CLOEXEC), 4, `epoll_create1(EPOLL_CLOEXEC) = 4`},
		{"sendfile", abi.SysSendfile, args(1, 3, 0, 4096), 100, `sendfile(1, 3, NULL, 4096) = 100`},
		{"ioctl", abi.SysIoctl, args(1, unix.TCGETS, 0x7ffc0000), errno(unix.ENOTTY),
			`ioctl(1, TCGETS, 0x7ffc0000) = -1 ENOTTY (Inappropriate ioctl for device)`},
		{"lseek", abi.SysLseek, args(3, ^uint64(9), 1), 90, `lseek(3, -10, SEEK_CUR) = 90`},
		{"access", abi.SysAccess, args(m.str(0x3000, "/etc/ld.so.preload"), unix.R_OK), errno(unix.ENOENT),
			`access("/etc/ld.so.preload", R_OK) = -1 ENOENT (No such file or directory)`},
		{"faccessat2", abi.SysFaccessat2, args(atFDCWD, m.str(0x3100, "/bin/sh"), unix.X_OK, unix.AT_EACCESS), 0,
			`faccessat2(AT_FDCWD, "/bin/sh", X_OK, AT_EACCESS) = 0`},
		{"openat2", abi.SysOpenat2, args(atFDCWD, m.str(0x3200, "f"), m.u64s(0x3300, unix.O_RDONLY|unix.O_CLOEXEC, 0, unix.RESOLVE_NO_SYMLINKS), 24), 3,
			`openat2(AT_FDCWD, "f", {flags=O_RDONLY|O_CLOEXEC, resolve=RESOLVE_NO_SYMLINKS}, 24) = 3`},
		{"mkdir", abi.SysMkdir, args(m.str(0x3400, "d"), 0o755), 0, `mkdir("d", 0755) = 0`},
		{"statx", abi.SysStatx, args(atFDCWD, m.str(0x3500, "/"), unix.AT_EMPTY_PATH, unix.STATX_BASIC_STATS, 0xdead0000), errno(unix.EFAULT),
			`statx(AT_FDCWD, "/", AT_STATX_SYNC_AS_STAT|AT_EMPTY_PATH, STATX_BASIC_STATS, 0xdead0000) = -1 EFAULT (Bad address)`},
		{"getdents64", abi.SysGetdents64, args(3, m.put(0x4000, []byte{16: 24, 24 + 16: 24, 47: 0}), 32768), 48,
			`getdents64(3, 0x4000 /* 2 entries */, 32768) = 48`},
		{"sched_getaffinity", abi.SysSchedGetaffinity, args(0, 128, m.put(0x5000, []byte{0x0f, 0, 0, 0, 0, 0, 0, 0})), 8,
			`sched_getaffinity(0, 128, [0 1 2 3]) = 8`},
		{"socket", abi.SysSocket, args(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0), 3,
			`socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 3`},
		{"connect", abi.SysConnect, args(3, m.put(0x6000, []byte{2, 0, 0x18, 0xeb, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0}), 16), 0,
			`connect(3, {sa_family=AF_INET, sin_port=htons(6379), sin_addr=inet_addr("127.0.0.1")}, 16) = 0`},
		{"clock_nanosleep", abi.SysClockNanosleep, args(0, 0, m.u64s(0x7000, 1, 0), 0), 0,
			`clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=1, tv_nsec=0}, NULL) = 0`},
	})
}

// TestLineIsEnterExit: for a call that writes nothing, Line is Enter, the
// parenthesis and Exit.
func TestLineIsEnterExit(t *testing.T) {
	m := newMem()
	p := m.str(0x1000, "/tmp/x")
	for _, tc := range []struct {
		nr  uint64
		a   [6]uint64
		ret int64
	}{
		{abi.SysUnlink, args(p), 0},
		{abi.SysOpenat, args(atFDCWD, p, unix.O_RDONLY), errno(unix.ENOENT)},
		{999, args(1, 2, 3), errno(unix.ENOSYS)},
		{abi.SysMmap, args(0, 4096, 3, 0x22, ^uint64(0), 0), 0x7f0000000000},
	} {
		line := Line(tc.nr, tc.a, tc.ret, m)
		if split := Enter(tc.nr, tc.a, m) + ")" + Exit(tc.nr, tc.a, tc.ret, m); line != split {
			t.Errorf("Line = %s, Enter+Exit = %s", line, split)
		}
	}
}

// TestEverySignatureFormats runs every signature over junk arguments, with
// and without readable memory, so that no decoder panics.
func TestEverySignatureFormats(t *testing.T) {
	m := newMem()
	m.put(0x1000, bytes.Repeat([]byte{0xff}, 4096))
	for nr := range signatures {
		for _, a := range [][6]uint64{
			args(),
			args(0x1000, 0x1000, 0x1000, 0x1000, 0x1000, 0x1000),
			args(^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0)),
			args(3, 0x1000, 64, 0x1000, 0x1000, 64),
		} {
			for _, ret := range []int64{0, 1, 64, 4096, -1, errno(unix.EINTR)} {
				line := Line(nr, a, ret, m)
				if !strings.HasPrefix(line, abi.SyscallName(nr)+"(") {
					t.Errorf("%d: %s", nr, line)
				}
				_ = Enter(nr, a, nil)
			}
		}
	}
}
