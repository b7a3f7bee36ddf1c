package object

import (
	"testing"
	"time"
)

// These tests port the semantics of Fuchsia's core-tests; each test is
// named Test<Suite>_<Case> after the case it mirrors. A HandleTable stands
// in for the test process, and the check a syscall makes before calling
// into the object (look the handle up with its rights) is done the way
// zircon/syscall will do it.

func mustOK(t *testing.T, st Status, what string) {
	t.Helper()
	if st != OK {
		t.Fatalf("%s: %v", what, st)
	}
}

func wantStatus(t *testing.T, got, want Status, what string) {
	t.Helper()
	if got != want {
		t.Fatalf("%s: got %v, want %v", what, got, want)
	}
}

// newEvent adds a new event to ht with default rights.
func newEvent(t *testing.T, ht *HandleTable) HandleValue {
	t.Helper()
	e, st := NewEvent(0)
	mustOK(t, st, "NewEvent")
	v, st := ht.AddObject(e, DefaultEventRights)
	mustOK(t, st, "Add")
	return v
}

func newEventPair(t *testing.T, ht *HandleTable) (HandleValue, HandleValue) {
	t.Helper()
	a, b, st := NewEventPair(0)
	mustOK(t, st, "NewEventPair")
	va, st := ht.AddObject(a, DefaultEventPairRights)
	mustOK(t, st, "Add")
	vb, st := ht.AddObject(b, DefaultEventPairRights)
	mustOK(t, st, "Add")
	return va, vb
}

func newPort(t *testing.T, ht *HandleTable) (*Port, HandleValue) {
	t.Helper()
	p, st := NewPort(0)
	mustOK(t, st, "NewPort")
	v, st := ht.AddObject(p, DefaultPortRights)
	mustOK(t, st, "Add")
	return p, v
}

func get(t *testing.T, ht *HandleTable, v HandleValue) *Handle {
	t.Helper()
	h, st := ht.Get(v, TypeNone, 0)
	mustOK(t, st, "Get")
	return h
}

// signal is zx_object_signal on a value.
func signal(ht *HandleTable, v HandleValue, clear, set Signals) Status {
	h, st := ht.Get(v, TypeNone, RightSignal)
	if st != OK {
		return st
	}
	return ObjectSignal(h, clear, set)
}

// signalPeer is zx_object_signal_peer on a value.
func signalPeer(ht *HandleTable, v HandleValue, clear, set Signals) Status {
	h, st := ht.Get(v, TypeNone, RightSignalPeer)
	if st != OK {
		return st
	}
	return ObjectSignalPeer(h, clear, set)
}

// waitOne is zx_object_wait_one on a value.
func waitOne(ht *HandleTable, v HandleValue, sig Signals, deadline Time) (Signals, Status) {
	h, st := ht.Get(v, TypeNone, RightWait)
	if st != OK {
		return 0, st
	}
	return WaitOne(h, sig, deadline, nil)
}

// waitAsync is zx_object_wait_async on values.
func waitAsync(ht *HandleTable, v, port HandleValue, key uint64, sig Signals, options uint32) Status {
	if options&^waitAsyncAll != 0 {
		return ErrInvalidArgs
	}
	ph, st := ht.Get(port, TypePort, RightWrite)
	if st != OK {
		return st
	}
	h, st := ht.Get(v, TypeNone, 0)
	if st != OK {
		return st
	}
	return ObjectWaitAsync(h, ph, key, sig, options)
}

// eventually polls cond for up to 10 s: tests may poll, the kernel may not.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// blockedOn waits until obj has n observers: the waiters are blocked.
func blockedOn(t *testing.T, obj Object, n int) {
	t.Helper()
	eventually(t, "waiters to block", func() bool { return obj.base().ObserverCount() >= n })
}

func msec(n int64) Duration { return Duration(n * int64(time.Millisecond)) }

// awaitObservers is blockedOn for goroutines other than the test's own
// (which may not call t.Fatal): it gives up silently after 10 s.
func awaitObservers(obj Object, n int) {
	deadline := time.Now().Add(10 * time.Second)
	for obj.base().ObserverCount() < n && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
}
