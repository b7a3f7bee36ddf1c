package object

// These are the channel syscalls at the level of a handle table: the
// lookups and checks Zircon makes, in its order, the handle transfer
// between the caller's table and the message, and the object's part. The
// syscall layer copies user memory to and from the Go slices: bytes in
// data, handle values (or dispositions, or infos) in handles, whose
// lengths are the syscall's num_bytes and num_handles.

// lookupForWrite checks a write's options and finds the channel.
func lookupForWrite(ht *HandleTable, v HandleValue, options uint32, want Rights) (*Channel, Status) {
	if options&^ChannelWriteUseIOVec != 0 {
		return nil, ErrInvalidArgs
	}
	ch, _, st := GetObject[*Channel](ht, v, want)
	return ch, st
}

// ChannelWrite is zx_channel_write: send data and the handles named by
// handles, which leave ht. Statuses, in order: INVALID_ARGS (options);
// BAD_HANDLE, WRONG_TYPE, ACCESS_DENIED (no WRITE) for the channel;
// OUT_OF_RANGE (too many bytes or handles); for the handles BAD_HANDLE (not
// in ht, or listed twice), ACCESS_DENIED (no TRANSFER), NOT_SUPPORTED (the
// channel's own handle); PEER_CLOSED. Whatever the outcome, every listed
// handle is gone from ht: sent, or closed.
func ChannelWrite(ht *HandleTable, v HandleValue, options uint32, data []byte, handles []HandleValue) Status {
	var buf [ChannelMaxMsgHandles]HandleDisposition
	return channelWrite(ht, v, options, data, moveAll(handles, &buf))
}

// ChannelWriteEtc is zx_channel_write_etc: as ChannelWrite, but each
// handle says whether it is moved or duplicated (DUPLICATE needs the
// DUPLICATE right and leaves the source in place), which type it must be
// (WRONG_TYPE) and which rights the sent handle gets (INVALID_ARGS if not a
// subset). An unknown operation is INVALID_ARGS. A handle that fails gets
// its Result set; the others' Results are left as they were.
func ChannelWriteEtc(ht *HandleTable, v HandleValue, options uint32, data []byte, handles []HandleDisposition) Status {
	return channelWrite(ht, v, options, data, handles)
}

func channelWrite(ht *HandleTable, v HandleValue, options uint32, data []byte, ds []HandleDisposition) Status {
	ch, st := lookupForWrite(ht, v, options, RightWrite)
	if st == OK && (len(data) > ChannelMaxMsgBytes || len(ds) > ChannelMaxMsgHandles) {
		st = ErrOutOfRange
	}
	if st != OK {
		ht.closeUserHandles(ds)
		return st
	}
	msg := newMessage(data, nil)
	if msg.Handles, st = ht.takeHandles(ch, ds, msg.Handles); st != OK {
		msg.release()
		return st
	}
	return ch.Write(msg)
}

// ChannelRead is zx_channel_read: take the next message into data and
// handles (whose lengths are the buffer sizes), its handles joining ht.
// It returns the message's byte and handle counts, also when they do not
// fit (BUFFER_TOO_SMALL). Statuses: BAD_HANDLE, WRONG_TYPE, ACCESS_DENIED
// (no READ); NOT_SUPPORTED (options other than ChannelReadMayDiscard);
// SHOULD_WAIT, PEER_CLOSED, BUFFER_TOO_SMALL (see Channel.Read);
// NO_RESOURCES if ht cannot take the handles (the message is consumed and
// its handles closed).
func ChannelRead(ht *HandleTable, v HandleValue, options uint32, data []byte, handles []HandleValue) (nbytes, nhandles uint32, st Status) {
	return channelRead(ht, v, options, data, len(handles), func(i int, hv HandleValue, _ *Handle) {
		handles[i] = hv
	})
}

// ChannelReadEtc is zx_channel_read_etc: ChannelRead, reporting each
// received handle's type and rights too.
func ChannelReadEtc(ht *HandleTable, v HandleValue, options uint32, data []byte, handles []HandleInfo) (nbytes, nhandles uint32, st Status) {
	return channelRead(ht, v, options, data, len(handles), func(i int, hv HandleValue, h *Handle) {
		handles[i] = HandleInfo{Handle: hv, Type: h.obj.Type(), Rights: h.rights}
	})
}

// clampU32 is a Go buffer length as the uint32 the syscall would carry.
func clampU32(n int) uint32 {
	if uint64(n) > 1<<32-1 {
		return 1<<32 - 1
	}
	return uint32(n)
}

func channelRead(ht *HandleTable, v HandleValue, options uint32, data []byte, nh int, put func(int, HandleValue, *Handle)) (uint32, uint32, Status) {
	ch, _, st := GetObject[*Channel](ht, v, RightRead)
	if st != OK {
		return 0, 0, st
	}
	if options&^ChannelReadMayDiscard != 0 {
		return 0, 0, ErrNotSupported
	}
	msg, nbytes, nhandles, st := ch.Read(clampU32(len(data)), clampU32(nh), options&ChannelReadMayDiscard != 0)
	switch st {
	case OK:
	case ErrBufferTooSmall:
		if msg != nil {
			msg.Close() // discarded
			msg.release()
		}
		return nbytes, nhandles, st
	default:
		return 0, 0, st
	}
	copy(data, msg.Data)
	st = ht.installHandles(msg.Handles, put)
	msg.release()
	return nbytes, nhandles, st
}

// ChannelCallArgs is zx_channel_call_args_t with Go buffers: the request
// to write, and the buffers the reply is read into (their lengths are
// rd_num_bytes and rd_num_handles).
type ChannelCallArgs struct {
	WrBytes   []byte
	WrHandles []HandleValue
	RdBytes   []byte
	RdHandles []HandleValue
}

// ChannelCallEtcArgs is zx_channel_call_etc_args_t with Go buffers.
type ChannelCallEtcArgs struct {
	WrBytes   []byte
	WrHandles []HandleDisposition
	RdBytes   []byte
	RdHandles []HandleInfo
}

// ChannelCall is zx_channel_call: write the request with a
// kernel-generated txid in its first four bytes, wait for the reply with
// that txid, and read it into the reply buffers. The request's handles
// are consumed whatever happens. Statuses: INVALID_ARGS (options, or
// fewer than four bytes); BAD_HANDLE, WRONG_TYPE, ACCESS_DENIED (the
// channel needs READ and WRITE); OUT_OF_RANGE; the handle statuses of
// ChannelWrite; then those of Channel.Call; BUFFER_TOO_SMALL if the reply
// does not fit (it is discarded). cancel is the calling thread's kill
// channel (nil: none).
func ChannelCall(ht *HandleTable, v HandleValue, options uint32, deadline Time, args *ChannelCallArgs, cancel <-chan struct{}) (nbytes, nhandles uint32, st Status) {
	var buf [ChannelMaxMsgHandles]HandleDisposition
	rd := args.RdHandles
	return channelCall(ht, v, options, deadline, args.WrBytes, moveAll(args.WrHandles, &buf), args.RdBytes, len(rd),
		func(i int, hv HandleValue, _ *Handle) { rd[i] = hv }, cancel)
}

// ChannelCallEtc is zx_channel_call_etc: ChannelCall with dispositions
// for the request's handles and infos for the reply's.
func ChannelCallEtc(ht *HandleTable, v HandleValue, options uint32, deadline Time, args *ChannelCallEtcArgs, cancel <-chan struct{}) (nbytes, nhandles uint32, st Status) {
	rd := args.RdHandles
	return channelCall(ht, v, options, deadline, args.WrBytes, args.WrHandles, args.RdBytes, len(rd),
		func(i int, hv HandleValue, h *Handle) {
			rd[i] = HandleInfo{Handle: hv, Type: h.obj.Type(), Rights: h.rights}
		}, cancel)
}

func channelCall(ht *HandleTable, v HandleValue, options uint32, deadline Time,
	wr []byte, ds []HandleDisposition, rd []byte, rdHandles int,
	put func(int, HandleValue, *Handle), cancel <-chan struct{}) (uint32, uint32, Status) {
	ch, st := lookupForWrite(ht, v, options, RightRead|RightWrite)
	if st == OK && (len(wr) > ChannelMaxMsgBytes || len(ds) > ChannelMaxMsgHandles) {
		st = ErrOutOfRange
	}
	if st == OK && len(wr) < 4 {
		st = ErrInvalidArgs
	}
	if st != OK {
		ht.closeUserHandles(ds)
		return 0, 0, st
	}
	msg := newMessage(wr, nil)
	if msg.Handles, st = ht.takeHandles(ch, ds, msg.Handles); st != OK {
		msg.release()
		return 0, 0, st
	}
	reply, st := ch.Call(msg, deadline, cancel)
	if st != OK {
		return 0, 0, st
	}
	defer reply.release()
	nbytes, nhandles := len(reply.Data), len(reply.Handles)
	if nbytes > len(rd) || nhandles > rdHandles {
		reply.Close()
		return 0, 0, ErrBufferTooSmall
	}
	copy(rd, reply.Data)
	if st := ht.installHandles(reply.Handles, put); st != OK {
		return 0, 0, st
	}
	return uint32(nbytes), uint32(nhandles), OK
}
