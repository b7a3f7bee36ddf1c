package object

import (
	"quartz/hal"
	"quartz/kernel/mm"
)

// Env is what the memory and task objects need from the machine: the
// frames VMOs take their pages from and a way to make the address space
// of a new process. A root job is made over one Env and every job,
// process and VMO under it shares it.
type Env struct {
	Frames *mm.Frames
	// NewAddressSpace makes the platform address space of a new process.
	// Nil gives each process an address space that only the kernel
	// reaches (through mappings, process_read_memory and the like): the
	// right thing while no guest code runs in it.
	NewAddressSpace func() (hal.AddressSpace, error)
	// Runner is what a started thread that was given no Runner of its own
	// runs. Nil: the thread waits until it is killed.
	Runner Runner
}

// The user address range of a process, as Zircon has it on x86-64: the
// root VMAR starts at 16 MiB and ends a page below 2^47.
const (
	UserAspaceBase = 0x1000000
	UserAspaceTop  = 1<<47 - hal.PageSize
)

// newAddressSpace makes a process's platform address space.
func (e *Env) newAddressSpace() (hal.AddressSpace, error) {
	if e.NewAddressSpace == nil {
		return kernelOnlyAS{}, nil
	}
	return e.NewAddressSpace()
}

// kernelOnlyAS is a platform address space nothing runs in: mm's page
// table still records which frames back which pages, and the kernel reads
// and writes them directly, so there is nothing for a platform to do.
type kernelOnlyAS struct{}

func (kernelOnlyAS) Map(va, frame, length uint64, perms hal.Perms) error { return nil }
func (kernelOnlyAS) Unmap(va, length uint64) error                       { return nil }
func (kernelOnlyAS) Protect(va, length uint64, perms hal.Perms) error    { return nil }
func (kernelOnlyAS) Limit() uint64                                       { return UserAspaceTop }
func (kernelOnlyAS) Release()                                            {}
