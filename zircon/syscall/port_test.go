package syscall

import (
	"testing"
	"time"

	. "quartz/zircon/object"
)

func TestPortQueueWait(t *testing.T) {
	e := newEnv(t)
	out := e.alloc(4)
	e.want(ErrInvalidArgs, SysPortCreate, 2, out)
	port := e.create1(SysPortCreate, 0)

	in := PortPacket{Key: 5, Type: PacketSignalOne, Status: ErrIO}
	copy(in.Payload[:], "user payload")
	b := in.Marshal()
	e.ok(SysPortQueue, uint64(port), e.put(b[:]))
	pkt := e.alloc(PortPacketSize)
	e.ok(SysPortWait, uint64(port), 0, pkt)
	got := UnmarshalPortPacket(e.peek(pkt, PortPacketSize))
	in.Type = PacketUser // forced
	if got != in {
		t.Fatalf("packet %+v, want %+v", got, in)
	}
	e.want(ErrTimedOut, SysPortWait, uint64(port), after(time.Millisecond), pkt)

	e.want(ErrInvalidArgs, SysPortQueue, uint64(port), unmapped)
	e.want(ErrWrongType, SysPortQueue, uint64(e.event()), e.put(b[:]))
	e.want(ErrAccessDenied, SysPortQueue, uint64(e.restrict(e.dup(port), RightRead|RightDuplicate)), e.put(b[:]))
	e.want(ErrAccessDenied, SysPortWait, uint64(e.restrict(e.dup(port), RightWrite|RightDuplicate)), 0, pkt)
	// A packet that cannot be written out is lost.
	e.ok(SysPortQueue, uint64(port), e.put(b[:]))
	e.want(ErrInvalidArgs, SysPortWait, uint64(port), 0, e.ro)
	e.want(ErrTimedOut, SysPortWait, uint64(port), 0, pkt)
}

func TestPortWaitBlocksUntilQueue(t *testing.T) {
	e := newEnv(t)
	port := e.create1(SysPortCreate, 0)
	pkt := e.alloc(PortPacketSize)
	res := make(chan Status, 1)
	e.thread(func(c *Context) {
		res <- Status(int32(Call(c, SysPortWait, uint64(port), infinite(), pkt)))
	})
	time.Sleep(5 * time.Millisecond)
	b := (&PortPacket{Key: 9}).Marshal()
	e.ok(SysPortQueue, uint64(port), e.put(b[:]))
	wantStatus(t, await(t, res), OK, "port_wait")
	if UnmarshalPortPacket(e.peek(pkt, PortPacketSize)).Key != 9 {
		t.Fatal("wrong packet")
	}
}

func TestPortWaitKilled(t *testing.T) {
	e := newEnv(t)
	port := e.create1(SysPortCreate, 0)
	var st Status
	th, done := e.thread(func(c *Context) {
		st = Status(int32(Call(c, SysPortWait, uint64(port), infinite(), e.scratch)))
	})
	time.Sleep(5 * time.Millisecond)
	e.ok(SysTaskKill, uint64(th))
	if c := await(t, done); !c.Exit {
		t.Fatal("Exit not set")
	}
	wantStatus(t, st, ErrInternalIntrKilled, "port_wait")
}

func TestPortCancel(t *testing.T) {
	e := newEnv(t)
	ev := e.event()
	port := e.create1(SysPortCreate, 0)
	e.want(ErrNotFound, SysPortCancel, uint64(port), uint64(ev), 1)
	e.ok(SysObjectWaitAsync, uint64(ev), uint64(port), 1, uint64(UserSignal0), 0)
	e.ok(SysPortCancel, uint64(port), uint64(ev), 1)
	e.ok(SysObjectSignal, uint64(ev), 0, uint64(UserSignal0))
	e.want(ErrTimedOut, SysPortWait, uint64(port), 0, e.alloc(PortPacketSize))

	e.want(ErrBadHandle, SysPortCancel, uint64(port), 0x9999, 1)
	e.want(ErrAccessDenied, SysPortCancel, uint64(port), uint64(e.restrict(e.dup(ev), RightSignal)), 1)
	e.want(ErrWrongType, SysPortCancel, uint64(ev), uint64(ev), 1)
	e.want(ErrAccessDenied, SysPortCancel, uint64(e.restrict(e.dup(port), RightRead|RightDuplicate)), uint64(ev), 1)
}
