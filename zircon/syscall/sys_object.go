package syscall

import (
	"encoding/binary"

	"quartz/zircon/object"
)

// zx_object_signal(handle, clear_mask, set_mask).
func sysObjectSignal(c *Context, a *args) int64 {
	h, st := getHandle(c, a.h(0), 0)
	if st != object.OK {
		return ret(st)
	}
	return ret(object.ObjectSignal(h, a.signals(1), a.signals(2)))
}

// zx_object_signal_peer(handle, clear_mask, set_mask).
func sysObjectSignalPeer(c *Context, a *args) int64 {
	h, st := getHandle(c, a.h(0), 0)
	if st != object.OK {
		return ret(st)
	}
	return ret(object.ObjectSignalPeer(h, a.signals(1), a.signals(2)))
}

// zx_object_get_child(handle, koid, rights, out).
func sysObjectGetChild(c *Context, a *args) int64 {
	nv, st := object.ObjectGetChild(c.Process, a.h(0), object.Koid(a[1]), a.rights(2))
	return ret(c.outHandle(a[3], nv, st))
}

// Properties have fixed sizes: the name is char[ZX_MAX_NAME_LEN], the
// rest are 64-bit (uintptr_t, size_t, uint64_t).
const (
	propWordSize = 8
	propBufSize  = object.MaxNameLen
)

func propSize(prop uint32) uint64 {
	if prop == object.PropName {
		return object.MaxNameLen
	}
	return propWordSize
}

// zx_object_get_property(handle, property, value, value_size): the handle
// needs GET_PROPERTY; a buffer shorter than the property is
// BUFFER_TOO_SMALL.
func sysObjectGetProperty(c *Context, a *args) int64 {
	v, prop, ptr, size := a.h(0), a.u32(1), a[2], a[3]
	h, st := getHandle(c, v, object.RightGetProperty)
	if st != object.OK {
		return ret(st)
	}
	var buf [propBufSize]byte
	b := buf[:min(size, propBufSize)]
	if s, ok := socketProperty(h, prop); ok {
		st = s.get(prop, b)
	} else {
		st = object.ObjectGetProperty(c.Process, v, prop, b)
	}
	if st != object.OK {
		return ret(st)
	}
	return ret(c.copyOut(ptr, b[:min(uint64(len(b)), propSize(prop))]))
}

// zx_object_set_property(handle, property, value, value_size): the handle
// needs SET_PROPERTY; a name longer than ZX_MAX_NAME_LEN-1 is cut.
func sysObjectSetProperty(c *Context, a *args) int64 {
	v, prop, ptr, size := a.h(0), a.u32(1), a[2], a[3]
	h, st := getHandle(c, v, object.RightSetProperty)
	if st != object.OK {
		return ret(st)
	}
	n := min(size, propSize(prop))
	if prop == object.PropName {
		n = min(size, object.MaxNameLen-1)
	}
	var buf [propBufSize]byte
	b := buf[:n]
	if st := c.copyIn(ptr, b); st != object.OK {
		return ret(st)
	}
	if s, ok := socketProperty(h, prop); ok {
		return ret(s.set(prop, b))
	}
	return ret(object.ObjectSetProperty(c.Process, v, prop, b))
}

// socketProps answers a socket's threshold properties when the socket
// does not answer them itself (object.PropertyObject).
type socketProps struct{ s *object.Socket }

func socketProperty(h *object.Handle, prop uint32) (socketProps, bool) {
	if prop != object.PropSocketRxThreshold && prop != object.PropSocketTxThreshold {
		return socketProps{}, false
	}
	if _, own := h.Object().(object.PropertyObject); own {
		return socketProps{}, false
	}
	s, ok := h.Object().(*object.Socket)
	return socketProps{s}, ok
}

func (p socketProps) get(prop uint32, b []byte) object.Status {
	if len(b) < propWordSize {
		return object.ErrBufferTooSmall
	}
	v := p.s.RxThreshold()
	if prop == object.PropSocketTxThreshold {
		v = p.s.TxThreshold()
	}
	binary.LittleEndian.PutUint64(b, v)
	return object.OK
}

func (p socketProps) set(prop uint32, b []byte) object.Status {
	if len(b) < propWordSize {
		return object.ErrBufferTooSmall
	}
	v := binary.LittleEndian.Uint64(b)
	if prop == object.PropSocketTxThreshold {
		return p.s.SetTxThreshold(v)
	}
	return p.s.SetRxThreshold(v)
}
