package object

// FIFOMaxSizeBytes is the largest total size of one direction of a FIFO
// (elem_count * elem_size).
const FIFOMaxSizeBytes = 4096

// FIFO is one end of a pair of fixed-size element queues (zx_fifo_*):
// what one end writes the other reads, whole elements only. It is the
// small, cheap control plane for shared-memory transports.
//
// Both ends share one lock, which guards the rings and the signals.
type FIFO struct {
	Base
	elemCount uint32
	elemSize  uint32

	data  []byte // this end's receive ring: elemCount * elemSize bytes
	first uint32 // ring index of the oldest queued element
	fill  uint32 // elements queued
}

// NewFIFO is zx_fifo_create: two connected ends, each queueing up to
// elemCount elements of elemSize bytes, both WRITABLE. A zero count or
// size, or more than FIFOMaxSizeBytes in all, is OUT_OF_RANGE; options
// other than 0 are INVALID_ARGS.
//
// Older Zircon also wanted elemCount to be a power of two; today's does
// not (FifoTest.NonPowerOfTwoCountSupported), and Quartz follows it.
func NewFIFO(elemCount, elemSize uint64, options uint32) (*FIFO, *FIFO, Status) {
	if elemCount == 0 || elemSize == 0 || elemCount > FIFOMaxSizeBytes ||
		elemSize > FIFOMaxSizeBytes || elemCount*elemSize > FIFOMaxSizeBytes {
		return nil, nil, ErrOutOfRange
	}
	if options != 0 {
		return nil, nil, ErrInvalidArgs
	}
	mk := func() *FIFO {
		f := &FIFO{elemCount: uint32(elemCount), elemSize: uint32(elemSize)}
		f.data = make([]byte, elemCount*elemSize)
		f.Init(TypeFIFO, FIFOWritable)
		return f
	}
	a, b := mk(), mk()
	InitPeers(a, b)
	return a, b, OK
}

// ElemCount is the number of elements each direction holds.
func (f *FIFO) ElemCount() uint32 { return f.elemCount }

// ElemSize is the size of an element in bytes.
func (f *FIFO) ElemSize() uint32 { return f.elemSize }

func (f *FIFO) peerLocked() *FIFO {
	if p := f.PeerLocked(); p != nil {
		return p.(*FIFO)
	}
	return nil
}

// Write is zx_fifo_write: queue up to count elements from data at the
// peer and return how many went in (as many as there is room for).
// Statuses, in Zircon's order: PEER_CLOSED; OUT_OF_RANGE if elemSize is
// not the FIFO's or count is 0; SHOULD_WAIT if the peer's queue is full.
// data needs to hold only the elements that fit (min(count, room) *
// elemSize bytes, at most FIFOMaxSizeBytes): the syscall layer copies no
// more in; a shorter data is INVALID_ARGS, like a bad user buffer.
func (f *FIFO) Write(elemSize uint64, data []byte, count uint64) (uint64, Status) {
	f.Lock()
	defer f.Unlock()
	peer := f.peerLocked()
	if peer == nil {
		return 0, ErrPeerClosed
	}
	return peer.writeSelfLocked(f, elemSize, data, count)
}

func (f *FIFO) writeSelfLocked(w *FIFO, elemSize uint64, data []byte, count uint64) (uint64, Status) {
	if elemSize != uint64(f.elemSize) || count == 0 {
		return 0, ErrOutOfRange
	}
	room := f.elemCount - f.fill
	if room == 0 {
		return 0, ErrShouldWait
	}
	n := uint32(min(count, uint64(room)))
	if uint64(len(data)) < uint64(n)*elemSize {
		return 0, ErrInvalidArgs
	}
	wasEmpty := f.fill == 0
	for done := uint32(0); done < n; {
		off := (f.first + f.fill) % f.elemCount
		run := min(n-done, f.elemCount-off) // up to the end of the ring
		copy(f.data[off*f.elemSize:], data[done*f.elemSize:(done+run)*f.elemSize])
		f.fill += run
		done += run
	}
	if wasEmpty {
		f.UpdateStateLocked(0, FIFOReadable, 0)
	}
	if f.fill == f.elemCount {
		w.UpdateStateLocked(FIFOWritable, 0, 0)
	}
	return uint64(n), OK
}

// Read is zx_fifo_read: dequeue up to count elements into dst and return
// how many (as many as are queued). Statuses: OUT_OF_RANGE if elemSize
// is not the FIFO's or count is 0; SHOULD_WAIT if nothing is queued, or
// PEER_CLOSED if nothing is queued and the peer is gone. dst needs room
// only for the elements returned; less is INVALID_ARGS (nothing is
// dequeued), like a bad user buffer.
func (f *FIFO) Read(elemSize uint64, dst []byte, count uint64) (uint64, Status) {
	f.Lock()
	defer f.Unlock()
	if elemSize != uint64(f.elemSize) || count == 0 {
		return 0, ErrOutOfRange
	}
	avail := f.fill
	peer := f.peerLocked()
	if avail == 0 {
		if peer == nil {
			return 0, ErrPeerClosed
		}
		return 0, ErrShouldWait
	}
	n := uint32(min(count, uint64(avail)))
	if uint64(len(dst)) < uint64(n)*elemSize {
		return 0, ErrInvalidArgs
	}
	wasFull := avail == f.elemCount
	for done := uint32(0); done < n; {
		off := f.first
		run := min(n-done, f.elemCount-off)
		copy(dst[done*f.elemSize:], f.data[off*f.elemSize:(off+run)*f.elemSize])
		f.first = (f.first + run) % f.elemCount
		f.fill -= run
		done += run
	}
	if wasFull && peer != nil {
		peer.UpdateStateLocked(0, FIFOWritable, 0)
	}
	if f.fill == 0 {
		f.UpdateStateLocked(FIFOReadable, 0, 0)
	}
	return uint64(n), OK
}

// OnZeroHandlesLocked: nothing to release before the garbage collector.
func (f *FIFO) OnZeroHandlesLocked() {}

// OnPeerZeroHandlesLocked: WRITABLE drops and PEER_CLOSED rises; queued
// elements can still be read.
func (f *FIFO) OnPeerZeroHandlesLocked() {
	f.UpdateStateLocked(FIFOWritable, FIFOPeerClosed, 0)
}
