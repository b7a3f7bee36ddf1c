package linux

import (
	"runtime"
	"sort"
	"strconv"
	"time"

	"golang.org/x/sys/unix"

	"quartz/kernel/fs/procfs"
	"quartz/kernel/vfs"
)

// mountProc mounts procfs on /proc, with the kernel as its provider.
func (k *Kernel) mountProc() error {
	return k.mountAt("/proc", procfs.New(procProvider{k}).Root(), "proc", "proc", false)
}

// procProvider answers procfs from the process tree.
type procProvider struct{ k *Kernel }

func (pp procProvider) PIDs() []int {
	k := pp.k
	k.tree.mu.Lock()
	pids := make([]int, 0, len(k.tree.procs))
	for pid := range k.tree.procs {
		pids = append(pids, pid)
	}
	k.tree.mu.Unlock()
	sort.Ints(pids)
	return pids
}

func (pp procProvider) Process(pid int) (procfs.Process, bool) {
	k := pp.k
	k.tree.mu.Lock()
	defer k.tree.mu.Unlock()
	if p := k.tree.procs[pid]; p != nil && !p.reaped {
		return procProcess{p}, true
	}
	if t := k.tree.tasks[pid]; t != nil {
		return procProcess{t.proc}, true
	}
	return nil, false
}

func (pp procProvider) System() procfs.SystemInfo {
	k := pp.k
	k.tree.mu.Lock()
	threads := len(k.tree.tasks)
	k.tree.mu.Unlock()
	total := k.frames.Memory().Size()
	used := k.frames.Used() * 4096
	var si unix.Sysinfo_t
	unix.Sysinfo(&si)
	load := [3]float64{}
	for i := range load {
		load[i] = float64(si.Loads[i]) / 65536
	}
	uts := unix.Utsname{}
	unix.Uname(&uts)
	cpus := make([]procfs.CPU, runtime.NumCPU())
	for i := range cpus {
		cpus[i] = procfs.CPU{VendorID: "QuartzVirtual", ModelName: "Quartz virtual CPU", PhysicalID: 0,
			Siblings: len(cpus), CoreID: i, Cores: len(cpus), APICID: i, InitialAPICID: i, CPUIDLevel: 13,
			Flags: []string{"fpu", "sse", "sse2"}, CLFlushSize: 64, CacheAlignment: 64, PhysBits: 46, VirtBits: 48}
	}
	return procfs.SystemInfo{
		Uptime:   time.Since(k.boot),
		BootTime: k.boot,
		Load:     load,
		Threads:  threads,
		Running:  1,
		LastPID:  int(k.lastPID.Load()),
		CPUs:     cpus,
		Memory: procfs.Memory{
			Total: total, Free: total - used, Available: total - used, Anon: used,
		},
		Kernel: procfs.Kernel{
			Release: unix.ByteSliceToString(uts.Release[:]),
			Build:   "(quartz@quartz) (go)",
			Version: unix.ByteSliceToString(uts.Version[:]),
		},
		FileSystems: []procfs.FileSystem{
			{Name: "tmpfs", NoDev: true}, {Name: "proc", NoDev: true}, {Name: "devtmpfs", NoDev: true},
			{Name: "overlay", NoDev: true}, {Name: "hostfs", NoDev: true},
		},
	}
}

// procProcess is one process as procfs sees it.
type procProcess struct{ p *Process }

func (pp procProcess) Info() procfs.ProcessInfo {
	p := pp.p
	k := p.k
	info := procfs.ProcessInfo{PID: p.pid, TGID: p.pid, Priority: 20, Flags: 0x400000, TPGID: -1, ExitSignal: int(unix.SIGCHLD)}
	k.tree.mu.Lock()
	if p.parent != nil {
		info.PPID = p.parent.pid
	}
	info.PGRP, info.SID = p.pgid, p.sid
	zombie, stopped := p.zombie, p.stopped
	exitSignal := p.exitSignal
	k.tree.mu.Unlock()
	info.ExitSignal = exitSignal
	k.terminal.mu.Lock()
	if k.terminal.sid == info.SID && info.SID != 0 {
		info.TPGID = k.terminal.fg
		if f := k.stdio[0]; f != nil {
			var st unix.Stat_t
			if unix.Fstat(int(f.Fd()), &st) == nil && st.Mode&unix.S_IFMT == unix.S_IFCHR {
				info.TTY = st.Rdev
			}
		}
	}
	k.terminal.mu.Unlock()
	uid, gid := uint32(unix.Getuid()), uint32(unix.Getgid())
	info.UID = [4]uint32{uid, uid, uid, uid}
	info.GID = [4]uint32{gid, gid, gid, gid}
	info.Umask = p.umask.Load()
	info.CapBnd = 1<<41 - 1
	info.CPUsAllowed = make([]bool, runtime.NumCPU())
	for i := range info.CPUsAllowed {
		info.CPUsAllowed[i] = true
	}
	info.Start = p.started.Sub(k.boot)
	info.RSSLimit = ^uint64(0)
	info.FDSize = 64
	info.SigQueueLimit = 63448

	p.mu.Lock()
	info.Threads = len(p.threads)
	main := p.threads[p.pid]
	if main == nil {
		for _, t := range p.threads {
			main = t
			break
		}
	}
	m := p.mm
	p.mu.Unlock()
	if main != nil {
		info.Comm = main.name
		main.pending.mu.Lock()
		info.SigPending, info.SigBlocked = main.pending.set, main.sigMask
		main.pending.mu.Unlock()
	}
	for sig := 1; sig <= numSignals; sig++ {
		switch h := p.sig.get(sig).Handler; {
		case h == sigIGN:
			info.SigIgnored |= sigBit(sig)
		case h != sigDFL:
			info.SigCaught |= sigBit(sig)
		}
	}
	info.State = threadState(main, zombie, stopped)
	if m != nil && !zombie {
		info.Mem = &procfs.MemoryInfo{}
	}
	return info
}

func (pp procProcess) Thread(tid int) (procfs.ProcessInfo, bool) {
	p := pp.p
	p.mu.Lock()
	t := p.threads[tid]
	p.mu.Unlock()
	if t == nil {
		return procfs.ProcessInfo{}, false
	}
	info := pp.Info()
	info.PID = tid
	info.Comm = t.name
	info.State = threadState(t, false, info.State == 'T')
	t.pending.mu.Lock()
	info.SigPending, info.SigBlocked = t.pending.set, t.sigMask
	t.pending.mu.Unlock()
	return info, true
}

func (pp procProcess) TIDs() []int {
	p := pp.p
	p.mu.Lock()
	tids := make([]int, 0, len(p.threads))
	for tid := range p.threads {
		tids = append(tids, tid)
	}
	p.mu.Unlock()
	sort.Ints(tids)
	return tids
}

// memRange reads [start, end) of the process's memory, as Linux reads
// cmdline and environ from the process itself.
func (pp procProcess) memRange(start, end uint64) []byte {
	p := pp.p
	p.mu.Lock()
	m := p.mm
	p.mu.Unlock()
	if m == nil || end <= start || end-start > 1<<20 {
		return nil
	}
	b := make([]byte, end-start)
	n, _ := m.CopyIn(start, b)
	return b[:n]
}

func (pp procProcess) Cmdline() []byte {
	pp.p.mu.Lock()
	r := pp.p.args
	pp.p.mu.Unlock()
	return pp.memRange(r.argStart, r.argEnd)
}

func (pp procProcess) Environ() []byte {
	pp.p.mu.Lock()
	r := pp.p.args
	pp.p.mu.Unlock()
	return pp.memRange(r.envStart, r.envEnd)
}

func (pp procProcess) Maps() []byte {
	p := pp.p
	p.mu.Lock()
	m := p.mm
	p.mu.Unlock()
	if m == nil {
		return nil
	}
	return []byte(m.Maps())
}

func (pp procProcess) Mounts() []procfs.MountEntry {
	ns := pp.p.k.ns
	return procfs.NamespaceMounts(ns, ns.Root())
}

func (pp procProcess) pathLink(p vfs.Path) (procfs.Link, error) {
	if p.Mount == nil {
		return procfs.Link{}, unix.ENOENT
	}
	return procfs.Link{Path: p, Text: pp.p.k.pathName(p)}, nil
}

func (pp procProcess) Exe() (procfs.Link, error) {
	pp.p.mu.Lock()
	exe := pp.p.exe
	pp.p.mu.Unlock()
	return pp.pathLink(exe)
}

func (pp procProcess) Cwd() (procfs.Link, error) { return pp.pathLink(pp.p.workingDir()) }

func (pp procProcess) Root() (procfs.Link, error) { return pp.pathLink(pp.p.k.ns.Root()) }

func (pp procProcess) table() *fdTable {
	pp.p.mu.Lock()
	defer pp.p.mu.Unlock()
	return pp.p.fds
}

func (pp procProcess) FDs() []int {
	tab := pp.table()
	if tab == nil {
		return nil
	}
	tab.mu.Lock()
	defer tab.mu.Unlock()
	var fds []int
	for fd, e := range tab.files {
		if e.of != nil {
			fds = append(fds, fd)
		}
	}
	return fds
}

func (pp procProcess) FD(fd int) (procfs.FDInfo, error) {
	tab := pp.table()
	if tab == nil || fd < 0 {
		return procfs.FDInfo{}, unix.ENOENT
	}
	of, err := tab.get(uint64(fd))
	if err != nil {
		return procfs.FDInfo{}, unix.ENOENT
	}
	defer of.put()
	cloexec, _ := tab.cloexec(uint64(fd))
	info := procfs.FDInfo{Flags: int(of.flags.Load())}
	if cloexec {
		info.Flags |= unix.O_CLOEXEC
	}
	of.mu.Lock()
	info.Pos = of.pos
	of.mu.Unlock()
	switch {
	case of.path.Mount != nil:
		info.Link = procfs.Link{Path: of.path, Text: pp.p.k.pathName(of.path)}
	default:
		info.Link = procfs.Link{Path: vfs.Path{Dentry: &vfs.Dentry{Name: of.name, Inode: of.inode}}, Text: of.name}
		if h, ok := of.inode.(hostInode); ok {
			info.Text = h.name()
		}
	}
	return info, nil
}

// name is what the host calls the descriptor ("/dev/pts/0", "pipe:[7]").
func (h hostInode) name() string {
	target, err := readlinkHost("/proc/self/fd/" + strconv.Itoa(h.fd))
	if err != nil {
		return "anon_inode:[quartz]"
	}
	return target
}

func readlinkHost(path string) (string, error) {
	buf := make([]byte, 4096)
	n, err := unix.Readlink(path, buf)
	if err != nil {
		return "", err
	}
	return string(buf[:n]), nil
}

// Open reopens a host descriptor through /proc/self/fd/N (opening
// /dev/stdin or /proc/self/fd/0): a pipe or terminal is the same one, a
// file is opened afresh, as Linux does.
func (h hostInode) Open(flags int) (vfs.File, error) {
	fd, err := unix.Open("/proc/self/fd/"+strconv.Itoa(h.fd), flags&^(unix.O_CREAT|unix.O_EXCL|unix.O_NOCTTY)|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	return newHostFile(fd), nil
}

// threadState is the letter /proc shows: Z zombie, T stopped, S in a
// blocking wait, R otherwise (running in the guest or in a system call).
func threadState(t *Thread, zombie, stopped bool) byte {
	switch {
	case zombie || t == nil:
		return 'Z'
	case stopped:
		return 'T'
	case t.sleeping.Load() > 0:
		return 'S'
	}
	return 'R'
}
