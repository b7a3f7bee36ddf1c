package object

import (
	"math"
	"math/bits"
	"testing"
)

// Ports of Fuchsia's core-tests vmar/vmar.cc (Vmar). Each case creates a
// process of its own, as Fuchsia's do, and works on its root VMAR.

const (
	rwxMap   = VmPermRead | VmPermWrite | VmPermExecute
	rwxAlloc = VmCanMapRead | VmCanMapWrite | VmCanMapExecute
)

// newProc is zx_process_create in the default job.
func (e *taskEnv) newProc() (proc, vmar HandleValue) {
	e.t.Helper()
	p, v, st := ProcessCreate(e.self, e.jobV, "test-proc-vmar", 0)
	mustOK(e.t, st, "process_create")
	return p, v
}

func (e *taskEnv) allocate(parent HandleValue, options uint32, offset, size uint64) (HandleValue, uint64) {
	e.t.Helper()
	v, addr, st := VmarAllocate(e.self, parent, options, offset, size)
	mustOK(e.t, st, "vmar_allocate")
	return v, addr
}

// readable is zx_process_read_memory of one byte: OK or NO_MEMORY.
func (e *taskEnv) readable(proc HandleValue, addr uint64) Status {
	_, st := ProcessReadMemory(e.self, proc, addr, make([]byte, 1))
	return st
}

func TestVmar_DestroyTest(t *testing.T) {
	e := newTaskEnv(t)
	_, vmar := e.newProc()
	sub, _ := e.allocate(vmar, VmCanMapRead|VmCanMapWrite, 0, 1024*PageSize)
	mustOK(t, VmarDestroy(e.self, sub), "destroy")
	_, _, st := VmarAllocate(e.self, sub, VmCanMapRead|VmCanMapWrite, 0, 10*PageSize)
	wantStatus(t, st, ErrBadState, "allocate in destroyed")
	wantStatus(t, VmarDestroy(e.self, vmar), ErrNotSupported, "destroy the root")
}

func TestVmar_BasicAllocateTest(t *testing.T) {
	e := newTaskEnv(t)
	_, vmar := e.newProc()
	r1, a1 := e.allocate(vmar, VmCanMapRead|VmCanMapWrite, 0, 10*PageSize)
	_, a2 := e.allocate(r1, VmCanMapRead|VmCanMapWrite, 0, PageSize)
	if a2 < a1 || a2+PageSize > a1+10*PageSize {
		t.Fatalf("sub-region %#x outside %#x", a2, a1)
	}
}

func TestVmar_MapInCompactTest(t *testing.T) {
	e := newTaskEnv(t)
	_, vmar := e.newProc()
	vmo := e.vmo(PageSize, 0)
	r, a := e.allocate(vmar, VmCanMapRead|VmCanMapWrite|VmCompact, 0, 10*PageSize)
	for i := 0; i < 2; i++ {
		m, st := VmarMap(e.self, r, VmPermRead|VmPermWrite, 0, vmo, 0, PageSize)
		mustOK(t, st, "map")
		if m < a || m+PageSize > a+10*PageSize {
			t.Fatalf("mapping %#x outside the region", m)
		}
	}
}

func TestVmar_MapInUpperLimitTest(t *testing.T) {
	e := newTaskEnv(t)
	_, vmar := e.newProc()
	const size = 100 * PageSize
	vmo := e.vmo(size, 0)
	r, a := e.allocate(vmar, VmCanMapRead|VmCanMapWrite|VmCanMapSpecific, 0, size)
	const limit = size / 2
	opts := VmPermRead | VmPermWrite | VmOffsetIsUpperLimit
	_, st := VmarMap(e.self, r, opts, size+PageSize, vmo, 0, PageSize)
	wantStatus(t, st, ErrInvalidArgs, "limit past the region")
	_, st = VmarMap(e.self, r, opts, PageSize, vmo, 0, 2*PageSize)
	wantStatus(t, st, ErrInvalidArgs, "size over the limit")
	_, st = VmarMap(e.self, r, opts, PageSize, vmo, 0, size+PageSize)
	wantStatus(t, st, ErrInvalidArgs, "size over the region")
	m, st := VmarMap(e.self, r, opts, size, vmo, 0, size)
	mustOK(t, st, "whole region")
	if m != a {
		t.Fatalf("mapped at %#x, want %#x", m, a)
	}
	mustOK(t, VmarUnmap(e.self, r, m, size), "unmap")
	for i := 0; i < 50; i++ {
		m, st := VmarMap(e.self, r, opts, limit, vmo, 0, PageSize)
		mustOK(t, st, "map under the limit")
		if m < a || m+PageSize > a+limit {
			t.Fatalf("mapping %#x above the limit", m)
		}
	}
	_, st = VmarMap(e.self, r, opts, limit, vmo, 0, PageSize)
	wantStatus(t, st, ErrNoMemory, "below the limit is full")
	m, st = VmarMap(e.self, r, VmPermRead|VmPermWrite, 0, vmo, 0, PageSize)
	mustOK(t, st, "without the limit")
	if m < a+limit || m+PageSize > a+size {
		t.Fatalf("mapping %#x", m)
	}
}

func TestVmar_AllocateOobTest(t *testing.T) {
	e := newTaskEnv(t)
	_, vmar := e.newProc()
	r, _ := e.allocate(vmar, VmCanMapRead|VmCanMapWrite|VmCanMapSpecific, 0, 10*PageSize)
	_, _, st := VmarAllocate(e.self, r, VmCanMapRead|VmCanMapWrite|VmSpecific, 10*PageSize, PageSize)
	wantStatus(t, st, ErrInvalidArgs, "at the end")
	_, _, st = VmarAllocate(e.self, r, VmCanMapRead|VmCanMapWrite|VmSpecific, 9*PageSize, 2*PageSize)
	wantStatus(t, st, ErrInvalidArgs, "across the end")
}

func TestVmar_AllocateUnsatisfiableTest(t *testing.T) {
	e := newTaskEnv(t)
	_, vmar := e.newProc()
	r, a := e.allocate(vmar, VmCanMapRead|VmCanMapWrite|VmCanMapSpecific, 0, 10*PageSize)
	_, _, st := VmarAllocate(e.self, r, VmCanMapRead|VmCanMapWrite, 0, 11*PageSize)
	wantStatus(t, st, ErrInvalidArgs, "too large")
	_, a2 := e.allocate(r, VmCanMapRead|VmCanMapWrite, 0, 10*PageSize)
	if a2 != a {
		t.Fatalf("whole-range allocation at %#x", a2)
	}
	_, _, st = VmarAllocate(e.self, r, VmCanMapRead|VmCanMapWrite, 0, PageSize)
	wantStatus(t, st, ErrNoMemory, "full")
}

func TestVmar_DestroyedVmarTest(t *testing.T) {
	e := newTaskEnv(t)
	proc, vmar := e.newProc()
	vmo := e.vmo(PageSize, 0)
	var region [2]HandleValue
	var maps [2]uint64
	region[0], _ = e.allocate(vmar, VmCanMapRead|VmCanMapWrite, 0, 10*PageSize)
	var st Status
	maps[0], st = VmarMap(e.self, region[0], VmPermRead|VmPermWrite, 0, vmo, 0, PageSize)
	mustOK(t, st, "map")
	region[1], _ = e.allocate(region[0], VmCanMapRead|VmCanMapWrite, 0, PageSize)
	maps[1], st = VmarMap(e.self, region[1], VmPermRead|VmPermWrite, 0, vmo, 0, PageSize)
	mustOK(t, st, "map")
	_, st = ProcessWriteMemory(e.self, proc, maps[0], []byte{5})
	mustOK(t, st, "write_memory")
	b := []byte{0}
	if _, st = ProcessReadMemory(e.self, proc, maps[1], b); st != OK || b[0] != 5 {
		t.Fatalf("read_memory: %v, %d", st, b[0])
	}
	mustOK(t, VmarDestroy(e.self, region[0]), "destroy")
	for i := range region {
		_, _, st := ObjectGetInfo(e.self, region[i], InfoHandleValid, nil)
		mustOK(t, st, "handle still valid")
		wantStatus(t, e.readable(proc, maps[i]), ErrNoMemory, "read after destroy")
		wantStatus(t, VmarDestroy(e.self, region[i]), ErrBadState, "destroy")
		_, _, st = VmarAllocate(e.self, region[i], VmCanMapRead|VmCanMapWrite, 0, PageSize)
		wantStatus(t, st, ErrBadState, "allocate")
		wantStatus(t, VmarUnmap(e.self, region[i], maps[i], PageSize), ErrBadState, "unmap")
		wantStatus(t, VmarProtect(e.self, region[i], VmPermRead, maps[i], PageSize), ErrBadState, "protect")
		_, st = VmarMap(e.self, region[i], VmPermRead, 0, vmo, 0, PageSize)
		wantStatus(t, st, ErrBadState, "map")
	}
	e.allocate(vmar, VmCanMapRead|VmCanMapWrite, 0, PageSize)
}

func TestVmar_MapOverDestroyedTest(t *testing.T) {
	e := newTaskEnv(t)
	proc, vmar := e.newProc()
	vmo, vmo2 := e.vmo(PageSize, 0), e.vmo(PageSize, 0)
	r0, a0 := e.allocate(vmar, VmCanMapRead|VmCanMapWrite|VmCanMapSpecific, 0, 10*PageSize)
	r1, _ := e.allocate(r0, VmCanMapRead|VmCanMapWrite, 0, PageSize)
	m, st := VmarMap(e.self, r1, VmPermRead|VmPermWrite, 0, vmo, 0, PageSize)
	mustOK(t, st, "map")
	mustOK(t, e.vmoWrite(vmo, []byte{5}, 0), "write")
	b := []byte{0}
	if _, st := ProcessReadMemory(e.self, proc, m, b); st != OK || b[0] != 5 {
		t.Fatal("read through the mapping")
	}
	mustOK(t, VmarDestroy(e.self, r1), "destroy")
	wantStatus(t, e.readable(proc, m), ErrNoMemory, "read after destroy")
	m2, st := VmarMap(e.self, r0, VmPermRead|VmPermWrite|VmSpecific, m-a0, vmo2, 0, PageSize)
	mustOK(t, st, "map over the destroyed region")
	if m2 != m {
		t.Fatalf("mapped at %#x, want %#x", m2, m)
	}
	if _, st := ProcessReadMemory(e.self, proc, m, b); st != OK || b[0] != 0 {
		t.Fatal("the old mapping shows through")
	}
}

func TestVmar_AlignmentVmarMapTest(t *testing.T) {
	e := newTaskEnv(t)
	vmo := e.vmo(2*PageSize, 0)
	const size = 8 << 30
	base := e.self.RootVMAR().Addr()
	start := (base + size - 1) &^ (size - 1)
	r, _ := e.allocate(e.vmarV, VmCanMapRead|VmCanMapWrite|VmCanMapSpecific|VmSpecific, start-base, size)
	_, st := VmarMap(e.self, r, VmPermRead|VmPermWrite|VmAlign(16)|VmSpecific, 4096, vmo, 0, 2*PageSize)
	wantStatus(t, st, ErrInvalidArgs, "misaligned specific")
	m, st := VmarMap(e.self, r, VmPermRead|VmPermWrite|VmAlign(16)|VmSpecific, 64<<10, vmo, 0, 2*PageSize)
	mustOK(t, st, "aligned specific")
	mustOK(t, VmarUnmap(e.self, r, m, 2*PageSize), "unmap")
	for _, bad := range []uint32{9, 33} {
		_, st = VmarMap(e.self, r, VmPermRead|VmPermWrite|VmAlign(bad), 0, vmo, 0, 2*PageSize)
		wantStatus(t, st, ErrInvalidArgs, "bad alignment")
	}
	for a := uint32(10); a <= 32; a++ {
		m, st := VmarMap(e.self, r, VmPermRead|VmPermWrite|VmAlign(a), 0, vmo, 0, 2*PageSize)
		mustOK(t, st, "aligned map")
		if bits.TrailingZeros64(m) < int(a) {
			t.Fatalf("mapping %#x not aligned to 2^%d", m, a)
		}
		e.store32(m+8, 0x1234321)
		mustOK(t, VmarUnmap(e.self, r, m, 2*PageSize), "unmap")
	}
	mustOK(t, VmarDestroy(e.self, r), "destroy")
}

func TestVmar_AlignmentVmarAllocateTest(t *testing.T) {
	e := newTaskEnv(t)
	const size = 8 << 30
	base := e.self.RootVMAR().Addr()
	start := (base + size - 1) &^ (size - 1)
	r, _ := e.allocate(e.vmarV, VmCanMapRead|VmCanMapWrite|VmCanMapSpecific|VmSpecific, start-base, size)
	_, _, st := VmarAllocate(e.self, r, VmCanMapRead|VmCanMapWrite|VmAlign(16)|VmSpecific, 4096, 16*PageSize)
	wantStatus(t, st, ErrInvalidArgs, "misaligned specific")
	for a := uint32(10); a <= 32; a++ {
		c, addr := e.allocate(r, VmCanMapRead|VmCanMapWrite|VmAlign(a), 0, 16*PageSize)
		if bits.TrailingZeros64(addr) < int(a) {
			t.Fatalf("region %#x not aligned to 2^%d", addr, a)
		}
		mustOK(t, VmarDestroy(e.self, c), "destroy")
	}
}

func TestVmar_OvermappingTest(t *testing.T) {
	e := newTaskEnv(t)
	_, vmar := e.newProc()
	vmo, vmo2 := e.vmo(PageSize, 0), e.vmo(4*PageSize, 0)
	r0, a0 := e.allocate(vmar, VmCanMapRead|VmCanMapWrite|VmCanMapSpecific, 0, 10*PageSize)
	m, st := VmarMap(e.self, r0, VmPermRead|VmPermWrite|VmSpecific, PageSize, vmo, 0, 2*PageSize)
	mustOK(t, st, "map")
	over := func(off, size uint64) {
		t.Helper()
		_, st := VmarMap(e.self, r0, VmPermRead|VmPermWrite|VmSpecific, off, vmo2, 0, size)
		wantStatus(t, st, ErrNoMemory, "overmap")
		_, _, st = VmarAllocate(e.self, r0, VmCanMapRead|VmCanMapWrite|VmSpecific, off, PageSize)
		wantStatus(t, st, ErrNoMemory, "region over")
	}
	for _, n := range []uint64{2, 1, 4} {
		over(m-a0, n*PageSize)
	}
	mustOK(t, VmarUnmap(e.self, r0, m, 2*PageSize), "unmap")
	_, a1 := e.allocate(r0, VmCanMapRead|VmCanMapWrite|VmSpecific, PageSize, 2*PageSize)
	for _, n := range []uint64{2, 1, 4} {
		over(a1-a0, n*PageSize)
	}
	// SPECIFIC_OVERWRITE replaces mappings but never a region.
	_, st = VmarMap(e.self, r0, VmPermRead|VmSpecificOverwrite, a1-a0, vmo2, 0, PageSize)
	wantStatus(t, st, ErrInvalidArgs, "overwrite a region")
}

func TestVmar_InvalidArgsTest(t *testing.T) {
	e := newTaskEnv(t)
	proc, vmar := e.newProc()
	vmo := e.vmo(4*PageSize, 0)
	rw := VmPermRead | VmPermWrite
	canRW := VmCanMapRead | VmCanMapWrite

	wantStatus(t, VmarDestroy(e.self, vmo), ErrWrongType, "destroy a VMO")
	_, _, st := VmarAllocate(e.self, vmo, canRW, 0, 10*PageSize)
	wantStatus(t, st, ErrWrongType, "allocate in a VMO")
	_, st = VmarMap(e.self, vmo, rw, 0, vmo, 0, 4*PageSize)
	wantStatus(t, st, ErrWrongType, "map into a VMO")
	_, st = VmarMap(e.self, vmar, rw, 0, proc, 0, 4*PageSize)
	wantStatus(t, st, ErrWrongType, "map a process")
	wantStatus(t, VmarUnmap(e.self, vmo, 0, 0), ErrWrongType, "unmap a VMO")
	wantStatus(t, VmarProtect(e.self, vmo, VmPermRead, 0, 0), ErrWrongType, "protect a VMO")

	_, _, st = VmarAllocate(e.self, vmar, canRW, PageSize, 10*PageSize)
	wantStatus(t, st, ErrInvalidArgs, "offset without SPECIFIC")
	_, st = VmarMap(e.self, vmar, rw, PageSize, vmo, 0, 4*PageSize)
	wantStatus(t, st, ErrInvalidArgs, "offset without SPECIFIC")
	for _, spec := range []uint32{VmSpecific, VmSpecificOverwrite} {
		_, _, st = VmarAllocate(e.self, vmar, canRW|spec|VmOffsetIsUpperLimit, PageSize, 10*PageSize)
		wantStatus(t, st, ErrInvalidArgs, "specific and upper limit")
		_, st = VmarMap(e.self, vmar, rw|spec|VmOffsetIsUpperLimit, PageSize, vmo, 0, 4*PageSize)
		wantStatus(t, st, ErrInvalidArgs, "specific and upper limit")
	}
	_, _, st = VmarAllocate(e.self, vmar, VmCanMapRead|VmPermRead, PageSize, 10*PageSize)
	wantStatus(t, st, ErrInvalidArgs, "allocate with PERM_READ")
	_, st = VmarMap(e.self, vmar, VmPermRead|VmSpecificOverwrite|VmMapRange, PageSize, vmo, 0, 4*PageSize)
	wantStatus(t, st, ErrInvalidArgs, "MAP_RANGE with SPECIFIC_OVERWRITE")

	_, _, st = VmarAllocate(e.self, vmar, canRW, 0, PageSize-1)
	wantStatus(t, st, ErrInvalidArgs, "unaligned size")
	_, _, st = VmarAllocate(e.self, vmar, canRW|VmCanMapSpecific, PageSize-1, PageSize)
	wantStatus(t, st, ErrInvalidArgs, "unaligned offset")
	for _, mr := range []uint32{0, VmMapRange} {
		_, st = VmarMap(e.self, vmar, rw|VmSpecific|mr, PageSize-1, vmo, 0, 4*PageSize)
		wantStatus(t, st, ErrInvalidArgs, "misaligned VMAR offset")
		_, st = VmarMap(e.self, vmar, rw|VmSpecific|mr, PageSize, vmo, PageSize-1, 3*PageSize)
		wantStatus(t, st, ErrInvalidArgs, "misaligned VMO offset")
		_, st = VmarMap(e.self, vmar, rw|mr, 0, vmo, PageSize-1, 3*PageSize)
		wantStatus(t, st, ErrInvalidArgs, "misaligned VMO offset")
	}
	m, st := VmarMap(e.self, vmar, rw, 0, vmo, 0, 4*PageSize)
	mustOK(t, st, "map")
	wantStatus(t, VmarUnmap(e.self, vmar, m+1, PageSize), ErrInvalidArgs, "unaligned unmap")
	wantStatus(t, VmarProtect(e.self, vmar, VmPermRead, m+1, PageSize), ErrInvalidArgs, "unaligned protect")
	mustOK(t, VmarUnmap(e.self, vmar, m, 4*PageSize), "unmap")

	_, st = VmarMap(e.self, vmar, rw, 0, vmo, 1<<64-PageSize, PageSize)
	wantStatus(t, st, ErrOutOfRange, "overflowing VMO offset")
	m, st = VmarMap(e.self, vmar, rw, 0, vmo, 1<<64-2*PageSize, PageSize)
	mustOK(t, st, "VMO offset near the top")
	mustOK(t, VmarUnmap(e.self, vmar, m, PageSize), "unmap")

	_, _, st = VmarAllocate(e.self, vmar, canRW, 0, 0)
	wantStatus(t, st, ErrInvalidArgs, "allocate 0")
	_, st = VmarMap(e.self, vmar, rw, 0, vmo, 0, 0)
	wantStatus(t, st, ErrInvalidArgs, "map 0")
	m, _ = VmarMap(e.self, vmar, rw, 0, vmo, 0, 4*PageSize)
	wantStatus(t, VmarUnmap(e.self, vmar, m, 0), ErrInvalidArgs, "unmap 0")
	wantStatus(t, VmarProtect(e.self, vmar, VmPermRead, m, 0), ErrInvalidArgs, "protect 0")
	mustOK(t, VmarUnmap(e.self, vmar, m, 4*PageSize), "unmap")

	bad := uint64(math.MaxUint64) - PageSize + 2 // rounds up to 0
	_, _, st = VmarAllocate(e.self, vmar, canRW, 0, bad)
	wantStatus(t, st, ErrInvalidArgs, "allocate size rounding to 0")
	_, st = VmarMap(e.self, vmar, rw, 0, vmo, 0, bad)
	wantStatus(t, st, ErrOutOfRange, "map size rounding to 0")
	_, st = VmarMap(e.self, vmar, VmPermRead|VmMapRange, 0, vmo, 0, bad)
	wantStatus(t, st, ErrOutOfRange, "map range size rounding to 0")
	m, st = VmarMap(e.self, vmar, rw|VmSpecific, PageSize, vmo, 0, 4*PageSize)
	mustOK(t, st, "map")
	for _, d := range []int64{-1, 0, 1} {
		a := uint64(int64(m) + d*PageSize)
		wantStatus(t, VmarProtect(e.self, vmar, VmPermRead, a, bad), ErrInvalidArgs, "protect huge")
		wantStatus(t, VmarUnmap(e.self, vmar, a, bad), ErrInvalidArgs, "unmap huge")
	}
	mustOK(t, VmarUnmap(e.self, vmar, m, 4*PageSize), "unmap")

	_, _, st = VmarAllocate(e.self, vmar, VmPermRead|canRW, 0, 4*PageSize)
	wantStatus(t, st, ErrInvalidArgs, "allocate with a PERM")
	_, _, st = VmarAllocate(e.self, vmar, VmCanMapRead|1<<31, 0, 4*PageSize)
	wantStatus(t, st, ErrInvalidArgs, "allocate with a stray bit")
	_, st = VmarMap(e.self, vmar, rw|VmCanMapExecute, 0, vmo, 0, 4*PageSize)
	wantStatus(t, st, ErrInvalidArgs, "map with CAN_MAP")
	_, st = VmarMap(e.self, vmar, rw|1<<31, 0, vmo, 0, 4*PageSize)
	wantStatus(t, st, ErrInvalidArgs, "map with a stray bit")
	m, _ = VmarMap(e.self, vmar, rw, 0, vmo, 0, 4*PageSize)
	wantStatus(t, VmarProtect(e.self, vmar, VmPermRead|VmCanMapWrite, m, 4*PageSize), ErrInvalidArgs, "protect with CAN_MAP")
	wantStatus(t, VmarProtect(e.self, vmar, VmPermRead|1<<31, m, 4*PageSize), ErrInvalidArgs, "protect with a stray bit")
	mustOK(t, VmarUnmap(e.self, vmar, m, 4*PageSize), "unmap")
}

func TestVmar_UnalignedLenTest(t *testing.T) {
	e := newTaskEnv(t)
	proc, vmar := e.newProc()
	vmo := e.vmo(4*PageSize, 0)
	m, st := VmarMap(e.self, vmar, VmPermRead, 0, vmo, 0, 4*PageSize)
	mustOK(t, st, "map")
	mustOK(t, VmarProtect(e.self, vmar, VmPermRead|VmPermWrite, m, 4*PageSize-1), "protect")
	mustOK(t, VmarUnmap(e.self, vmar, m, 4*PageSize-1), "unmap")
	wantStatus(t, e.readable(proc, m+3*PageSize), ErrNoMemory, "last page unmapped")
}

func TestVmar_UnalignedLenMapTest(t *testing.T) {
	e := newTaskEnv(t)
	proc, vmar := e.newProc()
	vmo := e.vmo(4*PageSize, 0)
	for _, mr := range []uint32{0, VmMapRange} {
		m, st := VmarMap(e.self, vmar, VmPermRead|mr, 0, vmo, 0, 4*PageSize-1)
		mustOK(t, st, "map")
		mustOK(t, e.readable(proc, m+3*PageSize), "last page mapped")
		mustOK(t, VmarUnmap(e.self, vmar, m, 4*PageSize-1), "unmap")
		wantStatus(t, e.readable(proc, m+3*PageSize), ErrNoMemory, "last page unmapped")
	}
}

func TestVmar_RightsDropTest(t *testing.T) {
	e := newTaskEnv(t)
	_, vmar := e.newProc()
	vmo, _ := VmoReplaceAsExecutable(e.self, e.vmo(PageSize, 0), HandleInvalid)
	for _, c := range []struct {
		rights Rights
		perm   uint32
	}{
		{RightRead, VmPermRead},
		{RightRead | RightWrite, VmPermRead | VmPermWrite},
		{RightRead | RightExecute, VmPermRead | VmPermExecute},
	} {
		h, _ := e.self.Handles().Duplicate(vmar, c.rights)
		_, st := VmarMap(e.self, h, rwxMap, 0, vmo, 0, PageSize)
		wantStatus(t, st, ErrAccessDenied, "map beyond the handle")
		m, st := VmarMap(e.self, h, c.perm, 0, vmo, 0, PageSize)
		mustOK(t, st, "map within")
		wantStatus(t, VmarProtect(e.self, h, rwxMap, m, PageSize), ErrAccessDenied, "protect up")
		mustOK(t, VmarUnmap(e.self, h, m, PageSize), "unmap")
		_, _, st = VmarAllocate(e.self, h, rwxAlloc, 0, 10*PageSize)
		wantStatus(t, st, ErrAccessDenied, "allocate beyond")
		e.close(h)
	}
}

func TestVmar_ProtectTest(t *testing.T) {
	e := newTaskEnv(t)
	_, vmar := e.newProc()
	vmo, _ := VmoReplaceAsExecutable(e.self, e.vmo(PageSize, 0), HandleInvalid)
	for _, c := range []struct {
		rights Rights
		perm   uint32
	}{
		{RightRead, VmPermRead},
		{RightRead | RightWrite, VmPermRead | VmPermWrite},
		{RightRead | RightExecute, VmPermRead | VmPermExecute},
	} {
		h, _ := e.self.Handles().Duplicate(vmo, c.rights|RightMap)
		_, st := VmarMap(e.self, vmar, rwxMap, 0, h, 0, PageSize)
		wantStatus(t, st, ErrAccessDenied, "map beyond the VMO handle")
		m, st := VmarMap(e.self, vmar, c.perm, 0, h, 0, PageSize)
		mustOK(t, st, "map within")
		wantStatus(t, VmarProtect(e.self, vmar, rwxMap, m, PageSize), ErrAccessDenied, "protect up")
		e.close(h)
		wantStatus(t, VmarProtect(e.self, vmar, rwxMap, m, PageSize), ErrAccessDenied, "protect up, handle closed")
		mustOK(t, VmarUnmap(e.self, vmar, m, PageSize), "unmap")
	}
}

func TestVmar_NestedRegionPermsTest(t *testing.T) {
	e := newTaskEnv(t)
	_, vmar := e.newProc()
	vmo, _ := VmoReplaceAsExecutable(e.self, e.vmo(PageSize, 0), HandleInvalid)
	for _, c := range [][2]uint32{
		{VmCanMapRead, VmPermRead}, {VmCanMapWrite, VmPermWrite}, {VmCanMapExecute, VmPermExecute},
	} {
		r0, _ := e.allocate(vmar, rwxAlloc^c[0], 0, 10*PageSize)
		_, _, st := VmarAllocate(e.self, r0, rwxAlloc, 0, PageSize)
		wantStatus(t, st, ErrAccessDenied, "sub-region with more")
		_, st = VmarMap(e.self, r0, rwxMap, 0, vmo, 0, PageSize)
		wantStatus(t, st, ErrAccessDenied, "map with more")
		if c[1] != VmPermRead {
			m, st := VmarMap(e.self, r0, rwxMap^c[1], 0, vmo, 0, PageSize)
			mustOK(t, st, "map with less")
			mustOK(t, VmarUnmap(e.self, r0, m, PageSize), "unmap")
		}
		r1, _ := e.allocate(r0, rwxAlloc^c[0], 0, PageSize)
		mustOK(t, VmarDestroy(e.self, r1), "destroy")
		mustOK(t, VmarDestroy(e.self, r0), "destroy")
	}
	r0, _ := e.allocate(vmar, rwxAlloc, 0, 10*PageSize)
	_, st := VmarMap(e.self, r0, VmSpecific|VmPermRead, PageSize, vmo, 0, PageSize)
	wantStatus(t, st, ErrAccessDenied, "SPECIFIC without CAN_MAP_SPECIFIC")
}

// TestVmar_ProtectSplitAndHoles: protect in the middle of a mapping
// splits it; a range with a hole is NOT_FOUND, one over a sub-region
// INVALID_ARGS, unmapping across a region's edge INVALID_ARGS.
func TestVmar_ProtectSplitAndHoles(t *testing.T) {
	e := newTaskEnv(t)
	proc, vmar := e.newProc()
	vmo := e.vmo(4*PageSize, 0)
	r, a := e.allocate(vmar, VmCanMapRead|VmCanMapWrite|VmCanMapSpecific, 0, 16*PageSize)
	_, st := VmarMap(e.self, r, VmPermRead|VmPermWrite|VmSpecific, 0, vmo, 0, 4*PageSize)
	mustOK(t, st, "map")
	mustOK(t, VmarProtect(e.self, r, VmPermRead, a+PageSize, PageSize), "protect the middle")
	mustOK(t, e.readable(proc, a+PageSize), "still readable")
	wantStatus(t, VmarProtect(e.self, r, VmPermRead, a, 5*PageSize), ErrNotFound, "range with a hole")
	e.allocate(r, VmCanMapRead|VmSpecific, 8*PageSize, 4*PageSize)
	wantStatus(t, VmarProtect(e.self, r, VmPermRead, a+8*PageSize, PageSize), ErrInvalidArgs, "protect in a sub-region")
	wantStatus(t, VmarUnmap(e.self, r, a+9*PageSize, 4*PageSize), ErrInvalidArgs, "unmap across a sub-region's edge")
	mustOK(t, VmarUnmap(e.self, r, a, 16*PageSize), "unmap everything, sub-region included")
	wantStatus(t, e.readable(proc, a), ErrNoMemory, "unmapped")
	wantStatus(t, VmarProtect(e.self, r, VmPermRead, a, PageSize), ErrNotFound, "protect nothing")
}

// TestVmar_Info: ZX_INFO_VMAR gives the range; the root VMAR covers the
// user address space.
func TestVmar_Info(t *testing.T) {
	e := newTaskEnv(t)
	_, vmar := e.newProc()
	b := make([]byte, VmarInfoSize)
	_, _, st := ObjectGetInfo(e.self, vmar, InfoVMAR, b)
	mustOK(t, st, "info")
	if base, n := getU64(b, 0), getU64(b, 8); base != UserAspaceBase || base+n != UserAspaceTop {
		t.Fatalf("root VMAR [%#x, +%#x)", base, n)
	}
	sub, a := e.allocate(vmar, VmCanMapRead, 0, 3*PageSize)
	ObjectGetInfo(e.self, sub, InfoVMAR, b)
	if getU64(b, 0) != a || getU64(b, 8) != 3*PageSize {
		t.Fatalf("sub-region info % x", b)
	}
	_, _, st = ObjectGetInfo(e.self, sub, InfoVMAR, b[:8])
	wantStatus(t, st, ErrBufferTooSmall, "short buffer")
	if r := e.rights(sub); r != DefaultVMARRights|RightRead {
		t.Errorf("sub-region handle rights %v", r)
	}
}
