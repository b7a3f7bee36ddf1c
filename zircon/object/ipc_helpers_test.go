package object

import (
	"encoding/binary"
	"testing"
)

// Helpers for the channel, socket and FIFO tests: each does what the
// syscall will (look the handle up with the rights Zircon asks for), then
// calls the object.

func newChannel(t *testing.T, ht *HandleTable) (HandleValue, HandleValue) {
	t.Helper()
	a, b, st := NewChannel(0)
	mustOK(t, st, "NewChannel")
	va, st := ht.AddObject(a, DefaultChannelRights)
	mustOK(t, st, "Add")
	vb, st := ht.AddObject(b, DefaultChannelRights)
	mustOK(t, st, "Add")
	return va, vb
}

func newSocket(t *testing.T, ht *HandleTable, options uint32) (HandleValue, HandleValue) {
	t.Helper()
	a, b, st := NewSocket(options)
	mustOK(t, st, "NewSocket")
	va, st := ht.AddObject(a, DefaultSocketRights)
	mustOK(t, st, "Add")
	vb, st := ht.AddObject(b, DefaultSocketRights)
	mustOK(t, st, "Add")
	return va, vb
}

func newFIFO(t *testing.T, ht *HandleTable, count, size uint64) (HandleValue, HandleValue) {
	t.Helper()
	a, b, st := NewFIFO(count, size, 0)
	mustOK(t, st, "NewFIFO")
	va, st := ht.AddObject(a, DefaultFIFORights)
	mustOK(t, st, "Add")
	vb, st := ht.AddObject(b, DefaultFIFORights)
	mustOK(t, st, "Add")
	return va, vb
}

// signalsOf is the core-tests' GetSignals: a wait_one for nothing with a
// deadline in the past reports the current state.
func signalsOf(t *testing.T, ht *HandleTable, v HandleValue) Signals {
	t.Helper()
	s, st := waitOne(ht, v, 0, TimeInfinitePast)
	wantStatus(t, st, ErrTimedOut, "wait_one(0, infinite_past)")
	return s
}

func wantSignals(t *testing.T, ht *HandleTable, v HandleValue, want Signals) {
	t.Helper()
	if got := signalsOf(t, ht, v); got != want {
		t.Fatalf("signals %v, want %v", got, want)
	}
}

// handleCount is ZX_INFO_HANDLE_COUNT of v's object.
func handleCount(t *testing.T, ht *HandleTable, v HandleValue) int {
	t.Helper()
	return get(t, ht, v).Object().base().HandleCount()
}

// chWrite is zx_channel_write with a nil handle list allowed.
func chWrite(ht *HandleTable, v HandleValue, data []byte, handles ...HandleValue) Status {
	return ChannelWrite(ht, v, 0, data, handles)
}

// chRead reads one message with buffers of the given sizes.
func chRead(ht *HandleTable, v HandleValue, nbytes, nhandles int) ([]byte, []HandleValue, Status) {
	data := make([]byte, nbytes)
	hs := make([]HandleValue, nhandles)
	nb, nh, st := ChannelRead(ht, v, 0, data, hs)
	if st != OK {
		return nil, nil, st
	}
	return data[:nb], hs[:nh], OK
}

func le32(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }

func sockWrite(ht *HandleTable, v HandleValue, data []byte) (int, Status) {
	s, _, st := GetObject[*Socket](ht, v, RightWrite)
	if st != OK {
		return 0, st
	}
	return s.Write(0, data)
}

func sockRead(ht *HandleTable, v HandleValue, options uint32, buf []byte) (int, Status) {
	s, _, st := GetObject[*Socket](ht, v, RightRead)
	if st != OK {
		return 0, st
	}
	return s.Read(options, buf)
}

func sockDisposition(ht *HandleTable, v HandleValue, d, dp uint32) Status {
	if !validDisposition(d) || !validDisposition(dp) {
		return ErrInvalidArgs
	}
	s, _, st := GetObject[*Socket](ht, v, RightManageSocket)
	if st != OK {
		return st
	}
	return s.SetDisposition(d, dp)
}

func sockInfo(t *testing.T, ht *HandleTable, v HandleValue) SocketInfo {
	t.Helper()
	s, _, st := GetObject[*Socket](ht, v, RightInspect)
	mustOK(t, st, "get_info(ZX_INFO_SOCKET)")
	return s.Info()
}

func sockSetRx(ht *HandleTable, v HandleValue, n uint64) Status {
	s, _, st := GetObject[*Socket](ht, v, RightSetProperty)
	if st != OK {
		return st
	}
	return s.SetRxThreshold(n)
}

func sockSetTx(ht *HandleTable, v HandleValue, n uint64) Status {
	s, _, st := GetObject[*Socket](ht, v, RightSetProperty)
	if st != OK {
		return st
	}
	return s.SetTxThreshold(n)
}

func fifoWrite(ht *HandleTable, v HandleValue, elemSize uint64, elems []uint64, count uint64) (uint64, Status) {
	f, _, st := GetObject[*FIFO](ht, v, RightWrite)
	if st != OK {
		return 0, st
	}
	var data []byte
	for _, e := range elems {
		data = binary.LittleEndian.AppendUint64(data, e)
	}
	return f.Write(elemSize, data, count)
}

func fifoRead(ht *HandleTable, v HandleValue, elemSize uint64, out []uint64, count uint64) (uint64, Status) {
	f, _, st := GetObject[*FIFO](ht, v, RightRead)
	if st != OK {
		return 0, st
	}
	buf := make([]byte, len(out)*8)
	n, st := f.Read(elemSize, buf, count)
	for i := range out {
		out[i] = binary.LittleEndian.Uint64(buf[i*8:])
	}
	return n, st
}
