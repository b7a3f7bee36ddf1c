package object

// Task return codes (ZX_TASK_RETCODE_*): what a killed task reports.
const (
	TaskRetcodeSyscallKill         int64 = -1024
	TaskRetcodeOOMKill             int64 = -1025
	TaskRetcodePolicyKill          int64 = -1026
	TaskRetcodeVDSOKill            int64 = -1027
	TaskRetcodeExceptionKill       int64 = -1028
	TaskRetcodeCriticalProcessKill int64 = -1029
)

// JobCriticalProcessRetcodeNonzero is ZX_JOB_CRITICAL_PROCESS_RETCODE_NONZERO.
const JobCriticalProcessRetcodeNonzero uint32 = 1 << 0

// rootJobMaxHeight is how deep the job tree may grow under the root.
const rootJobMaxHeight = 32

type jobState uint8

const (
	jobReady   jobState = iota
	jobKilling          // killed; waiting for its children to die
	jobDead
)

// Job is a group of processes and child jobs (Zircon's JobDispatcher):
// the unit of policy and of killing. A job stays in its parent's tree
// while something holds it — a handle or a child — and until it dies:
// killing a job kills its descendants, deepest first, and the job is dead
// (TERMINATED) once its last child is.
type Job struct {
	Base
	env       *Env
	parent    *Job
	maxHeight int

	// Guarded by the lock.
	state      jobState
	jobs       []*Job
	procs      []*Process
	returnCode int64
	killOnOOM  bool
	policy     jobPolicy
	detached   bool // left its parent's tree
}

// NewRootJob makes the root of a job tree over env. The root job never
// leaves: it has no parent to leave.
func NewRootJob(env *Env) *Job {
	j := &Job{env: env, maxHeight: rootJobMaxHeight}
	j.Init(TypeJob, JobNoChildren)
	j.SetName("root")
	return j
}

// Env is the machine the job's tasks run on.
func (j *Job) Env() *Env { return j.env }

// Parent is the job's parent, nil for the root.
func (j *Job) Parent() *Job { return j.parent }

// CreateChild is zx_job_create on the object: OUT_OF_RANGE when the tree
// is as deep as it may get, BAD_STATE once the job is killed; INVALID_ARGS
// for options other than 0.
func (j *Job) CreateChild(options uint32) (*Job, Status) {
	if options != 0 {
		return nil, ErrInvalidArgs
	}
	if j.maxHeight == 0 {
		return nil, ErrOutOfRange
	}
	c := &Job{env: j.env, parent: j, maxHeight: j.maxHeight - 1}
	c.Init(TypeJob, JobNoChildren)
	c.SetRelatedKoid(j.Koid())
	j.Lock()
	defer j.Unlock()
	if j.state != jobReady {
		return nil, ErrBadState
	}
	c.policy = j.policy
	j.jobs = append(j.jobs, c)
	j.childAddedLocked()
	return c, OK
}

// childAddedLocked clears NO_JOBS / NO_PROCESSES as the first of each
// arrives.
func (j *Job) childAddedLocked() {
	var clear Signals
	if len(j.jobs) > 0 {
		clear |= JobNoJobs
	}
	if len(j.procs) > 0 {
		clear |= JobNoProcesses
	}
	j.UpdateStateLocked(clear, 0, 0)
}

// childRemovedLocked asserts them as the last goes, and reports whether
// the job should now finish dying.
func (j *Job) childRemovedLocked() bool {
	var set Signals
	if len(j.jobs) == 0 {
		set |= JobNoJobs
	}
	if len(j.procs) == 0 {
		set |= JobNoProcesses
	}
	j.UpdateStateLocked(0, set, 0)
	return j.state == jobKilling && len(j.jobs) == 0 && len(j.procs) == 0
}

// addProcess puts a new process in the job: false once it is killed.
func (j *Job) addProcess(p *Process) bool {
	j.Lock()
	defer j.Unlock()
	if j.state != jobReady {
		return false
	}
	p.policy = j.policy
	j.procs = append(j.procs, p)
	j.childAddedLocked()
	return true
}

// removeProcess takes a dead process out of the job.
func (j *Job) removeProcess(p *Process) {
	j.Lock()
	i := indexOf(j.procs, p)
	if i < 0 {
		j.Unlock()
		return
	}
	j.procs = append(j.procs[:i], j.procs[i+1:]...)
	die := j.childRemovedLocked()
	j.Unlock()
	j.afterChildLeft(die)
}

// removeJob takes a child job out of the tree.
func (j *Job) removeJob(c *Job) {
	j.Lock()
	i := indexOf(j.jobs, c)
	if i < 0 {
		j.Unlock()
		return
	}
	j.jobs = append(j.jobs[:i], j.jobs[i+1:]...)
	die := j.childRemovedLocked()
	j.Unlock()
	j.afterChildLeft(die)
}

// afterChildLeft finishes dying if the job was waiting for that, and
// leaves the tree if nothing holds the job any more.
func (j *Job) afterChildLeft(die bool) {
	if die {
		j.finishDying()
	}
	j.detachIfUnused()
}

func indexOf[T comparable](s []T, x T) int {
	for i, y := range s {
		if y == x {
			return i
		}
	}
	return -1
}

// OnZeroHandles: a job nobody holds and with no children leaves the tree.
func (j *Job) OnZeroHandles() { j.detachIfUnused() }

// detachIfUnused removes the job from its parent when no handle and no
// child holds it. The check is made under the parent's lock, which
// object_get_child also takes before making a handle to a child, so a
// job cannot gain a handle while it is being removed.
func (j *Job) detachIfUnused() {
	p := j.parent
	if p == nil {
		return
	}
	p.Lock()
	j.Lock()
	unused := !j.detached && j.HandleCount() == 0 && len(j.jobs) == 0 && len(j.procs) == 0
	j.Unlock()
	p.Unlock()
	if unused {
		j.detach()
	}
}

// detach takes the job out of its parent's tree, once.
func (j *Job) detach() {
	j.Lock()
	done := j.detached
	j.detached = true
	j.Unlock()
	if !done && j.parent != nil {
		j.parent.removeJob(j)
	}
}

// Kill is zx_task_kill on a job: the job stops taking children, its
// child jobs are killed (recursively, deepest first) and then its
// processes, all with returnCode; the job is dead once they all are. It
// reports false if the job was already killed.
func (j *Job) Kill(returnCode int64) bool {
	j.Lock()
	if j.state != jobReady {
		j.Unlock()
		return false
	}
	j.state = jobKilling
	j.returnCode = returnCode
	jobs := append([]*Job(nil), j.jobs...)
	procs := append([]*Process(nil), j.procs...)
	die := len(jobs) == 0 && len(procs) == 0
	j.Unlock()
	if die {
		j.finishDying()
	}
	for _, c := range jobs {
		c.Kill(returnCode)
	}
	for _, p := range procs {
		p.Kill(returnCode)
	}
	return true
}

// finishDying asserts TERMINATED and leaves the tree: the children are
// gone, so the parent learns of this job's death after theirs.
func (j *Job) finishDying() {
	j.Lock()
	if j.state == jobDead {
		j.Unlock()
		return
	}
	j.state = jobDead
	j.UpdateStateLocked(0, TaskTerminated, 0)
	j.Unlock()
	j.detach()
}

// JobInfo is zx_info_job_t (ZX_INFO_JOB).
type JobInfo struct {
	ReturnCode       int64
	Exited           bool
	KillOnOOM        bool
	DebuggerAttached bool
}

// Info is ZX_INFO_JOB.
func (j *Job) Info() JobInfo {
	j.Lock()
	defer j.Unlock()
	return JobInfo{ReturnCode: j.returnCode, Exited: j.state == jobDead, KillOnOOM: j.killOnOOM}
}

// SetKillOnOOM sets ZX_PROP_JOB_KILL_ON_OOM.
func (j *Job) SetKillOnOOM(on bool) {
	j.Lock()
	j.killOnOOM = on
	j.Unlock()
}

// Children and Processes are the live child jobs and processes, oldest
// first (ZX_INFO_JOB_CHILDREN, ZX_INFO_JOB_PROCESSES).
func (j *Job) Children() []*Job {
	j.Lock()
	defer j.Unlock()
	return append([]*Job(nil), j.jobs...)
}

func (j *Job) Processes() []*Process {
	j.Lock()
	defer j.Unlock()
	return append([]*Process(nil), j.procs...)
}

// childHandle finds a child job or process by koid and makes a handle to
// it with the given rights, under the job's lock (see detachIfUnused).
func (j *Job) childHandle(koid Koid, rights Rights) (*Handle, Status) {
	j.Lock()
	defer j.Unlock()
	for _, c := range j.jobs {
		if c.Koid() == koid {
			return NewHandle(c, rights), OK
		}
	}
	for _, p := range j.procs {
		if p.Koid() == koid {
			return NewHandle(p, rights), OK
		}
	}
	return nil, ErrNotFound
}

// SetBasicPolicy is zx_job_set_policy with a basic topic: BAD_STATE while
// the job has children; see jobPolicy.addBasic for the rest.
func (j *Job) SetBasicPolicy(mode uint32, pols []BasicPolicy) Status {
	if mode != JobPolRelative && mode != JobPolAbsolute {
		return ErrInvalidArgs
	}
	j.Lock()
	defer j.Unlock()
	if len(j.jobs) > 0 || len(j.procs) > 0 {
		return ErrBadState
	}
	return j.policy.addBasic(mode, pols)
}

// SetTimerSlackPolicy is zx_job_set_policy with ZX_JOB_POL_TIMER_SLACK:
// RELATIVE only (INVALID_ARGS), BAD_STATE while the job has children, a
// negative slack or unknown mode is INVALID_ARGS. The slack only ever
// grows.
func (j *Job) SetTimerSlackPolicy(mode uint32, p TimerSlackPolicy) Status {
	if mode != JobPolRelative {
		return ErrInvalidArgs
	}
	j.Lock()
	defer j.Unlock()
	if len(j.jobs) > 0 || len(j.procs) > 0 {
		return ErrBadState
	}
	if p.MinSlack < 0 || p.DefaultMode > TimerSlackLate {
		return ErrInvalidArgs
	}
	j.policy.slack = max(j.policy.slack, p.MinSlack)
	j.policy.slackMode = p.DefaultMode
	return OK
}

// PolicyAction is the action the job's policy gives a condition.
func (j *Job) PolicyAction(cond uint32) uint32 {
	j.Lock()
	defer j.Unlock()
	return j.policy.query(cond)
}

// isAncestorOf reports whether j is p's job or one above it.
func (j *Job) isAncestorOf(p *Process) bool {
	for a := p.job; a != nil; a = a.parent {
		if a == j {
			return true
		}
	}
	return false
}
