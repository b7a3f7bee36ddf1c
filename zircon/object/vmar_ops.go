package object

// The VMAR syscalls as a process makes them.

// VmarAllocate is zx_vmar_allocate: the parent handle needs READ, WRITE
// and EXECUTE for each CAN_MAP_* asked (ACCESS_DENIED), then
// VMAR.Allocate. It returns the new region's handle, whose rights follow
// its CAN_MAP_* flags, and address.
func VmarAllocate(p *Process, parent HandleValue, options uint32, offset, size uint64) (HandleValue, uint64, Status) {
	var want Rights
	if options&VmCanMapRead != 0 {
		want |= RightRead
	}
	if options&VmCanMapWrite != 0 {
		want |= RightWrite
	}
	if options&VmCanMapExecute != 0 {
		want |= RightExecute
	}
	r, _, st := lookup[*VMAR](p, parent, want)
	if st != OK {
		return HandleInvalid, 0, st
	}
	c, st := r.Allocate(options, offset, size)
	if st != OK {
		return HandleInvalid, 0, st
	}
	hv, st := p.AddHandle(c, c.DefaultRights())
	if st != OK {
		c.Destroy()
		return HandleInvalid, 0, st
	}
	return hv, c.Addr(), OK
}

// VmarMap is zx_vmar_map: both handles are looked up (no rights needed to
// find them), then VMAR.Map with their rights. It returns the mapping's
// address.
func VmarMap(p *Process, vmar HandleValue, options uint32, offset uint64, vmo HandleValue, vmoOffset, length uint64) (uint64, Status) {
	r, rh, st := lookup[*VMAR](p, vmar, 0)
	if st != OK {
		return 0, st
	}
	o, oh, st := lookup[*VMO](p, vmo, 0)
	if st != OK {
		return 0, st
	}
	return r.Map(options, offset, o, vmoOffset, length, rh.Rights(), oh.Rights())
}

// VmarUnmap is zx_vmar_unmap.
func VmarUnmap(p *Process, vmar HandleValue, addr, length uint64) Status {
	r, _, st := lookup[*VMAR](p, vmar, 0)
	if st != OK {
		return st
	}
	return r.Unmap(addr, length)
}

// VmarProtect is zx_vmar_protect: the handle needs READ, WRITE, EXECUTE
// for each PERM_* asked (ACCESS_DENIED), then VMAR.Protect.
func VmarProtect(p *Process, vmar HandleValue, options uint32, addr, length uint64) Status {
	var want Rights
	if options&VmPermRead != 0 {
		want |= RightRead
	}
	if options&VmPermWrite != 0 {
		want |= RightWrite
	}
	if options&VmPermExecute != 0 {
		want |= RightExecute
	}
	r, _, st := lookup[*VMAR](p, vmar, want)
	if st != OK {
		return st
	}
	return r.Protect(options, addr, length)
}

// VmarDestroy is zx_vmar_destroy: no right needed.
func VmarDestroy(p *Process, vmar HandleValue) Status {
	r, _, st := lookup[*VMAR](p, vmar, 0)
	if st != OK {
		return st
	}
	return r.Destroy()
}
