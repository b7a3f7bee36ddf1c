package mm

import (
	"bytes"
	"testing"

	"golang.org/x/sys/unix"

	"quartz/hal"
	"quartz/lib/vmio"
)

func newTestFrames(t *testing.T) *Frames {
	t.Helper()
	mem, err := hal.NewPhysMem(16 << 20)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mem.Close() })
	return NewFrames(mem)
}

func readByte(t *testing.T, v *VMO, off uint64) byte {
	t.Helper()
	b := make([]byte, 1)
	if err := v.ReadAt(b, off, 0); err != nil {
		t.Fatalf("read at %#x: %v", off, err)
	}
	return b[0]
}

func writeByte(t *testing.T, v *VMO, off uint64, c byte) {
	t.Helper()
	if err := v.WriteAt([]byte{c}, off, 0); err != nil {
		t.Fatalf("write at %#x: %v", off, err)
	}
}

func TestFrameOwnership(t *testing.T) {
	f := newTestFrames(t)
	base := f.Used()
	u, err := f.Alloc(0)
	if err != nil {
		t.Fatal(err)
	}
	u.Bytes()[0] = 42
	fr := u.Share()
	if fr.Refs() != 1 {
		t.Fatalf("refs after Share = %d", fr.Refs())
	}
	second := fr.Clone()
	if _, ok := fr.Unique(); ok {
		t.Fatal("Unique succeeded with two references")
	}
	second.Drop()
	u2, ok := fr.Unique()
	if !ok || u2.Bytes()[0] != 42 {
		t.Fatal("Unique failed with one reference, or lost the content")
	}
	u2.Share().Drop()
	if f.Used() != base {
		t.Fatalf("frames in use %d, want %d after the last drop", f.Used(), base)
	}
	// Freed frames come back zeroed.
	u3, _ := f.Alloc(0)
	if u3.Bytes()[0] != 0 {
		t.Fatal("reallocated frame not zeroed")
	}
	u3.Free()
	defer func() {
		if recover() == nil {
			t.Fatal("dropping a freed frame did not panic")
		}
	}()
	fr.Drop()
}

func TestZeroPageNeverFreed(t *testing.T) {
	f := newTestFrames(t)
	z := f.ZeroPage()
	z.Clone().Drop()
	z.Drop()
	if _, ok := z.Unique(); ok {
		t.Fatal("the zero page became unique")
	}
	if !f.IsZeroPage(f.ZeroPage()) || f.ZeroPage().Bytes()[0] != 0 {
		t.Fatal("zero page lost")
	}
}

func TestVMOCommitsOnWriteOnly(t *testing.T) {
	f := newTestFrames(t)
	v, err := NewVMO(f, 10*hal.PageSize, false)
	if err != nil {
		t.Fatal(err)
	}
	if readByte(t, v, 5*hal.PageSize) != 0 || v.CommittedPages() != 0 {
		t.Fatal("reading committed a page")
	}
	writeByte(t, v, 5*hal.PageSize+7, 9)
	if v.CommittedPages() != 1 || readByte(t, v, 5*hal.PageSize+7) != 9 {
		t.Fatal("write did not commit exactly one page")
	}
	if err := v.WriteAt([]byte{1}, 10*hal.PageSize, 0); err != unix.ERANGE {
		t.Fatalf("write past the end: %v, want ERANGE", err)
	}
	if err := v.SetSize(hal.PageSize); err != unix.EPERM {
		t.Fatalf("resize of a fixed-size VMO: %v, want EPERM", err)
	}
	v.Unref()
}

// TestCOWChainThreeDeep builds A -> B -> C snapshot clones with writes on
// every level and checks that each sees exactly its own history, that
// frames are shared until written, and that closing collapses the chain
// and frees every frame.
func TestCOWChainThreeDeep(t *testing.T) {
	f := newTestFrames(t)
	base := f.Used()
	const pages = 4
	a, _ := NewVMO(f, pages*hal.PageSize, false)
	for p := uint64(0); p < pages; p++ {
		writeByte(t, a, p*hal.PageSize, byte('a'))
	}
	b, err := a.CreateChild(Snapshot, 0, pages*hal.PageSize, false)
	if err != nil {
		t.Fatal(err)
	}
	if f.Used()-base != pages {
		t.Fatalf("clone copied pages: %d frames in use, want %d", f.Used()-base, pages)
	}
	writeByte(t, b, 1*hal.PageSize, 'b')
	c, err := b.CreateChild(Snapshot, 0, pages*hal.PageSize, false)
	if err != nil {
		t.Fatal(err)
	}
	writeByte(t, c, 2*hal.PageSize, 'c')
	writeByte(t, a, 3*hal.PageSize, 'A') // the original writes after two clones
	writeByte(t, b, 2*hal.PageSize, 'B')

	want := map[*VMO]string{a: "aaaA", b: "abBa", c: "abca"}
	for v, w := range want {
		got := make([]byte, pages)
		for p := range got {
			got[p] = readByte(t, v, uint64(p)*hal.PageSize)
		}
		if string(got) != w {
			t.Errorf("content %q, want %q", got, w)
		}
	}
	// Shared: pages 0 (all three) and 3 of b/c; own copies: a3, b1, b2, c2.
	if used := f.Used() - base; used != pages+4 {
		t.Errorf("%d frames in use, want %d (copy-on-write copies only written pages)", used, pages+4)
	}
	// Closing the middle one: its hidden parent collapses; a and c keep
	// their content.
	b.Unref()
	if readByte(t, c, 1*hal.PageSize) != 'b' || readByte(t, c, 2*hal.PageSize) != 'c' || readByte(t, a, 3*hal.PageSize) != 'A' {
		t.Error("content changed after closing the middle clone")
	}
	c.Unref()
	if readByte(t, a, 0) != 'a' || readByte(t, a, 3*hal.PageSize) != 'A' {
		t.Error("original lost content after its clones closed")
	}
	if a.parent != nil {
		t.Error("chain did not collapse back into the original")
	}
	if used := f.Used() - base; used != pages {
		t.Errorf("%d frames in use with only the original left, want %d", used, pages)
	}
	a.Unref()
	if f.Used() != base {
		t.Errorf("%d frames leaked", f.Used()-base)
	}
}

func TestSnapshotAtLeastOnWriteSeesParent(t *testing.T) {
	f := newTestFrames(t)
	p, _ := NewVMO(f, 2*hal.PageSize, false)
	writeByte(t, p, 0, 1)
	c, err := p.CreateChild(SnapshotAtLeastOnWrite, 0, 2*hal.PageSize, false)
	if err != nil {
		t.Fatal(err)
	}
	writeByte(t, p, 0, 2)
	if readByte(t, c, 0) != 2 {
		t.Error("child does not see the parent's write to a page it never wrote")
	}
	writeByte(t, c, 0, 3)
	writeByte(t, p, 0, 4)
	if readByte(t, c, 0) != 3 || readByte(t, p, 0) != 4 {
		t.Error("after the child's write the two must be independent")
	}
	c.Unref()
	p.Unref()
}

func TestSliceIsAWindow(t *testing.T) {
	f := newTestFrames(t)
	p, _ := NewVMO(f, 4*hal.PageSize, false)
	s, err := p.CreateChild(Slice, hal.PageSize, 2*hal.PageSize, false)
	if err != nil {
		t.Fatal(err)
	}
	writeByte(t, s, 0, 7)
	if readByte(t, p, hal.PageSize) != 7 {
		t.Error("a write through the slice is not in the parent")
	}
	writeByte(t, p, 2*hal.PageSize, 8)
	if readByte(t, s, hal.PageSize) != 8 {
		t.Error("the slice does not see the parent's write")
	}
	if _, err := p.CreateChild(Slice, hal.PageSize, 4*hal.PageSize, false); err != unix.EINVAL {
		t.Errorf("slice beyond the parent: %v, want EINVAL", err)
	}
	if _, err := p.CreateChild(Slice, 1, hal.PageSize, false); err != unix.EINVAL {
		t.Errorf("unaligned slice: %v, want EINVAL", err)
	}
	s.Unref()
	p.Unref()
}

func TestResizeShrinkThenGrowReadsZero(t *testing.T) {
	f := newTestFrames(t)
	base := f.Used()
	v, _ := NewVMO(f, 4*hal.PageSize, true)
	writeByte(t, v, 3*hal.PageSize, 5)
	c, _ := v.CreateChild(Snapshot, 0, 4*hal.PageSize, true)
	if err := c.SetSize(2 * hal.PageSize); err != nil {
		t.Fatal(err)
	}
	if err := c.SetSize(4 * hal.PageSize); err != nil {
		t.Fatal(err)
	}
	if readByte(t, c, 3*hal.PageSize) != 0 {
		t.Error("grown child shows the parent's old page instead of zeros")
	}
	if readByte(t, v, 3*hal.PageSize) != 5 {
		t.Error("resizing the child changed the parent")
	}
	c.Unref()
	v.Unref()
	if f.Used() != base {
		t.Errorf("%d frames leaked", f.Used()-base)
	}
}

func TestOpRange(t *testing.T) {
	f := newTestFrames(t)
	v, _ := NewVMO(f, 4*hal.PageSize, false)
	if err := v.Commit(0, 4*hal.PageSize, 0); err != nil || v.CommittedPages() != 4 {
		t.Fatalf("commit: %v, %d pages", err, v.CommittedPages())
	}
	writeByte(t, v, hal.PageSize+10, 1)
	if err := v.Zero(hal.PageSize+5, 10, 0); err != nil || readByte(t, v, hal.PageSize+10) != 0 {
		t.Fatalf("zero of a partial page: %v", err)
	}
	if err := v.Decommit(0, 2*hal.PageSize); err != nil || v.CommittedPages() != 2 {
		t.Fatalf("decommit: %v, %d pages left", err, v.CommittedPages())
	}
	if err := v.Decommit(3*hal.PageSize, 2*hal.PageSize); err != unix.ERANGE {
		t.Errorf("decommit past the end: %v, want ERANGE", err)
	}
	c, _ := v.CreateChild(Snapshot, 0, 4*hal.PageSize, false)
	if err := c.Decommit(0, hal.PageSize); err != unix.ENOTSUP {
		t.Errorf("decommit of a clone: %v, want ENOTSUP", err)
	}
	writeByte(t, v, 3*hal.PageSize, 9)
	if err := c.Zero(3*hal.PageSize, hal.PageSize, 0); err != nil {
		t.Fatal(err)
	}
	if readByte(t, c, 3*hal.PageSize) != 0 || readByte(t, v, 3*hal.PageSize) != 9 {
		t.Error("zeroing a clone's page must not touch the parent")
	}
	c.Unref()
	v.Unref()
}

type bytesPager struct {
	data   []byte
	closed int
}

func (p *bytesPager) ReadPage(idx uint64, dst []byte) error {
	clear(dst)
	if off := idx * hal.PageSize; off < uint64(len(p.data)) {
		copy(dst, p.data[off:])
	}
	return nil
}

func (p *bytesPager) Close() error { p.closed++; return nil }

func TestPagedVMOAndPrivateChild(t *testing.T) {
	f := newTestFrames(t)
	pg := &bytesPager{data: bytes.Repeat([]byte("x"), hal.PageSize+10)}
	file, _ := NewPagedVMO(f, 2*hal.PageSize, pg)
	priv, _ := file.CreateChild(SnapshotAtLeastOnWrite, 0, 2*hal.PageSize, false)
	file.Unref() // the child keeps the file alive
	if readByte(t, priv, hal.PageSize+9) != 'x' || readByte(t, priv, hal.PageSize+10) != 0 {
		t.Error("private child does not read the file, zero past its end")
	}
	writeByte(t, priv, 0, 'y')
	if pg.data[0] != 'x' {
		t.Error("a private write reached the file")
	}
	sn, err := priv.CreateChild(Snapshot, 0, 2*hal.PageSize, false)
	if err != nil {
		t.Fatalf("snapshot of a private file mapping (fork): %v", err)
	}
	if readByte(t, sn, 0) != 'y' || readByte(t, sn, hal.PageSize) != 'x' {
		t.Error("snapshot does not see the private mapping's content")
	}
	priv.Unref()
	if pg.closed != 0 {
		t.Error("file closed while a snapshot still reads it")
	}
	sn.Unref()
	if pg.closed != 1 {
		t.Errorf("file closed %d times after the last user went, want 1", pg.closed)
	}
}

// guestPages is a vmio.Memory of a few pages where one is inaccessible.
type guestPages struct {
	mem  []byte
	hole uint64 // page index that faults
}

func (g *guestPages) Pin(addr, n uint64, write bool) ([]byte, func(), error) {
	if addr/hal.PageSize == g.hole || addr >= uint64(len(g.mem)) {
		return nil, nil, unix.EFAULT
	}
	end := min(addr+n, (addr/hal.PageSize+1)*hal.PageSize)
	return g.mem[addr:end], func() {}, nil
}

func TestVMOReadWriteThroughVmio(t *testing.T) {
	f := newTestFrames(t)
	v, _ := NewVMO(f, 4*hal.PageSize, false)
	defer v.Unref()
	g := &guestPages{mem: make([]byte, 3*hal.PageSize), hole: 2}
	for i := range g.mem[:2*hal.PageSize] {
		g.mem[i] = byte(i % 251)
	}
	// Writing 6000 bytes from guest page 0 and 1: all arrive.
	n, err := v.Write(vmio.NewGuestReader(g, 0, 6000), 100, 6000, 0)
	if err != nil || n != 6000 {
		t.Fatalf("Write = %d, %v", n, err)
	}
	back := make([]byte, 6000)
	if err := v.ReadAt(back, 100, 0); err != nil || !bytes.Equal(back, g.mem[:6000]) {
		t.Fatalf("content differs after Write: %v", err)
	}
	// Reading into guest memory that faults at page 2 stops exactly at
	// the page boundary.
	n, err = v.Read(vmio.NewGuestWriter(g, hal.PageSize+10, hal.PageSize), 0, hal.PageSize, 0)
	if err != unix.EFAULT || n != hal.PageSize-10 {
		t.Fatalf("Read into a faulting buffer = %d, %v; want %d, EFAULT", n, err, hal.PageSize-10)
	}
	if _, err := v.Read(vmio.NewKernelWriter(make([]byte, 10)), 4*hal.PageSize-5, 10, 0); err != unix.ERANGE {
		t.Fatalf("read past the end: %v, want ERANGE", err)
	}
}

// TestPagedWriteBeforeReadKeepsOneFrame: the first write to a page of a
// paged VMO fills it from the pager and writes that very frame.
func TestPagedWriteBeforeReadKeepsOneFrame(t *testing.T) {
	f := newTestFrames(t)
	pg := &bytesPager{data: []byte("abcdef")}
	v, _ := NewPagedVMO(f, hal.PageSize, pg)
	writeByte(t, v, 1, 'B')
	if f.Used() != 1 {
		t.Fatalf("%d frames in use after one write, want 1", f.Used())
	}
	if readByte(t, v, 0) != 'a' || readByte(t, v, 1) != 'B' {
		t.Fatal("page content wrong after the first write")
	}
	v.Unref()
	if f.Used() != 0 {
		t.Fatalf("%d frames leaked", f.Used())
	}
}
