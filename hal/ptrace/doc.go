// Package ptrace is the HAL platform that runs guests in stub host
// processes controlled with ptrace(2), like zCore's libos mode and gVisor's
// ptrace platform.
//
// Each guest address space is one stub process. Quartz makes the stub
// itself: it writes a one-page ELF image into a memfd and executes it, so no
// helper binary exists on disk. The stub's only code is a page at the top of
// the user address range holding three instruction sequences: a park loop,
// a "syscall; int3" site used to inject system calls, and a clone site.
// Everything else in the stub is unmapped; guest memory is the RAM memfd
// mapped at guest addresses by injected mmap calls.
//
// The stub's first thread never runs guest code. A goroutine locked to its
// own OS thread traces it and performs the address-space operations (Map,
// Unmap, Protect) and thread creation by injecting system calls. Each guest
// thread is another stub thread, traced by the OS thread of the goroutine
// that owns its Context; it runs under PTRACE_SYSEMU, so every system call
// the guest makes stops it and comes back to Quartz instead of the host
// kernel.
package ptrace
