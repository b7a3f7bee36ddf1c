package object

import (
	"encoding/binary"
	"testing"
)

// object_get_info, after Fuchsia's core-tests object-info/object-info.cc
// (ObjectInfo*): each topic's rights, types, buffer sizes and layout.

func TestObjectInfo_HandleValidAndBasic(t *testing.T) {
	e := newTaskEnv(t)
	v := e.vmo(PageSize, 0)
	_, _, st := ObjectGetInfo(e.self, v, InfoHandleValid, nil)
	mustOK(t, st, "valid")
	_, _, st = ObjectGetInfo(e.self, 0x7777, InfoHandleValid, nil)
	wantStatus(t, st, ErrBadHandle, "invalid")
	b := make([]byte, HandleBasicInfoSize)
	n, avail, st := ObjectGetInfo(e.self, v, InfoHandleBasic, b)
	if st != OK || n != 1 || avail != 1 {
		t.Fatalf("%d/%d %v", n, avail, st)
	}
	if ObjType(binary.LittleEndian.Uint32(b[12:])) != TypeVMO {
		t.Error("type")
	}
	n, avail, st = ObjectGetInfo(e.self, v, InfoHandleBasic, b[:HandleBasicInfoSize-1])
	if st != ErrBufferTooSmall || n != 0 || avail != 1 {
		t.Fatalf("short buffer: %d/%d %v", n, avail, st)
	}
	_, _, st = ObjectGetInfo(e.self, v, 0xdead, b)
	wantStatus(t, st, ErrNotSupported, "unknown topic")
}

func TestObjectInfo_HandleCount(t *testing.T) {
	e := newTaskEnv(t)
	v := e.vmo(PageSize, 0)
	count := func() uint32 {
		b := make([]byte, HandleCountInfoSize)
		_, _, st := ObjectGetInfo(e.self, v, InfoHandleCount, b)
		mustOK(t, st, "handle count")
		return binary.LittleEndian.Uint32(b)
	}
	if count() != 1 {
		t.Fatal("one handle")
	}
	d, _ := e.self.Handles().Duplicate(v, RightSameRights)
	if count() != 2 {
		t.Fatal("two handles")
	}
	e.close(d)
	if count() != 1 {
		t.Fatal("one again")
	}
	d, _ = e.self.Handles().Duplicate(v, DefaultVMORights&^RightInspect)
	_, _, st := ObjectGetInfo(e.self, d, InfoHandleCount, make([]byte, 4))
	wantStatus(t, st, ErrAccessDenied, "without INSPECT")
}

func TestObjectInfo_VmoLayout(t *testing.T) {
	e := newTaskEnv(t)
	v := e.vmo(3*PageSize, VmoResizable)
	mustOK(t, ObjectSetProperty(e.self, v, PropName, []byte("layout")), "name")
	e.write32(v, 1, 0)
	i := e.info(v)
	if i.Name != "layout" || i.SizeBytes != 3*PageSize || i.CommittedBytes != PageSize ||
		i.Flags != InfoVMOTypePaged|InfoVMOResizable|InfoVMOViaHandle || i.HandleRights != DefaultVMORights|RightResize {
		t.Fatalf("info %+v", i)
	}
	b := make([]byte, VmoInfoV1Size)
	_, _, st := ObjectGetInfo(e.self, v, InfoVMOV1, b)
	mustOK(t, st, "v1")
	_, _, st = ObjectGetInfo(e.self, v, InfoVMO, b)
	wantStatus(t, st, ErrBufferTooSmall, "v1 buffer for the current topic")
	m := VmoInfo{Koid: 5, Name: "n", SizeBytes: 6, ParentKoid: 7, NumChildren: 8, NumMappings: 9, ShareCount: 10,
		Flags: 11, CommittedBytes: 12, HandleRights: 13, CachePolicy: 14, MetadataBytes: 15, CommittedChangeEvents: 16}.Marshal()
	for off, want := range map[int]uint64{0: 5, 40: 6, 48: 7, 56: 8, 64: 9, 72: 10, 88: 12, 104: 15, 112: 16} {
		if getU64(m, off) != want {
			t.Errorf("offset %d: %d, want %d", off, getU64(m, off), want)
		}
	}
	if binary.LittleEndian.Uint32(m[80:]) != 11 || binary.LittleEndian.Uint32(m[96:]) != 13 ||
		binary.LittleEndian.Uint32(m[100:]) != 14 || m[8] != 'n' || m[9] != 0 {
		t.Error("u32 fields or name misplaced")
	}
}

func TestObjectInfo_ProcessMapsAndVmos(t *testing.T) {
	e := newTaskEnv(t)
	proc, vmar := e.newProc()
	vmo := e.vmo(4*PageSize, 0)
	mustOK(t, ObjectSetProperty(e.self, vmo, PropName, []byte("mapped")), "name")
	sub, subAddr := e.allocate(vmar, VmCanMapRead|VmCanMapWrite, 0, 16*PageSize)
	addr, st := VmarMap(e.self, sub, VmPermRead|VmPermWrite, 0, vmo, PageSize, 2*PageSize)
	mustOK(t, st, "map")
	e.write32(vmo, 1, PageSize)

	b := make([]byte, 10*MapsEntrySize)
	n, avail, st := ObjectGetInfo(e.self, proc, InfoProcessMaps, b)
	if st != OK || n != 4 || avail != 4 {
		t.Fatalf("maps: %d/%d %v", n, avail, st)
	}
	entry := func(i int) []byte { return b[i*MapsEntrySize : (i+1)*MapsEntrySize] }
	types := []uint32{InfoMapsTypeAspace, InfoMapsTypeVMAR, InfoMapsTypeVMAR, InfoMapsTypeMapping}
	for i, ty := range types {
		e := entry(i)
		if binary.LittleEndian.Uint32(e[56:]) != ty || getU64(e, 48) != uint64(i) {
			t.Fatalf("entry %d: type %d depth %d", i, binary.LittleEndian.Uint32(e[56:]), getU64(e, 48))
		}
	}
	if getU64(entry(2), 32) != subAddr || getU64(entry(2), 40) != 16*PageSize {
		t.Error("sub-region entry")
	}
	m := entry(3)
	if cString(m[:32]) != "mapped" || getU64(m, 32) != addr || getU64(m, 40) != 2*PageSize ||
		binary.LittleEndian.Uint32(m[64:]) != VmPermRead|VmPermWrite || Koid(getU64(m, 72)) != e.koid(vmo) ||
		getU64(m, 80) != PageSize || getU64(m, 88) != 1 {
		t.Fatalf("mapping entry % x", m)
	}
	// A short buffer gets what fits.
	n, avail, st = ObjectGetInfo(e.self, proc, InfoProcessMaps, b[:MapsEntrySize+1])
	if st != OK || n != 1 || avail != 4 {
		t.Fatalf("short: %d/%d %v", n, avail, st)
	}

	// PROCESS_VMOS: the process holds no handle, one mapping.
	vb := make([]byte, 4*VmoInfoSize)
	n, _, st = ObjectGetInfo(e.self, proc, InfoProcessVMOs, vb)
	if st != OK || n != 1 {
		t.Fatalf("vmos: %d %v", n, st)
	}
	if Koid(getU64(vb, 0)) != e.koid(vmo) || binary.LittleEndian.Uint32(vb[80:])&InfoVMOViaMapping == 0 ||
		getU64(vb, 64) != 1 {
		t.Fatalf("vmo entry % x", vb[:VmoInfoSize])
	}
	// The caller's own VMOs, by handle.
	n, _, _ = ObjectGetInfo(e.self, e.jobV, InfoProcessVMOs, vb)
	if n != 0 {
		t.Fatal("PROCESS_VMOS of a job")
	}
	selfV, _ := e.self.AddHandle(e.self, DefaultProcessRights)
	n, _, st = ObjectGetInfo(e.self, selfV, InfoProcessVMOs, vb)
	if st != OK || n != 1 || binary.LittleEndian.Uint32(vb[80:])&InfoVMOViaHandle == 0 {
		t.Fatalf("self vmos: %d %v", n, st)
	}

	// TASK_STATS: two pages mapped, one committed, private.
	sb := make([]byte, TaskStatsSize)
	_, _, st = ObjectGetInfo(e.self, proc, InfoTaskStats, sb)
	mustOK(t, st, "task stats")
	if getU64(sb, 0) != 2*PageSize || getU64(sb, 8) != PageSize || getU64(sb, 16) != 0 {
		t.Fatalf("task stats % x", sb)
	}
	// Mapped into this process too: shared.
	e.mapVmo(vmo, PageSize, PageSize, VmPermRead)
	ObjectGetInfo(e.self, proc, InfoTaskStats, sb)
	if getU64(sb, 8) != 0 || getU64(sb, 16) != PageSize || getU64(sb, 24) != PageSize/2 {
		t.Fatalf("shared task stats % x", sb)
	}

	mustOK(t, TaskKill(e.self, proc), "kill")
	e.wait(proc, TaskTerminated)
	_, _, st = ObjectGetInfo(e.self, proc, InfoProcessMaps, b)
	wantStatus(t, st, ErrBadState, "maps of a dead process")
}

func TestObjectInfo_HandleStatsAndKmem(t *testing.T) {
	e := newTaskEnv(t)
	selfV, _ := e.self.AddHandle(e.self, DefaultProcessRights)
	e.vmo(PageSize, 0)
	e.vmo(PageSize, 0)
	b := make([]byte, ProcessHandleStatsSize)
	_, _, st := ObjectGetInfo(e.self, selfV, InfoProcessHandleStats, b)
	mustOK(t, st, "handle stats")
	if binary.LittleEndian.Uint32(b[4*TypeVMO:]) != 2 || binary.LittleEndian.Uint32(b[4*TypeJob:]) != 1 {
		t.Fatalf("per-type counts % x", b[:80])
	}
	kb := make([]byte, KmemStatsSize)
	_, _, st = ObjectGetInfo(e.self, e.jobV, InfoKmemStats, kb)
	wantStatus(t, st, ErrAccessDenied, "kmem stats through a job other than the root")
	rootV, _ := e.self.AddHandle(e.root, DefaultJobRights)
	e.write32(e.vmo(PageSize, 0), 1, 0)
	_, _, st = ObjectGetInfo(e.self, rootV, InfoKmemStats, kb)
	mustOK(t, st, "kmem stats")
	total, free, vmo := getU64(kb, 0), getU64(kb, 8), getU64(kb, 40)
	if total != 64<<20 || vmo == 0 || free+vmo != total {
		t.Fatalf("kmem total %d free %d vmo %d", total, free, vmo)
	}
}

func TestObjectInfo_JobLayout(t *testing.T) {
	b := JobInfo{ReturnCode: -1024, Exited: true, KillOnOOM: true}.Marshal()
	if int64(getU64(b, 0)) != -1024 || b[8] != 1 || b[9] != 1 || b[10] != 0 || len(b) != JobInfoSize {
		t.Fatalf("% x", b)
	}
	p := ProcessInfo{ReturnCode: 3, StartTime: 4, Flags: 5}.Marshal()
	if getU64(p, 0) != 3 || getU64(p, 8) != 4 || binary.LittleEndian.Uint32(p[16:]) != 5 || len(p) != ProcessInfoSize {
		t.Fatalf("% x", p)
	}
}
