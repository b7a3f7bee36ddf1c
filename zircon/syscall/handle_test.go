package syscall

import (
	"testing"

	. "quartz/zircon/object"
)

func TestHandleClose(t *testing.T) {
	e := newEnv(t)
	ev := e.event()
	e.ok(SysHandleClose, uint64(HandleInvalid))
	e.ok(SysHandleClose, uint64(ev))
	e.want(ErrBadHandle, SysHandleClose, uint64(ev))
	e.want(ErrBadHandle, SysObjectSignal, uint64(ev), 0, uint64(UserSignal0))
}

func TestHandleCloseMany(t *testing.T) {
	e := newEnv(t)
	a, b, c := e.event(), e.event(), e.event()
	n := e.count()
	e.ok(SysHandleCloseMany, e.put(handles(a, HandleInvalid, b)), 3)
	if e.count() != n-2 {
		t.Fatalf("handles: %d, want %d", e.count(), n-2)
	}
	// A value that is not a handle: the others are closed anyway.
	e.want(ErrBadHandle, SysHandleCloseMany, e.put(handles(a, c)), 2)
	e.want(ErrBadHandle, SysHandleClose, uint64(c))
	// An array that cannot be read.
	e.want(ErrInvalidArgs, SysHandleCloseMany, unmapped, 1)
	e.ok(SysHandleCloseMany, unmapped, 0)
}

func TestHandleCloseManyChunks(t *testing.T) {
	e := newEnv(t)
	var vs []HandleValue
	for range 150 {
		vs = append(vs, e.event())
	}
	n := e.count()
	e.ok(SysHandleCloseMany, e.put(handles(vs...)), uint64(len(vs)))
	if e.count() != n-150 {
		t.Fatalf("handles: %d, want %d", e.count(), n-150)
	}
}

func TestHandleDuplicate(t *testing.T) {
	e := newEnv(t)
	ev := e.event()
	d := e.create1(SysHandleDuplicate, uint64(ev), uint64(RightSameRights))
	if e.basic(d).Rights != DefaultEventRights || e.basic(d).Koid != e.basic(ev).Koid {
		t.Fatal("duplicate: wrong rights or object")
	}
	r := e.create1(SysHandleDuplicate, uint64(ev), uint64(RightWait|RightDuplicate))
	if e.basic(r).Rights != RightWait|RightDuplicate {
		t.Fatalf("rights %v", e.basic(r).Rights)
	}

	out := e.alloc(4)
	e.want(ErrInvalidArgs, SysHandleDuplicate, uint64(r), uint64(RightSignal), out)
	e.want(ErrAccessDenied, SysHandleDuplicate, uint64(e.restrict(r, RightWait)), uint64(RightSameRights), out)
	e.want(ErrBadHandle, SysHandleDuplicate, 0x1235, uint64(RightSameRights), out)

	// An out pointer that cannot be written: no handle is left behind.
	n := e.count()
	e.want(ErrInvalidArgs, SysHandleDuplicate, uint64(ev), uint64(RightSameRights), e.ro)
	e.want(ErrInvalidArgs, SysHandleDuplicate, uint64(ev), uint64(RightSameRights), unmapped)
	if e.count() != n {
		t.Fatalf("handles: %d, want %d", e.count(), n)
	}
}

func TestHandleReplace(t *testing.T) {
	e := newEnv(t)
	ev := e.event()
	r := e.create1(SysHandleReplace, uint64(ev), uint64(RightWait))
	e.want(ErrBadHandle, SysHandleClose, uint64(ev))
	if e.basic(r).Rights != RightWait {
		t.Fatalf("rights %v", e.basic(r).Rights)
	}
	// More rights than the handle has: INVALID_ARGS, and the handle is
	// gone too.
	out := e.alloc(4)
	e.want(ErrInvalidArgs, SysHandleReplace, uint64(r), uint64(RightSignal), out)
	e.want(ErrBadHandle, SysHandleClose, uint64(r))
	// A bad out pointer: both handles are gone.
	ev = e.event()
	n := e.count()
	e.want(ErrInvalidArgs, SysHandleReplace, uint64(ev), uint64(RightSameRights), unmapped)
	if e.count() != n-1 {
		t.Fatalf("handles: %d, want %d", e.count(), n-1)
	}
}

func TestHandleCheckValid(t *testing.T) {
	e := newEnv(t)
	ev := e.event()
	e.ok(SysHandleCheckValid, uint64(ev))
	e.ok(SysHandleClose, uint64(ev))
	e.want(ErrBadHandle, SysHandleCheckValid, uint64(ev))
	e.want(ErrBadHandle, SysHandleCheckValid, 0)
}

// ZX_POL_BAD_HANDLE with KILL: a syscall naming no handle kills the
// caller.
func TestBadHandlePolicyKills(t *testing.T) {
	e := newEnv(t)
	pol := e.put(le32(PolBadHandle, PolActionKill))
	child := e.create1(SysJobCreate, uint64(e.jobV), 0)
	e.ok(SysJobSetPolicy, uint64(child), uint64(JobPolRelative), uint64(JobPolBasicV1), pol, 1)
	name := e.put([]byte("victim"))
	out := e.alloc(8)
	e.ok(SysProcessCreate, uint64(child), name, 6, 0, out, out+4)
	pv := e.hv(out)
	proc, _, st := GetObject[*Process](e.self.Handles(), pv, 0)
	mustOK(t, st, "process")

	c := &Context{Process: proc}
	if st := Status(int32(Call(c, SysHandleClose, 0x1234567))); st != ErrBadHandle {
		t.Fatalf("close: %v", st)
	}
	sig := e.alloc(4)
	e.ok(SysObjectWaitOne, uint64(pv), uint64(ProcessTerminated), after(10e9), sig)
}
