package object

import (
	"math"
	"time"
)

// Time is zx_time_t: nanoseconds on the monotonic clock, which starts near
// zero when Quartz starts (Zircon's starts at boot).
type Time int64

// Duration is zx_duration_t, in nanoseconds.
type Duration int64

const (
	// TimeInfinite is ZX_TIME_INFINITE: a deadline that never passes.
	TimeInfinite Time = math.MaxInt64
	// TimeInfinitePast is ZX_TIME_INFINITE_PAST.
	TimeInfinitePast Time = math.MinInt64
)

// Clock ids (zx_clock_t) for timers.
const (
	ClockMonotonic uint32 = 0
	ClockBoot      uint32 = 1
)

// bootTime is the origin of the monotonic clock. Go's time.Since uses the
// host's monotonic clock reading, so Now never goes backwards.
var bootTime = time.Now()

// Now is zx_clock_get_monotonic.
func Now() Time { return Time(time.Since(bootTime)) }

// BootNow is zx_clock_get_boot. Quartz never suspends, so the boot and
// monotonic timelines are the same.
func BootNow() Time { return Now() }

// DeadlineAfter is zx_deadline_after: now + d, saturating at the
// infinities.
func DeadlineAfter(d Duration) Time { return Now().Add(d) }

// Add is zx_time_add_duration, saturating.
func (t Time) Add(d Duration) Time {
	r := t + Time(d)
	switch {
	case d > 0 && r < t:
		return TimeInfinite
	case d < 0 && r > t:
		return TimeInfinitePast
	}
	return r
}

// deadlineTimer returns a channel that receives when the deadline passes
// and a function to release the timer. An infinite deadline gives a nil
// channel (never ready); a deadline already passed gives expired = true.
func deadlineTimer(deadline Time) (c <-chan time.Time, stop func(), expired bool) {
	if deadline == TimeInfinite {
		return nil, func() {}, false
	}
	now := Now()
	if deadline <= now {
		return nil, func() {}, true
	}
	t := time.NewTimer(time.Duration(deadline - now))
	return t.C, func() { t.Stop() }, false
}
