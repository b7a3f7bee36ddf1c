package object

import "encoding/binary"

// minKernelTxid: txids the kernel generates for zx_channel_call have the
// high bit set; lower values belong to userspace protocols (part of the
// zx_channel_call contract).
const minKernelTxid uint32 = 0x80000000

// callWaiter is one zx_channel_call waiting for its reply. It sits in the
// calling end's list until a message with its txid arrives, the call is
// canceled (either end closed) or the caller gives up; whoever takes it
// out of the list, with the lock held, decides the outcome.
type callWaiter struct {
	txid  uint32
	ch    chan struct{} // capacity 1: signaled once, when taken out by another
	reply *Message
	st    Status
}

func (c *Channel) removeCallLocked(i int) {
	copy(c.calls[i:], c.calls[i+1:])
	c.calls[len(c.calls)-1] = nil
	c.calls = c.calls[:len(c.calls)-1]
}

// deliverReplyLocked hands msg to the call on c waiting for its txid, if
// any. Only kernel-generated txids can match, so ordinary messages skip
// the search.
func (c *Channel) deliverReplyLocked(msg *Message) bool {
	if len(c.calls) == 0 {
		return false
	}
	txid := msg.txid()
	if txid < minKernelTxid {
		return false
	}
	for i, w := range c.calls {
		if w.txid == txid {
			c.removeCallLocked(i)
			w.reply, w.st = msg, OK
			w.ch <- struct{}{}
			return true
		}
	}
	return false
}

// cancelCallsLocked ends every waiting call with st.
func (c *Channel) cancelCallsLocked(st Status) {
	for _, w := range c.calls {
		w.st = st
		w.ch <- struct{}{}
	}
	clear(c.calls)
	c.calls = c.calls[:0]
}

// newTxidLocked generates a txid no waiting call on c uses.
func (c *Channel) newTxidLocked() uint32 {
	for {
		c.txid++
		id := c.txid | minKernelTxid
		inUse := false
		for _, w := range c.calls {
			if w.txid == id {
				inUse = true
				break
			}
		}
		if !inUse {
			return id
		}
	}
}

// CallingCount is the number of zx_channel_calls on this end waiting for
// a reply.
func (c *Channel) CallingCount() int {
	c.Lock()
	defer c.Unlock()
	return len(c.calls)
}

// Call is zx_channel_call's object part: write msg with a fresh
// kernel-generated txid in its first four bytes, then wait for the
// message from the peer that carries the same txid (which bypasses the
// queue). It takes msg, closing its handles if it is not sent. Statuses:
//
//   - INVALID_ARGS: msg is shorter than a txid;
//   - PEER_CLOSED: the peer is gone, before the write or while waiting;
//   - CANCELED: the last handle to this end was closed while waiting;
//   - TIMED_OUT: the deadline passed (the request stays written; a late
//     reply is queued like any message);
//   - INTERNAL_INTR_KILLED: cancel was closed (the thread is dying).
//
// Zircon's resumable call (INTERNAL_INTR_RETRY and call_finish after a
// suspension) is not modelled: the task layer has no suspension yet.
func (c *Channel) Call(msg *Message, deadline Time, cancel <-chan struct{}) (*Message, Status) {
	if len(msg.Data) < 4 {
		msg.Close()
		return nil, ErrInvalidArgs
	}
	w := &callWaiter{ch: make(chan struct{}, 1)}
	c.Lock()
	peer := c.peerLocked()
	if peer == nil {
		c.Unlock()
		msg.Close()
		return nil, ErrPeerClosed
	}
	w.txid = c.newTxidLocked()
	binary.LittleEndian.PutUint32(msg.Data, w.txid)
	c.calls = append(c.calls, w)
	peer.enqueueLocked(msg)
	c.Unlock()

	timer, stop, expired := deadlineTimer(deadline)
	defer stop()
	lost := ErrTimedOut
	if !expired {
		select {
		case <-w.ch:
			return w.reply, w.st
		case <-timer:
		case <-cancel:
			lost = ErrInternalIntrKilled
		}
	}
	c.Lock()
	for i, x := range c.calls {
		if x == w {
			c.removeCallLocked(i)
			c.Unlock()
			return nil, lost
		}
	}
	c.Unlock()
	// A reply or a cancellation took the waiter out while we were giving
	// up: it wins.
	<-w.ch
	return w.reply, w.st
}
