package linux

import (
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"quartz/kernel/mm"
)

// futexTable holds the threads waiting on futex words.
type futexTable struct {
	mu      sync.Mutex
	waiters map[futexKey][]*futexWaiter
}

// futexKey names a futex word as Linux's get_futex_key does. A private
// futex (FUTEX_PRIVATE_FLAG) is its address space and virtual address,
// known without touching memory. A shared one is the RAM offset of the
// word, so that the same memory meets itself whichever address or process
// it is reached through. The two kinds never meet, as in Linux: a shared
// wake does not wake a private waiter on the same word.
type futexKey struct {
	mm *mm.MM // the address space of a private futex; nil for a shared one
	// obj is what a shared futex lives in: the shared memory object, or
	// the address space when the memory is private to it (Linux's
	// FUT_OFF_MMSHARED keys, which private futexes never meet).
	obj  any
	addr uint64 // the virtual address, or the offset in obj's memory
}

type futexWaiter struct {
	key    futexKey
	bitset uint32
	woken  chan struct{}
}

func (f *futexTable) init() { f.waiters = make(map[futexKey][]*futexWaiter) }

// futexKey returns the key of the futex word at addr: EINVAL when addr
// is not 4-byte aligned, EFAULT when a shared futex's memory is not there.
func (t *Thread) futexKey(addr uint64, private bool) (futexKey, error) {
	if addr&3 != 0 {
		return futexKey{}, unix.EINVAL
	}
	if private {
		return futexKey{mm: t.proc.mm, addr: addr}, nil
	}
	key, _, release, err := t.proc.mm.FutexKey(addr, false)
	if err != nil {
		return futexKey{}, unix.EFAULT
	}
	release()
	return futexKey{obj: key.Object, addr: key.Offset}, nil
}

// futexWord returns the futex word at addr for atomic access, pinned in
// memory until release is called. write asks for a page the guest may
// write.
func (t *Thread) futexWord(addr uint64, write bool) (*uint32, func(), error) {
	if addr&3 != 0 {
		return nil, nil, unix.EINVAL
	}
	b, release, err := t.proc.mm.Pin(addr, 4, write)
	if err != nil {
		return nil, nil, unix.EFAULT
	}
	return (*uint32)(unsafe.Pointer(&b[0])), release, nil
}

// wait blocks while the word at addr holds val, until woken (nil), the
// deadline passes (ETIMEDOUT), a signal that is not ignored arrives
// (errInterrupted) or the process dies (EINTR).
func (f *futexTable) wait(t *Thread, addr uint64, private bool, val, bitset uint32, deadline time.Time) error {
	t.sleeping.Add(1) // /proc shows the thread sleeping (S)
	defer t.sleeping.Add(-1)
	if bitset == 0 {
		return unix.EINVAL
	}
	key, err := t.futexKey(addr, private)
	if err != nil {
		return err
	}
	word, release, err := t.futexWord(addr, false)
	if err != nil {
		return err
	}
	f.mu.Lock()
	if atomic.LoadUint32(word) != val {
		f.mu.Unlock()
		release()
		return unix.EAGAIN
	}
	w := &futexWaiter{key: key, bitset: bitset, woken: make(chan struct{})}
	f.waiters[key] = append(f.waiters[key], w)
	f.mu.Unlock()
	release()

	var timeout <-chan time.Time
	if !deadline.IsZero() {
		timer := time.NewTimer(time.Until(deadline))
		defer timer.Stop()
		timeout = timer.C
	}
	for {
		select {
		case <-w.woken:
			return nil
		case <-timeout:
			if f.remove(w) {
				return unix.ETIMEDOUT
			}
			return nil // woken while timing out: the wake counts
		case <-t.proc.dying:
			f.remove(w)
			return unix.EINTR
		case <-t.signalled:
			if !t.signalInterrupts() {
				// Blocked or ignored: Linux would not have woken the
				// thread at all. Wait on, with the same deadline.
				continue
			}
			if f.remove(w) {
				return errInterrupted
			}
			return nil
		}
	}
}

// signalInterrupts reports whether a signal pending for t ends a wait:
// one that the mask lets through and whose action is not to ignore it.
// (Linux discards ignored signals when they are sent, so they never wake
// a waiter.)
func (t *Thread) signalInterrupts() bool {
	t.pending.mu.Lock()
	ready := t.pending.set &^ (t.sigMask &^ unblockable)
	t.pending.mu.Unlock()
	for sig := 1; sig <= numSignals; sig++ {
		if ready&sigBit(sig) == 0 {
			continue
		}
		act := t.proc.sig.get(sig)
		if unix.Signal(sig) == unix.SIGKILL ||
			act.Handler != sigIGN && !(act.Handler == sigDFL && defaultIgnored(sig)) {
			return true
		}
	}
	return false
}

// remove takes w off its queue; false if a waker already took it.
func (f *futexTable) remove(w *futexWaiter) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	q := f.waiters[w.key]
	for i, x := range q {
		if x == w {
			f.setQueue(w.key, append(q[:i:i], q[i+1:]...))
			return true
		}
	}
	return false
}

func (f *futexTable) setQueue(key futexKey, q []*futexWaiter) {
	if len(q) == 0 {
		delete(f.waiters, key)
	} else {
		f.waiters[key] = q
	}
}

// wakeCount is how many waiters a wake of n wakes at most. Linux's wake
// loops count a waiter before testing the limit, so 0 and negative
// counts wake one.
func wakeCount(n int) int { return max(n, 1) }

// wakeKey wakes up to n waiters on key whose bitset meets bitset, the
// longest-waiting first. f.mu must be held.
func (f *futexTable) wakeKey(key futexKey, n int, bitset uint32) int {
	q := f.waiters[key]
	woken := 0
	kept := q[:0]
	for _, w := range q {
		if woken < n && w.bitset&bitset != 0 {
			close(w.woken)
			woken++
			continue
		}
		kept = append(kept, w)
	}
	clear(q[len(kept):])
	f.setQueue(key, kept)
	return woken
}

// wake is FUTEX_WAKE and FUTEX_WAKE_BITSET.
func (f *futexTable) wake(t *Thread, addr uint64, private bool, n int, bitset uint32) (int, error) {
	if bitset == 0 {
		return 0, unix.EINVAL
	}
	key, err := t.futexKey(addr, private)
	if err != nil {
		return 0, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.wakeKey(key, wakeCount(n), bitset), nil
}

// requeue is FUTEX_REQUEUE and, with check, FUTEX_CMP_REQUEUE: wake up to
// n waiters on addr and move up to n2 more to addr2, only if the word at
// addr still holds val when checking. It returns how many were woken or
// moved.
func (f *futexTable) requeue(t *Thread, addr, addr2 uint64, private bool, n, n2 int, check bool, val uint32) (int, error) {
	key, err := t.futexKey(addr, private)
	if err != nil {
		return 0, err
	}
	key2, err := t.futexKey(addr2, private)
	if err != nil {
		return 0, err
	}
	var word *uint32
	if check {
		var release func()
		if word, release, err = t.futexWord(addr, false); err != nil {
			return 0, err
		}
		defer release()
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if check && atomic.LoadUint32(word) != val {
		return 0, unix.EAGAIN
	}
	return f.requeueKey(key, key2, n, n2), nil
}

// requeueKey wakes the first n waiters on key and moves the next n2 to
// key2, keeping their order. f.mu must be held.
func (f *futexTable) requeueKey(key, key2 futexKey, n, n2 int) int {
	q := f.waiters[key]
	woken := min(n, len(q))
	for _, w := range q[:woken] {
		close(w.woken)
	}
	moved := min(n2, len(q)-woken)
	if key == key2 {
		// Requeued onto itself: every waiter stays where it is.
		rest := append([]*futexWaiter(nil), q[woken:]...)
		f.setQueue(key, rest)
		return woken + moved
	}
	movers := q[woken : woken+moved]
	for _, w := range movers {
		w.key = key2
	}
	f.waiters[key2] = append(f.waiters[key2], movers...)
	f.setQueue(key, append([]*futexWaiter(nil), q[woken+moved:]...))
	return woken + moved
}

// Futex operations of FUTEX_WAKE_OP, and its comparisons.
const (
	futexOpSet  = 0
	futexOpAdd  = 1
	futexOpOr   = 2
	futexOpAndn = 3
	futexOpXor  = 4

	futexOpOpargShift = 8 // flag on the operation: oparg is a shift

	futexOpCmpEq = 0
	futexOpCmpNe = 1
	futexOpCmpLt = 2
	futexOpCmpLe = 3
	futexOpCmpGt = 4
	futexOpCmpGe = 5
)

// signExtend12 reads a 12-bit two's-complement field.
func signExtend12(v uint32) int32 { return int32(v<<20) >> 20 }

// decodeWakeOp splits FUTEX_WAKE_OP's encoded operation as Linux's
// futex_atomic_op_inuser does: the operation and its (signed, 12-bit or
// 1<<shift) argument, the comparison and its signed 12-bit argument.
func decodeWakeOp(encoded uint32) (op uint32, oparg int32, cmp uint32, cmparg int32) {
	op = (encoded >> 28) & 7
	cmp = (encoded >> 24) & 15
	oparg = signExtend12(encoded >> 12 & 0xfff)
	cmparg = signExtend12(encoded & 0xfff)
	if encoded>>28&futexOpOpargShift != 0 {
		// Out-of-range shifts are masked, as Linux still does.
		oparg = 1 << (oparg & 31)
	}
	return
}

// applyWakeOp computes the new value of the word from its old one; false
// for an unknown operation.
func applyWakeOp(op uint32, oparg int32, old uint32) (uint32, bool) {
	arg := uint32(oparg)
	switch op {
	case futexOpSet:
		return arg, true
	case futexOpAdd:
		return old + arg, true
	case futexOpOr:
		return old | arg, true
	case futexOpAndn:
		return old &^ arg, true
	case futexOpXor:
		return old ^ arg, true
	}
	return 0, false
}

// compareWakeOp tests the old value of the word; ok is false for an
// unknown comparison.
func compareWakeOp(cmp uint32, cmparg int32, old uint32) (pass, ok bool) {
	o := int32(old)
	switch cmp {
	case futexOpCmpEq:
		return o == cmparg, true
	case futexOpCmpNe:
		return o != cmparg, true
	case futexOpCmpLt:
		return o < cmparg, true
	case futexOpCmpLe:
		return o <= cmparg, true
	case futexOpCmpGt:
		return o > cmparg, true
	case futexOpCmpGe:
		return o >= cmparg, true
	}
	return false, false
}

// wakeOp is FUTEX_WAKE_OP: atomically apply an operation to the word at
// addr2, wake up to n waiters on addr, and up to n2 on addr2 if the old
// value of addr2 passes the comparison encoded with the operation.
func (f *futexTable) wakeOp(t *Thread, addr, addr2 uint64, private bool, n, n2 int, encoded uint32) (int, error) {
	key, err := t.futexKey(addr, private)
	if err != nil {
		return 0, err
	}
	key2, err := t.futexKey(addr2, private)
	if err != nil {
		return 0, err
	}
	word, release, err := t.futexWord(addr2, true)
	if err != nil {
		return 0, err
	}
	defer release()
	op, oparg, cmp, cmparg := decodeWakeOp(encoded)
	if _, ok := applyWakeOp(op, oparg, 0); !ok {
		return 0, unix.ENOSYS
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var old uint32
	for {
		old = atomic.LoadUint32(word)
		nw, _ := applyWakeOp(op, oparg, old)
		if atomic.CompareAndSwapUint32(word, old, nw) {
			break
		}
	}
	pass, ok := compareWakeOp(cmp, cmparg, old)
	if !ok {
		return 0, unix.ENOSYS // the word is changed all the same, as in Linux
	}
	woken := f.wakeKey(key, wakeCount(n), ^uint32(0))
	if pass {
		woken += f.wakeKey(key2, wakeCount(n2), ^uint32(0))
	}
	return woken, nil
}
