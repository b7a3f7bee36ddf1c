// Package object is Quartz's Zircon object layer: what zCore calls
// zircon-object, after the kernel objects Fuchsia's Zircon documents.
//
// Everything a Zircon program can touch is a kernel object, reached only
// through a handle: a (object, rights) pair held in a process's handle
// table. This package has the pieces every object shares and the objects
// themselves:
//
//   - koids (Koid), statuses (Status, zx_status_t), rights (Rights) with
//     Fuchsia's bit values and default-rights groupings, object types
//     (ObjType) and signals (Signals);
//   - Base, embedded by every object: koid, type, name, related koid,
//     signal state, observers and, for paired objects, the peer;
//   - Handle and HandleTable: duplicate, replace, close, close_many and
//     Zircon-looking handle values;
//   - waiting: WaitOne, WaitMany and ports (Port, WaitAsync);
//   - the signal-family objects: Event, EventPair, Timer, Clock, Futex
//     (FutexContext) and Debuglog;
//   - the IPC objects: Channel (messages of bytes and handles, and
//     zx_channel_call), Socket (stream and datagram) and FIFO, with the
//     handle-table-level channel calls that move handles between a
//     process's table and a message (ChannelWrite, ChannelRead, ...);
//   - the memory objects: VMO and VMAR, standing on kernel/mm;
//   - the task objects: Job (tree, policy, critical processes), Process
//     and Thread;
//   - introspection: ObjectGetInfo's zx_info_* records with their byte
//     layouts, ObjectGetProperty and ObjectSetProperty, ObjectGetChild.
//
// # Signals and observers
//
// An object's signal state is one 32-bit word. Changing it (UpdateState)
// notifies, with the object's lock held, every observer waiting for a
// signal that just became active; the observer is then removed (Zircon's
// SignalObserver). Waiters (wait_one, wait_many) and port observers
// (wait_async) are observers. An observer is added through a handle, and
// closing that handle cancels it: a blocked wait_one returns CANCELED, a
// wait_async is removed without a packet.
//
// # Blocking
//
// DESIGN.md's rule holds: a blocking call blocks its goroutine, and the
// deadline and cancellation are a select over the wait condition, a timer
// and the caller's cancel channel — zCore's select_biased! of three
// futures. Nothing polls. The cancel channel is the thread's kill channel:
// closing it makes the wait return ZX_ERR_INTERNAL_INTR_KILLED (the task
// layer, which knows whether the thread was killed or suspended, turns a
// suspension into INTERNAL_INTR_RETRY). A nil channel never fires.
//
// # Locks
//
// Each object has one lock guarding its signals and observers; the two
// ends of a peered object share one lock (Zircon's PeerHolder), so an
// operation on one end may update both. Observers run under that lock and
// take only the lock of the port they queue into: the order is object
// lock, then port lock, never the other way.
//
// # Handle transfer
//
// A handle written to a channel leaves the writer's table and is owned by
// the message until a reader's table takes it, keeping its object and
// rights (or fewer, with zx_channel_write_etc). As in Zircon a write
// consumes every handle it lists, also when it fails, and waits through a
// handle are canceled when it is received. Closing a channel end closes
// the handles in the messages nobody will now read.
//
// # Memory
//
// A VMO wraps an mm.VMO, which holds the pages: committed on first write,
// copy-on-write clones through hidden nodes, slices, zero markers for
// zeroed clone pages, and Zircon's way of charging shared pages
// (committed_bytes). This layer adds the user interface: rights, options
// and statuses in Zircon's order, the cache policy, the child count and
// ZERO_CHILDREN (a child counts until mm destroys it: its handles and
// mappings gone, and no slice of it left). A VMAR wraps an mm.VMAR and keeps
// the region's CAN_MAP_* flags; a mapping remembers what the VMO and VMAR
// handles allowed when it was made, which bounds later protects, and
// unmap and protect act on the region's own entries only.
//
// # Tasks
//
// A job tree starts at NewRootJob over an Env: the frames VMOs use and the
// platform's address spaces. A job stays in its parent's tree while a
// handle or a child holds it; killing it kills its children, deepest
// first, and it is dead (TERMINATED) once they are. A process is created
// with its address space and root VMAR, started by process_start with its
// first thread, and dead once killed or exited and its threads are gone
// (or when the last thread of a started process ends): its handles are
// closed, its memory released, it leaves its job, and a job it was
// critical to is killed. A thread is a kernel/task Task: it runs a Runner
// on a goroutine of its own and ends when the Runner returns; killing it
// closes its Killed channel, the cancel channel of its blocking calls. Locks are taken parent before
// child (job, process, thread) and never held across a kill.
//
// The syscall-level functions (VmoCreate, VmarMap, ProcessCreate, ...)
// take the calling Process: its handle table, its job's policy (NEW_*
// conditions, and BAD_HANDLE for lookups that fail) and the machine.
//
// Time is the monotonic clock in nanoseconds (zx_time_t, see Now);
// deadlines are absolute, TimeInfinite never passes and a deadline in the
// past checks once and times out.
package object
