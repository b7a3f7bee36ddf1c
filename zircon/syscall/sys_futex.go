package syscall

import "quartz/zircon/object"

// futexOwner resolves a proposed futex owner: ZX_HANDLE_INVALID is none;
// otherwise a thread of the caller's process that is running (BAD_HANDLE,
// WRONG_TYPE, then INVALID_ARGS). The futex reports the status only after
// checking the futex word, as Zircon does.
func (c *Context) futexOwner(v object.HandleValue) object.FutexOwner {
	if v == object.HandleInvalid {
		return object.FutexOwner{}
	}
	t, _, st := get[*object.Thread](c, v, 0)
	if st != object.OK {
		return object.FutexOwner{Status: st}
	}
	if t.Process() != c.Process {
		return object.FutexOwner{Status: object.ErrInvalidArgs}
	}
	switch t.Info().State {
	case object.ThreadStateNew, object.ThreadStateDead:
		return object.FutexOwner{Status: object.ErrInvalidArgs}
	}
	return object.FutexOwner{Thread: t}
}

// self is the calling thread as a futex waiter, nil outside a thread.
func (c *Context) self() object.Object {
	if c.Thread == nil {
		return nil
	}
	return c.Thread
}

// zx_futex_wait(value_ptr, current_value, new_futex_owner, deadline).
func sysFutexWait(c *Context, a *args) int64 {
	return ret(c.Process.Futexes.Wait(a[0], a.u32(1), c.self(), c.futexOwner(a.h(2)), a.time(3), c.cancel()))
}

// zx_futex_wake(value_ptr, wake_count): wake_count UINT32_MAX wakes all.
func sysFutexWake(c *Context, a *args) int64 {
	return ret(c.Process.Futexes.Wake(a[0], a.u32(1)))
}

// zx_futex_wake_single_owner(value_ptr).
func sysFutexWakeSingleOwner(c *Context, a *args) int64 {
	return ret(c.Process.Futexes.WakeSingleOwner(a[0]))
}

// zx_futex_requeue(value_ptr, wake_count, current_value, requeue_ptr,
// requeue_count, new_requeue_owner).
func sysFutexRequeue(c *Context, a *args) int64 {
	return ret(c.Process.Futexes.Requeue(a[0], a.u32(1), a.u32(2), a[3], a.u32(4), c.futexOwner(a.h(5))))
}

// zx_futex_requeue_single_owner(value_ptr, current_value, requeue_ptr,
// requeue_count, new_requeue_owner).
func sysFutexRequeueSingleOwner(c *Context, a *args) int64 {
	return ret(c.Process.Futexes.RequeueSingleOwner(a[0], a.u32(1), a[2], a.u32(3), c.futexOwner(a.h(4))))
}

// zx_futex_get_owner(value_ptr, koid): koid (may be 0) gets the owner's
// koid, or ZX_KOID_INVALID.
func sysFutexGetOwner(c *Context, a *args) int64 {
	k, st := c.Process.Futexes.GetOwner(a[0])
	if st != object.OK {
		return ret(st)
	}
	return ret(c.putOptU64(a[1], uint64(k)))
}

// zx_futex_wake_handle_close_thread_exit(value_ptr, wake_count,
// new_value, close_handle), a vDSO call ending a thread: store new_value,
// wake, close the handle (if not ZX_HANDLE_INVALID), exit. It returns
// only when value_ptr is bad (INVALID_ARGS).
func sysFutexWakeHandleCloseThreadExit(c *Context, a *args) int64 {
	ptr := a[0]
	if ptr == 0 || ptr%futexWordSize != 0 {
		return ret(object.ErrInvalidArgs)
	}
	if st := c.putU32(ptr, a.u32(2)); st != object.OK {
		return ret(st)
	}
	c.Process.Futexes.Wake(ptr, a.u32(1))
	if h := a.h(3); h != object.HandleInvalid {
		c.handles().Close(h)
	}
	return c.threadExit()
}
