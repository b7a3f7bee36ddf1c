package syscall

import (
	"encoding/binary"

	"quartz/zircon/object"
)

// The user side of channel messages: gathering the bytes (flat or
// zx_channel_iovec_t), reading the handles (values or
// zx_handle_disposition_t), and consuming them when a write fails before
// it could send them.

// gatherBytes copies a message's bytes from user memory into a scratch
// buffer. Without ZX_CHANNEL_WRITE_USE_IOVEC, ptr and n are the bytes;
// with it, an array of n iovecs (at most ZX_CHANNEL_MAX_MSG_IOVEC, each
// with a zero reserved field, INVALID_ARGS otherwise). More than
// ZX_CHANNEL_MAX_MSG_BYTES in all is OUT_OF_RANGE; memory that cannot be
// read INVALID_ARGS. The caller releases the buffer.
func (c *Context) gatherBytes(ptr, n uint64, iovec bool) ([]byte, scratchBuf, object.Status) {
	if !iovec {
		if n > object.ChannelMaxMsgBytes {
			return nil, scratchBuf{}, object.ErrOutOfRange
		}
		data, s := scratch(n)
		if st := c.copyIn(ptr, data); st != object.OK {
			s.release()
			return nil, scratchBuf{}, st
		}
		return data, s, object.OK
	}
	if n > maxIOVecs {
		return nil, scratchBuf{}, object.ErrOutOfRange
	}
	data, s := scratch(object.ChannelMaxMsgBytes)
	total, st := c.gatherIOVecs(ptr, n, data)
	if st != object.OK {
		s.release()
		return nil, scratchBuf{}, st
	}
	return data[:total], s, object.OK
}

// gatherIOVecs copies the buffers of n zx_channel_iovec_t at ptr into data
// and returns how many bytes they held.
func (c *Context) gatherIOVecs(ptr, n uint64, data []byte) (uint64, object.Status) {
	var vec [iovecSize]byte
	total := uint64(0)
	for i := uint64(0); i < n; i++ {
		if st := c.copyIn(ptr+i*iovecSize, vec[:]); st != object.OK {
			return 0, st
		}
		buf := binary.LittleEndian.Uint64(vec[0:])
		capacity := uint64(binary.LittleEndian.Uint32(vec[8:]))
		if binary.LittleEndian.Uint32(vec[12:]) != 0 {
			return 0, object.ErrInvalidArgs
		}
		if capacity > uint64(len(data))-total {
			return 0, object.ErrOutOfRange
		}
		if st := c.copyIn(buf, data[total:total+capacity]); st != object.OK {
			return 0, st
		}
		total += capacity
	}
	return total, object.OK
}

// readHandleValues reads n (at most ZX_CHANNEL_MAX_MSG_HANDLES) handle
// values into buf.
func (c *Context) readHandleValues(ptr, n uint64, buf *[handleChunk]object.HandleValue) ([]object.HandleValue, object.Status) {
	var raw [handleChunk * handleSize]byte
	if st := c.copyIn(ptr, raw[:n*handleSize]); st != object.OK {
		return nil, st
	}
	return decodeHandles(raw[:n*handleSize], buf[:0]), object.OK
}

// readDispositions reads n (at most ZX_CHANNEL_MAX_MSG_HANDLES)
// zx_handle_disposition_t into buf.
func (c *Context) readDispositions(ptr, n uint64, buf *[handleChunk]object.HandleDisposition) ([]object.HandleDisposition, object.Status) {
	var raw [handleChunk * object.HandleDispositionSize]byte
	b := raw[:n*object.HandleDispositionSize]
	if st := c.copyIn(ptr, b); st != object.OK {
		return nil, st
	}
	ds := buf[:n]
	for i := range ds {
		ds[i] = object.UnmarshalHandleDisposition(b[i*object.HandleDispositionSize:])
	}
	return ds, object.OK
}

// writeDispositions writes the dispositions back, with the result of each
// handle.
func (c *Context) writeDispositions(ptr uint64, ds []object.HandleDisposition) object.Status {
	var raw [handleChunk * object.HandleDispositionSize]byte
	for i, d := range ds {
		r := d.Marshal()
		copy(raw[i*object.HandleDispositionSize:], r[:])
	}
	return c.copyOut(ptr, raw[:len(ds)*object.HandleDispositionSize])
}

// consumeUserHandles is Zircon's RemoveUserHandles: a write that fails
// before it looks at its handles still consumes every one it would have
// moved (all of a plain write's, the non-DUPLICATE ones of a write_etc's),
// however many were listed. The array is read a chunk at a time; reading
// stops at the first chunk that cannot be read.
func (c *Context) consumeUserHandles(ptr, n uint64, etc bool) {
	recSize := uint64(handleSize)
	if etc {
		recSize = object.HandleDispositionSize
	}
	var raw [handleChunk * object.HandleDispositionSize]byte
	var vals [handleChunk]object.HandleValue
	for done := uint64(0); done < n; {
		k := min(n-done, handleChunk)
		b := raw[:k*recSize]
		if c.copyIn(ptr+done*recSize, b) != object.OK {
			return
		}
		vs := vals[:0]
		for i := uint64(0); i < k; i++ {
			r := b[i*recSize:]
			if !etc {
				vs = append(vs, object.HandleValue(binary.LittleEndian.Uint32(r)))
				continue
			}
			if d := object.UnmarshalHandleDisposition(r); d.Operation != object.HandleOpDuplicate {
				vs = append(vs, d.Handle)
			}
		}
		c.handles().CloseMany(vs)
		done += k
	}
}

// writeCheck is what a channel write checks before it reads the message:
// the options, then the channel handle (BAD_HANDLE, WRONG_TYPE,
// ACCESS_DENIED without the rights).
func writeCheck(c *Context, v object.HandleValue, options uint32, want object.Rights) object.Status {
	if options&^object.ChannelWriteUseIOVec != 0 {
		return object.ErrInvalidArgs
	}
	_, _, st := get[*object.Channel](c, v, want)
	return st
}

// putHandleValues writes received handle values as zx_handle_t.
func putHandleValues(vs []object.HandleValue) []byte {
	b := make([]byte, len(vs)*handleSize)
	for i, v := range vs {
		binary.LittleEndian.PutUint32(b[i*handleSize:], uint32(v))
	}
	return b
}

// putHandleInfos writes received handles as zx_handle_info_t.
func putHandleInfos(is []object.HandleInfo) []byte {
	b := make([]byte, len(is)*object.HandleInfoSize)
	for i, info := range is {
		r := info.Marshal()
		copy(b[i*object.HandleInfoSize:], r[:])
	}
	return b
}
