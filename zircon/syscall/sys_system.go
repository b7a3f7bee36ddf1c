package syscall

import (
	"runtime"

	"quartz/zircon/object"
)

// The system properties Fuchsia's vDSO answers from constants the kernel
// gave it at boot.

// zx_system_get_page_size().
func sysSystemGetPageSize(c *Context, a *args) int64 { return object.PageSize }

// zx_system_get_num_cpus(): the CPUs guest threads may run on.
func sysSystemGetNumCPUs(c *Context, a *args) int64 { return int64(runtime.NumCPU()) }

// zx_system_get_physmem(): the machine's RAM.
func sysSystemGetPhysmem(c *Context, a *args) int64 {
	return int64(c.Process.Env().Frames.Memory().Size())
}

// zx_system_get_dcache_line_size().
func sysSystemGetDcacheLineSize(c *Context, a *args) int64 { return 64 }
