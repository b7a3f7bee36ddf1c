package object

import "encoding/binary"

// HandleOp is zx_handle_op_t: what zx_channel_write_etc does with a
// handle it sends.
type HandleOp uint32

const (
	// HandleOpMove (ZX_HANDLE_OP_MOVE) takes the handle out of the
	// sender's table, as zx_channel_write does; it is gone even if the
	// write fails.
	HandleOpMove HandleOp = 0
	// HandleOpDuplicate (ZX_HANDLE_OP_DUPLICATE) sends a duplicate; the
	// sender keeps its handle whatever happens.
	HandleOpDuplicate HandleOp = 1
)

// HandleDisposition is zx_handle_disposition_t: one handle to send with
// zx_channel_write_etc, the type and rights it must have (TypeNone and
// RightSameRights check nothing), and, if it could not be sent, why.
type HandleDisposition struct {
	Operation HandleOp
	Handle    HandleValue
	Type      ObjType
	Rights    Rights
	Result    Status
}

// HandleDispositionSize is sizeof(zx_handle_disposition_t).
const HandleDispositionSize = 20

// Marshal encodes d in zx_handle_disposition_t's layout.
func (d HandleDisposition) Marshal() [HandleDispositionSize]byte {
	var b [HandleDispositionSize]byte
	binary.LittleEndian.PutUint32(b[0:], uint32(d.Operation))
	binary.LittleEndian.PutUint32(b[4:], uint32(d.Handle))
	binary.LittleEndian.PutUint32(b[8:], uint32(d.Type))
	binary.LittleEndian.PutUint32(b[12:], uint32(d.Rights))
	binary.LittleEndian.PutUint32(b[16:], uint32(d.Result))
	return b
}

// UnmarshalHandleDisposition decodes a zx_handle_disposition_t.
func UnmarshalHandleDisposition(b []byte) HandleDisposition {
	_ = b[HandleDispositionSize-1]
	return HandleDisposition{
		Operation: HandleOp(binary.LittleEndian.Uint32(b[0:])),
		Handle:    HandleValue(binary.LittleEndian.Uint32(b[4:])),
		Type:      ObjType(binary.LittleEndian.Uint32(b[8:])),
		Rights:    Rights(binary.LittleEndian.Uint32(b[12:])),
		Result:    Status(binary.LittleEndian.Uint32(b[16:])),
	}
}

// HandleInfo is zx_handle_info_t: a handle received by
// zx_channel_read_etc, with its object's type and its rights.
type HandleInfo struct {
	Handle HandleValue
	Type   ObjType
	Rights Rights
}

// HandleInfoSize is sizeof(zx_handle_info_t).
const HandleInfoSize = 16

// Marshal encodes i in zx_handle_info_t's layout (the unused word is 0).
func (i HandleInfo) Marshal() [HandleInfoSize]byte {
	var b [HandleInfoSize]byte
	binary.LittleEndian.PutUint32(b[0:], uint32(i.Handle))
	binary.LittleEndian.PutUint32(b[4:], uint32(i.Type))
	binary.LittleEndian.PutUint32(b[8:], uint32(i.Rights))
	return b
}

// transferChecks are the checks every sent handle passes, in Zircon's
// order: TRANSFER (ACCESS_DENIED), not the channel it is written to
// (NOT_SUPPORTED: a channel cannot carry its own handle), the expected
// type (WRONG_TYPE), rights a subset of the handle's (INVALID_ARGS).
func transferChecks(h *Handle, self *Channel, typ ObjType, rights Rights) Status {
	if !h.HasRights(RightTransfer) {
		return ErrAccessDenied
	}
	if h.obj == Object(self) {
		return ErrNotSupported
	}
	if typ != TypeNone && h.obj.Type() != typ {
		return ErrWrongType
	}
	if rights != RightSameRights && !h.rights.Has(rights) {
		return ErrInvalidArgs
	}
	return OK
}

// takeOneLocked applies one disposition, with the table locked. It
// returns the handle to send, or the status why not, and a handle that
// left the table and must be closed once the table is unlocked (a moved
// handle that failed its checks, or that was replaced by one with fewer
// rights).
func (t *HandleTable) takeOneLocked(self *Channel, d *HandleDisposition) (send, drop *Handle, st Status) {
	idx := t.lookupLocked(d.Handle)
	if idx < 0 {
		return nil, nil, ErrBadHandle
	}
	src := t.slots[idx].h
	switch d.Operation {
	case HandleOpDuplicate:
		if st := transferChecks(src, self, d.Type, d.Rights); st != OK {
			return nil, nil, st
		}
		if !src.HasRights(RightDuplicate) {
			return nil, nil, ErrAccessDenied
		}
		r := d.Rights
		if r == RightSameRights {
			r = src.rights
		}
		return NewHandle(src.obj, r), nil, OK
	case HandleOpMove:
		t.removeLocked(idx)
		if st := transferChecks(src, self, d.Type, d.Rights); st != OK {
			return nil, src, st
		}
		if d.Rights != RightSameRights && d.Rights != src.rights {
			// Fewer rights: a new handle goes, the old one is closed.
			return NewHandle(src.obj, d.Rights), src, OK
		}
		return src, nil, OK
	default:
		// An unknown operation is not DUPLICATE, so the handle goes.
		t.removeLocked(idx)
		return nil, src, ErrInvalidArgs
	}
}

// takeHandles is Zircon's msg_put_handles: apply every disposition, all
// under the table lock, appending the handles to send to send. Each
// failure is recorded in its Result and the first is returned; on failure
// every handle taken is closed (MOVE handles are gone either way,
// DUPLICATE sources stay).
func (t *HandleTable) takeHandles(self *Channel, ds []HandleDisposition, send []*Handle) ([]*Handle, Status) {
	if len(ds) == 0 {
		return send, OK
	}
	var drops [ChannelMaxMsgHandles]*Handle
	nd := 0
	st := OK
	t.mu.Lock()
	for i := range ds {
		h, drop, err := t.takeOneLocked(self, &ds[i])
		if drop != nil {
			drops[nd] = drop
			nd++
		}
		if err != OK {
			ds[i].Result = err
			if st == OK {
				st = err
			}
			continue
		}
		send = append(send, h)
	}
	t.mu.Unlock()
	for _, h := range drops[:nd] {
		h.Close()
	}
	if st != OK {
		for _, h := range send {
			h.Close()
		}
		clear(send)
		return send[:0], st
	}
	return send, OK
}

// closeUserHandles is Zircon's RemoveUserHandles: a write that fails
// before it looks at the handles still consumes every one it would have
// moved. Values that name no handle are skipped.
func (t *HandleTable) closeUserHandles(ds []HandleDisposition) {
	var closing []*Handle
	t.mu.Lock()
	for i := range ds {
		if ds[i].Operation == HandleOpDuplicate {
			continue
		}
		if idx := t.lookupLocked(ds[i].Handle); idx >= 0 {
			closing = append(closing, t.removeLocked(idx))
		}
	}
	t.mu.Unlock()
	for _, h := range closing {
		h.Close()
	}
}

// installHandles puts received handles into the table, all or none, and
// reports each value through put. Waits through a handle are canceled as
// it arrives (Zircon cancels on receipt: HandleTransferTest.CancelsWait).
// If the table is full the handles are closed and NO_RESOURCES returned.
func (t *HandleTable) installHandles(hs []*Handle, put func(i int, v HandleValue, h *Handle)) Status {
	if len(hs) == 0 {
		return OK
	}
	for _, h := range hs {
		h.obj.base().cancelHandle(h)
	}
	var vals [ChannelMaxMsgHandles]HandleValue
	t.mu.Lock()
	for i, h := range hs {
		v, st := t.addLocked(h)
		if st != OK {
			for _, added := range vals[:i] {
				t.removeLocked(t.lookupLocked(added))
			}
			t.mu.Unlock()
			for _, h := range hs {
				h.Close()
			}
			return st
		}
		vals[i] = v
	}
	t.mu.Unlock()
	for i, h := range hs {
		put(i, vals[i], h)
	}
	return OK
}

// moveAll turns zx_channel_write's handle list into MOVE dispositions,
// which check and consume exactly as zx_channel_write does.
func moveAll(vs []HandleValue, buf *[ChannelMaxMsgHandles]HandleDisposition) []HandleDisposition {
	ds := buf[:0]
	if len(vs) > len(buf) {
		ds = make([]HandleDisposition, 0, len(vs))
	}
	for _, v := range vs {
		ds = append(ds, HandleDisposition{Operation: HandleOpMove, Handle: v, Rights: RightSameRights})
	}
	return ds
}
