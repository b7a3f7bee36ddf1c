// Package quartz is an operating-system kernel written in Go that runs as
// a Linux process and hosts guest programs: unmodified x86-64 Linux
// binaries (the Linux personality), Fuchsia's Zircon kernel objects (the
// Zircon personality), and Go programs linked with the kernel (the
// unikernel form).
//
// The code is layered; dependencies point down only:
//
//	cmd/, api/        commands and the unikernel API
//	linux/, zircon/   personalities
//	kernel/           OS modules: memory, files, readiness, ...
//	hal/              the hardware abstraction layer and its platforms
//	lib/              OS-agnostic components
//
// This package holds only the test that keeps those rules true.
package quartz
