package object

// SocketBufferMax is how many bytes one direction of a socket holds
// (zx_info_socket_t's rx_buf_max), stream or datagram. Zircon stores
// socket data in page-sized MBufs with a 32-byte header and rounds 256 KiB
// up to a whole number of their payloads; the figure is visible to
// userspace (ZX_INFO_SOCKET, short writes, the largest datagram), so
// Quartz keeps it although it stores the bytes differently.
const SocketBufferMax = (256*1024 + socketMBufPayload - 1) / socketMBufPayload * socketMBufPayload

const (
	socketMBufPayload = 4096 - 32
	// socketBufferKeep: an emptied buffer larger than this is released,
	// so an idle socket does not pin a burst's worth of memory.
	socketBufferKeep = 64 << 10
)

// socketBuffer is one direction of a socket: a byte ring that grows on
// demand up to SocketBufferMax and, for datagram sockets, the lengths of
// the datagrams in it, oldest first.
type socketBuffer struct {
	ring []byte
	head int // index of the oldest byte
	size int

	dgrams []int // datagram sockets: lengths, from dhead on
	dhead  int
}

func (b *socketBuffer) empty() bool { return b.size == 0 }
func (b *socketBuffer) full() bool  { return b.size >= SocketBufferMax }
func (b *socketBuffer) free() int   { return SocketBufferMax - b.size }

// available is rx_buf_available: the bytes a read could return, which for
// datagrams is the first datagram's length.
func (b *socketBuffer) available(datagram bool) int {
	if datagram && b.size > 0 {
		return b.dgrams[b.dhead]
	}
	return b.size
}

// grow makes room for n more bytes (the caller keeps size+n within
// SocketBufferMax), unwrapping the ring into a larger one.
func (b *socketBuffer) grow(n int) {
	need := b.size + n
	if need <= len(b.ring) {
		return
	}
	c := max(2*len(b.ring), need, 4096)
	c = min(c, SocketBufferMax)
	r := make([]byte, c)
	b.copyOut(r, b.size)
	b.ring, b.head = r, 0
}

// copyOut copies the first n buffered bytes into dst without consuming.
func (b *socketBuffer) copyOut(dst []byte, n int) {
	if n == 0 {
		return
	}
	first := min(n, len(b.ring)-b.head)
	copy(dst, b.ring[b.head:b.head+first])
	copy(dst[first:n], b.ring[:n-first])
}

// append adds p, which must fit.
func (b *socketBuffer) append(p []byte) {
	if len(p) == 0 {
		return
	}
	b.grow(len(p))
	tail := (b.head + b.size) % len(b.ring)
	n := copy(b.ring[tail:], p)
	copy(b.ring, p[n:])
	b.size += len(p)
}

// consume drops the first n bytes.
func (b *socketBuffer) consume(n int) {
	b.size -= n
	if b.size == 0 {
		b.head = 0
		if len(b.ring) > socketBufferKeep {
			b.ring = nil
		}
		return
	}
	b.head = (b.head + n) % len(b.ring)
}

// writeStream appends as much of p as fits and returns how much.
func (b *socketBuffer) writeStream(p []byte) int {
	n := min(len(p), b.free())
	b.append(p[:n])
	return n
}

// writeDatagram appends p as one datagram: a datagram larger than the
// whole buffer is OUT_OF_RANGE, one that does not fit now SHOULD_WAIT.
// It is all or nothing.
func (b *socketBuffer) writeDatagram(p []byte) Status {
	if len(p) > SocketBufferMax {
		return ErrOutOfRange
	}
	if len(p) > b.free() {
		return ErrShouldWait
	}
	b.append(p)
	if b.dhead > 64 && b.dhead*2 > len(b.dgrams) {
		n := copy(b.dgrams, b.dgrams[b.dhead:])
		b.dgrams, b.dhead = b.dgrams[:n], 0
	}
	b.dgrams = append(b.dgrams, len(p))
	return OK
}

// read copies into dst and, unless peek, consumes. A stream read takes
// what fits; a datagram read takes at most the first datagram, and
// consuming it drops the part that did not fit — except that a read into
// an empty dst consumes nothing, as in Zircon.
func (b *socketBuffer) read(dst []byte, datagram, peek bool) int {
	n := min(len(dst), b.size)
	whole := n
	if datagram && b.size > 0 {
		whole = b.dgrams[b.dhead]
		n = min(len(dst), whole)
	}
	b.copyOut(dst, n)
	if peek || len(dst) == 0 {
		return n
	}
	b.consume(whole)
	if datagram {
		b.dhead++
		if b.dhead == len(b.dgrams) {
			b.dgrams, b.dhead = b.dgrams[:0], 0
		}
	}
	return n
}
