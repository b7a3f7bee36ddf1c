package linux

import (
	"time"

	"golang.org/x/sys/unix"
)

func init() {
	register(unix.SYS_CLOCK_GETTIME, sysClockGettime)
	register(unix.SYS_CLOCK_GETRES, sysClockGetres)
	register(unix.SYS_GETTIMEOFDAY, sysGettimeofday)
	register(unix.SYS_TIME, sysTime)
	register(unix.SYS_NANOSLEEP, sysNanosleep)
	register(unix.SYS_CLOCK_NANOSLEEP, sysClockNanosleep)
	register(unix.SYS_RESTART_SYSCALL, sysRestartSyscall)
}

// validClock accepts the clocks a process can read.
func validClock(id uint64) bool {
	switch int32(id) {
	case unix.CLOCK_REALTIME, unix.CLOCK_MONOTONIC, unix.CLOCK_PROCESS_CPUTIME_ID,
		unix.CLOCK_THREAD_CPUTIME_ID, unix.CLOCK_MONOTONIC_RAW, unix.CLOCK_REALTIME_COARSE,
		unix.CLOCK_MONOTONIC_COARSE, unix.CLOCK_BOOTTIME, unix.CLOCK_TAI:
		return true
	}
	return false
}

// sysClockGettime reads a clock. The CPU-time clocks are the guest's
// (timer_cpu.go), not Quartz's own, which hardly runs while the guest
// computes.
func sysClockGettime(t *Thread, a sysArgs) (uint64, error) {
	var ts unix.Timespec
	cpu, isCPU, err := t.cpuClockOf(int32(a[0]), true)
	switch {
	case err != nil:
		return 0, err
	case isCPU:
		ts = nsTimespec(cpu.now())
	case !validClock(a[0]):
		return 0, unix.EINVAL
	default:
		if err := unix.ClockGettime(int32(a[0]), &ts); err != nil {
			return 0, err
		}
	}
	return 0, writeStruct(t, a[1], &ts)
}

func sysClockGetres(t *Thread, a sysArgs) (uint64, error) {
	id := int32(a[0])
	_, isCPU, err := t.cpuClockOf(id, false)
	switch {
	case err != nil:
		return 0, err
	case isCPU && id < 0:
		// The host's resolution for the same kind of clock of its own.
		id = -8 | id&(cpuClockPerThread|cpuClockKindMask)
	case !isCPU && !validClock(a[0]):
		return 0, unix.EINVAL
	}
	if a[1] == 0 {
		return 0, nil
	}
	var ts unix.Timespec
	if err := unix.ClockGetres(id, &ts); err != nil {
		return 0, err
	}
	return 0, writeStruct(t, a[1], &ts)
}

func sysGettimeofday(t *Thread, a sysArgs) (uint64, error) {
	if a[0] != 0 {
		var tv unix.Timeval
		if err := unix.Gettimeofday(&tv); err != nil {
			return 0, err
		}
		if err := writeStruct(t, a[0], &tv); err != nil {
			return 0, err
		}
	}
	if a[1] != 0 {
		var tz [2]int32 // minutes west, DST: always UTC
		return 0, writeStruct(t, a[1], &tz)
	}
	return 0, nil
}

func sysTime(t *Thread, a sysArgs) (uint64, error) {
	now := uint64(time.Now().Unix())
	if a[0] != 0 {
		if err := t.writeUint64(a[0], now); err != nil {
			return 0, err
		}
	}
	return now, nil
}

func readTimespec(t *Thread, addr uint64) (time.Duration, unix.Timespec, error) {
	var ts unix.Timespec
	if err := readStruct(t, addr, &ts); err != nil {
		return 0, ts, err
	}
	if ts.Sec < 0 || ts.Nsec < 0 || ts.Nsec >= 1e9 {
		return 0, ts, unix.EINVAL
	}
	return time.Duration(ts.Sec)*time.Second + time.Duration(ts.Nsec), ts, nil
}

// sleepUntil blocks until the deadline, a signal to act on, or the
// process's death. It reports whether it was interrupted.
func (t *Thread) sleepUntil(deadline time.Time) bool {
	t.sleeping.Add(1) // /proc shows the thread sleeping (S)
	defer t.sleeping.Add(-1)
	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	for {
		select {
		case <-timer.C:
			return false
		case <-t.proc.dying:
			return true
		case <-t.signalled:
			if t.hasDeliverable() {
				return true
			}
		}
	}
}

// sleepFor is a relative sleep (nanosleep, clock_nanosleep without
// TIMER_ABSTIME) until deadline. Interrupted, it writes the time left to
// rem (when rem != 0) and ends as Linux's ERESTART_RESTARTBLOCK does.
func (t *Thread) sleepFor(deadline time.Time, rem uint64) (uint64, error) {
	if !t.sleepUntil(deadline) {
		return 0, nil
	}
	left := time.Until(deadline)
	if left <= 0 {
		return 0, nil // the time was up anyway
	}
	if rem != 0 {
		ts := unix.NsecToTimespec(left.Nanoseconds())
		if err := writeStruct(t, rem, &ts); err != nil {
			return 0, err
		}
	}
	return t.restartBlock(func(t *Thread) (uint64, error) { return t.sleepFor(deadline, rem) })
}

// restartBlock ends a call that a signal interrupted as Linux's
// ERESTART_RESTARTBLOCK: with EINTR when a handler is to run, SA_RESTART
// or not; otherwise (a stop, then SIGCONT) the thread goes back to its
// syscall instruction as restart_syscall(2), which carries on with fn:
// a sleep goes on to its first deadline, not a new one.
func (t *Thread) restartBlock(fn func(*Thread) (uint64, error)) (uint64, error) {
	if t.proc.isDying() || t.handlerPending() {
		return 0, unix.EINTR
	}
	t.restart = fn
	t.regs.Rip -= 2 // back onto the syscall instruction
	t.regs.Rax = unix.SYS_RESTART_SYSCALL
	return 0, errRegsSet
}

// sysRestartSyscall carries on with the call restartBlock left; with
// none (a handler ran since), it fails with EINTR, as in Linux.
func sysRestartSyscall(t *Thread, a sysArgs) (uint64, error) {
	fn := t.restart
	t.restart = nil
	if fn == nil {
		return 0, unix.EINTR
	}
	return fn(t)
}

func sysNanosleep(t *Thread, a sysArgs) (uint64, error) {
	d, _, err := readTimespec(t, a[0])
	if err != nil {
		return 0, err
	}
	return t.sleepFor(time.Now().Add(d), a[1])
}

// sysClockNanosleep sleeps on a wall clock. An absolute sleep that a
// signal interrupts is restarted as it was, unless a handler runs
// (Linux's ERESTARTNOHAND); it leaves rem alone.
func sysClockNanosleep(t *Thread, a sysArgs) (uint64, error) {
	clock, flags := int32(a[0]), a[1]
	switch clock {
	case unix.CLOCK_REALTIME, unix.CLOCK_MONOTONIC, unix.CLOCK_BOOTTIME, unix.CLOCK_TAI:
	case unix.CLOCK_THREAD_CPUTIME_ID:
		return 0, unix.EINVAL
	default:
		if !validClock(a[0]) {
			return 0, unix.EINVAL
		}
		return 0, unix.ENOTSUP
	}
	d, ts, err := readTimespec(t, a[2])
	if err != nil {
		return 0, err
	}
	if flags&unix.TIMER_ABSTIME == 0 {
		return t.sleepFor(time.Now().Add(d), a[3])
	}
	deadline := time.Now().Add(time.Duration(timespecNs(ts) - hostClockNow(clock)))
	if !t.sleepUntil(deadline) {
		return 0, nil
	}
	return 0, errRestartNoHand
}
