package object

import (
	"encoding/binary"
	"testing"
	"time"
)

// Ports of Fuchsia's core-tests job/jobs.cc (JobTest). start_mini_process
// becomes startProc: a process whose one thread runs until killed.

// startProc creates and starts a process in job: its thread waits to be
// killed unless body says otherwise.
func (e *taskEnv) startProc(job HandleValue, body Runner) (proc, thread HandleValue, st Status) {
	e.t.Helper()
	proc, vmar, st := ProcessCreate(e.self, job, "job-test-p", 0)
	if st != OK {
		return HandleInvalid, HandleInvalid, st
	}
	e.close(vmar)
	thread, st = ThreadCreate(e.self, proc, "job-test-t", 0)
	mustOK(e.t, st, "thread_create")
	if body != nil {
		th, _, _ := lookup[*Thread](e.self, thread, 0)
		th.SetRunner(body)
	}
	st = ProcessStart(e.self, proc, thread, UserAspaceBase, UserAspaceBase+PageSize, HandleInvalid, 0)
	return proc, thread, st
}

func (e *taskEnv) jobCreate(parent HandleValue) HandleValue {
	e.t.Helper()
	j, st := JobCreate(e.self, parent, 0)
	mustOK(e.t, st, "job_create")
	return j
}

// wait is zx_object_wait_one with a generous deadline.
func (e *taskEnv) wait(v HandleValue, sig Signals) Signals {
	e.t.Helper()
	got, st := waitOne(e.self.Handles(), v, sig, DeadlineAfter(Duration(10*time.Second)))
	mustOK(e.t, st, "wait_one")
	return got
}

func (e *taskEnv) jobInfo(v HandleValue) (retcode int64, exited bool) {
	e.t.Helper()
	b := make([]byte, JobInfoSize)
	_, _, st := ObjectGetInfo(e.self, v, InfoJob, b)
	mustOK(e.t, st, "get_info(JOB)")
	return int64(binary.LittleEndian.Uint64(b)), b[8] != 0
}

func (e *taskEnv) procInfo(v HandleValue) ProcessInfo {
	e.t.Helper()
	b := make([]byte, ProcessInfoSize)
	_, _, st := ObjectGetInfo(e.self, v, InfoProcess, b)
	mustOK(e.t, st, "get_info(PROCESS)")
	return ProcessInfo{ReturnCode: int64(binary.LittleEndian.Uint64(b)), StartTime: Time(binary.LittleEndian.Uint64(b[8:])),
		Flags: binary.LittleEndian.Uint32(b[16:])}
}

func (e *taskEnv) koids(v HandleValue, topic uint32) []Koid {
	e.t.Helper()
	b := make([]byte, 8*64)
	n, _, st := ObjectGetInfo(e.self, v, topic, b)
	mustOK(e.t, st, "get_info(koids)")
	out := make([]Koid, n)
	for i := range out {
		out[i] = Koid(binary.LittleEndian.Uint64(b[8*i:]))
	}
	return out
}

func TestJobTest_BasicTest(t *testing.T) {
	e := newTaskEnv(t)
	c := e.jobCreate(e.jobV)
	g := e.jobCreate(c)
	if rc, exited := e.jobInfo(c); exited || rc != 0 {
		t.Fatalf("new job: exited %v, rc %d", exited, rc)
	}
	e.close(c)
	e.close(g)
	_, st := JobCreate(e.self, HandleInvalid, 0)
	wantStatus(t, st, ErrBadHandle, "invalid parent")
	_, st = JobCreate(e.self, e.jobV, 1)
	wantStatus(t, st, ErrInvalidArgs, "options")
}

func TestJobTest_CreateTest(t *testing.T) {
	e := newTaskEnv(t)
	c := e.jobCreate(e.jobV)
	p1, v1, st := ProcessCreate(e.self, e.jobV, "job-test-p", 0)
	mustOK(t, st, "process in the parent")
	p2, v2, st := ProcessCreate(e.self, c, "job-test-p", 0)
	mustOK(t, st, "process in the child")
	for _, v := range []HandleValue{c, p1, p2, v1, v2} {
		e.close(v)
	}
}

func TestJobTest_CreateMissingRightsTest(t *testing.T) {
	e := newTaskEnv(t)
	d, _ := e.self.Handles().Duplicate(e.jobV, DefaultJobRights&^RightWrite&^RightManageJob)
	_, st := JobCreate(e.self, d, 0)
	wantStatus(t, st, ErrAccessDenied, "without MANAGE_JOB")
	d, _ = e.self.Handles().Duplicate(e.jobV, DefaultJobRights&^RightManageProcess)
	_, _, st = ProcessCreate(e.self, d, "p", 0)
	wantStatus(t, st, ErrAccessDenied, "process without MANAGE_PROCESS")
}

func basicPolicyBytes(pols ...[2]uint32) []byte {
	b := make([]byte, 8*len(pols))
	for i, p := range pols {
		binary.LittleEndian.PutUint32(b[8*i:], p[0])
		binary.LittleEndian.PutUint32(b[8*i+4:], p[1])
	}
	return b
}

func slackBytes(slack int64, mode uint32) []byte {
	b := make([]byte, TimerSlackPolicySize)
	binary.LittleEndian.PutUint64(b, uint64(slack))
	binary.LittleEndian.PutUint32(b[8:], mode)
	return b
}

func TestJobTest_PolicyInvalidTopicTest(t *testing.T) {
	e := newTaskEnv(t)
	c := e.jobCreate(e.jobV)
	wantStatus(t, JobSetPolicy(e.self, c, JobPolRelative, 2, make([]byte, 8), 1), ErrInvalidArgs, "topic 2")
}

func TestJobTest_PolicyBasicTest(t *testing.T) {
	e := newTaskEnv(t)
	c := e.jobCreate(e.jobV)
	pols := basicPolicyBytes(
		[2]uint32{PolBadHandle, PolActionKill},
		[2]uint32{PolNewChannel, PolActionAllowException},
		[2]uint32{PolNewFIFO, PolActionDeny},
	)
	mustOK(t, JobSetPolicy(e.self, c, JobPolRelative, JobPolBasicV1, pols, 3), "set policy")
	wantStatus(t, JobSetPolicy(e.self, c, 7, JobPolBasicV1, pols, 3), ErrInvalidArgs, "bad mode")
	wantStatus(t, JobSetPolicy(e.self, c, JobPolRelative, JobPolBasicV1, pols, 0), ErrInvalidArgs, "no entries")
	d, _ := e.self.Handles().Duplicate(c, DefaultJobRights&^RightSetPolicy)
	wantStatus(t, JobSetPolicy(e.self, d, JobPolRelative, JobPolBasicV1, pols, 3), ErrAccessDenied, "without SET_POLICY")
}

func TestJobTest_PolicyTimerSlackInvalidOptionsTest(t *testing.T) {
	e := newTaskEnv(t)
	c := e.jobCreate(e.jobV)
	p := slackBytes(int64(10*time.Millisecond), TimerSlackLate)
	wantStatus(t, JobSetPolicy(e.self, c, JobPolAbsolute, JobPolTimerSlack, p, 1), ErrInvalidArgs, "absolute")
	mustOK(t, JobSetPolicy(e.self, c, JobPolRelative, JobPolTimerSlack, p, 1), "relative")
}

func TestJobTest_PolicyTimerSlackInvalidCountTest(t *testing.T) {
	e := newTaskEnv(t)
	c := e.jobCreate(e.jobV)
	p := append(slackBytes(int64(10*time.Millisecond), TimerSlackLate), slackBytes(int64(10*time.Millisecond), TimerSlackLate)...)
	wantStatus(t, JobSetPolicy(e.self, c, JobPolRelative, JobPolTimerSlack, p, 0), ErrInvalidArgs, "none")
	wantStatus(t, JobSetPolicy(e.self, c, JobPolRelative, JobPolTimerSlack, p, 2), ErrInvalidArgs, "two")
	mustOK(t, JobSetPolicy(e.self, c, JobPolRelative, JobPolTimerSlack, p, 1), "one")
}

func TestJobTest_PolicyTimerSlackInvalidPolicyTest(t *testing.T) {
	e := newTaskEnv(t)
	c := e.jobCreate(e.jobV)
	wantStatus(t, JobSetPolicy(e.self, c, JobPolRelative, JobPolTimerSlack, nil, 1), ErrInvalidArgs, "null")
	wantStatus(t, JobSetPolicy(e.self, c, JobPolRelative, JobPolTimerSlack, slackBytes(-int64(10*time.Millisecond), TimerSlackLate), 1),
		ErrInvalidArgs, "negative")
	wantStatus(t, JobSetPolicy(e.self, c, JobPolRelative, JobPolTimerSlack, slackBytes(int64(10*time.Millisecond), 3), 1),
		ErrInvalidArgs, "bad mode")
	mustOK(t, JobSetPolicy(e.self, c, JobPolRelative, JobPolTimerSlack, slackBytes(int64(10*time.Millisecond), TimerSlackLate), 1), "ok")
}

func TestJobTest_PolicyTimerSlackNonEmptyTest(t *testing.T) {
	e := newTaskEnv(t)
	c := e.jobCreate(e.jobV)
	g := e.jobCreate(c)
	p := slackBytes(int64(10*time.Millisecond), TimerSlackLate)
	wantStatus(t, JobSetPolicy(e.self, c, JobPolRelative, JobPolTimerSlack, p, 1), ErrBadState, "not empty")
	e.close(g)
	mustOK(t, JobSetPolicy(e.self, c, JobPolRelative, JobPolTimerSlack, p, 1), "empty")
}

func TestJobTest_PolicyTimerSlackValid(t *testing.T) {
	e := newTaskEnv(t)
	c := e.jobCreate(e.jobV)
	for _, m := range []uint32{TimerSlackCenter, TimerSlackEarly, TimerSlackLate} {
		mustOK(t, JobSetPolicy(e.self, c, JobPolRelative, JobPolTimerSlack, slackBytes(int64(10*time.Millisecond), m), 1), "mode")
	}
	mustOK(t, JobSetPolicy(e.self, c, JobPolRelative, JobPolTimerSlack, slackBytes(int64(10*time.Second), TimerSlackLate), 1), "raise")
	mustOK(t, JobSetPolicy(e.self, c, JobPolRelative, JobPolTimerSlack, slackBytes(int64(5*time.Microsecond), TimerSlackCenter), 1), "lower")
	j, _, _ := lookup[*Job](e.self, c, 0)
	if j.policy.slack != Duration(10*time.Second) {
		t.Errorf("slack %v, want the larger", j.policy.slack)
	}
}

func TestJobTest_KillTest(t *testing.T) {
	e := newTaskEnv(t)
	c := e.jobCreate(e.jobV)
	g := e.jobCreate(c)
	proc, thread, st := e.startProc(c, nil)
	mustOK(t, st, "start")
	mustOK(t, TaskKill(e.self, c), "kill")
	if got := e.wait(proc, TaskTerminated); got&TaskTerminated == 0 {
		t.Fatalf("process signals %v", got)
	}
	if got := e.wait(c, TaskTerminated); got != TaskTerminated|JobNoProcesses|JobNoJobs {
		t.Fatalf("job signals %v", got)
	}
	for _, j := range []HandleValue{c, g} {
		if rc, exited := e.jobInfo(j); !exited || rc != TaskRetcodeSyscallKill {
			t.Fatalf("job info: exited %v, rc %d", exited, rc)
		}
	}
	if pi := e.procInfo(proc); pi.Flags&InfoProcessFlagExited == 0 || pi.ReturnCode != TaskRetcodeSyscallKill {
		t.Fatalf("process info %+v", pi)
	}
	_, st = JobCreate(e.self, c, 0)
	wantStatus(t, st, ErrBadState, "job in a killed job")
	e.close(thread)
	e.close(proc)
	_, _, st = e.startProc(c, nil)
	wantStatus(t, st, ErrBadState, "process in a killed job")
}

func TestJobTest_KillJobNoChildTest(t *testing.T) {
	e := newTaskEnv(t)
	c := e.jobCreate(e.jobV)
	mustOK(t, TaskKill(e.self, c), "kill")
	_, st := JobCreate(e.self, c, 0)
	wantStatus(t, st, ErrBadState, "child of a killed job")
	_, _, st = e.startProc(c, nil)
	wantStatus(t, st, ErrBadState, "process in a killed job")
	e.wait(c, TaskTerminated)
}

func TestJobTest_KillJobRemovesFromTree(t *testing.T) {
	e := newTaskEnv(t)
	p := e.jobCreate(e.jobV)
	c := e.jobCreate(p)
	if ks := e.koids(p, InfoJobChildren); len(ks) != 1 || ks[0] != e.koid(c) {
		t.Fatalf("children %v", ks)
	}
	mustOK(t, TaskKill(e.self, c), "kill")
	e.wait(c, TaskTerminated)
	if ks := e.koids(p, InfoJobChildren); len(ks) != 0 {
		t.Fatalf("children after kill %v", ks)
	}
}

func TestJobTest_CloseJobRemovesFromTree(t *testing.T) {
	e := newTaskEnv(t)
	p := e.jobCreate(e.jobV)
	c := e.jobCreate(p)
	if ks := e.koids(p, InfoJobChildren); len(ks) != 1 || ks[0] != e.koid(c) {
		t.Fatalf("children %v", ks)
	}
	e.close(c)
	if ks := e.koids(p, InfoJobChildren); len(ks) != 0 {
		t.Fatalf("children after close %v", ks)
	}
}

// TestJobTest_JobHeldByChildren: a job whose handles are closed stays in
// the tree while it has a process, and leaves with its last one.
func TestJobTest_JobHeldByChildren(t *testing.T) {
	e := newTaskEnv(t)
	p := e.jobCreate(e.jobV)
	c := e.jobCreate(p)
	proc, thread, st := e.startProc(c, nil)
	mustOK(t, st, "start")
	e.close(c)
	if ks := e.koids(p, InfoJobChildren); len(ks) != 1 {
		t.Fatalf("children %v: a job with a process left the tree", ks)
	}
	mustOK(t, TaskKill(e.self, thread), "kill the only thread")
	e.wait(proc, TaskTerminated)
	if ks := e.koids(p, InfoJobChildren); len(ks) != 0 {
		t.Fatalf("children %v after the last process died", ks)
	}
}

func TestJobTest_KillJobChain(t *testing.T) {
	e := newTaskEnv(t)
	var jobs [5]HandleValue
	parent := e.jobV
	for i := range jobs {
		jobs[i] = e.jobCreate(parent)
		parent = jobs[i]
		p, th, st := e.startProc(jobs[i], nil)
		mustOK(t, st, "start")
		e.close(p)
		e.close(th)
	}
	mustOK(t, TaskKill(e.self, jobs[0]), "kill")
	items := make([]WaitItem, len(jobs))
	for i, j := range jobs {
		items[i] = WaitItem{Handle: get(t, e.self.Handles(), j)}
	}
	items[0].WaitFor = TaskTerminated
	mustOK(t, WaitMany(items, DeadlineAfter(Duration(10*time.Second)), nil), "wait_many")
	for i, it := range items {
		if it.Pending != TaskTerminated|JobNoProcesses|JobNoJobs {
			t.Errorf("job %d signals %v: not dead when its ancestor is", i, it.Pending)
		}
	}
}

func TestJobTest_SetJobOomKillBit(t *testing.T) {
	e := newTaskEnv(t)
	mustOK(t, ObjectSetProperty(e.self, e.jobV, PropJobKillOnOOM, u64bytes(1)), "1")
	mustOK(t, ObjectSetProperty(e.self, e.jobV, PropJobKillOnOOM, u64bytes(0)), "0")
	wantStatus(t, ObjectSetProperty(e.self, e.jobV, PropJobKillOnOOM, u64bytes(2)), ErrInvalidArgs, "2")
}

func TestJobTest_WaitTest(t *testing.T) {
	e := newTaskEnv(t)
	c := e.jobCreate(e.jobV)
	proc, _, st := e.startProc(c, nil)
	mustOK(t, st, "start")
	if got := e.wait(c, JobNoJobs); got != JobNoJobs {
		t.Fatalf("signals %v", got)
	}
	time.Sleep(5 * time.Millisecond)
	mustOK(t, TaskKill(e.self, proc), "kill the process")
	if got := e.wait(c, JobNoProcesses); got != JobNoProcesses|JobNoJobs {
		t.Fatalf("signals %v", got)
	}
}

func TestJobTest_InfoTaskStatsFails(t *testing.T) {
	e := newTaskEnv(t)
	_, _, st := ObjectGetInfo(e.self, e.jobV, InfoTaskStats, make([]byte, TaskStatsSize))
	wantStatus(t, st, ErrWrongType, "task stats of a job")
}

func TestJobTest_MaxHeightSmoke(t *testing.T) {
	e := newTaskEnv(t)
	parent := e.jobV
	n := 0
	for {
		c, st := JobCreate(e.self, parent, 0)
		if st != OK {
			wantStatus(t, st, ErrOutOfRange, "past the max height")
			break
		}
		n++
		if n > 128 {
			t.Fatal("no max job height")
		}
		parent = c
	}
	_, v, st := ProcessCreate(e.self, parent, "test", 0)
	mustOK(t, st, "process at the max height")
	e.close(v)
}

func TestJobTest_GetChildAndProcesses(t *testing.T) {
	e := newTaskEnv(t)
	c := e.jobCreate(e.jobV)
	proc, vmar, st := ProcessCreate(e.self, c, "p", 0)
	mustOK(t, st, "process")
	e.close(vmar)
	if ks := e.koids(c, InfoJobProcesses); len(ks) != 1 || ks[0] != e.koid(proc) {
		t.Fatalf("processes %v", ks)
	}
	pv, st := ObjectGetChild(e.self, c, e.koid(proc), RightSameRights)
	mustOK(t, st, "get_child")
	if e.koid(pv) != e.koid(proc) || e.rights(pv) != DefaultJobRights {
		t.Fatalf("child handle %v %v", e.koid(pv), e.rights(pv))
	}
	_, st = ObjectGetChild(e.self, c, 12345678, RightSameRights)
	wantStatus(t, st, ErrNotFound, "no such child")
	_, st = ObjectGetChild(e.self, c, e.koid(proc), RightsAll)
	wantStatus(t, st, ErrAccessDenied, "more rights than the job handle")
	d, _ := e.self.Handles().Duplicate(c, DefaultJobRights&^RightEnumerate)
	_, st = ObjectGetChild(e.self, d, e.koid(proc), RightSameRights)
	wantStatus(t, st, ErrAccessDenied, "without ENUMERATE")
	_, st = ObjectGetChild(e.self, e.vmo(PageSize, 0), 1, RightSameRights)
	wantStatus(t, st, ErrAccessDenied, "VMO handle (no ENUMERATE)")
	_, st = ObjectGetChild(e.self, e.jobV, e.koid(c), RightSameRights)
	mustOK(t, st, "child job")
}
