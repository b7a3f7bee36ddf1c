package syscall

import (
	"bytes"
	"encoding/binary"
	"runtime"
	"testing"

	"golang.org/x/sys/unix"

	. "quartz/zircon/object"
)

func TestDebuglog(t *testing.T) {
	e := newEnv(t)
	out := e.alloc(4)
	e.want(ErrInvalidArgs, SysDebuglogCreate, 0, 1, out)
	e.want(ErrBadHandle, SysDebuglogCreate, 0x4242, 0, out)
	e.want(ErrWrongType, SysDebuglogCreate, uint64(e.event()), 0, out)
	reader := e.create1(SysDebuglogCreate, 0, uint64(LogFlagReadable))
	writer := e.create1(SysDebuglogCreate, 0, 0)

	// Skip what the log already holds.
	buf := e.alloc(LogRecordMax)
	for int64(Call(e.c, SysDebuglogRead, uint64(reader), 0, buf, LogRecordMax)) >= 0 {
	}
	msg := []byte("hello from a zircon process")
	e.ok(SysDebuglogWrite, uint64(writer), 0, e.put(msg), uint64(len(msg)))
	n := int64(Call(e.c, SysDebuglogRead, uint64(reader), 0, buf, LogRecordMax))
	if n != int64(LogRecordHeader+len(msg)) {
		t.Fatalf("read returned %d", n)
	}
	rec := e.peek(buf, uint64(n))
	if !bytes.Equal(rec[LogRecordHeader:], msg) || Koid(binary.LittleEndian.Uint64(rec[24:])) != e.self.Koid() {
		t.Fatalf("record % x", rec)
	}
	e.want(ErrShouldWait, SysDebuglogRead, uint64(reader), 0, buf, LogRecordMax)
	e.want(ErrAccessDenied, SysDebuglogRead, uint64(writer), 0, buf, LogRecordMax)
	e.want(ErrInvalidArgs, SysDebuglogWrite, uint64(writer), 1, e.put(msg), 1)
	e.want(ErrInvalidArgs, SysDebuglogWrite, uint64(writer), 0, unmapped, 4)
	e.ok(SysDebuglogWrite, uint64(writer), 0, e.put(msg), uint64(len(msg)))
	e.want(ErrInvalidArgs, SysDebuglogRead, uint64(reader), 0, e.ro, LogRecordMax)
}

func TestCPRNG(t *testing.T) {
	e := newEnv(t)
	buf := e.alloc(cprngDrawMax)
	e.ok(SysCPRNGDrawOnce, buf, cprngDrawMax)
	if bytes.Equal(e.peek(buf, 32), make([]byte, 32)) {
		t.Fatal("no randomness")
	}
	e.want(ErrInvalidArgs, SysCPRNGDrawOnce, buf, cprngDrawMax+1)
	e.want(ErrInvalidArgs, SysCPRNGDrawOnce, e.ro, 8)
	e.ok(SysCPRNGAddEntropy, buf, 16)
	e.want(ErrInvalidArgs, SysCPRNGAddEntropy, unmapped, 16)
}

func TestSystemProperties(t *testing.T) {
	e := newEnv(t)
	if Call(e.c, SysSystemGetPageSize) != PageSize {
		t.Fatal("page size")
	}
	if Call(e.c, SysSystemGetNumCPUs) != uint64(runtime.NumCPU()) {
		t.Fatal("CPUs")
	}
	if Call(e.c, SysSystemGetPhysmem) != 64<<20 {
		t.Fatal("physmem")
	}
	if Call(e.c, SysSystemGetDcacheLineSize) != 64 {
		t.Fatal("cache line")
	}
}

// fakeMem is user memory made of pages in a map: what a test hands a
// Context instead of an address space. '-' pages refuse every access,
// 'r' pages writes.
type fakeMem struct {
	pages map[uint64][]byte
	modes map[uint64]byte
}

func newFakeMem(base uint64, layout string) *fakeMem {
	m := &fakeMem{pages: map[uint64][]byte{}, modes: map[uint64]byte{}}
	for i, c := range layout {
		a := base + uint64(i)*PageSize
		m.pages[a] = make([]byte, PageSize)
		m.modes[a] = byte(c)
	}
	return m
}

func (m *fakeMem) Pin(addr, n uint64, write bool) ([]byte, func(), error) {
	pa := addr &^ (PageSize - 1)
	p, mode := m.pages[pa], m.modes[pa]
	if p == nil || mode == '-' || write && mode == 'r' {
		return nil, nil, unix.EFAULT
	}
	off := addr - pa
	return p[off:min(PageSize, off+n)], func() {}, nil
}

// A Context may be given any Memory: here a VMO's bytes cross a page
// boundary of a fake address space, and stop at a page it may not write.
func TestFakeMemory(t *testing.T) {
	e := newEnv(t)
	const base = 0x10000
	m := newFakeMem(base, "ww-r")
	c := &Context{Process: e.self, Mem: m}
	v := e.create1(SysVMOCreate, 4*PageSize, 0)
	msg := []byte("across the page boundary")
	at := uint64(base + PageSize - 10)
	copy(m.pages[base][PageSize-10:], msg[:10])
	copy(m.pages[base+PageSize], msg[10:])
	if st := Status(int32(Call(c, SysVMOWrite, uint64(v), at, 0, uint64(len(msg))))); st != OK {
		t.Fatalf("vmo_write: %v", st)
	}
	got := make([]byte, len(msg))
	obj, _, _ := GetObject[*VMO](e.self.Handles(), v, 0)
	obj.ReadAt(got, 0)
	if !bytes.Equal(got, msg) {
		t.Fatalf("VMO holds %q", got)
	}
	for _, tc := range []struct {
		addr uint64
		n    Num
	}{
		{base + 2*PageSize, SysVMORead},      // inaccessible
		{base + 3*PageSize, SysVMORead},      // read-only
		{base + 2*PageSize - 4, SysVMORead},  // runs into the inaccessible page
		{base + 2*PageSize - 4, SysVMOWrite}, // likewise
	} {
		if st := Status(int32(Call(c, tc.n, uint64(v), tc.addr, 0, 16))); st != ErrInvalidArgs {
			t.Errorf("%s at %#x: %v", Name(tc.n), tc.addr, st)
		}
	}
	if st := Status(int32(Call(c, SysVMOWrite, uint64(v), base+3*PageSize, 0, 16))); st != OK {
		t.Fatalf("vmo_write from a read-only page: %v", st)
	}
}
