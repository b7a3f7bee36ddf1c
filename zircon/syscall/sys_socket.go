package syscall

import "quartz/zircon/object"

// zx_socket_create(options, out0, out1): ZX_POL_NEW_SOCKET, then the
// options (stream or datagram; anything else INVALID_ARGS).
func sysSocketCreate(c *Context, a *args) int64 {
	if st := c.policy(object.PolNewSocket); st != object.OK {
		return ret(st)
	}
	s0, s1, st := object.NewSocket(a.u32(0))
	if st != object.OK {
		return ret(st)
	}
	return ret(c.addPair(s0, s1, object.DefaultSocketRights, a[1], a[2]))
}

// zx_socket_write(handle, options, buffer, buffer_size, actual): options
// must be 0 (INVALID_ARGS, before the lookup); the socket needs WRITE.
// actual (may be 0) gets the bytes taken: a stream write takes what fits.
func sysSocketWrite(c *Context, a *args) int64 {
	v, options, ptr, size := a.h(0), a.u32(1), a[2], a[3]
	if options != 0 {
		return ret(object.ErrInvalidArgs)
	}
	s, _, st := get[*object.Socket](c, v, object.RightWrite)
	if st != object.OK {
		return ret(st)
	}
	// Copy no more than the write can take: a stream write stops at the
	// peer's free space (at least a byte, for the statuses of a write
	// that takes nothing); a datagram goes whole, and one past the
	// buffer's size only needs to be seen to be too big.
	n := min(size, object.SocketBufferMax+1)
	if s.Options()&object.SocketDatagram == 0 {
		info := s.Info()
		n = min(size, max(info.TxBufMax-info.TxBufSize, 1))
	}
	buf, done := scratch(n)
	defer done.release()
	if st := c.copyIn(ptr, buf); st != object.OK {
		return ret(st)
	}
	written, st := s.Write(0, buf)
	if st != object.OK {
		return ret(st)
	}
	return ret(c.putOptU64(a[4], uint64(written)))
}

// zx_socket_read(handle, options, buffer, buffer_size, actual): options
// other than ZX_SOCKET_PEEK are INVALID_ARGS (before the lookup); the
// socket needs READ. actual (may be 0) gets the bytes read. The data is
// taken before it is written out: a buffer that cannot be written loses
// it (INVALID_ARGS).
func sysSocketRead(c *Context, a *args) int64 {
	v, options, ptr, size := a.h(0), a.u32(1), a[2], a[3]
	if options&^object.SocketPeek != 0 {
		return ret(object.ErrInvalidArgs)
	}
	s, _, st := get[*object.Socket](c, v, object.RightRead)
	if st != object.OK {
		return ret(st)
	}
	buf, done := scratch(min(size, object.SocketBufferMax))
	defer done.release()
	n, st := s.Read(options, buf)
	if st != object.OK {
		return ret(st)
	}
	if st := c.copyOut(ptr, buf[:n]); st != object.OK {
		return ret(st)
	}
	return ret(c.putOptU64(a[4], uint64(n)))
}

// zx_socket_set_disposition(handle, disposition, disposition_peer): each
// must be 0 or one disposition (INVALID_ARGS, before the lookup); the
// socket needs MANAGE_SOCKET.
func sysSocketSetDisposition(c *Context, a *args) int64 {
	d, dp := a.u32(1), a.u32(2)
	valid := func(x uint32) bool {
		return x == 0 || x == object.SocketDispositionWriteDisabled || x == object.SocketDispositionWriteEnabled
	}
	if !valid(d) || !valid(dp) {
		return ret(object.ErrInvalidArgs)
	}
	s, _, st := get[*object.Socket](c, a.h(0), object.RightManageSocket)
	if st != object.OK {
		return ret(st)
	}
	return ret(s.SetDisposition(d, dp))
}
