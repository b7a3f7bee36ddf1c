package mm

import (
	"testing"

	"golang.org/x/sys/unix"

	"quartz/hal"
)

func newSpaceEnv(t *testing.T) (*Space, *Frames) {
	t.Helper()
	f := newTestFrames(t)
	s := NewSpace(newRecordingAS(f.Memory().Size()), f, 0x100000)
	t.Cleanup(s.Release)
	return s, f
}

func mapOwn(t *testing.T, r *VMAR, v *VMO, addr, size uint64, perms, max hal.Perms) {
	t.Helper()
	if _, err := r.Map(MapRequest{Placement: Placement{Specific: true, Addr: addr}, VMO: v,
		Size: size, Perms: perms, Bounded: max != 0, MaxPerms: max}); err != nil {
		t.Fatal(err)
	}
}

// TestOwnOpsStayInTheirRegion: UnmapOwn and ProtectOwn refuse ranges that
// cut a sub-region or have holes, and honour each mapping's bound.
func TestOwnOpsStayInTheirRegion(t *testing.T) {
	s, f := newSpaceEnv(t)
	root := s.Root()
	v, _ := NewVMO(f, 16*hal.PageSize, false)
	defer v.Unref()
	base := root.Base()
	mapOwn(t, root, v, base, 2*hal.PageSize, protR, protR)
	sub, err := root.Allocate(4*hal.PageSize, protRW, Placement{Specific: true, Addr: base + 4*hal.PageSize})
	if err != nil {
		t.Fatal(err)
	}
	if err := root.ProtectOwn(base, 2*hal.PageSize, protRW); err != unix.EACCES {
		t.Errorf("protect beyond the mapping's bound: %v", err)
	}
	if err := root.ProtectOwn(base, 3*hal.PageSize, protR); err != unix.ENOENT {
		t.Errorf("protect over a hole: %v", err)
	}
	if err := root.ProtectOwn(base+4*hal.PageSize, hal.PageSize, protR); err != unix.EINVAL {
		t.Errorf("protect in a sub-region: %v", err)
	}
	if err := root.ProtectOwn(base, hal.PageSize, 0); err != nil {
		t.Errorf("protect to none: %v", err)
	}
	if err := root.UnmapOwn(base+5*hal.PageSize, hal.PageSize); err != unix.EINVAL {
		t.Errorf("unmap cutting a sub-region: %v", err)
	}
	if err := root.UnmapOwn(base+4*hal.PageSize, 4*hal.PageSize); err != nil || !sub.Dead() {
		t.Errorf("unmap of a whole sub-region: %v, dead %v", err, sub.Dead())
	}
	if err := sub.UnmapOwn(sub.Base(), hal.PageSize); err != unix.EBADF {
		t.Errorf("unmap in a destroyed region: %v", err)
	}
	var seen []uint64
	root.Walk(func(depth int, r *VMAR, m *VmMapping) {
		if m != nil {
			seen = append(seen, m.Base())
		}
	})
	if len(seen) != 2 || seen[0] != base || seen[1] != base+hal.PageSize {
		t.Errorf("walk saw %#x", seen)
	}
}

// TestOverwriteKeepingRegions: an overwriting map refuses to destroy a
// sub-region when asked to keep them.
func TestOverwriteKeepingRegions(t *testing.T) {
	s, f := newSpaceEnv(t)
	root := s.Root()
	v, _ := NewVMO(f, 4*hal.PageSize, false)
	defer v.Unref()
	base := root.Base()
	if _, err := root.Allocate(hal.PageSize, protRW, Placement{Specific: true, Addr: base + hal.PageSize}); err != nil {
		t.Fatal(err)
	}
	_, err := root.Map(MapRequest{Placement: Placement{Specific: true, Overwrite: true, KeepRegions: true, Addr: base},
		VMO: v, Size: 4 * hal.PageSize, Perms: protR})
	if err != unix.EINVAL {
		t.Fatalf("overwrite over a sub-region: %v, want EINVAL", err)
	}
}

// TestSpaceAccessForce: Access reads and writes through mappings, and
// force passes a mapping's missing permissions.
func TestSpaceAccessForce(t *testing.T) {
	s, f := newSpaceEnv(t)
	v, _ := NewVMO(f, hal.PageSize, false)
	defer v.Unref()
	base := s.Root().Base()
	mapOwn(t, s.Root(), v, base, hal.PageSize, protR, 0)
	if _, err := s.Access(base, []byte{1}, true, false); err != unix.EFAULT {
		t.Fatalf("write to a read-only mapping: %v", err)
	}
	if n, err := s.Access(base+10, []byte{1, 2}, true, true); err != nil || n != 2 {
		t.Fatalf("forced write: %d, %v", n, err)
	}
	b := make([]byte, 2)
	if _, err := s.Access(base+10, b, false, false); err != nil || b[0] != 1 || b[1] != 2 {
		t.Fatalf("read back %v, %v", b, err)
	}
	if _, err := s.Access(base+hal.PageSize, b, false, true); err != unix.EFAULT {
		t.Fatalf("access beyond the mapping: %v", err)
	}
}
