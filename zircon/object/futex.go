package object

import "sync"

// FutexMemory reads futex words: the address space of the process whose
// futexes a FutexContext holds. The task layer implements it over its
// VMAR; tests implement it over a map.
type FutexMemory interface {
	// LoadFutex reads the 32-bit word at addr (4-byte aligned). An
	// unreadable address gives a non-OK status (Zircon: INVALID_ARGS or
	// the fault's status), returned as is.
	LoadFutex(addr uint64) (uint32, Status)
}

// FutexContext holds the futexes of one process (Zircon's FutexContext):
// wait queues keyed by address, each with an optional owner thread, for
// priority inheritance. It does not depend on the thread type: a thread
// is any Object (its koid is what zx_futex_get_owner reports).
//
// Checks happen in Zircon's order: the address (INVALID_ARGS), then the
// value (BAD_STATE), then the proposed owner (whatever status resolving it
// gave, then INVALID_ARGS if it is the caller). The value is read with the
// context's lock held and wakers take the same lock, so a wake that
// follows a change of the word is never lost.
type FutexContext struct {
	mem FutexMemory

	mu      sync.Mutex
	futexes map[uint64]*futexState
}

type futexState struct {
	waiters []*futexWaiter // FIFO
	owner   Object
}

type futexWaiter struct {
	thread Object
	addr   uint64 // the futex it waits on now (requeue moves it)
	ch     chan struct{}
	woken  bool
}

// NewFutexContext makes the futex context of a process whose memory mem
// reads.
func NewFutexContext(mem FutexMemory) *FutexContext {
	return &FutexContext{mem: mem, futexes: make(map[uint64]*futexState)}
}

func validFutexAddr(addr uint64) bool { return addr != 0 && addr%4 == 0 }

// FutexOwner is a proposed new owner of a futex: the thread the owner
// handle names, or nil for none. Status is how resolving the handle went
// (BAD_HANDLE, WRONG_TYPE, INVALID_ARGS for a thread of another process or
// not started); Zircon reports it only after the value check, so the
// caller passes it here rather than failing early.
type FutexOwner struct {
	Thread Object
	Status Status
}

func (fc *FutexContext) stateLocked(addr uint64) *futexState {
	s := fc.futexes[addr]
	if s == nil {
		s = &futexState{}
		fc.futexes[addr] = s
	}
	return s
}

// releaseLocked forgets a futex nobody waits on: an owner without
// waiters is no owner (Zircon's owned wait queues cannot hold one).
func (fc *FutexContext) releaseLocked(addr uint64, s *futexState) {
	if len(s.waiters) == 0 {
		delete(fc.futexes, addr)
	}
}

// Wait is zx_futex_wait: if the word at addr still holds current, block
// until woken (OK), the deadline passes (TIMED_OUT) or cancel is closed
// (INTERNAL_INTR_KILLED), making owner.Thread the futex's owner meanwhile.
// self is the calling thread.
func (fc *FutexContext) Wait(addr uint64, current uint32, self Object, owner FutexOwner, deadline Time, cancel <-chan struct{}) Status {
	if !validFutexAddr(addr) {
		return ErrInvalidArgs
	}
	fc.mu.Lock()
	v, st := fc.mem.LoadFutex(addr)
	if st != OK {
		fc.mu.Unlock()
		return st
	}
	if v != current {
		fc.mu.Unlock()
		return ErrBadState
	}
	if owner.Status != OK {
		fc.mu.Unlock()
		return owner.Status
	}
	if owner.Thread != nil && self != nil && owner.Thread.Koid() == self.Koid() {
		fc.mu.Unlock()
		return ErrInvalidArgs
	}
	timer, stop, expired := deadlineTimer(deadline)
	defer stop()
	if expired {
		fc.mu.Unlock()
		return ErrTimedOut
	}
	s := fc.stateLocked(addr)
	s.owner = owner.Thread
	w := &futexWaiter{thread: self, addr: addr, ch: make(chan struct{}, 1)}
	s.waiters = append(s.waiters, w)
	fc.mu.Unlock()

	var lost Status
	select {
	case <-w.ch:
		return OK
	case <-timer:
		lost = ErrTimedOut
	case <-cancel:
		lost = ErrInternalIntrKilled
	}
	fc.mu.Lock()
	defer fc.mu.Unlock()
	if w.woken {
		return OK // woken while giving up: the wake counts
	}
	s = fc.futexes[w.addr]
	for i, x := range s.waiters {
		if x == w {
			s.waiters = append(s.waiters[:i], s.waiters[i+1:]...)
			break
		}
	}
	if len(s.waiters) == 0 {
		s.owner = nil
	}
	fc.releaseLocked(w.addr, s)
	return lost
}

// wakeLocked wakes up to n waiters of s, oldest first, and returns the
// last one woken.
func wakeLocked(s *futexState, n uint32) *futexWaiter {
	var last *futexWaiter
	for n > 0 && len(s.waiters) > 0 {
		w := s.waiters[0]
		s.waiters[0] = nil
		s.waiters = s.waiters[1:]
		w.woken = true
		w.ch <- struct{}{}
		last = w
		n--
	}
	return last
}

// Wake is zx_futex_wake: wake up to count waiters (count = MaxUint32 for
// all). The futex is left without an owner.
func (fc *FutexContext) Wake(addr uint64, count uint32) Status {
	if !validFutexAddr(addr) {
		return ErrInvalidArgs
	}
	fc.mu.Lock()
	defer fc.mu.Unlock()
	if s := fc.futexes[addr]; s != nil {
		wakeLocked(s, count)
		s.owner = nil
		fc.releaseLocked(addr, s)
	}
	return OK
}

// WakeSingleOwner is zx_futex_wake_single_owner: wake one waiter and make
// it the owner (no waiter: no owner).
func (fc *FutexContext) WakeSingleOwner(addr uint64) Status {
	if !validFutexAddr(addr) {
		return ErrInvalidArgs
	}
	fc.mu.Lock()
	defer fc.mu.Unlock()
	if s := fc.futexes[addr]; s != nil {
		s.owner = nil
		if w := wakeLocked(s, 1); w != nil && len(s.waiters) > 0 {
			s.owner = w.thread
		}
		fc.releaseLocked(addr, s)
	}
	return OK
}

// Requeue is zx_futex_requeue: if the word at addr holds current, wake up
// to wakeCount of its waiters and move up to requeueCount of the rest to
// requeueAddr, whose owner becomes requeueOwner.Thread; addr is left
// without an owner. The two addresses must differ (INVALID_ARGS).
func (fc *FutexContext) Requeue(addr uint64, wakeCount uint32, current uint32, requeueAddr uint64, requeueCount uint32, requeueOwner FutexOwner) Status {
	return fc.requeue(addr, wakeCount, current, requeueAddr, requeueCount, requeueOwner, false)
}

// RequeueSingleOwner is zx_futex_requeue_single_owner: Requeue waking one
// waiter, which becomes the owner of addr.
func (fc *FutexContext) RequeueSingleOwner(addr uint64, current uint32, requeueAddr uint64, requeueCount uint32, requeueOwner FutexOwner) Status {
	return fc.requeue(addr, 1, current, requeueAddr, requeueCount, requeueOwner, true)
}

func (fc *FutexContext) requeue(addr uint64, wakeCount, current uint32, requeueAddr uint64, requeueCount uint32, requeueOwner FutexOwner, single bool) Status {
	if !validFutexAddr(addr) || !validFutexAddr(requeueAddr) || addr == requeueAddr {
		return ErrInvalidArgs
	}
	fc.mu.Lock()
	defer fc.mu.Unlock()
	v, st := fc.mem.LoadFutex(addr)
	if st != OK {
		return st
	}
	if v != current {
		return ErrBadState
	}
	if requeueOwner.Status != OK {
		return requeueOwner.Status
	}
	s := fc.futexes[addr]
	if s == nil {
		return OK
	}
	woken := wakeLocked(s, wakeCount)
	s.owner = nil
	if single && woken != nil {
		s.owner = woken.thread
	}
	if requeueCount > 0 && len(s.waiters) > 0 {
		t := fc.stateLocked(requeueAddr)
		for requeueCount > 0 && len(s.waiters) > 0 {
			w := s.waiters[0]
			s.waiters[0] = nil
			s.waiters = s.waiters[1:]
			w.addr = requeueAddr
			t.waiters = append(t.waiters, w)
			requeueCount--
		}
		t.owner = requeueOwner.Thread
	}
	if len(s.waiters) == 0 {
		s.owner = nil
	}
	fc.releaseLocked(addr, s)
	return OK
}

// GetOwner is zx_futex_get_owner: the koid of the futex's owner, or
// KoidInvalid.
func (fc *FutexContext) GetOwner(addr uint64) (Koid, Status) {
	if !validFutexAddr(addr) {
		return KoidInvalid, ErrInvalidArgs
	}
	fc.mu.Lock()
	defer fc.mu.Unlock()
	if s := fc.futexes[addr]; s != nil && s.owner != nil {
		return s.owner.Koid(), OK
	}
	return KoidInvalid, OK
}

// Waiters is the number of threads waiting on the futex at addr.
func (fc *FutexContext) Waiters(addr uint64) int {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	if s := fc.futexes[addr]; s != nil {
		return len(s.waiters)
	}
	return 0
}
