package linux

import (
	"encoding/binary"
	"runtime"
	"time"

	"golang.org/x/sys/unix"
)

func init() {
	register(unix.SYS_CLONE, sysClone)
	register(unix.SYS_CLONE3, sysClone3)
	register(unix.SYS_FORK, sysFork)
	register(unix.SYS_VFORK, sysVfork)
	register(unix.SYS_EXIT, sysExit)
	register(unix.SYS_EXIT_GROUP, sysExitGroup)
	register(unix.SYS_FUTEX, sysFutex)
	register(unix.SYS_SET_TID_ADDRESS, sysSetTidAddress)
	register(unix.SYS_SET_ROBUST_LIST, sysSetRobustList)
	register(unix.SYS_GET_ROBUST_LIST, sysGetRobustList)
	register(unix.SYS_GETTID, sysGettid)
	register(unix.SYS_SCHED_YIELD, sysSchedYield)
	register(unix.SYS_SCHED_GETAFFINITY, sysSchedGetaffinity)
	register(unix.SYS_SCHED_SETAFFINITY, sysSchedSetaffinity)
}

// threadFlags are the clone flags of a new thread in the same process;
// the ones Quartz's threads always have (shared files, fs, signal
// handlers, SysV undo) are required together, as glibc and Go pass them.
const threadFlags = unix.CLONE_VM | unix.CLONE_FS | unix.CLONE_FILES | unix.CLONE_SIGHAND | unix.CLONE_THREAD

// cloneClearSighand is clone3's CLONE_CLEAR_SIGHAND: the child starts
// with every caught signal reset to SIG_DFL.
const cloneClearSighand = 0x100000000

const knownCloneFlags = threadFlags | unix.CLONE_SYSVSEM | unix.CLONE_SETTLS |
	unix.CLONE_PARENT_SETTID | unix.CLONE_CHILD_SETTID | unix.CLONE_CHILD_CLEARTID | unix.CLONE_DETACHED |
	unix.CLONE_VFORK | unix.CLONE_PARENT | unix.CLONE_UNTRACED | unix.CLONE_PTRACE | unix.CLONE_IO |
	cloneClearSighand

// namespaceFlags ask for new namespaces, which Quartz does not have.
const namespaceFlags = unix.CLONE_NEWNS | unix.CLONE_NEWCGROUP | unix.CLONE_NEWUTS | unix.CLONE_NEWIPC |
	unix.CLONE_NEWUSER | unix.CLONE_NEWPID | unix.CLONE_NEWNET

// cloneArgs are the parts of clone/clone3 Quartz acts on.
type cloneArgs struct {
	flags               uint64
	stack, tls          uint64
	parentTID, childTID uint64
	exitSignal          uint64
}

func sysClone(t *Thread, a sysArgs) (uint64, error) {
	// x86-64 order: flags, stack, parent_tid, child_tid, tls. The low
	// byte of the flags is the exit signal; the flags are 32 bits.
	flags := a[0] & 0xffffffff
	return t.clone(cloneArgs{
		flags: flags &^ 0xff, exitSignal: flags & 0xff,
		stack: a[1], parentTID: a[2], childTID: a[3], tls: a[4],
	})
}

func sysFork(t *Thread, a sysArgs) (uint64, error) {
	return t.clone(cloneArgs{exitSignal: uint64(unix.SIGCHLD)})
}

func sysVfork(t *Thread, a sysArgs) (uint64, error) {
	return t.clone(cloneArgs{flags: unix.CLONE_VM | unix.CLONE_VFORK, exitSignal: uint64(unix.SIGCHLD)})
}

// clone_args sizes: the first version, and the largest Quartz knows.
const (
	cloneArgsSize0   = 64
	cloneArgsSizeMax = 88
)

func sysClone3(t *Thread, a sysArgs) (uint64, error) {
	var raw struct {
		Flags, Pidfd, ChildTID, ParentTID, ExitSignal, Stack, StackSize, TLS uint64
		SetTID, SetTIDSize, Cgroup                                           uint64
	}
	size := a[1]
	if size < cloneArgsSize0 {
		return 0, unix.EINVAL
	}
	if size > 4096 {
		return 0, unix.E2BIG
	}
	buf := make([]byte, size)
	if err := t.copyIn(a[0], buf); err != nil {
		return 0, err
	}
	for _, b := range buf[min(size, cloneArgsSizeMax):] {
		if b != 0 {
			return 0, unix.E2BIG // a newer field Quartz does not know is in use
		}
	}
	fields := []*uint64{&raw.Flags, &raw.Pidfd, &raw.ChildTID, &raw.ParentTID, &raw.ExitSignal,
		&raw.Stack, &raw.StackSize, &raw.TLS, &raw.SetTID, &raw.SetTIDSize, &raw.Cgroup}
	for i, f := range fields {
		if uint64(i*8+8) <= size {
			*f = binary.LittleEndian.Uint64(buf[i*8:])
		}
	}
	switch {
	case raw.Flags&0xff != 0 || raw.ExitSignal > numSignals:
		return 0, unix.EINVAL
	case raw.Flags&(unix.CLONE_THREAD|unix.CLONE_PARENT) != 0 && raw.ExitSignal != 0:
		return 0, unix.EINVAL
	case raw.Stack == 0 && raw.StackSize != 0, raw.Stack != 0 && raw.StackSize == 0:
		return 0, unix.EINVAL
	case raw.SetTIDSize != 0 || raw.SetTID != 0:
		return 0, unix.EPERM // choosing pids needs privileges in the pid namespace
	}
	stack := raw.Stack
	if stack != 0 {
		stack += raw.StackSize // clone3 gives the lowest address; the stack grows down
	}
	return t.clone(cloneArgs{flags: raw.Flags, exitSignal: raw.ExitSignal, stack: stack,
		parentTID: raw.ParentTID, childTID: raw.ChildTID, tls: raw.TLS})
}

// clone creates a thread of the calling process (CLONE_THREAD) or a new
// process.
func (t *Thread) clone(c cloneArgs) (uint64, error) {
	f := c.flags
	switch {
	case f&namespaceFlags != 0:
		if f&unix.CLONE_NEWNS != 0 && f&unix.CLONE_FS != 0 || f&unix.CLONE_NEWUSER != 0 && f&unix.CLONE_FS != 0 {
			return 0, unix.EINVAL
		}
		return 0, unix.EPERM
	case f&^knownCloneFlags != 0:
		return 0, unix.EINVAL
	case f&unix.CLONE_THREAD != 0 && f&unix.CLONE_SIGHAND == 0,
		f&unix.CLONE_SIGHAND != 0 && f&unix.CLONE_VM == 0,
		f&unix.CLONE_SIGHAND != 0 && f&cloneClearSighand != 0:
		return 0, unix.EINVAL
	}
	if f&unix.CLONE_THREAD == 0 {
		return t.cloneProcess(c)
	}
	if f&threadFlags != threadFlags {
		return 0, unix.ENOSYS // a thread with its own files or fs: not supported
	}
	p := t.proc
	child := p.newThread(p.k.newPID())
	child.regs = t.regs
	child.regs.Rax = 0
	if c.stack != 0 {
		child.regs.Rsp = c.stack
	}
	if f&unix.CLONE_SETTLS != 0 {
		child.regs.FsBase = c.tls
	}
	child.sigMask = t.sigMask
	child.name = t.name
	tid := uint32(child.tid)
	if f&unix.CLONE_PARENT_SETTID != 0 {
		if err := t.writeUint32(c.parentTID, tid); err != nil {
			p.forget(child)
			return 0, err
		}
	}
	if f&unix.CLONE_CHILD_SETTID != 0 {
		if err := t.writeUint32(c.childTID, tid); err != nil {
			p.forget(child)
			return 0, err
		}
	}
	if f&unix.CLONE_CHILD_CLEARTID != 0 {
		child.clearChildTID = c.childTID
	}
	// A thread cannot join a process that is exiting or in execve
	// (which ends every thread but its caller).
	p.mu.Lock()
	stop := p.exiting || p.execer != nil
	p.mu.Unlock()
	if stop {
		p.forget(child)
		return 0, unix.EINTR
	}
	p.start(child)
	return uint64(tid), nil
}

// cloneProcess creates a process, a child of the caller's (fork, vfork,
// clone without CLONE_THREAD). Its one thread continues from the
// caller's registers with 0 as the result of the call.
func (t *Thread) cloneProcess(c cloneArgs) (uint64, error) {
	p, k, f := t.proc, t.proc.k, c.flags
	child := k.allocProcess()
	if f&unix.CLONE_VM != 0 {
		child.mm = p.mm
		k.mmShares.get(p.mm)
	} else {
		as, err := k.platform.NewAddressSpace()
		if err != nil {
			return 0, unix.EAGAIN
		}
		m, err := p.mm.Fork(as) // releases as when it fails
		if err != nil {
			return 0, unix.ENOMEM
		}
		child.mm = m
	}
	if f&unix.CLONE_FILES != 0 {
		child.fds = p.fds
		k.fdShares.get(p.fds)
	} else {
		child.fds = p.fds.fork()
	}
	if f&unix.CLONE_SIGHAND != 0 {
		child.sig = p.sig
	} else {
		child.sig = p.sig.clone()
		if f&cloneClearSighand != 0 {
			child.sig.resetForExec()
		}
	}
	p.cwdMu.Lock()
	child.cwd = p.cwd
	child.exe = p.exe
	child.args = p.args
	p.cwdMu.Unlock()
	child.umask.Store(p.umask.Load())
	if f&unix.CLONE_VFORK != 0 {
		child.vforkDone = make(chan struct{})
	}

	child.pid = k.newPID()
	ct := child.newThread(child.pid)
	ct.regs = t.regs
	ct.regs.Rax = 0
	if c.stack != 0 {
		ct.regs.Rsp = c.stack
	}
	if f&unix.CLONE_SETTLS != 0 {
		ct.regs.FsBase = c.tls
	}
	ct.sigMask = t.sigMask
	if f&(unix.CLONE_VM|unix.CLONE_VFORK) != unix.CLONE_VM {
		ct.altStack = t.altStack // a child sharing memory must not share the stack
	}
	ct.name = t.name
	tid := uint32(ct.tid)
	if f&unix.CLONE_CHILD_SETTID != 0 {
		var b [4]byte
		binary.LittleEndian.PutUint32(b[:], tid)
		child.mm.CopyOut(c.childTID, b[:]) // as in Linux, a bad address is not an error
	}
	if f&unix.CLONE_CHILD_CLEARTID != 0 {
		ct.clearChildTID = c.childTID
	}

	k.tree.mu.Lock()
	parent, exitSignal := p, int(c.exitSignal)
	if f&unix.CLONE_PARENT != 0 {
		if p == k.tree.init {
			k.tree.mu.Unlock()
			child.forget(ct)
			child.release()
			return 0, unix.EINVAL // init may not make siblings
		}
		parent, exitSignal = p.parent, p.exitSignal
	}
	if k.tree.shutdown || p.isDying() {
		k.tree.mu.Unlock()
		child.forget(ct)
		child.release()
		return 0, unix.EINTR
	}
	child.parent = parent
	if parent != nil {
		parent.children = append(parent.children, child)
	}
	child.pgid, child.sid = p.pgid, p.sid
	child.exitSignal = exitSignal
	k.tree.procs[child.pid] = child
	k.tree.mu.Unlock()

	if f&unix.CLONE_PARENT_SETTID != 0 {
		t.writeUint32(c.parentTID, tid) // a bad address is not an error here either
	}
	child.start(ct)
	if child.vforkDone != nil {
		// The parent sleeps until the child leaves its memory; only a
		// fatal signal (or another thread's execve) wakes it earlier.
	wait:
		for !t.zapped.Load() {
			select {
			case <-child.vforkDone:
				break wait
			case <-p.dying:
				break wait
			case <-t.signalled:
			}
		}
	}
	return uint64(tid), nil
}

func sysExit(t *Thread, a sysArgs) (uint64, error) {
	t.exitCode = int(a[0] & 0xff)
	return 0, errThreadExit
}

func sysExitGroup(t *Thread, a sysArgs) (uint64, error) {
	t.proc.exitGroup(ExitStatus{Code: int(a[0] & 0xff)})
	t.exitCode = int(a[0] & 0xff)
	return 0, errThreadExit
}

const (
	futexPrivate       = 128
	futexClockRealtime = 256

	futexLockPI         = 6
	futexWaitRequeuePI  = 11
	futexLockPI2        = 13
	futexMaxTimeoutSecs = 1 << 33 // past this (over 270 years), a timeout is forever
)

// futexHasTimeout reports whether the futex command takes a timeout (the
// others use the argument as a count).
func futexHasTimeout(cmd uint32) bool {
	switch cmd {
	case futexWait, futexWaitBitset, futexLockPI, futexLockPI2, futexWaitRequeuePI:
		return true
	}
	return false
}

func sysFutex(t *Thread, a sysArgs) (uint64, error) {
	addr, op, val, timeout, addr2, val3 := a[0], uint32(a[1]), uint32(a[2]), a[3], a[4], uint32(a[5])
	cmd := op &^ (futexPrivate | futexClockRealtime)
	private := op&futexPrivate != 0
	f := &t.proc.k.futexes
	// As in Linux, the timeout is read and checked before anything else.
	var deadline time.Time
	timed := timeout != 0 && futexHasTimeout(cmd)
	if timed {
		var ts unix.Timespec
		if err := readStruct(t, timeout, &ts); err != nil {
			return 0, err
		}
		d, err := futexDeadline(cmd, op&futexClockRealtime != 0, ts, time.Now())
		if err != nil {
			return 0, err
		}
		deadline = d
	}
	if op&futexClockRealtime != 0 && cmd != futexWaitBitset && cmd != futexWaitRequeuePI && cmd != futexLockPI2 {
		return 0, unix.ENOSYS
	}
	switch cmd {
	case futexWait, futexWaitBitset:
		bitset := ^uint32(0)
		if cmd == futexWaitBitset {
			bitset = val3
		}
		err := f.wait(t, addr, private, val, bitset, deadline)
		if err == errInterrupted && timed {
			// Linux restarts a timed wait only when no handler runs
			// (ERESTART_RESTARTBLOCK): with a handler it is EINTR,
			// SA_RESTART or not. Quartz's wait has already waited
			// through signals that run no handler.
			err = unix.EINTR
		}
		return 0, err
	case futexWake, futexWakeBitset:
		bitset := ^uint32(0)
		if cmd == futexWakeBitset {
			bitset = val3
		}
		n, err := f.wake(t, addr, private, int(int32(val)), bitset)
		return uint64(n), err
	case futexRequeue, futexCmpRequeue:
		// The second count travels in the timeout argument.
		n, n2 := int(int32(val)), int(int32(uint32(timeout)))
		if n < 0 || n2 < 0 {
			return 0, unix.EINVAL
		}
		n, err := f.requeue(t, addr, addr2, private, n, n2, cmd == futexCmpRequeue, val3)
		return uint64(n), err
	case futexWakeOp:
		n, err := f.wakeOp(t, addr, addr2, private, int(int32(val)), int(int32(uint32(timeout))), val3)
		return uint64(n), err
	}
	return 0, unix.ENOSYS
}

// futexDeadline turns a futex timeout into a deadline for a Go timer, or
// the zero time for one too far away to matter. FUTEX_WAIT's timeout is
// relative (measured on CLOCK_MONOTONIC); the others are absolute times
// of CLOCK_MONOTONIC or, with FUTEX_CLOCK_REALTIME, CLOCK_REALTIME.
func futexDeadline(cmd uint32, realtime bool, ts unix.Timespec, now time.Time) (time.Time, error) {
	if ts.Sec < 0 || ts.Nsec < 0 || ts.Nsec >= 1e9 {
		return time.Time{}, unix.EINVAL
	}
	if ts.Sec >= futexMaxTimeoutSecs {
		return time.Time{}, nil
	}
	if cmd == futexWait {
		return now.Add(time.Duration(ts.Sec)*time.Second + time.Duration(ts.Nsec)), nil
	}
	return absoluteDeadline(ts, realtime), nil
}

// absoluteDeadline converts an absolute CLOCK_MONOTONIC or CLOCK_REALTIME
// time into a wall-clock deadline for a Go timer.
func absoluteDeadline(ts unix.Timespec, realtime bool) time.Time {
	if realtime {
		return time.Unix(ts.Sec, ts.Nsec)
	}
	var now unix.Timespec
	unix.ClockGettime(unix.CLOCK_MONOTONIC, &now)
	d := time.Duration(ts.Sec-now.Sec)*time.Second + time.Duration(ts.Nsec-now.Nsec)
	return time.Now().Add(d)
}

func sysSetTidAddress(t *Thread, a sysArgs) (uint64, error) {
	t.clearChildTID = a[0]
	return uint64(t.tid), nil
}

func sysSetRobustList(t *Thread, a sysArgs) (uint64, error) {
	if a[1] != 24 { // sizeof(struct robust_list_head)
		return 0, unix.EINVAL
	}
	t.robustList, t.robustLen = a[0], a[1]
	return 0, nil
}

func sysGetRobustList(t *Thread, a sysArgs) (uint64, error) {
	target := t
	if a[0] != 0 {
		if target = t.proc.k.findThread(int(int32(a[0]))); target == nil {
			return 0, unix.ESRCH
		}
	}
	if err := t.writeUint64(a[1], target.robustList); err != nil {
		return 0, err
	}
	return 0, t.writeUint64(a[2], target.robustLen)
}

func sysGettid(t *Thread, a sysArgs) (uint64, error) { return uint64(t.tid), nil }

func sysSchedYield(t *Thread, a sysArgs) (uint64, error) {
	runtime.Gosched()
	return 0, nil
}

// cpuCount is the number of virtual CPUs guests see: the host's.
func cpuCount() int { return runtime.NumCPU() }

func sysSchedGetaffinity(t *Thread, a sysArgs) (uint64, error) {
	if a[0] != 0 && t.proc.k.findThread(int(int32(a[0]))) == nil {
		return 0, unix.ESRCH
	}
	size := a[1]
	n := cpuCount()
	need := uint64((n + 63) / 64 * 8)
	if size < need || size&7 != 0 {
		return 0, unix.EINVAL
	}
	mask := make([]byte, need)
	for i := 0; i < n; i++ {
		mask[i/8] |= 1 << (i % 8)
	}
	return need, t.copyOut(a[2], mask)
}

func sysSchedSetaffinity(t *Thread, a sysArgs) (uint64, error) {
	if a[0] != 0 && t.proc.k.findThread(int(int32(a[0]))) == nil {
		return 0, unix.ESRCH
	}
	mask := make([]byte, min(a[1], 128))
	if err := t.copyIn(a[2], mask); err != nil {
		return 0, err
	}
	for i, b := range mask {
		for bit := 0; bit < 8; bit++ {
			if b&(1<<bit) != 0 && i*8+bit < cpuCount() {
				return 0, nil // at least one usable CPU: accepted
			}
		}
	}
	return 0, unix.EINVAL
}
