package object

import "testing"

// Ports of Fuchsia's core-tests vmo/vmo-zero.cc (VmoZeroTestCase).

func allSame(e *taskEnv, addr, n uint64, val byte) bool {
	b := make([]byte, n)
	if !e.load(addr, b) {
		return false
	}
	for _, c := range b {
		if c != val {
			return false
		}
	}
	return true
}

func fill(e *taskEnv, addr, n uint64, val byte) {
	e.t.Helper()
	b := make([]byte, n)
	for i := range b {
		b[i] = val
	}
	if !e.store(addr, b) {
		e.t.Fatal("fill faulted")
	}
}

func TestVmoZeroTestCase_UnalignedSubPage(t *testing.T) {
	e := newTaskEnv(t)
	v := e.vmo(PageSize, 0)
	p := e.mapVmo(v, 0, PageSize, VmPermRead|VmPermWrite)
	fill(e, p, PageSize, 0xff)
	mustOK(t, VmoOpRange(e.self, v, VmoOpZero, 42, 91), "zero")
	if !allSame(e, p, 42, 0xff) || !allSame(e, p+42, 91, 0) || !allSame(e, p+42+91, PageSize-42-91, 0xff) {
		t.Fatal("wrong bytes zeroed")
	}
}

func TestVmoZeroTestCase_UnalignedCommitted(t *testing.T) {
	e := newTaskEnv(t)
	v := e.vmo(2*PageSize, 0)
	p := e.mapVmo(v, 0, 2*PageSize, VmPermRead|VmPermWrite)
	fill(e, p, 2*PageSize, 0xff)
	mustOK(t, VmoOpRange(e.self, v, VmoOpZero, PageSize/2, PageSize), "zero")
	if !allSame(e, p, PageSize/2, 0xff) || !allSame(e, p+PageSize/2, PageSize, 0) ||
		!allSame(e, p+PageSize+PageSize/2, PageSize/2, 0xff) {
		t.Fatal("wrong bytes zeroed")
	}
}

func TestVmoZeroTestCase_UnalignedUnCommitted(t *testing.T) {
	e := newTaskEnv(t)
	v := e.vmo(2*PageSize, 0)
	e.wantCommitted(v, 0)
	mustOK(t, VmoOpRange(e.self, v, VmoOpZero, PageSize/2, PageSize), "zero")
	e.wantCommitted(v, 0)
}

func TestVmoZeroTestCase_DecommitMiddle(t *testing.T) {
	e := newTaskEnv(t)
	v := e.vmo(3*PageSize, 0)
	p := e.mapVmo(v, 0, 3*PageSize, VmPermRead|VmPermWrite)
	fill(e, p, 3*PageSize, 0xff)
	e.wantCommitted(v, 3)
	mustOK(t, VmoOpRange(e.self, v, VmoOpZero, PageSize/2, 2*PageSize), "zero")
	e.wantCommitted(v, 2)
	if !allSame(e, p+PageSize/2, 2*PageSize, 0) || !allSame(e, p, PageSize/2, 0xff) {
		t.Fatal("content wrong")
	}
}

func TestVmoZeroTestCase_ContentInParentAndChild(t *testing.T) {
	e := newTaskEnv(t)
	parent := e.vmo(2*PageSize, 0)
	e.write32(parent, 1, 0)
	c := e.child(parent, cow, 0, 2*PageSize)
	e.write32(c, 2, 0)
	mustOK(t, VmoOpRange(e.self, c, VmoOpZero, 0, PageSize), "zero")
	e.check32(c, 0, 0)
	e.check32(parent, 1, 0)
}

func TestVmoZeroTestCase_EmptyCowChildren(t *testing.T) {
	e := newTaskEnv(t)
	parent := e.vmo(2*PageSize, 0)
	e.write32(parent, 1, 0)
	c := e.child(parent, cow, 0, 2*PageSize)
	e.wantCommitted(parent, 1, c, 0)
	e.check32(c, 1, 0)
	mustOK(t, VmoOpRange(e.self, c, VmoOpZero, 0, PageSize), "zero child")
	e.check32(c, 0, 0)
	e.wantCommitted(parent, 1, c, 0)
	mustOK(t, VmoOpRange(e.self, parent, VmoOpZero, 0, PageSize), "zero parent")
	e.check32(parent, 0, 0)
	e.wantCommitted(parent, 0, c, 0)
	if e.frames.Used() != 0 {
		t.Errorf("%d frames kept for a page nobody reads", e.frames.Used())
	}
}

func TestVmoZeroTestCase_MergeZeroChildren(t *testing.T) {
	e := newTaskEnv(t)
	parent := e.vmo(2*PageSize, 0)
	e.write32(parent, 1, 0)
	c := e.child(parent, cow, 0, PageSize)
	e.wantCommitted(parent, 1, c, 0)
	mustOK(t, VmoOpRange(e.self, parent, VmoOpZero, 0, PageSize), "zero parent")
	e.wantCommitted(parent, 0, c, 1)
	e.close(c)
	e.wantCommitted(parent, 0)
}

func TestVmoZeroTestCase_AllocateAfterMerge(t *testing.T) {
	e := newTaskEnv(t)
	parent := e.tagged(2)
	c := e.child(parent, cow, 0, 2*PageSize)
	e.check32(c, 1, 0)
	e.check32(c, 2, PageSize)
	if e.committed(parent)+e.committed(c) != 2*PageSize {
		t.Fatal("committed")
	}
	mustOK(t, VmoOpRange(e.self, c, VmoOpZero, 0, PageSize), "zero child")
	if e.committed(parent)+e.committed(c) != 2*PageSize {
		t.Fatal("committed after zero")
	}
	e.close(parent)
	e.wantCommitted(c, 1)
	e.check32(c, 0, 0)
	e.check32(c, 2, PageSize)
}

func TestVmoZeroTestCase_AllocateAfterMergeHiddenChild(t *testing.T) {
	e := newTaskEnv(t)
	parent := e.tagged(3)
	c1 := e.child(parent, cow, 0, 3*PageSize)
	total := func(vs ...HandleValue) uint64 {
		var n uint64
		for _, v := range vs {
			n += e.committed(v)
		}
		return n / PageSize
	}
	if total(parent, c1) != 3 {
		t.Fatal("committed")
	}
	mustOK(t, VmoOpRange(e.self, parent, VmoOpZero, 0, PageSize), "zero parent")
	if total(parent, c1) != 3 {
		t.Fatalf("%d pages after zeroing the parent", total(parent, c1))
	}
	c2 := e.child(parent, cow, 0, 3*PageSize)
	mustOK(t, VmoOpRange(e.self, c1, VmoOpZero, PageSize, PageSize), "zero c1")
	if total(parent, c1, c2) != 3 {
		t.Fatalf("%d pages", total(parent, c1, c2))
	}
	e.check32(c2, 0, 0)
	e.check32(c2, 2, PageSize)
	e.check32(c2, 3, 2*PageSize)
	e.check32(c1, 1, 0)
	e.check32(c1, 0, PageSize)
	e.check32(c1, 3, 2*PageSize)
	e.close(c1)
	for _, v := range []HandleValue{parent, c2} {
		e.check32(v, 0, 0)
		e.check32(v, 2, PageSize)
		e.check32(v, 3, 2*PageSize)
	}
	if total(parent, c2) != 2 {
		t.Fatalf("%d pages after the merge", total(parent, c2))
	}
	e.write32(parent, 1, 64)
	e.check32(parent, 0, 0)
	if total(parent, c2) != 3 {
		t.Fatalf("%d pages after writing the zeroed page", total(parent, c2))
	}
	e.write32(c2, 5, PageSize+64)
	e.check32(c2, 2, PageSize)
	e.check32(parent, 0, PageSize+64)
	e.check32(parent, 2, PageSize)
	if total(parent, c2) != 4 {
		t.Fatalf("%d pages after forking the middle page", total(parent, c2))
	}
}

func TestVmoZeroTestCase_WriteCowParent(t *testing.T) {
	e := newTaskEnv(t)
	parent := e.vmo(2*PageSize, 0)
	e.write32(parent, 1, 0)
	c := e.child(parent, cow, 0, 2*PageSize)
	e.wantCommitted(parent, 1, c, 0)
	e.check32(parent, 1, 0)
	e.write32(parent, 2, 0)
	e.wantCommitted(parent, 1, c, 1)
	e.check32(c, 1, 0)
	mustOK(t, VmoOpRange(e.self, c, VmoOpZero, 0, PageSize), "zero child")
	e.check32(c, 0, 0)
	e.check32(parent, 2, 0)
	e.wantCommitted(parent, 1, c, 0)
	e.close(parent)
	e.check32(c, 0, 0)
	e.wantCommitted(c, 0)
	if e.frames.Used() != 0 {
		t.Errorf("%d frames kept", e.frames.Used())
	}
}

func TestVmoZeroTestCase_ChildZeroThenWrite(t *testing.T) {
	e := newTaskEnv(t)
	parent := e.vmo(2*PageSize, 0)
	e.write32(parent, 1, 0)
	c := e.child(parent, cow, 0, 2*PageSize)
	e.wantCommitted(parent, 1, c, 0)
	mustOK(t, VmoOpRange(e.self, c, VmoOpZero, 0, PageSize), "zero child")
	e.wantCommitted(parent, 1, c, 0)
	e.write32(c, 1, 0)
	e.wantCommitted(parent, 1, c, 1)
	e.close(parent)
	e.wantCommitted(c, 1)
}

// TestVmoZeroTestCase_Nested: Zircon forks the page down its hidden
// nodes and charges each child one page; here the two children share
// the one frame they both read. What is fixed: the contents, the parent
// charged nothing, and the page still charged to someone.
func TestVmoZeroTestCase_Nested(t *testing.T) {
	e := newTaskEnv(t)
	parent := e.vmo(2*PageSize, 0)
	e.write32(parent, 1, 0)
	c1 := e.child(parent, cow, 0, PageSize)
	c2 := e.child(parent, cow, 0, PageSize)
	e.wantCommitted(parent, 1, c1, 0, c2, 0)
	mustOK(t, VmoOpRange(e.self, parent, VmoOpZero, 0, PageSize), "zero parent")
	e.wantCommitted(parent, 0)
	if n := e.committed(c1) + e.committed(c2); n == 0 || n > 2*PageSize {
		t.Fatalf("children charged %d bytes", n)
	}
	e.check32(parent, 0, 0)
	e.check32(c1, 1, 0)
	e.check32(c2, 1, 0)
}

func TestVmoZeroTestCase_ZeroLengths(t *testing.T) {
	e := newTaskEnv(t)
	v := e.vmo(PageSize, 0)
	mustOK(t, VmoOpRange(e.self, v, VmoOpZero, 0, 0), "0 0")
	mustOK(t, VmoOpRange(e.self, v, VmoOpZero, 10, 0), "10 0")
	mustOK(t, VmoOpRange(e.self, v, VmoOpZero, PageSize, 0), "end 0")
	wantStatus(t, VmoOpRange(e.self, v, VmoOpZero, PageSize, 1), ErrOutOfRange, "past the end")
	d, _ := e.self.Handles().Duplicate(v, RightRead)
	wantStatus(t, VmoOpRange(e.self, d, VmoOpZero, 0, 1), ErrAccessDenied, "without WRITE")
}
