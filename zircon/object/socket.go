package object

import "encoding/binary"

// Socket options (zircon/types.h).
const (
	// SocketStream (ZX_SOCKET_STREAM): a byte stream; writes may be short.
	SocketStream uint32 = 0
	// SocketDatagram (ZX_SOCKET_DATAGRAM): each write is one datagram,
	// kept whole, and each read returns at most one.
	SocketDatagram uint32 = 1 << 0

	// SocketPeek (ZX_SOCKET_PEEK) reads without consuming.
	SocketPeek uint32 = 1 << 3
)

// Socket is one end of a bidirectional byte pipe (zx_socket_*), in stream
// or datagram mode. Each end buffers what its peer wrote, up to
// SocketBufferMax bytes; each end can disable writes in either direction
// (SetDisposition) and ask for threshold signals (SetRxThreshold,
// SetTxThreshold).
//
// Both ends share one lock, which guards the buffers, the thresholds and
// the signals.
type Socket struct {
	Base
	options uint32

	buf            socketBuffer // what the peer wrote, to be read here
	readThreshold  int
	writeThreshold int
	// readDisabled: the peer's writes are disabled, so once buf is empty
	// a read gives BAD_STATE rather than SHOULD_WAIT.
	readDisabled bool
}

// NewSocket is zx_socket_create: two connected ends, both WRITABLE.
// Options are SocketStream or SocketDatagram, else INVALID_ARGS.
func NewSocket(options uint32) (*Socket, *Socket, Status) {
	if options&^SocketDatagram != 0 {
		return nil, nil, ErrInvalidArgs
	}
	a, b := &Socket{options: options}, &Socket{options: options}
	a.Init(TypeSocket, SocketWritable)
	b.Init(TypeSocket, SocketWritable)
	InitPeers(a, b)
	return a, b, OK
}

// Options are the options the socket was created with.
func (s *Socket) Options() uint32 { return s.options }

func (s *Socket) datagram() bool { return s.options&SocketDatagram != 0 }

func (s *Socket) peerLocked() *Socket {
	if p := s.PeerLocked(); p != nil {
		return p.(*Socket)
	}
	return nil
}

// Write is zx_socket_write: append data to the peer's buffer and return
// how many bytes went in. Options must be 0 (INVALID_ARGS, checked first,
// as Zircon does before the handle lookup). Then: PEER_CLOSED; BAD_STATE
// if this end's writes are disabled; an empty write succeeds with 0;
// SHOULD_WAIT if the peer's buffer is full. A stream write takes what
// fits (a short write); a datagram goes whole or not at all (SHOULD_WAIT),
// and one larger than SocketBufferMax is OUT_OF_RANGE.
func (s *Socket) Write(options uint32, data []byte) (int, Status) {
	if options != 0 {
		return 0, ErrInvalidArgs
	}
	s.Lock()
	defer s.Unlock()
	peer := s.peerLocked()
	if peer == nil {
		return 0, ErrPeerClosed
	}
	if s.Signals()&SocketWriteDisabled != 0 {
		return 0, ErrBadState
	}
	if len(data) == 0 {
		return 0, OK
	}
	if uint64(len(data)) > 1<<32-1 {
		return 0, ErrInvalidArgs
	}
	return peer.writeSelfLocked(s, data)
}

// writeSelfLocked appends what w wrote to s's buffer and updates both
// ends' signals: s may become READABLE and cross its read threshold, w may
// stop being WRITABLE or fall below its write threshold.
func (s *Socket) writeSelfLocked(w *Socket, data []byte) (int, Status) {
	if s.buf.full() {
		return 0, ErrShouldWait
	}
	wasEmpty := s.buf.empty()
	n, st := 0, OK
	if s.datagram() {
		if st = s.buf.writeDatagram(data); st == OK {
			n = len(data)
		}
	} else {
		n = s.buf.writeStream(data)
	}
	var clear Signals
	if n > 0 {
		var set Signals
		if wasEmpty {
			set |= SocketReadable
		}
		if s.readThreshold > 0 && s.buf.size >= s.readThreshold {
			set |= SocketReadThreshold
		}
		s.UpdateStateLocked(0, set, 0)
		if w.writeThreshold > 0 && s.buf.free() < w.writeThreshold {
			clear |= SocketWriteThreshold
		}
	}
	if s.buf.full() {
		clear |= SocketWritable
	}
	w.UpdateStateLocked(clear, 0, 0)
	return n, st
}

// Read is zx_socket_read: copy buffered bytes into dst and return how
// many; with SocketPeek they stay buffered. Options other than SocketPeek
// are INVALID_ARGS (checked first, as Zircon does before the handle
// lookup). When nothing is buffered: PEER_CLOSED if the peer is gone,
// BAD_STATE if its writes are disabled (nothing more can come),
// SHOULD_WAIT otherwise. A datagram read returns at most one datagram,
// truncated to dst and the rest discarded (peek discards nothing); a read
// into an empty dst returns 0 and consumes nothing.
func (s *Socket) Read(options uint32, dst []byte) (int, Status) {
	if options&^SocketPeek != 0 {
		return 0, ErrInvalidArgs
	}
	if uint64(len(dst)) > 1<<32-1 {
		return 0, ErrInvalidArgs
	}
	s.Lock()
	defer s.Unlock()
	peer := s.peerLocked()
	if s.buf.empty() {
		switch {
		case peer == nil:
			return 0, ErrPeerClosed
		case s.readDisabled:
			return 0, ErrBadState
		}
		return 0, ErrShouldWait
	}
	if options&SocketPeek != 0 {
		return s.buf.read(dst, s.datagram(), true), OK
	}
	wasFull := s.buf.full()
	n := s.buf.read(dst, s.datagram(), false)
	var clear Signals
	if s.readThreshold > 0 && s.buf.size < s.readThreshold {
		clear |= SocketReadThreshold
	}
	if s.buf.empty() {
		clear |= SocketReadable
	}
	s.UpdateStateLocked(clear, 0, 0)
	if peer != nil {
		var set Signals
		if peer.writeThreshold > 0 && s.buf.free() >= peer.writeThreshold {
			set |= SocketWriteThreshold
		}
		// Zircon raises WRITABLE here even on an end whose writes are
		// disabled; Quartz keeps WRITABLE and WRITE_DISABLED exclusive.
		if wasFull && n > 0 && peer.Signals()&SocketWriteDisabled == 0 {
			set |= SocketWritable
		}
		peer.UpdateStateLocked(0, set, 0)
	}
	return n, OK
}

// OnZeroHandlesLocked: nobody can read this end any more; its buffer is
// released.
func (s *Socket) OnZeroHandlesLocked() { s.buf = socketBuffer{} }

// OnPeerZeroHandlesLocked: the peer is gone. WRITABLE drops, PEER_CLOSED
// rises; what it wrote can still be read.
func (s *Socket) OnPeerZeroHandlesLocked() {
	s.UpdateStateLocked(SocketWritable, SocketPeerClosed, 0)
}

// SocketInfo is zx_info_socket_t (ZX_INFO_SOCKET): the options, and the
// capacity and fill of this end's receive buffer and of the peer's (the
// transmit side; zero once the peer is gone). RxBufAvailable is what one
// read could return: for a datagram socket, the first datagram's size.
type SocketInfo struct {
	Options        uint32
	RxBufMax       uint64
	RxBufSize      uint64
	RxBufAvailable uint64
	TxBufMax       uint64
	TxBufSize      uint64
}

// SocketInfoSize is sizeof(zx_info_socket_t).
const SocketInfoSize = 48

// Info is ZX_INFO_SOCKET for this end.
func (s *Socket) Info() SocketInfo {
	s.Lock()
	defer s.Unlock()
	info := SocketInfo{
		Options:        s.options,
		RxBufMax:       SocketBufferMax,
		RxBufSize:      uint64(s.buf.size),
		RxBufAvailable: uint64(s.buf.available(s.datagram())),
	}
	if peer := s.peerLocked(); peer != nil {
		info.TxBufMax = SocketBufferMax
		info.TxBufSize = uint64(peer.buf.size)
	}
	return info
}

// Marshal encodes the info in zx_info_socket_t's layout: options u32,
// padding, then five size_t.
func (i SocketInfo) Marshal() [SocketInfoSize]byte {
	var b [SocketInfoSize]byte
	binary.LittleEndian.PutUint32(b[0:], i.Options)
	binary.LittleEndian.PutUint64(b[8:], i.RxBufMax)
	binary.LittleEndian.PutUint64(b[16:], i.RxBufSize)
	binary.LittleEndian.PutUint64(b[24:], i.RxBufAvailable)
	binary.LittleEndian.PutUint64(b[32:], i.TxBufMax)
	binary.LittleEndian.PutUint64(b[40:], i.TxBufSize)
	return b
}
