package vmio

import (
	"io"
)

// Reader is a source of bytes: kernel memory (infallible) or guest memory
// (fallible). Reading advances it; after a fault it stands on the faulting
// byte. A Reader is used by one goroutine at a time.
type Reader struct {
	c cursor
}

// NewKernelReader returns an infallible Reader over b.
func NewKernelReader(b []byte) *Reader {
	return &Reader{c: kernelCursor(b, false)}
}

// NewGuestReader returns a fallible Reader over guest [addr, addr+n).
func NewGuestReader(m Memory, addr, n uint64) *Reader {
	r := new(Reader)
	r.c.initGuest(m, addr, n, false)
	return r
}

// NewGuestReaderV returns a fallible Reader over the guest vectors iov in
// order (writev(2)), skipping empty ones. iov is copied. The total length
// must fit in an ssize_t: if it overflows or exceeds 1<<63-1, the error is
// unix.EINVAL.
func NewGuestReaderV(m Memory, iov []Iovec) (*Reader, error) {
	c, err := guestCursorV(m, iov, false)
	if err != nil {
		return nil, err
	}
	return &Reader{c: c}, nil
}

// Remaining returns the bytes not yet read.
func (r *Reader) Remaining() uint64 { return r.c.remain }

// Fallible reports whether r reads guest memory, where reads may fault.
func (r *Reader) Fallible() bool { return r.c.mem != nil }

// Read copies min(len(p), Remaining) bytes into p. A fault stops it:
// (bytes before the faulting byte, the error from Memory.Pin, normally
// unix.EFAULT). At the end it returns (0, io.EOF); an empty p returns
// (0, nil).
func (r *Reader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if r.c.remain == 0 {
		return 0, io.EOF
	}
	want := min(uint64(len(p)), r.c.remain)
	n := uint64(0)
	for n < want {
		b, release, err := r.c.piece(want - n)
		if err != nil {
			return int(n), err
		}
		k := uint64(copy(p[n:], b))
		done(release)
		r.c.advance(k)
		n += k
	}
	return int(n), nil
}

// Skip moves r forward min(n, Remaining) bytes without touching them (a
// fault in the skipped bytes goes unnoticed, as in Asterinas' skip), and
// returns io.EOF if that is fewer than n.
func (r *Reader) Skip(n uint64) (uint64, error) {
	k := min(n, r.c.remain)
	r.c.advance(k)
	if k < n {
		return k, io.EOF
	}
	return k, nil
}
