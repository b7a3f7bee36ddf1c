package object

import (
	"golang.org/x/sys/unix"

	"quartz/hal"
	"quartz/kernel/mm"
	"quartz/lib/vmio"
)

// VMO options and operations, with Fuchsia's values.
const (
	// VmoResizable is ZX_VMO_RESIZABLE, zx_vmo_create's only option.
	VmoResizable uint32 = 1 << 1

	VmoChildSnapshot               uint32 = 1 << 0
	VmoChildResizable              uint32 = 1 << 2
	VmoChildSlice                  uint32 = 1 << 3
	VmoChildSnapshotAtLeastOnWrite uint32 = 1 << 4
	VmoChildNoWrite                uint32 = 1 << 5

	VmoOpCommit               uint32 = 1
	VmoOpDecommit             uint32 = 2
	VmoOpLock                 uint32 = 3
	VmoOpUnlock               uint32 = 4
	VmoOpCacheSync            uint32 = 6
	VmoOpCacheInvalidate      uint32 = 7
	VmoOpCacheClean           uint32 = 8
	VmoOpCacheCleanInvalidate uint32 = 9
	VmoOpZero                 uint32 = 10
	VmoOpTryLock              uint32 = 11
	VmoOpDontNeed             uint32 = 12
	VmoOpAlwaysNeed           uint32 = 13

	CachePolicyCached         uint32 = 0
	CachePolicyUncached       uint32 = 1
	CachePolicyUncachedDevice uint32 = 2
	CachePolicyWriteCombining uint32 = 3
	CachePolicyMask           uint32 = 3
)

// PageSize is ZX_PAGE_SIZE.
const PageSize = hal.PageSize

// vmoKind is how a VMO came to be, as zx_info_vmo_t reports it.
type vmoKind uint8

const (
	vmoRoot  vmoKind = iota // zx_vmo_create
	vmoClone                // a copy-on-write child
	vmoSlice                // a window onto its parent
)

// VMO is a virtual memory object (Zircon's VmObjectDispatcher) wrapping
// an mm.VMO, which does the memory management: pages committed on write,
// copy-on-write clones through hidden nodes, slices. This layer adds what
// Zircon's user interface has on top: rights, the ZERO_CHILDREN signal,
// the cache policy, the child count and the statuses.
type VMO struct {
	Base
	vmo        *mm.VMO
	kind       vmoKind
	parentKoid Koid
	// decommittable: the pages are the VMO's own (or, for a slice, its
	// ancestors'), so decommit may drop them.
	decommittable bool

	// Guarded by the lock.
	cachePolicy uint32
	children    int
}

// NewVMO is zx_vmo_create: a VMO of size bytes (rounded up to pages)
// taking its pages from frames. Statuses: INVALID_ARGS for an unknown
// option, OUT_OF_RANGE for a size too large, NO_MEMORY.
func NewVMO(frames *mm.Frames, size uint64, options uint32) (*VMO, Status) {
	if options&^VmoResizable != 0 {
		return nil, ErrInvalidArgs
	}
	if _, st := roundVMOSize(size); st != OK {
		return nil, st
	}
	v, err := mm.NewVMO(frames, size, options&VmoResizable != 0)
	if err != nil {
		return nil, ErrNoMemory
	}
	return wrapVMO(v, vmoRoot, KoidInvalid, true), OK
}

func wrapVMO(v *mm.VMO, kind vmoKind, parent Koid, decommittable bool) *VMO {
	o := &VMO{vmo: v, kind: kind, parentKoid: parent, decommittable: decommittable}
	o.Init(TypeVMO, VMOZeroChildren)
	v.SetOwner(o)
	return o
}

// roundVMOSize rounds a VMO size up to pages: OUT_OF_RANGE if that
// overflows or exceeds what a VMO may hold (VmObject::RoundSize).
func roundVMOSize(size uint64) (uint64, Status) {
	r := (size + PageSize - 1) &^ (PageSize - 1)
	if r < size || r > mm.MaxVMOSize {
		return 0, ErrOutOfRange
	}
	return r, OK
}

// Memory is the mm.VMO behind the object, for mapping it.
func (o *VMO) Memory() *mm.VMO { return o.vmo }

// DefaultRights is the rights of a new handle to o: the VMO defaults,
// plus RESIZE for a resizable VMO.
func (o *VMO) DefaultRights() Rights {
	r := DefaultVMORights
	if o.vmo.Resizable() {
		r |= RightResize
	}
	return r
}

// OnZeroHandles lets go of the memory: it lives on while mapped, or
// while a child reads through it.
func (o *VMO) OnZeroHandles() { o.vmo.Unref() }

// Size is zx_vmo_get_size.
func (o *VMO) Size() uint64 { return o.vmo.Size() }

// Resizable reports whether the VMO was made resizable.
func (o *VMO) Resizable() bool { return o.vmo.Resizable() }

// checkIO checks a read or write of n bytes at off: BAD_STATE for an
// uncached VMO (the kernel does not touch such memory through its own
// mapping), OUT_OF_RANGE past the end.
func (o *VMO) checkIO(off, n uint64) Status {
	o.Lock()
	policy := o.cachePolicy
	o.Unlock()
	if policy != CachePolicyCached {
		return ErrBadState
	}
	if end := off + n; end < off || end > o.vmo.Size() {
		return ErrOutOfRange
	}
	return OK
}

// Read is zx_vmo_read: copy the VMO's content at off into dst, as many
// bytes as dst takes. A fault on dst (guest memory) gives INVALID_ARGS.
func (o *VMO) Read(dst *vmio.Writer, off uint64) Status {
	n := dst.Remaining()
	if st := o.checkIO(off, n); st != OK {
		return st
	}
	if _, err := o.vmo.Read(dst, off, n, 0); err != nil {
		return memStatus(err)
	}
	return OK
}

// Write is zx_vmo_write: copy src into the VMO at off.
func (o *VMO) Write(src *vmio.Reader, off uint64) Status {
	n := src.Remaining()
	if st := o.checkIO(off, n); st != OK {
		return st
	}
	if _, err := o.vmo.Write(src, off, n, 0); err != nil {
		return memStatus(err)
	}
	return OK
}

// ReadAt and WriteAt are Read and Write for kernel memory.
func (o *VMO) ReadAt(b []byte, off uint64) Status  { return o.Read(vmio.NewKernelWriter(b), off) }
func (o *VMO) WriteAt(b []byte, off uint64) Status { return o.Write(vmio.NewKernelReader(b), off) }

// SetSize is zx_vmo_set_size: the size becomes size rounded up to pages,
// the content size size itself, and the bytes between them read as
// zeros. OUT_OF_RANGE if the size cannot be rounded, UNAVAILABLE for a VMO
// not made resizable, OUT_OF_RANGE again for a size too large.
func (o *VMO) SetSize(size uint64) Status {
	if size+PageSize-1 < size {
		return ErrOutOfRange
	}
	if !o.vmo.Resizable() {
		return ErrUnavailable
	}
	rounded, st := roundVMOSize(size)
	if st != OK {
		return st
	}
	if err := o.vmo.SetSize(size); err != nil {
		return memStatus(err)
	}
	if rounded > size {
		o.vmo.Zero(size, rounded-size, 0)
	}
	return OK
}

// ContentSize is ZX_PROP_VMO_CONTENT_SIZE.
func (o *VMO) ContentSize() uint64 { return o.vmo.ContentSize() }

// SetContentSize sets ZX_PROP_VMO_CONTENT_SIZE; the bytes past it read as
// zeros. OUT_OF_RANGE beyond the VMO's size.
func (o *VMO) SetContentSize(n uint64) Status {
	if err := o.vmo.SetContentSize(n); err != nil {
		return ErrOutOfRange
	}
	if size := o.vmo.Size(); n < size {
		o.vmo.Zero(n, size-n, 0)
	}
	return OK
}

// SetCachePolicy is zx_vmo_set_cache_policy. The policy may only change
// while the VMO is a clean slate: no pages committed, not mapped, no
// children and no parent (BAD_STATE otherwise); INVALID_ARGS for an
// unknown policy. Quartz's memory is always cacheable; the policy is
// recorded and reported, and an uncached VMO refuses vmo_read/write as
// Zircon's does.
func (o *VMO) SetCachePolicy(policy uint32) Status {
	if policy&^CachePolicyMask != 0 {
		return ErrInvalidArgs
	}
	o.Lock()
	defer o.Unlock()
	if o.kind != vmoRoot || o.children > 0 || o.vmo.CommittedPages() > 0 || o.vmo.MappingCount() > 0 {
		return ErrBadState
	}
	o.cachePolicy = policy
	return OK
}

// CachePolicy is the VMO's ZX_CACHE_POLICY_*.
func (o *VMO) CachePolicy() uint32 {
	o.Lock()
	defer o.Unlock()
	return o.cachePolicy
}

// memStatus turns an mm error into the status Zircon gives.
func memStatus(err error) Status {
	switch err {
	case nil:
		return OK
	case unix.ERANGE:
		return ErrOutOfRange
	case unix.ENOMEM:
		return ErrNoMemory
	case unix.EFAULT:
		return ErrInvalidArgs
	case unix.ENOTSUP:
		return ErrNotSupported
	case unix.EPERM:
		return ErrUnavailable
	case unix.EINVAL:
		return ErrInvalidArgs
	case unix.EACCES:
		return ErrAccessDenied
	case unix.EBADF:
		return ErrBadState
	case unix.EEXIST:
		return ErrNoMemory
	case unix.ENOENT:
		return ErrNotFound
	}
	return ErrIO
}
