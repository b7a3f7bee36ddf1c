package object

import (
	"encoding/binary"
	"math/bits"
	"sync"
)

// Message is a channel message: its bytes, and the handles it carries,
// which it owns while in flight (they are in no handle table).
type Message struct {
	Data    []byte
	Handles []*Handle
}

// NewMessage copies data into a new message carrying handles. More than
// ChannelMaxMsgBytes bytes or ChannelMaxMsgHandles handles is
// OUT_OF_RANGE (Zircon's MessagePacket::Create); the handles stay the
// caller's then.
func NewMessage(data []byte, handles []*Handle) (*Message, Status) {
	if len(data) > ChannelMaxMsgBytes || len(handles) > ChannelMaxMsgHandles {
		return nil, ErrOutOfRange
	}
	return newMessage(data, handles), OK
}

// Close drops the message: its handles are closed.
func (m *Message) Close() {
	for _, h := range m.Handles {
		h.Close()
	}
	clear(m.Handles)
	m.Handles = m.Handles[:0]
}

// txid is the message's transaction id: its first four bytes (zx_txid_t),
// or 0 if it is shorter.
func (m *Message) txid() uint32 {
	if len(m.Data) < 4 {
		return 0
	}
	return binary.LittleEndian.Uint32(m.Data)
}

// Messages are recycled: every message is copied in on write and out on
// read, so once a reader has copied one out its buffer can carry the next
// (Zircon keeps a cache of message buffers for the same reason). Pools
// are by capacity, powers of two from 64 bytes to ChannelMaxMsgBytes, so
// a large buffer is not wasted on a small message nor a small one grown.
const (
	msgMinShift = 6 // 64 bytes
	msgClasses  = 17 - msgMinShift
)

var msgPools [msgClasses]sync.Pool

// msgClass is the pool for messages of n bytes.
func msgClass(n int) int {
	if n <= 1<<msgMinShift {
		return 0
	}
	return bits.Len(uint(n-1)) - msgMinShift
}

// newMessage makes a message holding a copy of data and the handles
// (sizes already checked), from the pool when it can.
func newMessage(data []byte, handles []*Handle) *Message {
	c := msgClass(len(data))
	m, _ := msgPools[c].Get().(*Message)
	if m == nil {
		m = &Message{Data: make([]byte, 0, 1<<(c+msgMinShift))}
	}
	m.Data = append(m.Data[:0], data...)
	m.Handles = append(m.Handles[:0], handles...)
	return m
}

// release returns a message whose bytes have been copied out and whose
// handles have been installed or closed. Nothing may use it afterwards.
func (m *Message) release() {
	c := cap(m.Data)
	if c > ChannelMaxMsgBytes || c < 1<<msgMinShift || c&(c-1) != 0 {
		return // not one of ours
	}
	clear(m.Handles)
	m.Handles = m.Handles[:0]
	m.Data = m.Data[:0]
	msgPools[msgClass(c)].Put(m)
}
