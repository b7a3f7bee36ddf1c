package syscall

import (
	"encoding/binary"
	"testing"
	"time"

	. "quartz/zircon/object"
)

func TestMonotonicClock(t *testing.T) {
	e := newEnv(t)
	a := int64(Call(e.c, SysClockGetMonotonicViaKernel))
	time.Sleep(time.Millisecond)
	b := int64(Call(e.c, SysClockGetMonotonicViaKernel))
	if b-a < int64(time.Millisecond) {
		t.Fatalf("clock: %d then %d", a, b)
	}
	if int64(Call(e.c, SysTicksGetViaKernel)) < b || Call(e.c, SysTicksPerSecond) != 1e9 {
		t.Fatal("ticks")
	}
	d := int64(Call(e.c, SysDeadlineAfter, uint64(time.Second)))
	if now := int64(Now()); d < now || d > now+int64(time.Second) {
		t.Fatalf("deadline_after: %d, now %d", d, now)
	}
	if Call(e.c, SysDeadlineAfter, uint64(TimeInfinite)) != uint64(TimeInfinite) {
		t.Fatal("deadline_after does not saturate")
	}
}

func TestNanosleep(t *testing.T) {
	e := newEnv(t)
	e.ok(SysNanosleep, 0)
	past := TimeInfinitePast
	e.ok(SysNanosleep, uint64(past))
	start := time.Now()
	e.ok(SysNanosleep, after(5*time.Millisecond))
	if time.Since(start) < 5*time.Millisecond {
		t.Fatal("woke early")
	}
	var st Status
	th, done := e.thread(func(c *Context) { st = Status(int32(Call(c, SysNanosleep, infinite()))) })
	time.Sleep(2 * time.Millisecond)
	e.ok(SysTaskKill, uint64(th))
	await(t, done)
	wantStatus(t, st, ErrInternalIntrKilled, "nanosleep")
}

func TestTimer(t *testing.T) {
	e := newEnv(t)
	out := e.alloc(4)
	e.want(ErrInvalidArgs, SysTimerCreate, 0, 7, out)
	e.want(ErrInvalidArgs, SysTimerCreate, 9, uint64(ClockMonotonic), out)
	tm := e.create1(SysTimerCreate, 0, uint64(ClockMonotonic))
	e.ok(SysTimerSet, uint64(tm), after(time.Millisecond), 0)
	e.ok(SysObjectWaitOne, uint64(tm), uint64(TimerSignaled), after(10*time.Second), 0)
	e.ok(SysTimerCancel, uint64(tm))
	if e.signals(tm)&TimerSignaled != 0 {
		t.Fatal("cancel left SIGNALED")
	}
	e.want(ErrOutOfRange, SysTimerSet, uint64(tm), 0, ^uint64(0))
	e.want(ErrOutOfRange, SysTimerSet, 0x5151, 0, ^uint64(0)) // before the lookup
	e.want(ErrBadHandle, SysTimerSet, 0x5151, 0, 0)
	e.want(ErrWrongType, SysTimerCancel, uint64(e.event()))
	e.want(ErrAccessDenied, SysTimerSet, uint64(e.restrict(e.dup(tm), RightWait)), 0, 0)
}

func TestClock(t *testing.T) {
	e := newEnv(t)
	out := e.alloc(8)
	// An automatically started clock reads the monotonic clock.
	clk := e.create1(SysClockCreate, ClockOptMonotonic|ClockOptAutoStart, 0)
	e.ok(SysClockRead, uint64(clk), out)
	if v := int64(e.u64(out)); v <= 0 || v > int64(Now()) {
		t.Fatalf("read %d", v)
	}
	details := e.alloc(ClockDetailsSize)
	e.ok(SysClockGetDetails, uint64(clk), ClockArgsVersion(1), details)
	if e.u64(details) != ClockOptMonotonic|ClockOptAutoStart {
		t.Fatalf("options %#x", e.u64(details))
	}
	e.want(ErrInvalidArgs, SysClockGetDetails, uint64(clk), 0, details)
	e.want(ErrInvalidArgs, SysClockGetDetails, uint64(clk), ClockArgsVersion(1), e.ro)

	// A stopped clock with a backstop, started by update (v1 args).
	cargs := e.put(le64(1000))
	st := e.create1(SysClockCreate, ClockArgsVersion(1), cargs)
	e.ok(SysClockRead, uint64(st), out)
	if e.u64(out) != 1000 {
		t.Fatalf("stopped clock reads %d", e.u64(out))
	}
	e.want(ErrInvalidArgs, SysClockCreate, ClockArgsVersion(1), unmapped, out)
	args := make([]byte, clockUpdateArgsV1Size)
	binary.LittleEndian.PutUint64(args[8:], 5_000_000)
	e.ok(SysClockUpdate, uint64(st), ClockArgsVersion(1)|ClockUpdateOptionValueValid, e.put(args))
	e.ok(SysClockRead, uint64(st), out)
	if v := e.u64(out); v < 5_000_000 || v > 5_000_000+uint64(time.Minute) {
		t.Fatalf("after update %d", v)
	}
	if e.signals(st)&ClockStarted == 0 {
		t.Fatal("not started")
	}
	// v2 args with a reference value.
	args2 := make([]byte, clockUpdateArgsV2Size)
	binary.LittleEndian.PutUint64(args2[8:], 9_000_000)
	binary.LittleEndian.PutUint64(args2[16:], uint64(Now()))
	e.ok(SysClockUpdate, uint64(st), ClockArgsVersion(2)|ClockUpdateOptionValueValid|ClockUpdateOptionReferenceValueValid, e.put(args2))
	e.want(ErrInvalidArgs, SysClockUpdate, uint64(st), ClockArgsVersion(3)|ClockUpdateOptionValueValid, e.put(args2))
	e.want(ErrInvalidArgs, SysClockUpdate, uint64(st), ClockArgsVersion(1)|ClockUpdateOptionValueValid, unmapped)
	e.want(ErrAccessDenied, SysClockUpdate, uint64(e.restrict(e.dup(st), RightRead|RightDuplicate)), ClockArgsVersion(1)|ClockUpdateOptionValueValid, e.put(args))
	e.want(ErrAccessDenied, SysClockRead, uint64(e.restrict(e.dup(st), RightWrite)), out)
	e.want(ErrWrongType, SysClockRead, uint64(e.event()), out)
	e.want(ErrInvalidArgs, SysClockRead, uint64(st), e.ro)
}
