package object

import (
	"sync"
	"testing"
	"time"
)

// PortTest (zircon/system/utest/core/port). Channels come in a later
// part; where Fuchsia waits on a channel these tests wait on an eventpair,
// whose peer-closed and user signals play the same role.

func portWait(t *testing.T, p *Port, deadline Time) (PortPacket, Status) {
	t.Helper()
	return p.Wait(deadline, nil)
}

func TestPortTest_QueueWaitVerifyUserPacket(t *testing.T) {
	p, _ := NewPort(0)
	in := PortPacket{Key: 12, Type: PacketUser + 5, Status: -3}
	for i := range in.Payload {
		in.Payload[i] = byte(i)
	}
	mustOK(t, p.Queue(in), "queue")
	out, st := portWait(t, p, TimeInfinite)
	mustOK(t, st, "wait")
	if out.Key != 12 || out.Type != PacketUser || out.Status != -3 || out.Payload != in.Payload {
		t.Fatalf("packet %+v", out)
	}
	b := out.Marshal()
	if back := UnmarshalPortPacket(b[:]); back != out {
		t.Fatalf("marshal round trip %+v", back)
	}
}

func TestPortTest_PortTimeout(t *testing.T) {
	p, _ := NewPort(0)
	_, st := portWait(t, p, DeadlineAfter(1))
	wantStatus(t, st, ErrTimedOut, "wait")
	_, st = portWait(t, p, DeadlineAfter(msec(2)))
	wantStatus(t, st, ErrTimedOut, "wait")
}

func TestPortTest_QueueAndClose(t *testing.T) {
	ht := NewHandleTable()
	p, pv := newPort(t, ht)
	mustOK(t, p.Queue(PortPacket{Key: 1}), "queue")
	mustOK(t, ht.Close(pv), "close")
	wantStatus(t, p.Queue(PortPacket{Key: 1}), ErrBadHandle, "queue after last handle closed")
	if p.Pending() != 0 {
		t.Fatal("packets kept after close")
	}
}

func TestPortTest_CreateOptions(t *testing.T) {
	_, st := NewPort(2)
	wantStatus(t, st, ErrInvalidArgs, "options")
	p, st := NewPort(PortBindToInterrupt)
	mustOK(t, st, "bind to interrupt")
	if p.Options() != PortBindToInterrupt {
		t.Fatal("options")
	}
}

func TestPortTest_QueueFull(t *testing.T) {
	p, _ := NewPort(0)
	for i := 0; i < MaxPendingUserPackets; i++ {
		mustOK(t, p.Queue(PortPacket{Key: uint64(i)}), "queue")
	}
	wantStatus(t, p.Queue(PortPacket{}), ErrShouldWait, "queue on a full port")
	pkt, st := portWait(t, p, 0)
	mustOK(t, st, "wait")
	if pkt.Key != 0 {
		t.Fatalf("key %d: not in order", pkt.Key)
	}
	mustOK(t, p.Queue(PortPacket{}), "queue after one taken")
}

func TestPortTest_AsyncWaitEventPairTimedOut(t *testing.T) {
	ht := NewHandleTable()
	p, pv := newPort(t, ht)
	_, b := newEventPair(t, ht)
	mustOK(t, waitAsync(ht, b, pv, 6567, UserSignal0, 0), "wait_async")
	_, st := portWait(t, p, DeadlineAfter(msec(1)))
	wantStatus(t, st, ErrTimedOut, "wait")
}

func TestPortTest_AsyncWaitEventPair(t *testing.T) {
	ht := NewHandleTable()
	p, pv := newPort(t, ht)
	a, b := newEventPair(t, ht)
	mustOK(t, waitAsync(ht, b, pv, 6567, UserSignal0, 0), "wait_async")
	_, st := portWait(t, p, DeadlineAfter(msec(1)))
	wantStatus(t, st, ErrTimedOut, "wait")
	mustOK(t, signalPeer(ht, a, 0, UserSignal0|UserSignal1), "signal_peer")
	out, st := portWait(t, p, TimeInfinite)
	mustOK(t, st, "wait")
	sig := out.Signal()
	if out.Key != 6567 || out.Type != PacketSignalOne || sig.Observed != UserSignal0|UserSignal1 ||
		sig.Trigger != UserSignal0 || sig.Count != 1 || sig.Timestamp != 0 {
		t.Fatalf("packet %+v %+v", out, sig)
	}
	// One shot: nothing more.
	_, st = portWait(t, p, DeadlineAfter(msec(1)))
	wantStatus(t, st, ErrTimedOut, "second wait")
	mustOK(t, waitAsync(ht, b, pv, 6567, UserSignal0, 0), "re-arm")
}

func TestPortTest_AsyncWaitCloseOrder(t *testing.T) {
	orders := [][3]int{{0, 1, 2}, {0, 2, 1}, {1, 2, 0}, {1, 0, 2}, {2, 1, 0}, {2, 0, 1}}
	for _, order := range orders {
		ht := NewHandleTable()
		_, pv := newPort(t, ht)
		a, b := newEventPair(t, ht)
		hs := [3]HandleValue{b, a, pv}
		mustOK(t, waitAsync(ht, b, pv, 1122, UserSignal0|EventPairPeerClosed, 0), "wait_async")
		for _, i := range order {
			mustOK(t, ht.Close(hs[i]), "close")
		}
	}
}

func TestPortTest_EventAsyncSignalWaitSingle(t *testing.T) {
	ht := NewHandleTable()
	p, pv := newPort(t, ht)
	ev := newEvent(t, ht)
	for i := 0; i < 7; i++ {
		mustOK(t, waitAsync(ht, ev, pv, uint64(i), EventSignaled, 0), "wait_async")
	}
	mustOK(t, signal(ht, ev, 0, EventSignaled), "signal")
	var sum uint64
	for i := 0; i < 7; i++ {
		out, st := portWait(t, p, TimeInfinite)
		mustOK(t, st, "wait")
		if out.Type != PacketSignalOne || out.Signal().Count != 1 {
			t.Fatalf("packet %+v", out)
		}
		sum += out.Key
	}
	if sum != 21 {
		t.Fatalf("key sum %d", sum)
	}
}

func TestPortTest_AsyncWaitEventRepeat(t *testing.T) {
	ht := NewHandleTable()
	p, pv := newPort(t, ht)
	ev := newEvent(t, ht)
	var count [3]int
	const repeats = 24
	for i := 0; i < repeats; i++ {
		mustOK(t, waitAsync(ht, ev, pv, 1122, EventSignaled|UserSignal2, 0), "wait_async")
		var ub Signals
		if i%2 == 0 {
			ub = UserSignal2
		}
		mustOK(t, signal(ht, ev, 0, EventSignaled|ub), "set")
		mustOK(t, signal(ht, ev, EventSignaled|ub, 0), "clear")
		out, st := portWait(t, p, TimeInfinitePast)
		mustOK(t, st, "wait")
		obs := out.Signal().Observed
		if obs&EventSignaled != 0 {
			count[0]++
		}
		if obs&UserSignal2 != 0 {
			count[1]++
		}
		if obs&^(EventSignaled|UserSignal2) != 0 {
			count[2]++
		}
	}
	if count != [3]int{repeats, repeats / 2, 0} {
		t.Fatalf("counts %v", count)
	}
}

func TestPortTest_AsyncWaitEventManyAllProcessed(t *testing.T) {
	ht := NewHandleTable()
	p, pv := newPort(t, ht)
	const n = 16*1024 + 1 // signal packets are not bounded like user packets
	for i := 0; i < n; i++ {
		ev := newEvent(t, ht)
		mustOK(t, waitAsync(ht, ev, pv, 6567, EventSignaled, 0), "wait_async")
		mustOK(t, signal(ht, ev, 0, EventSignaled), "signal")
	}
	count := 0
	for {
		out, st := portWait(t, p, TimeInfinitePast)
		if st != OK {
			wantStatus(t, st, ErrTimedOut, "drain")
			break
		}
		s := out.Signal()
		if out.Key != 6567 || s.Observed != EventSignaled || s.Trigger != EventSignaled || s.Count != 1 {
			t.Fatalf("packet %+v", out)
		}
		count++
	}
	if count != n {
		t.Fatalf("%d packets", count)
	}
}

func TestPortTest_AsyncWaitInvalidOption(t *testing.T) {
	ht := NewHandleTable()
	_, pv := newPort(t, ht)
	ev := newEvent(t, ht)
	wantStatus(t, waitAsync(ht, ev, pv, 0, EventSignaled, 20), ErrInvalidArgs, "option 20")
}

func TestPortTest_AsyncWaitErrorPaths(t *testing.T) {
	ht := NewHandleTable()
	_, pv := newPort(t, ht)
	ev := newEvent(t, ht)
	noWrite, _ := ht.Duplicate(pv, RightRead|RightDuplicate)
	wantStatus(t, waitAsync(ht, ev, noWrite, 0, EventSignaled, 0), ErrAccessDenied, "port without WRITE")
	wantStatus(t, waitAsync(ht, ev, ev, 0, EventSignaled, 0), ErrWrongType, "event as port")
	noWait, _ := ht.Duplicate(ev, RightSignal)
	wantStatus(t, waitAsync(ht, noWait, pv, 0, EventSignaled, 0), ErrAccessDenied, "handle without WAIT")
	wantStatus(t, waitAsync(ht, pv, pv, 0, 1, 0), ErrAccessDenied, "port handles have no WAIT")
	p2, _ := NewPort(0)
	ph := NewHandle(p2, RightWait)
	defer ph.Close()
	wantStatus(t, ObjectWaitAsync(ph, get(t, ht, pv), 0, 1, 0), ErrNotSupported, "a port cannot be waited on")
}

func TestPortTest_ExistingStateIsNotified(t *testing.T) {
	ht := NewHandleTable()
	a, b := newEventPair(t, ht)
	mustOK(t, signalPeer(ht, a, 0, UserSignal0), "signal_peer")
	ht.Close(a)
	p, pv := newPort(t, ht)
	mustOK(t, waitAsync(ht, b, pv, 65667, UserSignal0|EventPairPeerClosed, 0), "wait_async")
	out, st := portWait(t, p, TimeInfinitePast)
	mustOK(t, st, "wait")
	s := out.Signal()
	if s.Count != 1 || s.Trigger != UserSignal0|EventPairPeerClosed || s.Observed != UserSignal0|EventPairPeerClosed {
		t.Fatalf("signal packet %+v", s)
	}
	_, st = portWait(t, p, TimeInfinitePast)
	wantStatus(t, st, ErrTimedOut, "no more packets")
}

func TestPortTest_CancelEventKey(t *testing.T) {
	ht := NewHandleTable()
	p, pv := newPort(t, ht)
	ev := newEvent(t, ht)
	keys := []uint64{128, 13, 7, 13}
	for _, k := range keys {
		mustOK(t, waitAsync(ht, ev, pv, k, EventSignaled, 0), "wait_async")
	}
	// Cancel before it is signaled: no packets from 13.
	mustOK(t, p.Cancel(get(t, ht, ev), 13), "cancel")
	for i := 0; i < 2; i++ {
		signal(ht, ev, 0, EventSignaled)
		signal(ht, ev, EventSignaled, 0)
	}
	n, sum := 0, uint64(0)
	for {
		out, st := portWait(t, p, TimeInfinitePast)
		if st != OK {
			break
		}
		n++
		sum += out.Key
		if s := out.Signal(); s.Trigger != EventSignaled || s.Observed != EventSignaled {
			t.Fatalf("signal %+v", s)
		}
	}
	// Cancel after the packet has been delivered.
	wantStatus(t, p.Cancel(get(t, ht, ev), 128), ErrNotFound, "cancel delivered")
	if n != 2 || sum != keys[0]+keys[2] {
		t.Fatalf("%d packets, key sum %d", n, sum)
	}
}

func TestPortTest_CancelEventKeyAfter(t *testing.T) {
	ht := NewHandleTable()
	p, pv := newPort(t, ht)
	keys := []uint64{128, 3, 3}
	evs := make([]HandleValue, len(keys))
	for i, k := range keys {
		evs[i] = newEvent(t, ht)
		mustOK(t, waitAsync(ht, evs[i], pv, k, EventSignaled, 0), "wait_async")
	}
	signal(ht, evs[0], 0, EventSignaled)
	signal(ht, evs[1], 0, EventSignaled)
	// One queued packet and one armed wait.
	mustOK(t, p.Cancel(get(t, ht, evs[1]), 3), "cancel queued")
	mustOK(t, p.Cancel(get(t, ht, evs[2]), 3), "cancel armed")
	signal(ht, evs[2], 0, EventSignaled)
	n, sum := 0, uint64(0)
	for {
		out, st := portWait(t, p, TimeInfinitePast)
		if st != OK {
			break
		}
		n++
		sum += out.Key
	}
	if n != 1 || sum != 128 {
		t.Fatalf("%d packets, key sum %d", n, sum)
	}
}

func TestPortTest_CancelKeyInvalidOptions(t *testing.T) {
	p, _ := NewPort(0)
	wantStatus(t, p.CancelKey(1, 0), ErrInvalidArgs, "options")
}

func TestPortTest_CancelKey(t *testing.T) {
	ht := NewHandleTable()
	p, pv := newPort(t, ht)
	ev := newEvent(t, ht)
	mustOK(t, waitAsync(ht, ev, pv, 1, EventSignaled, 0), "wait_async 1")
	mustOK(t, waitAsync(ht, ev, pv, 2, EventSignaled, 0), "wait_async 2")
	mustOK(t, waitAsync(ht, ev, pv, 2, UserSignal0, 0), "wait_async 2'")
	mustOK(t, p.CancelKey(0, 1), "cancel_key 1")
	mustOK(t, signal(ht, ev, 0, EventSignaled), "signal")
	// Removes the queued packet for SIGNALED and the armed USER_SIGNAL_0 wait.
	mustOK(t, p.CancelKey(0, 2), "cancel_key 2")
	wantStatus(t, p.CancelKey(0, 2), ErrNotFound, "cancel_key 2 again")
	_, st := portWait(t, p, TimeInfinitePast)
	wantStatus(t, st, ErrTimedOut, "nothing queued")
	signal(ht, ev, 0, UserSignal0)
	_, st = portWait(t, p, TimeInfinitePast)
	wantStatus(t, st, ErrTimedOut, "canceled wait did not fire")
	wantStatus(t, p.CancelKey(0, 3), ErrNotFound, "unknown key")
	if get(t, ht, ev).Object().base().ObserverCount() != 0 {
		t.Fatal("observers left")
	}
}

// Either the wait's packet is dequeued or cancel_key finds it, never both.
func TestPortStressTest_CancelKeyDuringMatchRace(t *testing.T) {
	ht := NewHandleTable()
	race, cancelEv := newEvent(t, ht), newEvent(t, ht)
	const raceKey, cancelKey = 0xf0f0f0f0, 1
	packets, canceled, notFound := 0, 0, 0
	for i := 0; i < 300; i++ {
		p, pv := newPort(t, ht)
		signal(ht, race, EventSignaled, 0)
		signal(ht, cancelEv, EventSignaled, 0)
		waitAsync(ht, race, pv, raceKey, EventSignaled, 0)
		waitAsync(ht, cancelEv, pv, cancelKey, EventSignaled, 0)
		var wg sync.WaitGroup
		var pkt PortPacket
		var cst Status
		wg.Add(3)
		go func() { defer wg.Done(); pkt, _ = p.Wait(TimeInfinite, nil) }()
		go func() {
			defer wg.Done()
			signal(ht, race, 0, EventSignaled)
			signal(ht, cancelEv, 0, EventSignaled)
		}()
		go func() { defer wg.Done(); cst = p.CancelKey(0, raceKey) }()
		wg.Wait()
		if pkt.Key == raceKey {
			packets++
		}
		switch cst {
		case OK:
			canceled++
		case ErrNotFound:
			notFound++
		default:
			t.Fatal(cst)
		}
		ht.Close(pv)
	}
	if packets != notFound || canceled+notFound != 300 {
		t.Fatalf("packets %d canceled %d not found %d", packets, canceled, notFound)
	}
}

func TestPortStressTest_MatchHandleCloseRace(t *testing.T) {
	ht := NewHandleTable()
	ev := newEvent(t, ht)
	for i := 0; i < 2000; i++ {
		_, pv := newPort(t, ht)
		waitAsync(ht, ev, pv, 1, EventSignaled, 0)
		var wg sync.WaitGroup
		wg.Add(1)
		go func() { defer wg.Done(); signal(ht, ev, 0, EventSignaled) }()
		ht.Close(pv)
		wg.Wait()
		signal(ht, ev, EventSignaled, 0)
	}
	if n := get(t, ht, ev).Object().base().ObserverCount(); n != 0 {
		t.Fatalf("%d observers left", n)
	}
}

func TestPortTest_ThreadEvents(t *testing.T) {
	ht := NewHandleTable()
	p, pv := newPort(t, ht)
	ev := newEvent(t, ht)
	var wg sync.WaitGroup
	status := make([]Status, 3)
	for i := range status {
		mustOK(t, waitAsync(ht, ev, pv, uint64(500+i), EventSignaled, 0), "wait_async")
		wg.Add(1)
		go func() { defer wg.Done(); _, status[i] = p.Wait(TimeInfinite, nil) }()
	}
	signal(ht, ev, 0, EventSignaled)
	wg.Wait()
	for i, st := range status {
		if st != OK {
			t.Errorf("waiter %d: %v", i, st)
		}
	}
}

func TestPortTest_Timestamp(t *testing.T) {
	ht := NewHandleTable()
	p, pv := newPort(t, ht)
	e0, e1 := newEvent(t, ht), newEvent(t, ht)
	mustOK(t, waitAsync(ht, e0, pv, 1, EventSignaled, WaitAsyncTimestamp), "wait_async")
	mustOK(t, waitAsync(ht, e1, pv, 2, EventSignaled, 0), "wait_async")
	before := Now()
	signal(ht, e0, 0, EventSignaled)
	after := Now()
	signal(ht, e1, 0, EventSignaled)
	p0, _ := portWait(t, p, TimeInfinite)
	p1, _ := portWait(t, p, TimeInfinite)
	if ts := p0.Signal().Timestamp; ts < before || ts > after {
		t.Fatalf("timestamp %d not in [%d, %d]", ts, before, after)
	}
	if p1.Signal().Timestamp != 0 {
		t.Fatal("timestamp without the option")
	}
}

func TestPortTest_EdgeTriggerDetected(t *testing.T) {
	ht := NewHandleTable()
	p, pv := newPort(t, ht)
	ev := newEvent(t, ht)
	mustOK(t, waitAsync(ht, ev, pv, 2, EventSignaled, WaitAsyncEdge), "wait_async")
	go func() {
		awaitPortWaiters(p, 1) // the main goroutine is blocked in Wait
		signal(ht, ev, 0, EventSignaled)
	}()
	out, st := portWait(t, p, TimeInfinite)
	mustOK(t, st, "wait")
	if out.Status != OK || out.Type != PacketSignalOne || out.Signal().Observed != EventSignaled || out.Key != 2 {
		t.Fatalf("packet %+v", out)
	}
}

func TestPortTest_EdgeTriggerCancel(t *testing.T) {
	ht := NewHandleTable()
	p, pv := newPort(t, ht)
	ev := newEvent(t, ht)
	for _, k := range []uint64{42, 999, 2020} {
		mustOK(t, waitAsync(ht, ev, pv, k, EventSignaled, WaitAsyncEdge), "wait_async")
	}
	mustOK(t, p.Cancel(get(t, ht, ev), 999), "cancel before")
	signal(ht, ev, 0, EventSignaled)
	mustOK(t, p.Cancel(get(t, ht, ev), 2020), "cancel queued")
	out, st := portWait(t, p, TimeInfinite)
	mustOK(t, st, "wait")
	if out.Key != 42 {
		t.Fatalf("key %d", out.Key)
	}
	_, st = portWait(t, p, DeadlineAfter(msec(1)))
	wantStatus(t, st, ErrTimedOut, "canceled keys queued")
}

func TestPortTest_EdgeTriggerTimeout(t *testing.T) {
	ht := NewHandleTable()
	p, pv := newPort(t, ht)
	ev := newEvent(t, ht)
	signal(ht, ev, 0, EventSignaled)
	mustOK(t, waitAsync(ht, ev, pv, 1, EventSignaled, WaitAsyncEdge), "wait_async")
	_, st := portWait(t, p, DeadlineAfter(msec(1)))
	wantStatus(t, st, ErrTimedOut, "edge wait on an active signal")
	// Re-raising (clear, then set) is an edge.
	signal(ht, ev, EventSignaled, 0)
	signal(ht, ev, 0, EventSignaled)
	_, st = portWait(t, p, TimeInfinitePast)
	mustOK(t, st, "edge")
}

// Closing the waited handle removes the wait_async without a packet;
// packets already queued stay.
func TestPortTest_HandleCloseCancelsWaitAsync(t *testing.T) {
	ht := NewHandleTable()
	p, pv := newPort(t, ht)
	a, b := newEvent(t, ht), newEvent(t, ht)
	mustOK(t, waitAsync(ht, a, pv, 1, EventSignaled, 0), "wait_async a")
	mustOK(t, waitAsync(ht, b, pv, 2, EventSignaled, 0), "wait_async b")
	signal(ht, b, 0, EventSignaled)
	obj := get(t, ht, a).Object()
	ht.Close(b)
	dup, _ := ht.Duplicate(a, RightSameRights)
	ht.Close(a)
	if obj.base().ObserverCount() != 0 {
		t.Fatal("observer survived its handle")
	}
	signal(ht, dup, 0, EventSignaled)
	out, st := portWait(t, p, TimeInfinitePast)
	mustOK(t, st, "queued packet")
	if out.Key != 2 {
		t.Fatalf("key %d", out.Key)
	}
	_, st = portWait(t, p, TimeInfinitePast)
	wantStatus(t, st, ErrTimedOut, "no packet from the closed handle")
	p.mu.Lock()
	n := len(p.observers)
	p.mu.Unlock()
	if n != 0 {
		t.Fatalf("port still tracks %d observers", n)
	}
}

// Closing the port removes its observers from the objects.
func TestPortTest_CloseRemovesObservers(t *testing.T) {
	ht := NewHandleTable()
	_, pv := newPort(t, ht)
	ev := newEvent(t, ht)
	for i := 0; i < 5; i++ {
		waitAsync(ht, ev, pv, uint64(i), EventSignaled, 0)
	}
	obj := get(t, ht, ev).Object()
	if obj.base().ObserverCount() != 5 {
		t.Fatal("observers not armed")
	}
	ht.Close(pv)
	if obj.base().ObserverCount() != 0 {
		t.Fatal("port close left observers")
	}
}

// Packets go to blocked waiters in arrival order, one each.
func TestPortTest_WaitersServedInOrder(t *testing.T) {
	p, _ := NewPort(0)
	got := make(chan uint64, 4)
	for i := 0; i < 4; i++ {
		go func() {
			pkt, _ := p.Wait(TimeInfinite, nil)
			got <- pkt.Key
		}()
	}
	eventually(t, "waiters", func() bool { return portWaiters(p) == 4 })
	for i := 0; i < 4; i++ {
		p.Queue(PortPacket{Key: uint64(i)})
	}
	seen := map[uint64]bool{}
	for i := 0; i < 4; i++ {
		seen[<-got] = true
	}
	if len(seen) != 4 || p.Pending() != 0 {
		t.Fatalf("seen %v pending %d", seen, p.Pending())
	}
}

func portWaiters(p *Port) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.waiters)
}

func awaitPortWaiters(p *Port, n int) {
	deadline := time.Now().Add(10 * time.Second)
	for portWaiters(p) < n && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
}
