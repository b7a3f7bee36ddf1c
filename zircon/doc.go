// Package zircon will be Quartz's Zircon personality: Fuchsia's kernel
// objects (handles and rights, channels, VMOs, VMARs, ports, futexes,
// jobs, processes and threads) and their system calls, built on
// kernel/mm and the task layer as zCore built them in Rust.
package zircon
