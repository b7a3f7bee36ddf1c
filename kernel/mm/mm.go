package mm

import (
	"io"
	"sync"

	"golang.org/x/sys/unix"

	"quartz/hal"
)

// MM is the address space of one Linux process, built on a Space: Linux's
// mmap, munmap, mprotect, brk and stack semantics over VMOs and VMARs.
type MM struct {
	space *Space

	mu            sync.Mutex // the program break
	brkStart, brk uint64
	heap          *VMO

	stackTop uint64
	mmapBase uint64
}

const (
	pageSize = hal.PageSize
	pageMask = pageSize - 1
	minAddr  = 0x10000 // like vm.mmap_min_addr: low pages stay unmapped
	stackMax = 8 << 20 // RLIMIT_STACK's usual 8 MiB
	stackGap = 1 << 20 // between the stack's limit and the mmap area
	dynBase  = 0x555555554000
	// heapMax bounds the heap VMO; only touched pages cost anything.
	heapMax = 1 << 40
)

// New makes an empty address space over the platform address space as.
func New(as hal.AddressSpace, frames *Frames) *MM {
	top := as.Limit()
	return &MM{
		space:    NewSpace(as, frames, minAddr),
		stackTop: top,
		mmapBase: top - stackMax - stackGap,
	}
}

// AddressSpace is the platform address space the MM maintains.
func (m *MM) AddressSpace() hal.AddressSpace { return m.space.as }

// Space is the VMAR-level address space.
func (m *MM) Space() *Space { return m.space }

// StackTop is the address just above the main thread's stack.
func (m *MM) StackTop() uint64 { return m.stackTop }

// StackMax is how far the main stack may grow.
func (m *MM) StackMax() uint64 { return stackMax }

// DynamicBase is where a position-independent main program is loaded.
func (m *MM) DynamicBase() uint64 { return dynBase }

func pageDown(a uint64) uint64 { return a &^ pageMask }

func pageUp(a uint64) (uint64, bool) {
	r := (a + pageMask) &^ pageMask
	return r, r >= a
}

// MappedFile is the content behind a file mapping.
type MappedFile interface {
	io.ReaderAt
	io.Closer
}

// Mapping describes a new memory area.
type Mapping struct {
	Addr, Length uint64
	Perms        hal.Perms
	// Fixed places the area exactly at Addr, replacing what was there;
	// with NoReplace it fails with EEXIST instead. Without Fixed, Addr
	// is a hint.
	Fixed, NoReplace bool
	// Shared mappings write into the object itself and are shared with
	// forked children (MAP_SHARED); others are private copy-on-write.
	Shared bool
	// VMO is the memory object to map (a file's page cache); File is a
	// simpler alternative: the mapping reads it through a pager of its
	// own. With neither, the mapping is anonymous and zero-filled.
	VMO       *VMO
	File      MappedFile
	FileName  string
	Dev, Ino  uint64 // the file's identity, for /proc/pid/maps
	Offset    uint64
	Name      string // "[stack]", "[heap]" for /proc/pid/maps
	GrowsDown bool
}

// readerPager pages a file in through ReaderAt, closing it when the VMO
// goes.
type readerPager struct{ f MappedFile }

func (p readerPager) ReadPage(idx uint64, dst []byte) error {
	n, err := p.f.ReadAt(dst, int64(idx*pageSize))
	if n == len(dst) || err == io.EOF {
		clear(dst[n:])
		return nil
	}
	return err
}

func (p readerPager) Close() error { return p.f.Close() }

// Map creates a memory area and returns its address.
func (m *MM) Map(req Mapping) (uint64, error) {
	length, ok := pageUp(req.Length)
	if req.Length == 0 || !ok || req.Offset&pageMask != 0 || req.Offset+length < req.Offset {
		return 0, unix.EINVAL
	}
	p := Placement{Below: m.mmapBase}
	switch {
	case req.Fixed:
		if req.Addr&pageMask != 0 {
			return 0, unix.EINVAL
		}
		if req.Addr < minAddr || req.Addr+length < req.Addr || req.Addr+length > m.space.as.Limit() {
			return 0, unix.ENOMEM
		}
		p = Placement{Specific: true, Overwrite: !req.NoReplace, Addr: req.Addr}
	case req.Addr != 0:
		a := pageDown(req.Addr)
		if a >= minAddr && a+length > a && a+length <= m.mmapBase && !m.space.occupied(a, a+length) {
			p = Placement{Specific: true, Addr: a}
		}
	}
	vmo, err := m.objectFor(req, length)
	if err != nil {
		return 0, err
	}
	defer vmo.Unref() // the mapping holds its own reference
	offset := req.Offset
	if req.GrowsDown && req.VMO == nil && req.File == nil {
		offset = vmo.size - length // the stack starts at the top of its object
	}
	mp, err := m.space.root.Map(MapRequest{
		Placement: p, VMO: vmo, Offset: offset, Size: length, Perms: req.Perms,
		Name: req.Name, GrowsDown: req.GrowsDown,
	})
	if err != nil {
		return 0, err
	}
	mp.Shared = req.Shared
	mp.Dev, mp.Ino = req.Dev, req.Ino
	if req.FileName != "" {
		mp.Name = req.FileName
	}
	return mp.base, nil
}

// objectFor returns a referenced VMO for a new mapping.
func (m *MM) objectFor(req Mapping, length uint64) (*VMO, error) {
	frames := m.space.frames
	var file *VMO
	switch {
	case req.VMO != nil:
		file = req.VMO
		file.Ref()
	case req.File != nil:
		size, _ := pageUp(req.Offset + length)
		v, err := NewPagedVMO(frames, size, readerPager{req.File})
		if err != nil {
			return nil, err
		}
		file = v
	default:
		size := length
		if req.GrowsDown && length < stackMax {
			size = stackMax // room below for the stack to grow to its limit
		}
		v, err := NewVMO(frames, size, true)
		if err == nil && !req.Shared {
			v.mappingOwned = true
		}
		return v, err
	}
	if req.Shared {
		return file, nil
	}
	// A private file mapping sees the file until it writes a page.
	c, err := file.CreateChild(SnapshotAtLeastOnWrite, 0, file.Size(), false)
	file.Unref()
	if err == nil {
		c.mappingOwned = true
	}
	return c, err
}

// Unmap removes every mapping in [addr, addr+length).
func (m *MM) Unmap(addr, length uint64) error {
	if addr&pageMask != 0 || length == 0 {
		return unix.EINVAL
	}
	length, ok := pageUp(length)
	if !ok || addr+length < addr || addr+length > m.space.as.Limit() || addr < m.space.root.base {
		return unix.EINVAL
	}
	return m.space.root.Unmap(addr, length)
}

// Protect changes the permissions of [addr, addr+length), which must be
// fully mapped.
func (m *MM) Protect(addr, length uint64, perms hal.Perms) error {
	return m.space.root.Protect(addr, length, perms)
}

// SetBrk places the program break just after the loaded program.
func (m *MM) SetBrk(start uint64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	start, _ = pageUp(start)
	m.brkStart, m.brk = start, start
}

// Brk moves the program break like brk(2) and returns the new break (the
// old one when the request cannot be met).
func (m *MM) Brk(addr uint64) uint64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	if addr < m.brkStart {
		return m.brk
	}
	oldEnd, _ := pageUp(m.brk)
	newEnd, ok := pageUp(addr)
	if !ok || newEnd > m.mmapBase || newEnd-m.brkStart > heapMax {
		return m.brk
	}
	switch {
	case newEnd > oldEnd:
		if m.heap == nil {
			v, err := NewVMO(m.space.frames, heapMax, false)
			if err != nil {
				return m.brk
			}
			m.heap = v
		}
		if err := m.space.growHeap(m.heap, m.brkStart, oldEnd, newEnd); err != nil {
			return m.brk
		}
	case newEnd < oldEnd:
		if err := m.space.root.Unmap(newEnd, oldEnd-newEnd); err != nil {
			return m.brk
		}
		// Growing again must show zeros, as a fresh brk area does.
		m.heap.Decommit(newEnd-m.brkStart, oldEnd-newEnd)
	}
	m.brk = addr
	return m.brk
}

// Discard drops the pages of [addr, addr+length) as MADV_DONTNEED does:
// the next touch sees zeros (anonymous private memory) or the object's
// content (files, shared memory) again.
func (m *MM) Discard(addr, length uint64) error {
	if addr&pageMask != 0 {
		return unix.EINVAL
	}
	length, ok := pageUp(length)
	if !ok || addr+length < addr {
		return unix.EINVAL
	}
	return m.space.discard(addr, addr+length)
}

// HandleFault resolves a guest page fault; false means the guest gets
// the signal. cpu picks the frame cache.
func (m *MM) HandleFault(f hal.FaultInfo, cpu int) bool { return m.space.HandleFault(f, cpu) }

// Release frees every page and destroys the platform address space.
func (m *MM) Release() {
	m.space.Release()
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.heap != nil {
		m.heap.Unref()
		m.heap = nil
	}
}

// Fork makes a copy of the address space over the platform address space
// as: private mappings become copy-on-write snapshots, shared mappings
// share their objects.
func (m *MM) Fork(as hal.AddressSpace) (*MM, error) {
	c := New(as, m.space.frames)
	m.mu.Lock()
	defer m.mu.Unlock()
	c.brkStart, c.brk, c.stackTop, c.mmapBase = m.brkStart, m.brk, m.stackTop, m.mmapBase
	snapshots := map[*VMO]*VMO{}
	defer func() {
		for _, s := range snapshots {
			s.Unref()
		}
	}()
	for _, mp := range m.space.Mappings() {
		v := mp.vmo
		if !mp.Shared {
			s, ok := snapshots[v]
			if !ok {
				var err error
				if s, err = v.CreateChild(Snapshot, 0, v.Size(), v.Resizable()); err != nil {
					c.Release()
					return nil, err
				}
				s.mappingOwned = v.mappingOwned
				snapshots[v] = s
			}
			v = s
		}
		nm, err := c.space.root.Map(MapRequest{
			Placement: Placement{Specific: true, Addr: mp.base}, VMO: v, Offset: mp.offset,
			Size: mp.size, Perms: mp.perms, Name: mp.Name, GrowsDown: mp.GrowsDown,
		})
		if err != nil {
			c.Release()
			return nil, err
		}
		nm.Shared, nm.Dev, nm.Ino = mp.Shared, mp.Dev, mp.Ino
		if m.heap != nil && mp.vmo == m.heap && c.heap == nil {
			c.heap = v
			v.Ref()
		}
	}
	return c, nil
}
