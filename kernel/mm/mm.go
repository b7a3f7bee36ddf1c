package mm

import (
	"sort"
	"sync"

	"golang.org/x/sys/unix"

	"quartz/hal"
)

const (
	pageSize  = hal.PageSize
	pageMask  = pageSize - 1
	minAddr   = 0x10000 // like vm.mmap_min_addr: page zero stays unmapped
	stackMax  = 8 << 20 // RLIMIT_STACK's usual 8 MiB
	stackGap  = 1 << 20 // between the stack's limit and the mmap area
	faultRun  = 16      // pages committed around a faulting page
	dynBase   = 0x555555554000
	pteMapped = 1 // the page is mapped in the platform address space
)

// pte is one guest page's frame and whether the platform maps it now.
type pte struct {
	frame uint64
	flags uint8
}

// MM is the address space of one guest process.
type MM struct {
	mu     sync.Mutex
	as     hal.AddressSpace
	frames *Frames
	vmas   []*vma // sorted by start, disjoint
	pages  map[uint64]pte

	brkStart, brk uint64
	stackTop      uint64
	mmapBase      uint64
}

// New makes an empty address space over the platform address space as.
func New(as hal.AddressSpace, frames *Frames) *MM {
	top := as.Limit()
	return &MM{
		as:       as,
		frames:   frames,
		pages:    make(map[uint64]pte),
		stackTop: top,
		mmapBase: top - stackMax - stackGap,
	}
}

// AddressSpace is the platform address space the MM maintains.
func (m *MM) AddressSpace() hal.AddressSpace { return m.as }

// StackTop is the address just above the main thread's stack.
func (m *MM) StackTop() uint64 { return m.stackTop }

// DynamicBase is where a position-independent main program is loaded.
func (m *MM) DynamicBase() uint64 { return dynBase }

func pageDown(a uint64) uint64 { return a &^ pageMask }

func pageUp(a uint64) (uint64, bool) {
	r := (a + pageMask) &^ pageMask
	return r, r >= a
}

// Mapping describes a new memory area.
type Mapping struct {
	Addr, Length uint64
	Perms        hal.Perms
	// Fixed places the area exactly at Addr, replacing what was there;
	// with NoReplace it fails with EEXIST instead. Without Fixed, Addr
	// is a hint.
	Fixed, NoReplace bool
	File             MappedFile // nil: anonymous, zero-filled
	FileName         string
	Offset           uint64
	Name             string // "[stack]", "[heap]" for /proc/pid/maps
	GrowsDown        bool
}

// Map creates a memory area and returns its address.
func (m *MM) Map(req Mapping) (uint64, error) {
	length, ok := pageUp(req.Length)
	if req.Length == 0 || !ok || req.Offset&pageMask != 0 {
		return 0, unix.EINVAL
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	addr := req.Addr
	switch {
	case req.Fixed:
		if addr&pageMask != 0 || addr+length < addr || addr+length > m.as.Limit() || addr < minAddr {
			if addr&pageMask != 0 {
				return 0, unix.EINVAL
			}
			return 0, unix.ENOMEM
		}
		if req.NoReplace && m.overlaps(addr, addr+length) {
			return 0, unix.EEXIST
		}
		if err := m.unmapLocked(addr, length); err != nil {
			return 0, err
		}
	default:
		a := pageDown(addr)
		if a < minAddr || a+length < a || a+length > m.mmapBase || m.overlaps(a, a+length) {
			var ok bool
			if a, ok = m.findGap(length); !ok {
				return 0, unix.ENOMEM
			}
		}
		addr = a
	}
	v := &vma{start: addr, end: addr + length, perms: req.Perms, offset: req.Offset, name: req.Name, growsDown: req.GrowsDown}
	if req.File != nil {
		v.file = &fileRef{f: req.File, name: req.FileName}
		v.file.refs.Store(1)
	}
	m.insert(v)
	return addr, nil
}

// overlaps reports whether any area intersects [start, end).
func (m *MM) overlaps(start, end uint64) bool {
	i := sort.Search(len(m.vmas), func(i int) bool { return m.vmas[i].end > start })
	return i < len(m.vmas) && m.vmas[i].start < end
}

// findGap finds the highest free range of length bytes below mmapBase.
func (m *MM) findGap(length uint64) (uint64, bool) {
	top := m.mmapBase
	for i := len(m.vmas) - 1; i >= -1; i-- {
		bottom := uint64(minAddr)
		if i >= 0 {
			if m.vmas[i].start >= top {
				continue
			}
			bottom = max(m.vmas[i].end, minAddr)
		}
		if top >= bottom && top-bottom >= length {
			return top - length, true
		}
		if i >= 0 {
			top = m.vmas[i].start
		}
	}
	return 0, false
}

func (m *MM) insert(v *vma) {
	i := sort.Search(len(m.vmas), func(i int) bool { return m.vmas[i].start >= v.start })
	m.vmas = append(m.vmas, nil)
	copy(m.vmas[i+1:], m.vmas[i:])
	m.vmas[i] = v
}

// find returns the area containing addr.
func (m *MM) find(addr uint64) *vma {
	i := sort.Search(len(m.vmas), func(i int) bool { return m.vmas[i].end > addr })
	if i < len(m.vmas) && m.vmas[i].start <= addr {
		return m.vmas[i]
	}
	return nil
}

// splitAt makes addr a boundary between areas.
func (m *MM) splitAt(addr uint64) {
	if v := m.find(addr); v != nil && v.start < addr {
		m.insert(v.split(addr))
	}
}

// Unmap removes every mapping in [addr, addr+length).
func (m *MM) Unmap(addr, length uint64) error {
	if addr&pageMask != 0 || length == 0 {
		return unix.EINVAL
	}
	length, ok := pageUp(length)
	if !ok || addr+length < addr || addr+length > m.as.Limit() {
		return unix.EINVAL
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.unmapLocked(addr, length)
}

func (m *MM) unmapLocked(addr, length uint64) error {
	end := addr + length
	if !m.overlaps(addr, end) {
		return nil
	}
	m.splitAt(addr)
	m.splitAt(end)
	kept := m.vmas[:0]
	for _, v := range m.vmas {
		if v.start >= addr && v.end <= end {
			m.dropPages(v.start, v.end)
			v.file.put()
			continue
		}
		kept = append(kept, v)
	}
	clear(m.vmas[len(kept):])
	m.vmas = kept
	return m.as.Unmap(addr, length)
}

// dropPages frees the frames of [start, end), coalescing runs so that RAM
// is returned with few host calls.
func (m *MM) dropPages(start, end uint64) {
	var frames []uint64
	if (end-start)/pageSize < uint64(len(m.pages)) {
		for a := start; a < end; a += pageSize {
			if p, ok := m.pages[a]; ok {
				frames = append(frames, p.frame)
				delete(m.pages, a)
			}
		}
	} else {
		for a, p := range m.pages {
			if a >= start && a < end {
				frames = append(frames, p.frame)
				delete(m.pages, a)
			}
		}
	}
	m.freeFrames(frames)
}

func (m *MM) freeFrames(frames []uint64) {
	sort.Slice(frames, func(i, j int) bool { return frames[i] < frames[j] })
	for i := 0; i < len(frames); {
		j := i + 1
		for j < len(frames) && frames[j] == frames[j-1]+pageSize {
			j++
		}
		m.frames.FreeRun(frames[i], uint64(j-i))
		i = j
	}
}

// Protect changes the permissions of [addr, addr+length), which must be
// fully mapped.
func (m *MM) Protect(addr, length uint64, perms hal.Perms) error {
	if addr&pageMask != 0 {
		return unix.EINVAL
	}
	length, ok := pageUp(length)
	if !ok || addr+length < addr {
		return unix.ENOMEM
	}
	if length == 0 {
		return nil
	}
	end := addr + length
	m.mu.Lock()
	defer m.mu.Unlock()
	for a := addr; a < end; {
		v := m.find(a)
		if v == nil {
			return unix.ENOMEM
		}
		a = v.end
	}
	m.splitAt(addr)
	m.splitAt(end)
	for _, v := range m.vmas {
		if v.start >= addr && v.end <= end {
			v.perms = perms
		}
	}
	// Drop the platform mappings; pages come back with the new
	// permissions on their next touch. This costs refaults but keeps one
	// rule: a platform mapping always carries its area's permissions.
	for a := addr; a < end; a += pageSize {
		if p, ok := m.pages[a]; ok && p.flags&pteMapped != 0 {
			p.flags &^= pteMapped
			m.pages[a] = p
		}
	}
	return m.as.Unmap(addr, length)
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
	if !ok || newEnd > m.mmapBase {
		return m.brk
	}
	switch {
	case newEnd > oldEnd:
		if m.overlaps(oldEnd, newEnd) {
			return m.brk
		}
		if v := m.find(oldEnd - 1); v != nil && v.name == "[heap]" && v.end == oldEnd {
			v.end = newEnd
		} else {
			m.insert(&vma{start: oldEnd, end: newEnd, perms: hal.PermRead | hal.PermWrite, name: "[heap]"})
		}
	case newEnd < oldEnd:
		if err := m.unmapLocked(newEnd, oldEnd-newEnd); err != nil {
			return m.brk
		}
	}
	m.brk = addr
	return m.brk
}

// Release frees every frame and destroys the platform address space.
func (m *MM) Release() {
	m.mu.Lock()
	defer m.mu.Unlock()
	frames := make([]uint64, 0, len(m.pages))
	for _, p := range m.pages {
		frames = append(frames, p.frame)
	}
	m.freeFrames(frames)
	m.pages = map[uint64]pte{}
	for _, v := range m.vmas {
		v.file.put()
	}
	m.vmas = nil
	m.as.Release()
}

// Discard drops the pages of [addr, addr+length) as MADV_DONTNEED does for
// private mappings: the next touch sees zeros (or the file's content)
// again. The areas stay.
func (m *MM) Discard(addr, length uint64) error {
	if addr&pageMask != 0 {
		return unix.EINVAL
	}
	length, ok := pageUp(length)
	if !ok || addr+length < addr {
		return unix.EINVAL
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for a := addr; a < addr+length; {
		v := m.find(a)
		if v == nil {
			return unix.ENOMEM
		}
		a = v.end
	}
	m.dropPages(addr, addr+length)
	return m.as.Unmap(addr, length)
}
