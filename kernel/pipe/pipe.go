package pipe

import (
	"io"
	"sync"
	"time"

	"golang.org/x/sys/unix"

	"quartz/kernel/poll"
	"quartz/kernel/vfs"
	"quartz/lib/vmio"
)

const (
	// DefaultCapacity is a new pipe's buffer size.
	DefaultCapacity = 16 * 4096
	// Atomic is PIPE_BUF: writes of at most this many bytes are atomic.
	Atomic = 4096
	// MaxCapacity is /proc/sys/fs/pipe-max-size's default.
	MaxCapacity = 1 << 20
)

// Pipe is the shared state of both ends.
type Pipe struct {
	mu      sync.Mutex
	buf     []byte // ring of capacity bytes
	head    int    // next byte to read
	n       int    // bytes buffered
	readers int    // open read ends
	writers int    // open write ends
	// readOpens and writeOpens count opens ever made (FIFO open waits).
	readOpens, writeOpens int
	poll.Pollee
}

// New makes a pipe with one read end and one write end open.
func New() *Pipe {
	return &Pipe{buf: make([]byte, DefaultCapacity), readers: 1, writers: 1}
}

// Readiness of one end.
func (p *Pipe) readiness(reader bool) poll.Events {
	p.mu.Lock()
	defer p.mu.Unlock()
	var ev poll.Events
	if reader {
		if p.n > 0 {
			ev |= poll.In
		}
		if p.writers == 0 {
			ev |= poll.Hup
		}
		return ev
	}
	if len(p.buf)-p.n >= Atomic || len(p.buf)-p.n == len(p.buf) {
		ev |= poll.Out
	}
	if p.readers == 0 {
		ev |= poll.Err
	}
	return ev
}

// End is one end of a pipe, a vfs.File.
type End struct {
	p        *Pipe
	reader   bool
	writer   bool
	nonblock func() bool // the open file's O_NONBLOCK, read at each call
}

// Ends returns the read and write ends of p. nonblock reports an end's
// O_NONBLOCK status flag (nil: blocking).
func (p *Pipe) Ends(readNonblock, writeNonblock func() bool) (*End, *End) {
	return &End{p: p, reader: true, nonblock: readNonblock}, &End{p: p, writer: true, nonblock: writeNonblock}
}

func (e *End) isNonblock() bool { return e.nonblock != nil && e.nonblock() }

// Pollee and Readiness make an end pollable.
func (e *End) Pollee() *poll.Pollee { return &e.p.Pollee }
func (e *End) Readiness() poll.Events {
	var ev poll.Events
	if e.reader {
		ev |= e.p.readiness(true)
	}
	if e.writer {
		ev |= e.p.readiness(false)
	}
	return ev
}
func (e *End) Seekable() bool { return false }
func (e *End) IsReader() bool { return e.reader }
func (e *End) Pipe() *Pipe    { return e.p }

// Release closes the end; the other side sees EOF or EPIPE.
func (e *End) Release() error {
	e.p.mu.Lock()
	if e.reader {
		e.p.readers--
	}
	if e.writer {
		e.p.writers--
	}
	e.p.mu.Unlock()
	e.p.Notify()
	return nil
}

// Read moves buffered bytes into dst. With nothing buffered it waits for a
// writer, returns 0 (EOF) when there is none, or EAGAIN when nonblocking.
func (e *End) Read(dst *vmio.Writer, _ int64, c vfs.Canceler) (uint64, error) {
	if !e.reader {
		return 0, unix.EBADF
	}
	p := e.p
	if dst.Remaining() == 0 {
		return 0, nil
	}
	for {
		p.mu.Lock()
		if p.n > 0 {
			done, err := p.copyOut(dst)
			p.mu.Unlock()
			p.Notify()
			if done > 0 {
				return done, nil
			}
			return 0, err
		}
		if p.writers == 0 {
			p.mu.Unlock()
			return 0, nil
		}
		p.mu.Unlock()
		if e.isNonblock() {
			return 0, unix.EAGAIN
		}
		if err := e.wait(poll.In|poll.Hup, c); err != nil {
			return 0, err
		}
	}
}

// copyOut moves up to dst.Remaining buffered bytes; p.mu is held.
func (p *Pipe) copyOut(dst *vmio.Writer) (uint64, error) {
	var done uint64
	for p.n > 0 && dst.Remaining() > 0 {
		chunk := p.buf[p.head:min(p.head+p.n, len(p.buf))]
		w, err := dst.Write(chunk[:min(uint64(len(chunk)), dst.Remaining())])
		p.head = (p.head + w) % len(p.buf)
		p.n -= w
		done += uint64(w)
		if err != nil && err != io.ErrShortWrite {
			return done, err
		}
	}
	return done, nil
}

// ErrBrokenPipe is returned by Write when no reader is left; the caller
// also raises SIGPIPE.
var ErrBrokenPipe = unix.EPIPE

// Write moves src into the buffer. Writes of at most Atomic bytes go in
// whole or wait; larger ones may be split and interleave. A nonblocking
// write that cannot place anything fails with EAGAIN; without readers it
// fails with EPIPE.
func (e *End) Write(src *vmio.Reader, _ int64, c vfs.Canceler) (uint64, error) {
	if !e.writer {
		return 0, unix.EBADF
	}
	p := e.p
	total := src.Remaining()
	atomic := total <= Atomic
	var done uint64
	for src.Remaining() > 0 {
		p.mu.Lock()
		if p.readers == 0 {
			p.mu.Unlock()
			if done > 0 {
				return done, nil
			}
			return 0, ErrBrokenPipe
		}
		free := len(p.buf) - p.n
		if free > 0 && (!atomic || uint64(free) >= src.Remaining()) {
			w, err := p.copyIn(src, free)
			p.mu.Unlock()
			p.Notify()
			done += w
			if err != nil {
				if done > 0 {
					return done, nil
				}
				return 0, err
			}
			continue
		}
		p.mu.Unlock()
		if e.isNonblock() {
			if done > 0 {
				return done, nil
			}
			return 0, unix.EAGAIN
		}
		if err := e.wait(poll.Out|poll.Err, c); err != nil {
			if done > 0 {
				return done, nil
			}
			return 0, err
		}
	}
	return done, nil
}

// copyIn moves up to free bytes of src into the ring; p.mu is held.
func (p *Pipe) copyIn(src *vmio.Reader, free int) (uint64, error) {
	var done uint64
	for free > 0 && src.Remaining() > 0 {
		tail := (p.head + p.n) % len(p.buf)
		end := len(p.buf)
		if tail < p.head {
			end = p.head
		}
		chunk := p.buf[tail:end]
		chunk = chunk[:min(uint64(len(chunk)), src.Remaining(), uint64(free))]
		r, err := src.Read(chunk)
		p.n += r
		free -= r
		done += uint64(r)
		if err != nil && err != io.EOF {
			return done, err
		}
		if r == 0 {
			break
		}
	}
	return done, nil
}

// wait blocks until the pipe may have changed toward want, or the caller
// cancels (ErrCanceled; the caller maps it to EINTR or a restart).
func (e *End) wait(want poll.Events, c vfs.Canceler) error {
	w := poll.NewPoller()
	defer w.Close()
	w.Observe(&e.p.Pollee)
	for e.Readiness()&want == 0 {
		var done <-chan struct{}
		if c != nil {
			done = c.Done()
		}
		if !w.Wait(zeroTime, done) {
			return ErrCanceled
		}
	}
	return nil
}

// ErrCanceled reports a blocking call ended by its Canceler.
var ErrCanceled = unix.EINTR

// Buffered is FIONREAD: the bytes waiting to be read.
func (p *Pipe) Buffered() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.n
}

// Capacity is F_GETPIPE_SZ.
func (p *Pipe) Capacity() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.buf)
}

// SetCapacity is F_SETPIPE_SZ: the size is rounded up to a power-of-two
// number of pages; it may not drop below what is buffered (EBUSY).
func (p *Pipe) SetCapacity(size int) (int, error) {
	if size <= 0 || size > MaxCapacity {
		if size > MaxCapacity {
			return 0, unix.EPERM
		}
		return 0, unix.EINVAL
	}
	c := 4096
	for c < size {
		c *= 2
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if c < p.n {
		return 0, unix.EBUSY
	}
	nb := make([]byte, c)
	for i := 0; i < p.n; i++ {
		nb[i] = p.buf[(p.head+i)%len(p.buf)]
	}
	p.buf, p.head = nb, 0
	return c, nil
}

var zeroTime = time.Time{}
