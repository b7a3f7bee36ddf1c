package object

import "testing"

// FifoTest (zircon/system/utest/core/fifo). Elements are uint64s.

const fifoElemSize = 8

func TestFifoTest_InvalidParametersReturnOutOfRange(t *testing.T) {
	for _, c := range []struct {
		count, size uint64
		options     uint32
		want        Status
	}{
		{0, 0, 0, ErrOutOfRange},    // too small
		{128, 33, 0, ErrOutOfRange}, // too large
		{0, 0, 1, ErrOutOfRange},    // invalid options, but the sizes are checked first
		{1, 0, 0, ErrOutOfRange},
		{4097, 1, 0, ErrOutOfRange},
		{1, 4097, 0, ErrOutOfRange},
		{1 << 32, 1 << 32, 0, ErrOutOfRange}, // the product must not wrap
		{8, 8, 1, ErrInvalidArgs},
		{4096, 1, 0, OK},
		{1, 4096, 0, OK},
	} {
		_, _, st := NewFIFO(c.count, c.size, c.options)
		wantStatus(t, st, c.want, "create")
	}
}

func TestFifoTest_EndpointsAreRelated(t *testing.T) {
	ht := NewHandleTable()
	a, b := newFIFO(t, ht, 8, fifoElemSize)
	wantSignals(t, ht, a, FIFOWritable)
	wantSignals(t, ht, b, FIFOWritable)
	ia, _ := ht.BasicInfo(a)
	ib, _ := ht.BasicInfo(b)
	if ia.Koid == 0 || ia.RelatedKoid != ib.Koid || ib.RelatedKoid != ia.Koid || ia.Type != TypeFIFO {
		t.Fatalf("%+v %+v", ia, ib)
	}
	f := get(t, ht, a).Object().(*FIFO)
	if f.ElemCount() != 8 || f.ElemSize() != fifoElemSize {
		t.Fatal("geometry")
	}
}

func TestFifoTest_EmptyQueueReturnsErrShouldWait(t *testing.T) {
	ht := NewHandleTable()
	a, _ := newFIFO(t, ht, 8, fifoElemSize)
	_, st := fifoRead(ht, a, fifoElemSize, make([]uint64, 8), 8)
	wantStatus(t, st, ErrShouldWait, "read")
}

func TestFifoTest_ReadAndWriteValidatesSizeAndElementCount(t *testing.T) {
	ht := NewHandleTable()
	a, _ := newFIFO(t, ht, 8, fifoElemSize)
	elems := []uint64{1, 2, 3, 4, 5, 6, 7, 8}
	_, st := fifoRead(ht, a, fifoElemSize, make([]uint64, 8), 0)
	wantStatus(t, st, ErrOutOfRange, "read 0")
	_, st = fifoWrite(ht, a, fifoElemSize, elems, 0)
	wantStatus(t, st, ErrOutOfRange, "write 0")
	_, st = fifoRead(ht, a, fifoElemSize+1, make([]uint64, 8), 8)
	wantStatus(t, st, ErrOutOfRange, "read wrong size")
	_, st = fifoWrite(ht, a, fifoElemSize+1, elems, 8)
	wantStatus(t, st, ErrOutOfRange, "write wrong size")
}

func TestFifoTest_DequeueSignalsWriteable(t *testing.T) {
	ht := NewHandleTable()
	a, b := newFIFO(t, ht, 8, fifoElemSize)
	elems := []uint64{1, 2, 3, 4, 5, 6, 7, 8}
	n, st := fifoWrite(ht, a, fifoElemSize, elems, 8)
	mustOK(t, st, "write")
	if n != 8 {
		t.Fatalf("wrote %d", n)
	}
	wantSignals(t, ht, b, FIFOReadable|FIFOWritable)
	_, st = fifoWrite(ht, a, fifoElemSize, elems, 8)
	wantStatus(t, st, ErrShouldWait, "write to full")
	wantSignals(t, ht, a, 0)

	out := make([]uint64, 8)
	n, st = fifoRead(ht, b, fifoElemSize, out, 4)
	mustOK(t, st, "read")
	if n != 4 || out[0] != 1 || out[3] != 4 || out[4] != 0 {
		t.Fatalf("read %d: %v", n, out)
	}
	wantSignals(t, ht, a, FIFOWritable)
	n, st = fifoRead(ht, b, fifoElemSize, out, 4)
	mustOK(t, st, "read")
	if n != 4 || out[0] != 5 || out[3] != 8 || out[4] != 0 {
		t.Fatalf("read %d: %v", n, out)
	}
	wantSignals(t, ht, b, FIFOWritable)
}

func TestFifoTest_FifoOrderIsPreserved(t *testing.T) {
	ht := NewHandleTable()
	a, b := newFIFO(t, ht, 8, fifoElemSize)
	_, st := fifoWrite(ht, a, fifoElemSize, []uint64{1, 2, 3, 4, 5, 6, 7, 8}, 8)
	mustOK(t, st, "write")
	out := make([]uint64, 8)
	fifoRead(ht, b, fifoElemSize, out, 4)
	n, st := fifoWrite(ht, a, fifoElemSize, []uint64{9, 10}, 2) // wraps to the front
	if st != OK || n != 2 {
		t.Fatalf("write %d %v", n, st)
	}
	n, st = fifoRead(ht, b, fifoElemSize, out, 8) // across the wrap, partial
	mustOK(t, st, "read")
	want := []uint64{5, 6, 7, 8, 9, 10}
	if n != 6 {
		t.Fatalf("read %d", n)
	}
	for i, w := range want {
		if out[i] != w {
			t.Fatalf("out %v", out)
		}
	}
	n, st = fifoWrite(ht, a, fifoElemSize, []uint64{11, 12, 13, 14, 15}, 5) // across the wrap
	if st != OK || n != 5 {
		t.Fatalf("write %d %v", n, st)
	}
	n, _ = fifoRead(ht, b, fifoElemSize, out, 8)
	if n != 5 || out[0] != 11 || out[4] != 15 {
		t.Fatalf("read %d %v", n, out)
	}
}

func TestFifoTest_PartialWriteQueuesElementsThatFit(t *testing.T) {
	ht := NewHandleTable()
	a, _ := newFIFO(t, ht, 8, fifoElemSize)
	fifoWrite(ht, a, fifoElemSize, []uint64{1, 2, 3, 4, 5}, 5)
	n, st := fifoWrite(ht, a, fifoElemSize, []uint64{16, 17, 18, 19, 20}, 5)
	mustOK(t, st, "partial write")
	if n != 3 {
		t.Fatalf("wrote %d", n)
	}
}

func TestFifoTest_IndividualReadsPreserveOrder(t *testing.T) {
	ht := NewHandleTable()
	a, b := newFIFO(t, ht, 8, fifoElemSize)
	elems := []uint64{1, 2, 3, 4, 5, 6, 7, 8}
	fifoWrite(ht, a, fifoElemSize, elems, 8)
	for _, want := range elems {
		out := make([]uint64, 1)
		n, st := fifoRead(ht, b, fifoElemSize, out, 1)
		if st != OK || n != 1 || out[0] != want {
			t.Fatalf("read %d %v %v", n, st, out)
		}
	}
}

func TestFifoTest_EndpointCloseSignalsPeerClosed(t *testing.T) {
	ht := NewHandleTable()
	a, b := newFIFO(t, ht, 8, fifoElemSize)
	n, st := fifoWrite(ht, a, fifoElemSize, []uint64{19}, 1)
	if st != OK || n != 1 {
		t.Fatalf("write %d %v", n, st)
	}
	ht.Close(a)
	wantSignals(t, ht, b, FIFOReadable|FIFOPeerClosed)
	out := make([]uint64, 8)
	n, st = fifoRead(ht, b, fifoElemSize, out, 8)
	if st != OK || n != 1 || out[0] != 19 {
		t.Fatalf("read %d %v", n, st)
	}
	wantSignals(t, ht, b, FIFOPeerClosed)
	_, st = fifoRead(ht, b, fifoElemSize, out, 8)
	wantStatus(t, st, ErrPeerClosed, "read when drained")
	_, st = fifoWrite(ht, b, fifoElemSize, out, 1)
	wantStatus(t, st, ErrPeerClosed, "write")
	wantStatus(t, signalPeer(ht, b, 0, UserSignal0), ErrPeerClosed, "signal_peer")
}

func TestFifoTest_NonPowerOfTwoCountSupported(t *testing.T) {
	ht := NewHandleTable()
	a, b := newFIFO(t, ht, 10, fifoElemSize)
	elems := []uint64{1, 2, 3, 4, 5, 6, 7, 8, 9}
	for round := 0; round < 3; round++ { // the later rounds span the wrap
		n, st := fifoWrite(ht, a, fifoElemSize, elems, 9)
		if st != OK || n != 9 {
			t.Fatalf("write %d %v", n, st)
		}
		out := make([]uint64, 9)
		n, st = fifoRead(ht, b, fifoElemSize, out, 9)
		if st != OK || n != 9 {
			t.Fatalf("read %d %v", n, st)
		}
		for i := range elems {
			if out[i] != elems[i] {
				t.Fatalf("round %d: %v", round, out)
			}
		}
	}
}

// ReadNullBuffer and WriteNullBuffer: a buffer too small for the
// elements is the Go form of a bad user pointer.
func TestFifoTest_ReadNullBuffer(t *testing.T) {
	ht := NewHandleTable()
	a, b := newFIFO(t, ht, 4, fifoElemSize)
	fifoWrite(ht, a, fifoElemSize, []uint64{1}, 1)
	f := get(t, ht, b).Object().(*FIFO)
	_, st := f.Read(fifoElemSize, nil, 1)
	wantStatus(t, st, ErrInvalidArgs, "read into nothing")
	// Nothing was dequeued.
	out := make([]uint64, 1)
	if n, st := fifoRead(ht, b, fifoElemSize, out, 1); st != OK || n != 1 || out[0] != 1 {
		t.Fatalf("read %d %v", n, st)
	}
}

func TestFifoTest_WriteNullBuffer(t *testing.T) {
	ht := NewHandleTable()
	a, b := newFIFO(t, ht, 4, fifoElemSize)
	f := get(t, ht, a).Object().(*FIFO)
	_, st := f.Write(fifoElemSize, nil, 1)
	wantStatus(t, st, ErrInvalidArgs, "write from nothing")
	wantSignals(t, ht, b, FIFOWritable)
}

// The FIFO also works for its purpose: a writer blocks on WRITABLE, a
// reader on READABLE, and everything arrives in order.
func TestFifo_ProducerConsumer(t *testing.T) {
	ht := NewHandleTable()
	a, b := newFIFO(t, ht, 4, fifoElemSize)
	const n = 5000
	done := make(chan error, 1)
	go func() {
		for i := uint64(0); i < n; {
			w, st := fifoWrite(ht, a, fifoElemSize, []uint64{i, i + 1, i + 2}, 3)
			switch st {
			case OK:
				i += w
			case ErrShouldWait:
				waitOne(ht, a, FIFOWritable, TimeInfinite)
			default:
				done <- st
				return
			}
		}
		done <- nil
	}()
	out := make([]uint64, 4)
	for next := uint64(0); next < n; {
		m, st := fifoRead(ht, b, fifoElemSize, out, 4)
		if st == ErrShouldWait {
			waitOne(ht, b, FIFOReadable, TimeInfinite)
			continue
		}
		mustOK(t, st, "read")
		for _, v := range out[:m] {
			if v != next {
				t.Fatalf("got %d, want %d", v, next)
			}
			next++
		}
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
