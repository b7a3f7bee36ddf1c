package object

import (
	"errors"
	"testing"
)

func TestStatusValuesAndNames(t *testing.T) {
	cases := []struct {
		s    Status
		v    int32
		name string
	}{
		{OK, 0, "ZX_OK"},
		{ErrInternal, -1, "ZX_ERR_INTERNAL"},
		{ErrNotSupported, -2, "ZX_ERR_NOT_SUPPORTED"},
		{ErrNoResources, -3, "ZX_ERR_NO_RESOURCES"},
		{ErrNoMemory, -4, "ZX_ERR_NO_MEMORY"},
		{ErrInternalIntrRetry, -6, "ZX_ERR_INTERNAL_INTR_RETRY"},
		{ErrInvalidArgs, -10, "ZX_ERR_INVALID_ARGS"},
		{ErrBadHandle, -11, "ZX_ERR_BAD_HANDLE"},
		{ErrWrongType, -12, "ZX_ERR_WRONG_TYPE"},
		{ErrBadSyscall, -13, "ZX_ERR_BAD_SYSCALL"},
		{ErrOutOfRange, -14, "ZX_ERR_OUT_OF_RANGE"},
		{ErrBufferTooSmall, -15, "ZX_ERR_BUFFER_TOO_SMALL"},
		{ErrBadState, -20, "ZX_ERR_BAD_STATE"},
		{ErrTimedOut, -21, "ZX_ERR_TIMED_OUT"},
		{ErrShouldWait, -22, "ZX_ERR_SHOULD_WAIT"},
		{ErrCanceled, -23, "ZX_ERR_CANCELED"},
		{ErrPeerClosed, -24, "ZX_ERR_PEER_CLOSED"},
		{ErrNotFound, -25, "ZX_ERR_NOT_FOUND"},
		{ErrAlreadyExists, -26, "ZX_ERR_ALREADY_EXISTS"},
		{ErrAlreadyBound, -27, "ZX_ERR_ALREADY_BOUND"},
		{ErrUnavailable, -28, "ZX_ERR_UNAVAILABLE"},
		{ErrAccessDenied, -30, "ZX_ERR_ACCESS_DENIED"},
		{ErrIO, -40, "ZX_ERR_IO"},
		{ErrIOInvalid, -47, "ZX_ERR_IO_INVALID"},
		{ErrBadPath, -50, "ZX_ERR_BAD_PATH"},
		{ErrNoSpace, -54, "ZX_ERR_NO_SPACE"},
		{ErrStop, -60, "ZX_ERR_STOP"},
		{ErrProtocolNotSupp, -70, "ZX_ERR_PROTOCOL_NOT_SUPPORTED"},
		{ErrConnectionAborted, -76, "ZX_ERR_CONNECTION_ABORTED"},
		{ErrInternalIntrKilled, -502, "ZX_ERR_INTERNAL_INTR_KILLED"},
	}
	for _, c := range cases {
		if int32(c.s) != c.v || c.s.String() != c.name {
			t.Errorf("%d: got %d %q, want %d %q", c.v, int32(c.s), c.s, c.v, c.name)
		}
	}
	var err error = ErrBadHandle
	if !errors.Is(err, ErrBadHandle) || OK.Err() != nil || ErrTimedOut.Err() != ErrTimedOut {
		t.Error("Status as error")
	}
	if Status(-1000).String() != "zx_status_t(-1000)" {
		t.Error(Status(-1000).String())
	}
}

func TestRightsValues(t *testing.T) {
	bitsOf := map[Rights]int{
		RightDuplicate: 0, RightTransfer: 1, RightRead: 2, RightWrite: 3, RightExecute: 4,
		RightMap: 5, RightGetProperty: 6, RightSetProperty: 7, RightEnumerate: 8, RightDestroy: 9,
		RightSetPolicy: 10, RightGetPolicy: 11, RightSignal: 12, RightSignalPeer: 13, RightWait: 14,
		RightInspect: 15, RightManageJob: 16, RightManageProcess: 17, RightManageThread: 18,
		RightApplyProfile: 19, RightManageSocket: 20, RightOpChildren: 21, RightResize: 22,
		RightAttachVMO: 23, RightManageVMO: 24, RightSameRights: 31,
	}
	for r, b := range bitsOf {
		if r != 1<<b {
			t.Errorf("%v is %#x, want 1<<%d", r, uint32(r), b)
		}
	}
	// Spot checks against the numbers in zircon/rights.h.
	if RightsBasic != 0xc003 || DefaultEventRights != 0xd003 || DefaultChannelRights != 0xf00e ||
		DefaultPortRights != 0x800f || DefaultVMORights != 0xd0ef || DefaultVMARRights != 0x208003 {
		t.Errorf("groupings: basic %#x event %#x channel %#x port %#x vmo %#x vmar %#x",
			uint32(RightsBasic), uint32(DefaultEventRights), uint32(DefaultChannelRights),
			uint32(DefaultPortRights), uint32(DefaultVMORights), uint32(DefaultVMARRights))
	}
	if s := (RightRead | RightWrite | RightSameRights).String(); s != "READ|WRITE|SAME_RIGHTS" {
		t.Error(s)
	}
	if TypeEvent.DefaultRights() != DefaultEventRights || !TypeEvent.Waitable() || TypePort.Waitable() || TypeVMAR.Waitable() {
		t.Error("type table")
	}
}

func TestKoidsIncrease(t *testing.T) {
	a, _ := NewEvent(0)
	b, _ := NewEvent(0)
	if a.Koid() < KoidFirst || b.Koid() <= a.Koid() {
		t.Fatalf("koids %d, %d", a.Koid(), b.Koid())
	}
}

func TestNameProperty(t *testing.T) {
	e, _ := NewEvent(0)
	wantStatus(t, e.SetName("x"), ErrWrongType, "event has no name")
	var p struct{ Base }
	p.Init(TypeProcess, 0)
	mustOK(t, p.SetName("0123456789abcdef0123456789abcdefXYZ"), "SetName")
	if n, _ := p.Name(); n != "0123456789abcdef0123456789abcde" {
		t.Fatalf("name %q", n)
	}
	p.SetName("ab\x00cd")
	if n, _ := p.Name(); n != "ab" {
		t.Fatalf("name %q", n)
	}
}
