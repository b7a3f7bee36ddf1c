package linux

import (
	"encoding/binary"
	"sync"
	"sync/atomic"

	"golang.org/x/sys/unix"
)

// procTree is the kernel's table of processes and threads and the
// relations between processes: parents and children, process groups and
// sessions, zombies. Processes and threads share one id space (a
// process's pid is the tid of its first thread); ids are not reused. One
// lock guards it all, as Linux's tasklist_lock does. Lock order: tree.mu,
// then a Process's mu, then a Thread's pending.mu.
type procTree struct {
	mu    sync.Mutex
	procs map[int]*Process // by pid; zombies stay until reaped
	tasks map[int]*Thread  // live threads by tid
	// init is the first process of the running Kernel.Run: the reaper
	// of orphans.
	init     *Process
	initPID  atomic.Int32
	shutdown bool // Run is ending: no new processes
}

func (tr *procTree) setup() {
	tr.procs = make(map[int]*Process)
	tr.tasks = make(map[int]*Thread)
}

// lookupProcess returns the process with the given pid, or the process
// of the thread with that tid (Linux's kill accepts either). Call with
// tree.mu held.
func (tr *procTree) lookupProcess(pid int) *Process {
	if p := tr.procs[pid]; p != nil {
		return p
	}
	if t := tr.tasks[pid]; t != nil {
		return t.proc
	}
	return nil
}

// findProcess is lookupProcess taking the lock.
func (k *Kernel) findProcess(pid int) *Process {
	k.tree.mu.Lock()
	defer k.tree.mu.Unlock()
	return k.tree.lookupProcess(pid)
}

// findThread returns the live thread with the given tid, or nil.
func (k *Kernel) findThread(tid int) *Thread {
	k.tree.mu.Lock()
	defer k.tree.mu.Unlock()
	return k.tree.tasks[tid]
}

// groupMembers returns the processes of process group pgid, zombies
// included. Call with tree.mu held.
func (tr *procTree) groupMembers(pgid int) []*Process {
	var ps []*Process
	for _, p := range tr.procs {
		if p.pgid == pgid && !p.reaped {
			ps = append(ps, p)
		}
	}
	return ps
}

// groupInSession reports whether process group pgid has a member in
// session sid. Call with tree.mu held.
func (tr *procTree) groupInSession(pgid, sid int) bool {
	for _, p := range tr.procs {
		if p.pgid == pgid && p.sid == sid && !p.reaped {
			return true
		}
	}
	return false
}

// childChanged wakes p's wait4 callers. Call with tree.mu held.
func (p *Process) childChanged() {
	close(p.childEvent)
	p.childEvent = make(chan struct{})
}

// CLD_* si_codes of SIGCHLD.
const (
	cldExited = 1
	cldKilled = 2
	cldDumped = 3
)

// waitStatus is the status word wait4 reports for the zombie p.
func (p *Process) waitStatus() uint32 {
	s := p.status
	if s.Signal != 0 {
		w := uint32(s.Signal) & 0x7f
		if s.Core {
			w |= 0x80
		}
		return w
	}
	return uint32(s.Code&0xff) << 8
}

// childInfo is the siginfo of p's death, for SIGCHLD and waitid: si_code
// CLD_EXITED with the exit code or CLD_KILLED/CLD_DUMPED with the signal.
func (p *Process) childInfo() siginfo {
	s := p.status
	code, status := int32(cldExited), int32(s.Code&0xff)
	if s.Signal != 0 {
		code, status = cldKilled, int32(s.Signal)
		if s.Core {
			code = cldDumped
		}
	}
	si := newSiginfo(int(unix.SIGCHLD), code).withSender(p.pid, unix.Getuid())
	binary.LittleEndian.PutUint32(si[24:], uint32(status)) // si_status
	return si
}

// signalLater is a signal chosen under tree.mu and sent after it is
// released: sending may take tree.mu itself (SIGCONT resumes a stopped
// process and tells its parent).
type signalLater struct {
	p   *Process
	sig int
	si  siginfo
}

type signalsLater []signalLater

func (l *signalsLater) add(p *Process, sig int, si siginfo) {
	*l = append(*l, signalLater{p, sig, si})
}

// addGroup queues sig for every live process of group pgid.
func (l *signalsLater) addGroup(tr *procTree, pgid, sig int, si siginfo) {
	for _, p := range tr.groupMembers(pgid) {
		if !p.zombie {
			l.add(p, sig, si)
		}
	}
}

func (l signalsLater) send() {
	for _, s := range l {
		s.p.sendSignal(s.sig, s.si)
	}
}

// becomeZombie is the end of a process whose threads are all gone and
// whose resources are released (Linux's exit_notify): its children go to
// the reaper, its parent learns of the death, and it waits to be reaped
// (or is reaped at once when the parent does not want to know).
func (p *Process) becomeZombie() {
	k := p.k
	var later signalsLater
	defer func() { later.send() }() // after the unlock below
	k.tree.mu.Lock()
	defer k.tree.mu.Unlock()
	p.zombie = true
	p.stopFlag.Store(false)
	reaper := k.tree.init
	if reaper == p || (reaper != nil && reaper.zombie) {
		reaper = nil
	}
	groups := []int{p.pgid}
	for _, c := range p.children {
		c.parent = reaper
		c.exitSignal = int(unix.SIGCHLD) // "we don't want people slaying init"
		if sig := int(c.deathSignal.Load()); sig != 0 && !c.zombie {
			later.add(c, sig, newSiginfo(sig, siUser).withSender(p.pid, unix.Getuid()))
		}
		if c.sid == p.sid && c.pgid != p.pgid {
			groups = append(groups, c.pgid)
		}
		if reaper == nil {
			if c.zombie {
				c.reap()
			}
			continue
		}
		reaper.children = append(reaper.children, c)
		if c.zombie && c.notifyParent(&later) {
			c.reap()
		}
	}
	p.children = nil
	// A process group that this exit leaves orphaned, with stopped
	// members, would never be continued: POSIX has it hung up and
	// continued (Linux's kill_orphaned_pgrp).
	for _, g := range groups {
		if k.tree.hasStopped(g) && k.tree.orphanedGroup(g) {
			later.addGroup(&k.tree, g, int(unix.SIGHUP), newSiginfo(int(unix.SIGHUP), siKernel))
			later.addGroup(&k.tree, g, int(unix.SIGCONT), newSiginfo(int(unix.SIGCONT), siKernel))
		}
	}
	if p.parent == nil {
		if p != k.tree.init {
			p.reap()
		}
		return
	}
	if p.notifyParent(&later) {
		p.reap()
	}
}

// notifyParent tells p's parent that p died (Linux's do_notify_parent)
// and reports whether p is to be reaped at once: when the parent ignores
// SIGCHLD or set SA_NOCLDWAIT. Call with tree.mu held.
func (p *Process) notifyParent(later *signalsLater) bool {
	parent := p.parent
	sig := p.exitSignal
	autoreap := false
	if sig == int(unix.SIGCHLD) {
		act := parent.sigs().get(sig)
		if act.Handler == sigIGN || act.Flags&saNocldwait != 0 {
			autoreap = true
			if act.Handler == sigIGN {
				sig = 0
			}
		}
	}
	if validSignal(uint64(sig)) {
		si := p.childInfo()
		binary.LittleEndian.PutUint32(si[0:], uint32(sig))
		later.add(parent, sig, si)
	}
	parent.childChanged()
	return autoreap
}

// reap removes the zombie p from its parent and the table. Call with
// tree.mu held.
func (p *Process) reap() {
	p.reaped = true
	if parent := p.parent; parent != nil {
		for i, c := range parent.children {
			if c == p {
				parent.children = append(parent.children[:i:i], parent.children[i+1:]...)
				break
			}
		}
		parent.childChanged()
	}
	if p.k.tree.procs[p.pid] == p {
		delete(p.k.tree.procs, p.pid)
	}
}

// shutdown kills every process but init, which has exited, waits until
// they are all gone, and empties the table: when Kernel.Run returns,
// nothing of the run is left.
func (k *Kernel) shutdown(init *Process) {
	for {
		k.tree.mu.Lock()
		k.tree.shutdown = true
		var live []*Process
		for _, p := range k.tree.procs {
			if p != init && !p.zombie {
				live = append(live, p)
			}
		}
		if len(live) == 0 {
			for pid := range k.tree.procs {
				delete(k.tree.procs, pid)
			}
			k.tree.init = nil
			k.tree.shutdown = false
			k.tree.mu.Unlock()
			return
		}
		k.tree.mu.Unlock()
		for _, p := range live {
			p.exitGroup(ExitStatus{Signal: unix.SIGKILL})
		}
		for _, p := range live {
			<-p.done
		}
	}
}
