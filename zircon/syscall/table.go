package syscall

import (
	"quartz/zircon/object"
)

// Frame is a syscall as the trap reports it: the number (rax) and the
// argument registers in the order of the Zircon x86-64 ABI — rdi, rsi,
// rdx, r10, r8, r9, r12, r13.
type Frame struct {
	Num  uint64
	Args [8]uint64
}

// Context is the caller of a syscall: its process (handle table, job
// policy, futexes), its thread, the memory its pointers point into and
// the channel that cancels its blocking calls. A thread's run loop keeps
// one Context for all the thread's calls; a Context makes one call at a
// time.
type Context struct {
	Process *object.Process
	// Thread is the calling thread; nil for calls made on a process's
	// behalf outside any of its threads (tests, the kernel itself).
	Thread *object.Thread
	// Mem is the user memory; nil means the process's address space.
	Mem Memory
	// Cancel ends blocking calls; nil means the thread's kill channel
	// (and, without a thread, nothing).
	Cancel <-chan struct{}

	// Exit is set when the call ended the thread (thread_exit,
	// process_exit) or the thread was killed while blocked: the run loop
	// must not return to user mode.
	Exit bool

	args args // the arguments of the call in progress
}

// NewContext is the Context of a thread's calls.
func NewContext(t *object.Thread) *Context {
	p := t.Process()
	return &Context{Process: p, Thread: t, Mem: p.Space(), Cancel: t.Killed()}
}

func (c *Context) mem() Memory {
	if c.Mem != nil {
		return c.Mem
	}
	return c.Process.Space()
}

func (c *Context) cancel() <-chan struct{} {
	if c.Cancel != nil || c.Thread == nil {
		return c.Cancel
	}
	return c.Thread.Killed()
}

func (c *Context) handles() *object.HandleTable { return c.Process.Handles() }

// args are a call's arguments, decoded by the handlers to their C types.
type args [8]uint64

// h is a zx_handle_t argument (32 bits: the high half is ignored).
func (a *args) h(i int) object.HandleValue { return object.HandleValue(uint32(a[i])) }

func (a *args) u32(i int) uint32 { return uint32(a[i]) }

func (a *args) time(i int) object.Time { return object.Time(int64(a[i])) }

func (a *args) rights(i int) object.Rights { return object.Rights(uint32(a[i])) }

func (a *args) signals(i int) object.Signals { return object.Signals(uint32(a[i])) }

// handler runs one syscall and returns the value for rax.
type handler func(c *Context, a *args) int64

// ret is a status as a return value.
func ret(st object.Status) int64 { return int64(st) }

// Dispatch runs the syscall f describes on behalf of c and returns the
// value for rax. A number no syscall has gives ZX_ERR_BAD_SYSCALL; a
// syscall of Fuchsia's that Quartz does not provide, ZX_ERR_NOT_SUPPORTED.
func Dispatch(c *Context, f *Frame) uint64 {
	h, known := lookupHandler(f.Num)
	if h == nil {
		if known {
			return uint64(ret(object.ErrNotSupported))
		}
		return uint64(ret(object.ErrBadSyscall))
	}
	c.args = f.Args
	r := h(c, &c.args)
	if r == ret(object.ErrInternalIntrKilled) {
		c.Exit = true
	}
	return uint64(r)
}

// Call is Dispatch with the number and arguments given directly.
func Call(c *Context, n Num, a ...uint64) uint64 {
	f := Frame{Num: uint64(n)}
	copy(f.Args[:], a)
	return Dispatch(c, &f)
}

// Implemented reports whether Quartz provides syscall n.
func Implemented(n Num) bool {
	h, _ := lookupHandler(uint64(n))
	return h != nil
}

func lookupHandler(n uint64) (h handler, known bool) {
	switch {
	case n < uint64(Count):
		return fuchsiaTable[n], true
	case n >= uint64(VDSOBase) && n < uint64(vdsoEnd):
		return vdsoTable[n-uint64(VDSOBase)], true
	}
	return nil, false
}
