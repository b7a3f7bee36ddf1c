package vmio

import (
	"io"
)

// Writer is a destination of bytes: kernel memory (infallible) or guest
// memory (fallible). Writing advances it; after a fault it stands on the
// faulting byte. A Writer is used by one goroutine at a time.
type Writer struct {
	c cursor
}

// NewKernelWriter returns an infallible Writer over b.
func NewKernelWriter(b []byte) *Writer {
	return &Writer{c: kernelCursor(b, true)}
}

// NewGuestWriter returns a fallible Writer over guest [addr, addr+n).
func NewGuestWriter(m Memory, addr, n uint64) *Writer {
	w := new(Writer)
	w.c.initGuest(m, addr, n, true)
	return w
}

// NewGuestWriterV returns a fallible Writer over the guest vectors iov in
// order (readv(2)), skipping empty ones. iov is copied. The total length
// must fit in an ssize_t: if it overflows or exceeds 1<<63-1, the error is
// unix.EINVAL.
func NewGuestWriterV(m Memory, iov []Iovec) (*Writer, error) {
	c, err := guestCursorV(m, iov, true)
	if err != nil {
		return nil, err
	}
	return &Writer{c: c}, nil
}

// Remaining returns the room not yet written.
func (w *Writer) Remaining() uint64 { return w.c.remain }

// Fallible reports whether w writes guest memory, where writes may fault.
func (w *Writer) Fallible() bool { return w.c.mem != nil }

// Write copies min(len(p), Remaining) bytes from p. A fault stops it:
// (bytes before the faulting byte, the error from Memory.Pin, normally
// unix.EFAULT). Without a fault, if p did not fit, it returns the bytes
// written with io.ErrShortWrite.
func (w *Writer) Write(p []byte) (int, error) {
	want := min(uint64(len(p)), w.c.remain)
	n := uint64(0)
	for n < want {
		b, release, err := w.c.piece(want - n)
		if err != nil {
			return int(n), err
		}
		k := uint64(copy(b, p[n:want]))
		done(release)
		w.c.advance(k)
		n += k
	}
	if n < uint64(len(p)) {
		return int(n), io.ErrShortWrite
	}
	return int(n), nil
}

// FillZero writes min(n, Remaining) zero bytes, with Write's results:
// a fault stops it, and io.ErrShortWrite says n did not fit.
func (w *Writer) FillZero(n uint64) (uint64, error) {
	want := min(n, w.c.remain)
	k := uint64(0)
	for k < want {
		b, release, err := w.c.piece(want - k)
		if err != nil {
			return k, err
		}
		clear(b)
		done(release)
		w.c.advance(uint64(len(b)))
		k += uint64(len(b))
	}
	if k < n {
		return k, io.ErrShortWrite
	}
	return k, nil
}
