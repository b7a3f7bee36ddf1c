package object

import (
	"bytes"
	"math"
	"testing"
)

// Ports of Fuchsia's core-tests vmo/vmo.cc (VmoTestCase).

func TestVmoTestCase_Create(t *testing.T) {
	e := newTaskEnv(t)
	var vs []HandleValue
	for i := uint64(0); i < 16; i++ {
		vs = append(vs, e.vmo(i*PageSize, 0))
	}
	for _, v := range vs {
		e.close(v)
	}
	_, st := VmoCreate(e.self, PageSize, 1<<7)
	wantStatus(t, st, ErrInvalidArgs, "unknown option")
	_, st = VmoCreate(e.self, math.MaxUint64, 0)
	wantStatus(t, st, ErrOutOfRange, "size too large")
}

func TestVmoTestCase_ReadWriteBadLen(t *testing.T) {
	e := newTaskEnv(t)
	const size = 4 * PageSize
	v := e.vmo(size, 0)
	buf := make([]byte, size)
	for i := uint64(1); i <= 2; i++ {
		n := uint64(math.MaxUint64) - PageSize/i
		wantStatus(t, vmoReadLen(e, v, 0, n), ErrOutOfRange, "read huge")
		wantStatus(t, vmoWriteLen(e, v, 0, n), ErrOutOfRange, "write huge")
	}
	mustOK(t, e.vmoRead(v, buf, 0), "read")
	mustOK(t, e.vmoWrite(v, buf, 0), "write")
}

// vmoReadLen checks a read of n bytes as the syscall does before copying.
func vmoReadLen(e *taskEnv, v HandleValue, off, n uint64) Status {
	vmo, _, st := lookup[*VMO](e.self, v, RightRead)
	if st != OK {
		return st
	}
	return vmo.checkIO(off, n)
}

func vmoWriteLen(e *taskEnv, v HandleValue, off, n uint64) Status {
	vmo, _, st := lookup[*VMO](e.self, v, RightWrite)
	if st != OK {
		return st
	}
	return vmo.checkIO(off, n)
}

func TestVmoTestCase_ReadWrite(t *testing.T) {
	e := newTaskEnv(t)
	const size = 4 * PageSize
	v := e.vmo(size, 0)
	buf := make([]byte, size)
	mustOK(t, e.vmoRead(v, buf, 0), "read")
	if !bytes.Equal(buf, make([]byte, size)) {
		t.Fatal("new VMO is not zero")
	}
	for i := range buf {
		buf[i] = 0x99
	}
	mustOK(t, e.vmoWrite(v, buf, 0), "write")
	addr := e.mapVmo(v, 0, size, VmPermRead|VmPermWrite)
	mapped := make([]byte, size)
	if !e.load(addr, mapped) || !bytes.Equal(mapped, buf) {
		t.Fatal("mapping does not show what was written")
	}
	mustOK(t, VmarUnmap(e.self, e.vmarV, addr, size), "unmap")
}

func TestVmoTestCase_ReadWriteRange(t *testing.T) {
	e := newTaskEnv(t)
	const size = 4 * PageSize
	v := e.vmo(size, 0)
	buf := make([]byte, 2*size)
	wantStatus(t, e.vmoRead(v, buf, 0), ErrOutOfRange, "read past end")
	mustOK(t, e.vmoRead(v, nil, size), "read 0 at end")
	wantStatus(t, e.vmoRead(v, nil, size+1), ErrOutOfRange, "read 0 past end")
	wantStatus(t, e.vmoWrite(v, buf, 0), ErrOutOfRange, "write past end")
	mustOK(t, e.vmoWrite(v, nil, size), "write 0 at end")
	wantStatus(t, e.vmoWrite(v, nil, size+1), ErrOutOfRange, "write 0 past end")
	wantStatus(t, e.vmoRead(v, buf[:size], math.MaxUint64-size/2), ErrOutOfRange, "read wraparound")
	wantStatus(t, e.vmoWrite(v, buf[:size], math.MaxUint64-size/2), ErrOutOfRange, "write wraparound")
}

func TestVmoTestCase_Map(t *testing.T) {
	e := newTaskEnv(t)
	v := e.vmo(4*PageSize, 0)
	a := e.mapVmo(v, 0, PageSize, VmPermRead)
	if a == 0 {
		t.Fatal("mapped at 0")
	}
	_, st := VmarMap(e.self, e.vmarV, VmPermRead|VmSpecific, math.MaxUint64, v, 0, PageSize)
	wantStatus(t, st, ErrInvalidArgs, "map specific out of range")
	e.close(v)
	mustOK(t, VmarUnmap(e.self, e.vmarV, a, PageSize), "unmap after close")
}

func TestVmoTestCase_MapRead(t *testing.T) {
	e := newTaskEnv(t)
	v := e.vmo(2*PageSize, 0)
	e.write32(v, 7, PageSize)
	addr := e.mapVmo(v, 0, PageSize, VmPermRead|VmPermWrite)
	// Read the VMO's second page into its own mapping: no deadlock.
	vmo, _, _ := lookup[*VMO](e.self, v, RightRead)
	buf := make([]byte, PageSize)
	mustOK(t, vmo.ReadAt(buf, PageSize), "read")
	if !e.store(addr, buf) || e.load32(addr) != 7 {
		t.Fatal("copy into the mapping")
	}
}

func TestVmoTestCase_ReadOnlyMap(t *testing.T) {
	e := newTaskEnv(t)
	v := e.vmo(PageSize, 0)
	addr := e.mapVmo(v, 0, PageSize, VmPermRead)
	if e.probeWrite(addr) {
		t.Fatal("a read-only mapping could be written")
	}
	if !e.probeRead(addr) {
		t.Fatal("a read-only mapping could not be read")
	}
}

func TestVmoTestCase_NoPermMap(t *testing.T) {
	e := newTaskEnv(t)
	v := e.vmo(PageSize, 0)
	addr := e.mapVmo(v, 0, PageSize, VmPermRead)
	mustOK(t, VmarProtect(e.self, e.vmarV, 0, addr, PageSize), "protect to none")
	if e.probeRead(addr) || e.probeWrite(addr) {
		t.Fatal("a mapping without permissions was accessible")
	}
}

func TestVmoTestCase_NoPermProtect(t *testing.T) {
	e := newTaskEnv(t)
	v := e.vmo(PageSize, 0)
	addr := e.mapVmo(v, 0, PageSize, 0)
	if e.probeRead(addr) || e.probeWrite(addr) {
		t.Fatal("a mapping without permissions was accessible")
	}
	mustOK(t, VmarProtect(e.self, e.vmarV, VmPermRead, addr, PageSize), "protect to read")
	if e.probeWrite(addr) || !e.probeRead(addr) {
		t.Fatal("read-only after protect")
	}
}

func TestVmoTestCase_Resize(t *testing.T) {
	e := newTaskEnv(t)
	size := uint64(4 * PageSize)
	v := e.vmo(size, VmoResizable)
	got, st := VmoGetSize(e.self, v)
	if st != OK || got != size {
		t.Fatalf("size %d, %v", got, st)
	}
	size += PageSize
	mustOK(t, VmoSetSize(e.self, v, size), "grow")
	if got, _ := VmoGetSize(e.self, v); got != size {
		t.Fatalf("size %d after grow", got)
	}
	wantStatus(t, VmoSetSize(e.self, v, math.MaxUint64), ErrOutOfRange, "ludicrous size")
	mustOK(t, VmoSetSize(e.self, v, size+1), "unaligned size")
	size += PageSize
	if got, _ := VmoGetSize(e.self, v); got != size {
		t.Fatalf("size %d, want it rounded to %d", got, size)
	}
	addr := e.mapVmo(v, 0, size, VmPermRead)
	_, st = VmarMap(e.self, e.vmarV, VmPermRead|VmRequireNonResizable, 0, v, 0, size)
	wantStatus(t, st, ErrNotSupported, "map resizable as non-resizable")
	mustOK(t, VmoSetSize(e.self, v, size), "resize while mapped")
	mustOK(t, VmarUnmap(e.self, e.vmarV, addr, size), "unmap")
}

func TestVmoTestCase_NoResize(t *testing.T) {
	e := newTaskEnv(t)
	const size = 4 * PageSize
	v := e.vmo(size, 0)
	wantStatus(t, VmoSetSize(e.self, v, size+PageSize), ErrUnavailable, "grow")
	wantStatus(t, VmoSetSize(e.self, v, size-PageSize), ErrUnavailable, "shrink")
	if got, _ := VmoGetSize(e.self, v); got != size {
		t.Fatalf("size %d", got)
	}
	addr := e.mapVmo(v, 0, size, VmPermRead|VmPermWrite|VmRequireNonResizable)
	mustOK(t, VmarUnmap(e.self, e.vmarV, addr, size), "unmap")
}

func TestVmoTestCase_Info(t *testing.T) {
	e := newTaskEnv(t)
	v := e.vmo(4*PageSize, 0)
	i := e.info(v)
	if i.SizeBytes != 4*PageSize || i.Flags != InfoVMOTypePaged|InfoVMOViaHandle || i.CachePolicy != CachePolicyCached {
		t.Fatalf("info %+v", i)
	}
	r := e.vmo(8*PageSize, VmoResizable)
	mustOK(t, VmoSetCachePolicy(e.self, r, CachePolicyUncached), "set cache policy")
	i = e.info(r)
	if i.SizeBytes != 8*PageSize || i.Flags != InfoVMOTypePaged|InfoVMOViaHandle|InfoVMOResizable ||
		i.CachePolicy != CachePolicyUncached {
		t.Fatalf("info %+v", i)
	}
	if i.HandleRights != DefaultVMORights|RightResize {
		t.Errorf("rights %v", i.HandleRights)
	}
}

func TestVmoTestCase_SizeAlign(t *testing.T) {
	e := newTaskEnv(t)
	for s := uint64(0); s < 4*PageSize; s += 511 {
		v := e.vmo(s, 0)
		if got, _ := VmoGetSize(e.self, v); got != (s+PageSize-1)&^(PageSize-1) {
			t.Fatalf("size %d for %d", got, s)
		}
		e.close(v)
	}
}

func TestVmoTestCase_ResizeAlign(t *testing.T) {
	e := newTaskEnv(t)
	v := e.vmo(0, VmoResizable)
	for s := uint64(0); s < 4*PageSize; s += 511 {
		mustOK(t, VmoSetSize(e.self, v, s), "set size")
		if got, _ := VmoGetSize(e.self, v); got != (s+PageSize-1)&^(PageSize-1) {
			t.Fatalf("size %d for %d", got, s)
		}
	}
}

// rightsMapCase is RightsTestMapHelper: map with options through a
// handle, expecting OK or the given status.
func rightsMapCase(t *testing.T, e *taskEnv, v HandleValue, options uint32, want Status) {
	t.Helper()
	addr, st := VmarMap(e.self, e.vmarV, options, 0, v, 0, 4*PageSize)
	wantStatus(t, st, want, "map")
	if st == OK {
		mustOK(t, VmarUnmap(e.self, e.vmarV, addr, 4*PageSize), "unmap")
	}
}

// childPermsCase is ChildPermsTestHelper.
func childPermsCase(t *testing.T, e *taskEnv, v HandleValue) {
	t.Helper()
	parent := e.rights(v)
	prop := RightGetProperty | RightSetProperty
	cases := []struct {
		options uint32
		want    Rights
	}{
		{VmoChildSnapshotAtLeastOnWrite, (parent | prop | RightWrite) &^ RightExecute},
		{VmoChildSnapshotAtLeastOnWrite | VmoChildNoWrite, (parent | prop) &^ RightWrite},
		{VmoChildSlice, parent | prop},
		{VmoChildSlice | VmoChildNoWrite, (parent | prop) &^ RightWrite},
	}
	for _, c := range cases {
		cv := e.child(v, c.options, 0, PageSize)
		if got := e.rights(cv); got != c.want {
			t.Errorf("child %#x rights %v, want %v", c.options, got, c.want)
		}
		e.close(cv)
	}
}

func TestVmoTestCase_Rights(t *testing.T) {
	e := newTaskEnv(t)
	v := e.vmo(4*PageSize, 0)
	expected := RightDuplicate | RightTransfer | RightWait | RightRead | RightWrite | RightMap |
		RightGetProperty | RightSetProperty
	if !e.rights(v).Has(expected) {
		t.Fatalf("rights %v", e.rights(v))
	}
	dup := func(r Rights) HandleValue {
		d, st := e.self.Handles().Duplicate(v, r)
		mustOK(t, st, "duplicate")
		return d
	}
	buf := make([]byte, 1)
	d := dup(RightRead)
	mustOK(t, e.vmoRead(d, buf, 0), "read with READ")
	wantStatus(t, e.vmoWrite(d, buf, 0), ErrAccessDenied, "write with READ")
	e.close(d)
	d = dup(RightWrite)
	wantStatus(t, e.vmoRead(d, buf, 0), ErrAccessDenied, "read with WRITE")
	mustOK(t, e.vmoWrite(d, buf, 0), "write with WRITE")
	e.close(d)
	d = dup(0)
	wantStatus(t, e.vmoRead(d, buf, 0), ErrAccessDenied, "read with none")
	wantStatus(t, e.vmoWrite(d, buf, 0), ErrAccessDenied, "write with none")
	e.close(d)

	v, st := VmoReplaceAsExecutable(e.self, v, HandleInvalid)
	mustOK(t, st, "replace_as_executable")
	if !e.rights(v).Has(expected | RightExecute) {
		t.Fatalf("executable rights %v", e.rights(v))
	}
	childPermsCase(t, e, v)
	const (
		r = VmPermRead
		w = VmPermWrite
		x = VmPermExecute
	)
	rightsMapCase(t, e, v, 0, OK)
	rightsMapCase(t, e, v, r, OK)
	rightsMapCase(t, e, v, w, ErrInvalidArgs)
	rightsMapCase(t, e, v, r|w, OK)
	rightsMapCase(t, e, v, r|w|x, OK)
	rightsMapCase(t, e, v, r|x, OK)

	type row struct {
		rights Rights
		want   [6]Status // 0, r, w, rw, rwx, rx
	}
	ad, ia := ErrAccessDenied, ErrInvalidArgs
	rows := []row{
		{RightRead | RightWrite | RightExecute | RightDuplicate, [6]Status{ad, ad, ad, ad, ad, ad}},
		{RightRead | RightMap | RightDuplicate, [6]Status{OK, OK, ia, ad, ad, ad}},
		{RightWrite | RightMap | RightDuplicate, [6]Status{OK, ad, ia, ad, ad, ad}},
		{RightRead | RightWrite | RightMap | RightDuplicate, [6]Status{OK, OK, ia, OK, ad, ad}},
		{RightRead | RightExecute | RightMap | RightDuplicate, [6]Status{OK, OK, ia, ad, ad, OK}},
		{RightRead | RightWrite | RightExecute | RightMap | RightDuplicate, [6]Status{OK, OK, ia, OK, OK, OK}},
	}
	for _, rw := range rows {
		d := dup(rw.rights)
		if rw.rights.Has(RightRead | RightDuplicate) {
			childPermsCase(t, e, d)
		}
		for i, opt := range []uint32{0, r, w, r | w, r | w | x, r | x} {
			rightsMapCase(t, e, d, opt, rw.want[i])
		}
		e.close(d)
	}

	mustOK(t, ObjectSetProperty(e.self, v, PropName, []byte("test vmo")), "set name")
	name := make([]byte, MaxNameLen)
	mustOK(t, ObjectGetProperty(e.self, v, PropName, name), "get name")
	if cString(name) != "test vmo" {
		t.Fatalf("name %q", name)
	}

	// A port handle without rights: WRONG_TYPE, not ACCESS_DENIED.
	_, pv := newPort(t, e.self.Handles())
	pd, _ := e.self.Handles().Duplicate(pv, 0)
	wantStatus(t, e.vmoRead(pd, buf, 0), ErrWrongType, "vmo_read of a port")
}

func TestVmoTestCase_Commit(t *testing.T) {
	e := newTaskEnv(t)
	const size = 16384
	v := e.vmo(size, 0)
	mustOK(t, VmoOpRange(e.self, v, VmoOpCommit, 0, size), "commit")
	mustOK(t, VmoOpRange(e.self, v, VmoOpDecommit, 0, size), "decommit")
	mustOK(t, VmoOpRange(e.self, v, VmoOpCommit, 0, size), "commit")
	p1 := e.mapVmo(v, 0, size, VmPermRead|VmPermWrite)
	p2 := e.mapVmo(v, PageSize, size, VmPermRead|VmPermWrite)
	e.mapVmo(v, 2*size, size, VmPermRead|VmPermWrite) // entirely past the end: allowed
	e.store32(p1+PageSize, 99)
	if e.load32(p2) != 99 {
		t.Fatal("alias does not see the write")
	}
	mustOK(t, VmoOpRange(e.self, v, VmoOpDecommit, 0, PageSize), "decommit page 0")
	if e.load32(p1+PageSize) != 99 || e.load32(p2) != 99 {
		t.Fatal("decommit of page 0 lost page 1")
	}
	mustOK(t, VmoOpRange(e.self, v, VmoOpDecommit, PageSize, PageSize), "decommit page 1")
	if e.load32(p1+PageSize) != 0 || e.load32(p2) != 0 {
		t.Fatal("decommitted page still mapped")
	}
	// Rights: COMMIT and DECOMMIT need WRITE.
	d, _ := e.self.Handles().Duplicate(v, RightRead)
	wantStatus(t, VmoOpRange(e.self, d, VmoOpCommit, 0, size), ErrAccessDenied, "commit without WRITE")
	wantStatus(t, VmoOpRange(e.self, d, VmoOpDecommit, 0, size), ErrAccessDenied, "decommit without WRITE")
	wantStatus(t, VmoOpRange(e.self, v, VmoOpCommit, size+1, 1), ErrOutOfRange, "commit past the end")
	wantStatus(t, VmoOpRange(e.self, v, 99, 0, 1), ErrInvalidArgs, "unknown op")
}

func TestVmoTestCase_ZeroPage(t *testing.T) {
	e := newTaskEnv(t)
	const size = 4 * PageSize
	v := e.vmo(size, 0)
	var p [3]uint64
	for i := range p {
		p[i] = e.mapVmo(v, 0, size, VmPermRead|VmPermWrite)
	}
	if e.load32(p[0]) != 0 {
		t.Fatal("read fault")
	}
	e.store32(p[1], 99)
	if e.load32(p[2]) != 99 || e.load32(p[0]) != 99 {
		t.Fatal("the former zero page is still mapped somewhere")
	}
	if e.load32(p[0]+PageSize) != 0 {
		t.Fatal("second page not zero")
	}
	e.write32(v, 100, PageSize)
	if e.load32(p[0]+PageSize) != 100 {
		t.Fatal("vmo_write not seen through a mapping of the zero page")
	}
	if e.load32(p[0]+2*PageSize) != 0 {
		t.Fatal("third page not zero")
	}
	mustOK(t, VmoOpRange(e.self, v, VmoOpCommit, 2*PageSize, PageSize), "commit")
	e.write32(v, 100, 2*PageSize)
	if e.load32(p[0]+2*PageSize) != 100 {
		t.Fatal("write after commit not seen")
	}
}

func TestVmoTestCase_Cache(t *testing.T) {
	e := newTaskEnv(t)
	v := e.vmo(PageSize, 0)
	for _, pol := range []uint32{CachePolicyCached, CachePolicyUncached, CachePolicyUncachedDevice, CachePolicyWriteCombining} {
		mustOK(t, VmoSetCachePolicy(e.self, v, pol), "set policy")
	}
	wantStatus(t, VmoSetCachePolicy(e.self, v, CachePolicyMask+1), ErrInvalidArgs, "bad policy")
	mustOK(t, VmoSetCachePolicy(e.self, v, CachePolicyCached), "cached")

	mustOK(t, VmoOpRange(e.self, v, VmoOpCommit, 0, PageSize), "commit")
	wantStatus(t, VmoSetCachePolicy(e.self, v, CachePolicyCached), ErrBadState, "committed")
	mustOK(t, VmoOpRange(e.self, v, VmoOpDecommit, 0, PageSize), "decommit")
	mustOK(t, VmoSetCachePolicy(e.self, v, CachePolicyCached), "decommitted")

	addr := e.mapVmo(v, 0, PageSize, VmPermRead)
	wantStatus(t, VmoSetCachePolicy(e.self, v, CachePolicyCached), ErrBadState, "mapped")
	mustOK(t, VmarUnmap(e.self, e.vmarV, addr, PageSize), "unmap")
	mustOK(t, VmoSetCachePolicy(e.self, v, CachePolicyCached), "unmapped")

	c := e.child(v, VmoChildSnapshotAtLeastOnWrite, 0, PageSize)
	wantStatus(t, VmoSetCachePolicy(e.self, v, CachePolicyCached), ErrBadState, "with a child")
	e.close(c)
	mustOK(t, VmoSetCachePolicy(e.self, v, CachePolicyCached), "child gone")

	c = e.child(v, VmoChildSnapshotAtLeastOnWrite, 0, PageSize)
	wantStatus(t, VmoSetCachePolicy(e.self, c, CachePolicyCached), ErrBadState, "on the child")
	e.close(c)

	mustOK(t, VmoSetCachePolicy(e.self, v, CachePolicyUncached), "uncached")
	_, st := VmoCreateChild(e.self, v, VmoChildSnapshotAtLeastOnWrite, 0, PageSize)
	wantStatus(t, st, ErrBadState, "clone of uncached")
	mustOK(t, VmoSetCachePolicy(e.self, v, CachePolicyCached), "cached")
	e.close(e.child(v, VmoChildSnapshotAtLeastOnWrite, 0, PageSize))

	b := make([]byte, 1)
	mustOK(t, VmoSetCachePolicy(e.self, v, CachePolicyUncached), "uncached")
	wantStatus(t, e.vmoRead(v, b, 0), ErrBadState, "read uncached")
	wantStatus(t, e.vmoWrite(v, b, 0), ErrBadState, "write uncached")
	mustOK(t, VmoSetCachePolicy(e.self, v, CachePolicyCached), "cached")
	mustOK(t, e.vmoRead(v, b, 0), "read")
	mustOK(t, e.vmoWrite(v, b, 0), "write")

	d, _ := e.self.Handles().Duplicate(v, RightRead)
	wantStatus(t, VmoSetCachePolicy(e.self, d, CachePolicyCached), ErrAccessDenied, "without MAP")
}

func TestVmoTestCase_CacheOp(t *testing.T) {
	e := newTaskEnv(t)
	const size = 0x8000
	v := e.vmo(size, 0)
	for _, op := range []uint32{VmoOpCacheSync, VmoOpCacheClean, VmoOpCacheCleanInvalidate} {
		for _, r := range [][2]uint64{{0, 1}, {1, 1}, {0, size}, {1, size - 1}, {0x5200, 1}, {0x5200, 0x800}, {0x5200, 0x1000}, {0x5200, 0x1200}} {
			mustOK(t, VmoOpRange(e.self, v, op, r[0], r[1]), "cache op")
		}
		wantStatus(t, VmoOpRange(e.self, v, op, 0, 0), ErrInvalidArgs, "empty")
		for _, r := range [][2]uint64{{1, size}, {size, 1}, {size + 1, 1}, {math.MaxUint64 - 1, 1}, {math.MaxUint64, 1}, {math.MaxUint64, math.MaxUint64}} {
			wantStatus(t, VmoOpRange(e.self, v, op, r[0], r[1]), ErrOutOfRange, "out of range")
		}
	}
	wantStatus(t, VmoOpRange(e.self, v, VmoOpCacheInvalidate, 0, 1), ErrNotSupported, "invalidate")
	d, _ := e.self.Handles().Duplicate(v, RightWrite)
	wantStatus(t, VmoOpRange(e.self, d, VmoOpCacheSync, 0, 1), ErrAccessDenied, "sync without READ")
}

func TestVmoTestCase_DecommitMisaligned(t *testing.T) {
	e := newTaskEnv(t)
	v := e.vmo(2*PageSize, 0)
	wantStatus(t, VmoOpRange(e.self, v, VmoOpDecommit, 0x10, 0x100), ErrInvalidArgs, "decommit uncommitted")
	mustOK(t, VmoOpRange(e.self, v, VmoOpCommit, 0x10, 0x100), "commit")
	wantStatus(t, VmoOpRange(e.self, v, VmoOpDecommit, 0x10, 0x100), ErrInvalidArgs, "decommit")
}

func TestVmoTestCase_ResizeHazard(t *testing.T) {
	e := newTaskEnv(t)
	const size = 2 * PageSize
	v := e.vmo(size, VmoResizable)
	addr := e.mapVmo(v, 0, size, VmPermRead|VmPermWrite)
	if e.load32(addr+4) != 0 {
		t.Fatal("not zero")
	}
	mustOK(t, VmoSetSize(e.self, v, 0), "shrink to 0")
	if e.probeRead(addr+4) || e.probeWrite(addr+4) {
		t.Fatal("mapping past the VMO's end still accessible")
	}
	e.close(v)
	mustOK(t, VmarUnmap(e.self, e.vmarV, addr, size), "unmap")
}

// TestVmoTestCase_ContentSize: set_size sets the content size to the
// unrounded size; the property reads and sets it.
func TestVmoTestCase_ContentSize(t *testing.T) {
	e := newTaskEnv(t)
	v := e.vmo(PageSize+7, VmoResizable)
	got := make([]byte, 8)
	mustOK(t, ObjectGetProperty(e.self, v, PropVMOContentSize, got), "get")
	if got[0] != 7 || got[1] != 0x10 {
		t.Fatalf("content size % x", got)
	}
	e.write32(v, 0xffffffff, 100)
	mustOK(t, VmoSetSize(e.self, v, 102), "set size")
	mustOK(t, ObjectGetProperty(e.self, v, PropVMOContentSize, got), "get")
	if got[0] != 102 {
		t.Fatalf("content size %d after set_size", got[0])
	}
	// The bytes past the new size are zero.
	b := make([]byte, 4)
	mustOK(t, e.vmoRead(v, b, 100), "read")
	if b[0] != 0xff || b[1] != 0xff || b[2] != 0 || b[3] != 0 {
		t.Fatalf("tail not zeroed: % x", b)
	}
	mustOK(t, ObjectSetProperty(e.self, v, PropVMOContentSize, u64bytes(50)), "set")
	mustOK(t, e.vmoRead(v, b, 100), "read")
	if b[0] != 0 {
		t.Fatal("bytes past the content size not zeroed")
	}
	wantStatus(t, ObjectSetProperty(e.self, v, PropVMOContentSize, u64bytes(2*PageSize)), ErrOutOfRange, "beyond size")
	wantStatus(t, ObjectGetProperty(e.self, v, PropVMOContentSize, got[:4]), ErrBufferTooSmall, "short")
	wantStatus(t, ObjectGetProperty(e.self, e.vmarV, PropVMOContentSize, got), ErrAccessDenied, "VMAR handle")
}
