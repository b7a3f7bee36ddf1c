package syscall

import (
	"encoding/binary"

	"quartz/zircon/object"
)

// waited reports whether a wait status comes from waiting (the observed
// signals are reported) rather than from a check before it.
func waited(st object.Status) bool {
	return st == object.OK || st == object.ErrTimedOut || st == object.ErrCanceled
}

// zx_object_wait_one(handle, signals, deadline, observed): observed (may
// be 0) gets the signal state when the wait ended — also on TIMED_OUT and
// CANCELED.
func sysObjectWaitOne(c *Context, a *args) int64 {
	h, st := getHandle(c, a.h(0), 0)
	if st != object.OK {
		return ret(st)
	}
	observed, st := object.WaitOne(h, a.signals(1), a.time(2), c.cancel())
	if waited(st) {
		if s := c.putOptU32(a[3], uint32(observed)); s != object.OK {
			return ret(s)
		}
	}
	return ret(st)
}

// zx_object_wait_many(items, num_items, deadline): more than
// ZX_WAIT_MANY_MAX_ITEMS items is OUT_OF_RANGE; every handle is looked up
// before waiting; each item's pending field is written back when the wait
// ends.
func sysObjectWaitMany(c *Context, a *args) int64 {
	ptr, n, deadline := a[0], a[1], a.time(2)
	if n > object.WaitManyMaxItems {
		return ret(object.ErrOutOfRange)
	}
	var raw [object.WaitManyMaxItems * waitItemSize]byte
	b := raw[:n*waitItemSize]
	if st := c.copyIn(ptr, b); st != object.OK {
		return ret(st)
	}
	var itemBuf [object.WaitManyMaxItems]object.WaitItem
	items := itemBuf[:n]
	for i := range items {
		r := b[i*waitItemSize:]
		h, st := getHandle(c, object.HandleValue(binary.LittleEndian.Uint32(r)), 0)
		if st != object.OK {
			return ret(st)
		}
		items[i] = object.WaitItem{Handle: h, WaitFor: object.Signals(binary.LittleEndian.Uint32(r[4:]))}
	}
	st := object.WaitMany(items, deadline, c.cancel())
	if !waited(st) {
		return ret(st)
	}
	for i := range items {
		binary.LittleEndian.PutUint32(b[i*waitItemSize+8:], uint32(items[i].Pending))
	}
	if s := c.copyOut(ptr, b); s != object.OK {
		return ret(s)
	}
	return ret(st)
}

// zx_object_wait_async(handle, port, key, signals, options): unknown
// options are INVALID_ARGS; the port needs WRITE, the handle WAIT.
func sysObjectWaitAsync(c *Context, a *args) int64 {
	v, pv, key, signals, options := a.h(0), a.h(1), a[2], a.signals(3), a.u32(4)
	if options&^(object.WaitAsyncTimestamp|object.WaitAsyncEdge) != 0 {
		return ret(object.ErrInvalidArgs)
	}
	_, ph, st := get[*object.Port](c, pv, object.RightWrite)
	if st != object.OK {
		return ret(st)
	}
	h, st := getHandle(c, v, 0)
	if st != object.OK {
		return ret(st)
	}
	return ret(object.ObjectWaitAsync(h, ph, key, signals, options))
}
