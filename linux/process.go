package linux

import (
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"

	"quartz/kernel/mm"
	"quartz/kernel/poll"
	"quartz/kernel/vfs"
)

// Process is a guest process: an address space, a descriptor table, and
// threads.
type Process struct {
	k   *Kernel
	pid int
	// mm, fds and sig belong to the process's own threads, which use them
	// without locks. They are replaced only by execve, when the calling
	// thread is the only one left, and then under mu, so that other
	// processes (kill, /proc) can read them under mu.
	mm  *mm.MM
	fds *fdTable
	sig *sigActions // shared with other processes after clone(CLONE_SIGHAND)

	cwdMu sync.Mutex
	cwd   vfs.Path // the working directory
	exe   vfs.Path // the program file (under mu)
	args  argRange // under mu
	umask atomic.Uint32

	// signalPollee is notified whenever a signal is queued to a thread
	// of the process: the readiness of its signalfds.
	signalPollee poll.Pollee

	// deathSignal is sent to the process when its parent dies
	// (prctl(PR_SET_PDEATHSIG)).
	deathSignal atomic.Int32

	started time.Time

	mu      sync.Mutex
	threads map[int]*Thread
	exiting bool
	status  ExitStatus
	// execer is the thread running execve, while it waits for the other
	// threads to go; execWait is closed when only it is left.
	execer   *Thread
	execWait chan struct{}

	// dying is closed when the process starts to exit: blocking calls
	// select on it so every thread gets out promptly.
	dying chan struct{}
	// done is closed when the last thread is gone, everything is
	// released and the process is a zombie (or reaped).
	done chan struct{}

	// vforkDone, for the child of a vfork, is closed when the child
	// stops using its parent's memory: at execve or exit.
	vforkDone chan struct{}
	vforkOnce sync.Once

	// stopFlag is set while the process is stopped (job control): a
	// lock-free copy of stopped for the threads' run loops.
	stopFlag atomic.Bool

	// timers are the interval and POSIX timers and the CPU clock.
	timers processTimers

	// The rest belongs to the process tree and is guarded by k.tree.mu.
	parent     *Process   // nil for the first process
	children   []*Process // in creation order, zombies included
	pgid, sid  int
	exitSignal int  // sent to the parent at death; 0 for none
	zombie     bool // every thread is gone; waiting to be reaped
	reaped     bool
	execed     bool // has called execve since fork (setpgid's EACCES)
	// Job control: stopped by stopSig until resume is closed; waitStop
	// and waitCont are a stop and a continue not yet reported by wait.
	stopped            bool
	stopSig            int
	resume             chan struct{}
	waitStop, waitCont bool
	// childEvent is closed (and replaced) whenever a child changes state
	// or is reaped: the wake-up of waiting wait4 calls.
	childEvent chan struct{}
}

func (k *Kernel) newProcess() (*Process, error) {
	fds, err := newStdioTable(k.stdio)
	if err != nil {
		return nil, err
	}
	p := k.allocProcess()
	p.fds = fds
	p.sig = &sigActions{}
	p.cwd = k.ns.Root()
	p.umask.Store(0o022)
	return p, nil
}

// allocProcess makes an empty process: no memory, files or threads.
func (k *Kernel) allocProcess() *Process {
	return &Process{
		k:          k,
		threads:    make(map[int]*Thread),
		dying:      make(chan struct{}),
		done:       make(chan struct{}),
		childEvent: make(chan struct{}),
		started:    time.Now(),
	}
}

// newThread makes a thread of p that has not started yet.
func (p *Process) newThread(tid int) *Thread {
	t := &Thread{tid: tid, proc: p, signalled: make(chan struct{}, 1)}
	t.altStack.Flags = ssDisable
	k := p.k
	k.tree.mu.Lock()
	k.tree.tasks[tid] = t
	p.mu.Lock()
	p.threads[tid] = t
	p.mu.Unlock()
	k.tree.mu.Unlock()
	return t
}

// start runs t in its own goroutine.
func (p *Process) start(t *Thread) { go t.run() }

// exitGroup begins the exit of the whole process with status s, unless an
// exit is already under way. Every thread is interrupted.
func (p *Process) exitGroup(s ExitStatus) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.exiting {
		return
	}
	p.exiting = true
	p.status = s
	close(p.dying)
	for _, t := range p.threads {
		t.interrupt()
	}
}

// isDying reports whether the process is exiting.
func (p *Process) isDying() bool {
	select {
	case <-p.dying:
		return true
	default:
		return false
	}
}

// threadExited removes t; the last thread out ends the process. code is
// the thread's exit code, the process's when it is the last thread and
// no exit_group set one.
func (p *Process) threadExited(t *Thread, code int) {
	k := p.k
	k.tree.mu.Lock()
	if k.tree.tasks[t.tid] == t {
		delete(k.tree.tasks, t.tid)
	}
	k.tree.mu.Unlock()
	p.mu.Lock()
	delete(p.threads, t.tid)
	last := len(p.threads) == 0
	if last && !p.exiting {
		p.exiting = true
		p.status = ExitStatus{Code: code & 0xff}
		close(p.dying)
	}
	if p.execWait != nil && len(p.threads) <= 1 {
		close(p.execWait)
		p.execWait = nil
	}
	p.mu.Unlock()
	if last {
		p.release()
		p.becomeZombie()
		close(p.done)
	}
}

// release stops the timers, frees the address space and closes every
// descriptor (each only when no other process shares it).
func (p *Process) release() {
	p.stopTimers()
	p.mu.Lock()
	m, fds := p.mm, p.fds
	p.mm = nil
	p.mu.Unlock()
	if m != nil {
		p.k.putMM(m)
	}
	p.releaseVfork()
	if fds != nil && p.k.fdShares.put(fds) {
		fds.closeAll()
	}
}

// releaseVfork lets a vfork parent go on.
func (p *Process) releaseVfork() {
	if p.vforkDone != nil {
		p.vforkOnce.Do(func() { close(p.vforkDone) })
	}
}

// killBySignal ends the process as the default action of sig does.
func (p *Process) killBySignal(sig unix.Signal) {
	p.exitGroup(ExitStatus{Signal: sig, Core: coreDumps(sig)})
}

func coreDumps(sig unix.Signal) bool {
	switch sig {
	case unix.SIGQUIT, unix.SIGILL, unix.SIGTRAP, unix.SIGABRT, unix.SIGBUS,
		unix.SIGFPE, unix.SIGSEGV, unix.SIGXCPU, unix.SIGXFSZ, unix.SIGSYS:
		return true
	}
	return false
}

// forget drops a thread that never started.
func (p *Process) forget(t *Thread) {
	k := p.k
	k.tree.mu.Lock()
	if k.tree.tasks[t.tid] == t {
		delete(k.tree.tasks, t.tid)
	}
	p.mu.Lock()
	delete(p.threads, t.tid)
	p.mu.Unlock()
	k.tree.mu.Unlock()
}

// sigs returns the process's signal actions for a caller outside the
// process (its own threads use p.sig directly).
func (p *Process) sigs() *sigActions {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.sig
}

// shareCounts counts the processes sharing an object beyond the first
// (an address space after CLONE_VM, a descriptor table after
// CLONE_FILES): an object that is not in the map has one user.
type shareCounts[T comparable] struct {
	mu    sync.Mutex
	extra map[T]int
}

// get adds a user of x.
func (s *shareCounts[T]) get(x T) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.extra == nil {
		s.extra = make(map[T]int)
	}
	s.extra[x]++
}

// put drops a user of x and reports whether it was the last.
func (s *shareCounts[T]) put(x T) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, ok := s.extra[x]
	if !ok {
		return true
	}
	if n <= 1 {
		delete(s.extra, x)
	} else {
		s.extra[x] = n - 1
	}
	return false
}

// shared reports whether x has more than one user.
func (s *shareCounts[T]) shared(x T) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.extra[x] > 0
}

// putMM drops a process's use of an address space, releasing it with
// the last.
func (k *Kernel) putMM(m *mm.MM) {
	if k.mmShares.put(m) {
		m.Release()
	}
}
