package object

import (
	"bytes"
	"testing"
)

// Ports of Fuchsia's core-tests process/process.cc (ProcessTest) and
// process_debug.cc. Threads run Go bodies in place of mini-process.

func TestProcessTest_LongNameSucceeds(t *testing.T) {
	e := newTaskEnv(t)
	long := "0123456789012345678901234567890123456789" + "0123456789012345678901234567890123456789"
	p, _, st := ProcessCreate(e.self, e.jobV, long, 0)
	mustOK(t, st, "create")
	name := make([]byte, MaxNameLen)
	mustOK(t, ObjectGetProperty(e.self, p, PropName, name), "get name")
	if cString(name) != long[:MaxNameLen-1] {
		t.Fatalf("name %q", cString(name))
	}
}

func TestProcessTest_EmptyNameSucceeds(t *testing.T) {
	e := newTaskEnv(t)
	p, _, st := ProcessCreate(e.self, e.jobV, "", 0)
	mustOK(t, st, "create")
	name := make([]byte, MaxNameLen)
	mustOK(t, ObjectGetProperty(e.self, p, PropName, name), "get name")
	if cString(name) != "" {
		t.Fatalf("name %q", name)
	}
	_, _, st = ProcessCreate(e.self, e.jobV, "x", 1)
	wantStatus(t, st, ErrInvalidArgs, "options")
}

func TestProcessTest_MiniProcessSanity(t *testing.T) {
	e := newTaskEnv(t)
	ev, _ := NewEvent(0)
	evv, _ := e.self.AddHandle(ev, DefaultEventRights)
	proc, vmar, st := ProcessCreate(e.self, e.jobV, "mini-p", 0)
	mustOK(t, st, "create")
	thread, st := ThreadCreate(e.self, proc, "mini-p", 0)
	mustOK(t, st, "thread")
	got := make(chan uint64, 1)
	th, _, _ := lookup[*Thread](e.self, thread, 0)
	th.SetRunner(func(t *Thread, en ThreadEntry) {
		// The body sees its argument handle in its own process's table.
		h, st := t.Process().Handles().Get(HandleValue(en.Arg1), TypeEvent, 0)
		if st == OK {
			ObjectSignal(h, 0, EventSignaled)
		}
		got <- en.Arg1
	})
	mustOK(t, ProcessStart(e.self, proc, thread, UserAspaceBase+PageSize, UserAspaceBase, evv, 7), "start")
	if _, st := e.self.Handles().Get(evv, TypeNone, 0); st != ErrBadHandle {
		t.Error("argument handle still in the caller's table")
	}
	if arg := <-got; arg == 0 {
		t.Fatal("no argument handle")
	}
	if ev.Signals()&EventSignaled == 0 {
		t.Fatal("body could not use its handle")
	}
	// The body returned: the last thread ended, and the process with it.
	e.wait(proc, ProcessTerminated)
	if pi := e.procInfo(proc); pi.ReturnCode != 0 || pi.Flags != InfoProcessFlagStarted|InfoProcessFlagExited {
		t.Fatalf("info %+v", pi)
	}
	e.close(vmar)
}

func TestProcessTest_ProcessStartNoHandle(t *testing.T) {
	e := newTaskEnv(t)
	proc, _, _ := ProcessCreate(e.self, e.jobV, "test-no-handles", 0)
	thread, _ := ThreadCreate(e.self, proc, "test-no-handles", 0)
	th, _, _ := lookup[*Thread](e.self, thread, 0)
	th.SetRunner(func(t *Thread, en ThreadEntry) { t.Process().Exit(int64(en.Arg1)) })
	mustOK(t, ProcessStart(e.self, proc, thread, UserAspaceBase, UserAspaceBase, HandleInvalid, 0), "start")
	if got := e.wait(proc, TaskTerminated); got != TaskTerminated {
		t.Fatalf("signals %v", got)
	}
	if pi := e.procInfo(proc); pi.ReturnCode != int64(HandleInvalid) {
		t.Fatalf("return code %d", pi.ReturnCode)
	}
}

func TestProcessTest_ProcessStartNonUserspaceEntry(t *testing.T) {
	e := newTaskEnv(t)
	for _, pc := range []uint64{1, 0xffffff8000000000, 1 << 47} {
		proc, _, _ := ProcessCreate(e.self, e.jobV, "test-noncanonical-entry", 0)
		thread, _ := ThreadCreate(e.self, proc, "t", 0)
		wantStatus(t, ProcessStart(e.self, proc, thread, pc, UserAspaceBase, HandleInvalid, 0), ErrInvalidArgs, "entry")
	}
}

func TestProcessTest_ProcessStartFail(t *testing.T) {
	e := newTaskEnv(t)
	proc, thread, st := e.startProc(e.jobV, nil)
	mustOK(t, st, "start")
	other, _ := ThreadCreate(e.self, proc, "test", 0)
	ev2 := newEvent(t, e.self.Handles())
	wantStatus(t, ProcessStart(e.self, proc, other, UserAspaceBase, 0, ev2, 0), ErrBadState, "second start")
	if _, st := e.self.Handles().Get(ev2, TypeNone, 0); st != ErrBadHandle {
		t.Error("the transferred handle was not consumed")
	}
	// A thread of another process.
	p2, _, _ := ProcessCreate(e.self, e.jobV, "p2", 0)
	wantStatus(t, ProcessStart(e.self, p2, thread, UserAspaceBase, 0, HandleInvalid, 0), ErrAccessDenied, "foreign thread")
	// A handle without TRANSFER.
	p3, _, _ := ProcessCreate(e.self, e.jobV, "p3", 0)
	t3, _ := ThreadCreate(e.self, p3, "t", 0)
	ev3 := newEvent(t, e.self.Handles())
	ev3d, _ := e.self.Handles().Replace(ev3, DefaultEventRights&^RightTransfer)
	wantStatus(t, ProcessStart(e.self, p3, t3, UserAspaceBase, 0, ev3d, 0), ErrAccessDenied, "no TRANSFER")
}

func TestProcessTest_ProcessNotKilledViaThreadClose(t *testing.T) {
	e := newTaskEnv(t)
	proc, thread, st := e.startProc(e.jobV, nil)
	mustOK(t, st, "start")
	e.close(thread)
	_, st = waitOne(e.self.Handles(), proc, TaskTerminated, DeadlineAfter(msec(1)))
	wantStatus(t, st, ErrTimedOut, "process alive")
}

func TestProcessTest_ProcessNotKilledViaProcessClose(t *testing.T) {
	e := newTaskEnv(t)
	proc, thread, st := e.startProc(e.jobV, nil)
	mustOK(t, st, "start")
	e.close(proc)
	_, st = waitOne(e.self.Handles(), thread, TaskTerminated, DeadlineAfter(msec(1)))
	wantStatus(t, st, ErrTimedOut, "thread alive")
}

// TestProcessTest_KillHandleCycle: two processes holding each other's
// handles keep each other alive; only their job can end them (the
// channel of Fuchsia's KillChannelHandleCycle is the processes' own
// handle tables here).
func TestProcessTest_KillHandleCycle(t *testing.T) {
	e := newTaskEnv(t)
	job := e.jobCreate(e.jobV)
	p1, t1, st := e.startProc(job, nil)
	mustOK(t, st, "start 1")
	p2, t2, st := e.startProc(job, nil)
	mustOK(t, st, "start 2")
	o1, _, _ := lookup[*Process](e.self, p1, 0)
	o2, _, _ := lookup[*Process](e.self, p2, 0)
	o1.AddHandle(o2, DefaultProcessRights)
	o2.AddHandle(o1, DefaultProcessRights)
	e.close(p1)
	e.close(p2)
	for _, th := range []HandleValue{t1, t2} {
		_, st := waitOne(e.self.Handles(), th, TaskTerminated, DeadlineAfter(msec(20)))
		wantStatus(t, st, ErrTimedOut, "alive")
	}
	mustOK(t, TaskKill(e.self, job), "kill the job")
	e.wait(t2, TaskTerminated)
	e.wait(t1, TaskTerminated)
	e.wait(job, TaskTerminated)
}

func TestProcessTest_InfoReflectsProcessState(t *testing.T) {
	e := newTaskEnv(t)
	job := e.jobCreate(e.jobV)
	proc, _, _ := ProcessCreate(e.self, job, "ttp", 0)
	e.close(job)
	thread, _ := ThreadCreate(e.self, proc, "th", 0)
	if pi := e.procInfo(proc); pi.Flags != 0 || pi.ReturnCode != 0 {
		t.Fatalf("new process %+v", pi)
	}
	mustOK(t, ProcessStart(e.self, proc, thread, UserAspaceBase, 0, HandleInvalid, 0), "start")
	_, st := waitOne(e.self.Handles(), proc, TaskTerminated, DeadlineAfter(msec(20)))
	wantStatus(t, st, ErrTimedOut, "running")
	if pi := e.procInfo(proc); pi.Flags != InfoProcessFlagStarted || pi.StartTime == 0 {
		t.Fatalf("started process %+v", pi)
	}
	mustOK(t, TaskKill(e.self, proc), "kill")
	if got := e.wait(proc, TaskTerminated); got != TaskTerminated {
		t.Fatalf("signals %v", got)
	}
	pi := e.procInfo(proc)
	if pi.Flags != InfoProcessFlagStarted|InfoProcessFlagExited || pi.ReturnCode != TaskRetcodeSyscallKill {
		t.Fatalf("killed process %+v", pi)
	}
}

// TestProcessTest_KillBeforeStart: a process killed before it starts is
// dead at once, its unstarted threads too; it cannot start after.
func TestProcessTest_KillBeforeStart(t *testing.T) {
	e := newTaskEnv(t)
	job := e.jobCreate(e.jobV)
	proc, _, _ := ProcessCreate(e.self, job, "p", 0)
	thread, _ := ThreadCreate(e.self, proc, "t", 0)
	mustOK(t, TaskKill(e.self, proc), "kill")
	e.wait(proc, TaskTerminated)
	e.wait(thread, ThreadTerminated)
	if pi := e.procInfo(proc); pi.Flags != InfoProcessFlagExited || pi.ReturnCode != TaskRetcodeSyscallKill {
		t.Fatalf("info %+v", pi)
	}
	wantStatus(t, ProcessStart(e.self, proc, thread, UserAspaceBase, 0, HandleInvalid, 0), ErrBadState, "start dead")
	_, st := ThreadCreate(e.self, proc, "t2", 0)
	wantStatus(t, st, ErrBadState, "thread in a dead process")
	// Its handles were closed and its job forgot it.
	if ks := e.koids(job, InfoJobProcesses); len(ks) != 0 {
		t.Fatalf("job still lists %v", ks)
	}
}

// TestProcessTest_UnstartedProcessDiesWithLastHandle: a process never
// started goes when its last handle does, and leaves its job.
func TestProcessTest_UnstartedProcessDiesWithLastHandle(t *testing.T) {
	e := newTaskEnv(t)
	job := e.jobCreate(e.jobV)
	proc, vmar, _ := ProcessCreate(e.self, job, "p", 0)
	if ks := e.koids(job, InfoJobProcesses); len(ks) != 1 {
		t.Fatalf("processes %v", ks)
	}
	e.close(proc)
	if ks := e.koids(job, InfoJobProcesses); len(ks) != 0 {
		t.Fatalf("processes %v after the last handle", ks)
	}
	// Its root VMAR handle outlives it, to no effect.
	_, st := VmarMap(e.self, vmar, VmPermRead, 0, e.vmo(PageSize, 0), 0, PageSize)
	wantStatus(t, st, ErrBadState, "map into a dead process")
}

// TestProcessTest_ExitCode: zx_process_exit's code is the return code,
// the first of several exits or kills wins, and the other threads die.
func TestProcessTest_ExitCode(t *testing.T) {
	e := newTaskEnv(t)
	proc, _, _ := ProcessCreate(e.self, e.jobV, "p", 0)
	p, _, _ := lookup[*Process](e.self, proc, 0)
	waiter, _ := p.CreateThread("waiter", 0)
	exiter, _ := p.CreateThread("exiter", 0)
	go1 := make(chan struct{})
	exiter.SetRunner(func(t *Thread, _ ThreadEntry) {
		<-go1
		t.Process().Exit(42)
		t.Process().Kill(TaskRetcodeSyscallKill)
	})
	mustOK(t, p.Start(waiter, ThreadEntry{PC: UserAspaceBase}, nil), "start")
	mustOK(t, exiter.Start(ThreadEntry{PC: UserAspaceBase}), "start second")
	close(go1)
	e.wait(proc, TaskTerminated)
	if pi := e.procInfo(proc); pi.ReturnCode != 42 {
		t.Fatalf("return code %d", pi.ReturnCode)
	}
	if waiter.Info().State != ThreadStateDead || exiter.Info().State != ThreadStateDead {
		t.Fatal("threads alive after exit")
	}
}

func TestProcessTest_GetInfoThreadsAndChild(t *testing.T) {
	e := newTaskEnv(t)
	proc, _, _ := ProcessCreate(e.self, e.jobV, "p", 0)
	var ths []HandleValue
	for i := 0; i < 3; i++ {
		th, _ := ThreadCreate(e.self, proc, "t", 0)
		ths = append(ths, th)
	}
	ks := e.koids(proc, InfoProcessThreads)
	if len(ks) != 3 || ks[0] != e.koid(ths[0]) || ks[2] != e.koid(ths[2]) {
		t.Fatalf("threads %v", ks)
	}
	// A short buffer gets what fits, and the count of all.
	b := make([]byte, 8)
	n, avail, st := ObjectGetInfo(e.self, proc, InfoProcessThreads, b)
	if st != OK || n != 1 || avail != 3 {
		t.Fatalf("short buffer: %d of %d, %v", n, avail, st)
	}
	tv, st := ObjectGetChild(e.self, proc, ks[1], RightSameRights)
	mustOK(t, st, "get_child thread")
	if e.koid(tv) != ks[1] {
		t.Fatal("wrong thread")
	}
	// An unstarted thread whose handles are all closed leaves.
	e.close(ths[0])
	if ks := e.koids(proc, InfoProcessThreads); len(ks) != 2 {
		t.Fatalf("threads %v after closing an unstarted one", ks)
	}
}

func TestProcessDebugTest_ReadWriteMemory(t *testing.T) {
	e := newTaskEnv(t)
	proc, vmar := e.newProc()
	vmo := e.vmo(2*PageSize, 0)
	addr, st := VmarMap(e.self, vmar, VmPermRead, 0, vmo, 0, 2*PageSize)
	mustOK(t, st, "map")
	// The debugger writes through a read-only mapping.
	n, st := ProcessWriteMemory(e.self, proc, addr+PageSize-2, []byte("abcd"))
	if st != OK || n != 4 {
		t.Fatalf("write_memory: %d, %v", n, st)
	}
	b := make([]byte, 4)
	mustOK(t, e.vmoRead(vmo, b, PageSize-2), "vmo_read")
	if !bytes.Equal(b, []byte("abcd")) {
		t.Fatalf("VMO holds %q", b)
	}
	// Reading past the end of the mapping is cut short.
	big := make([]byte, 3*PageSize)
	n, st = ProcessReadMemory(e.self, proc, addr, big)
	if st != OK || n != 2*PageSize {
		t.Fatalf("read past the mapping: %d, %v", n, st)
	}
	_, st = ProcessReadMemory(e.self, proc, addr, nil)
	wantStatus(t, st, ErrInvalidArgs, "empty buffer")
	d, _ := e.self.Handles().Duplicate(proc, RightRead)
	_, st = ProcessReadMemory(e.self, d, addr, b)
	wantStatus(t, st, ErrAccessDenied, "without WRITE")
}

func TestProcessTest_Properties(t *testing.T) {
	e := newTaskEnv(t)
	proc, _ := e.newProc()
	b := make([]byte, 8)
	mustOK(t, ObjectGetProperty(e.self, proc, PropProcessDebugAddr, b), "get debug addr")
	if getU64(b, 0) != 0 {
		t.Fatal("debug addr not 0")
	}
	wantStatus(t, ObjectSetProperty(e.self, proc, PropProcessDebugAddr, u64bytes(0)), ErrInvalidArgs, "set 0")
	mustOK(t, ObjectSetProperty(e.self, proc, PropProcessDebugAddr, u64bytes(ProcessDebugAddrBreakOnSet)), "break on set")
	mustOK(t, ObjectSetProperty(e.self, proc, PropProcessDebugAddr, u64bytes(0x1000)), "set")
	wantStatus(t, ObjectSetProperty(e.self, proc, PropProcessDebugAddr, u64bytes(0x2000)), ErrAccessDenied, "set twice")
	mustOK(t, ObjectGetProperty(e.self, proc, PropProcessDebugAddr, b), "get")
	if getU64(b, 0) != 0x1000 {
		t.Fatalf("debug addr %#x", getU64(b, 0))
	}
	mustOK(t, ObjectSetProperty(e.self, proc, PropProcessBreakOnLoad, u64bytes(1)), "break on load")
	mustOK(t, ObjectGetProperty(e.self, proc, PropProcessBreakOnLoad, b), "get")
	if getU64(b, 0) != 1 {
		t.Fatal("break on load")
	}
	mustOK(t, ObjectGetProperty(e.self, proc, PropProcessVDSOBaseAddress, b), "vdso base")
	wantStatus(t, ObjectGetProperty(e.self, proc, PropProcessDebugAddr, b[:4]), ErrBufferTooSmall, "short")
	wantStatus(t, ObjectGetProperty(e.self, e.jobV, PropProcessDebugAddr, b), ErrWrongType, "on a job")
	wantStatus(t, ObjectGetProperty(e.self, proc, 9999, b), ErrInvalidArgs, "unknown")
	wantStatus(t, ObjectGetProperty(e.self, proc, PropProcessHWTraceContextID, b), ErrNotSupported, "hw trace")
	d, _ := e.self.Handles().Duplicate(proc, DefaultProcessRights&^RightGetProperty)
	wantStatus(t, ObjectGetProperty(e.self, d, PropName, make([]byte, MaxNameLen)), ErrAccessDenied, "without GET_PROPERTY")
	wantStatus(t, ObjectGetProperty(e.self, proc, PropName, make([]byte, MaxNameLen-1)), ErrBufferTooSmall, "short name buffer")
	// A NUL ends a set name.
	mustOK(t, ObjectSetProperty(e.self, proc, PropName, []byte("ab\x00cd")), "set name")
	name := make([]byte, MaxNameLen)
	ObjectGetProperty(e.self, proc, PropName, name)
	if cString(name) != "ab" {
		t.Fatalf("name %q", name)
	}
}
