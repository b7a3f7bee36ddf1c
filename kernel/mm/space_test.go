package mm

import (
	"testing"

	"golang.org/x/sys/unix"

	"quartz/hal"
)

// TestForkIsCopyOnWrite: after Fork, parent and child see the same
// content, share the frames, and neither sees the other's later writes;
// shared mappings stay shared.
func TestForkIsCopyOnWrite(t *testing.T) {
	e := newMMEnv(t)
	e.mapAt(areaBase, 4*pageSize, protRW)
	shared, err := e.mm.Map(Mapping{Addr: areaBase + 8*pageSize, Length: pageSize, Perms: protRW, Fixed: true, Shared: true})
	if err != nil {
		t.Fatal(err)
	}
	for i := uint64(0); i < 4; i++ {
		e.guestWrite(areaBase+i*pageSize, byte('a'+i))
	}
	e.guestWrite(shared, 's')
	used := e.frames.Used()

	childAS := newRecordingAS(e.mem.Size())
	child, err := e.mm.Fork(childAS)
	if err != nil {
		t.Fatal(err)
	}
	c := &mmEnv{t: t, mem: e.mem, frames: e.frames, as: childAS, mm: child}
	if e.frames.Used() != used {
		t.Fatalf("fork copied pages: %d frames in use, was %d", e.frames.Used(), used)
	}
	if len(e.as.mapped()) != 1 {
		// The parent's private pages lost their writable mappings (they
		// are shared now); only the shared page may stay mapped.
		t.Fatalf("parent still maps %d pages after fork", len(e.as.mapped()))
	}
	for i := uint64(0); i < 4; i++ {
		if b, ok := c.guestRead(areaBase + i*pageSize); !ok || b != byte('a'+i) {
			t.Fatalf("child page %d reads %q", i, b)
		}
	}
	c.guestWrite(areaBase, 'C')
	e.guestWrite(areaBase+pageSize, 'P')
	if b, _ := e.guestRead(areaBase); b != 'a' {
		t.Errorf("parent sees the child's write: %q", b)
	}
	if b, _ := c.guestRead(areaBase + pageSize); b != 'b' {
		t.Errorf("child sees the parent's write: %q", b)
	}
	if e.frames.Used() != used+2 {
		t.Errorf("%d frames in use, want %d: exactly the two written pages copied", e.frames.Used(), used+2)
	}
	c.guestWrite(shared, 'S')
	if b, _ := e.guestRead(shared); b != 'S' {
		t.Errorf("shared mapping not shared after fork: parent reads %q", b)
	}
	e.check()
	c.check()
	child.Release()
	e.mm.Release()
	if e.frames.Used() != 0 {
		t.Errorf("%d frames leaked after both released", e.frames.Used())
	}
}

func TestRemapMovesContent(t *testing.T) {
	e := newMMEnv(t)
	e.mapAt(areaBase, 4*pageSize, protRW)
	e.mapAt(areaBase+4*pageSize, pageSize, protR) // blocks growing in place
	for i := uint64(0); i < 4; i++ {
		e.guestWrite(areaBase+i*pageSize, byte('0'+i))
	}
	var before [4]uint64
	for i := range before {
		before[i] = e.frameOf(areaBase + uint64(i)*pageSize)
	}
	if _, err := e.mm.Remap(areaBase, 4*pageSize, 8*pageSize, false, false, 0); err != unix.ENOMEM {
		t.Fatalf("grow without MAYMOVE next to a mapping: %v, want ENOMEM", err)
	}
	got, err := e.mm.Remap(areaBase, 4*pageSize, 8*pageSize, true, false, 0)
	if err != nil || got == areaBase {
		t.Fatalf("Remap = %#x, %v; want a move", got, err)
	}
	for i := uint64(0); i < 4; i++ {
		if b, ok := e.guestRead(got + i*pageSize); !ok || b != byte('0'+i) {
			t.Fatalf("moved page %d reads %q, %v", i, b, ok)
		}
	}
	if b, ok := e.guestRead(got + 6*pageSize); !ok || b != 0 {
		t.Fatalf("grown tail reads %q, %v; want zero", b, ok)
	}
	if _, ok := e.guestRead(areaBase); ok {
		t.Fatal("old range still mapped after the move")
	}
	for i, f := range before {
		if got := e.frameOf(got + uint64(i)*pageSize); got != f {
			t.Errorf("page %d moved from frame %#x to %#x: moving must not copy", i, f, got)
		}
	}
	// Fixed destination, shrink in place, and errors.
	dst := uint64(areaBase + 64*pageSize)
	if got2, err := e.mm.Remap(got, 8*pageSize, 2*pageSize, true, true, dst); err != nil || got2 != dst {
		t.Fatalf("fixed remap = %#x, %v", got2, err)
	}
	if b, _ := e.guestRead(dst + pageSize); b != '1' {
		t.Errorf("fixed move lost content: %q", b)
	}
	if _, err := e.mm.Remap(dst, 2*pageSize, pageSize, false, false, 0); err != nil {
		t.Errorf("shrink: %v", err)
	}
	if _, err := e.mm.Remap(dst+8*pageSize, pageSize, 2*pageSize, true, false, 0); err != unix.EFAULT {
		t.Errorf("remap of a hole: %v, want EFAULT", err)
	}
	if _, err := e.mm.Remap(dst, pageSize, 2*pageSize, false, true, 0); err != unix.EINVAL {
		t.Errorf("FIXED without MAYMOVE: %v, want EINVAL", err)
	}
	e.check()
}

func TestProtectMergesBack(t *testing.T) {
	e := newMMEnv(t)
	e.mapAt(areaBase, 8*pageSize, protRW)
	if err := e.mm.Protect(areaBase+2*pageSize, 2*pageSize, protR); err != nil {
		t.Fatal(err)
	}
	if n := len(e.vmaList()); n != 3 {
		t.Fatalf("%d areas after protecting the middle, want 3", n)
	}
	if err := e.mm.Protect(areaBase+2*pageSize, 2*pageSize, protRW); err != nil {
		t.Fatal(err)
	}
	if got := e.vmaList(); len(got) != 1 || got[0] != [2]uint64{areaBase, areaBase + 8*pageSize} {
		t.Fatalf("areas %#x after restoring the permissions, want one merged area", got)
	}
	e.check()
}

// TestResizeMappedVMO: shrinking a mapped VMO unmaps the pages past its
// new end; touching them is a fault the guest cannot recover from; growing
// again brings back zeros.
func TestResizeMappedVMO(t *testing.T) {
	e := newMMEnv(t)
	v, err := NewVMO(e.frames, 4*pageSize, true)
	if err != nil {
		t.Fatal(err)
	}
	m, err := e.mm.Space().Root().Map(MapRequest{Placement: Placement{Specific: true, Addr: areaBase},
		VMO: v, Size: 4 * pageSize, Perms: protRW})
	if err != nil {
		t.Fatal(err)
	}
	for i := uint64(0); i < 4; i++ {
		e.guestWrite(areaBase+i*pageSize, 'x')
	}
	if err := v.SetSize(2 * pageSize); err != nil {
		t.Fatal(err)
	}
	if got := e.as.mapped(); len(got) != 2 {
		t.Fatalf("platform maps %d pages after the shrink, want 2", len(got))
	}
	if e.mm.HandleFault(mapErrFault(areaBase+3*pageSize), 0) {
		t.Fatal("fault beyond the VMO's end handled")
	}
	if err := v.SetSize(4 * pageSize); err != nil {
		t.Fatal(err)
	}
	if b, ok := e.guestRead(areaBase + 3*pageSize); !ok || b != 0 {
		t.Fatalf("regrown page reads %q, %v; want zero", b, ok)
	}
	if m.Size() != 4*pageSize {
		t.Fatalf("mapping size changed to %#x", m.Size())
	}
	v.Unref()
	e.check()
}

// TestNestedVMARs: regions hold mappings; a specific allocation that
// overlaps is refused; destroying a region unmaps what is inside.
func TestNestedVMARs(t *testing.T) {
	e := newMMEnv(t)
	root := e.mm.Space().Root()
	sub, err := root.Allocate(64*pageSize, protRW, Placement{Specific: true, Addr: areaBase})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := root.Allocate(pageSize, protRW, Placement{Specific: true, Addr: areaBase + pageSize}); err != unix.EEXIST {
		t.Fatalf("overlapping region: %v, want EEXIST", err)
	}
	if _, err := sub.Allocate(pageSize, hal.PermsRWX, Placement{}); err != unix.EACCES {
		t.Fatalf("sub-region with more rights than its parent: %v, want EACCES", err)
	}
	v, _ := NewVMO(e.frames, 2*pageSize, false)
	m, err := sub.Map(MapRequest{VMO: v, Size: 2 * pageSize, Perms: protRW})
	if err != nil || m.Base() < sub.Base() || m.Base()+m.Size() > sub.Base()+sub.Size() {
		t.Fatalf("mapping in the sub-region: %v at %#x", err, m.Base())
	}
	v.Unref()
	e.guestWrite(m.Base(), 1)
	if err := sub.Destroy(); err != nil {
		t.Fatal(err)
	}
	if _, ok := e.guestRead(m.Base()); ok {
		t.Fatal("mapping survived its region's destruction")
	}
	if _, err := sub.Map(MapRequest{VMO: v, Size: pageSize, Perms: protR}); err != unix.EBADF {
		t.Fatalf("map into a destroyed region: %v", err)
	}
	if e.frames.Used() != 0 {
		t.Fatalf("%d frames leaked", e.frames.Used())
	}
}
