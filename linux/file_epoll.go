package linux

import (
	"encoding/binary"
	"sync"
	"time"

	"golang.org/x/sys/unix"

	"quartz/kernel/poll"
)

// epollFile is an epoll instance: an interest list of pollable files.
type epollFile struct {
	baseFile
	mu       sync.Mutex
	interest map[int]*epollItem // by descriptor
	poll.Pollee
}

type epollItem struct {
	fd     int
	of     *openFile
	events uint32
	data   uint64
	// seen is the readiness last reported for edge-triggered items.
	seen     poll.Events
	disabled bool // EPOLLONESHOT fired
}

const (
	epollET      = 1 << 31
	epollOneshot = 1 << 30
	epollExcl    = 1 << 28
	epollWakeup  = 1 << 29
	alwaysEvents = uint32(poll.Err | poll.Hup)
)

func (e *epollFile) pollee() *poll.Pollee { return &e.Pollee }

func (e *epollFile) readiness() poll.Events {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, it := range e.interest {
		if it.ready() != 0 {
			return poll.In
		}
	}
	return 0
}

func (it *epollItem) ready() poll.Events {
	if it.disabled {
		return 0
	}
	ev := it.of.file.(pollable).readiness() & poll.Events(it.events|alwaysEvents)
	if it.events&epollET != 0 {
		return ev &^ it.seen
	}
	return ev
}

func (e *epollFile) release() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, it := range e.interest {
		it.of.put()
	}
	e.interest = nil
	return nil
}

func (e *epollFile) stat(st *unix.Stat_t) error {
	*st = unix.Stat_t{Mode: 0o600, Nlink: 1, Blksize: 4096}
	return nil
}

func (e *epollFile) ctl(op int, fd int, of *openFile, events uint32, data uint64) error {
	if _, ok := of.file.(pollable); !ok {
		return unix.EPERM
	}
	if of.file == e {
		return unix.EINVAL
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	it := e.interest[fd]
	switch op {
	case unix.EPOLL_CTL_ADD:
		if it != nil {
			return unix.EEXIST
		}
		e.interest[fd] = &epollItem{fd: fd, of: of.get(), events: events, data: data}
	case unix.EPOLL_CTL_MOD:
		if it == nil {
			return unix.ENOENT
		}
		if events&epollExcl != 0 {
			return unix.EINVAL
		}
		it.events, it.data, it.seen, it.disabled = events, data, 0, false
	case unix.EPOLL_CTL_DEL:
		if it == nil {
			return unix.ENOENT
		}
		it.of.put()
		delete(e.interest, fd)
	default:
		return unix.EINVAL
	}
	return nil
}

// collect fills up to max ready events, updating edge and one-shot state.
func (e *epollFile) collect(max int) []byte {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []byte
	for _, it := range e.interest {
		if len(out)/12 >= max {
			break
		}
		ev := it.ready()
		if ev == 0 {
			continue
		}
		if it.events&epollET != 0 {
			it.seen |= ev
		}
		if it.events&epollOneshot != 0 {
			it.disabled = true
		}
		var rec [12]byte // struct epoll_event is packed on x86-64
		binary.LittleEndian.PutUint32(rec[0:], uint32(ev))
		binary.LittleEndian.PutUint64(rec[4:], it.data)
		out = append(out, rec[:]...)
	}
	return out
}

// observe subscribes w to every file in the interest list.
func (e *epollFile) observe(w *poll.Poller) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, it := range e.interest {
		w.Observe(it.of.file.(pollable).pollee())
	}
}

// resetEdges forgets what edge-triggered items reported once their file
// changed state, so the next change is a new edge.
func (e *epollFile) resetEdges() {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, it := range e.interest {
		if it.events&epollET != 0 {
			now := it.of.file.(pollable).readiness()
			it.seen &= now
		}
	}
}

var timeNever time.Time
