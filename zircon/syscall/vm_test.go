package syscall

import (
	"bytes"
	"testing"

	. "quartz/zircon/object"
)

func TestVMOReadWrite(t *testing.T) {
	e := newEnv(t)
	v := e.create1(SysVMOCreate, 3*PageSize, 0)
	data := bytes.Repeat([]byte("0123456789"), 1000)
	e.ok(SysVMOWrite, uint64(v), e.put(data), 100, uint64(len(data)))
	out := e.alloc(uint64(len(data)))
	e.ok(SysVMORead, uint64(v), out, 100, uint64(len(data)))
	if !bytes.Equal(e.peek(out, uint64(len(data))), data) {
		t.Fatal("read back differs")
	}
	e.want(ErrOutOfRange, SysVMORead, uint64(v), out, 3*PageSize-10, 11)
	e.want(ErrInvalidArgs, SysVMORead, uint64(v), e.ro, 0, 16)
	e.want(ErrInvalidArgs, SysVMOWrite, uint64(v), unmapped, 0, 16)
	e.want(ErrWrongType, SysVMORead, uint64(e.event()), out, 0, 1)
	e.want(ErrAccessDenied, SysVMOWrite, uint64(e.restrict(e.dup(v), RightRead|RightDuplicate)), out, 0, 1)
	e.want(ErrBadHandle, SysVMORead, 0x2468, out, 0, 1)
}

func TestVMOSizeAndChild(t *testing.T) {
	e := newEnv(t)
	out := e.alloc(8)
	e.want(ErrInvalidArgs, SysVMOCreate, PageSize, 1<<7, out)
	e.want(ErrOutOfRange, SysVMOCreate, ^uint64(0), 0, out)
	n := e.count()
	e.want(ErrInvalidArgs, SysVMOCreate, PageSize, 0, e.ro)
	if e.count() != n {
		t.Fatal("handle left behind")
	}

	v := e.create1(SysVMOCreate, 100, uint64(VmoResizable))
	e.ok(SysVMOGetSize, uint64(v), out)
	if e.u64(out) != PageSize {
		t.Fatalf("size %d", e.u64(out))
	}
	e.want(ErrInvalidArgs, SysVMOGetSize, uint64(v), e.ro)
	e.ok(SysVMOSetSize, uint64(v), 5*PageSize)
	e.ok(SysVMOGetSize, uint64(v), out)
	if e.u64(out) != 5*PageSize {
		t.Fatalf("size %d", e.u64(out))
	}
	fixed := e.create1(SysVMOCreate, PageSize, 0)
	e.want(ErrUnavailable, SysVMOSetSize, uint64(fixed), 2*PageSize)

	e.ok(SysVMOWrite, uint64(fixed), e.put([]byte("parent")), 0, 6)
	child := e.create1(SysVMOCreateChild, uint64(fixed), uint64(VmoChildSnapshot), 0, PageSize)
	e.ok(SysVMOWrite, uint64(child), e.put([]byte("CHILD!")), 0, 6)
	e.ok(SysVMORead, uint64(fixed), out, 0, 6)
	if string(e.peek(out, 6)) != "parent" {
		t.Fatal("snapshot wrote through")
	}
	e.want(ErrInvalidArgs, SysVMOCreateChild, uint64(fixed), 0, 0, PageSize, out)
	e.want(ErrInvalidArgs, SysVMOCreateChild, uint64(fixed), uint64(VmoChildSnapshot), 1, PageSize, out)

	e.ok(SysVMOOpRange, uint64(fixed), uint64(VmoOpCommit), 0, PageSize, 0, 0)
	e.ok(SysVMOOpRange, uint64(fixed), uint64(VmoOpZero), 0, 6, 0, 0)
	e.want(ErrInvalidArgs, SysVMOOpRange, uint64(fixed), 99, 0, PageSize, 0, 0)
	e.want(ErrBadState, SysVMOSetCachePolicy, uint64(fixed), uint64(CachePolicyUncached))
	fresh := e.create1(SysVMOCreate, PageSize, 0)
	e.ok(SysVMOSetCachePolicy, uint64(fresh), uint64(CachePolicyUncached))
	e.want(ErrBadState, SysVMORead, uint64(fresh), out, 0, 1)
	e.want(ErrInvalidArgs, SysVMOSetCachePolicy, uint64(fresh), 7)

	x := e.create1(SysVMOReplaceAsExecutable, uint64(fresh), 0)
	if e.basic(x).Rights&RightExecute == 0 {
		t.Fatal("not executable")
	}
}

func TestVMARMapProtectUnmap(t *testing.T) {
	e := newEnv(t)
	v := e.create1(SysVMOCreate, 4*PageSize, 0)
	out := e.alloc(16)
	e.ok(SysVMARAllocate, uint64(e.vmarV), uint64(VmCanMapRead|VmCanMapWrite|VmCanMapSpecific), 0, 16*PageSize, out, out+8)
	sub, base := e.hv(out), e.u64(out+8)
	if base == 0 || e.basic(sub).Type != TypeVMAR {
		t.Fatal("allocate")
	}
	addr := e.alloc(8)
	e.ok(SysVMARMap, uint64(sub), uint64(VmPermRead|VmPermWrite|VmSpecific), 4*PageSize, uint64(v), 0, 2*PageSize, addr)
	m := e.u64(addr)
	if m != base+4*PageSize {
		t.Fatalf("mapped at %#x, want %#x", m, base+4*PageSize)
	}
	// Guest stores land in the VMO.
	e.poke(m+10, []byte("mapped"))
	buf := e.alloc(8)
	e.ok(SysVMORead, uint64(v), buf, 10, 6)
	if string(e.peek(buf, 6)) != "mapped" {
		t.Fatal("mapping does not show the VMO")
	}
	// vmo_read straight into the mapping.
	e.ok(SysVMORead, uint64(v), m+100, 10, 6)
	if string(e.peek(m+100, 6)) != "mapped" {
		t.Fatal("vmo_read into mapped memory")
	}

	e.ok(SysVMARProtect, uint64(sub), uint64(VmPermRead), m, PageSize)
	e.want(ErrInvalidArgs, SysVMORead, uint64(v), m, 0, 1) // read-only now
	e.want(ErrAccessDenied, SysVMARProtect, uint64(sub), uint64(VmPermRead|VmPermExecute), m, PageSize)
	e.want(ErrInvalidArgs, SysVMARProtect, uint64(sub), uint64(VmPermWrite), m, PageSize)
	e.ok(SysVMARUnmap, uint64(sub), m, 2*PageSize)
	e.want(ErrInvalidArgs, SysVMORead, uint64(v), m+PageSize, 0, 1)

	// A mapped_addr that cannot be written: the mapping is undone.
	e.want(ErrInvalidArgs, SysVMARMap, uint64(sub), uint64(VmPermRead|VmSpecific), 0, uint64(v), 0, PageSize, e.ro)
	e.ok(SysVMARMap, uint64(sub), uint64(VmPermRead|VmSpecific), 0, uint64(v), 0, PageSize, addr)

	e.want(ErrAccessDenied, SysVMARMap, uint64(sub), uint64(VmPermExecute|VmPermRead), 0, uint64(v), 0, PageSize, addr)
	e.want(ErrWrongType, SysVMARMap, uint64(v), uint64(VmPermRead), 0, uint64(v), 0, PageSize, addr)
	e.want(ErrBadHandle, SysVMARMap, uint64(sub), uint64(VmPermRead), 0, 0x7531, 0, PageSize, addr)

	e.ok(SysVMARDestroy, uint64(sub))
	e.want(ErrBadState, SysVMARMap, uint64(sub), uint64(VmPermRead), 0, uint64(v), 0, PageSize, addr)
	e.want(ErrNotSupported, SysVMARDestroy, uint64(e.vmarV))

	// Allocation results that cannot be written: the handle is closed.
	n := e.count()
	e.want(ErrInvalidArgs, SysVMARAllocate, uint64(e.vmarV), uint64(VmCanMapRead), 0, PageSize, unmapped, out+8)
	e.want(ErrInvalidArgs, SysVMARAllocate, uint64(e.vmarV), uint64(VmCanMapRead), 0, PageSize, out, e.ro)
	if e.count() != n {
		t.Fatal("handle left behind")
	}
}

// vmar_unmap_handle_close_thread_exit: a thread unmaps its own stack.
func TestVMARUnmapHandleCloseThreadExit(t *testing.T) {
	e := newEnv(t)
	stack := e.mapNew(PageSize, VmPermRead|VmPermWrite)
	ev := e.event()
	e.want(ErrInvalidArgs, SysVMARUnmapHandleCloseThreadExit, uint64(e.vmarV), stack+1, PageSize, uint64(ev))
	th, done := e.thread(func(c *Context) {
		Call(c, SysVMARUnmapHandleCloseThreadExit, uint64(e.vmarV), stack, PageSize, uint64(ev))
	})
	if c := await(t, done); !c.Exit {
		t.Fatal("Exit not set")
	}
	e.want(ErrBadHandle, SysHandleClose, uint64(ev))
	if e.self.Space().Mapped(stack) {
		t.Fatal("stack still mapped")
	}
	e.ok(SysObjectWaitOne, uint64(th), uint64(ThreadTerminated), after(10e9), 0)
}
