package object

import "quartz/kernel/mm"

// CreateChild is zx_vmo_create_child on the object (the syscall adds the
// rights, see VmoCreateChild). Statuses, in Zircon's order:
//
//   - a slice takes no other option but NO_WRITE (INVALID_ARGS); its
//     offset must be page aligned (INVALID_ARGS), its size representable
//     (OUT_OF_RANGE), and it must lie within the parent (INVALID_ARGS);
//     a resizable parent cannot have slices (NOT_SUPPORTED);
//   - a copy-on-write child needs exactly one of SNAPSHOT and
//     SNAPSHOT_AT_LEAST_ON_WRITE, optionally RESIZABLE (INVALID_ARGS, also
//     for RESIZABLE with NO_WRITE); offset aligned (INVALID_ARGS); size and
//     offset+size representable (OUT_OF_RANGE); the parent cached
//     (BAD_STATE) and not a slice (NOT_SUPPORTED).
//
// With copyName the child gets the parent's name. A VMO without a pager
// has no content to read late from, so SNAPSHOT_AT_LEAST_ON_WRITE makes a
// snapshot, as in Zircon.
func (o *VMO) CreateChild(options uint32, offset, size uint64, copyName bool) (*VMO, Status) {
	noWrite := options&VmoChildNoWrite != 0
	options &^= VmoChildNoWrite
	if options&VmoChildSlice != 0 {
		return o.createSlice(options&^VmoChildSlice, offset, size, copyName)
	}
	switch {
	case options&VmoChildSnapshot != 0:
		options &^= VmoChildSnapshot
	case options&VmoChildSnapshotAtLeastOnWrite != 0:
		options &^= VmoChildSnapshotAtLeastOnWrite
	default:
		return nil, ErrInvalidArgs
	}
	resizable := options&VmoChildResizable != 0
	options &^= VmoChildResizable
	if options != 0 || resizable && noWrite {
		return nil, ErrInvalidArgs
	}
	if offset%PageSize != 0 {
		return nil, ErrInvalidArgs
	}
	rounded, st := roundVMOSize(size)
	if st != OK {
		return nil, st
	}
	if offset+rounded < offset {
		return nil, ErrOutOfRange
	}
	if o.CachePolicy() != CachePolicyCached {
		return nil, ErrBadState
	}
	if o.kind == vmoSlice {
		return nil, ErrNotSupported
	}
	v, err := o.vmo.CreateChild(mm.Snapshot, offset, size, resizable)
	if err != nil {
		return nil, memStatus(err)
	}
	return o.adopt(v, vmoClone, false, copyName), OK
}

func (o *VMO) createSlice(options uint32, offset, size uint64, copyName bool) (*VMO, Status) {
	if options != 0 || offset%PageSize != 0 {
		return nil, ErrInvalidArgs
	}
	rounded, st := roundVMOSize(size)
	if st != OK {
		return nil, st
	}
	if end := offset + rounded; end < offset || end > o.vmo.Size() {
		return nil, ErrInvalidArgs
	}
	if o.vmo.Resizable() {
		return nil, ErrNotSupported
	}
	v, err := o.vmo.CreateChild(mm.Slice, offset, size, false)
	if err != nil {
		return nil, memStatus(err)
	}
	c := o.adopt(v, vmoSlice, o.decommittable, copyName)
	c.cachePolicy = o.CachePolicy()
	return c, OK
}

// adopt wraps a new child of o and counts it until it is destroyed:
// ZERO_CHILDREN is clear while o has any.
func (o *VMO) adopt(v *mm.VMO, kind vmoKind, decommittable, copyName bool) *VMO {
	c := wrapVMO(v, kind, o.Koid(), decommittable)
	if copyName {
		if name, st := o.Name(); st == OK {
			c.SetName(name)
		}
	}
	o.Lock()
	o.children++
	if o.children == 1 {
		o.UpdateStateLocked(VMOZeroChildren, 0, 0)
	}
	o.Unlock()
	v.OnDestroy(o.childGone)
	return c
}

func (o *VMO) childGone() {
	o.Lock()
	o.children--
	if o.children == 0 {
		o.UpdateStateLocked(0, VMOZeroChildren, 0)
	}
	o.Unlock()
}

// ChildRights is the rights of the handle zx_vmo_create_child returns,
// given the parent handle's: the same, plus the property rights so the
// child can be named; without WRITE for NO_WRITE, and for a copy-on-write
// child with WRITE and without EXECUTE otherwise; RESIZE exactly when the
// child is resizable.
func ChildRights(parent Rights, options uint32) Rights {
	r := parent | RightGetProperty | RightSetProperty
	switch {
	case options&VmoChildNoWrite != 0:
		r &^= RightWrite
	case options&(VmoChildSnapshot|VmoChildSnapshotAtLeastOnWrite) != 0 && options&VmoChildSlice == 0:
		r = r&^RightExecute | RightWrite
	}
	r &^= RightResize
	if options&VmoChildResizable != 0 && options&VmoChildSlice == 0 {
		r |= RightResize
	}
	return r
}

// OpRange is zx_vmo_op_range on the object, with the rights of the handle
// it came through. COMMIT, DECOMMIT and ZERO need WRITE; the cache
// operations READ (INVALIDATE is a debugging operation Quartz does not
// offer: NOT_SUPPORTED); LOCK and its kin need READ or WRITE and are
// NOT_SUPPORTED, since no VMO here is discardable. Ranges:
//
//   - COMMIT and DECOMMIT are trimmed to the VMO: an offset past its end
//     is OUT_OF_RANGE, a range reaching past it is cut; DECOMMIT is
//     NOT_SUPPORTED for a copy-on-write child (and slices of one) and
//     INVALID_ARGS for a range not page aligned;
//   - ZERO must lie within the VMO (OUT_OF_RANGE); partial pages are
//     written with zeros, whole pages decommitted;
//   - cache operations: an empty range is INVALID_ARGS, one reaching past
//     the end OUT_OF_RANGE.
//
// An unknown op is INVALID_ARGS.
func (o *VMO) OpRange(op uint32, offset, size uint64, rights Rights) Status {
	switch op {
	case VmoOpCommit:
		if !rights.Has(RightWrite) {
			return ErrAccessDenied
		}
		n, st := o.trim(offset, size)
		if st != OK || n == 0 {
			return st
		}
		return memStatus(o.vmo.Commit(offset, n, 0))
	case VmoOpDecommit:
		if !rights.Has(RightWrite) {
			return ErrAccessDenied
		}
		n, st := o.trim(offset, size)
		if st != OK || n == 0 {
			return st
		}
		if !o.decommittable {
			return ErrNotSupported
		}
		if offset%PageSize != 0 || size%PageSize != 0 {
			return ErrInvalidArgs
		}
		return memStatus(o.vmo.Decommit(offset, n))
	case VmoOpZero:
		if !rights.Has(RightWrite) {
			return ErrAccessDenied
		}
		if end := offset + size; end < offset || end > o.vmo.Size() {
			return ErrOutOfRange
		}
		return memStatus(o.vmo.Zero(offset, size, 0))
	case VmoOpLock, VmoOpTryLock, VmoOpUnlock:
		if rights&(RightRead|RightWrite) == 0 {
			return ErrAccessDenied
		}
		return ErrNotSupported
	case VmoOpCacheSync, VmoOpCacheClean, VmoOpCacheCleanInvalidate:
		if !rights.Has(RightRead) {
			return ErrAccessDenied
		}
		if size == 0 {
			return ErrInvalidArgs
		}
		if end := offset + size; end < offset || end > o.vmo.Size() {
			return ErrOutOfRange
		}
		return OK // coherent host memory: nothing to clean
	case VmoOpCacheInvalidate:
		return ErrNotSupported
	case VmoOpDontNeed, VmoOpAlwaysNeed:
		if end := offset + size; end < offset || end > o.vmo.Size() {
			return ErrOutOfRange
		}
		return OK // hints for reclaim, which Quartz does not do
	}
	return ErrInvalidArgs
}

// trim is Zircon's TrimRange: OUT_OF_RANGE for an offset past the end,
// else the length cut to the VMO.
func (o *VMO) trim(offset, size uint64) (uint64, Status) {
	vs := o.vmo.Size()
	if offset > vs {
		return 0, ErrOutOfRange
	}
	return min(size, vs-offset), OK
}
