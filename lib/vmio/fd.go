package vmio

import (
	"sync"

	"golang.org/x/sys/unix"
)

// ReadFromFD reads from the host descriptor fd straight into w's memory
// with one readv(2) (retried on EINTR) over up to MaxSegments pieces, and
// advances w by what was read. Like read(2) it may be short, and returns
// (0, nil) at end of file or when w has no room. Host errors are returned
// as they are, with 0 bytes.
//
// The pieces are pinned before the call: if the first one faults, the
// result is (0, err) and fd is not read, so no data is lost. If a later
// piece faults, the call covers only the bytes before it, and returns
// (n, err) when it filled all of them.
func (w *Writer) ReadFromFD(fd int) (int, error) {
	return hostIO(&w.c, func(iovs [][]byte) (int, error) { return unix.Readv(fd, iovs) })
}

// ReadFromFDAt is ReadFromFD at offset off of fd, with preadv(2).
func (w *Writer) ReadFromFDAt(fd int, off int64) (int, error) {
	return hostIO(&w.c, func(iovs [][]byte) (int, error) { return unix.Preadv(fd, iovs, off) })
}

// WriteToFD writes r's bytes to the host descriptor fd straight from their
// memory with one writev(2) (retried on EINTR) over up to MaxSegments
// pieces, and advances r by what was written. Like write(2) it may be
// short; it returns (0, nil) when r is empty. Faults are as in ReadFromFD:
// a fault on the first byte writes nothing.
func (r *Reader) WriteToFD(fd int) (int, error) {
	return hostIO(&r.c, func(iovs [][]byte) (int, error) { return unix.Writev(fd, iovs) })
}

// WriteToFDAt is WriteToFD at offset off of fd, with pwritev(2).
func (r *Reader) WriteToFDAt(fd int, off int64) (int, error) {
	return hostIO(&r.c, func(iovs [][]byte) (int, error) { return unix.Pwritev(fd, iovs, off) })
}

// pinSet holds the pieces of one host call.
type pinSet struct {
	bufs     [][]byte
	releases []func()
}

var pinSets = sync.Pool{New: func() any {
	return &pinSet{bufs: make([][]byte, 0, 16), releases: make([]func(), 0, 16)}
}}

// release releases every piece and forgets them, so the pool keeps no
// reference to guest memory.
func (p *pinSet) release() {
	for _, r := range p.releases {
		done(r)
	}
	clear(p.bufs)
	clear(p.releases)
	p.bufs = p.bufs[:0]
	p.releases = p.releases[:0]
}

// hostIO pins up to MaxSegments pieces ahead of c, lets sys transfer them,
// releases them, and advances c by what sys transferred.
func hostIO(c *cursor, sys func([][]byte) (int, error)) (int, error) {
	if c.remain == 0 {
		return 0, nil
	}
	p := pinSets.Get().(*pinSet)
	defer pinSets.Put(p)
	defer p.release()

	ahead := *c // a look-ahead copy: c moves only by what the host did
	var pinned uint64
	var fault error
	for len(p.bufs) < MaxSegments && ahead.remain > 0 {
		b, release, err := ahead.piece(ahead.remain)
		if err != nil {
			fault = err
			break
		}
		p.bufs = append(p.bufs, b)
		p.releases = append(p.releases, release)
		ahead.advance(uint64(len(b)))
		pinned += uint64(len(b))
	}
	if len(p.bufs) == 0 {
		return 0, fault
	}
	var n int
	var err error
	for {
		n, err = sys(p.bufs)
		if err != unix.EINTR {
			break
		}
	}
	if err != nil {
		return 0, err
	}
	if n < 0 || uint64(n) > pinned {
		// The host reported more than it was given: trust nothing.
		return 0, unix.EIO
	}
	c.advance(uint64(n))
	if fault != nil && uint64(n) == pinned {
		return n, fault
	}
	return n, nil
}
