package object

import "encoding/binary"

// The job, process and thread syscalls as a process makes them.

// JobCreate is zx_job_create: options must be 0 (INVALID_ARGS); the
// parent handle needs MANAGE_JOB; then Job.CreateChild.
func JobCreate(p *Process, parent HandleValue, options uint32) (HandleValue, Status) {
	if options != 0 {
		return HandleInvalid, ErrInvalidArgs
	}
	j, _, st := lookup[*Job](p, parent, RightManageJob)
	if st != OK {
		return HandleInvalid, st
	}
	c, st := j.CreateChild(0)
	if st != OK {
		return HandleInvalid, st
	}
	return p.AddHandle(c, DefaultJobRights)
}

// TimerSlackPolicySize is sizeof(zx_policy_timer_slack_t).
const TimerSlackPolicySize = 16

// JobSetPolicy is zx_job_set_policy with the policy array as bytes
// (count entries of the topic's struct). INVALID_ARGS for a mode other
// than RELATIVE or ABSOLUTE, no entries, a buffer shorter than count
// entries or an unknown topic; the handle needs SET_POLICY. The timer
// slack topic takes exactly one entry.
func JobSetPolicy(p *Process, v HandleValue, options, topic uint32, data []byte, count uint32) Status {
	if options != JobPolRelative && options != JobPolAbsolute {
		return ErrInvalidArgs
	}
	if count == 0 || data == nil {
		return ErrInvalidArgs
	}
	j, _, st := lookup[*Job](p, v, RightSetPolicy)
	if st != OK {
		return st
	}
	switch topic {
	case JobPolBasicV1, JobPolBasicV2:
		if count > polMax {
			return ErrOutOfRange
		}
		pols, st := decodeBasicPolicy(topic, data, count)
		if st != OK {
			return st
		}
		return j.SetBasicPolicy(options, pols)
	case JobPolTimerSlack:
		if count != 1 || len(data) < TimerSlackPolicySize {
			return ErrInvalidArgs
		}
		return j.SetTimerSlackPolicy(options, TimerSlackPolicy{
			MinSlack:    Duration(binary.LittleEndian.Uint64(data)),
			DefaultMode: binary.LittleEndian.Uint32(data[8:]),
		})
	}
	return ErrInvalidArgs
}

// JobSetCritical is zx_job_set_critical: INVALID_ARGS for options other
// than JobCriticalProcessRetcodeNonzero; the job handle needs DESTROY,
// the process handle WAIT; then Process.SetCritical.
func JobSetCritical(p *Process, job HandleValue, options uint32, proc HandleValue) Status {
	if options&^JobCriticalProcessRetcodeNonzero != 0 {
		return ErrInvalidArgs
	}
	j, _, st := lookup[*Job](p, job, RightDestroy)
	if st != OK {
		return st
	}
	target, _, st := lookup[*Process](p, proc, RightWait)
	if st != OK {
		return st
	}
	return target.SetCritical(j, options&JobCriticalProcessRetcodeNonzero != 0)
}

// ProcessCreate is zx_process_create: INVALID_ARGS for options other
// than 0, ZX_POL_NEW_PROCESS, the job handle needs MANAGE_PROCESS, then
// Job.CreateProcess. It returns handles to the process and its root VMAR.
func ProcessCreate(p *Process, job HandleValue, name string, options uint32) (HandleValue, HandleValue, Status) {
	if options != 0 {
		return HandleInvalid, HandleInvalid, ErrInvalidArgs
	}
	if st := p.EnforcePolicy(PolNewProcess); st != OK {
		return HandleInvalid, HandleInvalid, st
	}
	j, _, st := lookup[*Job](p, job, RightManageProcess)
	if st != OK {
		return HandleInvalid, HandleInvalid, st
	}
	np, root, st := j.CreateProcess(name, 0)
	if st != OK {
		return HandleInvalid, HandleInvalid, st
	}
	pv, st := p.AddHandle(np, DefaultProcessRights)
	if st != OK {
		return HandleInvalid, HandleInvalid, st
	}
	rv, st := p.AddHandle(root, root.DefaultRights())
	if st != OK {
		p.handles.Close(pv)
		return HandleInvalid, HandleInvalid, st
	}
	return pv, rv, OK
}

// ProcessStart is zx_process_start. The argument handle is taken from the
// caller whatever happens: on success it moves into the new process and
// its value there is the thread's first argument; on failure it is
// closed. The process and thread handles need WRITE, the argument
// handle TRANSFER (ACCESS_DENIED); then Process.Start.
func ProcessStart(p *Process, proc, thread HandleValue, pc, sp uint64, arg HandleValue, arg2 uint64) Status {
	drop := func() {
		if arg != HandleInvalid {
			p.handles.Close(arg)
		}
	}
	target, _, st := lookup[*Process](p, proc, RightWrite)
	if st != OK {
		drop()
		return st
	}
	t, _, st := lookup[*Thread](p, thread, RightWrite)
	if st != OK {
		drop()
		return st
	}
	var h *Handle
	if arg != HandleInvalid {
		if h, st = p.handles.Remove(arg); st != OK {
			return st
		}
	}
	if t.process != target {
		if h != nil {
			h.Close()
		}
		return ErrAccessDenied
	}
	if h != nil && !h.HasRights(RightTransfer) {
		h.Close()
		return ErrAccessDenied
	}
	return target.Start(t, ThreadEntry{PC: pc, SP: sp, Arg2: arg2}, h)
}

// ProcessReadMemory is zx_process_read_memory: the handle needs READ and
// WRITE; an empty buffer or one over 64 MiB is INVALID_ARGS.
func ProcessReadMemory(p *Process, proc HandleValue, addr uint64, buf []byte) (int, Status) {
	return processMemory(p, proc, addr, buf, false)
}

// ProcessWriteMemory is zx_process_write_memory.
func ProcessWriteMemory(p *Process, proc HandleValue, addr uint64, buf []byte) (int, Status) {
	return processMemory(p, proc, addr, buf, true)
}

func processMemory(p *Process, proc HandleValue, addr uint64, buf []byte, write bool) (int, Status) {
	target, _, st := lookup[*Process](p, proc, RightRead|RightWrite)
	if st != OK {
		return 0, st
	}
	if len(buf) == 0 || len(buf) > 64<<20 {
		return 0, ErrInvalidArgs
	}
	if write {
		return target.WriteMemory(addr, buf)
	}
	return target.ReadMemory(addr, buf)
}

// ThreadCreate is zx_thread_create: options must be 0 (INVALID_ARGS), the
// process handle needs MANAGE_THREAD, then Process.CreateThread.
func ThreadCreate(p *Process, proc HandleValue, name string, options uint32) (HandleValue, Status) {
	if options != 0 {
		return HandleInvalid, ErrInvalidArgs
	}
	target, _, st := lookup[*Process](p, proc, RightManageThread)
	if st != OK {
		return HandleInvalid, st
	}
	t, st := target.CreateThread(name, 0)
	if st != OK {
		return HandleInvalid, st
	}
	return p.AddHandle(t, DefaultThreadRights)
}

// ThreadStart is zx_thread_start: the handle needs WRITE, then
// Thread.Start.
func ThreadStart(p *Process, thread HandleValue, pc, sp, arg1, arg2 uint64) Status {
	t, _, st := lookup[*Thread](p, thread, RightWrite)
	if st != OK {
		return st
	}
	return t.Start(ThreadEntry{PC: pc, SP: sp, Arg1: arg1, Arg2: arg2})
}

// TaskKill is zx_task_kill: the handle needs DESTROY; a job, process or
// thread is killed (TaskRetcodeSyscallKill), anything else is
// WRONG_TYPE.
func TaskKill(p *Process, v HandleValue) Status {
	h, st := p.handles.Get(v, TypeNone, RightDestroy)
	if st == ErrBadHandle {
		p.EnforcePolicy(PolBadHandle)
	}
	if st != OK {
		return st
	}
	switch o := h.Object().(type) {
	case *Job:
		o.Kill(TaskRetcodeSyscallKill)
	case *Process:
		o.Kill(TaskRetcodeSyscallKill)
	case *Thread:
		o.Kill()
	default:
		return ErrWrongType
	}
	return OK
}

// ObjectGetChild is zx_object_get_child: a handle to the thread of a
// process, or the child job or process of a job, with the given koid.
// The handle needs ENUMERATE, and rights must be RightSameRights or a
// subset of its rights (ACCESS_DENIED); NOT_FOUND if there is no such
// child, WRONG_TYPE for other objects.
func ObjectGetChild(p *Process, v HandleValue, koid Koid, rights Rights) (HandleValue, Status) {
	h, st := p.handles.Get(v, TypeNone, 0)
	if st == ErrBadHandle {
		p.EnforcePolicy(PolBadHandle)
	}
	if st != OK {
		return HandleInvalid, st
	}
	if !h.HasRights(RightEnumerate) {
		return HandleInvalid, ErrAccessDenied
	}
	if rights == RightSameRights {
		rights = h.Rights()
	} else if !h.HasRights(rights) {
		return HandleInvalid, ErrAccessDenied
	}
	var child *Handle
	switch o := h.Object().(type) {
	case *Process:
		child, st = o.threadHandle(koid, rights)
	case *Job:
		child, st = o.childHandle(koid, rights)
	default:
		return HandleInvalid, ErrWrongType
	}
	if st != OK {
		return HandleInvalid, st
	}
	nv, st := p.handles.Add(child)
	if st != OK {
		child.Close()
	}
	return nv, st
}

// threadHandle finds a thread by koid and makes a handle to it.
func (p *Process) threadHandle(koid Koid, rights Rights) (*Handle, Status) {
	p.Lock()
	defer p.Unlock()
	for _, t := range p.threads {
		if t.Koid() == koid {
			return NewHandle(t, rights), OK
		}
	}
	return nil, ErrNotFound
}
