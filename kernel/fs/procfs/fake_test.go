package procfs

import (
	"slices"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"quartz/hal"
	"quartz/kernel/fs/tmpfs"
	"quartz/kernel/mm"
	"quartz/kernel/vfs"
	"quartz/lib/vmio"
)

// fakeProvider is a Provider over a map the test changes, locked like a
// real one: procfs calls it from any goroutine.
type fakeProvider struct {
	mu    sync.Mutex
	procs map[int]*fakeProc
	sys   SystemInfo
}

func (f *fakeProvider) PIDs() []int {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []int
	for pid := range f.procs {
		out = append(out, pid)
	}
	slices.Sort(out)
	return out
}

func (f *fakeProvider) Process(pid int) (Process, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p, ok := f.procs[pid]
	if !ok {
		return nil, false
	}
	return p, true
}

func (f *fakeProvider) System() SystemInfo { return f.sys }

func (f *fakeProvider) add(p *fakeProc) {
	f.mu.Lock()
	f.procs[p.info.PID] = p
	f.mu.Unlock()
}

func (f *fakeProvider) remove(pid int) {
	f.mu.Lock()
	delete(f.procs, pid)
	f.mu.Unlock()
}

// fakeProc is a thread group whose answers are fixed at creation.
type fakeProc struct {
	info           ProcessInfo
	threads        map[int]ProcessInfo // by tid, the leader included
	cmdline        []byte
	environ        []byte
	maps           []byte
	mounts         []MountEntry
	exe, cwd, root Link
	noExe          bool
	fds            map[int]FDInfo
}

func (p *fakeProc) Info() ProcessInfo { return p.info }

func (p *fakeProc) Thread(tid int) (ProcessInfo, bool) {
	t, ok := p.threads[tid]
	return t, ok
}

func (p *fakeProc) TIDs() []int {
	var out []int
	for tid := range p.threads {
		out = append(out, tid)
	}
	slices.Sort(out)
	return out
}

func (p *fakeProc) Cmdline() []byte      { return p.cmdline }
func (p *fakeProc) Environ() []byte      { return p.environ }
func (p *fakeProc) Maps() []byte         { return p.maps }
func (p *fakeProc) Mounts() []MountEntry { return p.mounts }

func (p *fakeProc) Exe() (Link, error) {
	if p.noExe {
		return Link{}, unix.ENOENT
	}
	return p.exe, nil
}
func (p *fakeProc) Cwd() (Link, error)  { return p.cwd, nil }
func (p *fakeProc) Root() (Link, error) { return p.root, nil }

func (p *fakeProc) FDs() []int {
	var out []int
	for fd := range p.fds {
		out = append(out, fd)
	}
	slices.Sort(out)
	return out
}

func (p *fakeProc) FD(fd int) (FDInfo, error) {
	f, ok := p.fds[fd]
	if !ok {
		return FDInfo{}, unix.EBADF
	}
	return f, nil
}

// task is the walker procfs's self links answer for.
type task struct{ tgid, tid int }

func (t task) TGID() int { return t.tgid }
func (t task) TID() int  { return t.tid }

// world is a name space like a guest's: tmpfs at "/" with /tmp/x, and
// procfs on /proc showing process 42 (threads 42 and 43) and 7.
type world struct {
	ns    *vfs.Namespace
	root  vfs.Path
	prov  *fakeProvider
	fs    *FS
	x     vfs.Inode // /tmp/x
	tmp   vfs.Path
	xPath vfs.Path
	pipe  vfs.Inode // an inode outside the tree, as a pipe's
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func baseInfo() ProcessInfo {
	return ProcessInfo{
		PID: 42, TGID: 42, PPID: 1, PGRP: 42, SID: 42, Comm: "my prog", State: 'S', Flags: 0x400000,
		TTY: unix.Mkdev(136, 0), TPGID: 42,
		UID: [4]uint32{1000, 1000, 1000, 1000}, GID: [4]uint32{100, 100, 100, 100},
		Groups: []uint32{4, 27}, Umask: 0o22, CapBnd: 0x1ffffffffff,
		Priority: 20, CPU: 1, CPUsAllowed: []bool{true, true}, Threads: 2,
		VoluntarySwitches: 5, InvoluntarySwitches: 1,
		Start: 123450e6, UTime: 150e6, STime: 20e6, MinFlt: 100,
		SigBlocked: 1 << 1, SigIgnored: 1 << 12, SigCaught: 1 << 16, SigQueueLimit: 63422,
		ExitSignal: 17, FDSize: 64, RSSLimit: ^uint64(0),
		Mem: &MemoryInfo{
			Peak: 8 << 20, Size: 6 << 20, HWM: 3 << 20, RSS: 2 << 20, RSSAnon: 1 << 20, RSSFile: 1 << 20,
			Data: 1 << 20, Stack: 132 << 10, Exe: 20 << 10, Lib: 1 << 20, PTE: 48 << 10,
			StartCode: 0x400000, EndCode: 0x401000, StartStack: 0x7ffc0000,
			StartData: 0x600000, EndData: 0x601000, StartBrk: 0x602000,
			ArgStart: 0x7ffc1000, ArgEnd: 0x7ffc1010, EnvStart: 0x7ffc1010, EnvEnd: 0x7ffc1100,
		},
	}
}

func newWorld(t *testing.T) *world {
	t.Helper()
	mem, err := hal.NewPhysMem(4 << 20)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mem.Close() })
	tfs := tmpfs.New(mm.NewFrames(mem), 0o755)
	ns := vfs.NewNamespace(tfs.Root(), "tmpfs", "rootfs")
	r := ns.Root()
	must(tfs.Root().Mkdir("proc", 0o555))
	tmpDir := must(tfs.Root().Mkdir("tmp", 0o1777)).(vfs.Dir)
	x := must(tmpDir.Create("x", unix.S_IFREG|0o644, 0))
	pipe := must(tmpfs.New(mm.NewFrames(mem), 0o755).Root().Create("p", unix.S_IFIFO|0o600, 0))

	w := &world{ns: ns, root: r, x: x, pipe: pipe, prov: &fakeProvider{procs: map[int]*fakeProc{}}}
	w.fs = New(w.prov)
	must(ns.Mount(must(ns.Walk(r, r, "/proc", 0)), w.fs.Root(), "proc", "proc", false))
	w.tmp = must(ns.Walk(r, r, "/tmp", 0))
	w.xPath = must(ns.Walk(r, r, "/tmp/x", 0))

	leader := baseInfo()
	thread := leader
	thread.PID, thread.Comm, thread.State, thread.UTime = 43, "worker", 'R', 30e6
	w.prov.add(&fakeProc{
		info:    leader,
		threads: map[int]ProcessInfo{42: leader, 43: thread},
		cmdline: []byte("my prog\x00--flag\x00"),
		environ: []byte("HOME=/root\x00PATH=/bin\x00"),
		maps:    []byte("00400000-00401000 r-xp 00000000 00:00 0 /tmp/x\n"),
		mounts: []MountEntry{
			{Source: "rootfs", Dir: "/", FSType: "tmpfs"},
			{Source: "proc", Dir: "/proc", FSType: "proc", Options: "nosuid,nodev,noexec,relatime"},
			{Source: "host dir", Dir: "/mnt/a b#c", FSType: "hostfs", ReadOnly: true},
		},
		exe:  Link{Path: w.xPath, Text: "/tmp/x"},
		cwd:  Link{Path: w.tmp, Text: "/tmp"},
		root: Link{Path: r, Text: "/"},
		fds: map[int]FDInfo{
			0:  {Link: Link{Path: w.xPath, Text: "/tmp/x"}, Flags: unix.O_RDONLY | unix.O_LARGEFILE},
			1:  {Link: Link{Path: w.xPath, Text: "/tmp/x (deleted)"}, Flags: unix.O_WRONLY | unix.O_APPEND, Pos: 12},
			2:  {Link: Link{Path: w.xPath, Text: "/tmp/x"}, Flags: unix.O_RDWR | unix.O_CLOEXEC, MntID: 3},
			5:  {Link: Link{Path: vfs.Path{Dentry: &vfs.Dentry{Name: "pipe:[42]", Inode: pipe}}, Text: "pipe:[42]"}, Flags: unix.O_RDONLY, Ino: 42},
			7:  {Link: Link{Text: "socket:[99]"}, Flags: unix.O_RDWR, Extra: "extra:\t1\n"},
			10: {Link: Link{Path: w.tmp, Text: "/tmp"}, Flags: unix.O_PATH},
		},
	})
	zombie := baseInfo()
	zombie.PID, zombie.TGID, zombie.PPID, zombie.Comm, zombie.State, zombie.Mem, zombie.Threads = 7, 7, 42, "dead", 'Z', nil, 1
	zombie.UID, zombie.GID = [4]uint32{}, [4]uint32{}
	w.prov.add(&fakeProc{info: zombie, threads: map[int]ProcessInfo{7: zombie}, noExe: true, fds: map[int]FDInfo{}})
	w.prov.sys = fakeSystem()
	return w
}

func fakeSystem() SystemInfo {
	cpu := CPU{
		VendorID: "AuthenticAMD", ModelName: "AMD EPYC", Family: 25, Model: 1, Stepping: 1,
		Microcode: 0x1000065, MHz: 2445.406, CacheSizeKB: 512, Siblings: 2, Cores: 2, CPUIDLevel: 16,
		Flags: []string{"fpu", "vme", "sse2"}, Bugs: []string{"spectre_v1"}, BogoMIPS: 4890.81,
		TLBSize: 2560, CLFlushSize: 64, CacheAlignment: 64, PhysBits: 48, VirtBits: 48,
		Times: CPUTimes{User: 6977010e6, System: 1618610e6, Idle: 24348320e6, SoftIRQ: 10730e6},
	}
	cpu1 := cpu
	cpu1.CoreID, cpu1.APICID, cpu1.InitialAPICID = 1, 1, 1
	cpu1.Times = CPUTimes{User: 10e6, Idle: 1005e6}
	return SystemInfo{
		Uptime: 16469009e6, Load: [3]float64{0.07, 1.557, 12}, Running: 1, Threads: 85, LastPID: 5242,
		BootTime: time.Unix(1795317739, 0), Forks: 233411, ContextSwitches: 186474417, Blocked: 2,
		CPUs: []CPU{cpu, cpu1},
		Memory: Memory{Total: 24683656 << 10, Free: 24319788 << 10, Available: 24329644 << 10,
			Cached: 125980 << 10, Anon: 11296 << 10, Mapped: 10048 << 10, Shmem: 8896 << 10, Committed: 53504 << 10},
		Kernel:      Kernel{Release: "6.18.44", Build: "(quartz@quartz) (go)", Version: "#1 SMP PREEMPT_DYNAMIC @0"},
		FileSystems: []FileSystem{{Name: "tmpfs", NoDev: true}, {Name: "proc", NoDev: true}, {Name: "ext4"}},
	}
}

// walk resolves name as task t.
func (w *world) walk(t vfs.Task, name string, flags vfs.WalkFlags) (vfs.Path, error) {
	return w.ns.WalkAs(t, w.root, w.root, name, flags)
}

// read opens name as task t and reads it all, a few bytes at a time at
// increasing offsets, as pread would.
func (w *world) read(tt *testing.T, t vfs.Task, name string) string {
	tt.Helper()
	p, err := w.walk(t, name, vfs.Follow)
	if err != nil {
		tt.Fatalf("walk %s: %v", name, err)
	}
	f, err := p.Inode().(vfs.Opener).Open(unix.O_RDONLY)
	if err != nil {
		tt.Fatalf("open %s: %v", name, err)
	}
	defer f.Release()
	return readAll(tt, f)
}

func readAll(t *testing.T, f vfs.File) string {
	t.Helper()
	var out []byte
	buf := make([]byte, 7)
	for {
		n, err := f.Read(vmio.NewKernelWriter(buf), int64(len(out)), nil)
		if err != nil {
			t.Fatalf("read at %d: %v", len(out), err)
		}
		if n == 0 {
			return string(out)
		}
		out = append(out, buf[:n]...)
	}
}

func newWriter(b []byte) *vmio.Writer { return vmio.NewKernelWriter(b) }
