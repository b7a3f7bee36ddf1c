// Package linux is Quartz's Linux personality: it runs unmodified x86-64
// Linux programs. It loads ELF programs into a kernel/mm address space,
// runs each guest thread as a goroutine driving a hal.Context, and
// implements the Linux system calls those threads make: processes and
// threads, memory, files, time, futexes and readiness.
//
// Files by concern: kernel.go (the instance and its configuration),
// process.go and thread.go (tasks and the run loop), exec.go (loading a
// program), syscall.go (dispatch and --strace), and sys_*.go, one per
// family of system calls.
package linux
