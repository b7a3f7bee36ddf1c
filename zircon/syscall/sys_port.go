package syscall

import "quartz/zircon/object"

// zx_port_create(options, out): ZX_POL_NEW_PORT, then the options.
func sysPortCreate(c *Context, a *args) int64 {
	if st := c.policy(object.PolNewPort); st != object.OK {
		return ret(st)
	}
	p, st := object.NewPort(a.u32(0))
	if st != object.OK {
		return ret(st)
	}
	v, st := c.Process.AddHandle(p, object.DefaultPortRights)
	return ret(c.outHandle(a[1], v, st))
}

// zx_port_queue(handle, packet): the port needs WRITE; the packet's type
// becomes ZX_PKT_TYPE_USER.
func sysPortQueue(c *Context, a *args) int64 {
	p, _, st := get[*object.Port](c, a.h(0), object.RightWrite)
	if st != object.OK {
		return ret(st)
	}
	var b [object.PortPacketSize]byte
	if st := c.copyIn(a[1], b[:]); st != object.OK {
		return ret(st)
	}
	return ret(p.Queue(object.UnmarshalPortPacket(b[:])))
}

// zx_port_wait(handle, deadline, packet): the port needs READ. The packet
// is taken before it is written out: if packet cannot be written it is
// lost, as in Zircon.
func sysPortWait(c *Context, a *args) int64 {
	p, _, st := get[*object.Port](c, a.h(0), object.RightRead)
	if st != object.OK {
		return ret(st)
	}
	pkt, st := p.Wait(a.time(1), c.cancel())
	if st != object.OK {
		return ret(st)
	}
	b := pkt.Marshal()
	return ret(c.copyOut(a[2], b[:]))
}

// zx_port_cancel(handle, source, key): the port needs WRITE, source WAIT
// (and must be waitable: NOT_SUPPORTED); NOT_FOUND if neither a wait nor
// a queued packet matched.
func sysPortCancel(c *Context, a *args) int64 {
	p, _, st := get[*object.Port](c, a.h(0), object.RightWrite)
	if st != object.OK {
		return ret(st)
	}
	src, st := getHandle(c, a.h(1), object.RightWait)
	if st != object.OK {
		return ret(st)
	}
	if !src.Object().Type().Waitable() {
		return ret(object.ErrNotSupported)
	}
	return ret(p.Cancel(src, a[2]))
}
