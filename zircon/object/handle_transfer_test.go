package object

import "testing"

// HandleTransferTest (zircon/system/utest/core/handle-transfer).

// A channel end sent through another channel keeps its queue: messages
// written before, during and after the transfer are all read, in order.
func TestHandleTransferTest_OverChannelThenRead(t *testing.T) {
	ht := NewHandleTable()
	aClient, aRemote := newChannel(t, ht)
	bClient, bRemote := newChannel(t, ht)
	mustOK(t, chWrite(ht, aClient, []byte{0}), "write 0")
	mustOK(t, chWrite(ht, bClient, nil, aRemote), "send a_remote")
	mustOK(t, chWrite(ht, aClient, []byte{1}), "write 1")
	_, hs, st := chRead(ht, bRemote, 0, 1)
	mustOK(t, st, "receive a_remote")
	aRemote = hs[0]
	mustOK(t, chWrite(ht, aClient, []byte{2}), "write 2")
	for i := byte(0); i < 3; i++ {
		data, hs, st := chRead(ht, aRemote, 1, 0)
		mustOK(t, st, "read")
		if len(hs) != 0 || len(data) != 1 || data[0] != i {
			t.Fatalf("message %d: % x", i, data)
		}
	}
}

// A wait through a handle survives the handle being sent, and is canceled
// when the handle is received.
func TestHandleTransferTest_CancelsWait(t *testing.T) {
	ht := NewHandleTable()
	a0, _ := newChannel(t, ht)
	b0, b1 := newChannel(t, ht)
	h := get(t, ht, a0)
	done := make(chan Status, 1)
	go func() {
		_, st := WaitOne(h, ChannelPeerClosed, TimeInfinite, nil)
		done <- st
	}()
	blockedOn(t, h.Object(), 1)
	mustOK(t, chWrite(ht, b0, nil, a0), "send a0")
	select {
	case st := <-done:
		t.Fatalf("wait ended (%v) when the handle was sent", st)
	default:
	}
	_, hs, st := chRead(ht, b1, 0, 1)
	mustOK(t, st, "receive a0")
	if len(hs) != 1 {
		t.Fatal("no handle")
	}
	wantStatus(t, <-done, ErrCanceled, "wait")
}

// Between processes: the handle leaves one table and joins another with
// the same object and rights, under a new value.
func TestHandleTransfer_BetweenTables(t *testing.T) {
	p1, p2 := NewHandleTable(), NewHandleTable()
	a, b, _ := NewChannel(0)
	va, _ := p1.AddObject(a, DefaultChannelRights)
	vb, _ := p2.AddObject(b, DefaultChannelRights)
	ev := newEvent(t, p1)
	before, _ := p1.BasicInfo(ev)
	mustOK(t, chWrite(p1, va, []byte("hi"), ev), "write")
	if p1.Count() != 1 {
		t.Fatalf("sender holds %d handles", p1.Count())
	}
	_, hs, st := chRead(p2, vb, 2, 1)
	mustOK(t, st, "read")
	after, st := p2.BasicInfo(hs[0])
	mustOK(t, st, "received handle is in the reader's table")
	if after.Koid != before.Koid || after.Rights != before.Rights {
		t.Fatalf("%+v, sent %+v", after, before)
	}
	wantStatus(t, p1.CheckValid(hs[0]), ErrNotFound, "not in the sender's table")
}

// A reader whose table is full gets NO_RESOURCES; the message is consumed
// and its handles closed, none is left half-installed.
func TestHandleTransfer_ReceiverTableFull(t *testing.T) {
	if testing.Short() {
		t.Skip("fills a handle table")
	}
	sender, receiver := NewHandleTable(), NewHandleTable()
	a, b, _ := NewChannel(0)
	va, _ := sender.AddObject(a, DefaultChannelRights)
	vb, _ := receiver.AddObject(b, DefaultChannelRights)
	e1, e2 := newEvent(t, sender), newEvent(t, sender)
	evObj := get(t, sender, e1).Object()
	mustOK(t, chWrite(sender, va, nil, e1, e2), "write")
	filler, _ := NewEvent(0)
	for receiver.Count() < MaxHandles-1 {
		receiver.AddObject(filler, DefaultEventRights)
	}
	_, _, st := chRead(receiver, vb, 0, 2)
	wantStatus(t, st, ErrNoResources, "read into a full table")
	if receiver.Count() != MaxHandles-1 || evObj.base().HandleCount() != 0 {
		t.Fatalf("%d handles in the table, %d to the event", receiver.Count(), evObj.base().HandleCount())
	}
	receiver.CloseAll()
}
