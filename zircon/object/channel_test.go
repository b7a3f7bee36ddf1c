package object

import (
	"bytes"
	"math/rand/v2"
	"sync"
	"testing"
)

// ChannelTest (zircon/system/utest/core/channel).

const channelData uint32 = 0xdeadbeef

func TestChannelTest_CreateIsOkAndEndpointsAreRelated(t *testing.T) {
	ht := NewHandleTable()
	a, b := newChannel(t, ht)
	ia, _ := ht.BasicInfo(a)
	ib, _ := ht.BasicInfo(b)
	if ia.Koid == 0 || ib.Koid == 0 || ia.RelatedKoid != ib.Koid || ib.RelatedKoid != ia.Koid {
		t.Fatalf("%+v %+v", ia, ib)
	}
	if ia.Type != TypeChannel || ia.Rights != DefaultChannelRights {
		t.Fatalf("%+v", ia)
	}
}

func TestChannelTest_CreateInvalidOptionsReturnsInvalidArgs(t *testing.T) {
	for _, o := range []uint32{1, 0xff} {
		_, _, st := NewChannel(o)
		wantStatus(t, st, ErrInvalidArgs, "create")
	}
}

func TestChannelTest_IsWriteableByDefault(t *testing.T) {
	ht := NewHandleTable()
	a, b := newChannel(t, ht)
	wantSignals(t, ht, a, ChannelWritable)
	wantSignals(t, ht, b, ChannelWritable)
}

func TestChannelTest_WriteToEndpointCausesOtherToBecomeReadable(t *testing.T) {
	ht := NewHandleTable()
	a, b := newChannel(t, ht)
	mustOK(t, chWrite(ht, a, le32(channelData)), "write")
	wantSignals(t, ht, a, ChannelWritable)
	wantSignals(t, ht, b, ChannelWritable|ChannelReadable)
}

func TestChannelTest_WriteConsumesAllHandles(t *testing.T) {
	ht := NewHandleTable()
	a, _ := newChannel(t, ht)
	var hs []HandleValue
	for i := 0; i < ChannelMaxMsgHandles+1; i++ {
		hs = append(hs, newEvent(t, ht))
	}
	wantStatus(t, chWrite(ht, a, nil, hs...), ErrOutOfRange, "write 65 handles")
	for _, v := range hs {
		wantStatus(t, ht.Close(v), ErrBadHandle, "close a consumed handle")
	}
}

// waitOnChannels is the core-tests' WaitOnChannels worker: read from
// whichever channel is readable, flagging the event, until both peers
// are closed.
func waitOnChannels(ht *HandleTable, r1, r2, ev HandleValue, got *[2]int) Status {
	h1, _ := ht.Get(r1, TypeNone, 0)
	h2, _ := ht.Get(r2, TypeNone, 0)
	items := []WaitItem{
		{Handle: h1, WaitFor: ChannelReadable | ChannelPeerClosed},
		{Handle: h2, WaitFor: ChannelReadable | ChannelPeerClosed},
	}
	closed1, closed2 := false, false
	for !closed1 || !closed2 {
		if st := WaitMany(items, TimeInfinite, nil); st != OK {
			return st
		}
		switch {
		case items[0].Pending&ChannelReadable != 0:
			signal(ht, ev, 0, UserSignal0)
			data, _, st := chRead(ht, r1, 4, 0)
			if st != OK || !bytes.Equal(data, le32(channelData)) {
				return ErrInternal
			}
			got[0] += len(data)
		case items[1].Pending&ChannelReadable != 0:
			signal(ht, ev, 0, UserSignal1)
			data, _, st := chRead(ht, r2, 4, 0)
			if st != OK || !bytes.Equal(data, le32(channelData)) {
				return ErrInternal
			}
			got[1] += len(data)
		default:
			closed1 = closed1 || items[0].Pending&ChannelPeerClosed != 0
			closed2 = closed2 || items[1].Pending&ChannelPeerClosed != 0
		}
	}
	return OK
}

func waitManyChannels(t *testing.T, writeBoth bool) {
	ht := NewHandleTable()
	l1, r1 := newChannel(t, ht)
	l2, r2 := newChannel(t, ht)
	ev := newEvent(t, ht)
	var got [2]int
	done := make(chan Status, 1)
	go func() { done <- waitOnChannels(ht, r1, r2, ev, &got) }()
	if writeBoth {
		mustOK(t, chWrite(ht, l2, le32(channelData)), "write 2")
	}
	mustOK(t, chWrite(ht, l1, le32(channelData)), "write 1")
	_, st := waitOne(ht, ev, UserSignal0, TimeInfinite)
	mustOK(t, st, "wait for the first read")
	if writeBoth {
		_, st = waitOne(ht, ev, UserSignal1, TimeInfinite)
		mustOK(t, st, "wait for the second read")
	}
	ht.Close(l1)
	ht.Close(l2)
	mustOK(t, <-done, "worker")
	want := UserSignal0
	if writeBoth {
		want |= UserSignal1
	}
	wantSignals(t, ht, ev, want)
	wantSignals(t, ht, r1, ChannelPeerClosed)
	wantSignals(t, ht, r2, ChannelPeerClosed)
	if got[0] != 4 || (writeBoth && got[1] != 4) || (!writeBoth && got[1] != 0) {
		t.Fatalf("received %v", got)
	}
}

func TestChannelTest_WaitManyIsSignaledOnAnyElementWrite(t *testing.T) {
	waitManyChannels(t, false)
}

func TestChannelTest_WaitManyIsSignaledForBothWrites(t *testing.T) {
	waitManyChannels(t, true)
}

func TestChannelTest_ReadWhenEmptyReturnsShouldWait(t *testing.T) {
	ht := NewHandleTable()
	_, b := newChannel(t, ht)
	_, _, st := chRead(ht, b, 0, 0)
	wantStatus(t, st, ErrShouldWait, "read")
}

func TestChannelTest_ReadWhenEmptyAndClosedReturnsPeerClosed(t *testing.T) {
	ht := NewHandleTable()
	a, b := newChannel(t, ht)
	ht.Close(a)
	_, _, st := chRead(ht, b, 0, 0)
	wantStatus(t, st, ErrPeerClosed, "read")
}

func TestChannelTest_ReadRemainingMessagesWhenPeerIsClosed(t *testing.T) {
	ht := NewHandleTable()
	a, b := newChannel(t, ht)
	for i := 0; i < 4; i++ {
		mustOK(t, chWrite(ht, a, le32(channelData)), "write")
	}
	ht.Close(a)
	wantSignals(t, ht, b, ChannelReadable|ChannelPeerClosed)
	for i := 0; i < 4; i++ {
		data, _, st := chRead(ht, b, 4, 0)
		mustOK(t, st, "read")
		if !bytes.Equal(data, le32(channelData)) {
			t.Fatalf("data % x", data)
		}
	}
	_, st := waitOne(ht, b, ChannelReadable, TimeInfinitePast)
	wantStatus(t, st, ErrTimedOut, "no longer readable")
	_, _, st = chRead(ht, b, 4, 0)
	wantStatus(t, st, ErrPeerClosed, "read when drained")
}

func TestChannelTest_CloseSignalsPeerClosed(t *testing.T) {
	ht := NewHandleTable()
	a, b := newChannel(t, ht)
	done := make(chan Signals, 1)
	go func() {
		s, _ := waitOne(ht, b, ChannelPeerClosed, TimeInfinite)
		done <- s
	}()
	blockedOn(t, get(t, ht, b).Object(), 1)
	ht.Close(a)
	if s := <-done; s&ChannelPeerClosed == 0 {
		t.Fatalf("signals %v", s)
	}
}

func TestChannelTest_CloseClearsSignalsWriteable(t *testing.T) {
	ht := NewHandleTable()
	a, b := newChannel(t, ht)
	if signalsOf(t, ht, b)&ChannelWritable == 0 {
		t.Fatal("not writable")
	}
	ht.Close(a)
	s, st := waitOne(ht, b, ChannelPeerClosed, TimeInfinite)
	mustOK(t, st, "wait")
	if s&ChannelWritable != 0 {
		t.Fatalf("still writable: %v", s)
	}
	wantStatus(t, chWrite(ht, b, le32(channelData)), ErrPeerClosed, "write to a closed peer")
}

func TestChannelTest_CloseSignalsPeerReturnsPeerClosed(t *testing.T) {
	ht := NewHandleTable()
	a, b := newChannel(t, ht)
	ht.Close(a)
	wantStatus(t, signalPeer(ht, b, 0, UserSignal0), ErrPeerClosed, "signal_peer")
}

func TestChannelTest_OnFlightHandlesSignalledWhenPeerIsClosed(t *testing.T) {
	ht := NewHandleTable()
	local, remote := newChannel(t, ht)
	fl0, fr0 := newChannel(t, ht)
	fl1, fr1 := newChannel(t, ht)
	mustOK(t, chWrite(ht, local, nil, fr0), "write fr0")  // queued at remote
	mustOK(t, chWrite(ht, remote, nil, fr1), "write fr1") // queued at local
	// Closing local drops what was queued there, fr1 among it.
	ht.Close(local)
	_, st := waitOne(ht, fl1, ChannelPeerClosed, TimeInfinite)
	mustOK(t, st, "fl1 peer closed")
	// fr0 is still queued at remote, which is open.
	if s := signalsOf(t, ht, fl0); s&ChannelWritable == 0 || s&ChannelPeerClosed != 0 {
		t.Fatalf("fl0 signals %v", s)
	}
	ht.Close(remote)
	_, st = waitOne(ht, fl0, ChannelPeerClosed, TimeInfinite)
	mustOK(t, st, "fl0 peer closed")
}

func TestChannelTest_WriteNonTransferableHandleReturnsAccessDeniedAndClosesHandle(t *testing.T) {
	ht := NewHandleTable()
	a, _ := newChannel(t, ht)
	ev := newEvent(t, ht)
	nt, st := ht.Duplicate(ev, DefaultEventRights&^RightTransfer)
	mustOK(t, st, "dup")
	wantStatus(t, chWrite(ht, a, nil, nt), ErrAccessDenied, "write")
	wantStatus(t, ht.Close(nt), ErrBadHandle, "close the sent handle")
}

func TestChannelTest_WriteRepeatedHandlesReturnsBadHandlesAndClosesHandle(t *testing.T) {
	ht := NewHandleTable()
	a, b := newChannel(t, ht)
	ev := newEvent(t, ht)
	wantStatus(t, chWrite(ht, a, nil, ev, ev), ErrBadHandle, "write")
	wantStatus(t, ht.Close(ev), ErrBadHandle, "close the sent handle")
	_, _, st := chRead(ht, b, 0, 2)
	wantStatus(t, st, ErrShouldWait, "nothing was sent")
}

func TestChannelTest_ConcurrentReadsConsumeUniqueElements(t *testing.T) {
	ht := NewHandleTable()
	local, remote := newChannel(t, ht)
	const n = 2000
	for i := uint64(1); i <= n; i++ {
		mustOK(t, chWrite(ht, local, le32(uint32(i))), "write")
	}
	var wg sync.WaitGroup
	got := make([][]uint32, 2)
	for r := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < n/2; i++ {
				data, _, st := chRead(ht, remote, 8, 0)
				if st != OK || len(data) != 4 {
					t.Errorf("read: %v, %d bytes", st, len(data))
					return
				}
				got[r] = append(got[r], uint32(data[0])|uint32(data[1])<<8|uint32(data[2])<<16|uint32(data[3])<<24)
			}
		}()
	}
	wg.Wait()
	seen := map[uint32]bool{}
	for _, g := range got {
		prev := uint32(0)
		for _, v := range g {
			if v <= prev || v > n || seen[v] {
				t.Fatalf("message %d after %d (seen %v)", v, prev, seen[v])
			}
			seen[v], prev = true, v
		}
	}
	if len(seen) != n {
		t.Fatalf("%d distinct messages", len(seen))
	}
}

// readWithSmallBuffer is PerformChannelCallWithSmallBuffer: write
// replyBytes bytes and replyHandles event duplicates, read them with
// MAY_DISCARD into smaller buffers, and check the message went (with its
// handles: only the original event handle is left).
func readWithSmallBuffer(t *testing.T, bufBytes, bufHandles, replyBytes, replyHandles int) {
	t.Helper()
	ht := NewHandleTable()
	local, remote := newChannel(t, ht)
	ev := newEvent(t, ht)
	var hs []HandleValue
	for i := 0; i < replyHandles; i++ {
		d, st := ht.Duplicate(ev, RightSameRights)
		mustOK(t, st, "dup")
		hs = append(hs, d)
	}
	mustOK(t, chWrite(ht, local, make([]byte, replyBytes), hs...), "write")
	nb, nh, st := ChannelRead(ht, remote, ChannelReadMayDiscard, make([]byte, bufBytes), make([]HandleValue, bufHandles))
	wantStatus(t, st, ErrBufferTooSmall, "read")
	if int(nb) != replyBytes || int(nh) != replyHandles {
		t.Fatalf("actual %d bytes %d handles", nb, nh)
	}
	_, st = waitOne(ht, remote, ChannelReadable, TimeInfinitePast)
	wantStatus(t, st, ErrTimedOut, "discarded")
	if c := handleCount(t, ht, ev); c != 1 {
		t.Fatalf("%d handles to the event", c)
	}
}

func TestChannelTest_ReadMayDiscardWithNullBuffersReturnsBufferTooSmall(t *testing.T) {
	readWithSmallBuffer(t, 0, 0, 1, 1)
}

func TestChannelTest_ReadMayDiscardWithNullBufferDiscardsDataReturnsBufferTooSmall(t *testing.T) {
	readWithSmallBuffer(t, 0, 0, 2, 0)
}

func TestChannelTest_ReadMayDiscardWithNullBufferDiscardHandlesReturnsBufferTooSmall(t *testing.T) {
	readWithSmallBuffer(t, 0, 1, 0, 2)
}

func TestChannelTest_ReadMayDiscardWithZeroSizeBuffersDiscardHandlesAndDataReturnsBufferTooSmall(t *testing.T) {
	readWithSmallBuffer(t, 0, 0, 1, 1)
}

func TestChannelTest_ReadMayDiscardWithSmallerBufferDiscardHandlesAndDateReturnsBufferTooSmall(t *testing.T) {
	readWithSmallBuffer(t, 10, 1, 11, 2)
}

// Without MAY_DISCARD the message stays, and the sizes tell what to
// allocate.
func TestChannelTest_ReadBufferTooSmall(t *testing.T) {
	ht := NewHandleTable()
	a, b := newChannel(t, ht)
	ev := newEvent(t, ht)
	mustOK(t, chWrite(ht, a, []byte("hello"), ev), "write")
	nb, nh, st := ChannelRead(ht, b, 0, make([]byte, 4), make([]HandleValue, 1))
	wantStatus(t, st, ErrBufferTooSmall, "bytes too small")
	if nb != 5 || nh != 1 {
		t.Fatalf("actual %d %d", nb, nh)
	}
	nb, nh, st = ChannelRead(ht, b, 0, make([]byte, 5), nil)
	wantStatus(t, st, ErrBufferTooSmall, "handles too small")
	if nb != 5 || nh != 1 {
		t.Fatalf("actual %d %d", nb, nh)
	}
	wantSignals(t, ht, b, ChannelReadable|ChannelWritable)
	data, hs, st := chRead(ht, b, int(nb), int(nh))
	mustOK(t, st, "read with the sizes reported")
	if string(data) != "hello" || len(hs) != 1 {
		t.Fatalf("%q %v", data, hs)
	}
	if info, _ := ht.BasicInfo(hs[0]); info.Type != TypeEvent {
		t.Fatalf("%+v", info)
	}
}

func TestChannelTest_ReadInvalidOptionsReturnsNotSupported(t *testing.T) {
	ht := NewHandleTable()
	_, b := newChannel(t, ht)
	_, _, st := ChannelRead(ht, b, 0xff, nil, nil)
	wantStatus(t, st, ErrNotSupported, "read options")
}

func TestChannelTest_NestingIsOk(t *testing.T) {
	ht := NewHandleTable()
	const n = 200
	local, remote := make([]HandleValue, n), make([]HandleValue, n)
	for i := range local {
		local[i], remote[i] = newChannel(t, ht)
	}
	innermost := get(t, ht, local[n-1]).Object()
	for i := n - 1; i > 0; i-- {
		mustOK(t, chWrite(ht, local[i-1], nil, local[i], remote[i]), "nest")
	}
	if ht.Count() != 2 || innermost.base().HandleCount() != 1 {
		t.Fatalf("%d handles", ht.Count())
	}
	// Closing the outermost pair tears the whole nest down.
	ht.Close(local[0])
	ht.Close(remote[0])
	if ht.Count() != 0 || innermost.base().HandleCount() != 0 {
		t.Fatal("handles left")
	}
}

func TestChannelTest_WriteSelfHandleReturnsNotSupported(t *testing.T) {
	ht := NewHandleTable()
	local, remote := newChannel(t, ht)
	h := get(t, ht, local)
	wantStatus(t, chWrite(ht, local, nil, local), ErrNotSupported, "write own handle")
	if !h.Closed() {
		t.Fatal("own handle not consumed")
	}
	s, st := waitOne(ht, remote, ChannelPeerClosed, TimeInfinitePast)
	mustOK(t, st, "peer closed")
	if s != ChannelPeerClosed {
		t.Fatalf("signals %v", s)
	}
}

func TestChannelTest_ReadEtcHandleInfoValidation(t *testing.T) {
	ht := NewHandleTable()
	local, remote := newChannel(t, ht)
	ev := newEvent(t, ht)
	less, st := ht.Duplicate(ev, RightsBasic&^RightWait)
	mustOK(t, st, "dup")
	fa, fb := newFIFO(t, ht, 32, 8)
	mustOK(t, chWrite(ht, local, nil, fa, ev, less, fb), "write")
	infos := make([]HandleInfo, 4)
	nb, nh, st := ChannelReadEtc(ht, remote, 0, nil, infos)
	mustOK(t, st, "read_etc")
	if nb != 0 || nh != 4 {
		t.Fatalf("%d %d", nb, nh)
	}
	want := []HandleInfo{
		{Type: TypeFIFO, Rights: DefaultFIFORights},
		{Type: TypeEvent, Rights: DefaultEventRights},
		{Type: TypeEvent, Rights: RightsBasic &^ RightWait},
		{Type: TypeFIFO, Rights: DefaultFIFORights},
	}
	for i, w := range want {
		if infos[i].Type != w.Type || infos[i].Rights != w.Rights {
			t.Fatalf("handle %d: %+v, want %+v", i, infos[i], w)
		}
		mustOK(t, ht.CheckValid(infos[i].Handle), "received handle")
	}
	m := infos[1].Marshal()
	if m[4] != byte(TypeEvent) || len(m) != 16 {
		t.Fatalf("% x", m)
	}
}

func TestChannelTest_ReadAndWriteWithMultipleSizes(t *testing.T) {
	ht := NewHandleTable()
	local, remote := newChannel(t, ht)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 200; i++ {
		nb := rng.IntN(ChannelMaxMsgBytes)
		nh := rng.IntN(ChannelMaxMsgHandles)
		data := make([]byte, nb)
		if nb > 0 {
			data[0] = byte(i)
		}
		var hs []HandleValue
		for j := 0; j < nh; j++ {
			hs = append(hs, newEvent(t, ht))
		}
		mustOK(t, chWrite(ht, local, data, hs...), "write")
		got, ghs, st := chRead(ht, remote, nb, nh)
		mustOK(t, st, "read")
		if len(got) != nb || len(ghs) != nh || (nb > 0 && got[0] != byte(i)) {
			t.Fatalf("%d bytes %d handles", len(got), len(ghs))
		}
		mustOK(t, ht.CloseMany(ghs), "close received")
	}
	if ht.Count() != 2 {
		t.Fatalf("%d handles", ht.Count())
	}
}

// A reader racing a writer is never told READABLE when nothing is there.
func TestChannelTest_NoSpuriousReadableSignalWhenRacing(t *testing.T) {
	ht := NewHandleTable()
	a, b := newChannel(t, ht)
	const attempts = 2000
	next := make(chan struct{})
	go func() {
		for range next {
			chWrite(ht, b, []byte{0})
		}
	}()
	defer close(next)
	for i := 0; i < attempts; i++ {
		next <- struct{}{}
		_, _, st := chRead(ht, a, 1, 0)
		if st == ErrShouldWait {
			_, st = waitOne(ht, a, ChannelReadable, TimeInfinite)
			mustOK(t, st, "wait")
			_, _, st = chRead(ht, a, 1, 0)
		}
		mustOK(t, st, "read")
	}
}
