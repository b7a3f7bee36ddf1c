// Package linux is Quartz's Linux personality: it runs unmodified x86-64
// Linux programs. It loads ELF programs into a kernel/mm address space,
// runs each guest thread as a goroutine driving a hal.Context, and
// implements the Linux system calls those threads make: processes and
// threads, signals, memory, files, pipes, time, futexes and readiness.
//
// Files by concern:
//
//   - the instance: kernel.go (configuration, Run, host signals),
//     fs.go (the guest's file tree: overlay root, devfs, procfs, binds;
//     path resolution), procfs.go (what /proc shows), terminal.go (the
//     foreground process group of the host terminal);
//   - tasks: process.go, thread.go (the run loop), pidtable.go (pids,
//     parents, groups, sessions), wait.go, jobctl.go (stop and continue),
//     exec.go and sys_exec.go (loading a program, execve);
//   - signals: signal.go (queues, delivery, frames), sys_signal.go;
//   - timers: timer.go (expiry into signals, overruns), timer_cpu.go
//     (CPU-time clocks), timer_process.go (a process's timers across
//     fork, execve and exit), sys_timer.go (alarm, itimers, timer_*);
//   - files: file.go (open file descriptions), fd.go (descriptor
//     tables), dir.go (getdents), locks.go (flock and record locks), and
//     the kinds of file that are not a file system's: file_host.go (the
//     host's stdio), file_pipe.go (pipes and FIFOs), file_eventfd.go,
//     file_epoll.go;
//   - system calls, one family per file: sys_file.go (read, write, seek,
//     ioctl, dup), sys_open.go, sys_path.go (names), sys_attr.go
//     (attributes, truncate, sync), sys_stat.go, sys_fcntl.go,
//     sys_copy.go (sendfile, splice), sys_poll.go (poll, select, epoll),
//     sys_mm.go, sys_thread.go, sys_proc.go, sys_ident.go, sys_info.go,
//     sys_time.go; syscall.go dispatches them and writes --strace.
package linux
