// Package zircon is Quartz's Zircon personality: Fuchsia's kernel
// objects (handles and rights, channels, VMOs, VMARs, ports, futexes,
// jobs, processes and threads) and their system calls, built on
// kernel/mm and the task layer as zCore built them in Rust.
//
// Its packages:
//
//   - object: zCore's zircon-object. Koids, statuses, rights, signals,
//     handles and handle tables, waiting (wait_one, wait_many, ports and
//     wait_async), and the objects made of signals alone: events,
//     eventpairs, timers, clocks, futexes and the debuglog. Channels,
//     sockets, FIFOs, VMOs, VMARs and tasks build on it.
//   - syscall: zCore's zircon-syscall. The syscall table in Fuchsia's
//     numbering: a frame's arguments decoded, user memory read and
//     written through lib/vmio, handles looked up with their rights, and
//     the zx_status_t Zircon returns.
package zircon
