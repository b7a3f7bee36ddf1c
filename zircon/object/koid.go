package object

import "sync/atomic"

// Koid is a kernel object id (zx_koid_t): unique for the life of the
// kernel, never reused.
type Koid uint64

const (
	// KoidInvalid is ZX_KOID_INVALID.
	KoidInvalid Koid = 0
	// KoidKernel is ZX_KOID_KERNEL, the id of the kernel itself.
	KoidKernel Koid = 1
	// KoidFirst is ZX_KOID_FIRST: ids below it are reserved, and the
	// first generated id is KoidFirst.
	KoidFirst Koid = 1024
)

var nextKoid atomic.Uint64

func init() { nextKoid.Store(uint64(KoidFirst)) }

// NewKoid returns a fresh koid: global, monotonically increasing,
// starting at KoidFirst. Objects get theirs from Base.Init; other kernel
// entities that need an id (a handle table, a futex context) may take one
// here too, as Zircon does.
func NewKoid() Koid { return Koid(nextKoid.Add(1) - 1) }
