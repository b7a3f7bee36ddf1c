package poll

import (
	"sync"
	"sync/atomic"
	"time"
)

// Events is a set of readiness conditions, with Linux's EPOLL* bit values.
type Events uint32

const (
	In    Events = 0x001
	Pri   Events = 0x002
	Out   Events = 0x004
	Err   Events = 0x008
	Hup   Events = 0x010
	RdHup Events = 0x2000
)

// Pollee is the notification side of an object with readiness.
type Pollee struct {
	mu       sync.Mutex
	watchers map[*Poller]struct{}
	gen      atomic.Uint64
}

// Notify tells every observing Poller that readiness may have changed.
func (p *Pollee) Notify() {
	p.gen.Add(1)
	p.mu.Lock()
	defer p.mu.Unlock()
	for w := range p.watchers {
		w.wake()
	}
}

// Generation counts notifications: an edge-triggered waiter reports an
// object again only once it has been notified since the last report.
func (p *Pollee) Generation() uint64 { return p.gen.Load() }

func (p *Pollee) add(w *Poller) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.watchers == nil {
		p.watchers = make(map[*Poller]struct{})
	}
	p.watchers[w] = struct{}{}
}

func (p *Pollee) remove(w *Poller) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.watchers, w)
}

// Poller waits for notifications from the Pollees it observes.
type Poller struct {
	ch      chan struct{}
	pollees []*Pollee
}

// NewPoller makes a Poller observing nothing yet.
func NewPoller() *Poller { return &Poller{ch: make(chan struct{}, 1)} }

func (w *Poller) wake() {
	select {
	case w.ch <- struct{}{}:
	default:
	}
}

// Observe subscribes to p. Subscribe first, then check readiness.
func (w *Poller) Observe(p *Pollee) {
	p.add(w)
	w.pollees = append(w.pollees, p)
}

// Close unsubscribes from every Pollee.
func (w *Poller) Close() {
	for _, p := range w.pollees {
		p.remove(w)
	}
	w.pollees = nil
}

// Wait blocks until a notification arrives (true), the deadline passes,
// or cancel is closed (false). A zero deadline waits without limit.
func (w *Poller) Wait(deadline time.Time, cancel <-chan struct{}) bool {
	var timeout <-chan time.Time
	if !deadline.IsZero() {
		d := time.Until(deadline)
		if d <= 0 {
			return false
		}
		t := time.NewTimer(d)
		defer t.Stop()
		timeout = t.C
	}
	select {
	case <-w.ch:
		return true
	case <-timeout:
		return false
	case <-cancel:
		return false
	}
}
