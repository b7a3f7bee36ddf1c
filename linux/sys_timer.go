package linux

import (
	"math"

	"golang.org/x/sys/unix"
)

func init() {
	register(unix.SYS_ALARM, sysAlarm)
	register(unix.SYS_SETITIMER, sysSetitimer)
	register(unix.SYS_GETITIMER, sysGetitimer)
	register(unix.SYS_TIMER_CREATE, sysTimerCreate)
	register(unix.SYS_TIMER_SETTIME, sysTimerSettime)
	register(unix.SYS_TIMER_GETTIME, sysTimerGettime)
	register(unix.SYS_TIMER_GETOVERRUN, sysTimerGetoverrun)
	register(unix.SYS_TIMER_DELETE, sysTimerDelete)
}

// ktimeMax is Linux's KTIME_MAX: timer values beyond it are clamped.
const ktimeMax = math.MaxInt64

// durationNs is sec and frac (in units of unit ns) as ns, clamped at
// ktimeMax as Linux's ktime_set does.
func durationNs(sec, frac, unit int64) int64 {
	if sec >= ktimeMax/int64(1e9) {
		return ktimeMax
	}
	return sec*1e9 + frac*unit
}

func timevalValid(tv unix.Timeval) bool { return tv.Sec >= 0 && tv.Usec >= 0 && tv.Usec < 1e6 }

func timespecValid(ts unix.Timespec) bool { return ts.Sec >= 0 && ts.Nsec >= 0 && ts.Nsec < 1e9 }

func timevalNs(tv unix.Timeval) int64 { return durationNs(tv.Sec, tv.Usec, 1e3) }

func timespecNs(ts unix.Timespec) int64 { return durationNs(ts.Sec, ts.Nsec, 1) }

// nsTimeval truncates to microseconds, as Linux's put_itimerval does.
func nsTimeval(ns int64) unix.Timeval { return unix.Timeval{Sec: ns / 1e9, Usec: ns % 1e9 / 1e3} }

func nsTimespec(ns int64) unix.Timespec { return unix.Timespec{Sec: ns / 1e9, Nsec: ns % 1e9} }

// setItimer sets interval timer which to expire value ns from now
// (disarming it when value is 0) and then every interval ns. It returns
// the old setting as getItimer does.
func (p *Process) setItimer(which int, value, interval int64) (oldValue, oldInterval int64) {
	tm := p.itimer(which)
	left, iv, armed := tm.set(value != 0, satAdd(tm.now(), value), interval)
	return itimerLeft(left, armed), iv
}

// getItimer returns the time to the next expiry of interval timer
// which, and its interval.
func (p *Process) getItimer(which int) (value, interval int64) {
	left, iv, armed := p.itimer(which).get()
	return itimerLeft(left, armed), iv
}

// itimerLeft is an interval timer's remaining time as Linux reports it:
// an armed timer that is expiring has a microsecond left, not 0, which
// would say it is disarmed.
func itimerLeft(left int64, armed bool) int64 {
	switch {
	case !armed:
		return 0
	case left <= 0:
		return 1e3
	}
	return left
}

// sysAlarm is alarm(2): ITIMER_REAL in whole seconds. The old value
// rounds as Linux's alarm_setitimer does, up rather than to 0: a pending
// alarm never reads as none.
func sysAlarm(t *Thread, a sysArgs) (uint64, error) {
	old, _ := t.proc.setItimer(itimerReal, int64(uint32(a[0]))*1e9, 0)
	sec, ns := old/1e9, old%1e9
	if sec == 0 && ns != 0 || ns >= 5e8 {
		sec++
	}
	return uint64(sec), nil
}

func validItimer(which int32) bool { return which >= itimerReal && which <= itimerProf }

// sysSetitimer reads the new value before it checks which, as Linux
// does; a NULL new value disarms. The old value is written after the
// timer is set: EFAULT then still leaves it set.
func sysSetitimer(t *Thread, a sysArgs) (uint64, error) {
	which := int32(a[0])
	var v unix.Itimerval
	if a[1] != 0 {
		if err := readStruct(t, a[1], &v); err != nil {
			return 0, err
		}
		if !timevalValid(v.Value) || !timevalValid(v.Interval) {
			return 0, unix.EINVAL
		}
	}
	if !validItimer(which) {
		return 0, unix.EINVAL
	}
	value, interval := t.proc.setItimer(int(which), timevalNs(v.Value), timevalNs(v.Interval))
	if a[2] == 0 {
		return 0, nil
	}
	old := unix.Itimerval{Interval: nsTimeval(interval), Value: nsTimeval(value)}
	return 0, writeStruct(t, a[2], &old)
}

func sysGetitimer(t *Thread, a sysArgs) (uint64, error) {
	which := int32(a[0])
	if !validItimer(which) {
		return 0, unix.EINVAL
	}
	value, interval := t.proc.getItimer(int(which))
	cur := unix.Itimerval{Interval: nsTimeval(interval), Value: nsTimeval(value)}
	return 0, writeStruct(t, a[1], &cur)
}

// sigevent is the kernel's struct sigevent.
type sigevent struct {
	Value  uint64 // union sigval
	Signo  int32
	Notify int32
	TID    int32 // sigev_notify_thread_id
	_      [44]byte
}

// sigev_notify values.
const (
	sigevSignal   = 0
	sigevNone     = 1
	sigevThread   = 2 // the C library's: the kernel sends a signal
	sigevThreadID = 4
)

// timerClockError is what timer_create says about a clock that is not a
// CPU-time clock before it chooses an id (early) or after (late).
func timerClockError(clock int32) (early, late error) {
	switch clock {
	case unix.CLOCK_REALTIME, unix.CLOCK_MONOTONIC, unix.CLOCK_BOOTTIME, unix.CLOCK_TAI:
		return nil, nil
	case unix.CLOCK_MONOTONIC_RAW, unix.CLOCK_REALTIME_COARSE, unix.CLOCK_MONOTONIC_COARSE:
		return unix.EOPNOTSUPP, nil // clocks without timers
	case unix.CLOCK_REALTIME_ALARM, unix.CLOCK_BOOTTIME_ALARM:
		return nil, unix.EOPNOTSUPP // as Linux without a wake-up RTC
	}
	if clock < 0 {
		return unix.EOPNOTSUPP, nil // a dynamic clock (a descriptor): no timers
	}
	return unix.EINVAL, nil
}

// sysTimerCreate makes a POSIX timer. Its checks come in Linux's order:
// reading the sigevent, the clock, then (with an id chosen and used up)
// the sigevent's fields, writing the id, and last the clock's own
// checks.
func sysTimerCreate(t *Thread, a sysArgs) (uint64, error) {
	clock, sevAddr, idAddr := int32(a[0]), a[1], a[2]
	var sev sigevent
	if sevAddr != 0 {
		if err := readStruct(t, sevAddr, &sev); err != nil {
			return 0, err
		}
	}
	cpu, isCPU, late := t.cpuClockOf(clock, false)
	if !isCPU {
		var early error
		if early, late = timerClockError(clock); early != nil {
			return 0, early
		}
	}
	p := t.proc
	tm := &timer{proc: p, cpu: cpu, posix: true, clock: clock, id: p.reserveTimerID()}
	if sevAddr == 0 {
		sev = sigevent{Signo: int32(unix.SIGALRM), Notify: sigevSignal, Value: uint64(tm.id)}
	}
	switch sev.Notify {
	case sigevThreadID:
		o := p.k.findThread(int(sev.TID))
		if o == nil || o.proc != p {
			return 0, unix.EINVAL
		}
		tm.target = o
		fallthrough
	case sigevSignal, sigevThread:
		if !validSignal(uint64(sev.Signo)) {
			return 0, unix.EINVAL
		}
		tm.signo = int(sev.Signo)
	case sigevNone:
	default:
		return 0, unix.EINVAL
	}
	tm.value = sev.Value
	if err := t.writeUint32(idAddr, uint32(tm.id)); err != nil {
		return 0, err
	}
	if late != nil {
		return 0, late
	}
	p.addPosixTimer(tm)
	return 0, nil
}

// sysTimerSettime checks the new setting before the timer id, as Linux
// does.
func sysTimerSettime(t *Thread, a sysArgs) (uint64, error) {
	id, flags, newAddr, oldAddr := int32(a[0]), a[1], a[2], a[3]
	if newAddr == 0 {
		return 0, unix.EINVAL
	}
	var spec unix.ItimerSpec
	if err := readStruct(t, newAddr, &spec); err != nil {
		return 0, err
	}
	if !timespecValid(spec.Value) || !timespecValid(spec.Interval) {
		return 0, unix.EINVAL
	}
	tm := t.proc.posixTimer(id)
	if tm == nil {
		return 0, unix.EINVAL
	}
	value := timespecNs(spec.Value)
	var at int64
	switch {
	case flags&unix.TIMER_ABSTIME == 0:
		at = satAdd(tm.now(), value)
	case tm.cpu != nil:
		at = value
	default:
		// An absolute time on the timer's clock, as a time on the
		// timers' wall clock.
		at = satAdd(wallNow(), value-hostClockNow(tm.clock))
	}
	left, interval, armed := tm.set(value != 0, at, timespecNs(spec.Interval))
	if oldAddr == 0 {
		return 0, nil
	}
	old := unix.ItimerSpec{Interval: nsTimespec(interval), Value: nsTimespec(posixLeft(left, armed))}
	return 0, writeStruct(t, oldAddr, &old)
}

// posixLeft is a POSIX timer's remaining time as Linux reports it: a
// timer expiring now has a nanosecond left, not 0, which would say it
// is disarmed.
func posixLeft(left int64, armed bool) int64 {
	switch {
	case !armed:
		return 0
	case left <= 0:
		return 1
	}
	return left
}

func sysTimerGettime(t *Thread, a sysArgs) (uint64, error) {
	tm := t.proc.posixTimer(int32(a[0]))
	if tm == nil {
		return 0, unix.EINVAL
	}
	left, interval, armed := tm.get()
	cur := unix.ItimerSpec{Interval: nsTimespec(interval), Value: nsTimespec(posixLeft(left, armed))}
	return 0, writeStruct(t, a[1], &cur)
}

func sysTimerGetoverrun(t *Thread, a sysArgs) (uint64, error) {
	tm := t.proc.posixTimer(int32(a[0]))
	if tm == nil {
		return 0, unix.EINVAL
	}
	return uint64(tm.overrun()), nil
}

func sysTimerDelete(t *Thread, a sysArgs) (uint64, error) {
	if !t.proc.deletePosixTimer(int32(a[0])) {
		return 0, unix.EINVAL
	}
	return 0, nil
}

// hostClockNow reads a wall clock (CLOCK_REALTIME, CLOCK_MONOTONIC,
// CLOCK_BOOTTIME, CLOCK_TAI), in ns.
func hostClockNow(clock int32) int64 {
	var ts unix.Timespec
	unix.ClockGettime(clock, &ts)
	return ts.Nano()
}
