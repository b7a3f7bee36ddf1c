package syscall

import (
	"quartz/zircon/object"
)

// handleChunk is how many handle values are read from user memory at a
// time when a call takes an array of them.
const handleChunk = object.ChannelMaxMsgHandles

// zx_handle_close(handle): closing ZX_HANDLE_INVALID is OK.
func sysHandleClose(c *Context, a *args) int64 {
	st := c.handles().Close(a.h(0))
	c.checkBadHandle(st)
	return ret(st)
}

// zx_handle_close_many(handles, num_handles): every valid handle is
// closed; BAD_HANDLE if any value was not one. The array is read a chunk
// at a time; a chunk that cannot be read ends the call with INVALID_ARGS,
// the chunks before it closed.
func sysHandleCloseMany(c *Context, a *args) int64 {
	ptr, n := a[0], a[1]
	st := object.OK
	var raw [handleChunk * handleSize]byte
	var vals [handleChunk]object.HandleValue
	for done := uint64(0); done < n; {
		k := min(n-done, handleChunk)
		if s := c.copyIn(ptr+done*handleSize, raw[:k*handleSize]); s != object.OK {
			return ret(s)
		}
		if s := c.handles().CloseMany(decodeHandles(raw[:k*handleSize], vals[:0])); s != object.OK {
			c.checkBadHandle(s)
			st = s
		}
		done += k
	}
	return ret(st)
}

// zx_handle_duplicate(handle, rights, out).
func sysHandleDuplicate(c *Context, a *args) int64 {
	nv, st := c.handles().Duplicate(a.h(0), a.rights(1))
	c.checkBadHandle(st)
	return ret(c.outHandle(a[2], nv, st))
}

// zx_handle_replace(handle, rights, out): the old handle is gone whatever
// happens.
func sysHandleReplace(c *Context, a *args) int64 {
	nv, st := c.handles().Replace(a.h(0), a.rights(1))
	c.checkBadHandle(st)
	return ret(c.outHandle(a[2], nv, st))
}

// zx_handle_check_valid(handle), a vDSO call: OK for a handle of the
// caller's, BAD_HANDLE otherwise.
func sysHandleCheckValid(c *Context, a *args) int64 {
	if c.handles().CheckValid(a.h(0)) != object.OK {
		return ret(object.ErrBadHandle)
	}
	return ret(object.OK)
}
