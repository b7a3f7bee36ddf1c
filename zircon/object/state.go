package object

// Signals is the object's current signal state.
func (b *Base) Signals() Signals { return Signals(b.signals.Load()) }

// UpdateState clears, then sets, signals and notifies the observers
// waiting for a signal that became active. Clearing a signal, or setting
// one already set, notifies nobody (Zircon's Dispatcher::UpdateState).
func (b *Base) UpdateState(clear, set Signals) {
	b.Lock()
	b.UpdateStateLocked(clear, set, 0)
	b.Unlock()
}

// UpdateStateLocked is UpdateState with the lock held. Strobe signals are
// reported to observers as if they had been raised, but are not stored
// (a clock's UPDATED pulse).
func (b *Base) UpdateStateLocked(clear, set, strobe Signals) {
	old := Signals(b.signals.Load())
	cur := (old &^ clear) | set
	if cur != old {
		b.signals.Store(uint32(cur))
	}
	if raised := (set &^ old) | strobe; raised != 0 {
		b.notifyLocked(raised, cur|strobe)
	}
}

// UserSignal is zx_object_signal on the object itself: only the user
// signals, and the few extra ones the type allows, may change. Rights
// (SIGNAL) are the caller's to check; see ObjectSignal.
func (b *Base) UserSignal(clear, set Signals) Status {
	if !b.typ.Waitable() {
		return ErrNotSupported
	}
	allowed := b.typ.AllowedUserSignals()
	if (clear|set)&^allowed != 0 {
		return ErrInvalidArgs
	}
	b.UpdateState(clear, set)
	return OK
}

// UserSignalPeer is zx_object_signal_peer: change the user signals of the
// other end. NOT_SUPPORTED for an object without a peer, PEER_CLOSED once
// the peer is gone.
func (b *Base) UserSignalPeer(clear, set Signals) Status {
	if !b.peered {
		return ErrNotSupported
	}
	allowed := b.typ.AllowedUserSignals()
	if (clear|set)&^allowed != 0 {
		return ErrInvalidArgs
	}
	b.Lock()
	defer b.Unlock()
	if b.peer == nil {
		return ErrPeerClosed
	}
	b.peer.base().UpdateStateLocked(clear, set, 0)
	return OK
}
