package object

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"sync"
	"testing"
)

// ChannelTest's zx_channel_call cases and ChannelCallEtcTest.

// chServe is the core-tests' Reply/ReplyAndWait service thread: read n
// requests on svc (wanting reqBytes bytes each), gathering the first
// accumulate of them and checking their txids are distinct, and answer
// each with a reply of replyBytes bytes (txid included) and replyHandles
// new events. It returns the first problem.
func chServe(ht *HandleTable, svc HandleValue, n, accumulate, reqBytes, replyBytes, replyHandles int) error {
	var live []uint32
	seen := map[uint32]bool{}
	for i := 0; i < n; i++ {
		if _, st := waitOne(ht, svc, ChannelReadable, TimeInfinite); st != OK {
			return fmt.Errorf("wait: %v", st)
		}
		data, hs, st := chRead(ht, svc, reqBytes, ChannelMaxMsgHandles)
		if st != OK || len(data) != reqBytes {
			return fmt.Errorf("read request: %v (%d bytes)", st, len(data))
		}
		ht.CloseMany(hs)
		id := binary.LittleEndian.Uint32(data)
		if id < minKernelTxid {
			return fmt.Errorf("txid %#x not kernel-generated", id)
		}
		if seen[id] {
			return fmt.Errorf("txid %#x reused by a live transaction", id)
		}
		seen[id] = true
		live = append(live, id)
		if i+1 < accumulate {
			continue
		}
		for _, id := range live {
			reply := make([]byte, replyBytes)
			binary.LittleEndian.PutUint32(reply, id)
			var evs []HandleValue
			for j := 0; j < replyHandles; j++ {
				e, _ := NewEvent(0)
				v, _ := ht.AddObject(e, DefaultEventRights)
				evs = append(evs, v)
			}
			if st := chWrite(ht, svc, reply, evs...); st != OK {
				return fmt.Errorf("write reply: %v", st)
			}
		}
		live = live[:0]
	}
	return nil
}

// chServeAsync runs chServe on a goroutine; the returned function waits for
// it and fails the test on error.
func chServeAsync(t *testing.T, ht *HandleTable, svc HandleValue, n, accumulate, reqBytes, replyBytes, replyHandles int) func() {
	done := make(chan error, 1)
	go func() { done <- chServe(ht, svc, n, accumulate, reqBytes, replyBytes, replyHandles) }()
	return func() {
		t.Helper()
		if err := <-done; err != nil {
			t.Fatalf("service: %v", err)
		}
	}
}

func chCall(ht *HandleTable, v HandleValue, deadline Time, wr []byte, wrHandles []HandleValue, rdBytes, rdHandles int) ([]byte, []HandleValue, Status) {
	args := &ChannelCallArgs{WrBytes: wr, WrHandles: wrHandles, RdBytes: make([]byte, rdBytes), RdHandles: make([]HandleValue, rdHandles)}
	nb, nh, st := ChannelCall(ht, v, 0, deadline, args, nil)
	if st != OK {
		return nil, nil, st
	}
	return args.RdBytes[:nb], args.RdHandles[:nh], OK
}

func TestChannelTest_CallWrittenBytesSmallerThanZxTxIdReturnsInvalidArgs(t *testing.T) {
	ht := NewHandleTable()
	local, _ := newChannel(t, ht)
	ev := newEvent(t, ht)
	_, _, st := chCall(ht, local, TimeInfinite, make([]byte, 3), []HandleValue{ev}, 68, 0)
	wantStatus(t, st, ErrInvalidArgs, "call with 3 bytes")
	wantStatus(t, ht.Close(ev), ErrBadHandle, "the handle was consumed")
}

func TestChannelTest_CallInvalidOptionsReturnsInvalidArgs(t *testing.T) {
	ht := NewHandleTable()
	local, _ := newChannel(t, ht)
	args := &ChannelCallArgs{WrBytes: make([]byte, 4), RdBytes: make([]byte, 4)}
	_, _, st := ChannelCall(ht, local, 0xff, TimeInfinite, args, nil)
	wantStatus(t, st, ErrInvalidArgs, "call options")
}

func TestChannelTest_CallResponseBiggerThanRdNumBytesReturnsBufferTooSmall(t *testing.T) {
	ht := NewHandleTable()
	local, remote := newChannel(t, ht)
	wait := chServeAsync(t, ht, remote, 1, 0, 4+20, 4+2, 0)
	_, _, st := chCall(ht, local, TimeInfinite, make([]byte, 4+20), nil, 4+1, 0)
	wantStatus(t, st, ErrBufferTooSmall, "call")
	wait()
}

func TestChannelTest_CallResponseBiggerThanRdNumHandlesReturnsBufferTooSmall(t *testing.T) {
	ht := NewHandleTable()
	local, remote := newChannel(t, ht)
	ev := newEvent(t, ht)
	wait := chServeAsync(t, ht, remote, 1, 0, 4, 4, 2)
	_, _, st := chCall(ht, local, TimeInfinite, make([]byte, 4), []HandleValue{ev}, 4, 1)
	wantStatus(t, st, ErrBufferTooSmall, "call")
	wait()
	// The reply and its handles were discarded.
	if ht.Count() != 2 {
		t.Fatalf("%d handles, want the two channel ends", ht.Count())
	}
}

func successfulCall(t *testing.T, reqBytes, reqHandles, replyBytes, replyHandles int) {
	t.Helper()
	ht := NewHandleTable()
	local, remote := newChannel(t, ht)
	var hs []HandleValue
	for i := 0; i < reqHandles; i++ {
		hs = append(hs, newEvent(t, ht))
	}
	wait := chServeAsync(t, ht, remote, 1, 0, reqBytes, replyBytes, replyHandles)
	data, rhs, st := chCall(ht, local, TimeInfinite, make([]byte, reqBytes), hs, replyBytes, replyHandles)
	mustOK(t, st, "call")
	wait()
	if len(data) != replyBytes || len(rhs) != replyHandles {
		t.Fatalf("reply %d bytes %d handles", len(data), len(rhs))
	}
	if binary.LittleEndian.Uint32(data) < minKernelTxid {
		t.Fatalf("reply txid % x", data[:4])
	}
	for _, v := range rhs {
		if info, st := ht.BasicInfo(v); st != OK || info.Type != TypeEvent {
			t.Fatalf("reply handle %+v %v", info, st)
		}
	}
	if local := get(t, ht, local).Object().(*Channel); local.Pending() != 0 || local.CallingCount() != 0 {
		t.Fatal("reply was queued, or the waiter left behind")
	}
}

func TestChannelTest_CallBytesFitIsOk(t *testing.T) { successfulCall(t, 4+4, 0, 4+5, 0) }

func TestChannelTest_CallHandlesFitIsOk(t *testing.T) { successfulCall(t, 4, 1, 4, 2) }

func TestChannelTest_CallHandleAndBytesFitsIsOk(t *testing.T) { successfulCall(t, 4+2, 1, 4+2, 2) }

func TestChannelTest_CallPendingTransactionsUseDifferentIds(t *testing.T) {
	ht := NewHandleTable()
	local, remote := newChannel(t, ht)
	const n = 20
	wait := chServeAsync(t, ht, remote, n, n, 4+2, 4, 0)
	var wg sync.WaitGroup
	results := make([]Status, n)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, results[i] = chCall(ht, local, TimeInfinite, make([]byte, 4+2), nil, 4, 0)
		}()
	}
	wg.Wait()
	wait()
	for i, st := range results {
		mustOK(t, st, fmt.Sprintf("call %d", i))
	}
}

func TestChannelTest_CallDeadlineExceededReturnsTimedOut(t *testing.T) {
	ht := NewHandleTable()
	local, remote := newChannel(t, ht)
	wait := chServeAsync(t, ht, remote, 1, 0, 4+2, 4, 0)
	_, _, st := chCall(ht, local, TimeInfinitePast, make([]byte, 4+2), nil, 4, 0)
	wantStatus(t, st, ErrTimedOut, "call")
	// The request was still written, and its late reply is queued as an
	// ordinary message.
	wait()
	data, _, st := chRead(ht, local, 4, 0)
	mustOK(t, st, "read the late reply")
	if binary.LittleEndian.Uint32(data) < minKernelTxid {
		t.Fatalf("late reply % x", data)
	}
	if get(t, ht, local).Object().(*Channel).CallingCount() != 0 {
		t.Fatal("waiter left behind")
	}
}

func TestChannelTest_CallConsumesHandlesOnSuccess(t *testing.T) {
	ht := NewHandleTable()
	local, remote := newChannel(t, ht)
	hs := []HandleValue{newEvent(t, ht), newEvent(t, ht)}
	wait := chServeAsync(t, ht, remote, 1, 0, 4, 4, 0)
	_, _, st := chCall(ht, local, TimeInfinite, make([]byte, 4), hs, 4, 0)
	mustOK(t, st, "call")
	wait()
	for _, v := range hs {
		wantStatus(t, ht.Close(v), ErrBadHandle, "sent handle")
	}
}

func TestChannelTest_CallConsumesHandlesOnError(t *testing.T) {
	ht := NewHandleTable()
	local, remote := newChannel(t, ht)
	ht.Close(remote)
	hs := []HandleValue{newEvent(t, ht), newEvent(t, ht)}
	_, _, st := chCall(ht, local, TimeInfinite, make([]byte, 4), hs, 4, 0)
	wantStatus(t, st, ErrPeerClosed, "call")
	for _, v := range hs {
		wantStatus(t, ht.Close(v), ErrBadHandle, "sent handle")
	}
}

func TestChannelTest_CallNotifiedOnPeerClosed(t *testing.T) {
	ht := NewHandleTable()
	local, remote := newChannel(t, ht)
	go func() {
		waitOne(ht, remote, ChannelReadable, TimeInfinite)
		ht.Close(remote)
	}()
	_, _, st := chCall(ht, local, TimeInfinite, make([]byte, 4), nil, 4, 0)
	wantStatus(t, st, ErrPeerClosed, "call")
}

// A call also ends when the last handle to its own end is closed.
func TestChannel_CallCanceledWhenHandleClosed(t *testing.T) {
	ht := NewHandleTable()
	local, _ := newChannel(t, ht)
	ch := get(t, ht, local).Object().(*Channel)
	done := make(chan Status, 1)
	go func() {
		_, _, st := chCall(ht, local, TimeInfinite, make([]byte, 4), nil, 4, 0)
		done <- st
	}()
	eventually(t, "the call to wait", func() bool { return ch.CallingCount() == 1 })
	ht.Close(local)
	wantStatus(t, <-done, ErrCanceled, "call")
}

// A reply goes straight to its caller, past messages queued before it;
// a message with a userspace txid, or an unknown one, is just queued.
func TestChannel_CallReplyBypassesQueue(t *testing.T) {
	ht := NewHandleTable()
	local, remote := newChannel(t, ht)
	go func() {
		waitOne(ht, remote, ChannelReadable, TimeInfinite)
		data, _, _ := chRead(ht, remote, 8, 0)
		chWrite(ht, remote, le32(7))                   // userspace txid
		chWrite(ht, remote, le32(minKernelTxid|12345)) // nobody's
		chWrite(ht, remote, append(data[:4:4], "ok"...))
	}()
	data, _, st := chCall(ht, local, TimeInfinite, append(le32(0), "ping"...), nil, 6, 0)
	mustOK(t, st, "call")
	if string(data[4:]) != "ok" {
		t.Fatalf("reply %q", data)
	}
	for _, want := range [][]byte{le32(7), le32(minKernelTxid | 12345)} {
		got, _, st := chRead(ht, local, 4, 0)
		mustOK(t, st, "read queued")
		if !bytes.Equal(got, want) {
			t.Fatalf("queued % x, want % x", got, want)
		}
	}
}

func TestChannelCallEtcTest_CallEtcSuccess(t *testing.T) {
	ht := NewHandleTable()
	local, remote := newChannel(t, ht)
	ev := newEvent(t, ht)
	errc := make(chan error, 1)
	go func() {
		errc <- func() error {
			if _, st := waitOne(ht, remote, ChannelReadable, TimeInfinite); st != OK {
				return st
			}
			req := make([]byte, 8)
			infos := make([]HandleInfo, 1)
			nb, nh, st := ChannelReadEtc(ht, remote, 0, req, infos)
			if st != OK || nb != 8 || nh != 1 || infos[0].Type != TypeEvent || string(req[4:]) != "abcd" {
				return fmt.Errorf("request %v %d %d %+v %q", st, nb, nh, infos[0], req)
			}
			ht.Close(infos[0].Handle)
			e, _ := NewEvent(0)
			rv, _ := ht.AddObject(e, DefaultEventRights)
			rep := append(req[:4:4], "wxyz"...)
			d := []HandleDisposition{{Operation: HandleOpMove, Handle: rv, Type: TypeEvent, Rights: DefaultEventRights}}
			if st := ChannelWriteEtc(ht, remote, 0, rep, d); st != OK {
				return st
			}
			return nil
		}()
	}()
	args := &ChannelCallEtcArgs{
		WrBytes:   append(le32(0), "abcd"...),
		WrHandles: []HandleDisposition{{Operation: HandleOpMove, Handle: ev, Type: TypeEvent, Rights: DefaultEventRights}},
		RdBytes:   make([]byte, 8),
		RdHandles: make([]HandleInfo, 1),
	}
	nb, nh, st := ChannelCallEtc(ht, local, 0, TimeInfinite, args, nil)
	mustOK(t, st, "call_etc")
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	mustOK(t, args.WrHandles[0].Result, "disposition result")
	if nb != 8 || nh != 1 || args.RdBytes[4] != 'w' || args.RdHandles[0].Type != TypeEvent {
		t.Fatalf("%d %d %q %+v", nb, nh, args.RdBytes, args.RdHandles)
	}
	ht.Close(args.RdHandles[0].Handle)
}

func TestChannelCallEtcTest_CallEtcInvalidArgs(t *testing.T) {
	ht := NewHandleTable()
	local, _ := newChannel(t, ht)
	args := &ChannelCallEtcArgs{WrBytes: []byte{0}, RdBytes: []byte{0}}
	_, _, st := ChannelCallEtc(ht, local, 0, TimeInfinite, args, nil)
	wantStatus(t, st, ErrInvalidArgs, "call_etc with 1 byte")
}
