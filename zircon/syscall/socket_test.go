package syscall

import (
	"bytes"
	"testing"

	. "quartz/zircon/object"
)

func TestSocketStream(t *testing.T) {
	e := newEnv(t)
	out := e.alloc(8)
	e.want(ErrInvalidArgs, SysSocketCreate, 4, out, out+4)
	a, b := e.create2(SysSocketCreate, 0)
	actual := e.alloc(8)
	e.ok(SysSocketWrite, uint64(a), 0, e.put([]byte("stream data")), 11, actual)
	if e.u64(actual) != 11 {
		t.Fatalf("wrote %d", e.u64(actual))
	}
	buf := e.alloc(64)
	e.ok(SysSocketRead, uint64(b), uint64(SocketPeek), buf, 6, actual)
	e.ok(SysSocketRead, uint64(b), 0, buf, 64, actual)
	if e.u64(actual) != 11 || string(e.peek(buf, 11)) != "stream data" {
		t.Fatalf("read %q", e.peek(buf, e.u64(actual)))
	}
	e.want(ErrShouldWait, SysSocketRead, uint64(b), 0, buf, 64, actual)

	e.want(ErrInvalidArgs, SysSocketWrite, uint64(a), 1, buf, 1, 0)
	e.want(ErrInvalidArgs, SysSocketWrite, 0x1212, 1, buf, 1, 0) // options first
	e.want(ErrInvalidArgs, SysSocketRead, uint64(b), 1, buf, 1, 0)
	e.want(ErrInvalidArgs, SysSocketWrite, uint64(a), 0, unmapped, 1, 0)
	// The data goes even when actual cannot be written, as in Zircon.
	e.want(ErrInvalidArgs, SysSocketWrite, uint64(a), 0, buf, 1, e.ro)
	e.ok(SysSocketRead, uint64(b), 0, buf, 64, actual)
	if e.u64(actual) != 1 {
		t.Fatalf("read %d", e.u64(actual))
	}
	e.want(ErrWrongType, SysSocketWrite, uint64(e.event()), 0, buf, 1, 0)
	e.want(ErrAccessDenied, SysSocketRead, uint64(e.restrict(e.dup(b), RightWrite|RightDuplicate)), 0, buf, 1, 0)
	// Data that cannot be written out is lost.
	e.ok(SysSocketWrite, uint64(a), 0, e.put([]byte("z")), 1, 0)
	e.want(ErrInvalidArgs, SysSocketRead, uint64(b), 0, e.ro, 1, 0)

	e.ok(SysHandleClose, uint64(a))
	e.want(ErrPeerClosed, SysSocketRead, uint64(b), 0, buf, 64, 0)
	e.want(ErrPeerClosed, SysSocketWrite, uint64(b), 0, buf, 1, 0)
}

// A stream write takes what fits: the rest comes back short.
func TestSocketShortWrite(t *testing.T) {
	e := newEnv(t)
	a, b := e.create2(SysSocketCreate, 0)
	big := e.alloc(SocketBufferMax + 100)
	actual := e.alloc(8)
	e.ok(SysSocketWrite, uint64(a), 0, big, SocketBufferMax+100, actual)
	if e.u64(actual) != SocketBufferMax {
		t.Fatalf("wrote %d, want %d", e.u64(actual), SocketBufferMax)
	}
	e.want(ErrShouldWait, SysSocketWrite, uint64(a), 0, big, 1, actual)
	e.ok(SysSocketRead, uint64(b), 0, big, 10, actual)
	e.ok(SysSocketWrite, uint64(a), 0, big, 100, actual)
	if e.u64(actual) != 10 {
		t.Fatalf("wrote %d, want 10", e.u64(actual))
	}
}

func TestSocketDatagram(t *testing.T) {
	e := newEnv(t)
	a, b := e.create2(SysSocketCreate, uint64(SocketDatagram))
	e.ok(SysSocketWrite, uint64(a), 0, e.put([]byte("one")), 3, 0)
	e.ok(SysSocketWrite, uint64(a), 0, e.put([]byte("two!")), 4, 0)
	buf, actual := e.alloc(16), e.alloc(8)
	e.ok(SysSocketRead, uint64(b), 0, buf, 2, actual) // truncated, rest dropped
	if e.u64(actual) != 2 || string(e.peek(buf, 2)) != "on" {
		t.Fatalf("read %q", e.peek(buf, e.u64(actual)))
	}
	e.ok(SysSocketRead, uint64(b), 0, buf, 16, actual)
	if string(e.peek(buf, e.u64(actual))) != "two!" {
		t.Fatal("second datagram")
	}
	big := e.alloc(SocketBufferMax + 1)
	e.want(ErrOutOfRange, SysSocketWrite, uint64(a), 0, big, SocketBufferMax+1, 0)
}

func TestSocketSetDisposition(t *testing.T) {
	e := newEnv(t)
	a, b := e.create2(SysSocketCreate, 0)
	e.want(ErrInvalidArgs, SysSocketSetDisposition, uint64(a), 3, 0)
	e.want(ErrInvalidArgs, SysSocketSetDisposition, 0x1313, 0, 4) // before the lookup
	e.want(ErrAccessDenied, SysSocketSetDisposition, uint64(e.restrict(e.dup(a), RightWrite|RightDuplicate)), 1, 0)
	e.ok(SysSocketWrite, uint64(a), 0, e.put([]byte("last")), 4, 0)
	e.ok(SysSocketSetDisposition, uint64(a), uint64(SocketDispositionWriteDisabled), 0)
	e.want(ErrBadState, SysSocketWrite, uint64(a), 0, e.put([]byte("x")), 1, 0)
	if e.signals(b)&SocketPeerWriteDisabled == 0 {
		t.Fatal("PEER_WRITE_DISABLED not asserted")
	}
	// Re-enabling with data still buffered at the peer: BAD_STATE.
	e.want(ErrBadState, SysSocketSetDisposition, uint64(a), uint64(SocketDispositionWriteEnabled), 0)
	buf := e.alloc(8)
	e.ok(SysSocketRead, uint64(b), 0, buf, 8, 0)
	e.want(ErrBadState, SysSocketRead, uint64(b), 0, buf, 8, 0)
	e.ok(SysSocketSetDisposition, uint64(a), uint64(SocketDispositionWriteEnabled), 0)
	e.ok(SysSocketWrite, uint64(a), 0, e.put([]byte("x")), 1, 0)
}

func TestFIFO(t *testing.T) {
	e := newEnv(t)
	out := e.alloc(8)
	e.want(ErrOutOfRange, SysFIFOCreate, 0, 8, 0, out, out+4)
	e.want(ErrOutOfRange, SysFIFOCreate, 1024, 8, 0, out, out+4)
	e.want(ErrInvalidArgs, SysFIFOCreate, 4, 8, 1, out, out+4)
	a, b := e.create2(SysFIFOCreate, 4, 8, 0)

	elems := bytes.Repeat([]byte("elem-001"), 6)
	actual := e.alloc(8)
	e.ok(SysFIFOWrite, uint64(a), 8, e.put(elems), 6, actual)
	if e.u64(actual) != 4 {
		t.Fatalf("wrote %d, want 4", e.u64(actual))
	}
	e.want(ErrShouldWait, SysFIFOWrite, uint64(a), 8, e.put(elems), 1, actual)
	e.want(ErrOutOfRange, SysFIFOWrite, uint64(a), 4, e.put(elems), 1, actual)
	e.want(ErrOutOfRange, SysFIFORead, uint64(b), 8, e.alloc(64), 0, actual)

	buf := e.alloc(64)
	e.ok(SysFIFORead, uint64(b), 8, buf, 3, actual)
	if e.u64(actual) != 3 || !bytes.Equal(e.peek(buf, 24), elems[:24]) {
		t.Fatalf("read %d", e.u64(actual))
	}
	// Only what fits is read from data: with one element of room, a
	// buffer holding one element (at the end of the scratch memory) is
	// enough; with three, it is not.
	last := e.scratch + scratchPages*PageSize - 8
	e.poke(last, elems[:8])
	e.want(ErrInvalidArgs, SysFIFOWrite, uint64(a), 8, last, 5, actual)
	e.ok(SysFIFOWrite, uint64(a), 8, e.put(elems), 2, actual)
	e.ok(SysFIFOWrite, uint64(a), 8, last, 5, actual)
	if e.u64(actual) != 1 {
		t.Fatalf("wrote %d, want 1", e.u64(actual))
	}
	e.ok(SysFIFORead, uint64(b), 8, buf, 8, actual)
	if e.u64(actual) != 4 {
		t.Fatalf("read %d, want 4", e.u64(actual))
	}
	e.want(ErrShouldWait, SysFIFORead, uint64(b), 8, buf, 4, actual)
	e.want(ErrInvalidArgs, SysFIFOWrite, uint64(a), 8, unmapped, 1, actual)
	ro := e.restrict(e.dup(a), RightRead|RightDuplicate)
	e.want(ErrAccessDenied, SysFIFOWrite, uint64(ro), 8, buf, 1, actual)
	e.want(ErrWrongType, SysFIFORead, uint64(e.event()), 8, buf, 1, actual)
	e.ok(SysHandleCloseMany, e.put(handles(a, ro)), 2)
	e.want(ErrPeerClosed, SysFIFORead, uint64(b), 8, buf, 1, actual)
}
