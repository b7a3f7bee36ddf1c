package mm

import (
	"fmt"
	"io"
	"sort"
	"sync"
	"sync/atomic"
	"testing"

	"golang.org/x/sys/unix"

	"quartz/hal"
)

// recLimit is the fake platform's Limit: the first address guests may not use.
const recLimit = 0x7ffffff00000

// recordedPage is what the fake platform maps at one guest page.
type recordedPage struct {
	frame uint64
	perms hal.Perms
}

// recordingAS is a hal.AddressSpace that records, page by page, what the
// platform would map. Like mmap/munmap/mprotect it rejects unaligned or
// empty ranges, so a caller that asks the host for nonsense is caught.
type recordingAS struct {
	mu       sync.Mutex
	ramSize  uint64
	pages    map[uint64]recordedPage
	maps     int
	unmaps   int
	protects int
	released int
}

var _ hal.AddressSpace = (*recordingAS)(nil)

func newRecordingAS(ramSize uint64) *recordingAS {
	return &recordingAS{ramSize: ramSize, pages: make(map[uint64]recordedPage)}
}

func (f *recordingAS) check(va, length uint64) error {
	if va&pageMask != 0 || length&pageMask != 0 || length == 0 || va+length < va || va+length > recLimit {
		return unix.EINVAL
	}
	return nil
}

func (f *recordingAS) Map(va, frame, length uint64, perms hal.Perms) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.check(va, length); err != nil {
		return err
	}
	if frame&pageMask != 0 || frame+length > f.ramSize || frame+length < frame {
		return unix.EINVAL
	}
	f.maps++
	for i := uint64(0); i < length; i += pageSize {
		f.pages[va+i] = recordedPage{frame: frame + i, perms: perms}
	}
	return nil
}

func (f *recordingAS) Unmap(va, length uint64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.check(va, length); err != nil {
		return err
	}
	f.unmaps++
	for i := uint64(0); i < length; i += pageSize {
		delete(f.pages, va+i)
	}
	return nil
}

func (f *recordingAS) Protect(va, length uint64, perms hal.Perms) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.check(va, length); err != nil {
		return err
	}
	f.protects++
	for i := uint64(0); i < length; i += pageSize {
		if p, ok := f.pages[va+i]; ok {
			p.perms = perms
			f.pages[va+i] = p
		}
	}
	return nil
}

func (f *recordingAS) Limit() uint64 { return recLimit }

func (f *recordingAS) Release() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.released++
	clear(f.pages)
}

func (f *recordingAS) lookup(va uint64) (recordedPage, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p, ok := f.pages[pageDown(va)]
	return p, ok
}

// mapped returns the sorted guest pages the platform maps now.
func (f *recordingAS) mapped() []uint64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []uint64
	for va := range f.pages {
		out = append(out, va)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// countingFile is a MappedFile over a byte slice that counts Close calls.
// With scratch set, ReadAt scribbles over the part of p it does not fill,
// as io.ReaderAt allows.
type countingFile struct {
	data    []byte
	scratch bool
	closes  atomic.Int32
	reads   atomic.Int32
}

func (f *countingFile) ReadAt(p []byte, off int64) (int, error) {
	f.reads.Add(1)
	if f.closes.Load() != 0 {
		return 0, fmt.Errorf("read of closed file")
	}
	n := 0
	if off < int64(len(f.data)) {
		n = copy(p, f.data[off:])
	}
	if n < len(p) {
		if f.scratch {
			for i := n; i < len(p); i++ {
				p[i] = 0xee
			}
		}
		return n, io.EOF
	}
	return n, nil
}

func (f *countingFile) Close() error {
	f.closes.Add(1)
	return nil
}

// patternBytes returns n bytes whose value depends on their offset, so a
// page read from the wrong offset is noticed.
func patternBytes(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i/pageSize*7 + i%251 + 1)
	}
	return b
}

// mmEnv is one MM over a fake platform and real RAM.
type mmEnv struct {
	t      *testing.T
	mem    *hal.PhysMem
	frames *Frames
	as     *recordingAS
	mm     *MM
	extra  uint64 // frames the test holds outside the MM
}

func newMMEnv(t *testing.T) *mmEnv {
	t.Helper()
	mem, err := hal.NewPhysMem(64 << 20)
	if err != nil {
		t.Fatalf("NewPhysMem: %v", err)
	}
	t.Cleanup(func() { mem.Close() })
	frames := NewFrames(mem)
	as := newRecordingAS(mem.Size())
	return &mmEnv{t: t, mem: mem, frames: frames, as: as, mm: New(as, frames)}
}

const (
	protR    = hal.PermRead
	protRW   = hal.PermRead | hal.PermWrite
	protRX   = hal.PermRead | hal.PermExec
	protRWX  = hal.PermsRWX
	protNone = hal.Perms(0)
)

// mapAt makes a fixed anonymous (or file) area and fails the test on error.
func (e *mmEnv) mapAt(addr, length uint64, perms hal.Perms) uint64 {
	e.t.Helper()
	got, err := e.mm.Map(Mapping{Addr: addr, Length: length, Perms: perms, Fixed: true})
	if err != nil || got != addr {
		e.t.Fatalf("Map(%#x, %#x, %v) = %#x, %v", addr, length, perms, got, err)
	}
	return got
}

func mapErrFault(addr uint64) hal.FaultInfo {
	return hal.FaultInfo{Signal: int(unix.SIGSEGV), Code: 1, Addr: addr}
}

func accErrFault(addr uint64) hal.FaultInfo {
	return hal.FaultInfo{Signal: int(unix.SIGSEGV), Code: 2, Addr: addr}
}

// guest simulates the CPU performing an access of the guest at addr: it
// uses the platform's mapping when it allows the access, and otherwise
// raises the fault the host would (MAPERR for no mapping, ACCERR for a
// mapping without the permission) and lets the MM handle it, like the run
// loop does. It returns the RAM offset of addr, or false when the guest
// would get a signal.
func (e *mmEnv) guest(addr uint64, write bool) (uint64, bool) {
	e.t.Helper()
	need := hal.PermRead
	if write {
		need = hal.PermWrite
	}
	for range 4 {
		p, ok := e.as.lookup(addr)
		var f hal.FaultInfo
		switch {
		case ok && p.perms&need != 0:
			return p.frame + addr&pageMask, true
		case ok:
			f = accErrFault(addr)
		default:
			f = mapErrFault(addr)
		}
		if !e.mm.HandleFault(f, 0) {
			return 0, false
		}
	}
	e.t.Fatalf("guest access at %#x: fault handled but the access still faults", addr)
	return 0, false
}

func (e *mmEnv) guestRead(addr uint64) (byte, bool) {
	e.t.Helper()
	off, ok := e.guest(addr, false)
	if !ok {
		return 0, false
	}
	return e.mem.Slice(off, 1)[0], true
}

func (e *mmEnv) guestWrite(addr uint64, b byte) bool {
	e.t.Helper()
	off, ok := e.guest(addr, true)
	if ok {
		e.mem.Slice(off, 1)[0] = b
	}
	return ok
}

// vma is a test's view of one mapping.
type vma struct {
	start, end uint64
	perms      hal.Perms
	name       string
	growsDown  bool
	file       bool
}

func viewOf(m *VmMapping) vma {
	_, paged := m.vmo.root().pager.(readerPager)
	return vma{start: m.base, end: m.base + m.size, perms: m.perms, name: m.Name, growsDown: m.GrowsDown, file: paged}
}

// root returns the top of v's hierarchy.
func (v *VMO) root() *VMO {
	for v.parent != nil {
		v = v.parent
	}
	return v
}

// check verifies the address space's invariants against itself, the
// frame allocator and the fake platform.
func (e *mmEnv) check() {
	e.t.Helper()
	s := e.mm.space
	ms := s.Mappings()
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, m := range ms {
		if m.base&pageMask != 0 || m.size&pageMask != 0 || m.size == 0 {
			e.t.Fatalf("mapping %d [%#x, +%#x) malformed", i, m.base, m.size)
		}
		if i > 0 && ms[i-1].base+ms[i-1].size > m.base {
			e.t.Fatalf("mappings %d and %d overlap or are unsorted", i-1, i)
		}
		if m.base+m.size > recLimit {
			e.t.Fatalf("mapping [%#x, +%#x) beyond the limit", m.base, m.size)
		}
		if ff, ok := m.vmo.root().pager.(readerPager); ok {
			if cf, ok := ff.f.(*countingFile); ok && cf.closes.Load() != 0 {
				e.t.Fatalf("file closed while mapped at %#x", m.base)
			}
		}
	}
	s.ptMu.Lock()
	defer s.ptMu.Unlock()
	for va, p := range s.pt {
		m, _ := s.root.find(va)
		if m == nil {
			e.t.Fatalf("page %#x in the page table but in no mapping", va)
		}
		fp, mapped := e.as.lookup(va)
		if !mapped {
			e.t.Fatalf("page %#x in the page table, not mapped by the platform", va)
		}
		want := m.perms
		if !p.writable {
			want &^= hal.PermWrite
		}
		if fp.frame != p.frame.Offset() || fp.perms != want {
			e.t.Fatalf("page %#x: platform maps %#x %v, page table says %#x %v", va, fp.frame, fp.perms, p.frame.Offset(), want)
		}
	}
	for _, a := range e.as.mapped() {
		if _, ok := s.pt[a]; !ok {
			e.t.Fatalf("platform maps %#x, the page table has no entry", a)
		}
	}
	// Every frame in use is held by some VMO reachable from a mapping,
	// by the heap, or by the test.
	held := map[uint64]bool{}
	seen := map[*VMO]bool{}
	var walk func(v *VMO)
	walk = func(v *VMO) {
		for v != nil && !seen[v] {
			seen[v] = true
			for _, f := range v.pages {
				held[f.pfn] = true
			}
			for _, c := range v.children {
				walk(c)
			}
			v = v.parent
		}
	}
	for _, m := range ms {
		walk(m.vmo)
	}
	if e.mm.heap != nil {
		walk(e.mm.heap)
	}
	if used := e.frames.Used(); used != uint64(len(held))+e.extra {
		e.t.Fatalf("Frames.Used = %d, mappings hold %d frames (and the test %d)", used, len(held), e.extra)
	}
}

// vmaList is the mappings as [start, end) pairs, for comparisons.
func (e *mmEnv) vmaList() [][2]uint64 {
	var out [][2]uint64
	for _, m := range e.mm.space.Mappings() {
		out = append(out, [2]uint64{m.base, m.base + m.size})
	}
	return out
}

func (e *mmEnv) area(addr uint64) (vma, bool) {
	s := e.mm.space
	s.mu.Lock()
	defer s.mu.Unlock()
	if m, _ := s.root.find(addr); m != nil {
		return viewOf(m), true
	}
	return vma{}, false
}

// ownFrame returns the frame the mapping at addr holds for the page
// itself (committed), if any.
func (e *mmEnv) ownFrame(addr uint64) (Frame, bool) {
	s := e.mm.space
	s.mu.Lock()
	defer s.mu.Unlock()
	m, _ := s.root.find(addr)
	if m == nil {
		return Frame{}, false
	}
	m.vmo.tree.mu.Lock()
	defer m.vmo.tree.mu.Unlock()
	fr, owner := m.vmo.lookup((pageDown(addr) - m.base + m.offset) / pageSize)
	if owner == nil {
		return Frame{}, false
	}
	return fr, true
}

func (e *mmEnv) committed(addr uint64) bool {
	_, ok := e.ownFrame(addr)
	return ok
}

func (e *mmEnv) frameOf(addr uint64) uint64 {
	e.t.Helper()
	fr, ok := e.ownFrame(addr)
	if !ok {
		e.t.Fatalf("page %#x not committed", addr)
	}
	return fr.Offset()
}
