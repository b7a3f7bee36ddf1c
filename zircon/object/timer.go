package object

import (
	"encoding/binary"
	"time"
)

// Timer slack policies (zx_timer_create options): how far from the
// deadline the timer may fire to coalesce with others.
const (
	TimerSlackCenter uint32 = 0 // [deadline-slack, deadline+slack]
	TimerSlackEarly  uint32 = 1 // [deadline-slack, deadline]
	TimerSlackLate   uint32 = 2 // [deadline, deadline+slack]
)

// Timer asserts TimerSignaled when its deadline passes (zx_timer_*).
//
// The slack policies are accepted and reported, but Quartz fires at the
// deadline itself, which lies inside every policy's window: coalescing is
// the Go runtime's business.
type Timer struct {
	Base
	options uint32
	clockID uint32

	// Guarded by the object lock.
	deadline Time
	slack    Duration
	t        *time.Timer
	gen      uint64 // bumped by every set and cancel, so a stale fire is ignored
}

// NewTimer is zx_timer_create: options is a slack policy, clockID
// ClockMonotonic or ClockBoot; anything else is INVALID_ARGS.
func NewTimer(options, clockID uint32) (*Timer, Status) {
	if options > TimerSlackLate || (clockID != ClockMonotonic && clockID != ClockBoot) {
		return nil, ErrInvalidArgs
	}
	t := &Timer{options: options, clockID: clockID}
	t.Init(TypeTimer, 0)
	return t, OK
}

func (t *Timer) stopLocked() {
	t.gen++
	if t.t != nil {
		t.t.Stop()
		t.t = nil
	}
}

// Set is zx_timer_set: (re)arm the timer for deadline, clearing
// TimerSignaled. A deadline already passed fires at once. Negative slack
// is OUT_OF_RANGE. (The syscall needs WRITE.)
func (t *Timer) Set(deadline Time, slack Duration) Status {
	if slack < 0 {
		return ErrOutOfRange
	}
	t.Lock()
	defer t.Unlock()
	t.stopLocked()
	t.UpdateStateLocked(TimerSignaled, 0, 0)
	now := Now()
	if deadline <= now {
		t.deadline, t.slack = 0, 0
		t.UpdateStateLocked(0, TimerSignaled, 0)
		return OK
	}
	t.deadline, t.slack = deadline, slack
	gen := t.gen
	t.t = time.AfterFunc(time.Duration(deadline-now), func() { t.fire(gen) })
	return OK
}

func (t *Timer) fire(gen uint64) {
	t.Lock()
	defer t.Unlock()
	if gen != t.gen {
		return // canceled or re-set since
	}
	t.t = nil
	t.deadline, t.slack = 0, 0
	t.UpdateStateLocked(0, TimerSignaled, 0)
}

// Cancel is zx_timer_cancel: disarm the timer and clear TimerSignaled.
func (t *Timer) Cancel() Status {
	t.Lock()
	defer t.Unlock()
	t.stopLocked()
	t.deadline, t.slack = 0, 0
	t.UpdateStateLocked(TimerSignaled, 0, 0)
	return OK
}

// OnZeroHandles disarms the timer: no one can see it fire.
func (t *Timer) OnZeroHandles() {
	t.Lock()
	t.stopLocked()
	t.Unlock()
}

// TimerInfo is zx_info_timer_t (ZX_INFO_TIMER).
type TimerInfo struct {
	Options  uint32
	ClockID  uint32
	Deadline Time     // 0 when not armed
	Slack    Duration // 0 when not armed
}

// TimerInfoSize is sizeof(zx_info_timer_t).
const TimerInfoSize = 24

// Info reports the timer's options and, while armed, its deadline and
// slack.
func (t *Timer) Info() TimerInfo {
	t.Lock()
	defer t.Unlock()
	return TimerInfo{Options: t.options, ClockID: t.clockID, Deadline: t.deadline, Slack: t.slack}
}

// Marshal encodes the info in zx_info_timer_t's layout.
func (i TimerInfo) Marshal() [TimerInfoSize]byte {
	var b [TimerInfoSize]byte
	binary.LittleEndian.PutUint32(b[0:], i.Options)
	binary.LittleEndian.PutUint32(b[4:], i.ClockID)
	binary.LittleEndian.PutUint64(b[8:], uint64(i.Deadline))
	binary.LittleEndian.PutUint64(b[16:], uint64(i.Slack))
	return b
}
