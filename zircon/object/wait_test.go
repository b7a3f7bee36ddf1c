package object

import (
	"sync"
	"testing"
	"time"
)

// HandleWaitTest (handle-wait).

// The worker waits on a handle; closing that handle while a duplicate
// lives wakes it with CANCELED.
func TestHandleWaitTest_HandleWaitTest(t *testing.T) {
	ht := NewHandleTable()
	ev := newEvent(t, ht)
	h := get(t, ht, ev)
	result := make(chan Status)
	go func() {
		_, st := WaitOne(h, EventSignaled, TimeInfinite, nil)
		result <- st
	}()
	blockedOn(t, h.Object(), 1)
	dup, st := ht.Duplicate(ev, RightSameRights)
	mustOK(t, st, "Duplicate")
	mustOK(t, ht.Close(ev), "Close")
	wantStatus(t, <-result, ErrCanceled, "wait on the closed handle")
	// The duplicate was not disturbed.
	mustOK(t, signal(ht, dup, 0, EventSignaled), "signal dup")
	_, st = waitOne(ht, dup, EventSignaled, TimeInfinite)
	mustOK(t, st, "wait on dup")
}

func TestHandleWaitTest_HandleWaitMultipleThreads(t *testing.T) {
	ht := NewHandleTable()
	ev := newEvent(t, ht)
	var wg sync.WaitGroup
	status := make([]Status, 3)
	for i := range status {
		d, st := ht.Duplicate(ev, RightSameRights)
		mustOK(t, st, "Duplicate")
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, status[i] = waitOne(ht, d, EventSignaled, TimeInfinite)
		}()
	}
	blockedOn(t, get(t, ht, ev).Object(), 3)
	mustOK(t, signal(ht, ev, 0, EventSignaled), "signal")
	wg.Wait()
	for i, st := range status {
		if st != OK {
			t.Errorf("waiter %d: %v", i, st)
		}
	}
}

// The observed signals of a canceled wait include HANDLE_CLOSED.
func TestHandleWaitTest_CanceledReportsHandleClosed(t *testing.T) {
	ht := NewHandleTable()
	ev := newEvent(t, ht)
	mustOK(t, signal(ht, ev, 0, UserSignal1), "signal")
	h := get(t, ht, ev)
	got := make(chan Signals)
	go func() {
		s, _ := WaitOne(h, EventSignaled, TimeInfinite, nil)
		got <- s
	}()
	blockedOn(t, h.Object(), 1)
	ht.Close(ev)
	if s := <-got; s != UserSignal1|SignalHandleClosed {
		t.Fatalf("observed %v", s)
	}
}

// ObjectWaitOneTest (object-wait).

func TestObjectWaitOneTest_WaitForEventSignaled(t *testing.T) {
	ht := NewHandleTable()
	ev := newEvent(t, ht)
	signal(ht, ev, 0, EventSignaled)
	got, st := waitOne(ht, ev, EventSignaled, TimeInfinite)
	mustOK(t, st, "wait")
	if got != EventSignaled {
		t.Fatalf("observed %v", got)
	}
}

func TestObjectWaitOneTest_WaitForEventTimeout(t *testing.T) {
	ht := NewHandleTable()
	ev := newEvent(t, ht)
	got, st := waitOne(ht, ev, EventSignaled, DeadlineAfter(msec(1)))
	wantStatus(t, st, ErrTimedOut, "wait")
	if got != 0 {
		t.Fatalf("observed %v", got)
	}
}

func TestObjectWaitOneTest_WaitForEventTimeoutPreSignalClear(t *testing.T) {
	ht := NewHandleTable()
	ev := newEvent(t, ht)
	signal(ht, ev, 0, EventSignaled)
	signal(ht, ev, EventSignaled, 0)
	got, st := waitOne(ht, ev, EventSignaled, DeadlineAfter(msec(1)))
	wantStatus(t, st, ErrTimedOut, "wait")
	if got != 0 {
		t.Fatalf("observed %v", got)
	}
}

func TestObjectWaitOneTest_WaitForEventThenSignal(t *testing.T) {
	ht := NewHandleTable()
	ev := newEvent(t, ht)
	obj := get(t, ht, ev).Object()
	go func() {
		awaitObservers(obj, 1)
		signal(ht, ev, 0, EventSignaled)
	}()
	got, st := waitOne(ht, ev, EventSignaled, TimeInfinite)
	mustOK(t, st, "wait")
	if got != EventSignaled {
		t.Fatalf("observed %v", got)
	}
}

func TestObjectWaitOneTest_PastDeadlineChecksOnce(t *testing.T) {
	ht := NewHandleTable()
	ev := newEvent(t, ht)
	for _, d := range []Time{0, -5, TimeInfinitePast} {
		_, st := waitOne(ht, ev, EventSignaled, d)
		wantStatus(t, st, ErrTimedOut, "past deadline")
	}
	signal(ht, ev, 0, EventSignaled)
	_, st := waitOne(ht, ev, EventSignaled, TimeInfinitePast)
	mustOK(t, st, "satisfied with past deadline")
	if get(t, ht, ev).Object().base().ObserverCount() != 0 {
		t.Fatal("observer left behind")
	}
}

func TestObjectWaitOneTest_ErrorPaths(t *testing.T) {
	ht := NewHandleTable()
	ev := newEvent(t, ht)
	noWait, st := ht.Duplicate(ev, RightSignal)
	mustOK(t, st, "dup")
	_, st = WaitOne(get(t, ht, noWait), EventSignaled, 0, nil)
	wantStatus(t, st, ErrAccessDenied, "no WAIT right")
	_, pv := newPort(t, ht)
	ph := NewHandle(get(t, ht, pv).Object(), RightWait)
	_, st = WaitOne(ph, 0, 0, nil)
	wantStatus(t, st, ErrNotSupported, "port has no signals")
	ph.Close()
	_, st = waitOne(ht, ev^0x100, EventSignaled, 0)
	wantStatus(t, st, ErrBadHandle, "bad handle")
}

// The thread's kill channel interrupts a wait.
func TestObjectWaitOneTest_Interrupted(t *testing.T) {
	ht := NewHandleTable()
	ev := newEvent(t, ht)
	kill := make(chan struct{})
	res := make(chan Status)
	h := get(t, ht, ev)
	go func() {
		_, st := WaitOne(h, EventSignaled, TimeInfinite, kill)
		res <- st
	}()
	blockedOn(t, get(t, ht, ev).Object(), 1)
	close(kill)
	wantStatus(t, <-res, ErrInternalIntrKilled, "killed")
	if get(t, ht, ev).Object().base().ObserverCount() != 0 {
		t.Fatal("observer left behind")
	}
}

// User signals: only they (and an event's SIGNALED) may be set.
func TestObjectWaitOneTest_UserSignals(t *testing.T) {
	ht := NewHandleTable()
	ev := newEvent(t, ht)
	wantStatus(t, signal(ht, ev, 0, ObjectSignal4), ErrInvalidArgs, "non-user signal")
	wantStatus(t, signal(ht, ev, ObjectReadable, 0), ErrInvalidArgs, "clear non-user signal")
	mustOK(t, signal(ht, ev, 0, UserSignalAll|EventSignaled), "all user signals")
	got, st := waitOne(ht, ev, UserSignal7, 0)
	mustOK(t, st, "wait")
	if got != UserSignalAll|EventSignaled {
		t.Fatalf("signals %v", got)
	}
	noSig, _ := ht.Duplicate(ev, RightWait)
	wantStatus(t, signal(ht, noSig, 0, UserSignal0), ErrAccessDenied, "no SIGNAL right")
	wantStatus(t, signalPeer(ht, ev, 0, UserSignal0), ErrAccessDenied, "event has no SIGNAL_PEER")
	h := NewHandle(get(t, ht, ev).Object(), RightSignalPeer)
	wantStatus(t, ObjectSignalPeer(h, 0, UserSignal0), ErrNotSupported, "event has no peer")
	h.Close()
}

// ObjectWaitManyTest (object-wait).

// waitMany is zx_object_wait_many on values: OUT_OF_RANGE before the
// handles are looked up, then BAD_HANDLE or ACCESS_DENIED per handle.
func waitMany(ht *HandleTable, vs []HandleValue, want []Signals, pending []Signals, deadline Time) Status {
	if len(vs) > WaitManyMaxItems {
		return ErrOutOfRange
	}
	items := make([]WaitItem, len(vs))
	for i, v := range vs {
		h, st := ht.Get(v, TypeNone, RightWait)
		if st != OK {
			return st
		}
		items[i] = WaitItem{Handle: h, WaitFor: want[i]}
	}
	st := WaitMany(items, deadline, nil)
	for i := range items {
		pending[i] = items[i].Pending
	}
	return st
}

func TestObjectWaitManyTest_TooManyObjects(t *testing.T) {
	ht := NewHandleTable()
	items := make([]WaitItem, WaitManyMaxItems+1)
	for i := range items {
		items[i] = WaitItem{Handle: get(t, ht, newEvent(t, ht)), WaitFor: EventSignaled}
	}
	wantStatus(t, WaitMany(items, TimeInfinite, nil), ErrOutOfRange, "65 items")
}

func TestObjectWaitManyTest_InvalidHandle(t *testing.T) {
	ht := NewHandleTable()
	vs := []HandleValue{newEvent(t, ht), newEvent(t, ht), newEvent(t, ht)}
	ht.Close(vs[1])
	want := []Signals{EventSignaled, EventSignaled, EventSignaled}
	wantStatus(t, waitMany(ht, vs, want, make([]Signals, 3), TimeInfinite), ErrBadHandle, "closed item")
}

func TestObjectWaitManyTest_WaitForEventsSignaled(t *testing.T) {
	ht := NewHandleTable()
	vs := make([]HandleValue, 8)
	want := make([]Signals, 8)
	toSignal := []Signals{0, 0, EventSignaled, 0, 0, EventSignaled, 0, 0}
	for i := range vs {
		vs[i], want[i] = newEvent(t, ht), EventSignaled
		if toSignal[i] != 0 {
			mustOK(t, signal(ht, vs[i], 0, toSignal[i]), "signal")
		}
	}
	pending := make([]Signals, 8)
	mustOK(t, waitMany(ht, vs, want, pending, TimeInfinite), "wait_many")
	for i := range vs {
		if pending[i] != toSignal[i] {
			t.Errorf("item %d pending %v want %v", i, pending[i], toSignal[i])
		}
	}
}

func TestObjectWaitManyTest_WaitForEventsThenSignal(t *testing.T) {
	ht := NewHandleTable()
	vs := make([]HandleValue, 8)
	want := make([]Signals, 8)
	for i := range vs {
		vs[i], want[i] = newEvent(t, ht), EventSignaled
	}
	toSignal := []Signals{0, EventSignaled, 0, 0, 0, 0, EventSignaled, 0}
	last := get(t, ht, vs[7]).Object()
	go func() {
		awaitObservers(last, 1)
		for i, s := range toSignal {
			if s != 0 {
				signal(ht, vs[i], 0, s)
			}
		}
	}()
	pending := make([]Signals, 8)
	mustOK(t, waitMany(ht, vs, want, pending, TimeInfinite), "wait_many")
	n := 0
	for i := range pending {
		if pending[i] == EventSignaled {
			n++
		}
	}
	if n == 0 {
		t.Fatal("no item signaled")
	}
	for i := range vs {
		if c := get(t, ht, vs[i]).Object().base().ObserverCount(); c != 0 {
			t.Fatalf("item %d: %d observers left", i, c)
		}
	}
}

func TestObjectWaitManyTest_TimeoutFillsPending(t *testing.T) {
	ht := NewHandleTable()
	a, b := newEvent(t, ht), newEvent(t, ht)
	signal(ht, b, 0, UserSignal3)
	pending := make([]Signals, 2)
	st := waitMany(ht, []HandleValue{a, b}, []Signals{EventSignaled, EventSignaled}, pending, DeadlineAfter(msec(2)))
	wantStatus(t, st, ErrTimedOut, "wait_many")
	if pending[0] != 0 || pending[1] != UserSignal3 {
		t.Fatalf("pending %v", pending)
	}
	// No items: sleep until the deadline.
	start := time.Now()
	wantStatus(t, WaitMany(nil, DeadlineAfter(msec(5)), nil), ErrTimedOut, "zero items")
	if time.Since(start) < 5*time.Millisecond {
		t.Fatal("returned early")
	}
}

func TestObjectWaitManyTest_HandleClosedCancels(t *testing.T) {
	ht := NewHandleTable()
	a, b := newEvent(t, ht), newEvent(t, ht)
	items := []WaitItem{{Handle: get(t, ht, a), WaitFor: EventSignaled}, {Handle: get(t, ht, b), WaitFor: EventSignaled}}
	res := make(chan Status)
	go func() { res <- WaitMany(items, TimeInfinite, nil) }()
	blockedOn(t, items[1].Handle.Object(), 1)
	ht.Close(b)
	wantStatus(t, <-res, ErrCanceled, "wait_many")
	if items[1].Pending&SignalHandleClosed == 0 || items[0].Pending != 0 {
		t.Fatalf("pending %v %v", items[0].Pending, items[1].Pending)
	}
	if items[0].Handle.Object().base().ObserverCount() != 0 {
		t.Fatal("observer left on the other item")
	}
}

func TestObjectWaitManyTest_ErrorPaths(t *testing.T) {
	ht := NewHandleTable()
	ev := newEvent(t, ht)
	noWait := NewHandle(get(t, ht, ev).Object(), RightSignal)
	defer noWait.Close()
	wantStatus(t, WaitMany([]WaitItem{{Handle: noWait, WaitFor: 1}}, 0, nil), ErrAccessDenied, "no WAIT")
	p, _ := NewPort(0)
	ph := NewHandle(p, RightWait)
	defer ph.Close()
	wantStatus(t, WaitMany([]WaitItem{{Handle: ph, WaitFor: 1}}, 0, nil), ErrNotSupported, "port")
	kill := make(chan struct{})
	close(kill)
	wantStatus(t, WaitMany([]WaitItem{{Handle: get(t, ht, ev), WaitFor: EventSignaled}}, TimeInfinite, kill),
		ErrInternalIntrKilled, "killed")
}

// EventPairTest (event-pair).

func checkSignalsState(t *testing.T, ht *HandleTable, v HandleValue, want Signals) {
	t.Helper()
	got, st := waitOne(ht, v, 0, 0)
	wantStatus(t, st, ErrTimedOut, "wait for nothing")
	if got != want {
		t.Fatalf("signals %v, want %v", got, want)
	}
}

func TestEventPairTest_Create(t *testing.T) {
	ht := NewHandleTable()
	a, b := newEventPair(t, ht)
	ia, _ := ht.BasicInfo(a)
	ib, _ := ht.BasicInfo(b)
	for _, i := range []HandleBasicInfo{ia, ib} {
		if i.Rights != RightsBasic|RightSignal|RightSignalPeer || i.Type != TypeEventPair || i.Koid == 0 || i.RelatedKoid == 0 {
			t.Fatalf("info %+v", i)
		}
	}
	if ia.Koid != ib.RelatedKoid || ib.Koid != ia.RelatedKoid {
		t.Fatal("koids do not line up")
	}
	_, _, st := NewEventPair(1)
	wantStatus(t, st, ErrNotSupported, "options")
}

func TestEventPairTest_Signal(t *testing.T) {
	ht := NewHandleTable()
	a, b := newEventPair(t, ht)
	checkSignalsState(t, ht, a, 0)
	checkSignalsState(t, ht, b, 0)
	mustOK(t, signal(ht, a, 0, UserSignal0), "signal")
	checkSignalsState(t, ht, b, 0)
	checkSignalsState(t, ht, a, UserSignal0)
	mustOK(t, signal(ht, a, UserSignal0, 0), "clear")
	checkSignalsState(t, ht, b, 0)
	checkSignalsState(t, ht, a, 0)
	ht.Close(a)
	checkSignalsState(t, ht, b, EventPairPeerClosed)
}

func TestEventPairTest_SignalPeer(t *testing.T) {
	ht := NewHandleTable()
	a, b := newEventPair(t, ht)
	mustOK(t, signalPeer(ht, a, 0, UserSignal0), "signal_peer")
	checkSignalsState(t, ht, a, 0)
	checkSignalsState(t, ht, b, UserSignal0)
	mustOK(t, signalPeer(ht, b, 0, UserSignal1|UserSignal2), "signal_peer")
	checkSignalsState(t, ht, a, UserSignal1|UserSignal2)
	checkSignalsState(t, ht, b, UserSignal0)
	mustOK(t, signalPeer(ht, a, UserSignal0, UserSignal3|UserSignal4), "signal_peer")
	checkSignalsState(t, ht, a, UserSignal1|UserSignal2)
	checkSignalsState(t, ht, b, UserSignal3|UserSignal4)
	ht.Close(a)
	// Signaled flags stay; PEER_CLOSED joins them.
	checkSignalsState(t, ht, b, EventPairPeerClosed|UserSignal3|UserSignal4)
	wantStatus(t, signalPeer(ht, b, 0, EventPairPeerClosed), ErrInvalidArgs, "PEER_CLOSED is not a user signal")
}

func TestEventPairTest_SignalPeerClosed(t *testing.T) {
	ht := NewHandleTable()
	a, b := newEventPair(t, ht)
	ht.Close(b)
	wantStatus(t, signalPeer(ht, a, 0, UserSignal0), ErrPeerClosed, "signal_peer")
}

// The peer is gone only when the last handle to it closes.
func TestEventPairTest_PeerClosedOnLastHandle(t *testing.T) {
	ht := NewHandleTable()
	a, b := newEventPair(t, ht)
	dup, _ := ht.Duplicate(b, RightSameRights)
	ht.Close(b)
	checkSignalsState(t, ht, a, 0)
	ht.Close(dup)
	checkSignalsState(t, ht, a, EventPairPeerClosed)
}

func TestEventTest_CreateOptions(t *testing.T) {
	_, st := NewEvent(1)
	wantStatus(t, st, ErrInvalidArgs, "options")
}
