package syscall

import (
	"testing"
	"time"

	. "quartz/zircon/object"
)

// newProcess makes a process in job through process_create and returns
// its handles and the Context of calls made as that process — with
// self's memory, so that the test's pointers still work.
func (e *env) newProcess(job HandleValue, name string) (proc, vmar HandleValue, c *Context) {
	e.t.Helper()
	out := e.alloc(8)
	e.ok(SysProcessCreate, uint64(job), e.put([]byte(name)), uint64(len(name)), 0, out, out+4)
	proc, vmar = e.hv(out), e.hv(out+4)
	p, _, st := GetObject[*Process](e.self.Handles(), proc, 0)
	mustOK(e.t, st, "process object")
	return proc, vmar, &Context{Process: p, Mem: e.self.Space()}
}

func TestJobCreateAndPolicy(t *testing.T) {
	e := newEnv(t)
	out := e.alloc(4)
	e.want(ErrInvalidArgs, SysJobCreate, uint64(e.jobV), 1, out)
	e.want(ErrWrongType, SysJobCreate, uint64(e.vmarV), 0, out)
	e.want(ErrAccessDenied, SysJobCreate, uint64(e.restrict(e.dup(e.jobV), RightDuplicate)), 0, out)
	child := e.create1(SysJobCreate, uint64(e.jobV), 0)

	deny := e.put(le32(PolNewEvent, PolActionDeny, PolNewChannel, PolActionDeny, PolOverrideDeny)[:8])
	e.want(ErrInvalidArgs, SysJobSetPolicy, uint64(child), 5, uint64(JobPolBasicV1), deny, 1)
	e.want(ErrInvalidArgs, SysJobSetPolicy, uint64(child), uint64(JobPolRelative), uint64(JobPolBasicV1), 0, 1)
	e.want(ErrInvalidArgs, SysJobSetPolicy, uint64(child), uint64(JobPolRelative), uint64(JobPolBasicV1), deny, 0)
	e.want(ErrInvalidArgs, SysJobSetPolicy, uint64(child), uint64(JobPolRelative), 77, deny, 1)
	e.want(ErrInvalidArgs, SysJobSetPolicy, uint64(child), uint64(JobPolRelative), uint64(JobPolBasicV1), unmapped, 1)
	e.want(ErrOutOfRange, SysJobSetPolicy, uint64(child), uint64(JobPolRelative), uint64(JobPolBasicV1), deny, 100)
	e.want(ErrInvalidArgs, SysJobSetPolicy, uint64(child), uint64(JobPolRelative), uint64(JobPolTimerSlack), deny, 2)
	e.ok(SysJobSetPolicy, uint64(child), uint64(JobPolRelative), uint64(JobPolBasicV1), deny, 1)
	v2 := e.put(le32(PolNewChannel, PolActionDeny, PolOverrideDeny))
	e.ok(SysJobSetPolicy, uint64(child), uint64(JobPolRelative), uint64(JobPolBasicV2), v2, 1)

	_, _, c := e.newProcess(child, "denied")
	pout := e.alloc(8)
	if st := Status(int32(Call(c, SysEventCreate, 0, pout))); st != ErrAccessDenied {
		t.Fatalf("event_create under DENY: %v", st)
	}
	if st := Status(int32(Call(c, SysChannelCreate, 0, pout, pout+4))); st != ErrAccessDenied {
		t.Fatalf("channel_create under DENY: %v", st)
	}
	if st := Status(int32(Call(c, SysPortCreate, 0, pout))); st != OK {
		t.Fatalf("port_create: %v", st)
	}
	// A job with children cannot change its policy.
	e.want(ErrBadState, SysJobSetPolicy, uint64(child), uint64(JobPolRelative), uint64(JobPolBasicV1), deny, 1)
}

func TestProcessAndThreadLifecycle(t *testing.T) {
	e := newEnv(t)
	proc, vmar, _ := e.newProcess(e.jobV, "child-process")
	name := e.alloc(MaxNameLen)
	e.ok(SysObjectGetProperty, uint64(proc), uint64(PropName), name, MaxNameLen)
	if cString(e.peek(name, MaxNameLen)) != "child-process" {
		t.Fatalf("name %q", e.peek(name, MaxNameLen))
	}
	if e.basic(vmar).Type != TypeVMAR || e.basic(proc).RelatedKoid != e.basic(e.jobV).Koid {
		t.Fatal("process handles")
	}
	out := e.alloc(4)
	e.want(ErrInvalidArgs, SysThreadCreate, uint64(proc), e.put([]byte("t")), 1, 1, out)
	e.want(ErrInvalidArgs, SysThreadCreate, uint64(proc), unmapped, 1, 0, out)
	th := e.create1(SysThreadCreate, uint64(proc), e.put([]byte("main")), 4, 0)
	e.want(ErrBadState, SysThreadStart, uint64(th), UserAspaceBase, 0, 0, 0) // process not started
	arg := e.event()
	e.want(ErrInvalidArgs, SysProcessStart, uint64(proc), uint64(th), 0, 0, uint64(arg), 0)
	e.want(ErrBadHandle, SysHandleClose, uint64(arg)) // consumed on failure too
	arg = e.event()
	e.ok(SysProcessStart, uint64(proc), uint64(th), UserAspaceBase, 0, uint64(arg), 0)
	e.want(ErrBadHandle, SysHandleClose, uint64(arg))
	e.want(ErrBadState, SysProcessStart, uint64(proc), uint64(th), UserAspaceBase, 0, 0, 0)

	// The thread has no body: it waits to be killed, with its process.
	e.ok(SysTaskKill, uint64(proc))
	e.ok(SysObjectWaitOne, uint64(th), uint64(ThreadTerminated), after(10*time.Second), 0)
	e.ok(SysObjectWaitOne, uint64(proc), uint64(ProcessTerminated), after(10*time.Second), 0)
	info := e.alloc(ProcessInfoSize)
	e.ok(SysObjectGetInfo, uint64(proc), uint64(InfoProcess), info, ProcessInfoSize, 0, 0)
	if int64(e.u64(info)) != TaskRetcodeSyscallKill {
		t.Fatalf("return code %d", int64(e.u64(info)))
	}
	// Only tasks have DESTROY.
	e.want(ErrAccessDenied, SysTaskKill, uint64(e.event()))
	e.want(ErrAccessDenied, SysTaskKill, uint64(e.restrict(e.dup(e.jobV), RightWait)))
}

func TestProcessCreateFaults(t *testing.T) {
	e := newEnv(t)
	out := e.alloc(8)
	e.want(ErrInvalidArgs, SysProcessCreate, uint64(e.jobV), unmapped, 4, 0, out, out+4)
	e.want(ErrInvalidArgs, SysProcessCreate, uint64(e.jobV), e.put([]byte("p")), 1, 1, out, out+4)
	e.want(ErrAccessDenied, SysProcessCreate, uint64(e.restrict(e.dup(e.jobV), RightDuplicate)), e.put([]byte("p")), 1, 0, out, out+4)
	n := len(e.job.Processes())
	e.want(ErrInvalidArgs, SysProcessCreate, uint64(e.jobV), e.put([]byte("p")), 1, 0, out, e.ro)
	// The process nobody holds, never started, dies and leaves the job.
	eventually(t, "process to leave", func() bool { return len(e.job.Processes()) == n })
}

func TestThreadExitAndProcessExit(t *testing.T) {
	e := newEnv(t)
	th, done := e.thread(func(c *Context) { Call(c, SysThreadExit) })
	if c := await(t, done); !c.Exit {
		t.Fatal("thread_exit: Exit not set")
	}
	e.ok(SysObjectWaitOne, uint64(th), uint64(ThreadTerminated), after(10*time.Second), 0)

	// process_exit from a thread of another process.
	proc, _, pc := e.newProcess(e.jobV, "exiting")
	p := pc.Process
	t0, st := p.CreateThread("main", 0)
	mustOK(t, st, "thread")
	exited := make(chan *Context, 1)
	t0.SetRunner(func(t *Thread, _ ThreadEntry) {
		c := NewContext(t)
		Call(c, SysProcessExit, 17)
		exited <- c
	})
	mustOK(t, p.Start(t0, ThreadEntry{PC: UserAspaceBase}, nil), "start")
	if c := await(t, exited); !c.Exit {
		t.Fatal("process_exit: Exit not set")
	}
	e.ok(SysObjectWaitOne, uint64(proc), uint64(ProcessTerminated), after(10*time.Second), 0)
	info := e.alloc(ProcessInfoSize)
	e.ok(SysObjectGetInfo, uint64(proc), uint64(InfoProcess), info, ProcessInfoSize, 0, 0)
	if int64(e.u64(info)) != 17 {
		t.Fatalf("return code %d", int64(e.u64(info)))
	}
}

// A thread that kills its own process learns it at once.
func TestTaskKillSelf(t *testing.T) {
	e := newEnv(t)
	self := e.create1(SysObjectGetChild, uint64(e.jobV), uint64(e.self.Koid()), uint64(RightSameRights))
	th, done := e.thread(func(c *Context) { Call(c, SysTaskKill, uint64(self)) })
	if c := await(t, done); !c.Exit {
		t.Fatal("Exit not set")
	}
	_ = th
	eventually(t, "self to die", func() bool { return e.self.Info().Flags&InfoProcessFlagExited != 0 })
}

func TestJobSetCriticalAndThreadStart(t *testing.T) {
	e := newEnv(t)
	child := e.create1(SysJobCreate, uint64(e.jobV), 0)
	proc, _, _ := e.newProcess(child, "critical")
	e.want(ErrInvalidArgs, SysJobSetCritical, uint64(child), 2, uint64(proc))
	e.ok(SysJobSetCritical, uint64(child), 0, uint64(proc))
	e.want(ErrAlreadyBound, SysJobSetCritical, uint64(child), 0, uint64(proc))
	th := e.create1(SysThreadCreate, uint64(proc), e.put([]byte("main")), 4, 0)
	e.ok(SysProcessStart, uint64(proc), uint64(th), UserAspaceBase, 0, 0, 0)
	th2 := e.create1(SysThreadCreate, uint64(proc), e.put([]byte("second")), 6, 0)
	e.want(ErrInvalidArgs, SysThreadStart, uint64(th2), 0, 0, 0, 0)
	e.ok(SysThreadStart, uint64(th2), UserAspaceBase, 0, 0, 0)
	e.want(ErrBadState, SysThreadStart, uint64(th2), UserAspaceBase, 0, 0, 0)
	e.ok(SysTaskKill, uint64(proc))
	// The critical process took its job down.
	e.ok(SysObjectWaitOne, uint64(child), uint64(JobTerminated), after(10*time.Second), 0)
}

func TestProcessMemory(t *testing.T) {
	e := newEnv(t)
	proc := e.create1(SysObjectGetChild, uint64(e.jobV), uint64(e.self.Koid()), uint64(RightSameRights))
	src := e.put([]byte("debugger"))
	actual := e.alloc(8)
	// Writing ignores the mapping's protection, as a debugger's does.
	e.ok(SysProcessWriteMemory, uint64(proc), e.ro, src, 8, actual)
	if e.u64(actual) != 8 || string(e.peek(e.ro, 8)) != "debugger" {
		t.Fatal("write_memory")
	}
	dst := e.alloc(8)
	e.ok(SysProcessReadMemory, uint64(proc), e.ro, dst, 8, actual)
	if string(e.peek(dst, 8)) != "debugger" {
		t.Fatal("read_memory")
	}
	e.want(ErrInvalidArgs, SysProcessReadMemory, uint64(proc), e.ro, dst, 0, actual)
	e.want(ErrNoMemory, SysProcessReadMemory, uint64(proc), unmapped, dst, 8, actual)
	e.want(ErrInvalidArgs, SysProcessReadMemory, uint64(proc), e.ro, e.ro, 8, actual)
	e.want(ErrAccessDenied, SysProcessReadMemory, uint64(e.restrict(e.dup(proc), RightRead|RightDuplicate)), e.ro, dst, 8, actual)
}

func cString(b []byte) string {
	for i, c := range b {
		if c == 0 {
			return string(b[:i])
		}
	}
	return string(b)
}
