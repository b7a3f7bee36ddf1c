// Package object is Quartz's Zircon object layer: what zCore calls
// zircon-object, after the kernel objects Fuchsia's Zircon documents.
//
// Everything a Zircon program can touch is a kernel object, reached only
// through a handle: a (object, rights) pair held in a process's handle
// table. This package has the pieces every object shares and the objects
// that are only about signals:
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
//     (FutexContext) and Debuglog.
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
// Time is the monotonic clock in nanoseconds (zx_time_t, see Now);
// deadlines are absolute, TimeInfinite never passes and a deadline in the
// past checks once and times out.
package object
