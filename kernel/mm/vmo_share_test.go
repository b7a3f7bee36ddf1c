package mm

import (
	"testing"

	"golang.org/x/sys/unix"

	"quartz/hal"
)

// tagged makes a VMO of n pages whose page i starts with byte i+1.
func tagged(t *testing.T, f *Frames, n uint64) *VMO {
	t.Helper()
	v, err := NewVMO(f, n*hal.PageSize, false)
	if err != nil {
		t.Fatal(err)
	}
	for i := uint64(0); i < n; i++ {
		writeByte(t, v, i*hal.PageSize, byte(i+1))
	}
	return v
}

func cloneOf(t *testing.T, v *VMO, off, size uint64) *VMO {
	t.Helper()
	c, err := v.CreateChild(Snapshot, off, size, false)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestAttributionChargesFirstSeer: a shared page is charged to the
// original until it writes its own copy, then to the clone; every frame
// anybody reads is charged exactly once.
func TestAttributionChargesFirstSeer(t *testing.T) {
	f := newTestFrames(t)
	v := tagged(t, f, 2)
	c := cloneOf(t, v, 0, 2*hal.PageSize)
	if v.AttributedPages() != 2 || c.AttributedPages() != 0 {
		t.Fatalf("after clone: %d and %d", v.AttributedPages(), c.AttributedPages())
	}
	writeByte(t, v, 0, 9)
	if v.AttributedPages() != 2 || c.AttributedPages() != 1 {
		t.Fatalf("after the original writes: %d and %d", v.AttributedPages(), c.AttributedPages())
	}
	c.Unref()
	v.Unref()
	if f.Used() != 0 {
		t.Fatalf("%d frames leaked", f.Used())
	}
}

// TestSoleSeerTakesFrame: when only one VMO still sees a page of its
// hidden parent, its write takes that frame instead of copying it.
func TestSoleSeerTakesFrame(t *testing.T) {
	f := newTestFrames(t)
	v := tagged(t, f, 1)
	c := cloneOf(t, v, 0, hal.PageSize)
	writeByte(t, v, 0, 7) // v copies; the hidden page is c's alone now
	used := f.Used()
	writeByte(t, c, 1, 8)
	if f.Used() != used {
		t.Errorf("write by the sole seer allocated: %d frames, was %d", f.Used(), used)
	}
	if readByte(t, c, 0) != 1 || readByte(t, c, 1) != 8 || readByte(t, v, 0) != 7 {
		t.Error("content wrong after the frame moved")
	}
	c.Unref()
	v.Unref()
}

// TestZeroMarkerInClone: zeroing a clone's page commits nothing, reads
// zeros, leaves the parent alone, and a later write gets a fresh page.
func TestZeroMarkerInClone(t *testing.T) {
	f := newTestFrames(t)
	v := tagged(t, f, 2)
	c := cloneOf(t, v, 0, 2*hal.PageSize)
	used := f.Used()
	if err := c.Zero(0, hal.PageSize, 0); err != nil {
		t.Fatal(err)
	}
	if f.Used() != used || c.CommittedPages() != 0 || c.AttributedPages() != 0 {
		t.Fatalf("zero committed memory: %d frames (was %d)", f.Used(), used)
	}
	if readByte(t, c, 0) != 0 || readByte(t, v, 0) != 1 {
		t.Fatal("zero of a clone page is wrong or reached the parent")
	}
	// Zeroing the original too: nobody sees the shared page any more.
	if err := v.Zero(0, hal.PageSize, 0); err != nil {
		t.Fatal(err)
	}
	if f.Used() != used-1 {
		t.Errorf("page nobody sees was kept: %d frames, want %d", f.Used(), used-1)
	}
	writeByte(t, c, 5, 3)
	if readByte(t, c, 5) != 3 || readByte(t, c, 0) != 0 || c.CommittedPages() != 1 {
		t.Error("write after a zero marker")
	}
	c.Unref()
	v.Unref()
	if f.Used() != 0 {
		t.Fatalf("%d frames leaked", f.Used())
	}
}

// TestUnreachablePagesFreedOnClose: closing the original of two small
// clones frees the pages neither clone can see.
func TestUnreachablePagesFreedOnClose(t *testing.T) {
	f := newTestFrames(t)
	v := tagged(t, f, 3)
	c1 := cloneOf(t, v, 0, 2*hal.PageSize)
	c2 := cloneOf(t, v, 0, hal.PageSize)
	v.Unref()
	if f.Used() != 2 {
		t.Errorf("%d frames in use, want 2 (page 3 is unreachable)", f.Used())
	}
	if c1.AttributedPages()+c2.AttributedPages() != 2 {
		t.Errorf("charged %d+%d pages, want 2 in all", c1.AttributedPages(), c2.AttributedPages())
	}
	c1.Unref()
	c2.Unref()
	if f.Used() != 0 {
		t.Fatalf("%d frames leaked", f.Used())
	}
}

// TestOnDestroyAndOwner: the callback runs once, after the last holder,
// including a child that kept the VMO alive.
func TestOnDestroyAndOwner(t *testing.T) {
	f := newTestFrames(t)
	v, _ := NewVMO(f, hal.PageSize, false)
	v.SetOwner("me")
	if v.Owner() != "me" {
		t.Fatal("owner lost")
	}
	s, err := v.CreateChild(Slice, 0, hal.PageSize, false)
	if err != nil {
		t.Fatal(err)
	}
	runs := 0
	v.OnDestroy(func() { runs++ })
	v.Unref()
	if runs != 0 {
		t.Fatal("destroyed while a slice reads through it")
	}
	s.Unref()
	if runs != 1 {
		t.Fatalf("callback ran %d times", runs)
	}
	v.OnDestroy(func() { runs++ })
	if runs != 2 {
		t.Fatal("callback on a destroyed VMO did not run at once")
	}
}

// TestSliceDecommitReachesParent: decommitting through a slice frees the
// parent's pages; a slice of a clone cannot.
func TestSliceDecommitReachesParent(t *testing.T) {
	f := newTestFrames(t)
	v := tagged(t, f, 2)
	s, _ := v.CreateChild(Slice, hal.PageSize, hal.PageSize, false)
	if err := s.Decommit(0, hal.PageSize); err != nil {
		t.Fatal(err)
	}
	if readByte(t, v, hal.PageSize) != 0 || v.CommittedPages() != 1 {
		t.Error("slice decommit did not reach the parent")
	}
	if err := s.Decommit(hal.PageSize, 1); err != unix.ERANGE {
		t.Errorf("decommit past the slice: %v", err)
	}
	c := cloneOf(t, v, 0, 2*hal.PageSize)
	cs, _ := c.CreateChild(Slice, 0, hal.PageSize, false)
	if err := cs.Decommit(0, hal.PageSize); err != unix.ENOTSUP {
		t.Errorf("decommit through a slice of a clone: %v, want ENOTSUP", err)
	}
	cs.Unref()
	c.Unref()
	s.Unref()
	v.Unref()
}

// TestMarkerHidesSharedPage: once a clone zeroes a page, the original is
// the page's only reader and takes the frame on its next write; the
// clone's next write gets a fresh page.
func TestMarkerHidesSharedPage(t *testing.T) {
	f := newTestFrames(t)
	v := tagged(t, f, 1)
	c := cloneOf(t, v, 0, hal.PageSize)
	if err := c.Zero(0, hal.PageSize, 0); err != nil {
		t.Fatal(err)
	}
	used := f.Used()
	writeByte(t, v, 1, 9)
	if f.Used() != used || readByte(t, v, 0) != 1 {
		t.Fatal("the sole reader copied instead of taking the frame")
	}
	writeByte(t, c, 1, 8)
	if f.Used() != used+1 || readByte(t, c, 0) != 0 || readByte(t, c, 1) != 8 || readByte(t, v, 1) != 9 {
		t.Fatal("write after the marker")
	}
	c.Unref()
	v.Unref()
	if f.Used() != 0 {
		t.Fatalf("%d frames leaked", f.Used())
	}
}

// TestCollapseKeepsOwnPages: closing the original of a fresh clone hands
// its pages to the clone whole, the clone's own pages winning.
func TestCollapseKeepsOwnPages(t *testing.T) {
	f := newTestFrames(t)
	v := tagged(t, f, 3)
	c := cloneOf(t, v, 0, 3*hal.PageSize)
	writeByte(t, c, hal.PageSize, 7)
	v.Unref()
	if readByte(t, c, 0) != 1 || readByte(t, c, hal.PageSize) != 7 || readByte(t, c, 2*hal.PageSize) != 3 {
		t.Fatal("content after collapse")
	}
	if c.CommittedPages() != 3 || f.Used() != 3 || c.parent != nil {
		t.Fatalf("%d own pages, %d frames", c.CommittedPages(), f.Used())
	}
	c.Unref()
}
