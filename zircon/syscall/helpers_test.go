package syscall

import (
	"encoding/binary"
	"testing"
	"time"

	"quartz/hal"
	"quartz/kernel/mm"
	. "quartz/zircon/object"
)

// The tests make syscalls as a Zircon program would: through Dispatch,
// with pointers into the calling process's address space. The process
// (self) runs in a job of its own under a root job; a thread that waits
// to be killed keeps it started, so that further threads can run
// syscalls of their own (the blocking ones, and those killing ends).
// User memory is a read-write region (scratch), a read-only page and
// addresses nothing is mapped at.

const (
	scratchPages = 128
	// unmapped is below the user address range: nothing is ever there.
	unmapped = 0x1000
)

type env struct {
	t     testing.TB
	root  *Job
	job   *Job
	self  *Process
	c     *Context    // self's calls, made outside any thread
	jobV  HandleValue // zx_job_default()
	vmarV HandleValue // zx_vmar_root_self()

	scratch uint64 // read-write user memory
	next    uint64 // bump allocator in scratch
	ro      uint64 // a read-only page
}

func newEnv(t testing.TB) *env {
	t.Helper()
	mem, err := hal.NewPhysMem(64 << 20)
	if err != nil {
		t.Fatal(err)
	}
	root := NewRootJob(&Env{Frames: mm.NewFrames(mem)})
	job, st := root.CreateChild(0)
	mustOK(t, st, "job")
	self, vmar, st := job.CreateProcess("self", 0)
	mustOK(t, st, "process")
	e := &env{t: t, root: root, job: job, self: self, c: &Context{Process: self}}
	e.jobV, _ = self.AddHandle(job, DefaultJobRights)
	e.vmarV, _ = self.AddHandle(vmar, vmar.DefaultRights())
	t.Cleanup(func() {
		root.Kill(TaskRetcodeSyscallKill)
		h := NewHandle(root, DefaultJobRights)
		WaitOne(h, TaskTerminated, DeadlineAfter(Duration(10*time.Second)), nil)
		h.Close()
		mem.Close()
	})

	keeper, st := self.CreateThread("keeper", 0)
	mustOK(t, st, "keeper thread")
	mustOK(t, self.Start(keeper, ThreadEntry{PC: UserAspaceBase}, nil), "process start")

	e.scratch = e.mapNew(scratchPages*PageSize, VmPermRead|VmPermWrite)
	e.next = e.scratch
	e.ro = e.mapNew(PageSize, VmPermRead)
	return e
}

// mapNew maps a new VMO of size bytes with the given permissions.
func (e *env) mapNew(size uint64, perms uint32) uint64 {
	e.t.Helper()
	v, st := VmoCreate(e.self, size, 0)
	mustOK(e.t, st, "vmo_create")
	addr, st := VmarMap(e.self, e.vmarV, perms, 0, v, 0, size)
	mustOK(e.t, st, "vmar_map")
	mustOK(e.t, e.self.Handles().Close(v), "close")
	return addr
}

// alloc returns n bytes of fresh scratch memory, 8-byte aligned.
func (e *env) alloc(n uint64) uint64 {
	e.t.Helper()
	a := e.next
	e.next += (n + 7) &^ 7
	if e.next > e.scratch+scratchPages*PageSize {
		e.t.Fatal("scratch memory exhausted")
	}
	return a
}

// put copies b to a fresh scratch buffer and returns its address.
func (e *env) put(b []byte) uint64 {
	a := e.alloc(uint64(len(b)))
	e.poke(a, b)
	return a
}

func (e *env) poke(addr uint64, b []byte) {
	e.t.Helper()
	if _, err := e.self.Space().Access(addr, b, true, true); err != nil {
		e.t.Fatalf("poke %#x: %v", addr, err)
	}
}

func (e *env) peek(addr, n uint64) []byte {
	e.t.Helper()
	b := make([]byte, n)
	if _, err := e.self.Space().Access(addr, b, false, true); err != nil {
		e.t.Fatalf("peek %#x: %v", addr, err)
	}
	return b
}

func (e *env) u32(addr uint64) uint32 { return binary.LittleEndian.Uint32(e.peek(addr, 4)) }
func (e *env) u64(addr uint64) uint64 { return binary.LittleEndian.Uint64(e.peek(addr, 8)) }

func (e *env) setU32(addr uint64, v uint32) {
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], v)
	e.poke(addr, b[:])
}

func (e *env) setU64(addr uint64, v uint64) {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], v)
	e.poke(addr, b[:])
}

// hv reads a handle value the kernel wrote.
func (e *env) hv(addr uint64) HandleValue { return HandleValue(e.u32(addr)) }

// sys makes a syscall as self and returns its status.
func (e *env) sys(n Num, a ...uint64) Status { return Status(int32(Call(e.c, n, a...))) }

// want makes a syscall and checks its status.
func (e *env) want(st Status, n Num, a ...uint64) {
	e.t.Helper()
	if got := e.sys(n, a...); got != st {
		e.t.Fatalf("%s: got %v, want %v", Name(n), got, st)
	}
}

func (e *env) ok(n Num, a ...uint64) { e.t.Helper(); e.want(OK, n, a...) }

// create1 makes a syscall whose last argument is an out handle and
// returns the handle.
func (e *env) create1(n Num, a ...uint64) HandleValue {
	e.t.Helper()
	out := e.alloc(4)
	e.ok(n, append(a, out)...)
	return e.hv(out)
}

// create2 is create1 for the two ends of a pair.
func (e *env) create2(n Num, a ...uint64) (HandleValue, HandleValue) {
	e.t.Helper()
	out := e.alloc(8)
	e.ok(n, append(a, out, out+4)...)
	return e.hv(out), e.hv(out + 4)
}

func (e *env) event() HandleValue { return e.create1(SysEventCreate, 0) }

func (e *env) channel() (HandleValue, HandleValue) { return e.create2(SysChannelCreate, 0) }

// restrict replaces a handle with one of the given rights.
func (e *env) restrict(v HandleValue, rights Rights) HandleValue {
	e.t.Helper()
	return e.create1(SysHandleReplace, uint64(v), uint64(rights))
}

// dup duplicates a handle with the same rights.
func (e *env) dup(v HandleValue) HandleValue {
	e.t.Helper()
	return e.create1(SysHandleDuplicate, uint64(v), uint64(RightSameRights))
}

func (e *env) count() int { return e.self.Handles().Count() }

// basic is ZX_INFO_HANDLE_BASIC of a handle, read through get_info.
func (e *env) basic(v HandleValue) HandleBasicInfo {
	e.t.Helper()
	buf := e.alloc(HandleBasicInfoSize)
	e.ok(SysObjectGetInfo, uint64(v), uint64(InfoHandleBasic), buf, HandleBasicInfoSize, 0, 0)
	b := e.peek(buf, HandleBasicInfoSize)
	return HandleBasicInfo{
		Koid:        Koid(binary.LittleEndian.Uint64(b[0:])),
		Rights:      Rights(binary.LittleEndian.Uint32(b[8:])),
		Type:        ObjType(binary.LittleEndian.Uint32(b[12:])),
		RelatedKoid: Koid(binary.LittleEndian.Uint64(b[16:])),
	}
}

// signals is the object's signal state, through a zero-deadline wait.
func (e *env) signals(v HandleValue) Signals {
	e.t.Helper()
	out := e.alloc(4)
	e.want(ErrTimedOut, SysObjectWaitOne, uint64(v), 0, 0, out)
	return Signals(e.u32(out))
}

// thread runs body on a new thread of self, with that thread's Context,
// and returns the thread's handle and a channel that receives the
// thread's Context when body has returned.
func (e *env) thread(body func(c *Context)) (HandleValue, <-chan *Context) {
	e.t.Helper()
	th, st := e.self.CreateThread("worker", 0)
	mustOK(e.t, st, "thread")
	done := make(chan *Context, 1)
	th.SetRunner(func(t *Thread, _ ThreadEntry) {
		c := NewContext(t)
		body(c)
		done <- c
	})
	v, st := e.self.AddHandle(th, DefaultThreadRights)
	mustOK(e.t, st, "add thread")
	mustOK(e.t, th.Start(ThreadEntry{PC: UserAspaceBase}), "thread start")
	return v, done
}

// await receives from a thread's done channel, failing after 10 s.
func await[T any](t testing.TB, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Second):
		t.Fatal("timed out")
	}
	panic("unreachable")
}

// eventually polls cond for up to 10 s: tests may poll, the kernel may not.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func mustOK(t testing.TB, st Status, what string) {
	t.Helper()
	if st != OK {
		t.Fatalf("%s: %v", what, st)
	}
}

func wantStatus(t testing.TB, got, want Status, what string) {
	t.Helper()
	if got != want {
		t.Fatalf("%s: got %v, want %v", what, got, want)
	}
}

func le32(vs ...uint32) []byte {
	b := make([]byte, 4*len(vs))
	for i, v := range vs {
		binary.LittleEndian.PutUint32(b[4*i:], v)
	}
	return b
}

func le64(vs ...uint64) []byte {
	b := make([]byte, 8*len(vs))
	for i, v := range vs {
		binary.LittleEndian.PutUint64(b[8*i:], v)
	}
	return b
}

func handles(vs ...HandleValue) []byte {
	b := make([]byte, 4*len(vs))
	for i, v := range vs {
		binary.LittleEndian.PutUint32(b[4*i:], uint32(v))
	}
	return b
}

func infinite() uint64 { return uint64(TimeInfinite) }

func after(d time.Duration) uint64 { return uint64(DeadlineAfter(Duration(d))) }
