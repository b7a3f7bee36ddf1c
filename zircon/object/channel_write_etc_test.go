package object

import (
	"fmt"
	"testing"
)

// ChannelWriteEtcTest (zircon/system/utest/core/channel).

var handleOps = []HandleOp{HandleOpMove, HandleOpDuplicate}

// dispCloseResult is what closing the source handle gives after a write_etc,
// successful or not: a moved handle is gone, a duplicated one stays.
func dispCloseResult(op HandleOp) Status {
	if op == HandleOpDuplicate {
		return OK
	}
	return ErrBadHandle
}

func handleDisp(op HandleOp, v HandleValue, typ ObjType, rights Rights) HandleDisposition {
	return HandleDisposition{Operation: op, Handle: v, Type: typ, Rights: rights}
}

func chWriteEtc(ht *HandleTable, v HandleValue, ds ...HandleDisposition) Status {
	return ChannelWriteEtc(ht, v, 0, le32(0xbaadcafe), ds)
}

func readOneHandle(t *testing.T, ht *HandleTable, v HandleValue) HandleInfo {
	t.Helper()
	infos := make([]HandleInfo, 1)
	_, nh, st := ChannelReadEtc(ht, v, 0, make([]byte, 4), infos)
	mustOK(t, st, "read_etc")
	if nh != 1 {
		t.Fatalf("%d handles", nh)
	}
	return infos[0]
}

func TestChannelWriteEtcTest_MoveSuccess(t *testing.T) {
	ht := NewHandleTable()
	local, remote := newChannel(t, ht)
	ev := newEvent(t, ht)
	d := []HandleDisposition{handleDisp(HandleOpMove, ev, TypeEvent, DefaultEventRights)}
	mustOK(t, ChannelWriteEtc(ht, local, 0, nil, d), "write_etc")
	mustOK(t, d[0].Result, "result")
	wantStatus(t, ht.Close(ev), ErrBadHandle, "moved handle")
	info := readOneHandle(t, ht, remote)
	if info.Type != TypeEvent || info.Rights != DefaultEventRights {
		t.Fatalf("%+v", info)
	}
}

func TestChannelWriteEtcTest_DuplicateSuccess(t *testing.T) {
	ht := NewHandleTable()
	local, remote := newChannel(t, ht)
	ev := newEvent(t, ht)
	mustOK(t, chWriteEtc(ht, local, handleDisp(HandleOpDuplicate, ev, TypeEvent, DefaultEventRights)), "write_etc")
	mustOK(t, ht.CheckValid(ev), "source still valid")
	info := readOneHandle(t, ht, remote)
	if info.Type != TypeEvent || info.Rights != DefaultEventRights {
		t.Fatalf("%+v", info)
	}
}

func TestChannelWriteEtcTest_ReducedRightsSuccess(t *testing.T) {
	ht := NewHandleTable()
	local, remote := newChannel(t, ht)
	ev := newEvent(t, ht)
	reduced := DefaultEventRights &^ RightSignal
	mustOK(t, chWriteEtc(ht, local, handleDisp(HandleOpMove, ev, TypeEvent, reduced)), "write_etc")
	if info := readOneHandle(t, ht, remote); info.Rights != reduced {
		t.Fatalf("%+v", info)
	}
	if ht.Count() != 3 {
		t.Fatalf("%d handles: the original was not closed", ht.Count())
	}
}

// failedWriteEtc checks a one-handle write_etc that fails with want.
func failedWriteEtc(t *testing.T, ht *HandleTable, ch HandleValue, d HandleDisposition, want Status) {
	t.Helper()
	ds := []HandleDisposition{d}
	wantStatus(t, ChannelWriteEtc(ht, ch, 0, le32(1), ds), want, "write_etc")
	wantStatus(t, ds[0].Result, want, "result")
}

func TestChannelWriteEtcTest_InvalidOperationFailure(t *testing.T) {
	ht := NewHandleTable()
	local, _ := newChannel(t, ht)
	ev := newEvent(t, ht)
	failedWriteEtc(t, ht, local, handleDisp(9999, ev, TypeEvent, DefaultEventRights), ErrInvalidArgs)
	wantStatus(t, ht.Close(ev), ErrBadHandle, "not DUPLICATE: closed anyway")
}

func TestChannelWriteEtcTest_WrongTypeFailure(t *testing.T) {
	ht := NewHandleTable()
	local, _ := newChannel(t, ht)
	ev := newEvent(t, ht)
	failedWriteEtc(t, ht, local, handleDisp(HandleOpMove, ev, TypeVMO, DefaultEventRights), ErrWrongType)
	wantStatus(t, ht.Close(ev), ErrBadHandle, "closed")
}

func TestChannelWriteEtcTest_MissingTransferRightFailure(t *testing.T) {
	ht := NewHandleTable()
	local, _ := newChannel(t, ht)
	ev := newEvent(t, ht)
	r := DefaultEventRights &^ RightTransfer
	dup, _ := ht.Duplicate(ev, r)
	failedWriteEtc(t, ht, local, handleDisp(HandleOpMove, dup, TypeEvent, r), ErrAccessDenied)
	wantStatus(t, ht.Close(dup), ErrBadHandle, "closed")
}

func TestChannelWriteEtcTest_MissingDuplicateRightFailure(t *testing.T) {
	ht := NewHandleTable()
	local, _ := newChannel(t, ht)
	ev := newEvent(t, ht)
	r := DefaultEventRights &^ RightDuplicate
	dup, _ := ht.Duplicate(ev, r)
	failedWriteEtc(t, ht, local, handleDisp(HandleOpDuplicate, dup, TypeEvent, r), ErrAccessDenied)
	mustOK(t, ht.CheckValid(dup), "DUPLICATE source stays")
}

func TestChannelWriteEtcTest_ExpandedRightsFailure(t *testing.T) {
	ht := NewHandleTable()
	local, _ := newChannel(t, ht)
	ev := newEvent(t, ht)
	dup, _ := ht.Duplicate(ev, DefaultEventRights&^RightSignal)
	failedWriteEtc(t, ht, local, handleDisp(HandleOpMove, dup, TypeEvent, DefaultEventRights), ErrInvalidArgs)
	wantStatus(t, ht.Close(dup), ErrBadHandle, "closed")
}

func TestChannelWriteEtcTest_TransferSelfFailure(t *testing.T) {
	ht := NewHandleTable()
	local, _ := newChannel(t, ht)
	failedWriteEtc(t, ht, local, handleDisp(HandleOpMove, local, TypeChannel, DefaultChannelRights), ErrNotSupported)
	wantStatus(t, ht.Close(local), ErrBadHandle, "closed")
}

func TestChannelWriteEtcTest_MultipleHandlesSomeInvalidResultsReportedCorrectly(t *testing.T) {
	ht := NewHandleTable()
	local, _ := newChannel(t, ht)
	argLocal, _ := newChannel(t, ht)
	sa, sb := newSocket(t, ht, SocketStream)
	ev := newEvent(t, ht)
	ds := []HandleDisposition{
		handleDisp(HandleOpMove, sa, TypePort, RightSameRights),
		handleDisp(HandleOpMove, sb, TypeNone, RightSameRights),
		handleDisp(HandleOpDuplicate, argLocal, TypeNone, RightSameRights), // channels lack DUPLICATE
		handleDisp(HandleOpMove, ev, TypeNone, RightSameRights),
	}
	wantStatus(t, ChannelWriteEtc(ht, local, 0, le32(1), ds), ErrWrongType, "write_etc")
	want := []Status{ErrWrongType, OK, ErrAccessDenied, OK}
	for i, w := range want {
		wantStatus(t, ds[i].Result, w, fmt.Sprintf("result %d", i))
	}
	mustOK(t, ht.Close(argLocal), "the DUPLICATE source stays")
}

func TestChannelWriteEtcTest_ImproperlyInitalizedResultsArgReportedBackAsOriginallyInitalized(t *testing.T) {
	ht := NewHandleTable()
	local, _ := newChannel(t, ht)
	ev := newEvent(t, ht)
	ds := []HandleDisposition{{Operation: HandleOpMove, Handle: ev, Rights: RightSameRights, Result: ErrWrongType}}
	mustOK(t, ChannelWriteEtc(ht, local, 0, le32(1), ds), "write_etc")
	wantStatus(t, ds[0].Result, ErrWrongType, "result untouched on success")
}

func TestChannelWriteEtcTest_FailureDoesNotResultInReceivedPacket(t *testing.T) {
	ht := NewHandleTable()
	local, remote := newChannel(t, ht)
	ev := newEvent(t, ht)
	wantStatus(t, chWriteEtc(ht, local, handleDisp(HandleOpMove, ev, TypeSocket, RightSameRights)), ErrWrongType, "write_etc")
	_, _, st := chRead(ht, remote, 4, 1)
	wantStatus(t, st, ErrShouldWait, "read")
}

func TestChannelWriteEtcTest_SentHandleReferrsToSameObject(t *testing.T) {
	for _, op := range handleOps {
		ht := NewHandleTable()
		local, remote := newChannel(t, ht)
		ev := newEvent(t, ht)
		before, _ := ht.BasicInfo(ev)
		mustOK(t, chWriteEtc(ht, local, handleDisp(op, ev, TypeNone, RightSameRights)), "write_etc")
		wantStatus(t, ht.Close(ev), dispCloseResult(op), "close source")
		_, hs, st := chRead(ht, remote, 4, 1)
		mustOK(t, st, "read")
		after, _ := ht.BasicInfo(hs[0])
		if after.Koid != before.Koid || after.Rights != before.Rights || after.Type != before.Type {
			t.Fatalf("op %d: %+v, sent %+v", op, after, before)
		}
	}
}

func TestChannelWriteEtcTest_InvalidOpArgShouldFail(t *testing.T) {
	for _, op := range []HandleOp{0xffffffff, 2} {
		ht := NewHandleTable()
		sa, _ := newSocket(t, ht, SocketStream)
		local, _ := newChannel(t, ht)
		wantStatus(t, chWriteEtc(ht, local, handleDisp(op, sa, TypeNone, RightSameRights)), ErrInvalidArgs, "write_etc")
		wantStatus(t, ht.Close(sa), ErrBadHandle, "close")
	}
}

func TestChannelWriteEtcTest_HandleArgNotAChannelHandleShouldFail(t *testing.T) {
	for _, op := range handleOps {
		ht := NewHandleTable()
		sa, sb := newSocket(t, ht, SocketStream)
		wantStatus(t, chWriteEtc(ht, sa, handleDisp(op, sb, TypeNone, RightSameRights)), ErrWrongType, "write_etc on a socket")
		mustOK(t, ht.Close(sa), "close")
		wantStatus(t, ht.Close(sb), dispCloseResult(op), "close sent")
	}
}

func TestChannelWriteEtcTest_ChannelHandleNotValidShouldFail(t *testing.T) {
	for _, op := range handleOps {
		ht := NewHandleTable()
		sa, _ := newSocket(t, ht, SocketStream)
		local, _ := newChannel(t, ht)
		ht.Close(local)
		wantStatus(t, chWriteEtc(ht, local, handleDisp(op, sa, TypeNone, RightSameRights)), ErrBadHandle, "write_etc")
		wantStatus(t, ht.Close(sa), dispCloseResult(op), "close sent")
	}
}

func TestChannelWriteEtcTest_ChannelHandleWithoutWriteRightShouldFail(t *testing.T) {
	for _, op := range handleOps {
		ht := NewHandleTable()
		sa, _ := newSocket(t, ht, SocketStream)
		local, _ := newChannel(t, ht)
		noWrite, st := ht.Replace(local, DefaultChannelRights&^RightWrite)
		mustOK(t, st, "replace")
		wantStatus(t, chWriteEtc(ht, noWrite, handleDisp(op, sa, TypeNone, RightSameRights)), ErrAccessDenied, "write_etc")
		wantStatus(t, ht.Close(sa), dispCloseResult(op), "close sent")
	}
}

func TestChannelWriteEtcTest_HandleWithoutTransferRightShouldFail(t *testing.T) {
	for _, op := range handleOps {
		ht := NewHandleTable()
		local, _ := newChannel(t, ht)
		sa, _ := newSocket(t, ht, SocketStream)
		nt, _ := ht.Replace(sa, DefaultSocketRights&^RightTransfer)
		wantStatus(t, chWriteEtc(ht, local, handleDisp(op, nt, TypeNone, RightSameRights)), ErrAccessDenied, "write_etc")
		wantStatus(t, ht.Close(nt), dispCloseResult(op), "close sent")
	}
}

func TestChannelWriteEtcTest_InvalidHandleInTransferredHandlesShouldFail(t *testing.T) {
	ht := NewHandleTable()
	sa, _ := newSocket(t, ht, SocketStream)
	ht.Close(sa)
	for _, bad := range []HandleValue{sa, HandleInvalid, 0xffffffff} {
		local, _ := newChannel(t, ht)
		wantStatus(t, chWriteEtc(ht, local, handleDisp(HandleOpDuplicate, bad, TypeNone, RightSameRights)), ErrBadHandle,
			fmt.Sprintf("write_etc %#x", bad))
	}
}

func TestChannelWriteEtcTest_RepeatedHandlesWithOpMoveHandlesShouldFail(t *testing.T) {
	ht := NewHandleTable()
	local, _ := newChannel(t, ht)
	sa, _ := newSocket(t, ht, SocketStream)
	d := handleDisp(HandleOpMove, sa, TypeNone, RightSameRights)
	wantStatus(t, chWriteEtc(ht, local, d, d), ErrBadHandle, "write_etc")
	wantStatus(t, ht.Close(sa), ErrBadHandle, "close")
}

func TestChannelWriteEtcTest_DuplicateHandlesInTransferredHandlesShouldSucceed(t *testing.T) {
	for _, op := range handleOps {
		ht := NewHandleTable()
		local, _ := newChannel(t, ht)
		sa, _ := newSocket(t, ht, SocketStream)
		sd, _ := ht.Duplicate(sa, RightSameRights)
		mustOK(t, chWriteEtc(ht, local, handleDisp(op, sa, TypeNone, RightSameRights), handleDisp(op, sd, TypeNone, RightSameRights)), "write_etc")
		wantStatus(t, ht.Close(sa), dispCloseResult(op), "close")
		wantStatus(t, ht.Close(sd), dispCloseResult(op), "close dup")
	}
}

func TestChannelWriteEtcTest_HandleDoesNotMatchTypeShouldFail(t *testing.T) {
	for typ := ObjType(0); typ < 256; typ++ {
		if typ == TypeSocket || typ == TypeNone {
			continue
		}
		for _, op := range handleOps {
			ht := NewHandleTable()
			sa, _ := newSocket(t, ht, SocketStream)
			local, _ := newChannel(t, ht)
			wantStatus(t, chWriteEtc(ht, local, handleDisp(op, sa, typ, RightSameRights)), ErrWrongType, fmt.Sprintf("type %d", typ))
			wantStatus(t, ht.Close(sa), dispCloseResult(op), "close")
		}
	}
}

func TestChannelWriteEtcTest_OptionsArgNonZeroShouldFail(t *testing.T) {
	for _, op := range handleOps {
		ht := NewHandleTable()
		sa, _ := newSocket(t, ht, SocketStream)
		local, _ := newChannel(t, ht)
		ds := []HandleDisposition{handleDisp(op, sa, TypeNone, RightSameRights)}
		wantStatus(t, ChannelWriteEtc(ht, local, 1, le32(1), ds), ErrInvalidArgs, "write_etc")
		wantStatus(t, ht.Close(sa), dispCloseResult(op), "close")
	}
}

func TestChannelWriteEtcTest_ChannelHandleInTransferredHandlesShouldFail(t *testing.T) {
	for _, op := range handleOps {
		ht := NewHandleTable()
		local, remote := newChannel(t, ht)
		wantStatus(t, chWriteEtc(ht, local, handleDisp(op, local, TypeNone, RightSameRights)), ErrNotSupported, "write_etc")
		wantStatus(t, ht.Close(local), dispCloseResult(op), "close")
		mustOK(t, ht.Close(remote), "close remote")
	}
}

func TestChannelWriteEtcTest_OppositeChannelEndClosedShouldFail(t *testing.T) {
	for _, op := range handleOps {
		ht := NewHandleTable()
		sa, _ := newSocket(t, ht, SocketStream)
		local, remote := newChannel(t, ht)
		ht.Close(remote)
		wantStatus(t, chWriteEtc(ht, local, handleDisp(op, sa, TypeNone, RightSameRights)), ErrPeerClosed, "write_etc")
		wantStatus(t, ht.Close(sa), dispCloseResult(op), "close")
	}
}

func TestChannelWriteEtcTest_HandleCountBoundaryChecks(t *testing.T) {
	for _, op := range handleOps {
		for _, c := range []struct {
			n    int
			want Status
		}{{0, OK}, {ChannelMaxMsgHandles, OK}, {ChannelMaxMsgHandles + 1, ErrOutOfRange}} {
			ht := NewHandleTable()
			local, _ := newChannel(t, ht)
			var ds []HandleDisposition
			for i := 0; i < c.n; i++ {
				ds = append(ds, handleDisp(op, newEvent(t, ht), TypeNone, RightSameRights))
			}
			wantStatus(t, ChannelWriteEtc(ht, local, 0, le32(1), ds), c.want, fmt.Sprintf("op %d, %d handles", op, c.n))
			for _, d := range ds {
				wantStatus(t, ht.Close(d.Handle), dispCloseResult(op), "close")
			}
		}
	}
}

func TestChannelWriteEtcTest_HandleCountAndDataCountBothZeroShouldSucceed(t *testing.T) {
	ht := NewHandleTable()
	local, remote := newChannel(t, ht)
	mustOK(t, ChannelWriteEtc(ht, local, 0, nil, nil), "write_etc")
	data, hs, st := chRead(ht, remote, 0, 0)
	mustOK(t, st, "read the empty message")
	if len(data) != 0 || len(hs) != 0 {
		t.Fatal("not empty")
	}
}

func TestChannelWriteEtcTest_MaximumNumberHandlesWithZeroCountArrayArgShouldSucceed(t *testing.T) {
	ht := NewHandleTable()
	local, _ := newChannel(t, ht)
	var ds []HandleDisposition
	for i := 0; i < ChannelMaxMsgHandles; i++ {
		ds = append(ds, handleDisp(HandleOpMove, newEvent(t, ht), TypeNone, RightSameRights))
	}
	// num_handles is 0: the array is not looked at.
	mustOK(t, ChannelWriteEtc(ht, local, 0, le32(1), ds[:0]), "write_etc")
	for _, d := range ds {
		mustOK(t, ht.Close(d.Handle), "untouched")
	}
}

func TestChannelWriteEtcTest_ByteCountIsMaxShouldSucceed(t *testing.T) {
	ht := NewHandleTable()
	local, _ := newChannel(t, ht)
	mustOK(t, ChannelWriteEtc(ht, local, 0, make([]byte, ChannelMaxMsgBytes), nil), "write_etc")
}

func TestChannelWriteEtcTest_ByteCountIsMaxPlusOneShouldFail(t *testing.T) {
	ht := NewHandleTable()
	local, _ := newChannel(t, ht)
	wantStatus(t, ChannelWriteEtc(ht, local, 0, make([]byte, ChannelMaxMsgBytes+1), nil), ErrOutOfRange, "write_etc")
}

// rightsSent writes a socket handle with op and rights and returns the
// rights the reader got.
func rightsSent(t *testing.T, op HandleOp, rights func(Rights) Rights) (sent, got Rights) {
	t.Helper()
	ht := NewHandleTable()
	local, remote := newChannel(t, ht)
	sa, _ := newSocket(t, ht, SocketStream)
	before, _ := ht.BasicInfo(sa)
	sent = rights(before.Rights)
	mustOK(t, chWriteEtc(ht, local, handleDisp(op, sa, TypeNone, sent)), "write_etc")
	_, hs, st := chRead(ht, remote, 4, 1)
	mustOK(t, st, "read")
	after, _ := ht.BasicInfo(hs[0])
	if after.Type != TypeSocket {
		t.Fatalf("%+v", after)
	}
	if op == HandleOpDuplicate {
		if orig, _ := ht.BasicInfo(sa); orig.Rights != before.Rights {
			t.Fatal("source rights changed")
		}
	}
	wantStatus(t, ht.Close(sa), dispCloseResult(op), "close source")
	if sent == RightSameRights {
		sent = before.Rights
	}
	return sent, after.Rights
}

func TestChannelWriteEtcTest_RemoveAllHandleRightsShouldSucceed(t *testing.T) {
	for _, op := range handleOps {
		if _, got := rightsSent(t, op, func(Rights) Rights { return RightNone }); got != RightNone {
			t.Fatalf("op %d: rights %v", op, got)
		}
	}
}

func TestChannelWriteEtcTest_RemovingSomeHandleRightsShouldSucceed(t *testing.T) {
	for _, op := range handleOps {
		if want, got := rightsSent(t, op, func(r Rights) Rights { return r &^ RightWrite }); got != want {
			t.Fatalf("op %d: rights %v, want %v", op, got, want)
		}
	}
}

func TestChannelWriteEtcTest_SameHandleRightsBitsShouldSucceed(t *testing.T) {
	for _, op := range handleOps {
		if want, got := rightsSent(t, op, func(r Rights) Rights { return r }); got != want {
			t.Fatalf("op %d: rights %v, want %v", op, got, want)
		}
	}
}

func TestChannelWriteEtcTest_SameHandleRightsFlagShouldSucceed(t *testing.T) {
	for _, op := range handleOps {
		if want, got := rightsSent(t, op, func(Rights) Rights { return RightSameRights }); got != want {
			t.Fatalf("op %d: rights %v, want %v", op, got, want)
		}
	}
}

func TestChannelWriteEtcTest_HandleWithoutDuplicateRightsMoveOpSucceedsDuplicateOpFails(t *testing.T) {
	for _, c := range []struct {
		op         HandleOp
		write, cls Status
	}{{HandleOpMove, OK, ErrBadHandle}, {HandleOpDuplicate, ErrAccessDenied, OK}} {
		ht := NewHandleTable()
		local, _ := newChannel(t, ht)
		sa, _ := newSocket(t, ht, SocketStream)
		nd, _ := ht.Duplicate(sa, DefaultSocketRights&^RightDuplicate)
		wantStatus(t, chWriteEtc(ht, local, handleDisp(c.op, nd, TypeNone, RightSameRights)), c.write, "write_etc")
		wantStatus(t, ht.Close(nd), c.cls, "close")
	}
}

func TestChannelWriteEtcTest_DispositionMarshal(t *testing.T) {
	d := HandleDisposition{Operation: HandleOpDuplicate, Handle: 0x1234, Type: TypeSocket, Rights: RightRead, Result: ErrWrongType}
	b := d.Marshal()
	if back := UnmarshalHandleDisposition(b[:]); back != d || len(b) != 20 {
		t.Fatalf("% x -> %+v", b, back)
	}
}
