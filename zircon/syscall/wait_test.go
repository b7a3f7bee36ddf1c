package syscall

import (
	"encoding/binary"
	"testing"
	"time"

	. "quartz/zircon/object"
)

func TestWaitOne(t *testing.T) {
	e := newEnv(t)
	ev := e.event()
	obs := e.alloc(4)
	e.ok(SysObjectSignal, uint64(ev), 0, uint64(UserSignal2))
	e.ok(SysObjectWaitOne, uint64(ev), uint64(UserSignal2), infinite(), obs)
	if Signals(e.u32(obs)) != UserSignal2 {
		t.Fatalf("observed %v", Signals(e.u32(obs)))
	}
	// Timing out still reports the state.
	e.setU32(obs, 0)
	e.want(ErrTimedOut, SysObjectWaitOne, uint64(ev), uint64(EventSignaled), after(time.Millisecond), obs)
	if Signals(e.u32(obs)) != UserSignal2 {
		t.Fatalf("observed %v", Signals(e.u32(obs)))
	}
	e.ok(SysObjectWaitOne, uint64(ev), uint64(UserSignal2), 0, 0) // observed may be 0

	e.want(ErrInvalidArgs, SysObjectWaitOne, uint64(ev), uint64(UserSignal2), 0, e.ro)
	e.want(ErrBadHandle, SysObjectWaitOne, 0x3333, uint64(UserSignal2), 0, obs)
	e.want(ErrAccessDenied, SysObjectWaitOne, uint64(e.restrict(e.dup(ev), RightSignal|RightDuplicate)), uint64(UserSignal2), 0, obs)
	port := e.create1(SysPortCreate, 0)
	e.want(ErrAccessDenied, SysObjectWaitOne, uint64(port), uint64(UserSignal2), 0, obs)
}

// A thread blocked in wait_one is woken by a signal from another.
func TestWaitOneWakes(t *testing.T) {
	e := newEnv(t)
	ev := e.event()
	obs := e.alloc(4)
	res := make(chan Status, 1)
	e.thread(func(c *Context) {
		res <- Status(int32(Call(c, SysObjectWaitOne, uint64(ev), uint64(EventSignaled), infinite(), obs)))
	})
	obj, _, _ := GetObject[*Event](e.self.Handles(), ev, 0)
	eventually(t, "waiter", func() bool { return obj.ObserverCount() == 1 })
	e.ok(SysObjectSignal, uint64(ev), 0, uint64(EventSignaled))
	wantStatus(t, await(t, res), OK, "wait_one")
	if Signals(e.u32(obs)) != EventSignaled {
		t.Fatalf("observed %v", Signals(e.u32(obs)))
	}
}

// Killing a thread ends its wait: INTERNAL_INTR_KILLED, and the run loop
// is told not to return to user mode.
func TestWaitOneKilled(t *testing.T) {
	e := newEnv(t)
	ev := e.event()
	var st Status
	th, done := e.thread(func(c *Context) {
		st = Status(int32(Call(c, SysObjectWaitOne, uint64(ev), uint64(EventSignaled), infinite(), 0)))
	})
	obj, _, _ := GetObject[*Event](e.self.Handles(), ev, 0)
	eventually(t, "waiter", func() bool { return obj.ObserverCount() == 1 })
	e.ok(SysTaskKill, uint64(th))
	c := await(t, done)
	wantStatus(t, st, ErrInternalIntrKilled, "wait_one")
	if !c.Exit {
		t.Fatal("Exit not set")
	}
	e.ok(SysObjectWaitOne, uint64(th), uint64(ThreadTerminated), after(10*time.Second), 0)
}

func waitItems(items ...[2]uint32) []byte {
	b := make([]byte, waitItemSize*len(items))
	for i, it := range items {
		binary.LittleEndian.PutUint32(b[i*waitItemSize:], it[0])
		binary.LittleEndian.PutUint32(b[i*waitItemSize+4:], it[1])
		binary.LittleEndian.PutUint32(b[i*waitItemSize+8:], 0xffffffff)
	}
	return b
}

func TestWaitMany(t *testing.T) {
	e := newEnv(t)
	a, b := e.event(), e.event()
	e.ok(SysObjectSignal, uint64(b), 0, uint64(UserSignal0))
	items := e.put(waitItems([2]uint32{uint32(a), uint32(EventSignaled)}, [2]uint32{uint32(b), uint32(UserSignal0)}))
	e.ok(SysObjectWaitMany, items, 2, infinite())
	if p := e.u32(items + 8); p != 0 {
		t.Fatalf("pending[0] %#x", p)
	}
	if p := e.u32(items + waitItemSize + 8); Signals(p) != UserSignal0 {
		t.Fatalf("pending[1] %#x", p)
	}
	// Nothing satisfied by a past deadline: TIMED_OUT, pending written.
	items = e.put(waitItems([2]uint32{uint32(a), uint32(EventSignaled)}))
	e.want(ErrTimedOut, SysObjectWaitMany, items, 1, 0)
	if p := e.u32(items + 8); p != 0 {
		t.Fatalf("pending %#x", p)
	}
	e.want(ErrTimedOut, SysObjectWaitMany, 0, 0, after(time.Millisecond))

	big := make([][2]uint32, WaitManyMaxItems+1)
	for i := range big {
		big[i] = [2]uint32{uint32(a), uint32(EventSignaled)}
	}
	e.want(ErrOutOfRange, SysObjectWaitMany, e.put(waitItems(big...)), uint64(len(big)), 0)
	e.want(ErrInvalidArgs, SysObjectWaitMany, unmapped, 1, 0)
	e.want(ErrBadHandle, SysObjectWaitMany, e.put(waitItems([2]uint32{uint32(a), 1}, [2]uint32{0x4444, 1})), 2, 0)
	// The items are written back: a read-only array is INVALID_ARGS.
	e.poke(e.ro, waitItems([2]uint32{uint32(b), uint32(UserSignal0)}))
	e.want(ErrInvalidArgs, SysObjectWaitMany, e.ro, 1, 0)
}

func TestWaitAsyncAndPort(t *testing.T) {
	e := newEnv(t)
	ev := e.event()
	port := e.create1(SysPortCreate, 0)
	e.ok(SysObjectWaitAsync, uint64(ev), uint64(port), 77, uint64(UserSignal1), 0)
	e.ok(SysObjectSignal, uint64(ev), 0, uint64(UserSignal1))
	pkt := e.alloc(PortPacketSize)
	e.ok(SysPortWait, uint64(port), infinite(), pkt)
	got := UnmarshalPortPacket(e.peek(pkt, PortPacketSize))
	if got.Key != 77 || got.Type != PacketSignalOne || got.Signal().Trigger != UserSignal1 || got.Signal().Observed&UserSignal1 == 0 {
		t.Fatalf("packet %+v", got)
	}

	e.want(ErrInvalidArgs, SysObjectWaitAsync, uint64(ev), uint64(port), 0, 1, 1<<5)
	e.want(ErrWrongType, SysObjectWaitAsync, uint64(ev), uint64(ev), 0, 1, 0)
	e.want(ErrBadHandle, SysObjectWaitAsync, 0x7777, uint64(port), 0, 1, 0)
	e.want(ErrAccessDenied, SysObjectWaitAsync, uint64(ev), uint64(e.restrict(e.dup(port), RightRead|RightDuplicate)), 0, 1, 0)
	e.want(ErrAccessDenied, SysObjectWaitAsync, uint64(e.restrict(e.dup(ev), RightSignal)), uint64(port), 0, 1, 0)
}
