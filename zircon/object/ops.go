package object

// These are the handle-level forms of the signal syscalls: the rights
// checks Zircon makes, then the object's part. The syscall layer looks the
// handles up (HandleTable.Get) and calls them.

// ObjectSignal is zx_object_signal: ACCESS_DENIED without SIGNAL,
// NOT_SUPPORTED for an object without signals, INVALID_ARGS for signals
// the type does not let users touch.
func ObjectSignal(h *Handle, clear, set Signals) Status {
	if !h.HasRights(RightSignal) {
		return ErrAccessDenied
	}
	return h.obj.base().UserSignal(clear, set)
}

// ObjectSignalPeer is zx_object_signal_peer: ACCESS_DENIED without
// SIGNAL_PEER, NOT_SUPPORTED for an object without a peer, INVALID_ARGS
// for signals users may not touch, PEER_CLOSED once the peer is gone.
func ObjectSignalPeer(h *Handle, clear, set Signals) Status {
	if !h.HasRights(RightSignalPeer) {
		return ErrAccessDenied
	}
	return h.obj.base().UserSignalPeer(clear, set)
}

// ObjectWaitAsync is zx_object_wait_async with the port given by handle:
// INVALID_ARGS for unknown options, WRONG_TYPE if port is not a port,
// ACCESS_DENIED without WRITE on the port, then Port.WaitAsync.
func ObjectWaitAsync(h, port *Handle, key uint64, signals Signals, options uint32) Status {
	if options&^waitAsyncAll != 0 {
		return ErrInvalidArgs
	}
	p, ok := port.obj.(*Port)
	if !ok {
		return ErrWrongType
	}
	if !port.HasRights(RightWrite) {
		return ErrAccessDenied
	}
	return p.WaitAsync(h, key, signals, options)
}
