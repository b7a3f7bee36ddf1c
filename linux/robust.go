package linux

import (
	"sync/atomic"
)

// Robust futexes: a thread registers (set_robust_list) the head of a
// list, in its own memory, of the locks it holds. When the thread ends,
// however it ends, the kernel marks every lock still held by it with
// FUTEX_OWNER_DIED and wakes a waiter, so that the next locker learns of
// the death (EOWNERDEAD) instead of waiting forever. This follows Linux's
// exit_robust_list and handle_futex_death.
//
// The head is struct robust_list_head { next, futex_offset,
// list_op_pending }; each entry starts with its next pointer, and its
// futex word lies futex_offset bytes from the entry. Bit 0 of a pointer
// marks a PI futex.

const (
	futexWaiters    = 0x80000000
	futexOwnerDied  = 0x40000000
	futexTIDMask    = 0x3fffffff
	robustListLimit = 2048 // entries walked at most: a cyclic list ends too
	robustHeadSize  = 24   // sizeof(struct robust_list_head)
)

// robustMemory is what the walk needs from the dying thread's process.
type robustMemory interface {
	// readUint64 reads the pointer-sized word at addr.
	readUint64(addr uint64) (uint64, error)
	// futexWord returns the 4-byte word at addr for atomic access, valid
	// until release is called; write asks for a page the guest may write.
	futexWord(addr uint64, write bool) (word *uint32, release func(), err error)
	// wakeOne wakes one waiter on the futex at addr. Linux wakes these as
	// shared futexes (no FUTEX_PRIVATE_FLAG), and libcs wait accordingly.
	wakeOne(addr uint64)
}

// exitRobustList releases the robust futexes the thread still holds. It
// runs once, when the thread ends, before CLONE_CHILD_CLEARTID is done.
func (t *Thread) exitRobustList() {
	head := t.robustList
	t.robustList, t.robustLen = 0, 0
	if head == 0 || t.proc.mm == nil {
		return
	}
	walkRobustList(threadMemory{t}, head, uint32(t.tid))
}

// threadMemory is a thread's view of its process memory for the walk.
type threadMemory struct{ t *Thread }

func (m threadMemory) readUint64(addr uint64) (uint64, error) { return m.t.readUint64(addr) }

func (m threadMemory) futexWord(addr uint64, write bool) (*uint32, func(), error) {
	return m.t.futexWord(addr, write)
}

func (m threadMemory) wakeOne(addr uint64) {
	m.t.proc.k.futexes.wake(m.t, addr, false, 1, ^uint32(0))
}

// fetchRobustEntry reads a list pointer at addr: the entry, and whether
// it is a PI futex's.
func fetchRobustEntry(mem robustMemory, addr uint64) (entry uint64, pi bool, err error) {
	v, err := mem.readUint64(addr)
	return v &^ 1, v&1 != 0, err
}

// walkRobustList handles every entry of the robust list at head, and the
// one whose operation was pending, for the dying thread tid. A bad
// pointer ends the walk; so does the limit, so a cyclic or absurdly long
// list cannot hold the kernel.
func walkRobustList(mem robustMemory, head uint64, tid uint32) {
	entry, pi, err := fetchRobustEntry(mem, head)
	if err != nil {
		return
	}
	offset, err := mem.readUint64(head + 8)
	if err != nil {
		return
	}
	pending, pendingPI, err := fetchRobustEntry(mem, head+16)
	if err != nil {
		return
	}
	for limit := robustListLimit; entry != head; {
		// Fetch the next entry first: once its futex is released, the
		// entry may be gone.
		next, nextPI, nextErr := fetchRobustEntry(mem, entry)
		// The pending entry is handled last, with the pending rules.
		if entry != pending && !handleFutexDeath(mem, entry+offset, tid, pi, false) {
			return
		}
		if nextErr != nil {
			return
		}
		entry, pi = next, nextPI
		if limit--; limit == 0 {
			break
		}
	}
	if pending != 0 {
		handleFutexDeath(mem, pending+offset, tid, pendingPI, true)
	}
}

// handleFutexDeath releases the futex word at addr if the dying thread
// tid owns it: the owner becomes FUTEX_OWNER_DIED, FUTEX_WAITERS stays,
// and a waiter, if there was one, is woken to take the lock. It reports
// false when the word cannot be reached, which ends the walk.
func handleFutexDeath(mem robustMemory, addr uint64, tid uint32, pi, pendingOp bool) bool {
	if addr&3 != 0 {
		return false
	}
	word, release, err := mem.futexWord(addr, false)
	if err != nil {
		return false
	}
	defer func() { release() }()
	for {
		old := atomic.LoadUint32(word)
		owner := old & futexTIDMask
		if pendingOp && !pi && owner == 0 {
			// The thread died between releasing the lock and waking a
			// waiter, or before it took the lock: wake one, who will
			// find the lock free.
			mem.wakeOne(addr)
			return true
		}
		if owner != tid {
			return true
		}
		release()
		if word, release, err = mem.futexWord(addr, true); err != nil {
			release = func() {}
			return false
		}
		if atomic.CompareAndSwapUint32(word, old, old&futexWaiters|futexOwnerDied) {
			// A PI futex's waiters are woken by its PI state in Linux;
			// Quartz has no PI futexes (FUTEX_LOCK_PI is ENOSYS), so
			// such a futex has no waiters to wake.
			if !pi && old&futexWaiters != 0 {
				mem.wakeOne(addr)
			}
			return true
		}
	}
}
