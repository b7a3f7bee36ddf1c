package linux

import (
	"encoding/binary"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// fakeMemory is guest memory for the robust-list walk: one region at base,
// optionally read-only, that records the wakes asked of it.
type fakeMemory struct {
	base     uint64
	words    []uint32 // backing store, 4-byte aligned
	readOnly bool
	wakes    []uint64
	reads    int
	pins     int // words handed out and not yet released
}

func newFakeMemory(base uint64, size int) *fakeMemory {
	return &fakeMemory{base: base, words: make([]uint32, size/4)}
}

func (m *fakeMemory) bytes() []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(&m.words[0])), len(m.words)*4)
}

func (m *fakeMemory) in(addr, n uint64) bool {
	return addr >= m.base && addr+n <= m.base+uint64(len(m.words)*4) && addr+n > addr
}

func (m *fakeMemory) readUint64(addr uint64) (uint64, error) {
	m.reads++
	if !m.in(addr, 8) {
		return 0, unix.EFAULT
	}
	return binary.LittleEndian.Uint64(m.bytes()[addr-m.base:]), nil
}

func (m *fakeMemory) futexWord(addr uint64, write bool) (*uint32, func(), error) {
	if !m.in(addr, 4) || addr&3 != 0 || write && m.readOnly {
		return nil, nil, unix.EFAULT
	}
	m.pins++
	return &m.words[(addr-m.base)/4], func() { m.pins-- }, nil
}

func (m *fakeMemory) wakeOne(addr uint64) { m.wakes = append(m.wakes, addr) }

func (m *fakeMemory) put64(addr, v uint64) {
	binary.LittleEndian.PutUint64(m.bytes()[addr-m.base:], v)
}

func (m *fakeMemory) put32(addr uint64, v uint32) { m.words[(addr-m.base)/4] = v }

func (m *fakeMemory) get32(addr uint64) uint32 { return m.words[(addr-m.base)/4] }

// A list laid out in fake memory: the head at base, locks of 16 bytes
// (next pointer, then the futex word at offset 8) after it.
const (
	fakeBase   = 0x10000
	fakeHead   = fakeBase
	fakeOffset = 8
	tid        = 1234
)

func lockAt(i int) uint64 { return fakeBase + 64 + uint64(i)*16 }

func wordOf(i int) uint64 { return lockAt(i) + fakeOffset }

// newList builds head -> locks[0] -> ... -> locks[n-1] -> head.
func newList(n int) *fakeMemory {
	m := newFakeMemory(fakeBase, 4096)
	m.put64(fakeHead+8, fakeOffset)
	prev := uint64(fakeHead)
	for i := 0; i < n; i++ {
		m.put64(prev, lockAt(i))
		prev = lockAt(i)
	}
	m.put64(prev, fakeHead)
	return m
}

func TestRobustListReleasesOwnedLocks(t *testing.T) {
	m := newList(4)
	m.put32(wordOf(0), tid)
	m.put32(wordOf(1), tid|futexWaiters)
	m.put32(wordOf(2), 999) // someone else's
	m.put32(wordOf(3), 0)   // free
	walkChecked(t, m, fakeHead, tid)
	for i, want := range []uint32{futexOwnerDied, futexOwnerDied | futexWaiters, 999, 0} {
		if got := m.get32(wordOf(i)); got != want {
			t.Errorf("lock %d: word %#x, want %#x", i, got, want)
		}
	}
	if len(m.wakes) != 1 || m.wakes[0] != wordOf(1) {
		t.Errorf("wakes %#x, want one at %#x", m.wakes, wordOf(1))
	}
}

func TestRobustListEmptyAndUnreadableHead(t *testing.T) {
	m := newList(0)
	walkChecked(t, m, fakeHead, tid)
	if len(m.wakes) != 0 {
		t.Errorf("empty list woke %#x", m.wakes)
	}
	walkChecked(t, m, 0x1000, tid) // outside memory: nothing happens
}

func TestRobustListCycleIsBounded(t *testing.T) {
	m := newList(2)
	m.put64(lockAt(1), lockAt(0)) // 0 -> 1 -> 0 -> ...
	m.put32(wordOf(0), tid)
	m.put32(wordOf(1), tid|futexWaiters)
	pending := lockAt(5)
	m.put64(fakeHead+16, pending)
	walkChecked(t, m, fakeHead, tid)
	if m.reads > robustListLimit+10 {
		t.Errorf("walk read %d words for a cyclic list", m.reads)
	}
	if m.get32(wordOf(0)) != futexOwnerDied || m.get32(wordOf(1)) != futexOwnerDied|futexWaiters {
		t.Errorf("words %#x %#x", m.get32(wordOf(0)), m.get32(wordOf(1)))
	}
	// The pending lock is free: handled after the limit, it wakes a
	// waiter.
	want := []uint64{wordOf(1), wordOf(5)}
	if len(m.wakes) != 2 || m.wakes[0] != want[0] || m.wakes[1] != want[1] {
		t.Errorf("wakes %#x, want %#x", m.wakes, want)
	}
}

func TestRobustListBadPointerStopsWalk(t *testing.T) {
	m := newList(1)
	m.put64(lockAt(0), 0x10) // next is unreadable
	m.put32(wordOf(0), tid)
	m.put64(fakeHead+16, lockAt(3))
	m.put32(wordOf(3), tid)
	walkChecked(t, m, fakeHead, tid)
	if m.get32(wordOf(0)) != futexOwnerDied {
		t.Errorf("lock before the bad pointer: %#x", m.get32(wordOf(0)))
	}
	if m.get32(wordOf(3)) != tid {
		t.Errorf("pending lock was handled after a bad pointer: %#x", m.get32(wordOf(3)))
	}
}

func TestRobustListPending(t *testing.T) {
	m := newList(1)
	m.put32(wordOf(0), tid|futexWaiters)
	// The pending entry is also on the list: handled once, as pending.
	m.put64(fakeHead+16, lockAt(0))
	walkChecked(t, m, fakeHead, tid)
	if m.get32(wordOf(0)) != futexOwnerDied|futexWaiters || len(m.wakes) != 1 {
		t.Errorf("word %#x, wakes %#x", m.get32(wordOf(0)), m.wakes)
	}

	// A pending PI entry that is free wakes nobody; owned, it is marked.
	m = newList(0)
	m.put64(fakeHead+16, lockAt(2)|1)
	walkChecked(t, m, fakeHead, tid)
	if len(m.wakes) != 0 {
		t.Errorf("free PI pending lock woke %#x", m.wakes)
	}
	m.put32(wordOf(2), tid|futexWaiters)
	walkChecked(t, m, fakeHead, tid)
	if m.get32(wordOf(2)) != futexOwnerDied|futexWaiters || len(m.wakes) != 0 {
		t.Errorf("PI pending lock: word %#x, wakes %#x", m.get32(wordOf(2)), m.wakes)
	}
}

func TestRobustListPIEntries(t *testing.T) {
	m := newList(2)
	m.put64(fakeHead, lockAt(0)|1)
	m.put32(wordOf(0), tid|futexWaiters)
	m.put32(wordOf(1), tid|futexWaiters)
	walkChecked(t, m, fakeHead, tid)
	if m.get32(wordOf(0)) != futexOwnerDied|futexWaiters || m.get32(wordOf(1)) != futexOwnerDied|futexWaiters {
		t.Errorf("words %#x %#x", m.get32(wordOf(0)), m.get32(wordOf(1)))
	}
	// Only the plain entry's waiter is woken.
	if len(m.wakes) != 1 || m.wakes[0] != wordOf(1) {
		t.Errorf("wakes %#x", m.wakes)
	}
}

func TestRobustListUnwritableOrMisalignedStops(t *testing.T) {
	m := newList(2)
	m.put32(wordOf(0), tid)
	m.put32(wordOf(1), tid)
	m.readOnly = true
	walkChecked(t, m, fakeHead, tid)
	if m.get32(wordOf(0)) != tid || m.get32(wordOf(1)) != tid {
		t.Errorf("read-only words changed: %#x %#x", m.get32(wordOf(0)), m.get32(wordOf(1)))
	}
	// Words the dying thread does not own need no write: the walk goes
	// on past them.
	m.put32(wordOf(0), 999)
	m.put32(wordOf(1), 0)
	walkChecked(t, m, fakeHead, tid)

	m = newList(2)
	m.put64(fakeHead+8, fakeOffset+1)
	m.put32(wordOf(0), tid)
	walkChecked(t, m, fakeHead, tid)
	if m.get32(wordOf(0)) != tid {
		t.Errorf("misaligned offset changed a word: %#x", m.get32(wordOf(0)))
	}
}

func TestRobustListNegativeOffset(t *testing.T) {
	// glibc's offset is positive, but the ABI's futex_offset is a signed
	// long: the word may lie before the entry.
	m := newList(1)
	minus16 := int64(-16)
	m.put64(fakeHead+8, uint64(minus16))
	word := lockAt(0) - 16
	m.put32(word, tid)
	walkChecked(t, m, fakeHead, tid)
	if m.get32(word) != futexOwnerDied {
		t.Errorf("word %#x", m.get32(word))
	}
}

// walkChecked walks the list and requires every pinned word released.
func walkChecked(t *testing.T, m *fakeMemory, head uint64, tid uint32) {
	t.Helper()
	walkRobustList(m, head, tid)
	if m.pins != 0 {
		t.Fatalf("%d futex words still pinned after the walk", m.pins)
	}
}
