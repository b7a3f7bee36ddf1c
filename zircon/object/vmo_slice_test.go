package object

import (
	"math"
	"testing"
)

// Ports of Fuchsia's core-tests vmo/vmo-slice.cc (VmoSliceTestCase).

func TestVmoSliceTestCase_WriteThrough(t *testing.T) {
	e := newTaskEnv(t)
	v := e.vmo(4*PageSize, 0)
	e.write32(v, 42, 0)
	e.write32(v, 42, PageSize)
	s := e.child(v, VmoChildSlice, PageSize, 2*PageSize)
	e.check32(s, 42, 0)
	e.write32(s, 84, 0)
	e.write32(s, 84, PageSize)
	e.check32(v, 42, 0)
	e.check32(v, 84, PageSize)
	e.check32(v, 84, 2*PageSize)
	e.check32(v, 0, 3*PageSize)
}

func TestVmoSliceTestCase_DecommitParent(t *testing.T) {
	e := newTaskEnv(t)
	v := e.vmo(PageSize, 0)
	e.write32(v, 42, 0)
	s := e.child(v, VmoChildSlice, 0, PageSize)
	e.check32(s, 42, 0)
	mustOK(t, VmoOpRange(e.self, v, VmoOpDecommit, 0, PageSize), "decommit parent")
	e.check32(s, 0, 0)
}

func TestVmoSliceTestCase_Nested(t *testing.T) {
	e := newTaskEnv(t)
	v := e.vmo(2*PageSize, 0)
	e.write32(v, 42, 0)
	s := e.child(v, VmoChildSlice, 0, 2*PageSize)
	ss := e.child(s, VmoChildSlice, 0, 2*PageSize)
	e.check32(ss, 42, 0)
	e.write32(ss, 84, 0)
	e.write32(ss, 84, PageSize)
	e.check32(v, 84, 0)
	e.check32(v, 84, PageSize)
}

func TestVmoSliceTestCase_NonSlice(t *testing.T) {
	e := newTaskEnv(t)
	v := e.vmo(2*PageSize, VmoResizable)
	nearly := uint64(math.MaxUint64 - PageSize + 1)
	for _, c := range []struct {
		off, size uint64
		want      Status
	}{
		{0, 3 * PageSize, ErrInvalidArgs},
		{PageSize, 2 * PageSize, ErrInvalidArgs},
		{2 * PageSize, PageSize, ErrInvalidArgs},
		{0, math.MaxUint64, ErrOutOfRange},
		{0, nearly, ErrOutOfRange},
		{nearly, PageSize, ErrInvalidArgs},
		{nearly, nearly, ErrOutOfRange},
		{nearly, math.MaxUint64, ErrOutOfRange},
	} {
		_, st := VmoCreateChild(e.self, v, VmoChildSlice, c.off, c.size)
		wantStatus(t, st, c.want, "slice")
	}
}

func TestVmoSliceTestCase_NonResizable(t *testing.T) {
	e := newTaskEnv(t)
	v := e.vmo(PageSize, VmoResizable)
	_, st := VmoCreateChild(e.self, v, VmoChildSlice, 0, PageSize)
	wantStatus(t, st, ErrNotSupported, "slice of a resizable VMO")
	_, st = VmoCreateChild(e.self, v, VmoChildSlice|VmoChildResizable, 0, PageSize)
	wantStatus(t, st, ErrInvalidArgs, "resizable slice of a resizable VMO")
	e.close(v)
	v = e.vmo(PageSize, 0)
	_, st = VmoCreateChild(e.self, v, VmoChildSlice|VmoChildResizable, 0, PageSize)
	wantStatus(t, st, ErrInvalidArgs, "resizable slice")
}

func TestVmoSliceTestCase_CommitChild(t *testing.T) {
	e := newTaskEnv(t)
	v := e.vmo(PageSize, 0)
	s := e.child(v, VmoChildSlice, 0, PageSize)
	mustOK(t, VmoOpRange(e.self, s, VmoOpCommit, 0, PageSize), "commit slice")
	e.write32(s, 42, 0)
	e.check32(v, 42, 0)
	e.wantCommitted(v, 1, s, 0)
}

func TestVmoSliceTestCase_DecommitChild(t *testing.T) {
	e := newTaskEnv(t)
	v := e.vmo(PageSize, 0)
	e.write32(v, 42, 0)
	s := e.child(v, VmoChildSlice, 0, PageSize)
	mustOK(t, VmoOpRange(e.self, s, VmoOpDecommit, 0, PageSize), "decommit slice")
	e.check32(v, 0, 0)
}

func TestVmoSliceTestCase_ZeroSized(t *testing.T) {
	e := newTaskEnv(t)
	v := e.vmo(PageSize, 0)
	s1 := e.child(v, VmoChildSlice, 0, 0)
	s2 := e.child(v, VmoChildSlice, PageSize, 0)
	b := []byte{42}
	for _, s := range []HandleValue{s1, s2} {
		wantStatus(t, e.vmoRead(s, b, 0), ErrOutOfRange, "read")
		wantStatus(t, e.vmoWrite(s, b, 0), ErrOutOfRange, "write")
	}
}

func TestVmoSliceTestCase_ZeroChildren(t *testing.T) {
	e := newTaskEnv(t)
	v := e.vmo(PageSize, 0)
	ht := e.self.Handles()
	_, st := waitOne(ht, v, VMOZeroChildren, TimeInfinite)
	mustOK(t, st, "no children")
	s := e.child(v, VmoChildSlice, 0, PageSize)
	_, st = waitOne(ht, v, VMOZeroChildren, TimeInfinitePast)
	wantStatus(t, st, ErrTimedOut, "one child")
	e.close(s)
	_, st = waitOne(ht, v, VMOZeroChildren, TimeInfinite)
	mustOK(t, st, "child closed")
}

func TestVmoSliceTestCase_ZeroChildrenGrandchildClosedLast(t *testing.T) {
	e := newTaskEnv(t)
	v := e.vmo(PageSize, 0)
	ht := e.self.Handles()
	s := e.child(v, VmoChildSlice, 0, PageSize)
	g := e.child(s, VmoChildSlice, 0, PageSize)
	_, st := waitOne(ht, v, VMOZeroChildren, TimeInfinitePast)
	wantStatus(t, st, ErrTimedOut, "child and grandchild")
	e.close(s)
	_, st = waitOne(ht, v, VMOZeroChildren, TimeInfinitePast)
	wantStatus(t, st, ErrTimedOut, "grandchild keeps the child")
	e.close(g)
	_, st = waitOne(ht, v, VMOZeroChildren, TimeInfinite)
	mustOK(t, st, "all gone")
}

func TestVmoSliceTestCase_CowPageSourceThroughSlices(t *testing.T) {
	e := newTaskEnv(t)
	v := e.vmo(PageSize, 0)
	mustOK(t, VmoOpRange(e.self, v, VmoOpCommit, 0, PageSize), "commit")
	c := e.child(v, VmoChildSnapshot, 0, PageSize)
	s := e.child(c, VmoChildSlice, 0, PageSize)
	c2, st := VmoCreateChild(e.self, s, VmoChildSnapshot, 0, PageSize)
	if st == OK {
		e.write32(c2, 1, 0)
	} else {
		wantStatus(t, st, ErrNotSupported, "snapshot of a slice")
	}
}

// TestVmoSliceTestCase_RightsAndInfo: a slice keeps EXECUTE, is no
// copy-on-write clone, and names its parent.
func TestVmoSliceTestCase_RightsAndInfo(t *testing.T) {
	e := newTaskEnv(t)
	v := e.vmo(2*PageSize, 0)
	v, _ = VmoReplaceAsExecutable(e.self, v, HandleInvalid)
	s := e.child(v, VmoChildSlice, PageSize, PageSize)
	if !e.rights(s).Has(RightExecute) {
		t.Error("slice lost EXECUTE")
	}
	i := e.info(s)
	if i.Flags&InfoVMOIsCOWClone != 0 || i.ParentKoid != e.koid(v) || i.SizeBytes != PageSize {
		t.Errorf("slice info %+v", i)
	}
}
