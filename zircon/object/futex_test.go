package object

import (
	"math"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// FutexTest (zircon/system/utest/core/futex) and the futex ownership
// tests. A map of words stands in for the process's memory.

type fakeMem struct {
	mu sync.Mutex
	m  map[uint64]uint32
}

func newFakeMem(words map[uint64]uint32) *fakeMem { return &fakeMem{m: words} }

func (f *fakeMem) LoadFutex(addr uint64) (uint32, Status) {
	f.mu.Lock()
	defer f.mu.Unlock()
	v, ok := f.m[addr]
	if !ok {
		return 0, ErrInvalidArgs // unmapped
	}
	return v, OK
}

const wakeAll = math.MaxUint32

var noOwner = FutexOwner{}

// futexThread is a thread blocked in zx_futex_wait.
type futexThread struct {
	self   *Event // stands in for the thread object
	result atomic.Int32
	done   chan struct{}
}

func startFutexWaiter(t *testing.T, fc *FutexContext, addr uint64, timeout Duration) *futexThread {
	t.Helper()
	self, _ := NewEvent(0)
	ft := &futexThread{self: self, done: make(chan struct{})}
	ft.result.Store(int32(ErrInternal))
	before := fc.Waiters(addr)
	cur, _ := fc.mem.LoadFutex(addr)
	deadline := TimeInfinite
	if timeout != 0 {
		deadline = DeadlineAfter(timeout)
	}
	go func() {
		ft.result.Store(int32(fc.Wait(addr, cur, self, noOwner, deadline, nil)))
		close(ft.done)
	}()
	eventually(t, "the waiter to block", func() bool { return fc.Waiters(addr) > before })
	return ft
}

func (ft *futexThread) returned() bool {
	select {
	case <-ft.done:
		return true
	default:
		return false
	}
}

func assertWokeCount(t *testing.T, ts []*futexThread, n int) {
	t.Helper()
	count := func() int {
		c := 0
		for _, ft := range ts {
			if ft.returned() {
				c++
			}
		}
		return c
	}
	eventually(t, "threads to wake", func() bool { return count() >= n })
	time.Sleep(20 * time.Millisecond) // and no more
	if c := count(); c != n {
		t.Fatalf("%d woke, want %d", c, n)
	}
}

func TestFutexTest_WaitValueMismatch(t *testing.T) {
	fc := NewFutexContext(newFakeMem(map[uint64]uint32{0x1000: 123}))
	wantStatus(t, fc.Wait(0x1000, 124, nil, noOwner, TimeInfinite, nil), ErrBadState, "wait")
}

func TestFutexTest_WaitTimeout(t *testing.T) {
	fc := NewFutexContext(newFakeMem(map[uint64]uint32{0x1000: 123}))
	wantStatus(t, fc.Wait(0x1000, 123, nil, noOwner, 0, nil), ErrTimedOut, "wait")
}

func TestFutexTest_WaitTimeoutElapsed(t *testing.T) {
	fc := NewFutexContext(newFakeMem(map[uint64]uint32{0x1000: 0}))
	for i := 0; i < 5; i++ {
		d := DeadlineAfter(msec(10))
		wantStatus(t, fc.Wait(0x1000, 0, nil, noOwner, d, nil), ErrTimedOut, "wait")
		if Now() < d {
			t.Fatal("returned early")
		}
	}
	if fc.Waiters(0x1000) != 0 || len(fc.futexes) != 0 {
		t.Fatal("state left behind")
	}
}

func TestFutexTest_WaitBadAddress(t *testing.T) {
	fc := NewFutexContext(newFakeMem(map[uint64]uint32{}))
	wantStatus(t, fc.Wait(0, 123, nil, noOwner, TimeInfinite, nil), ErrInvalidArgs, "null")
	wantStatus(t, fc.Wait(0x1002, 123, nil, noOwner, TimeInfinite, nil), ErrInvalidArgs, "misaligned")
	wantStatus(t, fc.Wait(0x1000, 123, nil, noOwner, TimeInfinite, nil), ErrInvalidArgs, "unmapped")
	wantStatus(t, fc.Wake(0, 1), ErrInvalidArgs, "wake null")
	_, st := fc.GetOwner(3)
	wantStatus(t, st, ErrInvalidArgs, "get_owner misaligned")
}

func TestFutexTest_Wakeup(t *testing.T) {
	fc := NewFutexContext(newFakeMem(map[uint64]uint32{0x1000: 1}))
	ft := startFutexWaiter(t, fc, 0x1000, 0)
	mustOK(t, fc.Wake(0x1000, wakeAll), "wake")
	<-ft.done
	wantStatus(t, Status(ft.result.Load()), OK, "wait result")
}

func TestFutexTest_WakeupLimit(t *testing.T) {
	fc := NewFutexContext(newFakeMem(map[uint64]uint32{0x1000: 1}))
	var ts []*futexThread
	for i := 0; i < 4; i++ {
		ts = append(ts, startFutexWaiter(t, fc, 0x1000, 0))
	}
	mustOK(t, fc.Wake(0x1000, 2), "wake 2")
	assertWokeCount(t, ts, 2)
	mustOK(t, fc.Wake(0x1000, wakeAll), "wake all")
	assertWokeCount(t, ts, 4)
	for _, ft := range ts {
		wantStatus(t, Status(ft.result.Load()), OK, "wait result")
	}
}

func TestFutexTest_WakeupAddress(t *testing.T) {
	fc := NewFutexContext(newFakeMem(map[uint64]uint32{0x1000: 1, 0x1004: 1, 0x1008: 1}))
	t0 := startFutexWaiter(t, fc, 0x1000, 0)
	t1 := startFutexWaiter(t, fc, 0x1004, 0)
	mustOK(t, fc.Wake(0x1008, wakeAll), "wake other address")
	assertWokeCount(t, []*futexThread{t0, t1}, 0)
	mustOK(t, fc.Wake(0x1000, wakeAll), "wake first")
	<-t0.done
	if t1.returned() {
		t.Fatal("second woke")
	}
	fc.Wake(0x1004, wakeAll)
	<-t1.done
}

func TestFutexTest_RequeueValueMismatch(t *testing.T) {
	fc := NewFutexContext(newFakeMem(map[uint64]uint32{0x1000: 100, 0x2000: 200}))
	wantStatus(t, fc.Requeue(0x1000, 1, 101, 0x2000, 1, noOwner), ErrBadState, "requeue")
}

func TestFutexTest_RequeueSameAddr(t *testing.T) {
	fc := NewFutexContext(newFakeMem(map[uint64]uint32{0x1000: 100}))
	wantStatus(t, fc.Requeue(0x1000, 1, 100, 0x1000, 1, noOwner), ErrInvalidArgs, "requeue")
}

func TestFutexTest_Requeue(t *testing.T) {
	fc := NewFutexContext(newFakeMem(map[uint64]uint32{0x1000: 100, 0x2000: 200}))
	var ts []*futexThread
	for i := 0; i < 6; i++ {
		ts = append(ts, startFutexWaiter(t, fc, 0x1000, 0))
	}
	mustOK(t, fc.Requeue(0x1000, 3, 100, 0x2000, 2, noOwner), "requeue")
	assertWokeCount(t, ts, 3)
	if fc.Waiters(0x2000) != 2 || fc.Waiters(0x1000) != 1 {
		t.Fatalf("waiters %d %d", fc.Waiters(0x1000), fc.Waiters(0x2000))
	}
	mustOK(t, fc.Wake(0x2000, wakeAll), "wake requeued")
	assertWokeCount(t, ts, 5)
	mustOK(t, fc.Wake(0x1000, 1), "wake last")
	assertWokeCount(t, ts, 6)
}

func TestFutexTest_RequeueUnqueuedOnTimeout(t *testing.T) {
	fc := NewFutexContext(newFakeMem(map[uint64]uint32{0x1000: 100, 0x2000: 200}))
	t0 := startFutexWaiter(t, fc, 0x1000, msec(300))
	mustOK(t, fc.Requeue(0x1000, 0, 100, 0x2000, wakeAll, noOwner), "requeue")
	t1 := startFutexWaiter(t, fc, 0x2000, 0)
	<-t0.done
	wantStatus(t, Status(t0.result.Load()), ErrTimedOut, "t0")
	if t1.returned() {
		t.Fatal("t1 woke")
	}
	// t0 left 0x2000's queue, so waking one wakes t1.
	mustOK(t, fc.Wake(0x2000, 1), "wake 1")
	<-t1.done
	wantStatus(t, Status(t1.result.Load()), OK, "t1")
}

// The thread being killed interrupts its futex wait.
func TestFutexTest_WaitInterrupted(t *testing.T) {
	fc := NewFutexContext(newFakeMem(map[uint64]uint32{0x1000: 7}))
	kill := make(chan struct{})
	res := make(chan Status)
	go func() { res <- fc.Wait(0x1000, 7, nil, noOwner, TimeInfinite, kill) }()
	eventually(t, "waiter", func() bool { return fc.Waiters(0x1000) == 1 })
	close(kill)
	wantStatus(t, <-res, ErrInternalIntrKilled, "killed")
	if fc.Waiters(0x1000) != 0 {
		t.Fatal("waiter left queued")
	}
}

// Ownership (zircon/system/utest/futex-ownership).

func TestFutexOwnership_WaitSetsOwnerWakeClears(t *testing.T) {
	fc := NewFutexContext(newFakeMem(map[uint64]uint32{0x1000: 1}))
	owner, _ := NewEvent(0)
	self, _ := NewEvent(0)
	done := make(chan Status)
	go func() { done <- fc.Wait(0x1000, 1, self, FutexOwner{Thread: owner}, TimeInfinite, nil) }()
	eventually(t, "waiter", func() bool { return fc.Waiters(0x1000) == 1 })
	k, st := fc.GetOwner(0x1000)
	mustOK(t, st, "get_owner")
	if k != owner.Koid() {
		t.Fatalf("owner %d, want %d", k, owner.Koid())
	}
	mustOK(t, fc.Wake(0x1000, 1), "wake")
	mustOK(t, <-done, "wait")
	if k, _ := fc.GetOwner(0x1000); k != KoidInvalid {
		t.Fatal("wake left an owner")
	}
}

func TestFutexOwnership_OwnerChecks(t *testing.T) {
	fc := NewFutexContext(newFakeMem(map[uint64]uint32{0x1000: 1}))
	self, _ := NewEvent(0)
	// The value is checked before the owner.
	wantStatus(t, fc.Wait(0x1000, 2, self, FutexOwner{Status: ErrBadHandle}, 0, nil), ErrBadState, "value first")
	wantStatus(t, fc.Wait(0x1000, 1, self, FutexOwner{Status: ErrBadHandle}, 0, nil), ErrBadHandle, "bad owner handle")
	wantStatus(t, fc.Wait(0x1000, 1, self, FutexOwner{Status: ErrWrongType}, 0, nil), ErrWrongType, "owner not a thread")
	wantStatus(t, fc.Wait(0x1000, 1, self, FutexOwner{Thread: self}, 0, nil), ErrInvalidArgs, "self as owner")
}

func TestFutexOwnership_WakeSingleOwnerAndTimeout(t *testing.T) {
	fc := NewFutexContext(newFakeMem(map[uint64]uint32{0x1000: 1}))
	a := startFutexWaiter(t, fc, 0x1000, 0)
	b := startFutexWaiter(t, fc, 0x1000, 0)
	mustOK(t, fc.WakeSingleOwner(0x1000), "wake_single_owner")
	<-a.done
	if k, _ := fc.GetOwner(0x1000); k != a.self.Koid() {
		t.Fatalf("owner %d, want the woken thread %d", k, a.self.Koid())
	}
	mustOK(t, fc.WakeSingleOwner(0x1000), "wake the last")
	<-b.done
	if k, _ := fc.GetOwner(0x1000); k != KoidInvalid {
		t.Fatal("a futex without waiters has an owner")
	}
	// A waiter that times out as the last one takes the owner with it.
	owner, _ := NewEvent(0)
	wantStatus(t, fc.Wait(0x1000, 1, nil, FutexOwner{Thread: owner}, DeadlineAfter(msec(2)), nil), ErrTimedOut, "wait")
	if k, _ := fc.GetOwner(0x1000); k != KoidInvalid {
		t.Fatal("owner left after the last waiter timed out")
	}
}

func TestFutexOwnership_RequeueOwners(t *testing.T) {
	fc := NewFutexContext(newFakeMem(map[uint64]uint32{0x1000: 1, 0x2000: 2}))
	var ts []*futexThread
	for i := 0; i < 3; i++ {
		ts = append(ts, startFutexWaiter(t, fc, 0x1000, 0))
	}
	rqOwner, _ := NewEvent(0)
	wantStatus(t, fc.Requeue(0x1000, 1, 1, 0x2000, 1, FutexOwner{Status: ErrBadHandle}), ErrBadHandle, "bad requeue owner")
	mustOK(t, fc.RequeueSingleOwner(0x1000, 1, 0x2000, 1, FutexOwner{Thread: rqOwner}), "requeue_single_owner")
	assertWokeCount(t, ts, 1)
	if k, _ := fc.GetOwner(0x1000); k != ts[0].self.Koid() {
		t.Fatalf("wake futex owner %d", k)
	}
	if k, _ := fc.GetOwner(0x2000); k != rqOwner.Koid() {
		t.Fatalf("requeue futex owner %d", k)
	}
	fc.Wake(0x1000, wakeAll)
	fc.Wake(0x2000, wakeAll)
	assertWokeCount(t, ts, 3)
	if len(fc.futexes) != 0 {
		t.Fatal("futex state left behind")
	}
}
