package syscall

import (
	"encoding/binary"

	"quartz/zircon/object"
)

// callArgs is zx_channel_call_args_t (and zx_channel_call_etc_args_t,
// which has the same layout with dispositions and infos for handles).
type callArgs struct {
	wrBytes, wrHandles, rdBytes, rdHandles uint64
	wrNumBytes, wrNumHandles               uint32
	rdNumBytes, rdNumHandles               uint32
}

func (c *Context) readCallArgs(ptr uint64) (callArgs, object.Status) {
	var b [callArgsSize]byte
	if st := c.copyIn(ptr, b[:]); st != object.OK {
		return callArgs{}, st
	}
	le := binary.LittleEndian
	return callArgs{
		wrBytes: le.Uint64(b[0:]), wrHandles: le.Uint64(b[8:]),
		rdBytes: le.Uint64(b[16:]), rdHandles: le.Uint64(b[24:]),
		wrNumBytes: le.Uint32(b[32:]), wrNumHandles: le.Uint32(b[36:]),
		rdNumBytes: le.Uint32(b[40:]), rdNumHandles: le.Uint32(b[44:]),
	}, object.OK
}

// zx_channel_call_noretry(handle, options, deadline, args, actual_bytes,
// actual_handles): write the request, wait for the reply with its txid,
// read the reply into the args' read buffers. The channel needs READ and
// WRITE; the request's handles are consumed whatever happens. Quartz
// finishes every call here (a thread is killed, never suspended, so a
// call never has to be resumed with zx_channel_call_finish).
func sysChannelCallNoRetry(c *Context, a *args) int64 { return ret(c.channelCall(a, false)) }

// zx_channel_call_etc_noretry: zx_channel_call_noretry with dispositions
// for the request's handles and zx_handle_info_t for the reply's.
func sysChannelCallEtcNoRetry(c *Context, a *args) int64 { return ret(c.channelCall(a, true)) }

// zx_channel_call_finish(deadline, args, actual_bytes, actual_handles)
// and its _etc form resume a call interrupted by a suspension: Quartz
// never leaves one pending, so there is never one to finish.
func sysChannelCallFinish(c *Context, a *args) int64 { return ret(object.ErrBadState) }

func (c *Context) channelCall(a *args, etc bool) object.Status {
	v, options, deadline := a.h(0), a.u32(1), a.time(2)
	ca, st := c.readCallArgs(a[3])
	if st != object.OK {
		return st
	}
	st = writeCheck(c, v, options, object.RightRead|object.RightWrite)
	if st == object.OK && ca.wrNumHandles > object.ChannelMaxMsgHandles {
		st = object.ErrOutOfRange
	}
	if st != object.OK {
		c.consumeUserHandles(ca.wrHandles, uint64(ca.wrNumHandles), etc)
		return st
	}
	var hbuf [handleChunk]object.HandleValue
	var dbuf [handleChunk]object.HandleDisposition
	var hs []object.HandleValue
	var ds []object.HandleDisposition
	if etc {
		ds, st = c.readDispositions(ca.wrHandles, uint64(ca.wrNumHandles), &dbuf)
	} else {
		hs, st = c.readHandleValues(ca.wrHandles, uint64(ca.wrNumHandles), &hbuf)
	}
	if st != object.OK {
		return st
	}
	wr, wrDone, st := c.gatherBytes(ca.wrBytes, uint64(ca.wrNumBytes), options&object.ChannelWriteUseIOVec != 0)
	defer wrDone.release()
	if st != object.OK {
		c.consumeUserHandles(ca.wrHandles, uint64(ca.wrNumHandles), etc)
		return st
	}
	rd, rdDone, maxH := channelReadBuffers(ca.rdNumBytes, ca.rdNumHandles)
	defer rdDone.release()

	var nbytes, nhandles uint32
	var received []object.HandleValue
	var out []byte
	if etc {
		var infos [handleChunk]object.HandleInfo
		nbytes, nhandles, st = object.ChannelCallEtc(c.handles(), v, options, deadline,
			&object.ChannelCallEtcArgs{WrBytes: wr, WrHandles: ds, RdBytes: rd, RdHandles: infos[:maxH]}, c.cancel())
		c.writeDispositions(ca.wrHandles, ds)
		if st == object.OK {
			for _, info := range infos[:nhandles] {
				received = append(received, info.Handle)
			}
			out = putHandleInfos(infos[:nhandles])
		}
	} else {
		var rh [handleChunk]object.HandleValue
		nbytes, nhandles, st = object.ChannelCall(c.handles(), v, options, deadline,
			&object.ChannelCallArgs{WrBytes: wr, WrHandles: hs, RdBytes: rd, RdHandles: rh[:maxH]}, c.cancel())
		if st == object.OK {
			received = rh[:nhandles]
			out = putHandleValues(received)
		}
	}
	if st != object.OK {
		return st
	}
	fail := func(s object.Status) object.Status {
		c.handles().CloseMany(received)
		return s
	}
	if s := c.copyOut(ca.rdBytes, rd[:nbytes]); s != object.OK {
		return fail(s)
	}
	if s := c.copyOut(ca.rdHandles, out); s != object.OK {
		return fail(s)
	}
	if s := c.putOptU32(a[4], nbytes); s != object.OK {
		return fail(s)
	}
	if s := c.putOptU32(a[5], nhandles); s != object.OK {
		return fail(s)
	}
	return object.OK
}
