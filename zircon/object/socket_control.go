package object

// Socket dispositions (zx_socket_set_disposition).
const (
	// SocketDispositionWriteDisabled (ZX_SOCKET_DISPOSITION_WRITE_DISABLED)
	// stops an end's writes: it loses WRITABLE and gets WRITE_DISABLED,
	// its peer gets PEER_WRITE_DISABLED, and once the peer has read what
	// was buffered its reads give BAD_STATE.
	SocketDispositionWriteDisabled uint32 = 1 << 0
	// SocketDispositionWriteEnabled (ZX_SOCKET_DISPOSITION_WRITE_ENABLED)
	// undoes it; allowed only once the disabled end's data has all been
	// read.
	SocketDispositionWriteEnabled uint32 = 1 << 1
)

// dispositionMasks adds to the signal masks what disposition d does to
// the end it applies to (own) and to that end's peer.
func dispositionMasks(d uint32, clear, set, clearPeer, setPeer *Signals) {
	switch d {
	case SocketDispositionWriteDisabled:
		*clear |= SocketWritable
		*set |= SocketWriteDisabled
		*setPeer |= SocketPeerWriteDisabled
	case SocketDispositionWriteEnabled:
		*clear |= SocketWriteDisabled
		*set |= SocketWritable
		*clearPeer |= SocketPeerWriteDisabled
	}
}

func validDisposition(d uint32) bool {
	return d == 0 || d == SocketDispositionWriteDisabled || d == SocketDispositionWriteEnabled
}

// dispositionOKLocked reports whether the peer's writes may take
// disposition dp: re-enabling them needs this end to have read everything
// they buffered here.
func (s *Socket) dispositionOKLocked(dp uint32) bool {
	return !(dp == SocketDispositionWriteEnabled && !s.buf.empty() &&
		s.Signals()&SocketPeerWriteDisabled != 0)
}

// SetDisposition is zx_socket_set_disposition: disposition applies to
// this end's writes, dispositionPeer to the peer's; 0 leaves them as they
// are. A value other than 0 and one disposition is INVALID_ARGS (checked
// first, as Zircon does before the handle lookup; the syscall needs
// MANAGE_SOCKET). Re-enabling writes whose data is still buffered at the
// other end is BAD_STATE. Once the peer is gone only this end changes.
func (s *Socket) SetDisposition(disposition, dispositionPeer uint32) Status {
	if !validDisposition(disposition) || !validDisposition(dispositionPeer) {
		return ErrInvalidArgs
	}
	if disposition == 0 && dispositionPeer == 0 {
		return OK
	}
	var clear, set, clearPeer, setPeer Signals
	dispositionMasks(disposition, &clear, &set, &clearPeer, &setPeer)
	s.Lock()
	defer s.Unlock()
	if !s.dispositionOKLocked(dispositionPeer) {
		return ErrBadState
	}
	peer := s.peerLocked()
	if peer != nil {
		if !peer.dispositionOKLocked(disposition) {
			return ErrBadState
		}
		dispositionMasks(dispositionPeer, &clearPeer, &setPeer, &clear, &set)
		// Zircon raises WRITABLE on re-enabling whatever the buffer
		// holds; Quartz raises it only if there is room to write.
		if peer.buf.full() {
			set &^= SocketWritable
		}
		if s.buf.full() {
			setPeer &^= SocketWritable
		}
		peer.readDisabledBy(disposition)
		peer.UpdateStateLocked(clearPeer, setPeer, 0)
	} else {
		// Nobody to write to: enabling writes does not make us WRITABLE.
		set &^= SocketWritable
	}
	s.readDisabledBy(dispositionPeer)
	s.UpdateStateLocked(clear, set, 0)
	return OK
}

// readDisabledBy records what the peer's new write disposition means for
// reads at this end.
func (s *Socket) readDisabledBy(peerDisposition uint32) {
	switch peerDisposition {
	case SocketDispositionWriteDisabled:
		s.readDisabled = true
	case SocketDispositionWriteEnabled:
		s.readDisabled = false
	}
}

// RxThreshold is ZX_PROP_SOCKET_RX_THRESHOLD: READ_THRESHOLD is asserted
// while at least this many bytes are buffered here; 0 disables it.
func (s *Socket) RxThreshold() uint64 {
	s.Lock()
	defer s.Unlock()
	return uint64(s.readThreshold)
}

// SetRxThreshold sets ZX_PROP_SOCKET_RX_THRESHOLD and updates
// READ_THRESHOLD at once. More than SocketBufferMax is INVALID_ARGS.
func (s *Socket) SetRxThreshold(v uint64) Status {
	if v > SocketBufferMax {
		return ErrInvalidArgs
	}
	s.Lock()
	defer s.Unlock()
	s.readThreshold = int(v)
	if v > 0 && s.buf.size >= s.readThreshold {
		s.UpdateStateLocked(0, SocketReadThreshold, 0)
	} else {
		s.UpdateStateLocked(SocketReadThreshold, 0, 0)
	}
	return OK
}

// TxThreshold is ZX_PROP_SOCKET_TX_THRESHOLD: WRITE_THRESHOLD is asserted
// while the peer's buffer has room for at least this many bytes; 0
// disables it.
func (s *Socket) TxThreshold() uint64 {
	s.Lock()
	defer s.Unlock()
	return uint64(s.writeThreshold)
}

// SetTxThreshold sets ZX_PROP_SOCKET_TX_THRESHOLD and updates
// WRITE_THRESHOLD at once: PEER_CLOSED once the peer is gone,
// INVALID_ARGS above SocketBufferMax.
func (s *Socket) SetTxThreshold(v uint64) Status {
	s.Lock()
	defer s.Unlock()
	peer := s.peerLocked()
	if peer == nil {
		return ErrPeerClosed
	}
	if v > SocketBufferMax {
		return ErrInvalidArgs
	}
	s.writeThreshold = int(v)
	if v > 0 && peer.buf.free() >= s.writeThreshold {
		s.UpdateStateLocked(0, SocketWriteThreshold, 0)
	} else {
		s.UpdateStateLocked(SocketWriteThreshold, 0, 0)
	}
	return OK
}
