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

func sysClockGettime(t *Thread, a sysArgs) (uint64, error) {
	if !validClock(a[0]) {
		return 0, unix.EINVAL
	}
	var ts unix.Timespec
	// CPU-time clocks read Quartz's own: a guest's time is spent in it.
	if err := unix.ClockGettime(int32(a[0]), &ts); err != nil {
		return 0, err
	}
	return 0, writeStruct(t, a[1], &ts)
}

func sysClockGetres(t *Thread, a sysArgs) (uint64, error) {
	if !validClock(a[0]) {
		return 0, unix.EINVAL
	}
	if a[1] == 0 {
		return 0, nil
	}
	var ts unix.Timespec
	if err := unix.ClockGetres(int32(a[0]), &ts); err != nil {
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

// sleepUntil blocks until the deadline, a signal, or the process's death.
// Interrupted, it writes the time left to rem (when rem != 0).
func (t *Thread) sleepUntil(deadline time.Time, rem uint64) error {
	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-t.proc.dying:
		return unix.EINTR
	case <-t.signalled:
		if !t.hasDeliverable() {
			return t.sleepUntil(deadline, rem)
		}
		if rem != 0 {
			left := max(time.Until(deadline), 0)
			ts := unix.NsecToTimespec(left.Nanoseconds())
			if err := writeStruct(t, rem, &ts); err != nil {
				return err
			}
		}
		return unix.EINTR
	}
}

func sysNanosleep(t *Thread, a sysArgs) (uint64, error) {
	d, _, err := readTimespec(t, a[0])
	if err != nil {
		return 0, err
	}
	return 0, t.sleepUntil(time.Now().Add(d), a[1])
}

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
	var deadline time.Time
	if flags&unix.TIMER_ABSTIME != 0 {
		deadline = absoluteDeadline(ts, clock == unix.CLOCK_REALTIME || clock == unix.CLOCK_TAI)
		a[3] = 0 // no remaining time for absolute sleeps
	} else {
		deadline = time.Now().Add(d)
	}
	return 0, t.sleepUntil(deadline, a[3])
}
