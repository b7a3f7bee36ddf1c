package linux

import (
	"encoding/binary"
	"math"
	"sync"
	"sync/atomic"
	"time"
)

// Timers: alarm(2) and the interval timers, and POSIX timers. Each is a
// timer: an expiry time on a clock, reloaded with an interval, that
// queues a signal when it passes. Wall-clock timers wait with Go timers;
// CPU-time timers wait on a cpuClock (timer_cpu.go).
//
// As in Linux, a periodic timer does not queue a second signal while its
// first is pending: it counts the expiries meanwhile as overruns
// (si_overrun, timer_getoverrun), and when the signal is taken it counts
// the periods up to then too and goes on from the next one (Linux's
// rearm at delivery). Linux stops such a timer until the signal is
// taken; here it keeps counting, waking at most every timerPace, so that
// a signal lost without being taken (its thread exits, it becomes
// ignored) cannot stop the timer for good, and a fast timer whose signal
// is blocked does not keep the kernel busy.
const timerPace = int64(10 * time.Millisecond)

// timerEpoch is the origin of wall-clock timer times: Go's monotonic
// clock, so that host clock steps do not move relative timers.
var timerEpoch = time.Now()

// wallNow is the time on the wall clock of timers, in ns.
func wallNow() int64 { return int64(time.Since(timerEpoch)) }

// timerSeq numbers the signals that timers queue: a timer finds its own
// signal in a thread's queue by it, and knows which of its signals were
// queued before it was set again.
var timerSeq atomic.Uint64

// Signal codes of timer signals.
const (
	siTimer = -2 // SI_TIMER: a POSIX timer
)

// timer is one timer of a process. The owner's system calls and the
// Go timers' callbacks meet under mu.
type timer struct {
	mu sync.Mutex

	proc *Process
	cpu  *cpuClock // the clock: nil for wall time

	// An expiry queues signo (none when 0: SIGEV_NONE) to target, or
	// to the process when target is nil. A POSIX timer's signal carries
	// SI_TIMER, its id, overrun and value; an interval timer's is
	// SI_KERNEL, as the kernel's own.
	signo  int
	target *Thread
	posix  bool
	id     int32
	value  uint64
	clock  int32 // a POSIX timer's clock id, for absolute times

	armed    bool
	at       int64 // the next expiry, ns on the clock
	interval int64
	wakeAt   int64  // the end of the current wait: at, or later while the signal is pending
	wait     uint64 // numbers the waits: a callback for an earlier one is stale
	wall     *time.Timer

	queuedOn    *Thread // where the last signal went
	seq         uint64  // and its number
	validFrom   uint64  // POSIX: signals numbered below are withdrawn
	overrunLast int64   // POSIX: the overrun of the last signal taken
	dead        bool    // deleted, or its process is gone
}

// now reads the timer's clock.
func (tm *timer) now() int64 {
	if tm.cpu != nil {
		return tm.cpu.now()
	}
	return wallNow()
}

// set disarms the timer, or arms it to expire at `at` on its clock and
// then every interval. It returns the setting it replaces, as get does.
func (tm *timer) set(arm bool, at, interval int64) (oldLeft, oldInterval int64, oldArmed bool) {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	oldLeft, oldInterval, oldArmed = tm.getLocked(tm.now())
	tm.cancelLocked()
	if tm.posix {
		// A signal of the old setting still queued is dropped when
		// taken, as Linux does since 6.13.
		tm.validFrom = timerSeq.Add(1)
		tm.overrunLast = 0
	}
	tm.armed, tm.at, tm.interval = arm, at, 0
	if arm {
		tm.interval = interval
		tm.scheduleLocked(at)
	}
	return oldLeft, oldInterval, oldArmed
}

// get returns the time to the next expiry and the interval; armed is
// false when the timer is disarmed (left is then 0). An armed timer's
// left may be 0 or less: it is expiring now.
func (tm *timer) get() (left, interval int64, armed bool) {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return tm.getLocked(tm.now())
}

func (tm *timer) getLocked(now int64) (left, interval int64, armed bool) {
	if !tm.armed {
		return 0, tm.interval, false
	}
	if tm.signo == 0 && now >= tm.at {
		// Nothing waits for a silent timer: its expiries are counted
		// when it is read.
		if tm.interval == 0 {
			tm.armed = false
			return 0, 0, false
		}
		tm.at = satAdd(tm.at, ((now-tm.at)/tm.interval+1)*tm.interval)
	}
	return tm.at - now, tm.interval, true
}

// overrun is timer_getoverrun's answer.
func (tm *timer) overrun() int64 {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return tm.overrunLast
}

// kill stops the timer for good: timer_delete, exec, exit.
func (tm *timer) kill() {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	tm.dead, tm.armed = true, false
	tm.validFrom = timerSeq.Add(1)
	tm.cancelLocked()
}

// scheduleLocked waits until the clock reads when, then fires. Silent
// timers need no wait.
func (tm *timer) scheduleLocked(when int64) {
	tm.cancelLocked()
	if tm.signo == 0 {
		return
	}
	tm.wakeAt = when
	w := tm.wait
	if tm.cpu != nil {
		tm.cpu.watch(tm, when, w)
		return
	}
	tm.wall = time.AfterFunc(time.Duration(when-wallNow()), func() { tm.fire(w) })
}

// cancelLocked ends the current wait.
func (tm *timer) cancelLocked() {
	tm.wait++
	if tm.wall != nil {
		tm.wall.Stop()
		tm.wall = nil
	}
	if tm.cpu != nil {
		tm.cpu.unwatch(tm)
	}
}

// fire ends wait w: the timer expires (once or, when late, for several
// periods at a time), queues its signal, and waits for the next expiry.
func (tm *timer) fire(w uint64) {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	if !tm.armed || w != tm.wait {
		return
	}
	now := tm.now()
	if now < tm.wakeAt {
		tm.scheduleLocked(tm.wakeAt) // woken early: a CPU clock's rate changed
		return
	}
	n := int64(0)
	if now >= tm.at {
		n = 1
		if tm.interval > 0 {
			n += (now - tm.at) / tm.interval
			tm.at = satAdd(tm.at, n*tm.interval)
		} else {
			tm.armed = false
		}
	}
	pending := n > 0 && tm.expireLocked(n)
	if tm.armed {
		when := tm.at
		if pending {
			when = max(when, satAdd(now, timerPace))
		}
		tm.scheduleLocked(when)
	}
}

// expireLocked queues the signal of n expiries, or adds them to the
// overrun of the one still pending, reporting which.
func (tm *timer) expireLocked(n int64) (pending bool) {
	if tm.signo == 0 || tm.dead {
		return false
	}
	// A signal still pending counts the expiries, unless its thread has
	// exited with it: then it is lost, and a new one goes.
	if q := tm.queuedOn; q != nil && tm.proc.hasThread(q) && q.addOverrun(tm.signo, signalSource{tm, tm.seq}, n, tm.posix) {
		return true
	}
	target := tm.target
	if target == nil {
		target = tm.proc.signalTarget(tm.signo)
	} else if !tm.proc.hasThread(target) {
		target = nil // a SIGEV_THREAD_ID thread that has exited: Linux drops the signal
	}
	tm.queuedOn = nil
	if target == nil {
		return false
	}
	tm.seq = timerSeq.Add(1)
	tm.queuedOn = target
	si := newSiginfo(tm.signo, siKernel)
	if tm.posix {
		si = timerSiginfo(tm.signo, tm.id, clampOverrun(n-1), tm.value)
	}
	signalThreadFrom(target, uint64(tm.signo), si, signalSource{tm, tm.seq})
	return false
}

// taken is told that a thread took signal seq of the timer, whose
// siginfo is si. It reports whether the signal is still to be
// delivered: a POSIX timer's signal from before it was set again or
// deleted is not. A periodic timer counts the periods up to now and
// goes on from the next.
func (tm *timer) taken(si *siginfo, seq uint64) bool {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	if tm.posix && (tm.dead || seq < tm.validFrom) {
		return false
	}
	n := int64(0)
	if tm.armed && tm.interval > 0 {
		now := tm.now()
		if now >= tm.at {
			n = (now-tm.at)/tm.interval + 1
			tm.at = satAdd(tm.at, n*tm.interval)
		}
		if tm.wakeAt != tm.at {
			tm.scheduleLocked(tm.at) // no longer paced
		}
	}
	if tm.posix {
		tm.overrunLast = clampOverrun(int64(si.overrun()) + n)
		si.setOverrun(int32(tm.overrunLast))
	}
	return true
}

// timerSiginfo is the siginfo of a POSIX timer's signal.
func timerSiginfo(sig int, id int32, overrun int64, value uint64) siginfo {
	si := newSiginfo(sig, siTimer)
	binary.LittleEndian.PutUint32(si[16:], uint32(id))
	si.setOverrun(int32(overrun))
	binary.LittleEndian.PutUint64(si[24:], value)
	return si
}

func (si *siginfo) overrun() int32 { return int32(binary.LittleEndian.Uint32(si[20:])) }

func (si *siginfo) setOverrun(n int32) { binary.LittleEndian.PutUint32(si[20:], uint32(n)) }

// clampOverrun limits an overrun count to an int, as Linux reports it.
func clampOverrun(n int64) int64 { return min(max(n, 0), math.MaxInt32) }

// satAdd adds without overflow: timer values go up to Linux's KTIME_MAX.
func satAdd(a, b int64) int64 {
	if b > 0 && a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}
