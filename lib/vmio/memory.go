package vmio

import (
	"golang.org/x/sys/unix"
)

// Memory is guest memory as the kernel reaches it. It is implemented by the
// memory manager (kernel/mm), which pins the page so it cannot be freed
// while the kernel copies.
//
// Pin returns kernel memory aliasing guest [addr, addr+len(b)) for at most
// n bytes (n > 0), never crossing a page boundary (so len(b) may be < n),
// faulting the page in when the guest's mapping allows the access
// (write=true: writable), and a release func the caller must call exactly
// once when done with b (a nil release needs no call). An inaccessible
// address returns unix.EFAULT and nothing to release.
//
// This package may hold several pins at once (two in Copy, up to
// MaxSegments around a host call that may block), so Pin must not return
// holding a lock that another Pin needs.
type Memory interface {
	Pin(addr uint64, n uint64, write bool) (b []byte, release func(), err error)
}

// Iovec is one guest buffer of a vectored transfer: Len bytes at Base, as in
// struct iovec.
type Iovec struct{ Base, Len uint64 }

// MaxSegments is the most pieces one host call (readv/writev) is given: the
// host's IOV_MAX.
const MaxSegments = 1024

// maxTotal is the largest total a vectored reader or writer accepts, so
// that byte counts fit in an int and in the guest's ssize_t.
const maxTotal = 1<<63 - 1

// cursor is the position of a Reader or Writer: either a kernel slice or a
// list of guest vectors. It is a plain value, so a copy of it is a
// look-ahead that does not move the original.
type cursor struct {
	mem    Memory  // nil: kernel memory in kern
	kern   []byte  // kernel memory not yet done
	iov    []Iovec // guest vectors not yet done, none empty; iov[0] is current
	off    uint64  // bytes of iov[0] done
	remain uint64
	write  bool     // pin for writing
	one    [1]Iovec // backing for a single guest buffer: no allocation
}

func kernelCursor(b []byte, write bool) cursor {
	return cursor{kern: b, remain: uint64(len(b)), write: write}
}

// initGuest sets c, in place (c.iov points into c), to guest
// [addr, addr+n).
func (c *cursor) initGuest(m Memory, addr, n uint64, write bool) {
	*c = cursor{mem: m, write: write}
	if n > 0 {
		c.one[0] = Iovec{Base: addr, Len: n}
		c.iov = c.one[:]
		c.remain = n
	}
}

// guestCursorV copies iov without its empty vectors. The total must not
// overflow nor exceed maxTotal.
func guestCursorV(m Memory, iov []Iovec, write bool) (cursor, error) {
	c := cursor{mem: m, write: write}
	var total uint64
	kept := 0
	for _, v := range iov {
		if v.Len == 0 {
			continue
		}
		if v.Len > maxTotal-total {
			return cursor{}, unix.EINVAL
		}
		total += v.Len
		kept++
	}
	if kept > 0 {
		c.iov = make([]Iovec, 0, kept)
		for _, v := range iov {
			if v.Len != 0 {
				c.iov = append(c.iov, v)
			}
		}
	}
	c.remain = total
	return c, nil
}

// piece returns the memory of the next bytes of c, at most max of them
// (0 < max, c.remain > 0), without moving c, and what to release.
func (c *cursor) piece(max uint64) ([]byte, func(), error) {
	if c.mem == nil {
		n := min(max, uint64(len(c.kern)))
		return c.kern[:n:n], nil, nil
	}
	v := c.iov[0]
	addr := v.Base + c.off
	if addr < v.Base {
		// The vector runs past the top of the address space: the byte
		// after 0xffff_ffff_ffff_ffff is not address 0.
		return nil, nil, unix.EFAULT
	}
	n := min(max, v.Len-c.off)
	if addr != 0 && n > -addr {
		n = -addr
	}
	b, release, err := c.mem.Pin(addr, n, c.write)
	if err != nil {
		return nil, nil, err
	}
	if len(b) == 0 {
		// A Memory that grants nothing would make every loop spin.
		done(release)
		return nil, nil, unix.EFAULT
	}
	if uint64(len(b)) > n {
		b = b[:n:n]
	}
	return b, release, nil
}

// advance moves c forward n bytes (n <= c.remain).
func (c *cursor) advance(n uint64) {
	c.remain -= n
	if c.mem == nil {
		c.kern = c.kern[n:]
		return
	}
	for n > 0 {
		left := c.iov[0].Len - c.off
		if n < left {
			c.off += n
			return
		}
		n -= left
		c.iov = c.iov[1:]
		c.off = 0
	}
}

// done releases a pinned piece; kernel pieces have nothing to release.
func done(release func()) {
	if release != nil {
		release()
	}
}
