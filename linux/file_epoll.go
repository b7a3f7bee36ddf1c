package linux

import (
	"encoding/binary"
	"sync"
	"time"

	"golang.org/x/sys/unix"

	"quartz/kernel/poll"
	"quartz/kernel/vfs"
	"quartz/lib/vmio"
)

// epollFile is an epoll instance: an interest list of pollable files.
// Like Linux's, an item does not keep its file open: once every
// descriptor of the file is closed, the item is gone.
type epollFile struct {
	mu       sync.Mutex
	interest map[int]*epollItem // by descriptor
	poll.Pollee
}

type epollItem struct {
	fd     int
	of     *openFile
	events uint32
	data   uint64
	// reported is the file's notification generation at the last report
	// of an edge-triggered item: it is reported again only after a new
	// notification (a new edge).
	reported uint64
	disabled bool // EPOLLONESHOT fired
}

const (
	epollET      = 1 << 31
	epollOneshot = 1 << 30
	epollExcl    = 1 << 28
	epollWakeup  = 1 << 29
	alwaysEvents = uint32(poll.Err | poll.Hup)
)

func (e *epollFile) Read(*vmio.Writer, int64, vfs.Canceler) (uint64, error)  { return 0, unix.EINVAL }
func (e *epollFile) Write(*vmio.Reader, int64, vfs.Canceler) (uint64, error) { return 0, unix.EINVAL }
func (e *epollFile) Seekable() bool                                          { return false }

func (e *epollFile) pollee() *poll.Pollee { return &e.Pollee }

func (e *epollFile) readiness() poll.Events {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, it := range e.liveLocked() {
		if ev, _ := it.ready(); ev != 0 {
			return poll.In
		}
	}
	return 0
}

// liveLocked returns the items whose files are still open, dropping the
// others.
func (e *epollFile) liveLocked() []*epollItem {
	out := make([]*epollItem, 0, len(e.interest))
	for fd, it := range e.interest {
		if it.of.refs.Load() <= 0 {
			delete(e.interest, fd)
			continue
		}
		out = append(out, it)
	}
	return out
}

// ready returns the events to report now, and the notification
// generation they were computed at.
func (it *epollItem) ready() (poll.Events, uint64) {
	if it.disabled {
		return 0, 0
	}
	f := it.of.File.(pollable)
	gen := f.pollee().Generation()
	ev := f.readiness() & poll.Events(it.events|alwaysEvents)
	if it.events&epollET != 0 && gen == it.reported {
		return 0, gen
	}
	return ev, gen
}

// neverReported makes an item's current readiness an edge to report.
const neverReported = ^uint64(0)

func (e *epollFile) Release() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.interest = nil
	return nil
}

func (e *epollFile) ctl(op int, fd int, of *openFile, events uint32, data uint64) error {
	if _, ok := of.File.(pollable); !ok {
		return unix.EPERM
	}
	if of.File == e {
		return unix.EINVAL
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	it := e.interest[fd]
	if it != nil && (it.of != of || it.of.refs.Load() <= 0) {
		// The descriptor was closed and reused: the old item is gone.
		delete(e.interest, fd)
		it = nil
	}
	switch op {
	case unix.EPOLL_CTL_ADD:
		if it != nil {
			return unix.EEXIST
		}
		e.interest[fd] = &epollItem{fd: fd, of: of, events: events, data: data, reported: neverReported}
	case unix.EPOLL_CTL_MOD:
		if it == nil {
			return unix.ENOENT
		}
		if events&epollExcl != 0 {
			return unix.EINVAL
		}
		it.events, it.data, it.reported, it.disabled = events, data, neverReported, false
	case unix.EPOLL_CTL_DEL:
		if it == nil {
			return unix.ENOENT
		}
		delete(e.interest, fd)
	default:
		return unix.EINVAL
	}
	e.Notify()
	return nil
}

// collect fills up to max ready events, updating edge and one-shot state.
func (e *epollFile) collect(max int) []byte {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []byte
	for _, it := range e.liveLocked() {
		if len(out)/12 >= max {
			break
		}
		ev, gen := it.ready()
		if ev == 0 {
			continue
		}
		it.reported = gen
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

// observe subscribes ws to every file in the interest list.
func (e *epollFile) observe(ws *waitSet) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, it := range e.liveLocked() {
		ws.add(it.of.File.(pollable), poll.Events(it.events|alwaysEvents))
	}
}

var timeNever time.Time
