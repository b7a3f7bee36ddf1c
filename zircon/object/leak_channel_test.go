package object

import (
	"encoding/binary"
	"runtime"
	"sync"
	"testing"
)

// TestChannelCallWaitersReleased is TestWaitersReleased for
// zx_channel_call: goroutines blocked in calls are ended by every path —
// reply, deadline, thread killed, own handle closed, peer closed — and
// afterwards no goroutine is left and no channel holds a waiter.
func TestChannelCallWaitersReleased(t *testing.T) {
	base := runtime.NumGoroutine()
	ht := NewHandleTable()
	const n = 8
	var wg sync.WaitGroup
	results := make(chan Status, 10*n)
	kill := make(chan struct{})
	callOn := func(v HandleValue, deadline Time, cancel <-chan struct{}) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			args := &ChannelCallArgs{WrBytes: make([]byte, 8), RdBytes: make([]byte, 8)}
			_, _, st := ChannelCall(ht, v, 0, deadline, args, cancel)
			results <- st
		}()
	}
	chanOf := func(v HandleValue) *Channel { return get(t, ht, v).Object().(*Channel) }

	replied, server := newChannel(t, ht)
	timed, _ := newChannel(t, ht)
	killed, _ := newChannel(t, ht)
	closed, _ := newChannel(t, ht)
	orphaned, orphaner := newChannel(t, ht)
	watch := []*Channel{chanOf(replied), chanOf(timed), chanOf(killed), chanOf(closed), chanOf(orphaned)}
	for i := 0; i < n; i++ {
		callOn(replied, TimeInfinite, nil)
		callOn(timed, DeadlineAfter(msec(20)), nil)
		callOn(killed, TimeInfinite, kill)
		callOn(closed, TimeInfinite, nil)
		callOn(orphaned, TimeInfinite, nil)
	}
	eventually(t, "all calls to wait", func() bool {
		return watch[0].CallingCount() == n && watch[2].CallingCount() == n &&
			watch[3].CallingCount() == n && watch[4].CallingCount() == n
	})

	// Answer every request on the served channel.
	for i := 0; i < n; i++ {
		req, _, st := chRead(ht, server, 8, 0)
		mustOK(t, st, "read request")
		reply := make([]byte, 8)
		binary.LittleEndian.PutUint32(reply, binary.LittleEndian.Uint32(req))
		mustOK(t, chWrite(ht, server, reply), "reply")
	}
	close(kill)
	ht.Close(closed)
	ht.Close(orphaner)
	wg.Wait()
	close(results)

	count := map[Status]int{}
	for st := range results {
		count[st]++
	}
	want := map[Status]int{OK: n, ErrTimedOut: n, ErrInternalIntrKilled: n, ErrCanceled: n, ErrPeerClosed: n}
	for st, c := range want {
		if count[st] != c {
			t.Errorf("%v: %d calls, want %d (all: %v)", st, count[st], c, count)
		}
	}
	for i, c := range watch {
		if c.CallingCount() != 0 {
			t.Errorf("channel %d: %d waiters left", i, c.CallingCount())
		}
	}
	ht.CloseAll()
	if got, ok := settleGoroutines(base); !ok {
		buf := make([]byte, 1<<16)
		t.Fatalf("%d goroutines, %d before:\n%s", got, base, buf[:runtime.Stack(buf, true)])
	}
}
