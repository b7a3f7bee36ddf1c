package object

// Channel limits and options (zircon/types.h, zircon/syscalls.h).
const (
	// ChannelMaxMsgBytes is ZX_CHANNEL_MAX_MSG_BYTES.
	ChannelMaxMsgBytes = 65536
	// ChannelMaxMsgHandles is ZX_CHANNEL_MAX_MSG_HANDLES.
	ChannelMaxMsgHandles = 64

	// ChannelReadMayDiscard (ZX_CHANNEL_READ_MAY_DISCARD): a message too
	// big for the read buffers is dropped rather than left queued.
	ChannelReadMayDiscard uint32 = 1 << 0
	// ChannelWriteUseIOVec (ZX_CHANNEL_WRITE_USE_IOVEC): the bytes are a
	// zx_channel_iovec_t array. The syscall layer gathers the iovecs and
	// hands this layer the flat bytes; the option is only accepted here.
	ChannelWriteUseIOVec uint32 = 1 << 1
)

// Channel is one end of a bidirectional message pipe (zx_channel_*):
// messages written to one end queue at the other, in order. A message is
// bytes and handles; sending a handle moves it out of the sender's handle
// table and into the reader's.
//
// Both ends share one lock (InitPeers), which guards the queues, the
// call waiters and the signals.
type Channel struct {
	Base

	queue msgQueue      // messages written by the peer, to be read here
	calls []*callWaiter // zx_channel_call on this end, awaiting replies
	txid  uint32        // last kernel-generated txid

	// dead holds the unread messages once the last handle is closed,
	// until afterZeroHandles closes their handles outside the lock.
	dead []*Message
}

// NewChannel is zx_channel_create: two connected ends, both WRITABLE.
// Options must be 0 (INVALID_ARGS).
func NewChannel(options uint32) (*Channel, *Channel, Status) {
	if options != 0 {
		return nil, nil, ErrInvalidArgs
	}
	a, b := &Channel{}, &Channel{}
	a.Init(TypeChannel, ChannelWritable)
	b.Init(TypeChannel, ChannelWritable)
	InitPeers(a, b)
	return a, b, OK
}

func (c *Channel) peerLocked() *Channel {
	if p := c.PeerLocked(); p != nil {
		return p.(*Channel)
	}
	return nil
}

// Write queues msg at the other end, or hands it to a zx_channel_call
// there waiting for a reply with msg's txid. msg comes from NewMessage,
// which checks Zircon's limits. Write takes msg — the message,
// its Data and its handles belong to the channel from now on (a reader
// may recycle the buffer) — and if the peer is gone (PEER_CLOSED) closes
// its handles, as Zircon drops the packet.
func (c *Channel) Write(msg *Message) Status {
	c.Lock()
	peer := c.peerLocked()
	if peer == nil {
		c.Unlock()
		msg.Close()
		return ErrPeerClosed
	}
	if !peer.deliverReplyLocked(msg) {
		peer.enqueueLocked(msg)
	}
	c.Unlock()
	return OK
}

// enqueueLocked queues a message to be read at c.
func (c *Channel) enqueueLocked(msg *Message) {
	c.queue.push(msg)
	c.UpdateStateLocked(0, ChannelReadable, 0)
}

// Read takes the oldest message if it fits in maxBytes and maxHandles,
// reporting the message's sizes in any case. Errors:
//
//   - SHOULD_WAIT: nothing queued; PEER_CLOSED: nothing queued and the
//     peer is gone (what it wrote before closing is still read first);
//   - BUFFER_TOO_SMALL: the message does not fit. It stays queued, unless
//     mayDiscard is set: then it is dequeued and returned with this status
//     (the caller closes its handles).
func (c *Channel) Read(maxBytes, maxHandles uint32, mayDiscard bool) (msg *Message, nbytes, nhandles uint32, st Status) {
	c.Lock()
	defer c.Unlock()
	front := c.queue.front()
	if front == nil {
		if c.PeerLocked() == nil {
			return nil, 0, 0, ErrPeerClosed
		}
		return nil, 0, 0, ErrShouldWait
	}
	nbytes, nhandles = uint32(len(front.Data)), uint32(len(front.Handles))
	st = OK
	if nbytes > maxBytes || nhandles > maxHandles {
		if !mayDiscard {
			return nil, nbytes, nhandles, ErrBufferTooSmall
		}
		st = ErrBufferTooSmall
	}
	msg = c.queue.pop()
	if c.queue.empty() {
		c.UpdateStateLocked(ChannelReadable, 0, 0)
	}
	return msg, nbytes, nhandles, st
}

// Pending is the number of messages queued for reading at this end.
func (c *Channel) Pending() int {
	c.Lock()
	defer c.Unlock()
	return c.queue.len()
}

// OnZeroHandlesLocked: the last handle to this end is gone. Calls waiting
// on it end with CANCELED; the unread messages are set aside, and
// afterZeroHandles closes the handles they carry.
func (c *Channel) OnZeroHandlesLocked() {
	c.cancelCallsLocked(ErrCanceled)
	c.dead = c.queue.drain()
}

// OnPeerZeroHandlesLocked: the other end is gone. WRITABLE drops,
// PEER_CLOSED rises, and calls waiting for a reply end with PEER_CLOSED.
// Queued messages can still be read.
func (c *Channel) OnPeerZeroHandlesLocked() {
	c.UpdateStateLocked(ChannelWritable, ChannelPeerClosed, 0)
	c.cancelCallsLocked(ErrPeerClosed)
}

// afterZeroHandles closes the handles of the messages nobody will read:
// a channel end sent in one of them sees PEER_CLOSED, as in Zircon.
func (c *Channel) afterZeroHandles() {
	c.Lock()
	dead := c.dead
	c.dead = nil
	c.Unlock()
	for _, m := range dead {
		m.Close()
	}
}

// msgQueue is a FIFO of messages: a slice with a moving head, compacted
// when the dead prefix dominates, so a steady write/read pair does not
// allocate.
type msgQueue struct {
	q    []*Message
	head int
}

func (q *msgQueue) push(m *Message) { q.q = append(q.q, m) }

func (q *msgQueue) empty() bool { return q.head == len(q.q) }

func (q *msgQueue) len() int { return len(q.q) - q.head }

func (q *msgQueue) front() *Message {
	if q.empty() {
		return nil
	}
	return q.q[q.head]
}

func (q *msgQueue) pop() *Message {
	m := q.q[q.head]
	q.q[q.head] = nil
	q.head++
	switch {
	case q.head == len(q.q):
		q.q, q.head = q.q[:0], 0
	case q.head > 64 && q.head*2 > len(q.q):
		n := copy(q.q, q.q[q.head:])
		clear(q.q[n:])
		q.q, q.head = q.q[:n], 0
	}
	return m
}

// drain empties the queue and returns what was in it.
func (q *msgQueue) drain() []*Message {
	ms := append([]*Message(nil), q.q[q.head:]...)
	q.q, q.head = nil, 0
	return ms
}
