package syscall

import "quartz/zircon/object"

// zx_channel_create(options, out0, out1): options first (INVALID_ARGS),
// then ZX_POL_NEW_CHANNEL.
func sysChannelCreate(c *Context, a *args) int64 {
	c0, c1, st := object.NewChannel(a.u32(0))
	if st != object.OK {
		return ret(st)
	}
	if st := c.policy(object.PolNewChannel); st != object.OK {
		return ret(st)
	}
	return ret(c.addPair(c0, c1, object.DefaultChannelRights, a[1], a[2]))
}

// zx_channel_write(handle, options, bytes, num_bytes, handles,
// num_handles). Every handle listed leaves the caller's table, sent or
// closed, unless the handle array itself cannot be read (INVALID_ARGS).
func sysChannelWrite(c *Context, a *args) int64 {
	v, options := a.h(0), a.u32(1)
	bytesPtr, nbytes, handlesPtr, nh := a[2], a.u32(3), a[4], a.u32(5)
	st := writeCheck(c, v, options, object.RightWrite)
	if st == object.OK && nh > object.ChannelMaxMsgHandles {
		st = object.ErrOutOfRange
	}
	if st != object.OK {
		c.consumeUserHandles(handlesPtr, uint64(nh), false)
		return ret(st)
	}
	var hbuf [handleChunk]object.HandleValue
	hs, st := c.readHandleValues(handlesPtr, uint64(nh), &hbuf)
	if st != object.OK {
		return ret(st)
	}
	data, done, st := c.gatherBytes(bytesPtr, uint64(nbytes), options&object.ChannelWriteUseIOVec != 0)
	defer done.release()
	if st != object.OK {
		c.handles().CloseMany(hs)
		return ret(st)
	}
	return ret(object.ChannelWrite(c.handles(), v, options, data, hs))
}

// zx_channel_write_etc(handle, options, bytes, num_bytes, handles,
// num_handles): the handles are zx_handle_disposition_t, whose results
// are written back once the kernel has looked at them.
func sysChannelWriteEtc(c *Context, a *args) int64 {
	v, options := a.h(0), a.u32(1)
	bytesPtr, nbytes, handlesPtr, nh := a[2], a.u32(3), a[4], a.u32(5)
	st := writeCheck(c, v, options, object.RightWrite)
	if st == object.OK && nh > object.ChannelMaxMsgHandles {
		st = object.ErrOutOfRange
	}
	if st != object.OK {
		c.consumeUserHandles(handlesPtr, uint64(nh), true)
		return ret(st)
	}
	var dbuf [handleChunk]object.HandleDisposition
	ds, st := c.readDispositions(handlesPtr, uint64(nh), &dbuf)
	if st != object.OK {
		return ret(st)
	}
	data, done, st := c.gatherBytes(bytesPtr, uint64(nbytes), options&object.ChannelWriteUseIOVec != 0)
	defer done.release()
	if st != object.OK {
		c.consumeUserHandles(handlesPtr, uint64(nh), true)
		return ret(st)
	}
	st = object.ChannelWriteEtc(c.handles(), v, options, data, ds)
	c.writeDispositions(handlesPtr, ds)
	return ret(st)
}

// channelReadBuffers are a read's kernel-side buffers: the bytes (at most
// a message's worth) and room for the handles.
func channelReadBuffers(nbytes, nh uint32) (data []byte, done scratchBuf, maxHandles int) {
	data, done = scratch(uint64(min(nbytes, object.ChannelMaxMsgBytes)))
	return data, done, int(min(nh, object.ChannelMaxMsgHandles))
}

// zx_channel_read(handle, options, bytes, handles, num_bytes, num_handles,
// actual_bytes, actual_handles): actual_bytes and actual_handles (either
// may be 0) get the message's size also when it does not fit
// (BUFFER_TOO_SMALL). A message whose bytes or handles cannot be written
// out is lost, its handles closed (INVALID_ARGS), as in Zircon.
func sysChannelRead(c *Context, a *args) int64 {
	v, options := a.h(0), a.u32(1)
	data, done, maxH := channelReadBuffers(a.u32(4), a.u32(5))
	defer done.release()
	var hs [handleChunk]object.HandleValue
	nbytes, nhandles, st := object.ChannelRead(c.handles(), v, options, data, hs[:maxH])
	c.checkBadHandle(st)
	received := hs[:0]
	if st == object.OK {
		received = hs[:nhandles]
	}
	return ret(c.finishRead(st, a, nbytes, nhandles, data, received, putHandleValues(received)))
}

// zx_channel_read_etc: zx_channel_read with zx_handle_info_t for the
// handles (value, type and rights).
func sysChannelReadEtc(c *Context, a *args) int64 {
	v, options := a.h(0), a.u32(1)
	data, done, maxH := channelReadBuffers(a.u32(4), a.u32(5))
	defer done.release()
	var infos [handleChunk]object.HandleInfo
	nbytes, nhandles, st := object.ChannelReadEtc(c.handles(), v, options, data, infos[:maxH])
	c.checkBadHandle(st)
	var received []object.HandleValue
	var out []byte
	if st == object.OK {
		for _, info := range infos[:nhandles] {
			received = append(received, info.Handle)
		}
		out = putHandleInfos(infos[:nhandles])
	}
	return ret(c.finishRead(st, a, nbytes, nhandles, data, received, out))
}

// finishRead reports a read of a message of nbytes and nhandles: the
// sizes, then (on success) the bytes and the handles. received are the
// handles now in the caller's table, handles their encoding for the
// caller.
func (c *Context) finishRead(st object.Status, a *args, nbytes, nhandles uint32, data []byte, received []object.HandleValue, handles []byte) object.Status {
	if st != object.OK && st != object.ErrBufferTooSmall {
		return st
	}
	fail := func(s object.Status) object.Status {
		c.handles().CloseMany(received)
		return s
	}
	if s := c.putOptU32(a[6], nbytes); s != object.OK {
		return fail(s)
	}
	if s := c.putOptU32(a[7], nhandles); s != object.OK {
		return fail(s)
	}
	if st != object.OK {
		return st
	}
	if s := c.copyOut(a[2], data[:nbytes]); s != object.OK {
		return fail(s)
	}
	if s := c.copyOut(a[3], handles); s != object.OK {
		return fail(s)
	}
	return object.OK
}
