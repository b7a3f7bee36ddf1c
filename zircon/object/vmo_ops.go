package object

import "quartz/lib/vmio"

// These are the VMO syscalls as a process makes them: handle lookups and
// rights checks in Zircon's order, then the object's part. The syscall
// layer hands user buffers over as vmio readers and writers.

// VmoCreate is zx_vmo_create: ZX_POL_NEW_VMO, then NewVMO; the handle
// has the VMO defaults (and RESIZE for a resizable VMO).
func VmoCreate(p *Process, size uint64, options uint32) (HandleValue, Status) {
	if st := p.EnforcePolicy(PolNewVMO); st != OK {
		return HandleInvalid, st
	}
	v, st := NewVMO(p.env.Frames, size, options)
	if st != OK {
		return HandleInvalid, st
	}
	return p.AddHandle(v, v.DefaultRights())
}

// VmoRead is zx_vmo_read: READ right, then VMO.Read.
func VmoRead(p *Process, v HandleValue, dst *vmio.Writer, offset uint64) Status {
	vmo, _, st := lookup[*VMO](p, v, RightRead)
	if st != OK {
		return st
	}
	return vmo.Read(dst, offset)
}

// VmoWrite is zx_vmo_write: WRITE right, then VMO.Write.
func VmoWrite(p *Process, v HandleValue, src *vmio.Reader, offset uint64) Status {
	vmo, _, st := lookup[*VMO](p, v, RightWrite)
	if st != OK {
		return st
	}
	return vmo.Write(src, offset)
}

// VmoGetSize is zx_vmo_get_size: no right needed.
func VmoGetSize(p *Process, v HandleValue) (uint64, Status) {
	vmo, _, st := lookup[*VMO](p, v, 0)
	if st != OK {
		return 0, st
	}
	return vmo.Size(), OK
}

// VmoSetSize is zx_vmo_set_size: WRITE right (ACCESS_DENIED), then
// VMO.SetSize; a resizable VMO's handle also needs RESIZE.
func VmoSetSize(p *Process, v HandleValue, size uint64) Status {
	vmo, h, st := lookup[*VMO](p, v, RightWrite)
	if st != OK {
		return st
	}
	if vmo.Resizable() && !h.HasRights(RightResize) {
		return ErrAccessDenied
	}
	return vmo.SetSize(size)
}

// VmoOpRange is zx_vmo_op_range: the rights needed depend on op, see
// VMO.OpRange. A buffer is taken by no operation Quartz supports.
func VmoOpRange(p *Process, v HandleValue, op uint32, offset, size uint64) Status {
	vmo, h, st := lookup[*VMO](p, v, 0)
	if st != OK {
		return st
	}
	return vmo.OpRange(op, offset, size, h.Rights())
}

// VmoSetCachePolicy is zx_vmo_set_cache_policy: an unknown policy is
// INVALID_ARGS before the handle is looked at; the handle needs MAP.
func VmoSetCachePolicy(p *Process, v HandleValue, policy uint32) Status {
	if policy&^CachePolicyMask != 0 {
		return ErrInvalidArgs
	}
	vmo, _, st := lookup[*VMO](p, v, RightMap)
	if st != OK {
		return st
	}
	return vmo.SetCachePolicy(policy)
}

// VmoCreateChild is zx_vmo_create_child: the handle needs DUPLICATE and
// READ; the child's name is copied if it also has GET_PROPERTY; the new
// handle's rights are ChildRights of the parent handle's.
func VmoCreateChild(p *Process, v HandleValue, options uint32, offset, size uint64) (HandleValue, Status) {
	vmo, h, st := lookup[*VMO](p, v, RightDuplicate|RightRead)
	if st != OK {
		return HandleInvalid, st
	}
	c, st := vmo.CreateChild(options, offset, size, h.HasRights(RightGetProperty))
	if st != OK {
		return HandleInvalid, st
	}
	return p.AddHandle(c, ChildRights(h.Rights(), options))
}

// VmoReplaceAsExecutable is zx_vmo_replace_as_executable: the handle is
// replaced by one with EXECUTE added. vmex must be ZX_HANDLE_INVALID, in
// which case ZX_POL_AMBIENT_MARK_VMO_EXEC decides (Quartz has no VMEX
// resource yet: any other value is BAD_HANDLE). The source handle is
// consumed even on failure; a handle that is not a VMO is BAD_HANDLE.
func VmoReplaceAsExecutable(p *Process, v, vmex HandleValue) (HandleValue, Status) {
	st := ErrBadHandle
	if vmex == HandleInvalid {
		st = p.EnforcePolicy(PolAmbientMarkVMOExec)
	}
	h, rst := p.handles.Remove(v)
	if rst != OK {
		p.EnforcePolicy(PolBadHandle)
		return HandleInvalid, rst
	}
	defer h.Close()
	if st != OK {
		return HandleInvalid, st
	}
	if h.Object().Type() != TypeVMO {
		return HandleInvalid, ErrBadHandle
	}
	return p.handles.Add(NewHandle(h.Object(), h.Rights()|RightExecute))
}
