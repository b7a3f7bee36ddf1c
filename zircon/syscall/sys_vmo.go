package syscall

import "quartz/zircon/object"

// zx_vmo_create(size, options, out).
func sysVMOCreate(c *Context, a *args) int64 {
	v, st := object.VmoCreate(c.Process, a[0], a.u32(1))
	return ret(c.outHandle(a[2], v, st))
}

// zx_vmo_read(handle, buffer, offset, buffer_size): the VMO's bytes go
// straight into the caller's buffer; the VMO needs READ.
func sysVMORead(c *Context, a *args) int64 {
	return ret(object.VmoRead(c.Process, a.h(0), c.writer(a[1], a[3]), a[2]))
}

// zx_vmo_write(handle, buffer, offset, buffer_size): the VMO needs WRITE.
func sysVMOWrite(c *Context, a *args) int64 {
	return ret(object.VmoWrite(c.Process, a.h(0), c.reader(a[1], a[3]), a[2]))
}

// zx_vmo_get_size(handle, size).
func sysVMOGetSize(c *Context, a *args) int64 {
	size, st := object.VmoGetSize(c.Process, a.h(0))
	if st != object.OK {
		return ret(st)
	}
	return ret(c.putU64(a[1], size))
}

// zx_vmo_set_size(handle, size).
func sysVMOSetSize(c *Context, a *args) int64 {
	return ret(object.VmoSetSize(c.Process, a.h(0), a[1]))
}

// zx_vmo_op_range(handle, op, offset, size, buffer, buffer_size): no
// operation Quartz provides takes the buffer.
func sysVMOOpRange(c *Context, a *args) int64 {
	return ret(object.VmoOpRange(c.Process, a.h(0), a.u32(1), a[2], a[3]))
}

// zx_vmo_create_child(handle, options, offset, size, out).
func sysVMOCreateChild(c *Context, a *args) int64 {
	v, st := object.VmoCreateChild(c.Process, a.h(0), a.u32(1), a[2], a[3])
	return ret(c.outHandle(a[4], v, st))
}

// zx_vmo_set_cache_policy(handle, cache_policy).
func sysVMOSetCachePolicy(c *Context, a *args) int64 {
	return ret(object.VmoSetCachePolicy(c.Process, a.h(0), a.u32(1)))
}

// zx_vmo_replace_as_executable(handle, vmex, out).
func sysVMOReplaceAsExecutable(c *Context, a *args) int64 {
	v, st := object.VmoReplaceAsExecutable(c.Process, a.h(0), a.h(1))
	return ret(c.outHandle(a[2], v, st))
}
