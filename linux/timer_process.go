package linux

import (
	"math"
	"sync"

	"golang.org/x/sys/unix"
)

// processTimers are a process's timers and CPU clock. Like Linux's
// signal_struct, which holds them, they belong to the whole thread
// group: every thread sees the same, a fork child starts with none, and
// execve deletes the POSIX timers but keeps the interval timers, the CPU
// time and the count of timer ids.
type processTimers struct {
	mu      sync.Mutex
	itimers [3]*timer // ITIMER_REAL, ITIMER_VIRTUAL, ITIMER_PROF; nil until set
	posix   map[int32]*timer
	nextID  int32
	cpu     cpuClock
}

// Interval timers (setitimer's which).
const (
	itimerReal    = 0
	itimerVirtual = 1
	itimerProf    = 2
)

var itimerSignals = [3]int{int(unix.SIGALRM), int(unix.SIGVTALRM), int(unix.SIGPROF)}

// itimer returns the interval timer which (a valid one), making it on
// first use.
func (p *Process) itimer(which int) *timer {
	pt := &p.timers
	pt.mu.Lock()
	defer pt.mu.Unlock()
	if pt.itimers[which] == nil {
		tm := &timer{proc: p, signo: itimerSignals[which]}
		if which != itimerReal {
			tm.cpu = &pt.cpu
		}
		pt.itimers[which] = tm
	}
	return pt.itimers[which]
}

// reserveTimerID chooses the id of a new POSIX timer. Like Linux, ids
// count up from 0, skipping ids in use, and an id is used up even when
// the timer_create that chose it fails.
func (p *Process) reserveTimerID() int32 {
	pt := &p.timers
	pt.mu.Lock()
	defer pt.mu.Unlock()
	for {
		id := pt.nextID
		pt.nextID = int32(uint32(id+1) & math.MaxInt32)
		if pt.posix[id] == nil {
			return id
		}
	}
}

// addPosixTimer makes tm, whose id is reserved, the process's.
func (p *Process) addPosixTimer(tm *timer) {
	pt := &p.timers
	pt.mu.Lock()
	defer pt.mu.Unlock()
	if pt.posix == nil {
		pt.posix = make(map[int32]*timer)
	}
	pt.posix[tm.id] = tm
}

// posixTimer returns the POSIX timer id, or nil.
func (p *Process) posixTimer(id int32) *timer {
	pt := &p.timers
	pt.mu.Lock()
	defer pt.mu.Unlock()
	return pt.posix[id]
}

// deletePosixTimer removes the POSIX timer id, reporting whether there
// was one.
func (p *Process) deletePosixTimer(id int32) bool {
	pt := &p.timers
	pt.mu.Lock()
	tm := pt.posix[id]
	delete(pt.posix, id)
	pt.mu.Unlock()
	if tm == nil {
		return false
	}
	tm.kill()
	return true
}

// execTimers is what execve does to timers: the POSIX timers go.
func (p *Process) execTimers() {
	pt := &p.timers
	pt.mu.Lock()
	posix := pt.posix
	pt.posix = nil
	pt.mu.Unlock()
	for _, tm := range posix {
		tm.kill()
	}
}

// stopTimers stops every timer of a process that is gone.
func (p *Process) stopTimers() {
	p.execTimers()
	pt := &p.timers
	pt.mu.Lock()
	itimers := pt.itimers
	pt.mu.Unlock()
	for _, tm := range itimers {
		if tm != nil {
			tm.kill()
		}
	}
}

// hasThread reports whether t is a live thread of p.
func (p *Process) hasThread(t *Thread) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.threads[t.tid] == t
}
