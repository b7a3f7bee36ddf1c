package linux

import (
	"time"

	"golang.org/x/sys/unix"
)

func init() {
	register(unix.SYS_GETPPID, sysGetppid)
	register(unix.SYS_GETPGRP, sysGetpgrp)
	register(unix.SYS_GETPGID, sysGetpgid)
	register(unix.SYS_SETPGID, sysSetpgid)
	register(unix.SYS_GETSID, sysGetsid)
	register(unix.SYS_SETSID, sysSetsid)
	register(unix.SYS_GETRUSAGE, sysGetrusage)
	register(unix.SYS_TIMES, sysTimes)
}

// The first process's parent is outside Quartz: 0, as for Linux's init.
func sysGetppid(t *Thread, a sysArgs) (uint64, error) {
	k := t.proc.k
	k.tree.mu.Lock()
	defer k.tree.mu.Unlock()
	if parent := t.proc.parent; parent != nil {
		return uint64(parent.pid), nil
	}
	return 0, nil
}

func sysGetpgrp(t *Thread, a sysArgs) (uint64, error) {
	k := t.proc.k
	k.tree.mu.Lock()
	defer k.tree.mu.Unlock()
	return uint64(t.proc.pgid), nil
}

// targetProcess resolves the pid argument of getpgid, getsid and setpgid
// (0: the caller). Call with tree.mu held.
func (t *Thread) targetProcess(pid int) (*Process, error) {
	if pid == 0 {
		return t.proc, nil
	}
	if pid < 0 {
		return nil, unix.ESRCH
	}
	p := t.proc.k.tree.lookupProcess(pid)
	if p == nil || p.reaped {
		return nil, unix.ESRCH
	}
	return p, nil
}

func sysGetpgid(t *Thread, a sysArgs) (uint64, error) {
	k := t.proc.k
	k.tree.mu.Lock()
	defer k.tree.mu.Unlock()
	p, err := t.targetProcess(int(int32(a[0])))
	if err != nil {
		return 0, err
	}
	return uint64(p.pgid), nil
}

func sysGetsid(t *Thread, a sysArgs) (uint64, error) {
	k := t.proc.k
	k.tree.mu.Lock()
	defer k.tree.mu.Unlock()
	p, err := t.targetProcess(int(int32(a[0])))
	if err != nil {
		return 0, err
	}
	return uint64(p.sid), nil
}

// sysSetpgid moves the caller or one of its children into a process
// group, with Linux's rules: a child that has called execve cannot be
// moved (EACCES), nor a session leader, nor anyone into a group of
// another session (EPERM).
func sysSetpgid(t *Thread, a sysArgs) (uint64, error) {
	pid, pgid := int(int32(a[0])), int(int32(a[1]))
	if pgid < 0 {
		return 0, unix.EINVAL
	}
	k := t.proc.k
	k.tree.mu.Lock()
	defer k.tree.mu.Unlock()
	me := t.proc
	p := me
	if pid != 0 && pid != me.pid {
		p = k.tree.procs[pid]
		if p == nil || p.reaped || p.parent != me {
			return 0, unix.ESRCH
		}
		if p.sid != me.sid {
			return 0, unix.EPERM
		}
		if p.execed {
			return 0, unix.EACCES
		}
	}
	if pgid == 0 {
		pgid = p.pid
	}
	if p.sid == p.pid {
		return 0, unix.EPERM // a session leader stays in its group
	}
	if pgid != p.pid && !k.tree.groupInSession(pgid, me.sid) {
		return 0, unix.EPERM
	}
	p.pgid = pgid
	return 0, nil
}

// sysSetsid makes the caller the leader of a new session and process
// group, unless a process group with its pid exists already.
func sysSetsid(t *Thread, a sysArgs) (uint64, error) {
	k := t.proc.k
	k.tree.mu.Lock()
	defer k.tree.mu.Unlock()
	p := t.proc
	if len(k.tree.groupMembers(p.pid)) > 0 {
		return 0, unix.EPERM
	}
	p.pgid, p.sid = p.pid, p.pid
	return uint64(p.pid), nil
}

const (
	rusageSelf     = 0
	rusageChildren = -1
	rusageThread   = 1
)

// sysGetrusage reports resource usage. Quartz does not account CPU time
// or faults per process yet: the fields are zero but the call is valid.
func sysGetrusage(t *Thread, a sysArgs) (uint64, error) {
	switch int32(a[0]) {
	case rusageSelf, rusageChildren, rusageThread:
	default:
		return 0, unix.EINVAL
	}
	var ru unix.Rusage
	return 0, writeStruct(t, a[1], &ru)
}

// clockTicks is USER_HZ, the unit of clock_t.
const clockTicks = 100

// sysTimes reports process times (zero: not accounted yet) and returns
// the clock ticks elapsed since Quartz started.
func sysTimes(t *Thread, a sysArgs) (uint64, error) {
	if a[0] != 0 {
		var tms unix.Tms
		if err := writeStruct(t, a[0], &tms); err != nil {
			return 0, err
		}
	}
	return uint64(time.Since(t.proc.k.boot) * clockTicks / time.Second), nil
}
