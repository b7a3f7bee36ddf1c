// Package vmio moves bytes between kernel memory and guest memory with a
// single copy, the way Asterinas' VmReader and VmWriter do.
//
// # Why one copy
//
// A read(2) served by copying the page cache (or a pipe buffer) into a fresh
// kernel buffer and then copying that buffer out to the guest costs an
// allocation and a second pass over the data. Asterinas measured that
// dropping the bounce buffer brings cached file I/O level with Linux, and
// changed its VFS from `write(&self, buf: &[u8])` to
// `write(&self, reader: &mut VmReader)`. Quartz does the same: files take a
// *Writer to read into and a *Reader to write from, and the file copies
// straight from its own memory into the guest's pages (Writer.Write), or the
// host kernel does it (Writer.ReadFromFD with readv(2) into the pinned guest
// pages). Nothing on that path calls make([]byte).
//
// # Fallible and infallible
//
// A Reader or Writer walks one of two kinds of memory:
//
//   - Kernel memory (NewKernelReader, NewKernelWriter): a Go slice the kernel
//     owns. Touching it cannot fail, so these are infallible: no operation on
//     them returns EFAULT. They exist so that one file API serves both the
//     guest's syscalls and the kernel's own I/O (the ELF loader, the vDSO,
//     procfs text), like Asterinas' `VmReader<'_, Infallible>` built from a
//     `&[u8]`.
//   - Guest memory (NewGuestReader, NewGuestWriter and their vectored
//     forms): addresses in the guest's address space, reached through a
//     Memory (the memory manager). The guest may have passed any pointer, so
//     these are fallible: an access stops at the first byte the guest may not
//     touch (unmapped, or read-only for a Writer) and reports the bytes done
//     before it together with the error from Memory.Pin (unix.EFAULT).
//
// Rust tells the two apart with marker types (Fallible, Infallible); Go has
// no such generics over behaviour, so the kind is a run-time property
// (Fallible reports it) and one set of methods serves both. Code that only
// ever sees kernel memory may ignore fault errors; everybody else must not.
//
// # Faults are byte-exact and resumable
//
// Guest memory is reached one page at a time: Memory.Pin faults the page in
// (committing it, breaking copy-on-write for a Writer), pins it so that an
// munmap by another guest thread cannot free it while the kernel copies, and
// returns the host memory that aliases it. Every piece is released exactly
// once, on error paths too. When Pin refuses a page, everything before that
// page's first byte has been transferred and counted, nothing after it has,
// and the cursor stands on the faulting byte: the operation returns
// (bytes done, err), and a retry starts where it stopped. Linux's read(2)
// turns such a partial result into a short count; a fault on the first byte
// into EFAULT.
//
// # Host descriptors
//
// ReadFromFD, WriteToFD and their positional forms hand the pinned pieces to
// the host's readv/writev/preadv/pwritev, up to MaxSegments pieces (one host
// call, however scattered the guest buffer), retrying EINTR. Pieces are
// pinned before the call, so a fault on the first byte is found before any
// data leaves the descriptor: nothing read from a pipe or socket is lost. A
// fault further on caps the host call at the bytes before it; if the host
// transfers all of those, the result is (n, err), the same as a copy that
// ran into the bad page.
//
// # Concurrency
//
// A Reader or Writer is a cursor owned by one goroutine (one syscall). The
// memory behind it may change concurrently — guest threads run while the
// kernel copies — exactly as with a Linux copy_to_user.
package vmio
