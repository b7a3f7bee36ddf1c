package linux

import (
	"sync"
	"sync/atomic"

	"golang.org/x/sys/unix"

	"quartz/kernel/mm"
)

// Process is a guest process: an address space, a descriptor table, and
// threads.
type Process struct {
	k   *Kernel
	pid int
	mm  *mm.MM
	fds *fdTable

	cwdMu sync.Mutex
	cwd   string // guest path of the working directory
	umask atomic.Uint32

	sig         sigActions
	deathSignal int // prctl(PR_SET_PDEATHSIG); the first process's parent never dies

	mu      sync.Mutex
	threads map[int]*Thread
	exiting bool
	status  ExitStatus

	// dying is closed when the process starts to exit: blocking calls
	// select on it so every thread gets out promptly.
	dying chan struct{}
	// done is closed when the last thread is gone and everything is
	// released.
	done chan struct{}
}

func (k *Kernel) newProcess() (*Process, error) {
	fds, err := newStdioTable(k.stdio)
	if err != nil {
		return nil, err
	}
	p := &Process{
		k:       k,
		fds:     fds,
		cwd:     "/",
		threads: make(map[int]*Thread),
		dying:   make(chan struct{}),
		done:    make(chan struct{}),
	}
	p.umask.Store(0o022)
	return p, nil
}

// newThread makes a thread of p that has not started yet.
func (p *Process) newThread(tid int) *Thread {
	t := &Thread{tid: tid, proc: p, signalled: make(chan struct{}, 1)}
	t.altStack.Flags = ssDisable
	p.mu.Lock()
	p.threads[tid] = t
	p.mu.Unlock()
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

// threadExited removes t; the last thread out releases the process. code
// is the thread's exit code, the process's when it is the last thread and
// no exit_group set one.
func (p *Process) threadExited(t *Thread, code int) {
	p.mu.Lock()
	delete(p.threads, t.tid)
	last := len(p.threads) == 0
	if last && !p.exiting {
		p.exiting = true
		p.status = ExitStatus{Code: code & 0xff}
		close(p.dying)
	}
	p.mu.Unlock()
	if last {
		p.release()
		close(p.done)
	}
}

// release frees the address space and closes every descriptor.
func (p *Process) release() {
	if p.mm != nil {
		p.mm.Release()
		p.mm = nil
	}
	p.fds.closeAll()
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

// thread returns p's thread with the given tid, or nil.
func (p *Process) thread(tid int) *Thread {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.threads[tid]
}

// forget drops a thread that never started.
func (p *Process) forget(t *Thread) {
	p.mu.Lock()
	delete(p.threads, t.tid)
	p.mu.Unlock()
}
