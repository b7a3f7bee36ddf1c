// Package hal is Quartz's hardware abstraction layer: the contract every
// platform implements and everything above it relies on.
//
// The contract has three parts, after zCore's kernel-hal:
//
//   - Physical memory: one memfd is the machine's RAM. A frame is a page-sized
//     offset in it. The kernel maps the whole memfd once (PhysMem), so it reads
//     and writes any frame directly, without copies through the guest.
//   - Address spaces: the page table of one guest. Map places frames at guest
//     virtual addresses with given permissions; Unmap, Protect and Release
//     undo it.
//   - Contexts: one per guest thread. Run enters guest code with the given
//     registers and returns a Trap saying why it came back: a system call, a
//     fault, an interruption, or the end of the thread.
//
// Platforms live in sub-packages (hal/ptrace, ...). Nothing in this package
// knows about Linux or Zircon semantics.
package hal
