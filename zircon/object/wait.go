package object

import "sync/atomic"

// WaitManyMaxItems is ZX_WAIT_MANY_MAX_ITEMS.
const WaitManyMaxItems = 64

// oneWaiter is the observer of a wait_one. Its fields are written by the
// callback, with the object's lock held, before it signals ch.
type oneWaiter struct {
	ObserverNode
	ch       chan struct{}
	state    Signals
	canceled bool
}

func (w *oneWaiter) OnMatch(s Signals) {
	w.state = s
	w.ch <- struct{}{}
}

func (w *oneWaiter) OnCancel(s Signals) {
	w.state = s | SignalHandleClosed
	w.canceled = true
	w.ch <- struct{}{}
}

func (w *oneWaiter) result() (Signals, Status) {
	if w.canceled {
		return w.state, ErrCanceled
	}
	return w.state, OK
}

// WaitOne is zx_object_wait_one: block until one of signals is active on
// h's object, the deadline passes, h is closed, or cancel is closed. It
// returns the signal state seen when the wait ended and
//
//   - OK: a wanted signal is active;
//   - TIMED_OUT: the deadline passed first (a deadline in the past checks
//     the state once);
//   - CANCELED: h was closed during the wait (the state then includes
//     SignalHandleClosed);
//   - INTERNAL_INTR_KILLED: cancel was closed (the thread is dying).
//
// Before waiting: ACCESS_DENIED without the WAIT right, NOT_SUPPORTED for
// an object that has no signals. Satisfaction wins a tie with the timer.
// Waiting for no signal at all waits for the deadline.
func WaitOne(h *Handle, signals Signals, deadline Time, cancel <-chan struct{}) (Signals, Status) {
	if !h.HasRights(RightWait) {
		return 0, ErrAccessDenied
	}
	b := h.obj.base()
	if !b.typ.Waitable() {
		return 0, ErrNotSupported
	}
	if cur := b.Signals(); cur&signals != 0 && !h.Closed() {
		return cur, OK // fast path: no observer needed
	}
	timer, stop, expired := deadlineTimer(deadline)
	defer stop()
	w := &oneWaiter{ch: make(chan struct{}, 1)}
	if st := b.AddObserver(w, h, signals, Level); st != OK {
		return 0, st
	}
	var lost Status
	if expired {
		lost = ErrTimedOut
	} else {
		select {
		case <-w.ch:
			return w.result()
		case <-timer:
			lost = ErrTimedOut
		case <-cancel:
			lost = ErrInternalIntrKilled
		}
	}
	if removed, cur := b.RemoveObserver(w); removed {
		return cur, lost
	}
	// The observer fired while we were giving up: it wins.
	<-w.ch
	return w.result()
}

// WaitItem is zx_wait_item_t.
type WaitItem struct {
	Handle  *Handle
	WaitFor Signals
	Pending Signals // out: the state when the wait ended
}

// manyWait is the shared state of one wait_many.
type manyWait struct {
	ch    chan struct{}
	first atomic.Int32 // status of the first observer to fire; 1 = none yet
}

func (m *manyWait) fire(st Status) {
	if m.first.CompareAndSwap(1, int32(st)) {
		m.ch <- struct{}{}
	}
}

type manyWaiter struct {
	ObserverNode
	m        *manyWait
	fired    bool
	state    Signals
	canceled bool
}

func (w *manyWaiter) OnMatch(s Signals) {
	w.fired, w.state = true, s
	w.m.fire(OK)
}

func (w *manyWaiter) OnCancel(s Signals) {
	w.fired, w.state, w.canceled = true, s|SignalHandleClosed, true
	w.m.fire(ErrCanceled)
}

// WaitMany is zx_object_wait_many: wait until any item is satisfied.
// More than WaitManyMaxItems items give OUT_OF_RANGE; each handle needs
// WAIT (else ACCESS_DENIED) and a waitable object (else NOT_SUPPORTED),
// all checked before waiting. The result is that of the first event —
// OK, CANCELED (an item's handle was closed), TIMED_OUT or
// INTERNAL_INTR_KILLED — and every item's Pending is filled in. With no
// items it just waits for the deadline.
func WaitMany(items []WaitItem, deadline Time, cancel <-chan struct{}) Status {
	if len(items) > WaitManyMaxItems {
		return ErrOutOfRange
	}
	for i := range items {
		h := items[i].Handle
		if h == nil {
			return ErrBadHandle
		}
		if !h.HasRights(RightWait) {
			return ErrAccessDenied
		}
		if !h.obj.Type().Waitable() {
			return ErrNotSupported
		}
	}
	timer, stop, expired := deadlineTimer(deadline)
	defer stop()
	m := &manyWait{ch: make(chan struct{}, 1)}
	m.first.Store(1)
	ws := make([]manyWaiter, len(items))
	for i := range items {
		ws[i].m = m
		items[i].Handle.obj.base().AddObserver(&ws[i], items[i].Handle, items[i].WaitFor, Level)
	}
	lost := OK
	if expired {
		lost = ErrTimedOut
	} else {
		select {
		case <-m.ch:
		case <-timer:
			lost = ErrTimedOut
		case <-cancel:
			lost = ErrInternalIntrKilled
		}
	}
	// Take every observer out; after this no callback can run.
	for i := range items {
		if removed, cur := items[i].Handle.obj.base().RemoveObserver(&ws[i]); removed {
			items[i].Pending = cur
		} else {
			items[i].Pending = ws[i].state
		}
	}
	if first := m.first.Load(); first != 1 {
		return Status(first)
	}
	return lost
}
