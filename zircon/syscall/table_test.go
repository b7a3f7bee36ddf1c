package syscall

import (
	"testing"

	. "quartz/zircon/object"
)

func TestNumbersAreFuchsias(t *testing.T) {
	// Spot checks against zx-syscall-numbers.h.
	for n, name := range map[Num]string{
		0:   "bti_create",
		7:   "channel_create",
		42:  "handle_close",
		66:  "object_get_info",
		74:  "object_wait_one",
		114: "socket_set_disposition",
		152: "thread_start",
		166: "vmar_map",
		170: "vmo_create",
		180: "vmo_write",
	} {
		if got := Name(n); got != name {
			t.Errorf("Name(%d) = %q, want %q", n, got, name)
		}
	}
	if Count != 181 {
		t.Errorf("Count = %d", Count)
	}
	for n := Num(0); n < Count; n++ {
		if Name(n) == "" {
			t.Errorf("syscall %d has no name", n)
		}
	}
	for n := VDSOBase; n < vdsoEnd; n++ {
		if Name(n) == "" || !Implemented(n) {
			t.Errorf("vDSO call %d: name %q, implemented %v", n, Name(n), Implemented(n))
		}
	}
	if Name(Count) != "" || Name(VDSOBase-1) != "" || Name(vdsoEnd) != "" {
		t.Error("names for numbers no syscall has")
	}
}

func TestUnknownNumberIsBadSyscall(t *testing.T) {
	e := newEnv(t)
	for _, n := range []uint64{uint64(Count), 999, uint64(vdsoEnd), 1 << 32, ^uint64(0)} {
		f := Frame{Num: n}
		if got := Status(int64(Dispatch(e.c, &f))); got != ErrBadSyscall {
			t.Errorf("syscall %#x: %v, want ZX_ERR_BAD_SYSCALL", n, got)
		}
	}
}

func TestKnownButAbsentIsNotSupported(t *testing.T) {
	e := newEnv(t)
	for _, n := range []Num{SysBTICreate, SysPagerCreate, SysVCPUCreate, SysStreamCreate, SysInterruptCreate} {
		if Implemented(n) {
			t.Errorf("%s is implemented", Name(n))
		}
		e.want(ErrNotSupported, n)
	}
}

func TestFamiliesAreImplemented(t *testing.T) {
	for _, n := range []Num{
		SysHandleClose, SysHandleCloseMany, SysHandleDuplicate, SysHandleReplace,
		SysObjectGetInfo, SysObjectGetProperty, SysObjectSetProperty, SysObjectSignal,
		SysObjectSignalPeer, SysObjectWaitOne, SysObjectWaitMany, SysObjectWaitAsync,
		SysObjectGetChild, SysEventCreate, SysEventPairCreate, SysPortCreate, SysPortQueue,
		SysPortWait, SysPortCancel, SysTimerCreate, SysTimerSet, SysTimerCancel,
		SysClockGetMonotonicViaKernel, SysClockCreate, SysClockRead, SysClockGetDetails,
		SysClockUpdate, SysFutexWait, SysFutexWake, SysFutexRequeue, SysChannelCreate,
		SysChannelRead, SysChannelReadEtc, SysChannelWrite, SysChannelWriteEtc,
		SysChannelCallNoRetry, SysChannelCallEtcNoRetry, SysSocketCreate, SysSocketRead,
		SysSocketWrite, SysSocketSetDisposition, SysFIFOCreate, SysFIFORead, SysFIFOWrite,
		SysVMOCreate, SysVMORead, SysVMOWrite, SysVMOGetSize, SysVMOSetSize, SysVMOCreateChild,
		SysVMOOpRange, SysVMOSetCachePolicy, SysVMARAllocate, SysVMARMap, SysVMARUnmap,
		SysVMARProtect, SysVMARDestroy, SysJobCreate, SysJobSetPolicy, SysJobSetCritical,
		SysProcessCreate, SysProcessStart, SysProcessExit, SysThreadCreate, SysThreadStart,
		SysThreadExit, SysTaskKill, SysDebuglogCreate, SysDebuglogWrite, SysDebuglogRead,
		SysNanosleep, SysDeadlineAfter, SysSystemGetPageSize,
	} {
		if !Implemented(n) {
			t.Errorf("%s (%d) is not implemented", Name(n), n)
		}
	}
}

// A handle argument is the register's low 32 bits, as Zircon's wrappers
// truncate it.
func TestHandleArgumentIsTruncated(t *testing.T) {
	e := newEnv(t)
	ev := e.event()
	e.ok(SysObjectSignal, 0xdead_0000_0000_0000|uint64(ev), 0, uint64(UserSignal0))
	if e.signals(ev)&UserSignal0 == 0 {
		t.Fatal("signal not set")
	}
}
