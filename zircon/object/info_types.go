package object

import "encoding/binary"

// The zx_info_* records of object_get_info that have no home with an
// object of their own, and their byte layouts (zircon/syscalls/object.h,
// x86-64: size_t and uintptr_t are 8 bytes, structs padded to 8).

func putU64(b []byte, off int, v uint64) { binary.LittleEndian.PutUint64(b[off:], v) }
func putU32(b []byte, off int, v uint32) { binary.LittleEndian.PutUint32(b[off:], v) }

// putName writes a name as char[ZX_MAX_NAME_LEN], NUL padded.
func putName(b []byte, off int, name string) {
	copy(b[off:off+MaxNameLen-1], name)
}

// HandleCountInfo is zx_info_handle_count_t (ZX_INFO_HANDLE_COUNT).
type HandleCountInfo struct {
	HandleCount uint32
}

// HandleCountInfoSize is sizeof(zx_info_handle_count_t).
const HandleCountInfoSize = 4

// Marshal encodes zx_info_handle_count_t.
func (i HandleCountInfo) Marshal() []byte {
	b := make([]byte, HandleCountInfoSize)
	putU32(b, 0, i.HandleCount)
	return b
}

// JobInfoSize is sizeof(zx_info_job_t).
const JobInfoSize = 16

// Marshal encodes zx_info_job_t: return_code i64, exited, kill_on_oom,
// debugger_attached as bytes, padding.
func (i JobInfo) Marshal() []byte {
	b := make([]byte, JobInfoSize)
	putU64(b, 0, uint64(i.ReturnCode))
	for k, f := range []bool{i.Exited, i.KillOnOOM, i.DebuggerAttached} {
		if f {
			b[8+k] = 1
		}
	}
	return b
}

// TaskStats is zx_info_task_stats_t (ZX_INFO_TASK_STATS).
type TaskStats struct {
	MemMappedBytes       uint64
	MemPrivateBytes      uint64
	MemSharedBytes       uint64
	MemScaledSharedBytes uint64
}

// TaskStatsSize is sizeof(zx_info_task_stats_t).
const TaskStatsSize = 32

// Marshal encodes zx_info_task_stats_t.
func (i TaskStats) Marshal() []byte {
	b := make([]byte, TaskStatsSize)
	putU64(b, 0, i.MemMappedBytes)
	putU64(b, 8, i.MemPrivateBytes)
	putU64(b, 16, i.MemSharedBytes)
	putU64(b, 24, i.MemScaledSharedBytes)
	return b
}

// VMO info flags (zx_info_vmo_t.flags).
const (
	InfoVMOTypePaged   uint32 = 1 << 0
	InfoVMOResizable   uint32 = 1 << 1
	InfoVMOIsCOWClone  uint32 = 1 << 2
	InfoVMOViaHandle   uint32 = 1 << 3
	InfoVMOViaMapping  uint32 = 1 << 4
	InfoVMOPagerBacked uint32 = 1 << 5
	InfoVMOContiguous  uint32 = 1 << 6
	InfoVMODiscardable uint32 = 1 << 7
	InfoVMOImmutable   uint32 = 1 << 8
)

// VmoInfo is zx_info_vmo_t (ZX_INFO_VMO, ZX_INFO_PROCESS_VMOS).
type VmoInfo struct {
	Koid                  Koid
	Name                  string
	SizeBytes             uint64
	ParentKoid            Koid
	NumChildren           uint64
	NumMappings           uint64
	ShareCount            uint64
	Flags                 uint32
	CommittedBytes        uint64
	HandleRights          Rights
	CachePolicy           uint32
	MetadataBytes         uint64
	CommittedChangeEvents uint64
}

// Sizes of zx_info_vmo_t and of its first version, zx_info_vmo_v1_t
// (which ends after cache_policy).
const (
	VmoInfoSize   = 120
	VmoInfoV1Size = 104
)

// Marshal encodes zx_info_vmo_t: koid, name[32], size_bytes, parent_koid,
// num_children, num_mappings, share_count, flags u32 + padding,
// committed_bytes, handle_rights u32, cache_policy u32, metadata_bytes,
// committed_change_events.
func (i VmoInfo) Marshal() []byte {
	b := make([]byte, VmoInfoSize)
	putU64(b, 0, uint64(i.Koid))
	putName(b, 8, i.Name)
	putU64(b, 40, i.SizeBytes)
	putU64(b, 48, uint64(i.ParentKoid))
	putU64(b, 56, i.NumChildren)
	putU64(b, 64, i.NumMappings)
	putU64(b, 72, i.ShareCount)
	putU32(b, 80, i.Flags)
	putU64(b, 88, i.CommittedBytes)
	putU32(b, 96, uint32(i.HandleRights))
	putU32(b, 100, i.CachePolicy)
	putU64(b, 104, i.MetadataBytes)
	putU64(b, 112, i.CommittedChangeEvents)
	return b
}

// Info is ZX_INFO_VMO for a handle with the given rights.
func (o *VMO) Info(rights Rights) VmoInfo {
	i := o.describe()
	i.Flags |= InfoVMOViaHandle
	i.HandleRights = rights
	return i
}

// describe is the part of the VMO's info that does not depend on how it
// was reached.
func (o *VMO) describe() VmoInfo {
	name, _ := o.Name()
	o.Lock()
	children, policy := o.children, o.cachePolicy
	o.Unlock()
	i := VmoInfo{
		Koid:           o.Koid(),
		Name:           name,
		SizeBytes:      o.vmo.Size(),
		ParentKoid:     o.parentKoid,
		NumChildren:    uint64(children),
		NumMappings:    uint64(o.vmo.MappingCount()),
		ShareCount:     uint64(o.vmo.ShareCount()),
		Flags:          InfoVMOTypePaged,
		CommittedBytes: o.vmo.AttributedPages() * PageSize,
		CachePolicy:    policy,
	}
	if o.vmo.Resizable() {
		i.Flags |= InfoVMOResizable
	}
	if o.kind == vmoClone {
		i.Flags |= InfoVMOIsCOWClone
	}
	return i
}

// Kinds of zx_info_maps_t entries (ZX_INFO_MAPS_TYPE_*).
const (
	InfoMapsTypeNone    uint32 = 0
	InfoMapsTypeAspace  uint32 = 1
	InfoMapsTypeVMAR    uint32 = 2
	InfoMapsTypeMapping uint32 = 3
)

// MapsEntry is zx_info_maps_t (ZX_INFO_PROCESS_MAPS): one node of the
// address-space tree, in depth-first pre-order. The mapping fields are
// set for InfoMapsTypeMapping only.
type MapsEntry struct {
	Name           string
	Base, Size     uint64
	Depth          uint64
	Type           uint32
	MMUFlags       uint32 // ZX_VM_PERM_*
	VMOKoid        Koid
	VMOOffset      uint64
	CommittedPages uint64
}

// MapsEntrySize is sizeof(zx_info_maps_t).
const MapsEntrySize = 96

// Marshal encodes zx_info_maps_t: name[32], base, size, depth, type u32 +
// padding, then the mapping union: mmu_flags u32 + padding, vmo_koid,
// vmo_offset, committed_pages.
func (i MapsEntry) Marshal() []byte {
	b := make([]byte, MapsEntrySize)
	putName(b, 0, i.Name)
	putU64(b, 32, i.Base)
	putU64(b, 40, i.Size)
	putU64(b, 48, i.Depth)
	putU32(b, 56, i.Type)
	putU32(b, 64, i.MMUFlags)
	putU64(b, 72, uint64(i.VMOKoid))
	putU64(b, 80, i.VMOOffset)
	putU64(b, 88, i.CommittedPages)
	return b
}

// KmemStats is zx_info_kmem_stats_t (ZX_INFO_KMEM_STATS).
type KmemStats struct {
	TotalBytes       uint64
	FreeBytes        uint64
	WiredBytes       uint64
	TotalHeapBytes   uint64
	FreeHeapBytes    uint64
	VMOBytes         uint64
	MMUOverheadBytes uint64
	IPCBytes         uint64
	OtherBytes       uint64
}

// KmemStatsSize is sizeof(zx_info_kmem_stats_t).
const KmemStatsSize = 72

// Marshal encodes zx_info_kmem_stats_t: nine u64 in field order.
func (i KmemStats) Marshal() []byte {
	b := make([]byte, KmemStatsSize)
	for k, v := range []uint64{i.TotalBytes, i.FreeBytes, i.WiredBytes, i.TotalHeapBytes,
		i.FreeHeapBytes, i.VMOBytes, i.MMUOverheadBytes, i.IPCBytes, i.OtherBytes} {
		putU64(b, 8*k, v)
	}
	return b
}

// KmemStatsOf is the memory picture of the machine env runs on: RAM, the
// frames in use (all of them VMO pages: the kernel's own heap is Go's,
// outside RAM) and the rest free.
func KmemStatsOf(env *Env) KmemStats {
	total := env.Frames.Memory().Size()
	used := min(env.Frames.Used()*PageSize, total)
	return KmemStats{TotalBytes: total, FreeBytes: total - used, VMOBytes: used}
}
