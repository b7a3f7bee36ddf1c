package object

import (
	"testing"
	"time"
)

// ClockTest (zircon/system/utest/core/clock) and KernelClocksTestCase
// (the kernel-clock tests).

func TestClockTest_ClockMonotonic(t *testing.T) {
	prev := Now()
	for i := 0; i < 100; i++ {
		cur := Now()
		if cur <= 0 || cur < prev {
			t.Fatalf("monotonic %d after %d", cur, prev)
		}
		time.Sleep(10 * time.Microsecond)
		prev = cur
	}
}

func TestClockTest_DeadlineAfter(t *testing.T) {
	for _, off := range []Duration{0, msec(20)} {
		before := Now().Add(off)
		d := DeadlineAfter(off)
		after := Now().Add(off)
		if d < before || d > after {
			t.Fatalf("deadline %d not in [%d, %d]", d, before, after)
		}
	}
}

func TestKernelClocksTestCase_Create(t *testing.T) {
	for _, o := range []uint64{0, ClockOptMonotonic, ClockOptMonotonic | ClockOptContinuous} {
		_, st := NewClock(o, nil)
		mustOK(t, st, "create")
	}
	_, st := NewClock(ClockOptContinuous, nil)
	wantStatus(t, st, ErrInvalidArgs, "continuous without monotonic")
	_, st = NewClock(1<<(ClockArgsVersionShift-1), nil)
	wantStatus(t, st, ErrInvalidArgs, "illegal option")
	_, st = NewClock(ClockArgsVersion(1), &ClockCreateArgs{BackstopTime: 12345})
	mustOK(t, st, "backstop")
	_, st = NewClock(ClockArgsVersion(1), &ClockCreateArgs{BackstopTime: -12345})
	wantStatus(t, st, ErrInvalidArgs, "negative backstop")
	_, st = NewClock(0, &ClockCreateArgs{BackstopTime: 12345})
	wantStatus(t, st, ErrInvalidArgs, "args without version")
	_, st = NewClock(ClockArgsVersion(1), nil)
	wantStatus(t, st, ErrInvalidArgs, "version without args")
	_, st = NewClock(ClockArgsVersion(7), &ClockCreateArgs{})
	wantStatus(t, st, ErrInvalidArgs, "version 7")
	_, st = NewClock(ClockArgsVersion(1)|ClockOptAutoStart, &ClockCreateArgs{BackstopTime: Now() + Time(time.Hour)})
	wantStatus(t, st, ErrInvalidArgs, "auto-start with a future backstop")
}

var v2 = ClockArgsVersion(2)

func TestKernelClocksTestCase_Read(t *testing.T) {
	for _, backstop := range []Time{0, 12345} {
		c, st := NewClock(ClockArgsVersion(1), &ClockCreateArgs{BackstopTime: backstop})
		mustOK(t, st, "create")
		if c.Read() != backstop {
			t.Fatal("stopped clock does not read its backstop")
		}
		time.Sleep(10 * time.Millisecond)
		if c.Read() != backstop {
			t.Fatal("stopped clock moved")
		}
		const initial = 1_000_000
		beforeUpdate := int64(Now())
		mustOK(t, c.Update(v2|ClockUpdateOptionSyntheticValueValid, ClockUpdateArgs{SyntheticValue: initial}), "set")
		afterUpdate := int64(Now())
		beforeRead := int64(Now())
		r := int64(c.Read())
		afterRead := int64(Now())
		lo := initial + (beforeRead - afterUpdate)
		hi := initial + (afterRead - beforeUpdate)
		if r < lo || r > hi {
			t.Fatalf("read %d not in [%d, %d]", r, lo, hi)
		}
	}
}

func TestKernelClocksTestCase_GetDetails(t *testing.T) {
	for _, backstop := range []Time{0, 12345} {
		for _, options := range []uint64{0, ClockOptMonotonic, ClockOptMonotonic | ClockOptContinuous} {
			c, st := NewClock(options|ClockArgsVersion(1), &ClockCreateArgs{BackstopTime: backstop})
			mustOK(t, st, "create")

			// Phase 1: initial details.
			before := int64(Now())
			d := c.Details()
			after := int64(Now())
			if d.GenerationCounter&1 != 0 || d.Options != options || d.BackstopTime != backstop ||
				d.QueryTicks < before || d.QueryTicks > after || d.ErrorBound != ClockUnknownError ||
				d.LastValueUpdateTicks != 0 || d.LastRateAdjustUpdateTicks != 0 || d.LastErrorBoundsUpdateTicks != 0 ||
				d.TicksToSynthetic.Rate.SyntheticTicks != 0 || d.MonoToSynthetic.Rate.SyntheticTicks != 0 {
				t.Fatalf("phase 1: %+v", d)
			}
			last := d

			// Phase 2: set the value.
			const initial = 1_000_000
			ub := int64(Now())
			mustOK(t, c.Update(v2|ClockUpdateOptionSyntheticValueValid, ClockUpdateArgs{SyntheticValue: initial}), "set")
			ua := int64(Now())
			d = c.Details()
			if d.GenerationCounter != last.GenerationCounter+2 || d.Options != options || d.ErrorBound != ClockUnknownError ||
				d.LastValueUpdateTicks < ub || d.LastValueUpdateTicks > ua ||
				d.LastRateAdjustUpdateTicks != d.LastValueUpdateTicks ||
				d.LastErrorBoundsUpdateTicks != last.LastErrorBoundsUpdateTicks ||
				d.TicksToSynthetic.SyntheticOffset != initial || d.MonoToSynthetic.SyntheticOffset != initial ||
				d.MonoToSynthetic.Rate != (ClockRate{1, 1}) ||
				d.TicksToSynthetic.ReferenceOffset != d.LastValueUpdateTicks ||
				d.MonoToSynthetic.ReferenceOffset != d.TicksToSynthetic.ReferenceOffset {
				t.Fatalf("phase 2: %+v", d)
			}
			last = d

			// Phase 3: change the rate.
			const ppm = 65
			ub = int64(Now())
			mustOK(t, c.Update(v2|ClockUpdateOptionRateAdjustValid, ClockUpdateArgs{RateAdjust: ppm}), "rate")
			ua = int64(Now())
			d = c.Details()
			want := last.TicksToSynthetic.Apply(d.LastRateAdjustUpdateTicks)
			if d.GenerationCounter != last.GenerationCounter+2 || d.LastValueUpdateTicks != last.LastValueUpdateTicks ||
				d.LastRateAdjustUpdateTicks < ub || d.LastRateAdjustUpdateTicks > ua ||
				d.TicksToSynthetic.SyntheticOffset != want || d.MonoToSynthetic.SyntheticOffset != want ||
				d.MonoToSynthetic.Rate != (ClockRate{1_000_000 + ppm, 1_000_000}) {
				t.Fatalf("phase 3: %+v (want offset %d)", d, want)
			}
			last = d

			// Phase 4: the error bound.
			mustOK(t, c.Update(v2|ClockUpdateOptionErrorBoundValid, ClockUpdateArgs{ErrorBound: 1234}), "error bound")
			d = c.Details()
			if d.ErrorBound != 1234 || d.LastErrorBoundsUpdateTicks == 0 || d.GenerationCounter != last.GenerationCounter+2 ||
				d.TicksToSynthetic != last.TicksToSynthetic {
				t.Fatalf("phase 4: %+v", d)
			}
			if b := d.Marshal(); len(b) != ClockDetailsSize || b[0] != byte(options) {
				t.Fatal("marshal")
			}
		}
	}
}

func TestKernelClocksTestCase_StartedSignal(t *testing.T) {
	ht := NewHandleTable()
	c, _ := NewClock(0, nil)
	v, _ := ht.AddObject(c, DefaultClockRights)
	got, st := waitOne(ht, v, ClockStarted, DeadlineAfter(msec(5)))
	wantStatus(t, st, ErrTimedOut, "not started")
	if got != 0 {
		t.Fatalf("signals %v", got)
	}
	mustOK(t, c.Update(v2|ClockUpdateOptionSyntheticValueValid, ClockUpdateArgs{}), "start")
	got, st = waitOne(ht, v, ClockStarted, 0)
	mustOK(t, st, "started")
	if got != ClockStarted {
		t.Fatalf("signals %v", got)
	}
}

func TestKernelClocksTestCase_UpdatedPulse(t *testing.T) {
	ht := NewHandleTable()
	c, _ := NewClock(ClockOptAutoStart, nil)
	v, _ := ht.AddObject(c, DefaultClockRights)
	if c.Signals() != ClockStarted {
		t.Fatal("auto-started clock not started")
	}
	p, pv := newPort(t, ht)
	mustOK(t, waitAsync(ht, v, pv, 5, ClockUpdated, 0), "wait_async UPDATED")
	mustOK(t, c.Update(v2|ClockUpdateOptionErrorBoundValid, ClockUpdateArgs{ErrorBound: 1}), "update")
	pkt, st := p.Wait(0, nil)
	mustOK(t, st, "UPDATED pulse")
	if pkt.Signal().Observed != ClockStarted|ClockUpdated {
		t.Fatalf("observed %v", pkt.Signal().Observed)
	}
	if c.Signals()&ClockUpdated != 0 {
		t.Fatal("UPDATED is a pulse, not a state")
	}
}

func TestKernelClocksTestCase_UpdateErrors(t *testing.T) {
	set := ClockUpdateOptionSyntheticValueValid
	rate := ClockUpdateOptionRateAdjustValid
	ref := ClockUpdateOptionReferenceValueValid

	c, _ := NewClock(0, nil)
	wantStatus(t, c.Update(v2|rate, ClockUpdateArgs{}), ErrBadState, "first update without a value")
	wantStatus(t, c.Update(set, ClockUpdateArgs{}), ErrInvalidArgs, "no version")
	wantStatus(t, c.Update(ClockArgsVersion(3)|set, ClockUpdateArgs{}), ErrInvalidArgs, "version 3")
	wantStatus(t, c.Update(v2|1<<20, ClockUpdateArgs{}), ErrInvalidArgs, "unknown option")
	wantStatus(t, c.Update(ClockArgsVersion(1)|set|ref, ClockUpdateArgs{}), ErrInvalidArgs, "v1 with reference")
	wantStatus(t, c.Update(v2|ref, ClockUpdateArgs{}), ErrInvalidArgs, "reference alone")
	wantStatus(t, c.Update(v2|set|rate, ClockUpdateArgs{RateAdjust: 1001}), ErrInvalidArgs, "rate too fast")
	wantStatus(t, c.Update(v2|set|rate, ClockUpdateArgs{RateAdjust: -1001}), ErrInvalidArgs, "rate too slow")
	mustOK(t, c.Update(ClockArgsVersion(1)|set, ClockUpdateArgs{SyntheticValue: 10}), "v1 set")
	mustOK(t, c.Update(v2|set, ClockUpdateArgs{SyntheticValue: 5}), "a plain clock may go back")

	m, _ := NewClock(ClockOptMonotonic|ClockArgsVersion(1), &ClockCreateArgs{BackstopTime: 100})
	wantStatus(t, m.Update(v2|set, ClockUpdateArgs{SyntheticValue: 99}), ErrInvalidArgs, "below the backstop")
	mustOK(t, m.Update(v2|set, ClockUpdateArgs{SyntheticValue: 1_000_000}), "start")
	now := int64(Now())
	wantStatus(t, m.Update(v2|set, ClockUpdateArgs{SyntheticValue: 2_000_000}), ErrInvalidArgs, "monotonic set without reference")
	wantStatus(t, m.Update(v2|set|ref|rate, ClockUpdateArgs{SyntheticValue: 2e9, ReferenceValue: now}), ErrInvalidArgs, "monotonic set with rate")
	wantStatus(t, m.Update(v2|set|ref, ClockUpdateArgs{SyntheticValue: 0, ReferenceValue: now}), ErrInvalidArgs, "monotonic backwards")
	mustOK(t, m.Update(v2|set|ref, ClockUpdateArgs{SyntheticValue: 1e12, ReferenceValue: now}), "monotonic forwards")
	mustOK(t, m.Update(ClockArgsVersion(1)|set, ClockUpdateArgs{SyntheticValue: 2e12}), "v1 monotonic forwards")

	k, _ := NewClock(ClockOptMonotonic|ClockOptContinuous, nil)
	mustOK(t, k.Update(v2|set, ClockUpdateArgs{SyntheticValue: 1}), "start continuous")
	wantStatus(t, k.Update(v2|set|ref, ClockUpdateArgs{SyntheticValue: 1e15, ReferenceValue: int64(Now())}), ErrInvalidArgs, "continuous set")
	mustOK(t, k.Update(v2|rate, ClockUpdateArgs{RateAdjust: -1000}), "continuous slew")
}

func TestKernelClocksTestCase_RateAdjustSlews(t *testing.T) {
	c, _ := NewClock(0, nil)
	mustOK(t, c.Update(v2|ClockUpdateOptionSyntheticValueValid|ClockUpdateOptionRateAdjustValid,
		ClockUpdateArgs{SyntheticValue: 0, RateAdjust: 1000}), "start fast")
	d := c.Details()
	tr := d.MonoToSynthetic
	// 1 s of reference time is 1.001 s of synthetic time.
	if got := tr.Apply(tr.ReferenceOffset+1e9) - tr.SyntheticOffset; got != 1_001_000_000 {
		t.Fatalf("slewed second %d", got)
	}
	if tr.Apply(tr.ReferenceOffset-1e9)-tr.SyntheticOffset != -1_001_000_000 {
		t.Fatal("negative delta")
	}
	if (ClockTransformation{Rate: ClockRate{2, 1}}).Apply(1<<62) != 1<<63-1 {
		t.Fatal("saturation")
	}
}
