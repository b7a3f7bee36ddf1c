package syscall

import "quartz/zircon/object"

// zx_vmar_allocate(parent_vmar, options, offset, size, child_vmar,
// child_addr). If the results cannot be written the new handle is closed;
// the region stays, as in Zircon (a region lives without handles).
func sysVMARAllocate(c *Context, a *args) int64 {
	v, addr, st := object.VmarAllocate(c.Process, a.h(0), a.u32(1), a[2], a[3])
	if st != object.OK {
		return ret(st)
	}
	if st := c.putU64(a[5], addr); st != object.OK {
		c.handles().Close(v)
		return ret(st)
	}
	return ret(c.outHandle(a[4], v, object.OK))
}

// zx_vmar_map(handle, options, vmar_offset, vmo, vmo_offset, len,
// mapped_addr): the seventh argument is in r12. If mapped_addr cannot be
// written the mapping is undone.
func sysVMARMap(c *Context, a *args) int64 {
	vmar := a.h(0)
	addr, st := object.VmarMap(c.Process, vmar, a.u32(1), a[2], a.h(3), a[4], a[5])
	if st != object.OK {
		return ret(st)
	}
	if st := c.putU64(a[6], addr); st != object.OK {
		object.VmarUnmap(c.Process, vmar, addr, a[5])
		return ret(st)
	}
	return ret(object.OK)
}

// zx_vmar_unmap(handle, addr, len).
func sysVMARUnmap(c *Context, a *args) int64 {
	return ret(object.VmarUnmap(c.Process, a.h(0), a[1], a[2]))
}

// zx_vmar_protect(handle, options, addr, len).
func sysVMARProtect(c *Context, a *args) int64 {
	return ret(object.VmarProtect(c.Process, a.h(0), a.u32(1), a[2], a[3]))
}

// zx_vmar_destroy(handle).
func sysVMARDestroy(c *Context, a *args) int64 {
	return ret(object.VmarDestroy(c.Process, a.h(0)))
}

// zx_vmar_unmap_handle_close_thread_exit(vmar_handle, addr, size,
// close_handle), a vDSO call ending a thread (its own stack unmapped): it
// returns only if the unmap fails.
func sysVMARUnmapHandleCloseThreadExit(c *Context, a *args) int64 {
	if st := object.VmarUnmap(c.Process, a.h(0), a[1], a[2]); st != object.OK {
		return ret(st)
	}
	if h := a.h(3); h != object.HandleInvalid {
		c.handles().Close(h)
	}
	return c.threadExit()
}
