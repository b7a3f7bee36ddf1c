package object

import "sync"

// Port options (zx_port_create).
const PortBindToInterrupt uint32 = 1 << 0

// MaxPendingUserPackets bounds the user packets queued on one port: past
// it zx_port_queue gives SHOULD_WAIT. This is Zircon's historical
// kMaxPendingPacketCount (2048); today's Zircon allows 4096 and raises a
// policy exception instead, which needs the task layer. Signal packets do
// not count: each wait_async has room for its one packet.
const MaxPendingUserPackets = 2048

// Port is a queue of packets: user packets (Queue) and the signal
// packets of wait_async observers (WaitAsync). Threads take packets with
// Wait, in order. A port has no signals of its own and cannot be waited
// on.
type Port struct {
	Base
	options uint32

	mu        sync.Mutex // the port lock: taken after any object's lock
	queue     []portEntry
	head      int
	userCount int
	observers map[*portObserver]struct{} // armed, not yet fired
	waiters   []*portWaiter              // blocked in Wait, FIFO
	zero      bool                       // last handle closed
}

// portEntry is a queued packet and where it came from, for Cancel.
type portEntry struct {
	pkt  PortPacket
	src  *Handle // the handle a signal packet's wait_async went through
	user bool
}

type portWaiter struct {
	ch chan PortPacket // capacity 1: a packet handed straight over
}

// NewPort is zx_port_create: options 0 or PortBindToInterrupt, else
// INVALID_ARGS.
func NewPort(options uint32) (*Port, Status) {
	if options != 0 && options != PortBindToInterrupt {
		return nil, ErrInvalidArgs
	}
	p := &Port{options: options, observers: make(map[*portObserver]struct{})}
	p.Init(TypePort, 0)
	return p, OK
}

// Options are the options the port was created with.
func (p *Port) Options() uint32 { return p.options }

// deliverLocked hands e to the first blocked waiter, or queues it.
func (p *Port) deliverLocked(e portEntry) {
	if len(p.waiters) > 0 {
		w := p.waiters[0]
		p.waiters[0] = nil
		p.waiters = p.waiters[1:]
		if len(p.waiters) == 0 {
			p.waiters = nil
		}
		w.ch <- e.pkt
		return
	}
	if e.user {
		p.userCount++
	}
	p.queue = append(p.queue, e)
}

func (p *Port) popLocked() (PortPacket, bool) {
	if p.head == len(p.queue) {
		return PortPacket{}, false
	}
	e := p.queue[p.head]
	p.queue[p.head] = portEntry{}
	p.head++
	if p.head == len(p.queue) {
		p.queue, p.head = p.queue[:0], 0
	} else if p.head > 256 && p.head*2 > len(p.queue) {
		n := copy(p.queue, p.queue[p.head:])
		clear(p.queue[n:])
		p.queue, p.head = p.queue[:n], 0
	}
	if e.user {
		p.userCount--
	}
	return e.pkt, true
}

// Queue is zx_port_queue: queue a user packet. Its type is forced to
// PacketUser; key, status and payload are the caller's. SHOULD_WAIT when
// MaxPendingUserPackets are already queued; BAD_HANDLE once the port's
// last handle is closed.
func (p *Port) Queue(pkt PortPacket) Status {
	pkt.Type = PacketUser
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.zero {
		return ErrBadHandle
	}
	if p.userCount >= MaxPendingUserPackets {
		return ErrShouldWait
	}
	p.deliverLocked(portEntry{pkt: pkt, user: true})
	return OK
}

// Wait is zx_port_wait: take the oldest packet, blocking until one comes,
// the deadline passes (TIMED_OUT; a past deadline only looks) or cancel
// is closed (INTERNAL_INTR_KILLED). Waiters are served in order.
func (p *Port) Wait(deadline Time, cancel <-chan struct{}) (PortPacket, Status) {
	p.mu.Lock()
	if pkt, ok := p.popLocked(); ok {
		p.mu.Unlock()
		return pkt, OK
	}
	timer, stop, expired := deadlineTimer(deadline)
	if expired {
		p.mu.Unlock()
		return PortPacket{}, ErrTimedOut
	}
	defer stop()
	w := &portWaiter{ch: make(chan PortPacket, 1)}
	p.waiters = append(p.waiters, w)
	p.mu.Unlock()

	var lost Status
	select {
	case pkt := <-w.ch:
		return pkt, OK
	case <-timer:
		lost = ErrTimedOut
	case <-cancel:
		lost = ErrInternalIntrKilled
	}
	p.mu.Lock()
	for i, x := range p.waiters {
		if x == w {
			p.waiters = append(p.waiters[:i], p.waiters[i+1:]...)
			p.mu.Unlock()
			return PortPacket{}, lost
		}
	}
	p.mu.Unlock()
	// A packet was handed over while we were giving up: take it.
	return <-w.ch, OK
}

// Pending is the number of packets queued.
func (p *Port) Pending() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.queue) - p.head
}

// removeQueuedLocked drops queued packets with key (and, if src is not
// nil, from wait_asyncs through src). Like Zircon's
// CancelQueuedPacketsLocked, a nil src also matches user packets.
func (p *Port) removeQueuedLocked(src *Handle, key uint64) bool {
	removed := false
	kept := p.queue[:p.head]
	for _, e := range p.queue[p.head:] {
		if e.pkt.Key == key && (src == nil || (!e.user && e.src == src)) {
			removed = true
			if e.user {
				p.userCount--
			}
			continue
		}
		kept = append(kept, e)
	}
	clear(p.queue[len(kept):])
	p.queue = kept
	return removed
}

// Cancel is zx_port_cancel: cancel the wait_asyncs made through src with
// key, and drop the packets they already queued. NOT_FOUND if there was
// neither.
func (p *Port) Cancel(src *Handle, key uint64) Status {
	found := false
	if src.obj.Type().Waitable() {
		found = src.obj.base().cancelByKey(src, p, key)
	}
	p.mu.Lock()
	if p.removeQueuedLocked(src, key) {
		found = true
	}
	p.mu.Unlock()
	if !found {
		return ErrNotFound
	}
	return OK
}

// CancelKey is zx_port_cancel_key: cancel every wait_async with key on
// this port, whatever object it watches, and drop every queued packet
// with key. Options must be 0 (INVALID_ARGS); NOT_FOUND if nothing
// matched.
func (p *Port) CancelKey(options uint32, key uint64) Status {
	if options != 0 {
		return ErrInvalidArgs
	}
	var canceled []*portObserver
	p.mu.Lock()
	for o := range p.observers {
		if o.key == key {
			o.canceled = true
			delete(p.observers, o)
			canceled = append(canceled, o)
		}
	}
	removed := p.removeQueuedLocked(nil, key)
	p.mu.Unlock()
	// Outside the port lock: object lock before port lock, never after.
	for _, o := range canceled {
		o.obj.base().RemoveObserver(o)
	}
	if len(canceled) == 0 && !removed {
		return ErrNotFound
	}
	return OK
}

// OnZeroHandles drops the queued packets and every armed wait_async.
// Threads blocked in Wait stay blocked until their deadline or
// cancellation, as in Zircon (they hold a reference, not a handle).
func (p *Port) OnZeroHandles() {
	p.mu.Lock()
	p.zero = true
	clear(p.queue)
	p.queue, p.head, p.userCount = nil, 0, 0
	obs := make([]*portObserver, 0, len(p.observers))
	for o := range p.observers {
		o.canceled = true
		obs = append(obs, o)
	}
	clear(p.observers)
	p.mu.Unlock()
	for _, o := range obs {
		o.obj.base().RemoveObserver(o)
	}
}
