package syscall

import (
	"time"

	"quartz/zircon/object"
)

// Quartz's ticks are the monotonic clock's nanoseconds.
const ticksPerSecond = 1_000_000_000

// zx_clock_get_monotonic_via_kernel(): the monotonic clock, in rax.
func sysClockGetMonotonic(c *Context, a *args) int64 { return int64(object.Now()) }

// zx_ticks_get_via_kernel(): the tick counter, in rax.
func sysTicksGet(c *Context, a *args) int64 { return int64(object.Now()) }

// zx_ticks_per_second(), a vDSO call.
func sysTicksPerSecond(c *Context, a *args) int64 { return ticksPerSecond }

// zx_deadline_after(nanoseconds), a vDSO call: now + nanoseconds,
// saturating.
func sysDeadlineAfter(c *Context, a *args) int64 {
	return int64(object.DeadlineAfter(object.Duration(int64(a[0]))))
}

// zx_nanosleep(deadline): OK once the deadline has passed (at once for
// one in the past); killing the thread ends the sleep.
func sysNanosleep(c *Context, a *args) int64 {
	deadline := a.time(0)
	cancel := c.cancel()
	if deadline == object.TimeInfinite {
		<-cancel // a nil channel: sleeps for ever, as asked
		return ret(object.ErrInternalIntrKilled)
	}
	now := object.Now()
	if deadline <= now {
		return ret(object.OK)
	}
	t := time.NewTimer(time.Duration(deadline - now))
	defer t.Stop()
	select {
	case <-t.C:
		return ret(object.OK)
	case <-cancel:
		return ret(object.ErrInternalIntrKilled)
	}
}

// zx_timer_create(options, clock_id, out): the clock must be the
// monotonic or the boot clock (INVALID_ARGS); ZX_POL_NEW_TIMER; then the
// slack option (INVALID_ARGS).
func sysTimerCreate(c *Context, a *args) int64 {
	options, clock := a.u32(0), a.u32(1)
	if clock != object.ClockMonotonic && clock != object.ClockBoot {
		return ret(object.ErrInvalidArgs)
	}
	if st := c.policy(object.PolNewTimer); st != object.OK {
		return ret(st)
	}
	t, st := object.NewTimer(options, clock)
	if st != object.OK {
		return ret(st)
	}
	v, st := c.Process.AddHandle(t, object.DefaultTimerRights)
	return ret(c.outHandle(a[2], v, st))
}

// zx_timer_set(handle, deadline, slack): negative slack is OUT_OF_RANGE
// before the handle is looked up; the timer needs WRITE.
func sysTimerSet(c *Context, a *args) int64 {
	slack := object.Duration(int64(a[2]))
	if slack < 0 {
		return ret(object.ErrOutOfRange)
	}
	t, _, st := get[*object.Timer](c, a.h(0), object.RightWrite)
	if st != object.OK {
		return ret(st)
	}
	return ret(t.Set(a.time(1), slack))
}

// zx_timer_cancel(handle): the timer needs WRITE.
func sysTimerCancel(c *Context, a *args) int64 {
	t, _, st := get[*object.Timer](c, a.h(0), object.RightWrite)
	if st != object.OK {
		return ret(st)
	}
	return ret(t.Cancel())
}
