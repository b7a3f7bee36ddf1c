package object

import (
	"math"
	"testing"
	"time"
)

// TimerTest (zircon/system/utest/core/timer; the suite is "Timer" there).

func newTimerHandle(t *testing.T, ht *HandleTable, options uint32) (*Timer, HandleValue) {
	t.Helper()
	tm, st := NewTimer(options, ClockMonotonic)
	mustOK(t, st, "NewTimer")
	v, st := ht.AddObject(tm, DefaultTimerRights)
	mustOK(t, st, "Add")
	return tm, v
}

func checkTimerInfo(t *testing.T, tm *Timer, options uint32, deadline Time, slack Duration) {
	t.Helper()
	i := tm.Info()
	if i.Options != options || i.Deadline != deadline || i.Slack != slack {
		t.Fatalf("info %+v, want options %d deadline %d slack %d", i, options, deadline, slack)
	}
}

func TestTimer_DeadlineAfter(t *testing.T) {
	then := Now()
	if then <= 1000 {
		t.Fatalf("monotonic time %d", then)
	}
	if hour := DeadlineAfter(Duration(time.Hour)); hour <= then {
		t.Fatal("one hour later is not later")
	}
	if DeadlineAfter(math.MaxInt64-100) != TimeInfinite {
		t.Fatal("not clamped")
	}
	if DeadlineAfter(math.MinInt64) >= 0 {
		t.Fatal("infinite past")
	}
}

func TestTimer_SetNegativeDeadline(t *testing.T) {
	ht := NewHandleTable()
	tm, v := newTimerHandle(t, ht, 0)
	checkTimerInfo(t, tm, 0, 0, 0)
	mustOK(t, tm.Set(-1, 0), "set")
	checkTimerInfo(t, tm, 0, 0, 0)
	got, st := waitOne(ht, v, TimerSignaled, TimeInfinite)
	mustOK(t, st, "wait")
	if got != TimerSignaled {
		t.Fatalf("signals %v", got)
	}
}

func TestTimer_SetNegativeDeadlineMax(t *testing.T) {
	ht := NewHandleTable()
	tm, v := newTimerHandle(t, ht, 0)
	mustOK(t, tm.Set(TimeInfinitePast, 0), "set")
	got, st := waitOne(ht, v, TimerSignaled, TimeInfinite)
	mustOK(t, st, "wait")
	if got != TimerSignaled {
		t.Fatalf("signals %v", got)
	}
	checkTimerInfo(t, tm, 0, 0, 0)
}

func TestTimer_SetNegativeSlack(t *testing.T) {
	tm, _ := NewTimer(0, ClockMonotonic)
	wantStatus(t, tm.Set(0, -1), ErrOutOfRange, "negative slack")
	checkTimerInfo(t, tm, 0, 0, 0)
}

func TestTimer_AlreadyPassedDeadlineOnWaitOne(t *testing.T) {
	ht := NewHandleTable()
	tm, v := newTimerHandle(t, ht, 0)
	mustOK(t, tm.Set(TimeInfinitePast, 0), "set")
	got, st := waitOne(ht, v, TimerSignaled, TimeInfinitePast)
	mustOK(t, st, "wait with past deadline")
	if got != TimerSignaled {
		t.Fatalf("signals %v", got)
	}
}

func TestTimer_Basic(t *testing.T) {
	ht := NewHandleTable()
	tm, v := newTimerHandle(t, ht, 0)
	got, st := waitOne(ht, v, TimerSignaled, 0)
	wantStatus(t, st, ErrTimedOut, "unarmed")
	if got != 0 {
		t.Fatalf("signals %v", got)
	}
	for i := 0; i < 3; i++ {
		start := Now()
		mustOK(t, tm.Set(DeadlineAfter(msec(10)), 0), "set")
		got, st := waitOne(ht, v, TimerSignaled, DeadlineAfter(Duration(1000*time.Second)))
		mustOK(t, st, "wait")
		if got != TimerSignaled {
			t.Fatalf("signals %v", got)
		}
		if Now()-start < Time(msec(10)) {
			t.Fatal("fired early")
		}
		checkTimerInfo(t, tm, 0, 0, 0)
	}
}

func TestTimer_Restart(t *testing.T) {
	ht := NewHandleTable()
	tm, v := newTimerHandle(t, ht, 0)
	for i := 0; i < 10; i++ {
		d := DeadlineAfter(Duration(365 * 24 * time.Hour))
		mustOK(t, tm.Set(d, 0), "set")
		checkTimerInfo(t, tm, 0, d, 0)
		got, st := waitOne(ht, v, TimerSignaled, DeadlineAfter(msec(1)))
		wantStatus(t, st, ErrTimedOut, "wait")
		if got != 0 {
			t.Fatalf("signals %v", got)
		}
		checkTimerInfo(t, tm, 0, d, 0)
	}
}

func TestTimer_InvalidCalls(t *testing.T) {
	_, st := NewTimer(0, 2)
	wantStatus(t, st, ErrInvalidArgs, "bad clock")
	_, st = NewTimer(TimerSlackLate+1, ClockMonotonic)
	wantStatus(t, st, ErrInvalidArgs, "bad slack policy")
	for _, o := range []uint32{TimerSlackCenter, TimerSlackEarly, TimerSlackLate} {
		tm, st := NewTimer(o, ClockBoot)
		mustOK(t, st, "policy")
		if tm.Info().Options != o || tm.Info().ClockID != ClockBoot {
			t.Fatal("info")
		}
	}
}

func TestTimer_EdgeCases(t *testing.T) {
	tm, _ := NewTimer(0, ClockMonotonic)
	mustOK(t, tm.Set(0, 0), "set(0)")
}

func TestTimer_RestartRace(t *testing.T) {
	tm, _ := NewTimer(0, ClockMonotonic)
	end := time.Now().Add(5 * time.Millisecond)
	for time.Now().Before(end) {
		mustOK(t, tm.Set(DeadlineAfter(Duration(100*time.Microsecond)), 0), "set")
	}
	mustOK(t, tm.Cancel(), "cancel")
	time.Sleep(time.Millisecond)
	if tm.Signals() != 0 {
		t.Fatal("a canceled timer fired")
	}
}

func TestTimer_SignalsAssertedImmediately(t *testing.T) {
	ht := NewHandleTable()
	tm, v := newTimerHandle(t, ht, 0)
	for i := 0; i < 100; i++ {
		mustOK(t, tm.Set(Now(), 0), "set")
		got, st := waitOne(ht, v, TimerSignaled, 0)
		mustOK(t, st, "asserted at once")
		if got != TimerSignaled {
			t.Fatalf("signals %v", got)
		}
		mustOK(t, tm.Cancel(), "cancel")
		_, st = waitOne(ht, v, TimerSignaled, 0)
		wantStatus(t, st, ErrTimedOut, "deasserted at once")
	}
}

// A timer fires through a port, with the slack recorded.
func TestTimer_PortPacketAndSlack(t *testing.T) {
	ht := NewHandleTable()
	tm, v := newTimerHandle(t, ht, TimerSlackLate)
	p, pv := newPort(t, ht)
	mustOK(t, waitAsync(ht, v, pv, 77, TimerSignaled, WaitAsyncTimestamp), "wait_async")
	d := DeadlineAfter(msec(5))
	mustOK(t, tm.Set(d, msec(2)), "set")
	checkTimerInfo(t, tm, TimerSlackLate, d, msec(2))
	pkt, st := p.Wait(TimeInfinite, nil)
	mustOK(t, st, "port wait")
	if pkt.Key != 77 || pkt.Signal().Timestamp < d {
		t.Fatalf("packet %+v fired at %d before %d", pkt, pkt.Signal().Timestamp, d)
	}
}

// Closing the last handle disarms the timer.
func TestTimer_CloseDisarms(t *testing.T) {
	ht := NewHandleTable()
	tm, v := newTimerHandle(t, ht, 0)
	mustOK(t, tm.Set(DeadlineAfter(msec(1)), 0), "set")
	ht.Close(v)
	time.Sleep(5 * time.Millisecond)
	if tm.Signals() != 0 {
		t.Fatal("closed timer fired")
	}
}
