package object

import (
	"encoding/binary"

	"quartz/kernel/mm"
)

type processState uint8

const (
	processInitial processState = iota // created, not started
	processRunning
	processDying // killed or exiting; waiting for its threads
	processDead
)

// Process is an address space, a handle table and threads (Zircon's
// ProcessDispatcher). It is created in a job, with a root VMAR covering
// its address space; it starts when process_start starts its first
// thread, and is dead — TERMINATED, its handles closed, its memory
// released — once it was killed or exited and its last thread is gone,
// or once its last started thread ends.
type Process struct {
	Base
	job      *Job
	env      *Env
	handles  *HandleTable
	space    *mm.Space
	rootVMAR *VMAR
	// Futexes are the process's futex wait queues, over its memory.
	Futexes *FutexContext

	// Guarded by the lock.
	state           processState
	policy          jobPolicy // the job's, as it was at creation
	threads         []*Thread
	returnCode      int64
	started         bool
	startTime       Time
	debugAddr       uint64
	breakOnLoad     uint64
	criticalTo      *Job
	criticalNonzero bool
}

// ProcessInfo flags (zx_info_process_t.flags).
const (
	InfoProcessFlagStarted          uint32 = 1 << 0
	InfoProcessFlagExited           uint32 = 1 << 1
	InfoProcessFlagDebuggerAttached uint32 = 1 << 2
)

// CreateProcess is zx_process_create on the job: a new process named
// name, with its root VMAR. INVALID_ARGS for options other than 0,
// BAD_STATE if the job is killed, NO_MEMORY if the platform gives no
// address space. The process holds its job in the tree until it dies.
func (j *Job) CreateProcess(name string, options uint32) (*Process, *VMAR, Status) {
	if options != 0 {
		return nil, nil, ErrInvalidArgs
	}
	as, err := j.env.newAddressSpace()
	if err != nil {
		return nil, nil, ErrNoMemory
	}
	p := &Process{job: j, env: j.env, handles: NewHandleTable()}
	p.Init(TypeProcess, 0)
	p.SetName(name)
	p.SetRelatedKoid(j.Koid())
	p.space = mm.NewSpace(as, j.env.Frames, UserAspaceBase)
	p.rootVMAR = newRootVMAR(p)
	p.Futexes = NewFutexContext(p)
	if !j.addProcess(p) {
		p.space.Release()
		return nil, nil, ErrBadState
	}
	return p, p.rootVMAR, OK
}

// Job is the job the process was created in.
func (p *Process) Job() *Job { return p.job }

// Handles is the process's handle table.
func (p *Process) Handles() *HandleTable { return p.handles }

// RootVMAR is the VMAR covering the whole address space.
func (p *Process) RootVMAR() *VMAR { return p.rootVMAR }

// Space is the process's address space.
func (p *Process) Space() *mm.Space { return p.space }

// Env is the machine the process runs on.
func (p *Process) Env() *Env { return p.env }

// EnforcePolicy applies the process's job policy to a condition (Zircon's
// EnforceBasicPolicy): OK for ALLOW, ACCESS_DENIED for DENY; KILL kills
// the process (TaskRetcodePolicyKill) and denies. Quartz has no exception
// channels yet, so the *_EXCEPTION actions act as their plain forms.
func (p *Process) EnforcePolicy(cond uint32) Status {
	p.Lock()
	action := p.policy.query(cond)
	p.Unlock()
	switch action {
	case PolActionAllow, PolActionAllowException:
		return OK
	case PolActionKill:
		p.Kill(TaskRetcodePolicyKill)
	}
	return ErrAccessDenied
}

// AddHandle puts a handle to obj with the given rights in the process's
// table: what a syscall that creates an object returns.
func (p *Process) AddHandle(obj Object, rights Rights) (HandleValue, Status) {
	return p.handles.AddObject(obj, rights)
}

// lookup is the handle lookup every syscall makes in its process: a value
// that names no handle also goes through the ZX_POL_BAD_HANDLE policy
// (ALLOW and DENY alike give BAD_HANDLE; KILL kills the process).
func lookup[T Object](p *Process, v HandleValue, want Rights) (T, *Handle, Status) {
	obj, h, st := GetObject[T](p.handles, v, want)
	if st == ErrBadHandle {
		p.EnforcePolicy(PolBadHandle)
	}
	return obj, h, st
}

// Start is zx_process_start on the objects: thread t, which must belong
// to p (ACCESS_DENIED), starts at entry and p with it; arg is moved into
// p's handle table and its value passed as the thread's first argument
// (replacing entry.Arg1). BAD_STATE if p was started already (or is dying)
// or t is not new; INVALID_ARGS for an entry outside the user address
// range. On failure arg is closed.
func (p *Process) Start(t *Thread, entry ThreadEntry, arg *Handle) Status {
	st := p.start(t, entry, arg)
	if st != OK && arg != nil {
		arg.Close()
	}
	return st
}

func (p *Process) start(t *Thread, entry ThreadEntry, arg *Handle) Status {
	if t.process != p {
		return ErrAccessDenied
	}
	if !userAddress(entry.PC) {
		return ErrInvalidArgs
	}
	p.Lock()
	if p.state != processInitial || !t.isNew() {
		p.Unlock()
		return ErrBadState
	}
	entry.Arg1 = uint64(HandleInvalid)
	if arg != nil {
		v, st := p.handles.Add(arg)
		if st != OK {
			p.Unlock()
			return st
		}
		entry.Arg1 = uint64(v)
	}
	p.state = processRunning
	p.started = true
	p.startTime = Now()
	p.Unlock()
	// A kill racing with this start finds the thread new and ends it; the
	// thread then refuses to start and the process dies with it.
	t.start(entry)
	return OK
}

// userAddress reports whether addr lies in the user address range.
func userAddress(addr uint64) bool { return addr >= UserAspaceBase && addr < UserAspaceTop }

// addThread puts a new thread in the process: BAD_STATE once it is dying.
func (p *Process) addThread(t *Thread) Status {
	p.Lock()
	defer p.Unlock()
	if p.state == processDying || p.state == processDead {
		return ErrBadState
	}
	p.threads = append(p.threads, t)
	return OK
}

// removeThread takes a dead thread out; the last thread of a started
// process takes the process with it.
func (p *Process) removeThread(t *Thread) {
	p.Lock()
	i := indexOf(p.threads, t)
	if i < 0 {
		p.Unlock()
		return
	}
	p.threads = append(p.threads[:i], p.threads[i+1:]...)
	die := len(p.threads) == 0 && (p.state == processRunning || p.state == processDying)
	if die {
		p.state = processDying
	}
	p.Unlock()
	if die {
		p.finishDying()
	}
}

// Threads is the process's threads, oldest first (ZX_INFO_PROCESS_THREADS).
func (p *Process) Threads() []*Thread {
	p.Lock()
	defer p.Unlock()
	return append([]*Thread(nil), p.threads...)
}

// Kill is zx_task_kill on a process: the return code becomes returnCode
// unless the process is already dying, every thread is killed, and the
// process dies when they have. A process never started and without
// threads dies at once.
func (p *Process) Kill(returnCode int64) { p.exit(returnCode) }

// Exit is zx_process_exit, called by one of the process's threads: the
// same as being killed with retcode, except that the thread calling it
// must then return from its body (it has been killed too).
func (p *Process) Exit(retcode int64) { p.exit(retcode) }

func (p *Process) exit(retcode int64) {
	p.Lock()
	if p.state == processDying || p.state == processDead {
		p.Unlock()
		return
	}
	p.returnCode = retcode
	p.state = processDying
	threads := append([]*Thread(nil), p.threads...)
	p.Unlock()
	if len(threads) == 0 {
		p.finishDying()
		return
	}
	for _, t := range threads {
		t.Kill()
	}
}

// finishDying makes the dying process dead: its handles are closed, its
// address space released, TERMINATED asserted, and it leaves its job. A
// critical process takes its job down with it.
func (p *Process) finishDying() {
	p.Lock()
	if p.state == processDead {
		p.Unlock()
		return
	}
	p.state = processDead
	crit, nonzero, rc := p.criticalTo, p.criticalNonzero, p.returnCode
	p.Unlock()
	p.handles.CloseAll()
	p.space.Release()
	p.UpdateState(0, ProcessTerminated)
	p.job.removeProcess(p)
	if crit != nil && (!nonzero || rc != 0) {
		crit.Kill(TaskRetcodeCriticalProcessKill)
	}
}

// OnZeroHandles: a process nobody holds that never started can never
// start; it is killed so that it leaves its job.
func (p *Process) OnZeroHandles() {
	p.Lock()
	initial := p.state == processInitial
	p.Unlock()
	if initial {
		p.Kill(TaskRetcodeSyscallKill)
	}
}

// SetCritical is zx_job_set_critical on the objects: when p dies, j is
// killed (with TaskRetcodeCriticalProcessKill) — with retcodeNonzero
// only if p's return code is not 0. j must be p's job or an ancestor
// (INVALID_ARGS); a process can be critical to one job only
// (ALREADY_BOUND).
func (p *Process) SetCritical(j *Job, retcodeNonzero bool) Status {
	p.Lock()
	defer p.Unlock()
	if p.criticalTo != nil {
		return ErrAlreadyBound
	}
	if !j.isAncestorOf(p) {
		return ErrInvalidArgs
	}
	p.criticalTo, p.criticalNonzero = j, retcodeNonzero
	return OK
}

// ProcessInfo is zx_info_process_t (ZX_INFO_PROCESS).
type ProcessInfo struct {
	ReturnCode int64
	StartTime  Time
	Flags      uint32
}

// ProcessInfoSize is sizeof(zx_info_process_t).
const ProcessInfoSize = 24

// Info is ZX_INFO_PROCESS.
func (p *Process) Info() ProcessInfo {
	p.Lock()
	defer p.Unlock()
	var i ProcessInfo
	if p.started {
		i.Flags |= InfoProcessFlagStarted
		i.StartTime = p.startTime
	}
	if p.state == processDead {
		i.Flags |= InfoProcessFlagExited
		i.ReturnCode = p.returnCode
	}
	return i
}

// Marshal encodes zx_info_process_t: return_code i64, start_time i64,
// flags u32, padding.
func (i ProcessInfo) Marshal() []byte {
	b := make([]byte, ProcessInfoSize)
	binary.LittleEndian.PutUint64(b[0:], uint64(i.ReturnCode))
	binary.LittleEndian.PutUint64(b[8:], uint64(i.StartTime))
	binary.LittleEndian.PutUint32(b[16:], i.Flags)
	return b
}

// ReadMemory is zx_process_read_memory: copy the process's memory at
// addr into b, regardless of the mappings' permissions, as a debugger
// does. It returns the bytes read; NO_MEMORY if nothing is mapped at
// addr, BAD_STATE once the process is dead.
func (p *Process) ReadMemory(addr uint64, b []byte) (int, Status) {
	return p.accessMemory(addr, b, false)
}

// WriteMemory is zx_process_write_memory.
func (p *Process) WriteMemory(addr uint64, b []byte) (int, Status) {
	return p.accessMemory(addr, b, true)
}

func (p *Process) accessMemory(addr uint64, b []byte, write bool) (int, Status) {
	p.Lock()
	dead := p.state == processDead
	p.Unlock()
	if dead {
		return 0, ErrBadState
	}
	if len(b) == 0 {
		return 0, ErrInvalidArgs
	}
	n, err := p.space.Access(addr, b, write, true)
	if n == 0 && err != nil {
		return 0, ErrNoMemory
	}
	return n, OK
}

// LoadFutex reads a futex word of the process's memory (FutexMemory).
func (p *Process) LoadFutex(addr uint64) (uint32, Status) {
	var b [4]byte
	if _, err := p.space.Access(addr, b[:], false, false); err != nil {
		return 0, ErrInvalidArgs
	}
	return binary.LittleEndian.Uint32(b[:]), OK
}
