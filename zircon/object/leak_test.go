package object

import (
	"runtime"
	"sync"
	"testing"
	"time"
)

// settleGoroutines waits (bounded) for the goroutine count to fall back to
// base and reports whether it did.
func settleGoroutines(base int) (int, bool) {
	deadline := time.Now().Add(10 * time.Second)
	for {
		n := runtime.NumGoroutine()
		if n <= base {
			return n, true
		}
		if time.Now().After(deadline) {
			return n, false
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestWaitersReleased blocks goroutines in every kind of wait, then ends
// each wait by every path — satisfied, handle closed, deadline, thread
// killed — and checks that no goroutine is left behind and that the
// objects hold no observer.
func TestWaitersReleased(t *testing.T) {
	base := runtime.NumGoroutine()
	ht := NewHandleTable()
	const n = 8
	var wg sync.WaitGroup
	start := func(f func()) {
		wg.Add(1)
		go func() { defer wg.Done(); f() }()
	}
	results := make(chan Status, 100)

	// wait_one: signaled, handle closed, timed out, killed.
	signaled := newEvent(t, ht)
	closed := newEvent(t, ht)
	timedOut := newEvent(t, ht)
	killed := newEvent(t, ht)
	kill := make(chan struct{})
	closedH := get(t, ht, closed)
	for i := 0; i < n; i++ {
		sh, th, kh := get(t, ht, signaled), get(t, ht, timedOut), get(t, ht, killed)
		start(func() { _, st := WaitOne(sh, EventSignaled, TimeInfinite, nil); results <- st })
		start(func() { _, st := WaitOne(closedH, EventSignaled, TimeInfinite, nil); results <- st })
		start(func() { _, st := WaitOne(th, EventSignaled, DeadlineAfter(msec(20)), nil); results <- st })
		start(func() { _, st := WaitOne(kh, EventSignaled, TimeInfinite, kill); results <- st })
	}
	// wait_many: handle closed and killed.
	manyA, manyB := newEvent(t, ht), newEvent(t, ht)
	i1 := []WaitItem{{Handle: get(t, ht, manyA), WaitFor: EventSignaled}, {Handle: get(t, ht, manyB), WaitFor: EventSignaled}}
	i2 := []WaitItem{{Handle: get(t, ht, manyA), WaitFor: EventSignaled}}
	start(func() { results <- WaitMany(i1, TimeInfinite, nil) })
	start(func() { results <- WaitMany(i2, TimeInfinite, kill) })
	// port_wait: packet, timed out, killed.
	port, _ := newPort(t, ht)
	for i := 0; i < n; i++ {
		start(func() { _, st := port.Wait(TimeInfinite, nil); results <- st })
		start(func() { _, st := port.Wait(DeadlineAfter(msec(20)), nil); results <- st })
		start(func() { _, st := port.Wait(TimeInfinite, kill); results <- st })
	}
	// futex_wait: woken, timed out, killed.
	fc := NewFutexContext(newFakeMem(map[uint64]uint32{0x1000: 0}))
	for i := 0; i < n; i++ {
		start(func() { results <- fc.Wait(0x1000, 0, nil, noOwner, TimeInfinite, nil) })
		start(func() { results <- fc.Wait(0x1000, 0, nil, noOwner, DeadlineAfter(msec(20)), nil) })
		start(func() { results <- fc.Wait(0x1000, 0, nil, noOwner, TimeInfinite, kill) })
	}
	// Armed timers and wait_asyncs that will never fire.
	for i := 0; i < n; i++ {
		tm, tv := newTimerHandle(t, ht, 0)
		tm.Set(DeadlineAfter(Duration(time.Hour)), 0)
		_, pv := newPort(t, ht)
		waitAsync(ht, tv, pv, 1, TimerSignaled, 0)
		ht.Close(pv)
		ht.Close(tv)
	}

	eventually(t, "all waiters to block", func() bool {
		return get(t, ht, signaled).Object().base().ObserverCount() == n &&
			closedH.Object().base().ObserverCount() == n &&
			get(t, ht, killed).Object().base().ObserverCount() == n &&
			get(t, ht, manyA).Object().base().ObserverCount() == 2 &&
			portWaiters(port) == 3*n && fc.Waiters(0x1000) == 3*n
	})
	signal(ht, signaled, 0, EventSignaled)
	ht.Close(closed)
	ht.Close(manyB)
	close(kill)
	// Port and futex waiters are served in order: let the killed and the
	// timed-out ones go first, then feed the rest.
	eventually(t, "timeouts and kills", func() bool { return portWaiters(port) == n && fc.Waiters(0x1000) == n })
	for i := 0; i < n; i++ {
		port.Queue(PortPacket{Key: uint64(i)})
	}
	fc.Wake(0x1000, uint32(n))
	wg.Wait()
	close(results)

	count := map[Status]int{}
	for st := range results {
		count[st]++
	}
	want := map[Status]int{
		OK:                    n + n + n,         // event, port packets, futex wakes
		ErrCanceled:           n + 1,             // closed handle, wait_many
		ErrTimedOut:           n + n + n,         // event, port, futex
		ErrInternalIntrKilled: n + 1 + n + n + 0, // event, wait_many, port, futex
	}
	for st, c := range want {
		if count[st] != c {
			t.Errorf("%v: %d waits, want %d (all: %v)", st, count[st], c, count)
		}
	}
	for _, v := range []HandleValue{signaled, timedOut, killed, manyA} {
		if c := get(t, ht, v).Object().base().ObserverCount(); c != 0 {
			t.Errorf("%d observers left", c)
		}
	}
	if portWaiters(port) != 0 || fc.Waiters(0x1000) != 0 {
		t.Error("port or futex waiters left")
	}
	ht.CloseAll()
	if got, ok := settleGoroutines(base); !ok {
		buf := make([]byte, 1<<16)
		t.Fatalf("%d goroutines, %d before:\n%s", got, base, buf[:runtime.Stack(buf, true)])
	}
}
