package linux

import (
	"runtime"
	"time"

	"golang.org/x/sys/unix"
)

func init() {
	register(unix.SYS_CLONE, sysClone)
	register(unix.SYS_CLONE3, sysClone3)
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

const knownCloneFlags = threadFlags | unix.CLONE_SYSVSEM | unix.CLONE_SETTLS |
	unix.CLONE_PARENT_SETTID | unix.CLONE_CHILD_SETTID | unix.CLONE_CHILD_CLEARTID | unix.CLONE_DETACHED

// cloneArgs are the parts of clone/clone3 Quartz acts on.
type cloneArgs struct {
	flags               uint64
	stack, tls          uint64
	parentTID, childTID uint64
	exitSignal          uint64
}

func sysClone(t *Thread, a sysArgs) (uint64, error) {
	// x86-64 order: flags, stack, parent_tid, child_tid, tls.
	return t.clone(cloneArgs{
		flags: a[0] &^ 0xff, exitSignal: a[0] & 0xff,
		stack: a[1], parentTID: a[2], childTID: a[3], tls: a[4],
	})
}

func sysClone3(t *Thread, a sysArgs) (uint64, error) {
	var raw struct {
		Flags, Pidfd, ChildTID, ParentTID, ExitSignal, Stack, StackSize, TLS uint64
	}
	if a[1] < 64 {
		return 0, unix.EINVAL
	}
	if err := readStruct(t, a[0], &raw); err != nil {
		return 0, err
	}
	stack := raw.Stack
	if stack != 0 {
		stack += raw.StackSize // clone3 gives the lowest address; the stack grows down
	}
	return t.clone(cloneArgs{flags: raw.Flags, exitSignal: raw.ExitSignal, stack: stack,
		parentTID: raw.ParentTID, childTID: raw.ChildTID, tls: raw.TLS})
}

// clone creates a thread of the calling process. New processes (fork)
// are not supported yet: without CLONE_VM|CLONE_THREAD the call fails
// with ENOSYS, which libc reports like any fork failure.
func (t *Thread) clone(c cloneArgs) (uint64, error) {
	if c.flags&^knownCloneFlags != 0 {
		if c.flags&threadFlags != threadFlags {
			return 0, unix.ENOSYS
		}
		return 0, unix.EINVAL
	}
	if c.flags&threadFlags != threadFlags {
		if c.flags&unix.CLONE_THREAD != 0 && c.flags&unix.CLONE_SIGHAND == 0 ||
			c.flags&unix.CLONE_SIGHAND != 0 && c.flags&unix.CLONE_VM == 0 {
			return 0, unix.EINVAL
		}
		return 0, unix.ENOSYS
	}
	p := t.proc
	child := p.newThread(p.k.newPID())
	child.regs = t.regs
	child.regs.Rax = 0
	if c.stack != 0 {
		child.regs.Rsp = c.stack
	}
	if c.flags&unix.CLONE_SETTLS != 0 {
		child.regs.FsBase = c.tls
	}
	child.sigMask = t.sigMask
	tid := uint32(child.tid)
	if c.flags&unix.CLONE_PARENT_SETTID != 0 {
		if err := t.writeUint32(c.parentTID, tid); err != nil {
			p.forget(child)
			return 0, err
		}
	}
	if c.flags&unix.CLONE_CHILD_SETTID != 0 {
		if err := t.writeUint32(c.childTID, tid); err != nil {
			p.forget(child)
			return 0, err
		}
	}
	if c.flags&unix.CLONE_CHILD_CLEARTID != 0 {
		child.clearChildTID = c.childTID
	}
	if p.isDying() {
		p.forget(child)
		return 0, unix.EINTR
	}
	p.start(child)
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
		if target = t.proc.thread(int(a[0])); target == nil {
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
	if a[0] != 0 && t.proc.thread(int(a[0])) == nil {
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
	if a[0] != 0 && t.proc.thread(int(a[0])) == nil {
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
