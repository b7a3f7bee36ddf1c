package object

import (
	"encoding/binary"
	"sync/atomic"
	"testing"
	"time"
)

// Ports of Fuchsia's core-tests threads/threads.cc (Threads), for what a
// thread is before the syscall ABI runs guest code: its life cycle.

// runningProc makes a started process in a job of its own; its first
// thread waits to be killed.
func (e *taskEnv) runningProc() (*Process, HandleValue) {
	e.t.Helper()
	proc, _, st := e.startProc(e.jobCreate(e.jobV), nil)
	mustOK(e.t, st, "start")
	p, _, _ := lookup[*Process](e.self, proc, 0)
	return p, proc
}

func (e *taskEnv) threadInfo(v HandleValue) ThreadInfo {
	e.t.Helper()
	b := make([]byte, ThreadInfoSize)
	_, _, st := ObjectGetInfo(e.self, v, InfoThread, b)
	mustOK(e.t, st, "get_info(THREAD)")
	return ThreadInfo{State: binary.LittleEndian.Uint32(b)}
}

func TestThreads_Basics(t *testing.T) {
	e := newTaskEnv(t)
	_, proc := e.runningProc()
	var ran atomic.Int32
	th, st := ThreadCreate(e.self, proc, "basics", 0)
	mustOK(t, st, "create")
	if e.threadInfo(th).State != ThreadStateNew {
		t.Fatal("new thread not NEW")
	}
	obj, _, _ := lookup[*Thread](e.self, th, 0)
	obj.SetRunner(func(t *Thread, en ThreadEntry) {
		if en.Arg1 == 1 && en.Arg2 == 2 {
			ran.Add(1)
		}
	})
	mustOK(t, ThreadStart(e.self, th, UserAspaceBase, UserAspaceBase+PageSize, 1, 2), "start")
	e.wait(th, ThreadTerminated)
	if ran.Load() != 1 {
		t.Fatal("body did not run with its arguments")
	}
	if e.threadInfo(th).State != ThreadStateDead {
		t.Fatal("ended thread not DEAD")
	}
}

func TestThreads_InvalidCreate(t *testing.T) {
	e := newTaskEnv(t)
	_, proc := e.runningProc()
	_, st := ThreadCreate(e.self, proc, "t", 1)
	wantStatus(t, st, ErrInvalidArgs, "options")
	d, _ := e.self.Handles().Duplicate(proc, DefaultProcessRights&^RightManageThread)
	_, st = ThreadCreate(e.self, d, "t", 0)
	wantStatus(t, st, ErrAccessDenied, "without MANAGE_THREAD")
	_, st = ThreadCreate(e.self, e.jobV, "t", 0)
	wantStatus(t, st, ErrWrongType, "in a job")
}

func TestThreads_ThreadStartOnInitialThread(t *testing.T) {
	e := newTaskEnv(t)
	p, _ := e.runningProc()
	ths := p.Threads()
	tv, _ := e.self.AddHandle(ths[0], DefaultThreadRights)
	wantStatus(t, ThreadStart(e.self, tv, UserAspaceBase, 0, 0, 0), ErrBadState, "start twice")
}

func TestThreads_ThreadStartInUnstartedProcess(t *testing.T) {
	e := newTaskEnv(t)
	proc, _, _ := ProcessCreate(e.self, e.jobV, "p", 0)
	th, _ := ThreadCreate(e.self, proc, "t", 0)
	wantStatus(t, ThreadStart(e.self, th, UserAspaceBase, 0, 0, 0), ErrBadState, "process not started")
}

func TestThreads_ThreadStartWithZeroInstructionPointer(t *testing.T) {
	e := newTaskEnv(t)
	_, proc := e.runningProc()
	th, _ := ThreadCreate(e.self, proc, "t", 0)
	wantStatus(t, ThreadStart(e.self, th, 0, 0, 0, 0), ErrInvalidArgs, "pc 0")
	d, _ := e.self.Handles().Duplicate(th, DefaultThreadRights&^RightWrite)
	wantStatus(t, ThreadStart(e.self, d, UserAspaceBase, 0, 0, 0), ErrAccessDenied, "without WRITE")
}

// TestThreads_KillBusyThread: a body that keeps working, checking its
// kill channel now and then, is ended by task_kill.
func TestThreads_KillBusyThread(t *testing.T) {
	e := newTaskEnv(t)
	_, proc := e.runningProc()
	th, _ := ThreadCreate(e.self, proc, "busy", 0)
	obj, _, _ := lookup[*Thread](e.self, th, 0)
	var spins atomic.Int64
	obj.SetRunner(func(t *Thread, _ ThreadEntry) {
		for {
			select {
			case <-t.Killed():
				return
			default:
				spins.Add(1)
			}
		}
	})
	mustOK(t, ThreadStart(e.self, th, UserAspaceBase, 0, 0, 0), "start")
	for spins.Load() < 1000 {
		time.Sleep(time.Millisecond)
	}
	if got := e.wait(th, ThreadRunning); got&ThreadRunning == 0 {
		t.Fatal("not RUNNING")
	}
	mustOK(t, TaskKill(e.self, th), "kill")
	if got := e.wait(th, ThreadTerminated); got&ThreadRunning != 0 {
		t.Fatalf("signals %v after death", got)
	}
}

// TestThreads_KillSleepingThread: a body blocked in wait_one returns
// INTERNAL_INTR_KILLED when killed.
func TestThreads_KillSleepingThread(t *testing.T) {
	e := newTaskEnv(t)
	_, proc := e.runningProc()
	ev, _ := NewEvent(0)
	h := NewHandle(ev, DefaultEventRights)
	defer h.Close()
	th, _ := ThreadCreate(e.self, proc, "sleeper", 0)
	obj, _, _ := lookup[*Thread](e.self, th, 0)
	res := make(chan Status, 1)
	obj.SetRunner(func(t *Thread, _ ThreadEntry) {
		_, st := WaitOne(h, EventSignaled, TimeInfinite, t.Killed())
		res <- st
	})
	mustOK(t, ThreadStart(e.self, th, UserAspaceBase, 0, 0, 0), "start")
	blockedOn(t, ev, 1)
	mustOK(t, TaskKill(e.self, th), "kill")
	wantStatus(t, <-res, ErrInternalIntrKilled, "blocked wait")
	e.wait(th, ThreadTerminated)
}

func TestThreads_KillUnstartedThread(t *testing.T) {
	e := newTaskEnv(t)
	p, proc := e.runningProc()
	th, _ := ThreadCreate(e.self, proc, "t", 0)
	mustOK(t, TaskKill(e.self, th), "kill")
	e.wait(th, ThreadTerminated)
	wantStatus(t, ThreadStart(e.self, th, UserAspaceBase, 0, 0, 0), ErrBadState, "start a dead thread")
	if len(p.Threads()) != 1 {
		t.Fatalf("%d threads: the dead one stayed", len(p.Threads()))
	}
	// The process lives on with its running thread.
	_, st := waitOne(e.self.Handles(), proc, TaskTerminated, TimeInfinitePast)
	wantStatus(t, st, ErrTimedOut, "process alive")
}

// TestThreads_LastThreadExitEndsProcess: when the last thread of a
// started process ends, the process dies (return code 0).
func TestThreads_LastThreadExitEndsProcess(t *testing.T) {
	e := newTaskEnv(t)
	p, proc := e.runningProc()
	second, _ := p.CreateThread("second", 0)
	release := make(chan struct{})
	second.SetRunner(func(*Thread, ThreadEntry) { <-release })
	mustOK(t, second.Start(ThreadEntry{PC: UserAspaceBase}), "start")
	mustOK(t, TaskKill(e.self, e.threadOf(p, 0)), "kill the first thread")
	_, st := waitOne(e.self.Handles(), proc, TaskTerminated, DeadlineAfter(msec(10)))
	wantStatus(t, st, ErrTimedOut, "one thread left")
	close(release)
	e.wait(proc, TaskTerminated)
	if pi := e.procInfo(proc); pi.ReturnCode != 0 {
		t.Fatalf("return code %d", pi.ReturnCode)
	}
}

func (e *taskEnv) threadOf(p *Process, i int) HandleValue {
	v, _ := e.self.AddHandle(p.Threads()[i], DefaultThreadRights)
	return v
}

func TestThreads_InfoAndRights(t *testing.T) {
	e := newTaskEnv(t)
	p, _ := e.runningProc()
	tv := e.threadOf(p, 0)
	if e.threadInfo(tv).State != ThreadStateRunning {
		t.Fatal("not RUNNING")
	}
	b := make([]byte, ThreadInfoSize)
	ObjectGetInfo(e.self, tv, InfoThread, b)
	if binary.LittleEndian.Uint64(b[8:])&1 == 0 {
		t.Error("cpu affinity mask excludes CPU 0")
	}
	d, _ := e.self.Handles().Duplicate(tv, DefaultThreadRights&^RightInspect)
	_, _, st := ObjectGetInfo(e.self, d, InfoThread, b)
	wantStatus(t, st, ErrAccessDenied, "without INSPECT")
	_, _, st = ObjectGetInfo(e.self, tv, InfoThread, b[:10])
	wantStatus(t, st, ErrBufferTooSmall, "short")
	var basic [HandleBasicInfoSize]byte
	ObjectGetInfo(e.self, tv, InfoHandleBasic, basic[:])
	if Koid(binary.LittleEndian.Uint64(basic[16:])) != p.Koid() {
		t.Error("thread's related koid is not its process")
	}
	d2, _ := e.self.Handles().Duplicate(tv, DefaultThreadRights&^RightDestroy)
	wantStatus(t, TaskKill(e.self, d2), ErrAccessDenied, "kill without DESTROY")
	wantStatus(t, TaskKill(e.self, e.vmo(PageSize, 0)), ErrAccessDenied, "kill a VMO (no DESTROY)")
	ev, _ := NewEvent(0)
	evv, _ := e.self.AddHandle(ev, RightDestroy)
	wantStatus(t, TaskKill(e.self, evv), ErrWrongType, "kill an event")
}
