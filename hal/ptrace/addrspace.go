package ptrace

import (
	"golang.org/x/sys/unix"

	"quartz/hal"
)

// addressSpace is a guest address space: one stub process whose mappings
// are changed by system calls injected into its first thread.
type addressSpace struct {
	stub *stub
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

func (a *addressSpace) Map(va, frame, length uint64, perms hal.Perms) error {
	_, err := a.stub.call(syscallAddr, unix.SYS_MMAP, va, length, prot(perms),
		unix.MAP_SHARED|unix.MAP_FIXED, ramFD, frame)
	return err
}

func (a *addressSpace) Unmap(va, length uint64) error {
	_, err := a.stub.call(syscallAddr, unix.SYS_MUNMAP, va, length)
	return err
}

func (a *addressSpace) Protect(va, length uint64, perms hal.Perms) error {
	_, err := a.stub.call(syscallAddr, unix.SYS_MPROTECT, va, length, prot(perms))
	return err
}

func (a *addressSpace) Limit() uint64 { return stubBase }

func (a *addressSpace) Release() { a.stub.kill() }
