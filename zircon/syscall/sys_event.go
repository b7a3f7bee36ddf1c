package syscall

import "quartz/zircon/object"

// zx_event_create(options, out): options first (INVALID_ARGS), then
// ZX_POL_NEW_EVENT.
func sysEventCreate(c *Context, a *args) int64 {
	e, st := object.NewEvent(a.u32(0))
	if st != object.OK {
		return ret(st)
	}
	if st := c.policy(object.PolNewEvent); st != object.OK {
		return ret(st)
	}
	v, st := c.Process.AddHandle(e, object.DefaultEventRights)
	return ret(c.outHandle(a[1], v, st))
}

// zx_eventpair_create(options, out0, out1): any option is NOT_SUPPORTED,
// then ZX_POL_NEW_EVENTPAIR.
func sysEventPairCreate(c *Context, a *args) int64 {
	e0, e1, st := object.NewEventPair(a.u32(0))
	if st != object.OK {
		return ret(st)
	}
	if st := c.policy(object.PolNewEventPair); st != object.OK {
		return ret(st)
	}
	return ret(c.addPair(e0, e1, object.DefaultEventPairRights, a[1], a[2]))
}
