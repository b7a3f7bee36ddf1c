package syscall

import (
	"math"
	"testing"
	"time"

	. "quartz/zircon/object"
)

func TestFutexWaitChecks(t *testing.T) {
	e := newEnv(t)
	word := e.alloc(8)
	e.setU32(word, 7)
	e.want(ErrBadState, SysFutexWait, word, 8, 0, infinite())
	e.want(ErrInvalidArgs, SysFutexWait, word+1, 7, 0, infinite())
	e.want(ErrInvalidArgs, SysFutexWait, 0, 7, 0, infinite())
	e.want(ErrInvalidArgs, SysFutexWait, unmapped, 7, 0, infinite())
	e.want(ErrTimedOut, SysFutexWait, word, 7, 0, after(time.Millisecond))
	// The owner is checked after the value.
	e.want(ErrBadState, SysFutexWait, word, 8, 0x6666, infinite())
	e.want(ErrBadHandle, SysFutexWait, word, 7, 0x6666, infinite())
	e.want(ErrWrongType, SysFutexWait, word, 7, uint64(e.event()), infinite())
	e.want(ErrInvalidArgs, SysFutexWake, word+2, 1)
	e.ok(SysFutexWake, word, 1)
}

func TestFutexWaitWake(t *testing.T) {
	e := newEnv(t)
	word := e.alloc(4)
	e.setU32(word, 1)
	const n = 3
	res := make(chan Status, n)
	for range n {
		e.thread(func(c *Context) {
			res <- Status(int32(Call(c, SysFutexWait, word, 1, 0, infinite())))
		})
	}
	eventually(t, "waiters", func() bool { return e.self.Futexes.Waiters(word) == n })
	e.ok(SysFutexWake, word, 1)
	wantStatus(t, await(t, res), OK, "futex_wait")
	e.ok(SysFutexWake, word, math.MaxUint32)
	for range n - 1 {
		wantStatus(t, await(t, res), OK, "futex_wait")
	}
}

func TestFutexRequeueAndOwner(t *testing.T) {
	e := newEnv(t)
	word, other := e.alloc(4), e.alloc(4)
	e.setU32(word, 1)
	res := make(chan Status, 2)
	var waiter HandleValue
	for i := range 2 {
		th, _ := e.thread(func(c *Context) {
			res <- Status(int32(Call(c, SysFutexWait, word, 1, 0, infinite())))
		})
		if i == 0 {
			waiter = th
		}
	}
	eventually(t, "waiters", func() bool { return e.self.Futexes.Waiters(word) == 2 })
	e.want(ErrBadState, SysFutexRequeue, word, 0, 2, other, 1, 0)
	e.want(ErrInvalidArgs, SysFutexRequeue, word, 0, 1, word, 1, 0)
	// Wake none, move one to other, owned by a running thread.
	e.ok(SysFutexRequeue, word, 0, 1, other, 1, uint64(waiter))
	if e.self.Futexes.Waiters(word) != 1 || e.self.Futexes.Waiters(other) != 1 {
		t.Fatal("requeue moved the wrong number")
	}
	koid := e.alloc(8)
	e.ok(SysFutexGetOwner, other, koid)
	if Koid(e.u64(koid)) != e.basic(waiter).Koid {
		t.Fatalf("owner %d", e.u64(koid))
	}
	e.ok(SysFutexGetOwner, word, koid)
	if e.u64(koid) != 0 {
		t.Fatal("word has an owner")
	}
	e.want(ErrInvalidArgs, SysFutexGetOwner, word, e.ro)
	e.ok(SysFutexWakeSingleOwner, word)
	e.ok(SysFutexWake, other, 1)
	wantStatus(t, await(t, res), OK, "futex_wait")
	wantStatus(t, await(t, res), OK, "futex_wait")

	// A thread that has not started cannot own a futex.
	out := e.alloc(4)
	self := e.create1(SysObjectGetChild, uint64(e.jobV), uint64(e.self.Koid()), uint64(RightSameRights))
	e.ok(SysThreadCreate, uint64(self), e.put([]byte("new")), 3, 0, out)
	e.want(ErrInvalidArgs, SysFutexRequeueSingleOwner, word, 1, other, 1, uint64(e.hv(out)))
}

func TestFutexWaitKilled(t *testing.T) {
	e := newEnv(t)
	word := e.alloc(4)
	var st Status
	th, done := e.thread(func(c *Context) { st = Status(int32(Call(c, SysFutexWait, word, 0, 0, infinite()))) })
	eventually(t, "waiter", func() bool { return e.self.Futexes.Waiters(word) == 1 })
	e.ok(SysTaskKill, uint64(th))
	await(t, done)
	wantStatus(t, st, ErrInternalIntrKilled, "futex_wait")
	if e.self.Futexes.Waiters(word) != 0 {
		t.Fatal("waiter left behind")
	}
}

// The vDSO's thread-ending call stores, wakes, closes and exits.
func TestFutexWakeHandleCloseThreadExit(t *testing.T) {
	e := newEnv(t)
	word := e.alloc(4)
	e.setU32(word, 1)
	res := make(chan Status, 1)
	e.thread(func(c *Context) { res <- Status(int32(Call(c, SysFutexWait, word, 1, 0, infinite()))) })
	eventually(t, "waiter", func() bool { return e.self.Futexes.Waiters(word) == 1 })
	ev := e.event()
	th, done := e.thread(func(c *Context) {
		Call(c, SysFutexWakeHandleCloseThreadExit, word, 1, 42, uint64(ev))
	})
	c := await(t, done)
	if !c.Exit {
		t.Fatal("Exit not set")
	}
	wantStatus(t, await(t, res), OK, "futex_wait")
	if e.u32(word) != 42 {
		t.Fatalf("word %d", e.u32(word))
	}
	e.want(ErrBadHandle, SysHandleClose, uint64(ev))
	e.ok(SysObjectWaitOne, uint64(th), uint64(ThreadTerminated), after(10*time.Second), 0)
	e.want(ErrInvalidArgs, SysFutexWakeHandleCloseThreadExit, e.ro, 1, 0, 0)
}
