package vmio

import (
	"bytes"
	"testing"

	"golang.org/x/sys/unix"
)

const pageSize = 4096

// fakePage is one page of fakeMem.
type fakePage struct {
	data    []byte
	mode    byte // 'w' read-write, 'r' read-only, '-' inaccessible, '0' grants nothing
	pins    int  // outstanding
	release func()
}

// fakeMem is guest memory made of pages at chosen addresses. It counts
// pins and releases, and fails the test on a double release, an empty
// request or a piece that crosses a page.
type fakeMem struct {
	t        testing.TB
	pages    map[uint64]*fakePage
	maxPiece uint64 // when non-zero, the most bytes one Pin grants
	pinCalls int    // Pin calls, failed ones included
	pinned   int    // successful pins
	released int
	live     int // pinned - released
	maxLive  int
}

// newMem returns a fakeMem with one page per character of layout from
// base on ('w', 'r', '-', '0'; ' ' leaves a hole with no page), filled with
// a pattern derived from each byte's address, and checks at the end of
// the test that every pin was released.
func newMem(t testing.TB, base uint64, layout string) *fakeMem {
	m := &fakeMem{t: t, pages: map[uint64]*fakePage{}}
	for i, c := range []byte(layout) {
		if c != ' ' {
			m.addPage(base+uint64(i)*pageSize, c)
		}
	}
	t.Cleanup(func() {
		if m.live != 0 || m.pinned != m.released {
			t.Errorf("unbalanced: %d pins, %d releases", m.pinned, m.released)
		}
	})
	return m
}

func pattern(addr uint64) byte { return byte(addr*7 + addr>>12 + 3) }

func (m *fakeMem) addPage(addr uint64, mode byte) {
	pg := &fakePage{data: make([]byte, pageSize), mode: mode}
	for i := range pg.data {
		pg.data[i] = pattern(addr + uint64(i))
	}
	pg.release = func() {
		pg.pins--
		m.released++
		m.live--
		if pg.pins < 0 {
			m.t.Errorf("page %#x released more often than pinned", addr)
		}
	}
	m.pages[addr] = pg
}

func (m *fakeMem) Pin(addr, n uint64, write bool) ([]byte, func(), error) {
	m.pinCalls++
	if n == 0 {
		m.t.Errorf("Pin(%#x, 0)", addr)
	}
	pa := addr &^ (pageSize - 1)
	pg := m.pages[pa]
	if pg == nil || pg.mode == '-' || (write && pg.mode == 'r') {
		return nil, nil, unix.EFAULT
	}
	off := addr - pa
	k := min(n, pageSize-off)
	if m.maxPiece != 0 {
		k = min(k, m.maxPiece)
	}
	if pg.mode == '0' {
		k = 0
	}
	pg.pins++
	m.pinned++
	m.live++
	m.maxLive = max(m.maxLive, m.live)
	return pg.data[off : off+k], pg.release, nil
}

// get returns the guest bytes at [addr, addr+n), ignoring permissions.
func (m *fakeMem) get(addr, n uint64) []byte {
	out := make([]byte, 0, n)
	for a := addr; a != addr+n; a++ {
		out = append(out, m.pages[a&^(pageSize-1)].data[a%pageSize])
	}
	return out
}

// want returns the initial pattern at [addr, addr+n).
func want(addr, n uint64) []byte {
	out := make([]byte, n)
	for i := range out {
		out[i] = pattern(addr + uint64(i))
	}
	return out
}

// idle fails the test if a pin is outstanding.
func (m *fakeMem) idle() {
	m.t.Helper()
	if m.live != 0 {
		m.t.Fatalf("%d pins outstanding", m.live)
	}
}

func mustEqual(t *testing.T, what string, got, want []byte) {
	t.Helper()
	if !bytes.Equal(got, want) {
		i := 0
		for i < len(got) && i < len(want) && got[i] == want[i] {
			i++
		}
		t.Fatalf("%s: differ at byte %d (len %d, want %d)", what, i, len(got), len(want))
	}
}

// seq returns n bytes counting up from start.
func seq(start byte, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = start + byte(i)
	}
	return b
}
