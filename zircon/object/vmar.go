package object

import (
	"quartz/hal"
	"quartz/kernel/mm"
)

// VM options (zx_vm_option_t), with Fuchsia's values.
const (
	VmPermRead                 uint32 = 1 << 0
	VmPermWrite                uint32 = 1 << 1
	VmPermExecute              uint32 = 1 << 2
	VmCompact                  uint32 = 1 << 3
	VmSpecific                 uint32 = 1 << 4
	VmSpecificOverwrite        uint32 = 1 << 5
	VmCanMapSpecific           uint32 = 1 << 6
	VmCanMapRead               uint32 = 1 << 7
	VmCanMapWrite              uint32 = 1 << 8
	VmCanMapExecute            uint32 = 1 << 9
	VmMapRange                 uint32 = 1 << 10
	VmRequireNonResizable      uint32 = 1 << 11
	VmAllowFaults              uint32 = 1 << 12
	VmOffsetIsUpperLimit       uint32 = 1 << 13
	VmPermReadIfXOMUnsupported uint32 = 1 << 14

	// VmAlignBase is ZX_VM_ALIGN_BASE: bits 24..31 hold log2 of an
	// alignment, 10 (1 KiB) to 32 (4 GiB), or 0.
	VmAlignBase = 24

	vmPerms  = VmPermRead | VmPermWrite | VmPermExecute
	vmCanMap = VmCanMapRead | VmCanMapWrite | VmCanMapExecute
)

// VmAlign is the ZX_VM_ALIGN_* option for an alignment of 2^log2 bytes.
func VmAlign(log2 uint32) uint32 { return log2 << VmAlignBase }

// VMAR is a virtual memory address region (Zircon's
// VmAddressRegionDispatcher) wrapping an mm.VMAR. The region's flags —
// what may be mapped in it, and whether at chosen addresses — live here;
// the mm layer keeps the mappings and the page table.
type VMAR struct {
	Base
	vmar    *mm.VMAR
	process *Process
	flags   uint32 // VmCanMap*, VmCanMapSpecific, VmCompact
	root    bool
}

func newRootVMAR(p *Process) *VMAR {
	r := &VMAR{vmar: p.space.Root(), process: p, flags: vmCanMap | VmCanMapSpecific, root: true}
	r.Init(TypeVMAR, 0)
	return r
}

// Addr and Len are the region's range (ZX_INFO_VMAR).
func (r *VMAR) Addr() uint64 { return r.vmar.Base() }
func (r *VMAR) Len() uint64  { return r.vmar.Size() }

// Memory is the mm.VMAR behind the object.
func (r *VMAR) Memory() *mm.VMAR { return r.vmar }

// Process is the process whose address space the region is part of.
func (r *VMAR) Process() *Process { return r.process }

// Rights is the rights of a handle to a new VMAR with these flags: the
// VMAR defaults, plus READ, WRITE and EXECUTE as it may map them.
func vmarRights(flags uint32) Rights {
	r := DefaultVMARRights
	if flags&VmCanMapRead != 0 {
		r |= RightRead
	}
	if flags&VmCanMapWrite != 0 {
		r |= RightWrite
	}
	if flags&VmCanMapExecute != 0 {
		r |= RightExecute
	}
	return r
}

// DefaultRights is the rights of a handle to r as created.
func (r *VMAR) DefaultRights() Rights { return vmarRights(r.flags) }

// permsOf turns ZX_VM_PERM_* into page permissions.
func permsOf(options uint32) hal.Perms {
	var p hal.Perms
	if options&VmPermRead != 0 {
		p |= hal.PermRead
	}
	if options&VmPermWrite != 0 {
		p |= hal.PermWrite
	}
	if options&VmPermExecute != 0 {
		p |= hal.PermExec
	}
	return p
}

// canMapPerms is what ZX_VM_CAN_MAP_* flags allow.
func canMapPerms(flags uint32) hal.Perms { return permsOf(flags >> 7) }

// validProtection: a mapping that cannot be read cannot be written or
// executed either (no way to express it on the hardware).
func validProtection(options uint32) bool {
	return options&VmPermRead != 0 || options&(VmPermWrite|VmPermExecute) == 0
}

// splitAlign takes the alignment out of options: INVALID_ARGS for one
// other than 0 or 10..32.
func splitAlign(options uint32) (uint32, uint64, Status) {
	a := options >> VmAlignBase
	if a != 0 && (a < 10 || a > 32) {
		return 0, 0, ErrInvalidArgs
	}
	if a == 0 {
		return options, 0, OK
	}
	return options &^ (0xff << VmAlignBase), 1 << a, OK
}

// placement works out where an allocation or mapping goes, the way
// Zircon's CreateSubVmarInternal checks it: a request that is neither
// specific nor bounded by OFFSET_IS_UPPER_LIMIT must have offset 0, and
// it cannot be both (INVALID_ARGS); choosing the address needs
// CAN_MAP_SPECIFIC (ACCESS_DENIED); the range must lie in the region
// (INVALID_ARGS), at a page- and alignment-aligned address (INVALID_ARGS).
// With an upper limit, the whole range lies below base+offset.
func (r *VMAR) placement(options uint32, offset, size, align uint64) (mm.Placement, Status) {
	specific := options&(VmSpecific|VmSpecificOverwrite) != 0
	upper := options&VmOffsetIsUpperLimit != 0
	if specific && upper || !specific && !upper && offset != 0 {
		return mm.Placement{}, ErrInvalidArgs
	}
	if (specific || upper) && r.flags&VmCanMapSpecific == 0 {
		return mm.Placement{}, ErrAccessDenied
	}
	if upper {
		if offset > r.Len() || size > offset {
			return mm.Placement{}, ErrInvalidArgs
		}
		return mm.Placement{Align: align, Below: r.Addr() + offset}, OK
	}
	if offset >= r.Len() || size > r.Len()-offset {
		return mm.Placement{}, ErrInvalidArgs
	}
	if !specific {
		return mm.Placement{Align: align}, OK
	}
	addr := r.Addr() + offset
	if addr%PageSize != 0 || align != 0 && addr%align != 0 {
		return mm.Placement{}, ErrInvalidArgs
	}
	return mm.Placement{Specific: true, Overwrite: options&VmSpecificOverwrite != 0, KeepRegions: true, Addr: addr}, OK
}

// Allocate is zx_vmar_allocate on the object: a sub-region of size bytes
// (page aligned, not 0: INVALID_ARGS). Options: COMPACT, SPECIFIC,
// CAN_MAP_SPECIFIC, CAN_MAP_READ/WRITE/EXECUTE, OFFSET_IS_UPPER_LIMIT and
// an alignment; anything
// else (a PERM_* included) is INVALID_ARGS. The new region may map no more
// than r (ACCESS_DENIED); BAD_STATE once r is destroyed; NO_MEMORY when
// the range is taken or no room is left. It returns the region and its
// address.
func (r *VMAR) Allocate(options uint32, offset, size uint64) (*VMAR, Status) {
	options, align, st := splitAlign(options)
	if st != OK {
		return nil, st
	}
	if options&^(VmCompact|VmSpecific|VmCanMapSpecific|vmCanMap|VmOffsetIsUpperLimit) != 0 {
		return nil, ErrInvalidArgs
	}
	if size%PageSize != 0 || size == 0 {
		return nil, ErrInvalidArgs
	}
	if r.vmar.Dead() {
		return nil, ErrBadState
	}
	if options&vmCanMap&^r.flags != 0 {
		return nil, ErrAccessDenied
	}
	pl, st := r.placement(options, offset, size, align)
	if st != OK {
		return nil, st
	}
	sub, err := r.vmar.Allocate(size, canMapPerms(options), pl)
	if err != nil {
		return nil, memStatus(err)
	}
	c := &VMAR{vmar: sub, process: r.process, flags: options & (vmCanMap | VmCanMapSpecific | VmCompact)}
	c.Init(TypeVMAR, 0)
	return c, OK
}

// Map is zx_vmar_map on the objects, with the rights of the VMAR and VMO
// handles. Checks, in Zircon's order: the VMO handle needs MAP
// (ACCESS_DENIED); write or execute without read is INVALID_ARGS, as is
// any CAN_MAP_* option or an unknown one; each PERM_* must be allowed by
// both handles (READ, WRITE, EXECUTE rights: ACCESS_DENIED);
// REQUIRE_NON_RESIZABLE on a resizable VMO is NOT_SUPPORTED; an empty
// length or a VMO offset not page aligned is INVALID_ARGS, a length or
// VMO range that overflows when rounded to pages OUT_OF_RANGE; then
// placement as for
// Allocate, and SPECIFIC_OVERWRITE may replace mappings but not regions
// (INVALID_ARGS). The mapping remembers what both handles allowed: that
// bounds what Protect may give it later. len is rounded up to pages; a
// mapping may reach past the VMO's end (touching that part faults).
func (r *VMAR) Map(options uint32, offset uint64, vmo *VMO, vmoOffset, length uint64, vmarRights, vmoRights Rights) (uint64, Status) {
	if !vmoRights.Has(RightMap) {
		return 0, ErrAccessDenied
	}
	if !validProtection(options) || options&vmCanMap != 0 {
		return 0, ErrInvalidArgs
	}
	options &^= VmPermReadIfXOMUnsupported
	options, align, st := splitAlign(options)
	if st != OK {
		return 0, st
	}
	if options&^(vmPerms|VmSpecific|VmSpecificOverwrite|VmMapRange|VmRequireNonResizable|VmAllowFaults|VmOffsetIsUpperLimit) != 0 {
		return 0, ErrInvalidArgs
	}
	if options&VmMapRange != 0 && options&VmSpecificOverwrite != 0 {
		return 0, ErrInvalidArgs
	}
	canRead := vmoRights.Has(RightRead) && vmarRights.Has(RightRead)
	canWrite := vmoRights.Has(RightWrite) && vmarRights.Has(RightWrite)
	canExec := vmoRights.Has(RightExecute) && vmarRights.Has(RightExecute)
	if options&VmPermRead != 0 && !canRead || options&VmPermWrite != 0 && !canWrite ||
		options&VmPermExecute != 0 && !canExec {
		return 0, ErrAccessDenied
	}
	var maxPerms hal.Perms
	if canRead {
		maxPerms |= hal.PermRead
	}
	if canWrite {
		maxPerms |= hal.PermWrite
	}
	if canExec {
		maxPerms |= hal.PermExec
	}
	if options&VmRequireNonResizable != 0 && vmo.Resizable() {
		return 0, ErrNotSupported
	}
	if length == 0 || vmoOffset%PageSize != 0 {
		return 0, ErrInvalidArgs
	}
	size := (length + PageSize - 1) &^ (PageSize - 1)
	if size < length || vmoOffset+size < vmoOffset {
		return 0, ErrOutOfRange
	}
	if r.vmar.Dead() {
		return 0, ErrBadState
	}
	perms := permsOf(options)
	if perms&^r.vmar.MaxPerms() != 0 {
		return 0, ErrAccessDenied
	}
	pl, st := r.placement(options, offset, size, align)
	if st != OK {
		return 0, st
	}
	m, err := r.vmar.Map(mm.MapRequest{Placement: pl, VMO: vmo.Memory(), Offset: vmoOffset, Size: size,
		Perms: perms, Bounded: true, MaxPerms: maxPerms & r.vmar.MaxPerms(), Name: vmoName(vmo)})
	if err != nil {
		return 0, memStatus(err)
	}
	return m.Base(), OK
}

func vmoName(v *VMO) string {
	name, _ := v.Name()
	return name
}

// Unmap is zx_vmar_unmap on the object: len is rounded up to pages; an
// empty range or an unaligned address is INVALID_ARGS, so is a range
// outside the region or one cutting a sub-region; regions wholly inside
// are destroyed. BAD_STATE once the region is destroyed.
func (r *VMAR) Unmap(addr, length uint64) Status {
	return memStatus(r.vmar.UnmapOwn(addr, length))
}

// Protect is zx_vmar_protect on the object: new permissions for the
// mappings covering [addr, addr+len). INVALID_ARGS for an unaligned
// address, an empty or foreign range, a range over a sub-region, or
// write/execute without read; NOT_FOUND for a range with holes;
// ACCESS_DENIED for permissions beyond what a mapping was mapped with
// rights for; BAD_STATE once destroyed.
func (r *VMAR) Protect(options uint32, addr, length uint64) Status {
	if !validProtection(options) || options&^vmPerms != 0 {
		return ErrInvalidArgs
	}
	return memStatus(r.vmar.ProtectOwn(addr, length, permsOf(options)))
}

// Destroy is zx_vmar_destroy: unmap everything in the region and make it
// unusable (every later operation is BAD_STATE). The root VMAR cannot be
// destroyed (NOT_SUPPORTED).
func (r *VMAR) Destroy() Status {
	if r.root {
		return ErrNotSupported
	}
	return memStatus(r.vmar.Destroy())
}

// VmarInfo is zx_info_vmar_t (ZX_INFO_VMAR).
type VmarInfo struct {
	Base, Len uint64
}

// VmarInfoSize is sizeof(zx_info_vmar_t).
const VmarInfoSize = 16

// Info is ZX_INFO_VMAR.
func (r *VMAR) Info() VmarInfo { return VmarInfo{Base: r.Addr(), Len: r.Len()} }

// Marshal encodes zx_info_vmar_t: base, len.
func (i VmarInfo) Marshal() []byte {
	b := make([]byte, VmarInfoSize)
	putU64(b, 0, i.Base)
	putU64(b, 8, i.Len)
	return b
}
