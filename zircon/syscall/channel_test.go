package syscall

import (
	"bytes"
	"encoding/binary"
	"testing"

	. "quartz/zircon/object"
)

// read is zx_channel_read into fresh buffers of nb bytes and nh handles.
func (e *env) read(ch HandleValue, nb, nh uint32) (st Status, data []byte, hs []HandleValue, actualB, actualH uint32) {
	e.t.Helper()
	buf, hbuf, ab, ah := e.alloc(uint64(nb)), e.alloc(4*uint64(nh)), e.alloc(4), e.alloc(4)
	e.setU32(ab, 0xffffffff)
	e.setU32(ah, 0xffffffff)
	st = e.sys(SysChannelRead, uint64(ch), 0, buf, hbuf, uint64(nb), uint64(nh), ab, ah)
	actualB, actualH = e.u32(ab), e.u32(ah)
	if st == OK {
		data = e.peek(buf, uint64(actualB))
		for i := range actualH {
			hs = append(hs, e.hv(hbuf+4*uint64(i)))
		}
	}
	return
}

func (e *env) write(ch HandleValue, data []byte, hs ...HandleValue) Status {
	return e.sys(SysChannelWrite, uint64(ch), 0, e.put(data), uint64(len(data)), e.put(handles(hs...)), uint64(len(hs)))
}

func TestChannelWriteRead(t *testing.T) {
	e := newEnv(t)
	a, b := e.channel()
	ev := e.event()
	koid := e.basic(ev).Koid
	mustOK(t, e.write(a, []byte("hello"), ev), "write")
	e.want(ErrBadHandle, SysHandleClose, uint64(ev)) // moved
	if e.signals(b)&ChannelReadable == 0 {
		t.Fatal("not READABLE")
	}
	st, data, hs, nb, nh := e.read(b, 64, 4)
	mustOK(t, st, "read")
	if string(data) != "hello" || nb != 5 || nh != 1 || len(hs) != 1 || e.basic(hs[0]).Koid != koid {
		t.Fatalf("read %q %v %d %d", data, hs, nb, nh)
	}
	st, _, _, _, _ = e.read(b, 64, 4)
	wantStatus(t, st, ErrShouldWait, "empty read")
	e.ok(SysHandleClose, uint64(a))
	st, _, _, _, _ = e.read(b, 64, 4)
	wantStatus(t, st, ErrPeerClosed, "read after close")
	wantStatus(t, e.write(b, []byte("x")), ErrPeerClosed, "write after close")
}

func TestChannelReadBufferTooSmall(t *testing.T) {
	e := newEnv(t)
	a, b := e.channel()
	mustOK(t, e.write(a, bytes.Repeat([]byte{1}, 100), e.event(), e.event()), "write")
	st, _, _, nb, nh := e.read(b, 99, 2)
	wantStatus(t, st, ErrBufferTooSmall, "short bytes")
	if nb != 100 || nh != 2 {
		t.Fatalf("actual %d %d, want 100 2", nb, nh)
	}
	st, _, _, nb, nh = e.read(b, 100, 1)
	wantStatus(t, st, ErrBufferTooSmall, "short handles")
	if nb != 100 || nh != 2 {
		t.Fatalf("actual %d %d", nb, nh)
	}
	// The message stayed; MAY_DISCARD drops it.
	buf, ab := e.alloc(8), e.alloc(8)
	e.want(ErrBufferTooSmall, SysChannelRead, uint64(b), uint64(ChannelReadMayDiscard), buf, 0, 0, 0, ab, ab+4)
	if e.u32(ab) != 100 || e.u32(ab+4) != 2 {
		t.Fatal("discard: actual sizes")
	}
	st, _, _, _, _ = e.read(b, 100, 2)
	wantStatus(t, st, ErrShouldWait, "after discard")
}

func TestChannelReadFaults(t *testing.T) {
	e := newEnv(t)
	a, b := e.channel()
	// A message whose bytes cannot be written out is lost, and its
	// handles closed.
	n := e.count()
	mustOK(t, e.write(a, []byte("abc"), e.event()), "write")
	e.want(ErrInvalidArgs, SysChannelRead, uint64(b), 0, e.ro, e.alloc(4), 3, 1, 0, 0)
	if e.count() != n {
		t.Fatalf("handles: %d, want %d", e.count(), n)
	}
	mustOK(t, e.write(a, []byte("abc"), e.event()), "write")
	e.want(ErrInvalidArgs, SysChannelRead, uint64(b), 0, e.alloc(3), unmapped, 3, 1, 0, 0)
	mustOK(t, e.write(a, []byte("abc")), "write")
	e.want(ErrInvalidArgs, SysChannelRead, uint64(b), 0, e.alloc(3), 0, 3, 0, e.ro, 0)
	if e.count() != n {
		t.Fatalf("handles: %d, want %d", e.count(), n)
	}
	e.want(ErrNotSupported, SysChannelRead, uint64(b), 4, 0, 0, 0, 0, 0, 0)
	e.want(ErrWrongType, SysChannelRead, uint64(e.event()), 0, 0, 0, 0, 0, 0, 0)
	e.want(ErrAccessDenied, SysChannelRead, uint64(e.restrict(b, RightWrite)), 0, 0, 0, 0, 0, 0, 0)
}

func TestChannelWriteConsumesHandles(t *testing.T) {
	e := newEnv(t)
	a, _ := e.channel()
	cases := []struct {
		name     string
		st       Status
		consumed bool
		call     func(ev HandleValue) Status
	}{
		{"bad options", ErrInvalidArgs, true, func(ev HandleValue) Status {
			return e.sys(SysChannelWrite, uint64(a), 8, e.put([]byte("x")), 1, e.put(handles(ev)), 1)
		}},
		{"not a channel", ErrWrongType, true, func(ev HandleValue) Status {
			return e.sys(SysChannelWrite, uint64(e.event()), 0, e.put([]byte("x")), 1, e.put(handles(ev)), 1)
		}},
		{"too many bytes", ErrOutOfRange, true, func(ev HandleValue) Status {
			return e.sys(SysChannelWrite, uint64(a), 0, e.scratch, ChannelMaxMsgBytes+1, e.put(handles(ev)), 1)
		}},
		{"bytes unreadable", ErrInvalidArgs, true, func(ev HandleValue) Status {
			return e.sys(SysChannelWrite, uint64(a), 0, unmapped, 1, e.put(handles(ev)), 1)
		}},
		{"own handle", ErrNotSupported, true, func(ev HandleValue) Status {
			return e.sys(SysChannelWrite, uint64(a), 0, e.put([]byte("x")), 1, e.put(handles(ev, a)), 2)
		}},
	}
	for _, tc := range cases {
		ev := e.event()
		wantStatus(t, tc.call(ev), tc.st, tc.name)
		if got := e.sys(SysHandleClose, uint64(ev)) == ErrBadHandle; got != tc.consumed {
			t.Fatalf("%s: consumed %v", tc.name, got)
		}
		if tc.name == "own handle" {
			a, _ = e.channel()
		}
	}

	// More than ZX_CHANNEL_MAX_MSG_HANDLES: OUT_OF_RANGE, all consumed.
	var many []HandleValue
	for range ChannelMaxMsgHandles + 5 {
		many = append(many, e.event())
	}
	n := e.count()
	e.want(ErrOutOfRange, SysChannelWrite, uint64(a), 0, 0, 0, e.put(handles(many...)), uint64(len(many)))
	if e.count() != n-len(many) {
		t.Fatalf("handles: %d, want %d", e.count(), n-len(many))
	}
	// An unreadable handle array consumes nothing.
	e.want(ErrInvalidArgs, SysChannelWrite, uint64(a), 0, 0, 0, unmapped, 1)
}

func TestChannelWriteIOVec(t *testing.T) {
	e := newEnv(t)
	a, b := e.channel()
	p1, p2 := e.put([]byte("hello, ")), e.put([]byte("iovec"))
	vec := make([]byte, 2*iovecSize)
	binary.LittleEndian.PutUint64(vec[0:], p1)
	binary.LittleEndian.PutUint32(vec[8:], 7)
	binary.LittleEndian.PutUint64(vec[16:], p2)
	binary.LittleEndian.PutUint32(vec[24:], 5)
	e.ok(SysChannelWrite, uint64(a), uint64(ChannelWriteUseIOVec), e.put(vec), 2, 0, 0)
	st, data, _, _, _ := e.read(b, 64, 0)
	mustOK(t, st, "read")
	if string(data) != "hello, iovec" {
		t.Fatalf("read %q", data)
	}
	binary.LittleEndian.PutUint32(vec[12:], 1) // reserved
	e.want(ErrInvalidArgs, SysChannelWrite, uint64(a), uint64(ChannelWriteUseIOVec), e.put(vec), 2, 0, 0)
	binary.LittleEndian.PutUint32(vec[12:], 0)
	binary.LittleEndian.PutUint32(vec[24:], ChannelMaxMsgBytes)
	e.want(ErrOutOfRange, SysChannelWrite, uint64(a), uint64(ChannelWriteUseIOVec), e.put(vec), 2, 0, 0)
}

func disposition(op HandleOp, v HandleValue, typ ObjType, rights Rights) []byte {
	b := HandleDisposition{Operation: op, Handle: v, Type: typ, Rights: rights}.Marshal()
	return b[:]
}

func TestChannelWriteEtcReadEtc(t *testing.T) {
	e := newEnv(t)
	a, b := e.channel()
	ev, other := e.event(), e.event()
	ds := append(disposition(HandleOpDuplicate, ev, TypeEvent, RightWait|RightTransfer),
		disposition(HandleOpMove, other, TypeNone, RightSameRights)...)
	dp := e.put(ds)
	e.ok(SysChannelWriteEtc, uint64(a), 0, e.put([]byte("etc")), 3, dp, 2)
	e.ok(SysHandleClose, uint64(ev))                    // duplicated: still ours
	e.want(ErrBadHandle, SysHandleClose, uint64(other)) // moved

	buf, infos, ab := e.alloc(8), e.alloc(2*HandleInfoSize), e.alloc(8)
	e.ok(SysChannelReadEtc, uint64(b), 0, buf, infos, 8, 2, ab, ab+4)
	if e.u32(ab) != 3 || e.u32(ab+4) != 2 {
		t.Fatal("actual sizes")
	}
	if typ, r := ObjType(e.u32(infos+4)), Rights(e.u32(infos+8)); typ != TypeEvent || r != RightWait|RightTransfer {
		t.Fatalf("info[0]: %v %v", typ, r)
	}
	if e.basic(e.hv(infos)).Rights != RightWait|RightTransfer {
		t.Fatal("received handle rights")
	}

	// A failing disposition has its result written back.
	ev = e.event()
	dp = e.put(disposition(HandleOpMove, ev, TypeChannel, RightSameRights))
	e.want(ErrWrongType, SysChannelWriteEtc, uint64(a), 0, 0, 0, dp, 1)
	if Status(int32(e.u32(dp+16))) != ErrWrongType {
		t.Fatalf("result %v", Status(int32(e.u32(dp+16))))
	}
	e.want(ErrBadHandle, SysHandleClose, uint64(ev))
	// A failing write keeps DUPLICATE sources.
	ev = e.event()
	e.want(ErrInvalidArgs, SysChannelWriteEtc, uint64(a), 0, unmapped, 1, e.put(disposition(HandleOpDuplicate, ev, TypeNone, RightSameRights)), 1)
	e.ok(SysHandleClose, uint64(ev))
}

// A server thread answers a zx_channel_call.
func TestChannelCall(t *testing.T) {
	e := newEnv(t)
	client, server := e.channel()
	// The server: wait for the request, answer with its txid and the
	// request's bytes doubled, sending back an event.
	e.thread(func(c *Context) {
		if Call(c, SysObjectWaitOne, uint64(server), uint64(ChannelReadable), infinite(), 0) != 0 {
			return
		}
		buf, ab := e.alloc(64), e.alloc(8)
		if Call(c, SysChannelRead, uint64(server), 0, buf, 0, 64, 0, ab, ab+4) != 0 {
			return
		}
		req := e.peek(buf, uint64(e.u32(ab)))
		reply := append(append([]byte{}, req...), req[4:]...)
		out := e.alloc(4)
		Call(c, SysEventCreate, 0, out)
		Call(c, SysChannelWrite, uint64(server), 0, e.put(reply), uint64(len(reply)), e.put(handles(e.hv(out))), 1)
	})
	req := []byte{0, 0, 0, 0, 'p', 'i', 'n', 'g'}
	rd, rh, ab := e.alloc(64), e.alloc(16), e.alloc(8)
	args := make([]byte, callArgsSize)
	le := binary.LittleEndian
	le.PutUint64(args[0:], e.put(req))
	le.PutUint64(args[16:], rd)
	le.PutUint64(args[24:], rh)
	le.PutUint32(args[32:], uint32(len(req)))
	le.PutUint32(args[40:], 64)
	le.PutUint32(args[44:], 4)
	e.ok(SysChannelCallNoRetry, uint64(client), 0, after(10e9), e.put(args), ab, ab+4)
	if e.u32(ab) != 12 || e.u32(ab+4) != 1 {
		t.Fatalf("actual %d %d", e.u32(ab), e.u32(ab+4))
	}
	got := e.peek(rd, 12)
	if le.Uint32(got) < 0x80000000 || string(got[4:]) != "pingping" {
		t.Fatalf("reply % x", got)
	}
	if e.basic(e.hv(rh)).Type != TypeEvent {
		t.Fatal("reply handle")
	}

	// No answer: TIMED_OUT. A request shorter than a txid: INVALID_ARGS.
	e.want(ErrTimedOut, SysChannelCallNoRetry, uint64(client), 0, after(1e6), e.put(args), ab, ab+4)
	le.PutUint32(args[32:], 3)
	e.want(ErrInvalidArgs, SysChannelCallNoRetry, uint64(client), 0, after(1e6), e.put(args), ab, ab+4)
	e.want(ErrInvalidArgs, SysChannelCallNoRetry, uint64(client), 0, 0, unmapped, ab, ab+4)
	e.want(ErrAccessDenied, SysChannelCallNoRetry, uint64(e.restrict(client, RightWrite)), 0, 0, e.put(args), ab, ab+4)
	e.want(ErrBadState, SysChannelCallFinish, 0, e.put(args), ab, ab+4)
	e.want(ErrBadState, SysChannelCallEtcFinish, 0, e.put(args), ab, ab+4)
}

func TestChannelCallKilled(t *testing.T) {
	e := newEnv(t)
	client, _ := e.channel()
	args := make([]byte, callArgsSize)
	binary.LittleEndian.PutUint64(args[0:], e.put([]byte("txid")))
	binary.LittleEndian.PutUint32(args[32:], 4)
	ap := e.put(args)
	var st Status
	th, done := e.thread(func(c *Context) {
		st = Status(int32(Call(c, SysChannelCallEtcNoRetry, uint64(client), 0, infinite(), ap, 0, 0)))
	})
	obj, _, _ := GetObject[*Channel](e.self.Handles(), client, 0)
	eventually(t, "call", func() bool { return obj.CallingCount() == 1 })
	e.ok(SysTaskKill, uint64(th))
	await(t, done)
	wantStatus(t, st, ErrInternalIntrKilled, "channel_call")
}

func TestChannelCreate(t *testing.T) {
	e := newEnv(t)
	out := e.alloc(8)
	e.want(ErrInvalidArgs, SysChannelCreate, 1, out, out+4)
	n := e.count()
	e.want(ErrInvalidArgs, SysChannelCreate, 0, out, e.ro)
	if e.count() != n {
		t.Fatal("handles left behind")
	}
	a, b := e.channel()
	if e.basic(a).Rights != DefaultChannelRights || e.basic(a).RelatedKoid != e.basic(b).Koid {
		t.Fatal("channel handles")
	}
}
