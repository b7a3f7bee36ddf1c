package pipe

import (
	"golang.org/x/sys/unix"

	"quartz/kernel/poll"
	"quartz/kernel/vfs"
)

// NewFIFO makes the pipe behind a named FIFO: no end open yet. Each
// open(2) of the FIFO opens an end with Open.
func NewFIFO() *Pipe {
	return &Pipe{buf: make([]byte, DefaultCapacity)}
}

// Open opens one more end, with open(2)'s FIFO rules: a reader waits
// until a writer has opened (none, with nonblocking set); a writer waits
// for a reader, and fails with ENXIO when nonblocking and there is none.
// Opening for both (O_RDWR) never waits. c ends a wait early (EINTR).
func (p *Pipe) Open(read, write bool, nonblock func() bool, c vfs.Canceler) (*End, error) {
	p.mu.Lock()
	if read {
		p.readers++
		p.readOpens++
	}
	if write {
		p.writers++
		p.writeOpens++
	}
	p.mu.Unlock()
	p.Notify()
	e := &End{p: p, reader: read, writer: write, nonblock: nonblock}
	if read && write {
		return e, nil
	}
	nb := nonblock != nil && nonblock()
	if read && nb {
		return e, nil
	}
	if write && nb {
		p.mu.Lock()
		none := p.readers == 0
		p.mu.Unlock()
		if none {
			e.Release()
			return nil, unix.ENXIO
		}
		return e, nil
	}
	// Wait for the other side to open (a change of its open count, as
	// Linux's r_counter and w_counter: a peer that came and went counts).
	p.mu.Lock()
	seen := p.writeOpens
	if write {
		seen = p.readOpens
	}
	p.mu.Unlock()
	w := poll.NewPoller()
	defer w.Close()
	w.Observe(&p.Pollee)
	for {
		p.mu.Lock()
		now, peers := p.writeOpens, p.writers
		if write {
			now, peers = p.readOpens, p.readers
		}
		p.mu.Unlock()
		if now != seen || peers > 0 {
			return e, nil
		}
		var done <-chan struct{}
		if c != nil {
			done = c.Done()
		}
		if !w.Wait(zeroTime, done) {
			e.Release()
			return nil, ErrCanceled
		}
	}
}
