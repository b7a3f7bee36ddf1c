package object

import (
	"testing"
)

// Job policy and critical processes, after Fuchsia's core-tests
// policy/policy.cc (PolicyTest) and the zx_job_set_critical cases of
// job/jobs.cc. A process created in a job with a policy makes the calls.

// policyJob makes a child job with the given v1 policy and a process in
// it to act as the caller.
func (e *taskEnv) policyJob(mode uint32, pols ...[2]uint32) (job HandleValue, caller *Process) {
	e.t.Helper()
	job = e.jobCreate(e.jobV)
	if len(pols) > 0 {
		mustOK(e.t, JobSetPolicy(e.self, job, mode, JobPolBasicV1, basicPolicyBytes(pols...), uint32(len(pols))), "set policy")
	}
	j, _, _ := lookup[*Job](e.self, job, 0)
	p, _, st := j.CreateProcess("policy-caller", 0)
	mustOK(e.t, st, "process")
	return job, p
}

func procDead(p *Process) bool {
	p.Lock()
	defer p.Unlock()
	return p.state == processDead
}

func TestPolicyTest_NewVmoDenied(t *testing.T) {
	e := newTaskEnv(t)
	_, p := e.policyJob(JobPolRelative, [2]uint32{PolNewVMO, PolActionDeny})
	_, st := VmoCreate(p, PageSize, 0)
	wantStatus(t, st, ErrAccessDenied, "vmo_create denied")
	if procDead(p) {
		t.Fatal("DENY killed the process")
	}
}

func TestPolicyTest_NewAnyDenied(t *testing.T) {
	e := newTaskEnv(t)
	job, p := e.policyJob(JobPolRelative, [2]uint32{PolNewAny, PolActionDeny})
	_, st := VmoCreate(p, PageSize, 0)
	wantStatus(t, st, ErrAccessDenied, "vmo_create")
	jv, _ := p.AddHandle(p.Job(), DefaultJobRights)
	_, _, st = ProcessCreate(p, jv, "x", 0)
	wantStatus(t, st, ErrAccessDenied, "process_create")
	wantStatus(t, p.EnforcePolicy(PolNewChannel), ErrAccessDenied, "channel")
	mustOK(t, p.EnforcePolicy(PolBadHandle), "not a NEW_* condition")
	_ = job
}

func TestPolicyTest_NewProcessKill(t *testing.T) {
	e := newTaskEnv(t)
	_, p := e.policyJob(JobPolRelative, [2]uint32{PolNewVMO, PolActionKill})
	pv, _ := e.self.AddHandle(p, DefaultProcessRights)
	_, st := VmoCreate(p, PageSize, 0)
	wantStatus(t, st, ErrAccessDenied, "vmo_create")
	e.wait(pv, ProcessTerminated)
	if pi := e.procInfo(pv); pi.ReturnCode != TaskRetcodePolicyKill {
		t.Fatalf("return code %d, want POLICY_KILL", pi.ReturnCode)
	}
}

func TestPolicyTest_BadHandleKill(t *testing.T) {
	e := newTaskEnv(t)
	_, p := e.policyJob(JobPolRelative, [2]uint32{PolBadHandle, PolActionKill})
	pv, _ := e.self.AddHandle(p, DefaultProcessRights)
	_, st := VmoGetSize(p, 0x1234567)
	wantStatus(t, st, ErrBadHandle, "bad handle")
	e.wait(pv, ProcessTerminated)
	if pi := e.procInfo(pv); pi.ReturnCode != TaskRetcodePolicyKill {
		t.Fatalf("return code %d", pi.ReturnCode)
	}
}

func TestPolicyTest_BadHandleAllowAndDeny(t *testing.T) {
	e := newTaskEnv(t)
	for _, a := range []uint32{PolActionAllow, PolActionDeny} {
		_, p := e.policyJob(JobPolRelative, [2]uint32{PolBadHandle, a})
		_, st := VmoGetSize(p, 0x1234567)
		wantStatus(t, st, ErrBadHandle, "bad handle")
		if procDead(p) {
			t.Fatal("process killed")
		}
	}
}

// TestPolicyTest_AbsoluteVsRelative: a child job inherits its parent's
// policy; entries the parent fixed (v1 entries cannot be overridden) take
// a different action only by being ignored (RELATIVE) or refused
// (ABSOLUTE: ALREADY_EXISTS); the same action is accepted.
func TestPolicyTest_AbsoluteVsRelative(t *testing.T) {
	e := newTaskEnv(t)
	parent := e.jobCreate(e.jobV)
	mustOK(t, JobSetPolicy(e.self, parent, JobPolAbsolute, JobPolBasicV1,
		basicPolicyBytes([2]uint32{PolNewEvent, PolActionDeny}), 1), "parent")
	child := e.jobCreate(parent)
	allow := basicPolicyBytes([2]uint32{PolNewEvent, PolActionAllow})
	wantStatus(t, JobSetPolicy(e.self, child, JobPolAbsolute, JobPolBasicV1, allow, 1), ErrAlreadyExists, "absolute")
	mustOK(t, JobSetPolicy(e.self, child, JobPolRelative, JobPolBasicV1, allow, 1), "relative")
	mustOK(t, JobSetPolicy(e.self, child, JobPolAbsolute, JobPolBasicV1,
		basicPolicyBytes([2]uint32{PolNewEvent, PolActionDeny}), 1), "same action")
	j, _, _ := lookup[*Job](e.self, child, 0)
	if j.PolicyAction(PolNewEvent) != PolActionDeny {
		t.Fatal("relative request overrode the parent")
	}
	// v2 entries may leave a condition open to children.
	v2 := make([]byte, 12)
	v2[0] = byte(PolNewPort)
	v2[4] = byte(PolActionDeny)
	mustOK(t, JobSetPolicy(e.self, child, JobPolAbsolute, JobPolBasicV2, v2, 1), "v2 with override allowed")
	grand := e.jobCreate(child)
	mustOK(t, JobSetPolicy(e.self, grand, JobPolAbsolute, JobPolBasicV1,
		basicPolicyBytes([2]uint32{PolNewPort, PolActionAllow}), 1), "override allowed")
	// Bad entries.
	wantStatus(t, JobSetPolicy(e.self, grand, JobPolRelative, JobPolBasicV1,
		basicPolicyBytes([2]uint32{99, PolActionDeny}), 1), ErrInvalidArgs, "unknown condition")
	wantStatus(t, JobSetPolicy(e.self, grand, JobPolRelative, JobPolBasicV1,
		basicPolicyBytes([2]uint32{PolNewVMO, 9}), 1), ErrNotSupported, "unknown action")
	many := make([][2]uint32, 17)
	wantStatus(t, JobSetPolicy(e.self, grand, JobPolRelative, JobPolBasicV1, basicPolicyBytes(many...), 17),
		ErrOutOfRange, "too many entries")
}

func TestJobTest_SetCriticalProcess(t *testing.T) {
	e := newTaskEnv(t)
	job := e.jobCreate(e.jobV)
	proc, thread, st := e.startProc(job, nil)
	mustOK(t, st, "start")
	mustOK(t, JobSetCritical(e.self, job, 0, proc), "set critical")
	wantStatus(t, JobSetCritical(e.self, job, 0, proc), ErrAlreadyBound, "twice")
	other := e.jobCreate(e.jobV)
	p2, _, st := e.startProc(e.jobV, nil)
	mustOK(t, st, "start")
	wantStatus(t, JobSetCritical(e.self, other, 0, p2), ErrInvalidArgs, "not an ancestor")
	wantStatus(t, JobSetCritical(e.self, other, 2, p2), ErrInvalidArgs, "bad option")
	mustOK(t, TaskKill(e.self, thread), "kill the process's thread")
	e.wait(job, TaskTerminated)
	if rc, exited := e.jobInfo(job); !exited || rc != TaskRetcodeCriticalProcessKill {
		t.Fatalf("job rc %d exited %v", rc, exited)
	}
}

func TestJobTest_SetCriticalProcessRetcodeNonzero(t *testing.T) {
	e := newTaskEnv(t)
	job := e.jobCreate(e.jobV)
	exitWith := func(code int64) Runner {
		return func(t *Thread, _ ThreadEntry) { t.Process().Exit(code) }
	}
	// Exiting with 0 spares the job.
	j, _, _ := lookup[*Job](e.self, job, 0)
	p, _, _ := j.CreateProcess("zero", 0)
	pv, _ := e.self.AddHandle(p, DefaultProcessRights)
	mustOK(t, JobSetCritical(e.self, job, JobCriticalProcessRetcodeNonzero, pv), "critical")
	th, _ := p.CreateThread("t", 0)
	th.SetRunner(exitWith(0))
	mustOK(t, p.Start(th, ThreadEntry{PC: UserAspaceBase}, nil), "start")
	e.wait(pv, ProcessTerminated)
	if _, exited := e.jobInfo(job); exited {
		t.Fatal("job killed by a critical process exiting with 0")
	}
	// Exiting with 3 kills it.
	p, _, _ = j.CreateProcess("three", 0)
	pv, _ = e.self.AddHandle(p, DefaultProcessRights)
	mustOK(t, JobSetCritical(e.self, job, JobCriticalProcessRetcodeNonzero, pv), "critical")
	th, _ = p.CreateThread("t", 0)
	th.SetRunner(exitWith(3))
	mustOK(t, p.Start(th, ThreadEntry{PC: UserAspaceBase}, nil), "start")
	e.wait(job, TaskTerminated)
	if pi := e.procInfo(pv); pi.ReturnCode != 3 {
		t.Fatalf("process rc %d", pi.ReturnCode)
	}
	if rc, _ := e.jobInfo(job); rc != TaskRetcodeCriticalProcessKill {
		t.Fatalf("job rc %d", rc)
	}
}
