package object

// zx_object_wait_async options.
//
// zCore implemented the Zircon of 2020, whose options were ONCE (0) and
// REPEATING (1). Fuchsia has since removed REPEATING — a repeating
// observer could flood a port, and re-arming after each packet is cheap —
// and gave its bit to TIMESTAMP; EDGE came later. Quartz follows today's
// Fuchsia: every wait is one-shot (ONCE is 0 and means nothing more),
// TIMESTAMP stamps the packet with the monotonic time it fired, EDGE
// waits for a signal to become active rather than be active.
const (
	WaitAsyncOnce      uint32 = 0
	WaitAsyncTimestamp uint32 = 1 << 0
	WaitAsyncEdge      uint32 = 1 << 1

	waitAsyncAll = WaitAsyncTimestamp | WaitAsyncEdge
)

// portObserver is one wait_async: it queues a SIGNAL_ONE packet on its
// port when it fires. Its port-side state (canceled, membership of
// port.observers) is guarded by the port lock.
type portObserver struct {
	ObserverNode
	port     *Port
	obj      Object
	handle   *Handle
	key      uint64
	trigger  Signals
	options  uint32
	canceled bool
}

// OnMatch runs with the object's lock held: queue the packet.
func (o *portObserver) OnMatch(s Signals) {
	var ts Time
	if o.options&WaitAsyncTimestamp != 0 {
		ts = Now()
	}
	p := o.port
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.zero || o.canceled {
		return
	}
	delete(p.observers, o)
	e := portEntry{src: o.handle}
	e.pkt.Key = o.key
	e.pkt.Type = PacketSignalOne
	e.pkt.Status = OK
	e.pkt.SetSignal(SignalPacket{Trigger: o.trigger, Observed: s, Count: 1, Timestamp: ts})
	p.deliverLocked(e)
}

// OnCancel: the watched handle was closed; the wait ends without a
// packet (packets already queued stay).
func (o *portObserver) OnCancel(Signals) { o.port.reap(o) }

func (p *Port) reap(o *portObserver) {
	p.mu.Lock()
	delete(p.observers, o)
	p.mu.Unlock()
}

// WaitAsync is zx_object_wait_async with p as the port: when one of
// signals is active on h's object (Level) or becomes active (options has
// WaitAsyncEdge), queue one SIGNAL_ONE packet with key on p. Unknown
// options give INVALID_ARGS, a handle without WAIT ACCESS_DENIED, an
// object without signals NOT_SUPPORTED. Closing h cancels the wait.
// (The syscall also needs WRITE on the port handle: see ObjectWaitAsync.)
func (p *Port) WaitAsync(h *Handle, key uint64, signals Signals, options uint32) Status {
	if options&^waitAsyncAll != 0 {
		return ErrInvalidArgs
	}
	if !h.HasRights(RightWait) {
		return ErrAccessDenied
	}
	if !h.obj.Type().Waitable() {
		return ErrNotSupported
	}
	o := &portObserver{port: p, obj: h.obj, handle: h, key: key, trigger: signals, options: options}
	p.mu.Lock()
	if p.zero {
		p.mu.Unlock()
		return ErrBadHandle
	}
	p.observers[o] = struct{}{}
	p.mu.Unlock()
	mode := Level
	if options&WaitAsyncEdge != 0 {
		mode = Edge
	}
	st := h.obj.base().AddObserver(o, h, signals, mode)
	if st != OK {
		p.reap(o)
	}
	return st
}

// cancelByKey removes the port observers on this object that were added
// through h for port p with key (Zircon's Dispatcher::CancelByKey).
func (b *Base) cancelByKey(h *Handle, p *Port, key uint64) bool {
	found := false
	b.Lock()
	defer b.Unlock()
	for n := b.observers.head; n != nil; {
		next := n.next
		if o, ok := n.self.(*portObserver); ok && o.port == p && o.key == key && n.handle == h {
			b.observers.remove(n)
			p.reap(o)
			found = true
		}
		n = next
	}
	return found
}
