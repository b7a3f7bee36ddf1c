package object

import (
	"encoding/binary"
	"runtime"

	"quartz/kernel/task"
)

// ThreadEntry is where a thread starts: zx_thread_start's (and
// zx_process_start's) entry point, stack pointer and two arguments, the
// registers the syscall ABI will load.
type ThreadEntry struct {
	PC, SP, Arg1, Arg2 uint64
}

// Runner is the body of a started thread: it runs on the thread's own
// goroutine and the thread ends when it returns (zx_thread_exit). A body
// must return soon after the thread's Killed channel closes; blocking
// waits get that channel as their cancel channel, so they return
// INTERNAL_INTR_KILLED then. Until guest code runs, tests give threads Go
// bodies; later the syscall ABI's run loop will be the runner.
type Runner func(t *Thread, e ThreadEntry)

// Thread states in zx_info_thread_t (ZX_THREAD_STATE_*).
const (
	ThreadStateNew       uint32 = 0
	ThreadStateRunning   uint32 = 1
	ThreadStateSuspended uint32 = 2
	ThreadStateBlocked   uint32 = 3
	ThreadStateDying     uint32 = 4
	ThreadStateDead      uint32 = 5
)

// Thread is a thread of a process (Zircon's ThreadDispatcher) on a
// kernel/task Task: created new, its body runs once started, and it is
// dead — TERMINATED — when the body returns; killing it closes its Killed
// channel and waits for the body to notice. A thread that is never
// started and loses its last handle dies at once.
type Thread struct {
	Base
	process *Process
	task    *task.Task

	runner Runner // guarded by the lock
}

// CreateThread is zx_thread_create on the process: a new thread, not yet
// running. INVALID_ARGS for options other than 0, BAD_STATE once the
// process is dying.
func (p *Process) CreateThread(name string, options uint32) (*Thread, Status) {
	if options != 0 {
		return nil, ErrInvalidArgs
	}
	t := &Thread{process: p, task: task.NewTask()}
	t.task.OnDead(t.died)
	t.Init(TypeThread, 0)
	t.SetName(name)
	t.SetRelatedKoid(p.Koid())
	if st := p.addThread(t); st != OK {
		return nil, st
	}
	return t, OK
}

// Process is the process the thread belongs to.
func (t *Thread) Process() *Process { return t.process }

// Killed is closed when the thread is killed (or has ended): the cancel
// channel of every blocking call the thread makes.
func (t *Thread) Killed() <-chan struct{} { return t.task.Killed() }

// SetRunner gives the thread its body; call it before the thread starts.
// Without one the thread runs its Env's Runner, or waits to be killed.
func (t *Thread) SetRunner(r Runner) {
	t.Lock()
	t.runner = r
	t.Unlock()
}

func (t *Thread) isNew() bool { return t.task.State() == task.New }

// Start is zx_thread_start on the object: INVALID_ARGS for an entry
// outside the user address range, BAD_STATE if the thread is not new or
// its process is not running (process_start starts the first thread).
func (t *Thread) Start(entry ThreadEntry) Status {
	if !userAddress(entry.PC) {
		return ErrInvalidArgs
	}
	p := t.process
	p.Lock()
	defer p.Unlock()
	if p.state != processRunning || !t.isNew() {
		return ErrBadState
	}
	t.start(entry)
	return OK
}

// start runs the body on the task's goroutine, unless the thread was
// killed before it could start.
func (t *Thread) start(entry ThreadEntry) {
	t.Lock()
	run := t.runner
	t.Unlock()
	if run == nil {
		run = t.process.env.Runner
	}
	if run == nil {
		run = waitForKill
	}
	t.task.Start(func() {
		t.Lock()
		t.UpdateStateLocked(0, ThreadRunning, 0)
		t.Unlock()
		run(t, entry)
	})
}

func waitForKill(t *Thread, _ ThreadEntry) { <-t.Killed() }

// Kill is zx_task_kill on a thread. A new thread dies at once; a running
// one is told through Killed and dies when its body returns.
func (t *Thread) Kill() { t.task.Kill() }

// died is the task's end: TERMINATED, and out of its process.
func (t *Thread) died() {
	t.Lock()
	t.UpdateStateLocked(ThreadRunning, ThreadTerminated, 0)
	t.Unlock()
	t.process.removeThread(t)
}

// OnZeroHandles: a thread never started that nobody holds can never
// start.
func (t *Thread) OnZeroHandles() {
	if t.isNew() {
		t.Kill()
	}
}

// ThreadInfo is zx_info_thread_t (ZX_INFO_THREAD).
type ThreadInfo struct {
	State                    uint32
	WaitExceptionChannelType uint32
	CPUAffinityMask          [8]uint64
}

// ThreadInfoSize is sizeof(zx_info_thread_t).
const ThreadInfoSize = 72

// Info is ZX_INFO_THREAD. Any CPU may run any thread.
func (t *Thread) Info() ThreadInfo {
	var i ThreadInfo
	switch t.task.State() {
	case task.New:
		i.State = ThreadStateNew
	case task.Running:
		i.State = ThreadStateRunning
	case task.Dying:
		i.State = ThreadStateDying
	default:
		i.State = ThreadStateDead
	}
	for c := 0; c < min(runtime.NumCPU(), 512); c++ {
		i.CPUAffinityMask[c/64] |= 1 << (c % 64)
	}
	return i
}

// Marshal encodes zx_info_thread_t: state u32, wait_exception_channel_type
// u32, cpu_affinity_mask u64[8].
func (i ThreadInfo) Marshal() []byte {
	b := make([]byte, ThreadInfoSize)
	binary.LittleEndian.PutUint32(b[0:], i.State)
	binary.LittleEndian.PutUint32(b[4:], i.WaitExceptionChannelType)
	for k, m := range i.CPUAffinityMask {
		binary.LittleEndian.PutUint64(b[8+8*k:], m)
	}
	return b
}
