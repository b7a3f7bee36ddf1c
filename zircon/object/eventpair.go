package object

// EventPair is one end of a pair of events (zx_eventpair_create): each end
// has its own signals, either may signal the other (SignalPeer), and when
// the last handle to one end closes the other gets EventPairPeerClosed.
type EventPair struct {
	Base
}

// NewEventPair is zx_eventpair_create. No options are defined: any gives
// NOT_SUPPORTED, as Zircon's EventPairTest checks.
func NewEventPair(options uint32) (*EventPair, *EventPair, Status) {
	if options != 0 {
		return nil, nil, ErrNotSupported
	}
	a, b := &EventPair{}, &EventPair{}
	a.Init(TypeEventPair, 0)
	b.Init(TypeEventPair, 0)
	InitPeers(a, b)
	return a, b, OK
}

// OnZeroHandlesLocked: nothing to release.
func (e *EventPair) OnZeroHandlesLocked() {}

// OnPeerZeroHandlesLocked asserts PEER_CLOSED.
func (e *EventPair) OnPeerZeroHandlesLocked() {
	e.UpdateStateLocked(0, EventPairPeerClosed, 0)
}
