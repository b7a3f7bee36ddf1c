package linux

import (
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"quartz/kernel/mm"
)

// futexTable holds the threads waiting on futex words. A word is known by
// its mm.FutexKey: its address for private memory, its object and offset
// for shared memory, so processes sharing memory meet on one key.
type futexTable struct {
	mu      sync.Mutex
	waiters map[mm.FutexKey][]*futexWaiter
}

type futexWaiter struct {
	key    mm.FutexKey
	bitset uint32
	woken  chan struct{}
}

func (f *futexTable) init() { f.waiters = make(map[mm.FutexKey][]*futexWaiter) }

// futexWord returns the key of the futex word at addr and a pointer to
// the word, valid until release is called.
func (t *Thread) futexWord(addr uint64) (mm.FutexKey, *uint32, func(), error) {
	key, b, release, err := t.proc.mm.FutexKey(addr, true)
	if err != nil {
		if err != unix.EINVAL {
			err = unix.EFAULT
		}
		return mm.FutexKey{}, nil, nil, err
	}
	return key, (*uint32)(unsafe.Pointer(&b[0])), release, nil
}

// futexKey returns the key of the futex word at addr.
func (t *Thread) futexKey(addr uint64) (mm.FutexKey, error) {
	key, _, release, err := t.futexWord(addr)
	if err == nil {
		release()
	}
	return key, err
}

// wait blocks while the word at addr holds val, until woken (nil), the
// deadline passes (ETIMEDOUT), a signal arrives (errInterrupted) or the
// process dies (EINTR).
func (f *futexTable) wait(t *Thread, addr uint64, val uint32, bitset uint32, deadline time.Time) error {
	if bitset == 0 {
		return unix.EINVAL
	}
	key, word, release, err := t.futexWord(addr)
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
		if f.remove(w) {
			return errInterrupted
		}
		return nil
	}
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

func (f *futexTable) setQueue(key mm.FutexKey, q []*futexWaiter) {
	if len(q) == 0 {
		delete(f.waiters, key)
	} else {
		f.waiters[key] = q
	}
}

// wakeKey wakes up to n waiters on key whose bitset meets bitset.
// f.mu must be held.
func (f *futexTable) wakeKey(key mm.FutexKey, n int, bitset uint32) int {
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

func (f *futexTable) wake(t *Thread, addr uint64, n int, bitset uint32) (int, error) {
	if bitset == 0 {
		return 0, unix.EINVAL
	}
	key, err := t.futexKey(addr)
	if err != nil {
		return 0, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.wakeKey(key, n, bitset), nil
}

// requeue wakes up to n waiters on addr and moves up to n2 more to addr2;
// with check, only if the word at addr still holds val.
func (f *futexTable) requeue(t *Thread, addr, addr2 uint64, n, n2 int, check bool, val uint32) (int, error) {
	key, word, release, err := t.futexWord(addr)
	if err != nil {
		return 0, err
	}
	defer release()
	key2, err := t.futexKey(addr2)
	if err != nil {
		return 0, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if check && atomic.LoadUint32(word) != val {
		return 0, unix.EAGAIN
	}
	woken := f.wakeKey(key, n, ^uint32(0))
	q := f.waiters[key]
	moved := min(n2, len(q))
	for _, w := range q[:moved] {
		w.key = key2
	}
	f.waiters[key2] = append(f.waiters[key2], q[:moved]...)
	f.setQueue(key, q[moved:])
	return woken + moved, nil
}

// wakeOp is FUTEX_WAKE_OP: atomically apply an operation to the word at
// addr2, wake up to n on addr, and up to n2 on addr2 if the old value of
// addr2 passes the comparison encoded in op.
func (f *futexTable) wakeOp(t *Thread, addr, addr2 uint64, n, n2 int, op uint32) (int, error) {
	key, err := t.futexKey(addr)
	if err != nil {
		return 0, err
	}
	if addr2&3 != 0 {
		return 0, unix.EINVAL
	}
	key2, err := t.futexKey(addr2)
	if err != nil {
		return 0, err
	}
	b, release, err := t.proc.mm.Pin(addr2, 4, true)
	if err != nil {
		return 0, unix.EFAULT
	}
	defer release()
	opcode, cmp := (op>>28)&7, (op>>24)&15
	oparg, cmparg := (op>>12)&0xfff, op&0xfff
	if op&(8<<28) != 0 { // FUTEX_OP_OPARG_SHIFT
		oparg = 1 << (oparg & 31)
	}
	word := (*uint32)(unsafe.Pointer(&b[0]))
	f.mu.Lock()
	defer f.mu.Unlock()
	var old uint32
	for {
		old = atomic.LoadUint32(word)
		var nw uint32
		switch opcode {
		case 0: // SET
			nw = oparg
		case 1: // ADD
			nw = old + oparg
		case 2: // OR
			nw = old | oparg
		case 3: // ANDN
			nw = old &^ oparg
		case 4: // XOR
			nw = old ^ oparg
		default:
			return 0, unix.ENOSYS
		}
		if atomic.CompareAndSwapUint32(word, old, nw) {
			break
		}
	}
	var pass bool
	switch cmp {
	case 0:
		pass = old == cmparg
	case 1:
		pass = old != cmparg
	case 2:
		pass = int32(old) < int32(cmparg)
	case 3:
		pass = int32(old) <= int32(cmparg)
	case 4:
		pass = int32(old) > int32(cmparg)
	case 5:
		pass = int32(old) >= int32(cmparg)
	default:
		return 0, unix.ENOSYS
	}
	woken := f.wakeKey(key, n, ^uint32(0))
	if pass {
		woken += f.wakeKey(key2, n2, ^uint32(0))
	}
	return woken, nil
}
