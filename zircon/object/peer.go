package object

import "sync"

// InitPeers links two freshly initialised objects as the ends of a pair
// (channel, socket, FIFO, eventpair): they share one lock, each is the
// other's peer and related koid. Call it after both Inits, before either
// object is shared.
func InitPeers(a, b Object) {
	mu := new(sync.Mutex)
	ab, bb := a.base(), b.base()
	ab.lockp, bb.lockp = mu, mu
	ab.peered, bb.peered = true, true
	ab.peer, bb.peer = b, a
	ab.related.Store(uint64(bb.koid))
	bb.related.Store(uint64(ab.koid))
}

// PeerLocked is the other end of a pair, or nil once it is gone (its last
// handle closed). Call with the lock held.
func (b *Base) PeerLocked() Object { return b.peer }

// Peered reports whether the object is one end of a pair.
func (b *Base) Peered() bool { return b.peered }

// PeerHasClosed reports whether the peer is gone; false for solo objects.
func (b *Base) PeerHasClosed() bool {
	if !b.peered {
		return false
	}
	b.Lock()
	defer b.Unlock()
	return b.peer == nil
}
