package syscall

import "quartz/zircon/object"

// Sizes of the zx_job_set_policy entries.
const (
	policyBasicV1Size  = 8  // zx_policy_basic_v1_t
	policyBasicV2Size  = 12 // zx_policy_basic_v2_t
	processMemoryLimit = 64 << 20
)

// zx_job_create(parent_job, options, out).
func sysJobCreate(c *Context, a *args) int64 {
	v, st := object.JobCreate(c.Process, a.h(0), a.u32(1))
	return ret(c.outHandle(a[2], v, st))
}

// zx_job_set_policy(handle, options, topic, policy, count): the mode and
// a non-empty policy are checked first (INVALID_ARGS), then the handle
// (SET_POLICY), then the entries are read — at most ZX_POL_MAX basic ones
// (OUT_OF_RANGE), exactly one timer-slack entry.
func sysJobSetPolicy(c *Context, a *args) int64 {
	v, options, topic, ptr, count := a.h(0), a.u32(1), a.u32(2), a[3], a.u32(4)
	if options != object.JobPolRelative && options != object.JobPolAbsolute {
		return ret(object.ErrInvalidArgs)
	}
	if ptr == 0 || count == 0 {
		return ret(object.ErrInvalidArgs)
	}
	if _, _, st := get[*object.Job](c, v, object.RightSetPolicy); st != object.OK {
		return ret(st)
	}
	var size uint64
	switch topic {
	case object.JobPolBasicV1:
		size = policyBasicV1Size
	case object.JobPolBasicV2:
		size = policyBasicV2Size
	case object.JobPolTimerSlack:
		size = object.TimerSlackPolicySize
		if count != 1 {
			return ret(object.ErrInvalidArgs)
		}
	default:
		return ret(object.ErrInvalidArgs)
	}
	var buf [16 * object.TimerSlackPolicySize]byte
	n := uint64(0)
	if uint64(count)*size <= uint64(len(buf)) {
		n = uint64(count) * size
	}
	// More entries than conditions: nothing to read, the object layer
	// says OUT_OF_RANGE.
	if st := c.copyIn(ptr, buf[:n]); st != object.OK {
		return ret(st)
	}
	return ret(object.JobSetPolicy(c.Process, v, options, topic, buf[:n], count))
}

// zx_job_set_critical(job, options, process).
func sysJobSetCritical(c *Context, a *args) int64 {
	return ret(object.JobSetCritical(c.Process, a.h(0), a.u32(1), a.h(2)))
}

// zx_process_create(job, name, name_size, options, proc_handle,
// vmar_handle). If the handles cannot be written out they are closed,
// and the process, never started, dies.
func sysProcessCreate(c *Context, a *args) int64 {
	name, st := c.readString(a[1], a[2])
	if st != object.OK {
		return ret(st)
	}
	pv, rv, st := object.ProcessCreate(c.Process, a.h(0), name, a.u32(3))
	if st != object.OK {
		return ret(st)
	}
	return ret(c.outPair(a[4], a[5], pv, rv))
}

// zx_process_start(handle, thread, entry, stack, arg1, arg2): arg1 is a
// handle, moved into the new process (closed on failure).
func sysProcessStart(c *Context, a *args) int64 {
	return ret(object.ProcessStart(c.Process, a.h(0), a.h(1), a[2], a[3], a.h(4), a[5]))
}

// zx_process_exit(retcode): the process dies with retcode; the call does
// not return.
func sysProcessExit(c *Context, a *args) int64 {
	c.Process.Exit(int64(a[0]))
	c.Exit = true
	return ret(object.OK)
}

// zx_process_read_memory(handle, vaddr, buffer, buffer_size, actual): the
// process needs READ and WRITE; an empty buffer or one over 64 MiB is
// INVALID_ARGS.
func sysProcessReadMemory(c *Context, a *args) int64 {
	if st := c.processMemoryCheck(a.h(0), a[3]); st != object.OK {
		return ret(st)
	}
	buf := make([]byte, a[3])
	n, st := object.ProcessReadMemory(c.Process, a.h(0), a[1], buf)
	if st != object.OK {
		return ret(st)
	}
	if st := c.copyOut(a[2], buf[:n]); st != object.OK {
		return ret(st)
	}
	return ret(c.putOptU64(a[4], uint64(n)))
}

// zx_process_write_memory(handle, vaddr, buffer, buffer_size, actual).
func sysProcessWriteMemory(c *Context, a *args) int64 {
	if st := c.processMemoryCheck(a.h(0), a[3]); st != object.OK {
		return ret(st)
	}
	buf := make([]byte, a[3])
	if st := c.copyIn(a[2], buf); st != object.OK {
		return ret(st)
	}
	n, st := object.ProcessWriteMemory(c.Process, a.h(0), a[1], buf)
	if st != object.OK {
		return ret(st)
	}
	return ret(c.putOptU64(a[4], uint64(n)))
}

func (c *Context) processMemoryCheck(v object.HandleValue, size uint64) object.Status {
	if _, _, st := get[*object.Process](c, v, object.RightRead|object.RightWrite); st != object.OK {
		return st
	}
	if size == 0 || size > processMemoryLimit {
		return object.ErrInvalidArgs
	}
	return object.OK
}

// zx_thread_create(process, name, name_size, options, out).
func sysThreadCreate(c *Context, a *args) int64 {
	name, st := c.readString(a[1], a[2])
	if st != object.OK {
		return ret(st)
	}
	v, st := object.ThreadCreate(c.Process, a.h(0), name, a.u32(3))
	return ret(c.outHandle(a[4], v, st))
}

// zx_thread_start(handle, thread_entry, stack, arg1, arg2).
func sysThreadStart(c *Context, a *args) int64 {
	return ret(object.ThreadStart(c.Process, a.h(0), a[1], a[2], a[3], a[4]))
}

// zx_thread_exit(): the calling thread ends; the call does not return.
func sysThreadExit(c *Context, a *args) int64 { return c.threadExit() }

func (c *Context) threadExit() int64 {
	if c.Thread != nil {
		c.Thread.Kill()
	}
	c.Exit = true
	return ret(object.OK)
}

// zx_task_kill(handle): the task needs DESTROY. A thread or process
// killing itself learns it when its run loop next looks.
func sysTaskKill(c *Context, a *args) int64 {
	st := object.TaskKill(c.Process, a.h(0))
	if st == object.OK && c.Thread != nil {
		select {
		case <-c.Thread.Killed():
			c.Exit = true
		default:
		}
	}
	return ret(st)
}
