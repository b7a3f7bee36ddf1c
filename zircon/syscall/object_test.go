package syscall

import (
	"bytes"
	"encoding/binary"
	"testing"

	. "quartz/zircon/object"
)

func TestGetInfoHandleBasic(t *testing.T) {
	e := newEnv(t)
	ev := e.event()
	buf, actual, avail := e.alloc(64), e.alloc(8), e.alloc(8)
	e.setU64(actual, 99)
	e.setU64(avail, 99)
	e.ok(SysObjectGetInfo, uint64(ev), uint64(InfoHandleBasic), buf, 64, actual, avail)
	if e.u64(actual) != 1 || e.u64(avail) != 1 {
		t.Fatalf("actual %d avail %d", e.u64(actual), e.u64(avail))
	}
	b := e.peek(buf, HandleBasicInfoSize)
	if ObjType(binary.LittleEndian.Uint32(b[12:])) != TypeEvent ||
		Rights(binary.LittleEndian.Uint32(b[8:])) != DefaultEventRights {
		t.Fatalf("record % x", b)
	}
	// Only the record is written: the rest of the buffer is untouched.
	e.poke(buf+HandleBasicInfoSize, []byte{0xaa})
	e.ok(SysObjectGetInfo, uint64(ev), uint64(InfoHandleBasic), buf, 64, 0, 0)
	if e.peek(buf+HandleBasicInfoSize, 1)[0] != 0xaa {
		t.Fatal("get_info wrote past the record")
	}
}

func TestGetInfoBufferTooSmall(t *testing.T) {
	e := newEnv(t)
	ev := e.event()
	buf, actual, avail := e.alloc(64), e.alloc(8), e.alloc(8)
	e.setU64(actual, 99)
	e.setU64(avail, 99)
	e.want(ErrBufferTooSmall, SysObjectGetInfo, uint64(ev), uint64(InfoHandleBasic), buf, HandleBasicInfoSize-1, actual, avail)
	if e.u64(actual) != 0 || e.u64(avail) != 1 {
		t.Fatalf("actual %d avail %d, want 0 1", e.u64(actual), e.u64(avail))
	}
}

func TestGetInfoErrors(t *testing.T) {
	e := newEnv(t)
	ev := e.event()
	buf := e.alloc(128)
	e.want(ErrBadHandle, SysObjectGetInfo, 0x4321, uint64(InfoHandleBasic), buf, 128, 0, 0)
	e.want(ErrWrongType, SysObjectGetInfo, uint64(ev), uint64(InfoProcess), buf, 128, 0, 0)
	e.want(ErrNotSupported, SysObjectGetInfo, uint64(ev), 0x7777, buf, 128, 0, 0)
	e.want(ErrAccessDenied, SysObjectGetInfo, uint64(e.restrict(e.dup(ev), RightWait)), uint64(InfoHandleCount), buf, 128, 0, 0)
	// Pointers that cannot be written.
	e.want(ErrInvalidArgs, SysObjectGetInfo, uint64(ev), uint64(InfoHandleBasic), e.ro, 128, 0, 0)
	e.want(ErrInvalidArgs, SysObjectGetInfo, uint64(ev), uint64(InfoHandleBasic), buf, 128, unmapped, 0)
	e.want(ErrInvalidArgs, SysObjectGetInfo, uint64(ev), uint64(InfoHandleBasic), buf, 128, 0, e.ro)
	// HANDLE_VALID writes nothing.
	e.ok(SysObjectGetInfo, uint64(ev), uint64(InfoHandleValid), unmapped, 0, 0, 0)
}

func TestGetInfoList(t *testing.T) {
	e := newEnv(t)
	var koids []uint64
	for range 3 {
		j := e.create1(SysJobCreate, uint64(e.jobV), 0)
		koids = append(koids, uint64(e.basic(j).Koid))
	}
	buf, actual, avail := e.alloc(24), e.alloc(8), e.alloc(8)
	// Room for two of three: OK, two written.
	e.ok(SysObjectGetInfo, uint64(e.jobV), uint64(InfoJobChildren), buf, 16, actual, avail)
	if e.u64(actual) != 2 || e.u64(avail) != 3 {
		t.Fatalf("actual %d avail %d", e.u64(actual), e.u64(avail))
	}
	e.ok(SysObjectGetInfo, uint64(e.jobV), uint64(InfoJobChildren), buf, 24, actual, avail)
	if !bytes.Equal(e.peek(buf, 24), le64(koids...)) {
		t.Fatalf("koids % x", e.peek(buf, 24))
	}
	// A list longer than the first kernel buffer.
	for range 600 {
		e.create1(SysJobCreate, uint64(e.jobV), 0)
	}
	big := e.alloc(8 * 1000)
	e.ok(SysObjectGetInfo, uint64(e.jobV), uint64(InfoJobChildren), big, 8*1000, actual, avail)
	if e.u64(actual) != 603 || e.u64(avail) != 603 {
		t.Fatalf("actual %d avail %d", e.u64(actual), e.u64(avail))
	}
	if !bytes.Equal(e.peek(big, 24), le64(koids...)) {
		t.Fatal("big list")
	}
}

func TestGetInfoSocketAndTimer(t *testing.T) {
	e := newEnv(t)
	s0, _ := e.create2(SysSocketCreate, uint64(SocketDatagram))
	buf, actual := e.alloc(SocketInfoSize), e.alloc(8)
	e.ok(SysObjectGetInfo, uint64(s0), uint64(infoSocket), buf, SocketInfoSize, actual, 0)
	if e.u64(actual) != 1 || e.u32(buf) != SocketDatagram || e.u64(buf+8) != SocketBufferMax {
		t.Fatalf("socket info % x", e.peek(buf, SocketInfoSize))
	}
	tm := e.create1(SysTimerCreate, uint64(TimerSlackLate), uint64(ClockMonotonic))
	e.ok(SysObjectGetInfo, uint64(tm), uint64(infoTimer), buf, TimerInfoSize, actual, 0)
	if e.u32(buf) != TimerSlackLate {
		t.Fatalf("timer info % x", e.peek(buf, TimerInfoSize))
	}
	e.want(ErrBufferTooSmall, SysObjectGetInfo, uint64(tm), uint64(infoTimer), buf, TimerInfoSize-1, 0, 0)
	e.want(ErrWrongType, SysObjectGetInfo, uint64(tm), uint64(infoSocket), buf, SocketInfoSize, 0, 0)
}

func TestProperties(t *testing.T) {
	e := newEnv(t)
	v := e.create1(SysVMOCreate, PageSize, 0)
	name := e.put([]byte("a-vmo-name-that-is-longer-than-31-bytes"))
	e.ok(SysObjectSetProperty, uint64(v), uint64(PropName), name, 39)
	out := e.alloc(64)
	e.poke(out, bytes.Repeat([]byte{0xee}, 64))
	e.ok(SysObjectGetProperty, uint64(v), uint64(PropName), out, 64)
	got := e.peek(out, 64)
	if string(got[:31]) != "a-vmo-name-that-is-longer-than-" || got[31] != 0 || got[32] != 0xee {
		t.Fatalf("name % x", got)
	}
	e.want(ErrBufferTooSmall, SysObjectGetProperty, uint64(v), uint64(PropName), out, MaxNameLen-1)

	// VMO content size: an 8-byte property.
	e.ok(SysObjectSetProperty, uint64(v), uint64(PropVMOContentSize), e.put(le64(100)), 8)
	e.ok(SysObjectGetProperty, uint64(v), uint64(PropVMOContentSize), out, 8)
	if e.u64(out) != 100 {
		t.Fatalf("content size %d", e.u64(out))
	}
	e.want(ErrBufferTooSmall, SysObjectGetProperty, uint64(v), uint64(PropVMOContentSize), out, 7)

	ev := e.event()
	e.want(ErrAccessDenied, SysObjectGetProperty, uint64(ev), uint64(PropName), out, 64)
	e.want(ErrBadHandle, SysObjectGetProperty, 0x1111, uint64(PropName), out, 64)
	e.want(ErrInvalidArgs, SysObjectGetProperty, uint64(v), 0x5555, out, 64)
	e.want(ErrInvalidArgs, SysObjectGetProperty, uint64(v), uint64(PropName), e.ro, 64)
	e.want(ErrInvalidArgs, SysObjectSetProperty, uint64(v), uint64(PropName), unmapped, 4)
	e.want(ErrWrongType, SysObjectSetProperty, uint64(v), uint64(PropJobKillOnOOM), e.put(le64(1)), 8)
}

func TestSocketThresholdProperties(t *testing.T) {
	e := newEnv(t)
	s0, s1 := e.create2(SysSocketCreate, 0)
	e.ok(SysObjectSetProperty, uint64(s0), uint64(PropSocketRxThreshold), e.put(le64(3)), 8)
	out := e.alloc(8)
	e.ok(SysObjectGetProperty, uint64(s0), uint64(PropSocketRxThreshold), out, 8)
	if e.u64(out) != 3 {
		t.Fatalf("rx threshold %d", e.u64(out))
	}
	e.ok(SysSocketWrite, uint64(s1), 0, e.put([]byte("abc")), 3, 0)
	if e.signals(s0)&SocketReadThreshold == 0 {
		t.Fatal("READ_THRESHOLD not asserted")
	}
	e.want(ErrInvalidArgs, SysObjectSetProperty, uint64(s0), uint64(PropSocketTxThreshold), e.put(le64(SocketBufferMax+1)), 8)
	e.want(ErrBufferTooSmall, SysObjectGetProperty, uint64(s0), uint64(PropSocketTxThreshold), out, 4)
}

func TestObjectSignal(t *testing.T) {
	e := newEnv(t)
	ev := e.event()
	e.ok(SysObjectSignal, uint64(ev), 0, uint64(EventSignaled|UserSignal3))
	if s := e.signals(ev); s != EventSignaled|UserSignal3 {
		t.Fatalf("signals %v", s)
	}
	e.ok(SysObjectSignal, uint64(ev), uint64(UserSignal3), 0)
	e.want(ErrInvalidArgs, SysObjectSignal, uint64(ev), 0, uint64(ObjectSignal5))
	e.want(ErrAccessDenied, SysObjectSignal, uint64(e.restrict(e.dup(ev), RightWait)), 0, uint64(UserSignal0))
	e.want(ErrBadHandle, SysObjectSignal, 0x2223, 0, uint64(UserSignal0))
	// Peers. An event has no SIGNAL_PEER right to begin with.
	e.want(ErrAccessDenied, SysObjectSignalPeer, uint64(ev), 0, uint64(UserSignal0))
	p0, p1 := e.create2(SysEventPairCreate, 0)
	e.ok(SysObjectSignalPeer, uint64(p0), 0, uint64(UserSignal1))
	if e.signals(p1)&UserSignal1 == 0 {
		t.Fatal("peer not signaled")
	}
	e.ok(SysHandleClose, uint64(p1))
	e.want(ErrPeerClosed, SysObjectSignalPeer, uint64(p0), 0, uint64(UserSignal1))
	if e.signals(p0)&EventPairPeerClosed == 0 {
		t.Fatal("PEER_CLOSED not asserted")
	}
}

func TestObjectGetChild(t *testing.T) {
	e := newEnv(t)
	child := e.create1(SysJobCreate, uint64(e.jobV), 0)
	koid := e.basic(child).Koid
	c := e.create1(SysObjectGetChild, uint64(e.jobV), uint64(koid), uint64(RightSameRights))
	if e.basic(c).Koid != koid {
		t.Fatal("wrong child")
	}
	out := e.alloc(4)
	e.want(ErrNotFound, SysObjectGetChild, uint64(e.jobV), 12345678, uint64(RightSameRights), out)
	e.want(ErrAccessDenied, SysObjectGetChild, uint64(e.event()), uint64(koid), uint64(RightSameRights), out)
	e.want(ErrAccessDenied, SysObjectGetChild, uint64(e.jobV), uint64(koid), uint64(RightsAll), out)
	n := e.count()
	e.want(ErrInvalidArgs, SysObjectGetChild, uint64(e.jobV), uint64(koid), uint64(RightSameRights), unmapped)
	if e.count() != n {
		t.Fatal("handle left behind")
	}
}

func TestEventCreate(t *testing.T) {
	e := newEnv(t)
	out := e.alloc(8)
	e.want(ErrInvalidArgs, SysEventCreate, 1, out)
	e.want(ErrNotSupported, SysEventPairCreate, 1, out, out+4)
	n := e.count()
	e.want(ErrInvalidArgs, SysEventPairCreate, 0, out, unmapped)
	e.want(ErrInvalidArgs, SysEventCreate, 0, e.ro)
	if e.count() != n {
		t.Fatal("handles left behind")
	}
	p0, p1 := e.create2(SysEventPairCreate, 0)
	if e.basic(p0).RelatedKoid != e.basic(p1).Koid {
		t.Fatal("eventpair ends not related")
	}
}
