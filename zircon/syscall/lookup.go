package syscall

import "quartz/zircon/object"

// get is the handle lookup every syscall makes: BAD_HANDLE, WRONG_TYPE,
// ACCESS_DENIED, in that order. A value that names no handle also goes
// through the caller's ZX_POL_BAD_HANDLE policy (which may kill it).
func get[T object.Object](c *Context, v object.HandleValue, want object.Rights) (T, *object.Handle, object.Status) {
	obj, h, st := object.GetObject[T](c.handles(), v, want)
	c.checkBadHandle(st)
	return obj, h, st
}

// getHandle looks up a handle to any object.
func getHandle(c *Context, v object.HandleValue, want object.Rights) (*object.Handle, object.Status) {
	h, st := c.handles().Get(v, object.TypeNone, want)
	c.checkBadHandle(st)
	return h, st
}

// checkBadHandle applies ZX_POL_BAD_HANDLE after a failed lookup.
func (c *Context) checkBadHandle(st object.Status) {
	if st == object.ErrBadHandle {
		c.Process.EnforcePolicy(object.PolBadHandle)
	}
}

// outHandle writes the value of a handle the call just made to ptr. If
// the write faults the handle is closed again: the caller would never
// learn its value.
func (c *Context) outHandle(ptr uint64, v object.HandleValue, st object.Status) object.Status {
	if st != object.OK {
		return st
	}
	if st := c.putU32(ptr, uint32(v)); st != object.OK {
		c.handles().Close(v)
		return st
	}
	return object.OK
}

// outPair is outHandle for the two ends of a pair: both values are
// written, or both handles closed.
func (c *Context) outPair(p0, p1 uint64, v0, v1 object.HandleValue) object.Status {
	st := c.putU32(p0, uint32(v0))
	if st == object.OK {
		st = c.putU32(p1, uint32(v1))
	}
	if st != object.OK {
		c.handles().CloseMany([]object.HandleValue{v0, v1})
	}
	return st
}

// addPair puts handles to the two ends of a new pair in the caller's
// table and writes their values out.
func (c *Context) addPair(a, b object.Object, rights object.Rights, p0, p1 uint64) object.Status {
	v0, st := c.Process.AddHandle(a, rights)
	if st != object.OK {
		return st
	}
	v1, st := c.Process.AddHandle(b, rights)
	if st != object.OK {
		c.handles().Close(v0)
		return st
	}
	return c.outPair(p0, p1, v0, v1)
}

// policy applies a ZX_POL_NEW_* condition of the caller's job policy.
func (c *Context) policy(cond uint32) object.Status { return c.Process.EnforcePolicy(cond) }
