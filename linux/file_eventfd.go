package linux

import (
	"encoding/binary"
	"sync"

	"golang.org/x/sys/unix"

	"quartz/kernel/poll"
)

// eventFile is an eventfd: a 64-bit counter with readiness.
type eventFile struct {
	baseFile
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

func (e *eventFile) read(t *Thread, b []byte) (int, error) {
	if len(b) < 8 {
		return 0, unix.EINVAL
	}
	for {
		e.mu.Lock()
		if e.count > 0 {
			v := e.count
			if e.semaphore {
				v = 1
			}
			e.count -= v
			e.mu.Unlock()
			binary.LittleEndian.PutUint64(b, v)
			e.Notify()
			return 8, nil
		}
		e.mu.Unlock()
		if e.isNonblock() {
			return 0, unix.EAGAIN
		}
		if err := t.waitReady(e, poll.In); err != nil {
			return 0, err
		}
	}
}

func (e *eventFile) write(t *Thread, b []byte) (int, error) {
	if len(b) < 8 {
		return 0, unix.EINVAL
	}
	v := binary.LittleEndian.Uint64(b)
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
		if err := t.waitReady(e, poll.Out); err != nil {
			return 0, err
		}
	}
}

func (e *eventFile) stat(st *unix.Stat_t) error {
	*st = unix.Stat_t{Mode: 0o600, Nlink: 1, Blksize: 4096}
	return nil
}

// waitReady blocks until f is ready for one of want, a signal arrives,
// or the process dies.
func (t *Thread) waitReady(f pollable, want poll.Events) error {
	w := poll.NewPoller()
	defer w.Close()
	w.Observe(f.pollee())
	for f.readiness()&want == 0 {
		if t.hasDeliverable() {
			return errInterrupted
		}
		if !w.Wait(timeNever, t.cancel()) {
			if t.proc.isDying() {
				return unix.EINTR
			}
		}
	}
	return nil
}
