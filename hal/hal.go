package hal

// Perms are page permissions.
type Perms uint8

const (
	PermRead Perms = 1 << iota
	PermWrite
	PermExec
)

// PermsRWX is read, write and execute.
const PermsRWX = PermRead | PermWrite | PermExec

func (p Perms) String() string {
	b := []byte("---")
	if p&PermRead != 0 {
		b[0] = 'r'
	}
	if p&PermWrite != 0 {
		b[1] = 'w'
	}
	if p&PermExec != 0 {
		b[2] = 'x'
	}
	return string(b)
}

// PageSize is the size of a frame and of a guest page.
const PageSize = 4096

// AddressSpace is a guest page table. Addresses and lengths are page
// aligned; frame is an offset into the platform's PhysMem.
type AddressSpace interface {
	// Map makes [va, va+length) refer to the frames at
	// [frame, frame+length) with the given permissions, replacing
	// whatever was mapped there.
	Map(va, frame, length uint64, perms Perms) error
	// Unmap removes any mapping in [va, va+length).
	Unmap(va, length uint64) error
	// Protect changes the permissions of mapped pages in [va, va+length).
	Protect(va, length uint64, perms Perms) error
	// Limit is the first address above the range guests may use.
	Limit() uint64
	// Release destroys the address space. Contexts running in it return
	// TrapExit.
	Release()
}

// Context is the execution state of one guest thread on the platform.
//
// A Context is bound to the goroutine that created it: every call but
// Interrupt must come from that goroutine, which must have called
// runtime.LockOSThread first (platforms may tie host resources to the OS
// thread).
type Context interface {
	// Run enters guest code in the address space with the given
	// registers, and returns when the guest traps. The registers are
	// updated to the guest's state at the trap.
	Run(as AddressSpace, regs *Registers) Trap
	// Interrupt makes a running Run return TrapInterrupt soon, or the
	// next Run return it at once. It may be called from any goroutine.
	Interrupt()
	// FPState reads the thread's floating-point state as of the last trap.
	FPState(*FPState) error
	// SetFPState replaces it before the next Run.
	SetFPState(*FPState) error
	// Release frees the context's host resources.
	Release()
}

// Platform creates address spaces and contexts over one PhysMem.
type Platform interface {
	Name() string
	Memory() *PhysMem
	NewAddressSpace() (AddressSpace, error)
	// NewContext creates a context owned by the calling goroutine, which
	// must be locked to its OS thread.
	NewContext() (Context, error)
	// Close releases every host resource of the platform.
	Close() error
}
