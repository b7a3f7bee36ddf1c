package linux

import (
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// cpuClock is the CPU time of a thread or a process as Quartz knows it:
// the time its threads spend running guest code, summed over the
// threads. It is what CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID
// and the interval timers ITIMER_VIRTUAL and ITIMER_PROF count. Time
// Quartz spends on the guest's behalf (system calls, page faults) is not
// in it, so ITIMER_PROF counts as ITIMER_VIRTUAL does; nor can it tell
// time the host did not run a guest thread from time it did.
//
// Timers on the clock wait with Go timers while it runs, rescheduled
// whenever the number of running threads, its rate, changes.
type cpuClock struct {
	mu      sync.Mutex
	running int   // threads in guest code now
	since   int64 // wallNow when running last changed
	total   int64 // CPU time up to since, ns
	waits   map[*timer]*cpuWait
}

// cpuWait is a timer waiting for the clock to read at.
type cpuWait struct {
	at    int64
	timer *time.Timer // fires the timer's wait; stopped while the clock stands
}

func (c *cpuClock) nowLocked(wall int64) int64 {
	return c.total + int64(c.running)*(wall-c.since)
}

// now reads the clock.
func (c *cpuClock) now() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.nowLocked(wallNow())
}

// add changes the number of running threads by delta.
func (c *cpuClock) add(delta int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	wall := wallNow()
	c.total = c.nowLocked(wall)
	c.since = wall
	c.running += delta
	for _, w := range c.waits {
		c.armLocked(w, wall)
	}
}

// watch makes tm fire wait number wait when the clock reads at,
// replacing tm's earlier wait.
func (c *cpuClock) watch(tm *timer, at int64, wait uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.waits[tm]; old != nil {
		old.timer.Stop()
	}
	if c.waits == nil {
		c.waits = make(map[*timer]*cpuWait)
	}
	w := &cpuWait{at: at, timer: time.AfterFunc(time.Hour, func() { tm.fire(wait) })}
	c.waits[tm] = w
	c.armLocked(w, wallNow())
}

// unwatch drops tm's wait.
func (c *cpuClock) unwatch(tm *timer) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if w := c.waits[tm]; w != nil {
		w.timer.Stop()
		delete(c.waits, tm)
	}
}

// armLocked sets w's Go timer for the wall time the clock needs, at its
// present rate, to reach w.at.
func (c *cpuClock) armLocked(w *cpuWait, wall int64) {
	w.timer.Stop()
	if c.running == 0 {
		return
	}
	left := max(w.at-c.nowLocked(wall), 0)
	n := int64(c.running)
	d := left / n
	if left%n != 0 {
		d++
	}
	w.timer.Reset(time.Duration(d))
}

// enterGuest and leaveGuest bracket the thread's runs of guest code: its
// CPU clocks and its process's advance meanwhile.
func (t *Thread) enterGuest() {
	t.cpu.add(1)
	t.proc.timers.cpu.add(1)
}

func (t *Thread) leaveGuest() {
	t.cpu.add(-1)
	t.proc.timers.cpu.add(-1)
}

// Linux's encoding of CPU-time clock ids (clock_getcpuclockid,
// pthread_getcpuclockid): ~pid << 3, a bit for a thread, and the kind.
const (
	cpuClockPerThread = 4
	cpuClockKindMask  = 3
	cpuClockFD        = 3 // the kind that means a dynamic clock: a descriptor
)

// cpuClockOf resolves a CPU-time clock id for the calling thread:
// CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID, or an encoded id of
// the caller's threads or any process (all kinds, PROF, VIRT and SCHED,
// are the one clock Quartz keeps). isCPU is false for the other clocks;
// err is EINVAL for an id that names no thread or process. gettime
// allows a thread's id as its process's, as clock_gettime does.
func (t *Thread) cpuClockOf(id int32, gettime bool) (c *cpuClock, isCPU bool, err error) {
	switch {
	case id == unix.CLOCK_PROCESS_CPUTIME_ID:
		return &t.proc.timers.cpu, true, nil
	case id == unix.CLOCK_THREAD_CPUTIME_ID:
		return &t.cpu, true, nil
	case id >= 0 || id&(cpuClockPerThread|cpuClockKindMask) == cpuClockFD:
		return nil, false, nil
	case id&cpuClockKindMask == cpuClockKindMask:
		return nil, true, unix.EINVAL
	}
	pid := int(^(id >> 3))
	thread := id&cpuClockPerThread != 0
	if pid == 0 {
		if thread {
			return &t.cpu, true, nil
		}
		return &t.proc.timers.cpu, true, nil
	}
	tree := &t.proc.k.tree
	tree.mu.Lock()
	defer tree.mu.Unlock()
	if thread {
		if o := tree.tasks[pid]; o != nil && o.proc == t.proc {
			return &o.cpu, true, nil
		}
		return nil, true, unix.EINVAL
	}
	if gettime && pid == t.tid {
		return &t.proc.timers.cpu, true, nil
	}
	if p := tree.procs[pid]; p != nil && !p.reaped {
		return &p.timers.cpu, true, nil
	}
	return nil, true, unix.EINVAL
}
