package object

import (
	"bytes"
	"testing"
)

// SocketTest (zircon/system/utest/core/socket).

const (
	kMsg1 = "12345"
	kMsg2 = "abcdef"
	kMsg3 = "ghijklm"
)

func sockMustWrite(t *testing.T, ht *HandleTable, v HandleValue, data []byte) {
	t.Helper()
	n, st := sockWrite(ht, v, data)
	mustOK(t, st, "write")
	if n != len(data) {
		t.Fatalf("wrote %d of %d", n, len(data))
	}
}

func sockMustRead(t *testing.T, ht *HandleTable, v HandleValue, options uint32, size int) []byte {
	t.Helper()
	buf := make([]byte, size)
	n, st := sockRead(ht, v, options, buf)
	mustOK(t, st, "read")
	return buf[:n]
}

func TestSocketTest_EndpointsAreRelated(t *testing.T) {
	ht := NewHandleTable()
	a, b := newSocket(t, ht, SocketStream)
	ia, _ := ht.BasicInfo(a)
	ib, _ := ht.BasicInfo(b)
	if ia.Koid == 0 || ia.RelatedKoid != ib.Koid || ib.RelatedKoid != ia.Koid || ia.Type != TypeSocket {
		t.Fatalf("%+v %+v", ia, ib)
	}
}

func TestSocketTest_CreateInvalidOptions(t *testing.T) {
	for _, o := range []uint32{2, 1 << 3, 0xffffffff} {
		_, _, st := NewSocket(o)
		wantStatus(t, st, ErrInvalidArgs, "create")
	}
	s, _, st := NewSocket(SocketDatagram)
	mustOK(t, st, "datagram")
	if s.Options() != SocketDatagram {
		t.Fatal("options")
	}
}

func TestSocketTest_EmptySocketShouldWait(t *testing.T) {
	ht := NewHandleTable()
	a, _ := newSocket(t, ht, SocketStream)
	_, st := sockRead(ht, a, 0, make([]byte, 4))
	wantStatus(t, st, ErrShouldWait, "read")
}

func TestSocketTest_WriteReadDataVerify(t *testing.T) {
	ht := NewHandleTable()
	a, b := newSocket(t, ht, SocketStream)
	w := append(le32(0xdeadbeef), le32(0xc0ffee)...)
	sockMustWrite(t, ht, a, w[:4])
	sockMustWrite(t, ht, a, w[4:])
	if got := sockMustRead(t, ht, b, 0, 8); !bytes.Equal(got, w) {
		t.Fatalf("% x", got)
	}
	sockMustWrite(t, ht, a, w)
	if got := sockMustRead(t, ht, b, 0, 8); !bytes.Equal(got, w) {
		t.Fatalf("% x", got)
	}
}

func TestSocketTest_PeerClosedError(t *testing.T) {
	ht := NewHandleTable()
	a, b := newSocket(t, ht, SocketStream)
	ht.Close(b)
	_, st := sockWrite(ht, a, le32(1))
	wantStatus(t, st, ErrPeerClosed, "write")
}

func TestSocketTest_PeekingLeavesData(t *testing.T) {
	ht := NewHandleTable()
	a, b := newSocket(t, ht, SocketStream)
	w := append(le32(0xdeadbeef), le32(0xc0ffee)...)
	sockMustWrite(t, ht, a, w[:4])
	sockMustWrite(t, ht, a, w[4:])
	if got := sockMustRead(t, ht, b, SocketPeek, 8); !bytes.Equal(got, w) {
		t.Fatalf("peek % x", got)
	}
	wantSignals(t, ht, a, SocketWritable)
	wantSignals(t, ht, b, SocketWritable|SocketReadable)
	if got := sockMustRead(t, ht, b, 0, 8); !bytes.Equal(got, w) {
		t.Fatalf("read % x", got)
	}
	wantSignals(t, ht, b, SocketWritable)
}

func TestSocketTest_PeekingIntoEmpty(t *testing.T) {
	ht := NewHandleTable()
	a, _ := newSocket(t, ht, SocketStream)
	_, st := sockRead(ht, a, SocketPeek, make([]byte, 4))
	wantStatus(t, st, ErrShouldWait, "peek")
}

func TestSocketTest_ReadWriteOptions(t *testing.T) {
	ht := NewHandleTable()
	a, _ := newSocket(t, ht, SocketStream)
	s := get(t, ht, a).Object().(*Socket)
	_, st := s.Write(1, []byte{1})
	wantStatus(t, st, ErrInvalidArgs, "write options")
	_, st = s.Read(1, make([]byte, 1))
	wantStatus(t, st, ErrInvalidArgs, "read options")
}

func TestSocketTest_Signals(t *testing.T) {
	ht := NewHandleTable()
	a, b := newSocket(t, ht, SocketStream)
	wantSignals(t, ht, a, SocketWritable)
	wantSignals(t, ht, b, SocketWritable)
	const all = 128 * 1024
	big := bytes.Repeat([]byte{0x66}, all)
	sockMustWrite(t, ht, a, big[:all/16])
	wantSignals(t, ht, a, SocketWritable)
	wantSignals(t, ht, b, SocketReadable|SocketWritable)
	if got := sockMustRead(t, ht, b, 0, all); len(got) != all/16 {
		t.Fatalf("read %d", len(got))
	}
	wantSignals(t, ht, a, SocketWritable)
	wantSignals(t, ht, b, SocketWritable)
	wantStatus(t, signalPeer(ht, a, SocketWritable, 0), ErrInvalidArgs, "signal_peer(WRITABLE)")
	mustOK(t, signalPeer(ht, a, 0, UserSignal1), "signal_peer")
	wantSignals(t, ht, a, SocketWritable)
	wantSignals(t, ht, b, SocketWritable|UserSignal1)
	ht.Close(b)
	wantSignals(t, ht, a, SocketPeerClosed)
}

func TestSocketTest_SetThreshholdsProp(t *testing.T) {
	ht := NewHandleTable()
	a, _ := newSocket(t, ht, SocketStream)
	mustOK(t, sockSetRx(ht, a, 0), "rx 0")
	wantStatus(t, sockSetRx(ht, a, 0xefffffff), ErrInvalidArgs, "rx huge")
	mustOK(t, sockSetTx(ht, a, 0), "tx 0")
	wantStatus(t, sockSetTx(ht, a, 0xefffffff), ErrInvalidArgs, "tx huge")
	mustOK(t, sockSetRx(ht, a, SocketBufferMax), "rx max")
	wantStatus(t, sockSetRx(ht, a, SocketBufferMax+1), ErrInvalidArgs, "rx max+1")
}

func TestSocketTest_SetThreshholdsAndCheckSignals(t *testing.T) {
	ht := NewHandleTable()
	local, remote := newSocket(t, ht, SocketStream)
	const rx = 101
	mustOK(t, sockSetRx(ht, local, rx), "set rx")
	ls := get(t, ht, local).Object().(*Socket)
	if ls.RxThreshold() != rx {
		t.Fatal("rx threshold")
	}
	info := sockInfo(t, ht, remote)
	wth := info.TxBufMax - (rx + 2)
	mustOK(t, sockSetTx(ht, remote, wth), "set tx")
	rs := get(t, ht, remote).Object().(*Socket)
	if rs.TxThreshold() != wth {
		t.Fatal("tx threshold")
	}
	// Duplicates see the same thresholds: they are the object's.
	lc, _ := ht.Duplicate(local, RightSameRights)
	rc, _ := ht.Duplicate(remote, RightSameRights)
	if get(t, ht, lc).Object().(*Socket).RxThreshold() != rx || get(t, ht, rc).Object().(*Socket).TxThreshold() != wth {
		t.Fatal("duplicate thresholds")
	}
	check := func(l, r Signals) {
		t.Helper()
		wantSignals(t, ht, local, l)
		wantSignals(t, ht, lc, l)
		wantSignals(t, ht, remote, r)
		wantSignals(t, ht, rc, r)
	}
	check(SocketWritable, SocketWritable|SocketWriteThreshold)

	buf := make([]byte, rx-1)
	sockMustWrite(t, ht, remote, buf)
	check(SocketWritable|SocketReadable, SocketWritable|SocketWriteThreshold)
	sockMustWrite(t, ht, remote, buf[:1]) // exactly the read threshold
	check(SocketWritable|SocketReadable|SocketReadThreshold, SocketWritable|SocketWriteThreshold)

	mustOK(t, sockSetRx(ht, local, rx+50), "raise rx")
	check(SocketWritable|SocketReadable, SocketWritable|SocketWriteThreshold)
	mustOK(t, sockSetRx(ht, local, rx), "restore rx")
	check(SocketWritable|SocketReadable|SocketReadThreshold, SocketWritable|SocketWriteThreshold)

	mustOK(t, sockSetTx(ht, remote, info.TxBufMax-10), "raise tx")
	check(SocketWritable|SocketReadable|SocketReadThreshold, SocketWritable)
	mustOK(t, sockSetTx(ht, remote, wth), "restore tx")
	check(SocketWritable|SocketReadable|SocketReadThreshold, SocketWritable|SocketWriteThreshold)

	n := int(wth) - (rx + 1)
	sockMustWrite(t, ht, remote, make([]byte, n)) // free space now below the write threshold
	check(SocketWritable|SocketReadable|SocketReadThreshold, SocketWritable)

	if got := sockMustRead(t, ht, local, 0, n+10); len(got) != n+10 {
		t.Fatalf("read %d", len(got))
	}
	check(SocketWritable|SocketReadable, SocketWritable|SocketWriteThreshold)
}

func TestSocketTest_SignalClosedPeer(t *testing.T) {
	ht := NewHandleTable()
	a, b := newSocket(t, ht, SocketStream)
	ht.Close(b)
	wantStatus(t, signalPeer(ht, a, 0, UserSignal0), ErrPeerClosed, "signal_peer")
}

func TestSocketTest_PeerClosedSetProperty(t *testing.T) {
	ht := NewHandleTable()
	a, b := newSocket(t, ht, SocketStream)
	mustOK(t, sockSetTx(ht, a, 1), "set tx")
	ht.Close(b)
	wantStatus(t, sockSetTx(ht, a, 1), ErrPeerClosed, "set tx after peer closed")
}

func TestSocketTest_BytesOutstanding(t *testing.T) {
	ht := NewHandleTable()
	local, remote := newSocket(t, ht, SocketStream)
	_, st := sockRead(ht, local, 0, make([]byte, 8))
	wantStatus(t, st, ErrShouldWait, "read empty")
	w := append(le32(0xdeadbeef), le32(0xc0ffee)...)
	sockMustWrite(t, ht, local, w[:4])
	sockMustWrite(t, ht, local, w[4:])
	info := sockInfo(t, ht, remote)
	if info.RxBufAvailable != 8 || info.RxBufSize != 8 || info.RxBufMax != SocketBufferMax {
		t.Fatalf("%+v", info)
	}
	if li := sockInfo(t, ht, local); li.TxBufSize != 8 || li.TxBufMax != SocketBufferMax || li.RxBufSize != 0 {
		t.Fatalf("%+v", li)
	}
	if got := sockMustRead(t, ht, remote, 0, 8); !bytes.Equal(got, w) {
		t.Fatalf("% x", got)
	}
	ht.Close(remote)
	_, st = sockWrite(ht, local, w[4:])
	wantStatus(t, st, ErrPeerClosed, "write")
	if li := sockInfo(t, ht, local); li.TxBufMax != 0 || li.TxBufSize != 0 {
		t.Fatalf("tx side of a closed peer: %+v", li)
	}
}

func TestSocketTest_SetDispositionHandleWithoutRight(t *testing.T) {
	ht := NewHandleTable()
	local, _ := newSocket(t, ht, SocketStream)
	info, _ := ht.BasicInfo(local)
	if info.Rights&RightManageSocket == 0 {
		t.Fatal("no MANAGE_SOCKET by default")
	}
	clone, _ := ht.Duplicate(local, info.Rights^RightManageSocket)
	wantStatus(t, sockDisposition(ht, clone, SocketDispositionWriteDisabled, 0), ErrAccessDenied, "disposition")
	wantStatus(t, sockDisposition(ht, clone, 0, SocketDispositionWriteDisabled), ErrAccessDenied, "peer disposition")
}

func TestSocketTest_SetDispositionInvalidArgs(t *testing.T) {
	ht := NewHandleTable()
	local, _ := newSocket(t, ht, SocketStream)
	both := SocketDispositionWriteDisabled | SocketDispositionWriteEnabled
	invalid := uint32(1337) &^ both
	s := get(t, ht, local).Object().(*Socket)
	for _, c := range [][2]uint32{{both, 0}, {0, both}, {invalid, 0}, {0, invalid}} {
		wantStatus(t, s.SetDisposition(c[0], c[1]), ErrInvalidArgs, "disposition")
	}
}

func sockDisableWrite(t *testing.T, disableLocal, disableRemote bool) {
	ht := NewHandleTable()
	local, remote := newSocket(t, ht, SocketStream)
	ls, rs := SocketWritable, SocketWritable
	wantSignals(t, ht, local, ls)
	wantSignals(t, ht, remote, rs)
	// Write on the ends about to be disabled; the others write later,
	// showing that disabling one direction leaves the other alone.
	if disableLocal {
		sockMustWrite(t, ht, local, []byte(kMsg1))
		rs |= SocketReadable
		wantSignals(t, ht, remote, rs)
	}
	if disableRemote {
		sockMustWrite(t, ht, remote, []byte(kMsg2))
		ls |= SocketReadable
		wantSignals(t, ht, local, ls)
	}
	var ld, rd uint32
	if disableLocal {
		ld = SocketDispositionWriteDisabled
		ls = ls&^SocketWritable | SocketWriteDisabled
		rs |= SocketPeerWriteDisabled
	}
	if disableRemote {
		rd = SocketDispositionWriteDisabled
		rs = rs&^SocketWritable | SocketWriteDisabled
		ls |= SocketPeerWriteDisabled
	}
	mustOK(t, sockDisposition(ht, local, ld, rd), "set disposition")
	wantSignals(t, ht, local, ls)
	wantSignals(t, ht, remote, rs)

	tryWrite := func(v HandleValue, peerState *Signals, disabled bool, msg string) {
		t.Helper()
		if disabled {
			_, st := sockWrite(ht, v, []byte(msg))
			wantStatus(t, st, ErrBadState, "write while disabled")
			// Nor can writes be re-enabled while their data is buffered.
			wantStatus(t, sockDisposition(ht, v, SocketDispositionWriteEnabled, 0), ErrBadState, "re-enable")
			return
		}
		sockMustWrite(t, ht, v, []byte(msg))
		*peerState |= SocketReadable
	}
	tryWrite(local, &rs, disableLocal, kMsg1)
	wantSignals(t, ht, remote, rs)
	tryWrite(remote, &ls, disableRemote, kMsg2)
	wantSignals(t, ht, local, ls)

	consume := func(v HandleValue, state *Signals, peerDisabled bool, msg string) {
		t.Helper()
		if got := sockMustRead(t, ht, v, 0, len(kMsg3)+1); string(got) != msg {
			t.Fatalf("read %q, want %q", got, msg)
		}
		*state &^= SocketReadable
		want := ErrShouldWait
		if peerDisabled {
			want = ErrBadState
		}
		_, st := sockRead(ht, v, 0, make([]byte, 1))
		wantStatus(t, st, want, "read when drained")
	}
	consume(local, &ls, disableRemote, kMsg2)
	wantSignals(t, ht, local, ls)
	consume(remote, &rs, disableLocal, kMsg1)
	wantSignals(t, ht, remote, rs)

	mustOK(t, sockDisposition(ht, local, SocketDispositionWriteEnabled, SocketDispositionWriteEnabled), "re-enable")
	wantSignals(t, ht, local, SocketWritable)
	wantSignals(t, ht, remote, SocketWritable)
	sockMustWrite(t, ht, local, []byte(kMsg2))
	sockMustWrite(t, ht, remote, []byte(kMsg3))
	wantSignals(t, ht, local, SocketWritable|SocketReadable)
	wantSignals(t, ht, remote, SocketWritable|SocketReadable)
	if got := sockMustRead(t, ht, local, 0, 16); string(got) != kMsg3 {
		t.Fatalf("%q", got)
	}
	if got := sockMustRead(t, ht, remote, 0, 16); string(got) != kMsg2 {
		t.Fatalf("%q", got)
	}
	wantSignals(t, ht, local, SocketWritable)
	wantSignals(t, ht, remote, SocketWritable)
}

func TestSocketTest_DisableWriteLocal(t *testing.T) { sockDisableWrite(t, true, false) }

func TestSocketTest_DisableWritePeer(t *testing.T) { sockDisableWrite(t, false, true) }

func TestSocketTest_DisableWriteBoth(t *testing.T) { sockDisableWrite(t, true, true) }

func TestSocketTest_SetDispositionOfClosedPeerWithBufferedData(t *testing.T) {
	ht := NewHandleTable()
	local, remote := newSocket(t, ht, SocketStream)
	sockMustWrite(t, ht, remote, []byte(kMsg1))
	mustOK(t, sockDisposition(ht, local, 0, SocketDispositionWriteDisabled), "disable peer writes")
	wantStatus(t, sockDisposition(ht, local, 0, SocketDispositionWriteEnabled), ErrBadState, "re-enable with data buffered")
	ht.Close(remote)
	wantStatus(t, sockDisposition(ht, local, 0, SocketDispositionWriteEnabled), ErrBadState, "re-enable after peer closed")
	// What was written before is still there to read.
	if got := sockMustRead(t, ht, local, 0, 16); string(got) != kMsg1 {
		t.Fatalf("%q", got)
	}
	_, st := sockRead(ht, local, 0, make([]byte, 1))
	wantStatus(t, st, ErrPeerClosed, "read when drained")
}

func TestSocketTest_ShortWrite(t *testing.T) {
	ht := NewHandleTable()
	local, remote := newSocket(t, ht, SocketStream)
	info := sockInfo(t, ht, local)
	n, st := sockWrite(ht, local, make([]byte, info.RxBufMax+1))
	mustOK(t, st, "write")
	if n != int(info.RxBufMax) {
		t.Fatalf("wrote %d", n)
	}
	wantSignals(t, ht, local, 0)
	_, st = sockWrite(ht, local, []byte{1})
	wantStatus(t, st, ErrShouldWait, "write to a full socket")
	// Reading makes room again.
	sockMustRead(t, ht, remote, 0, 1)
	wantSignals(t, ht, local, SocketWritable)
}

// Fill the socket, see WRITABLE drop, drain it, see WRITABLE come back
// (the signal half of ReadToPartialBadBuffer; Go buffers cannot fault).
func TestSocketTest_FillAndDrain(t *testing.T) {
	ht := NewHandleTable()
	a, b := newSocket(t, ht, SocketStream)
	chunk := make([]byte, 16*1024)
	for {
		if _, st := sockWrite(ht, b, chunk); st != OK {
			wantStatus(t, st, ErrShouldWait, "fill")
			break
		}
	}
	if signalsOf(t, ht, a)&SocketReadable == 0 || signalsOf(t, ht, b)&SocketWritable != 0 {
		t.Fatal("signals when full")
	}
	total := 0
	for {
		n, st := sockRead(ht, a, 0, chunk)
		if st != OK {
			wantStatus(t, st, ErrShouldWait, "drain")
			break
		}
		total += n
	}
	if total != SocketBufferMax || signalsOf(t, ht, b)&SocketWritable == 0 {
		t.Fatalf("drained %d", total)
	}
}

func TestSocketTest_Datagram(t *testing.T) {
	ht := NewHandleTable()
	local, remote := newSocket(t, ht, SocketDatagram)
	sockMustWrite(t, ht, local, []byte(kMsg1))
	sockMustWrite(t, ht, local, []byte(kMsg2))
	big := make([]byte, 4096)
	for i := range big {
		big[i] = byte(i)
	}
	sockMustWrite(t, ht, local, big)
	avail := func(want int) {
		t.Helper()
		if info := sockInfo(t, ht, remote); info.RxBufAvailable != uint64(want) {
			t.Fatalf("rx_buf_available %d, want %d", info.RxBufAvailable, want)
		}
	}
	avail(len(kMsg1))
	// A short read truncates the datagram; the rest is gone.
	if got := sockMustRead(t, ht, remote, 0, len(kMsg1)-1); string(got) != kMsg1[:len(kMsg1)-1] {
		t.Fatalf("%q", got)
	}
	avail(len(kMsg2))
	if got := sockMustRead(t, ht, remote, 0, len(kMsg2)); string(got) != kMsg2 {
		t.Fatalf("%q", got)
	}
	avail(len(big))
	if got := sockMustRead(t, ht, remote, 0, len(big)); !bytes.Equal(got, big) {
		t.Fatal("big datagram")
	}
	avail(0)
}

func TestSocketTest_DatagramPeek(t *testing.T) {
	ht := NewHandleTable()
	local, remote := newSocket(t, ht, SocketDatagram)
	sockMustWrite(t, ht, local, []byte(kMsg1))
	sockMustWrite(t, ht, local, []byte(kMsg2))
	if got := sockMustRead(t, ht, remote, SocketPeek, len(kMsg1)-1); string(got) != kMsg1[:len(kMsg1)-1] {
		t.Fatalf("short peek %q", got)
	}
	if got := sockMustRead(t, ht, remote, SocketPeek, len(kMsg1)); string(got) != kMsg1 {
		t.Fatalf("full peek %q", got)
	}
	if got := sockMustRead(t, ht, remote, 0, len(kMsg1)); string(got) != kMsg1 {
		t.Fatalf("read %q", got)
	}
	if got := sockMustRead(t, ht, remote, SocketPeek, len(kMsg2)); string(got) != kMsg2 {
		t.Fatalf("peek second %q", got)
	}
}

func TestSocketTest_DatagramPeekEmpty(t *testing.T) {
	ht := NewHandleTable()
	a, _ := newSocket(t, ht, SocketDatagram)
	_, st := sockRead(ht, a, SocketPeek, make([]byte, 1))
	wantStatus(t, st, ErrShouldWait, "peek")
}

func TestSocketTest_DatagramNoShortWrite(t *testing.T) {
	ht := NewHandleTable()
	local, remote := newSocket(t, ht, SocketDatagram)
	info := sockInfo(t, ht, remote)
	if info.TxBufMax == 0 {
		t.Fatal("tx_buf_max 0")
	}
	_, st := sockWrite(ht, local, make([]byte, info.TxBufMax*2))
	wantStatus(t, st, ErrOutOfRange, "huge datagram")
	// One that fits the buffer but not what is left of it waits.
	sockMustWrite(t, ht, local, make([]byte, 10))
	_, st = sockWrite(ht, local, make([]byte, info.TxBufMax-9))
	wantStatus(t, st, ErrShouldWait, "datagram larger than the room left")
	sockMustWrite(t, ht, local, make([]byte, info.TxBufMax-10))
	wantSignals(t, ht, local, 0)
}

func TestSocketTest_ZeroSize(t *testing.T) {
	for _, opt := range []uint32{SocketStream, SocketDatagram} {
		ht := NewHandleTable()
		local, remote := newSocket(t, ht, opt)
		_, st := sockRead(ht, local, 0, nil)
		wantStatus(t, st, ErrShouldWait, "empty read of an empty socket")
		sockMustWrite(t, ht, local, []byte("a"))
		for i := 0; i < 2; i++ {
			n, st := sockRead(ht, remote, 0, nil)
			mustOK(t, st, "empty read")
			if n != 0 {
				t.Fatalf("read %d", n)
			}
		}
		n, st := sockWrite(ht, local, nil)
		if st != OK || n != 0 {
			t.Fatalf("empty write: %d %v", n, st)
		}
		if got := sockMustRead(t, ht, remote, 0, 4); string(got) != "a" {
			t.Fatalf("%q", got)
		}
	}
}

func TestSocketTest_ReuseDatagramBuffer(t *testing.T) {
	ht := NewHandleTable()
	a, b := newSocket(t, ht, SocketDatagram)
	buf := bytes.Repeat([]byte{0xaa}, 3000)
	buf[0] = 'a'
	sockMustWrite(t, ht, a, buf[:1])
	buf[0] = 'b'
	sockMustWrite(t, ht, a, buf[:1])
	if got := sockMustRead(t, ht, b, 0, 1); string(got) != "a" {
		t.Fatalf("%q", got)
	}
	if got := sockMustRead(t, ht, b, 0, 1); string(got) != "b" {
		t.Fatalf("%q", got)
	}
	buf[0] = 'c'
	sockMustWrite(t, ht, a, buf)
	buf[0] = 'd'
	sockMustWrite(t, ht, a, buf[:1])
	if got := sockMustRead(t, ht, b, 0, 1); string(got) != "c" {
		t.Fatalf("%q", got)
	}
	// The rest of the big datagram was discarded.
	if got := sockMustRead(t, ht, b, 0, 1); string(got) != "d" {
		t.Fatalf("%q", got)
	}
	if signalsOf(t, ht, b)&SocketReadable != 0 {
		t.Fatal("still readable")
	}
}

// The ring wraps and grows: a long interleaving of odd-sized writes and
// reads keeps the stream in order.
func TestSocket_StreamOrderAcrossWrap(t *testing.T) {
	ht := NewHandleTable()
	a, b := newSocket(t, ht, SocketStream)
	var sent, got []byte
	next := byte(0)
	for i := 0; i < 2000; i++ {
		w := make([]byte, (i*7919)%9000)
		for j := range w {
			w[j] = next
			next++
		}
		n, st := sockWrite(ht, a, w)
		if st != OK && st != ErrShouldWait {
			t.Fatal(st)
		}
		sent = append(sent, w[:n]...)
		next -= byte(len(w) - n)
		r := make([]byte, (i*104729)%7000)
		m, st := sockRead(ht, b, 0, r)
		if st != OK && st != ErrShouldWait {
			t.Fatal(st)
		}
		got = append(got, r[:m]...)
	}
	for {
		r := make([]byte, 65536)
		m, st := sockRead(ht, b, 0, r)
		if st != OK {
			break
		}
		got = append(got, r[:m]...)
	}
	if !bytes.Equal(sent, got) {
		t.Fatalf("stream corrupted: sent %d, got %d", len(sent), len(got))
	}
}

func TestSocketTest_InfoMarshal(t *testing.T) {
	i := SocketInfo{Options: SocketDatagram, RxBufMax: 1, RxBufSize: 2, RxBufAvailable: 3, TxBufMax: 4, TxBufSize: 5}
	b := i.Marshal()
	if b[0] != 1 || b[8] != 1 || b[16] != 2 || b[24] != 3 || b[32] != 4 || b[40] != 5 || len(b) != 48 {
		t.Fatalf("% x", b)
	}
}
