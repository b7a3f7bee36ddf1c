package ptrace

import (
	"sync"

	"golang.org/x/sys/unix"

	"quartz/hal"
)

// addressSpace is a guest address space: one stub process whose mappings
// are changed by system calls injected into its first thread.
type addressSpace struct {
	stub *stub
	// tracers maps the host tid of an OS thread to the context it traces
	// in this address space. A call from such a thread injects into that
	// context's own stopped stub thread instead of handing the call to
	// the stub's first thread on another OS thread: two thread switches
	// fewer on every fault.
	tracers sync.Map // int -> *context
}

var _ hal.AddressSpace = (*addressSpace)(nil)

func prot(p hal.Perms) uint64 {
	var v uint64
	if p&hal.PermRead != 0 {
		v |= unix.PROT_READ
	}
	if p&hal.PermWrite != 0 {
		v |= unix.PROT_WRITE
	}
	if p&hal.PermExec != 0 {
		v |= unix.PROT_EXEC
	}
	return v
}

// call runs a system call in the stub, on the caller's own stub thread
// when the calling OS thread traces one here.
func (a *addressSpace) call(nr uintptr, args ...uint64) (uint64, error) {
	if c, ok := a.tracers.Load(unix.Gettid()); ok {
		return c.(*context).inject(nr, args)
	}
	return a.stub.call(syscallAddr, nr, args...)
}

func (a *addressSpace) Map(va, frame, length uint64, perms hal.Perms) error {
	_, err := a.call(unix.SYS_MMAP, va, length, prot(perms), unix.MAP_SHARED|unix.MAP_FIXED, ramFD, frame)
	return err
}

func (a *addressSpace) Unmap(va, length uint64) error {
	_, err := a.call(unix.SYS_MUNMAP, va, length)
	return err
}

func (a *addressSpace) Protect(va, length uint64, perms hal.Perms) error {
	_, err := a.call(unix.SYS_MPROTECT, va, length, prot(perms))
	return err
}

func (a *addressSpace) Limit() uint64 { return stubBase }

func (a *addressSpace) Release() { a.stub.kill() }
