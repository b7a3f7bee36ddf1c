package object

import (
	"testing"
)

// HandleDup (zircon/system/utest/core/handle-dup).

func TestHandleDup_ReplaceSuccessOrigInvalid(t *testing.T) {
	ht := NewHandleTable()
	orig := newEvent(t, ht)
	replaced, st := ht.Replace(orig, RightsBasic)
	mustOK(t, st, "Replace")
	wantStatus(t, ht.CheckValid(orig), ErrNotFound, "original after replace")
	mustOK(t, ht.CheckValid(replaced), "replacement")
	if replaced == orig {
		t.Fatal("replace reused the value")
	}
}

func TestHandleDup_ReplaceFailureBothInvalid(t *testing.T) {
	ht := NewHandleTable()
	orig := newEvent(t, ht)
	failed, st := ht.Replace(orig, RightExecute)
	wantStatus(t, st, ErrInvalidArgs, "Replace with a right the handle lacks")
	// Even on failure, a replaced handle is now invalid.
	wantStatus(t, ht.CheckValid(orig), ErrNotFound, "original after failed replace")
	if failed != HandleInvalid {
		t.Fatal("failed replace returned a handle")
	}
	if ht.Count() != 0 {
		t.Fatalf("%d handles left", ht.Count())
	}
}

func TestHandleDup_Duplicate(t *testing.T) {
	ht := NewHandleTable()
	ev := newEvent(t, ht)
	dup, st := ht.Duplicate(ev, RightSameRights)
	mustOK(t, st, "Duplicate")
	a, _ := ht.BasicInfo(ev)
	b, _ := ht.BasicInfo(dup)
	if a.Koid != b.Koid || a.Rights != b.Rights || dup == ev {
		t.Fatalf("dup %+v of %+v", b, a)
	}
	_, st = ht.Duplicate(HandleInvalid, RightSameRights)
	wantStatus(t, st, ErrBadHandle, "Duplicate(invalid)")
	_, st = ht.Duplicate(ev^0x1000000, RightSameRights)
	wantStatus(t, st, ErrBadHandle, "Duplicate(unknown)")
	// Rights beyond SAME_RIGHTS with it are not a subset.
	_, st = ht.Duplicate(ev, RightSameRights|RightRead)
	wantStatus(t, st, ErrInvalidArgs, "Duplicate(SAME_RIGHTS|READ)")
}

func TestHandleDup_ReplaceBadHandle(t *testing.T) {
	ht := NewHandleTable()
	_, st := ht.Replace(0x7, RightSameRights)
	wantStatus(t, st, ErrBadHandle, "Replace(unknown)")
}

// HandleCloseTest (handle-close).

func peerWasClosed(t *testing.T, ht *HandleTable, v HandleValue) {
	t.Helper()
	got, st := waitOne(ht, v, EventPairPeerClosed, 0)
	mustOK(t, st, "wait PEER_CLOSED")
	if got&EventPairPeerClosed == 0 {
		t.Fatalf("signals %v", got)
	}
}

func TestHandleCloseTest_Many(t *testing.T) {
	ht := NewHandleTable()
	var zero, one []HandleValue
	for i := 0; i < 4; i++ {
		a, b := newEventPair(t, ht)
		zero, one = append(zero, a), append(one, b)
	}
	mustOK(t, ht.CloseMany(zero), "CloseMany")
	for _, v := range one {
		peerWasClosed(t, ht, v)
	}
}

func TestHandleCloseTest_ManyInvalidHandlesShouldNotFail(t *testing.T) {
	ht := NewHandleTable()
	var vs, peers []HandleValue
	for i := 0; i < 4; i++ {
		a, b := newEventPair(t, ht)
		vs, peers = append(vs, a), append(peers, b)
	}
	vs = append(vs, HandleInvalid, HandleInvalid)
	mustOK(t, ht.CloseMany(vs), "CloseMany with ZX_HANDLE_INVALID")
	for _, v := range peers {
		peerWasClosed(t, ht, v)
	}
}

func TestHandleCloseTest_ManyDuplicateTest(t *testing.T) {
	ht := NewHandleTable()
	vs := make([]HandleValue, 6)
	var peers []HandleValue
	for i := 0; i < 4; i++ {
		a, b := newEventPair(t, ht)
		vs[i+2], peers = a, append(peers, b)
	}
	vs[0], vs[1] = vs[2], vs[3]
	// The duplicated values cannot be closed twice: BAD_HANDLE, but
	// every handle was closed.
	wantStatus(t, ht.CloseMany(vs), ErrBadHandle, "CloseMany with duplicates")
	for _, v := range peers {
		peerWasClosed(t, ht, v)
	}
	if ht.Count() != 4 {
		t.Fatalf("%d handles left, want the 4 peers", ht.Count())
	}
}

func TestHandleCloseTest_CloseInvalidAndStale(t *testing.T) {
	ht := NewHandleTable()
	mustOK(t, ht.Close(HandleInvalid), "close ZX_HANDLE_INVALID")
	v := newEvent(t, ht)
	mustOK(t, ht.Close(v), "close")
	wantStatus(t, ht.Close(v), ErrBadHandle, "close twice")
}

// HandleInfoTest (handle-info).

func TestHandleInfoTest_DupAndInfoRights(t *testing.T) {
	ht := NewHandleTable()
	orig := newEvent(t, ht)
	dup, st := ht.Duplicate(orig, RightSameRights)
	mustOK(t, st, "Duplicate")
	mustOK(t, ht.CheckValid(orig), "HANDLE_VALID")
	ht.Close(orig)
	_, st = ht.BasicInfo(orig)
	wantStatus(t, st, ErrBadHandle, "info on closed handle")

	info, st := ht.BasicInfo(dup)
	mustOK(t, st, "BasicInfo")
	if info.Koid == 0 || info.Type != TypeEvent || info.Rights != RightsBasic|RightSignal || info.RelatedKoid != 0 {
		t.Fatalf("info %+v", info)
	}
	b := info.Marshal()
	if b[12] != byte(TypeEvent) || b[8] != byte(info.Rights) || len(b) != 32 {
		t.Fatalf("marshal % x", b)
	}
}

func TestHandleInfoTest_RelatedKoid(t *testing.T) {
	// Fuchsia checks jobs, processes, threads and sockets; this part has
	// the eventpair, a peered object like the socket.
	ht := NewHandleTable()
	a, b := newEventPair(t, ht)
	ia, _ := ht.BasicInfo(a)
	ib, _ := ht.BasicInfo(b)
	if ia.Type != TypeEventPair || ia.RelatedKoid != ib.Koid || ib.RelatedKoid != ia.Koid {
		t.Fatalf("%+v %+v", ia, ib)
	}
	// The related koid stays after the peer is gone.
	ht.Close(b)
	if ia2, _ := ht.BasicInfo(a); ia2.RelatedKoid != ib.Koid {
		t.Fatal("related koid lost")
	}
}

func TestHandleInfoTest_DuplicateRights(t *testing.T) {
	ht := NewHandleTable()
	orig := newEvent(t, ht)
	ro1, st := ht.Duplicate(orig, RightWait)
	mustOK(t, st, "dup WAIT")
	_, st = ht.Duplicate(orig, RightWait)
	mustOK(t, st, "dup WAIT again")
	info, _ := ht.BasicInfo(ro1)
	if info.Rights != RightWait {
		t.Fatalf("rights %v", info.Rights)
	}
	// The DUPLICATE right is gone, so this fails.
	_, st = ht.Duplicate(ro1, RightSameRights)
	wantStatus(t, st, ErrAccessDenied, "dup without DUPLICATE")
	_, st = ht.Duplicate(orig, RightExecute|RightWait)
	wantStatus(t, st, ErrInvalidArgs, "dup with a right not held")
	mustOK(t, ht.CheckValid(orig), "orig still valid")
	mustOK(t, ht.CheckValid(ro1), "dup still valid")
	if ht.Count() != 3 {
		t.Fatalf("%d handles", ht.Count())
	}
}

func TestHandleInfoTest_ReplaceRights(t *testing.T) {
	ht := NewHandleTable()
	e1 := newEvent(t, ht)
	e2, st := ht.Replace(e1, RightWait)
	mustOK(t, st, "Replace")
	info, _ := ht.BasicInfo(e2)
	if info.Rights != RightWait {
		t.Fatalf("rights %v", info.Rights)
	}
	wantStatus(t, ht.CheckValid(e1), ErrNotFound, "replaced")
	_, st = ht.Replace(e2, RightSignal|RightWait)
	wantStatus(t, st, ErrInvalidArgs, "cannot upgrade rights")
	wantStatus(t, ht.CheckValid(e2), ErrNotFound, "invalid on failure")
}

func TestHandleInfoTest_CheckHandleValid(t *testing.T) {
	ht := NewHandleTable()
	wantStatus(t, ht.CheckValid(HandleInvalid), ErrInvalidArgs, "ZX_HANDLE_INVALID")
	wantStatus(t, ht.CheckValid(0b01), ErrOutOfRange, "0b01")
	wantStatus(t, ht.CheckValid(0b10), ErrOutOfRange, "0b10")
	wantStatus(t, ht.CheckValid(0b100), ErrOutOfRange, "0b100")
	v := newEvent(t, ht)
	mustOK(t, ht.CheckValid(v), "live handle")
	ht.Close(v)
	wantStatus(t, ht.CheckValid(v), ErrNotFound, "closed handle")
}

// Lookup statuses, in Zircon's order.

func TestHandleTable_GetStatuses(t *testing.T) {
	ht := NewHandleTable()
	v := newEvent(t, ht)
	_, st := ht.Get(v^0x40, TypeNone, 0)
	wantStatus(t, st, ErrBadHandle, "unknown value")
	_, st = ht.Get(v, TypePort, RightWrite)
	wantStatus(t, st, ErrWrongType, "wrong type before missing right")
	_, st = ht.Get(v, TypeEvent, RightWrite)
	wantStatus(t, st, ErrAccessDenied, "missing right")
	h, st := ht.Get(v, TypeEvent, RightSignal|RightWait)
	mustOK(t, st, "Get")
	if h.Object().Type() != TypeEvent {
		t.Fatal("object")
	}
	_, _, st = GetObject[*Port](ht, v, 0)
	wantStatus(t, st, ErrWrongType, "GetObject wrong type")
	_, _, st = GetObject[*Event](ht, v, RightRead)
	wantStatus(t, st, ErrAccessDenied, "GetObject missing right")
	e, _, st := GetObject[*Event](ht, v, RightSignal)
	mustOK(t, st, "GetObject")
	if e.Koid() != h.Object().Koid() {
		t.Fatal("koid")
	}
}

func TestHandleTable_ValuesLookLikeZircon(t *testing.T) {
	ht := NewHandleTable()
	seen := map[HandleValue]bool{}
	for i := 0; i < 1000; i++ {
		v := newEvent(t, ht)
		if v == HandleInvalid || v&HandleFixedBitsMask != HandleFixedBitsMask || seen[v] {
			t.Fatalf("value %#x", v)
		}
		seen[v] = true
	}
	// Closing and reopening does not hand the same value straight back.
	v := newEvent(t, ht)
	for i := 0; i < 100; i++ {
		ht.Close(v)
		w := newEvent(t, ht)
		if w == v {
			t.Fatalf("value %#x reused at once", v)
		}
		v = w
	}
	// Another table mixes its values differently (odds 2^-30 of a clash).
	other := NewHandleTable()
	if newEvent(t, other) == newEvent(t, NewHandleTable()) && newEvent(t, other) == newEvent(t, NewHandleTable()) {
		t.Fatal("tables share a mixer")
	}
}

func TestHandleTable_RemoveAndCloseAll(t *testing.T) {
	ht := NewHandleTable()
	a, b := newEventPair(t, ht)
	h, st := ht.Remove(a)
	mustOK(t, st, "Remove")
	// Moved, not closed: the peer sees nothing.
	if s := get(t, ht, b).Object().base().Signals(); s != 0 {
		t.Fatalf("signals %v", s)
	}
	other := NewHandleTable()
	a2, st := other.Add(h)
	mustOK(t, st, "Add to another table")
	other.CloseAll()
	peerWasClosed(t, ht, b)
	wantStatus(t, other.CheckValid(a2), ErrNotFound, "after CloseAll")
	n := 0
	ht.ForEach(func(HandleValue, *Handle) bool { n++; return true })
	if n != 1 || ht.Count() != 1 {
		t.Fatalf("%d handles", n)
	}
}

func TestHandleTable_ConcurrentUse(t *testing.T) {
	ht := NewHandleTable()
	done := make(chan struct{})
	for g := 0; g < 8; g++ {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := 0; i < 500; i++ {
				e, _ := NewEvent(0)
				v, _ := ht.AddObject(e, DefaultEventRights)
				d, st := ht.Duplicate(v, RightSameRights)
				if st != OK {
					t.Error(st)
					return
				}
				if st := ht.CloseMany([]HandleValue{v, d}); st != OK {
					t.Error(st)
					return
				}
			}
		}()
	}
	for g := 0; g < 8; g++ {
		<-done
	}
	if ht.Count() != 0 {
		t.Fatalf("%d left", ht.Count())
	}
}
