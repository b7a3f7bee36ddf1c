package linux

import (
	"encoding/binary"
	"sync"

	"golang.org/x/sys/unix"

	"quartz/kernel/poll"
	"quartz/kernel/vfs"
	"quartz/lib/vmio"
)

// eventFile is an eventfd: a 64-bit counter with readiness.
type eventFile struct {
	mu        sync.Mutex
	count     uint64
	semaphore bool
	nonblock  *openFile // for O_NONBLOCK, read at each call
	poll.Pollee
}

const eventfdMax = ^uint64(0) - 1

func (e *eventFile) pollee() *poll.Pollee { return &e.Pollee }

func (e *eventFile) readiness() poll.Events {
	e.mu.Lock()
	defer e.mu.Unlock()
	var ev poll.Events
	if e.count > 0 {
		ev |= poll.In
	}
	if e.count < eventfdMax {
		ev |= poll.Out
	}
	return ev
}

func (e *eventFile) isNonblock() bool {
	return e.nonblock != nil && e.nonblock.flags.Load()&unix.O_NONBLOCK != 0
}

func (e *eventFile) Seekable() bool { return false }
func (e *eventFile) Release() error { return nil }

func (e *eventFile) Read(dst *vmio.Writer, _ int64, c vfs.Canceler) (uint64, error) {
	if dst.Remaining() < 8 {
		return 0, unix.EINVAL
	}
	for {
		e.mu.Lock()
		if e.count > 0 {
			v := e.count
			if e.semaphore {
				v = 1
			}
			var b [8]byte
			binary.LittleEndian.PutUint64(b[:], v)
			if _, err := dst.Write(b[:]); err != nil {
				e.mu.Unlock()
				return 0, err
			}
			e.count -= v
			e.mu.Unlock()
			e.Notify()
			return 8, nil
		}
		e.mu.Unlock()
		if e.isNonblock() {
			return 0, unix.EAGAIN
		}
		if err := waitReady(e, poll.In, c); err != nil {
			return 0, err
		}
	}
}

func (e *eventFile) Write(src *vmio.Reader, _ int64, c vfs.Canceler) (uint64, error) {
	if src.Remaining() < 8 {
		return 0, unix.EINVAL
	}
	var b [8]byte
	if _, err := src.Read(b[:]); err != nil {
		return 0, err
	}
	v := binary.LittleEndian.Uint64(b[:])
	if v == ^uint64(0) {
		return 0, unix.EINVAL
	}
	for {
		e.mu.Lock()
		if eventfdMax-e.count >= v {
			e.count += v
			e.mu.Unlock()
			e.Notify()
			return 8, nil
		}
		e.mu.Unlock()
		if e.isNonblock() {
			return 0, unix.EAGAIN
		}
		if err := waitReady(e, poll.Out, c); err != nil {
			return 0, err
		}
	}
}

// waitReady blocks until f is ready for one of want, or c says stop
// (EINTR; the caller turns it into a restart or EINTR).
func waitReady(f pollable, want poll.Events, c vfs.Canceler) error {
	ws := newWaitSet()
	defer ws.close()
	ws.add(f, want)
	for f.readiness()&want == 0 {
		if !ws.w.Wait(timeNever, c.Done()) {
			return unix.EINTR
		}
	}
	return nil
}
