package mm

import (
	"unsafe"

	"golang.org/x/sys/unix"

	"quartz/hal"
)

// pin is Pin with force: ignore the mapping's permissions (the loader).
func (s *Space) pin(addr, n uint64, write, force bool) ([]byte, func(), error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.findOrGrow(pageDown(addr))
	if m == nil {
		return nil, nil, unix.EFAULT
	}
	if !force && (m.perms == 0 || write && m.perms&hal.PermWrite == 0) {
		return nil, nil, unix.EFAULT
	}
	idx := (pageDown(addr) - m.base + m.offset) / hal.PageSize
	fr, err := m.vmo.PinPage(idx, write, s.cpu())
	if err != nil {
		return nil, nil, unix.EFAULT
	}
	off := addr & pageMask
	end := min(uint64(hal.PageSize), off+n)
	return fr.Bytes()[off:end], fr.Drop, nil
}

// pinKey pins the page of a futex word for reading and says which shared
// object holds it (nil for private memory).
func (s *Space) pinKey(addr uint64) ([]byte, func(), *VMO, uint64, error) {
	b, release, err := s.pin(addr, 4, false, false)
	if err != nil {
		return nil, nil, nil, 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m, _ := s.root.find(addr)
	if m == nil || !m.Shared {
		return b, release, nil, 0, nil
	}
	return b, release, m.vmo, addr - m.base + m.offset, nil
}

// cpu picks a frame cache for allocations made on behalf of this space.
func (s *Space) cpu() int { return int(uintptr(unsafe.Pointer(s)) >> 6) }

// occupied reports whether any mapping or region lies in [start, end) of
// the root VMAR.
func (s *Space) occupied(start, end uint64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.root.overlaps(start, end)
}

// growHeap extends the heap mapping of v, whose page 0 is at base, from
// oldEnd to newEnd, creating it when the heap is empty.
func (s *Space) growHeap(v *VMO, base, oldEnd, newEnd uint64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.root
	if r.overlaps(oldEnd, newEnd) {
		return unix.ENOMEM
	}
	if oldEnd > base {
		if m, _ := r.find(oldEnd - 1); m != nil && m.vmo == v && m.base+m.size == oldEnd {
			m.size = newEnd - m.base
			return nil
		}
	}
	m := &VmMapping{space: s, vmar: r, base: oldEnd, size: newEnd - oldEnd, vmo: v,
		offset: oldEnd - base, perms: hal.PermRead | hal.PermWrite, Name: "[heap]"}
	v.tree.mu.Lock()
	v.refs++
	v.mappings = append(v.mappings, m)
	v.tree.mu.Unlock()
	r.insert(vmarEntry{mapping: m})
	return nil
}

// discard implements MADV_DONTNEED over [start, end), which must be
// mapped.
func (s *Space) discard(start, end uint64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	ms, err := s.root.mappingsIn(start, end)
	if err != nil {
		return err
	}
	for _, m := range ms {
		lo, hi := max(start, m.base), min(end, m.base+m.size)
		off := lo - m.base + m.offset
		if err := m.vmo.discard(off, hi-lo, m.Shared); err != nil {
			return err
		}
		s.unmapPages(lo, hi)
	}
	return nil
}
