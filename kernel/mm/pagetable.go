package mm

import (
	"sort"

	"golang.org/x/sys/unix"

	"quartz/hal"
)

// unmapPages removes the page-table entries of [start, end).
func (s *Space) unmapPages(start, end uint64) {
	s.ptMu.Lock()
	defer s.ptMu.Unlock()
	s.unmapPagesLocked(start, end)
}

func (s *Space) unmapPagesLocked(start, end uint64) {
	found := false
	drop := func(va uint64, p pte) {
		p.frame.Drop()
		delete(s.pt, va)
		found = true
	}
	if (end-start)/hal.PageSize <= uint64(len(s.pt)) {
		for va := start; va < end; va += hal.PageSize {
			if p, ok := s.pt[va]; ok {
				drop(va, p)
			}
		}
	} else {
		for va, p := range s.pt {
			if va >= start && va < end {
				drop(va, p)
			}
		}
	}
	if found {
		s.as.Unmap(start, end-start)
	}
}

// install maps frames at consecutive pages starting at va, taking a
// reference on each, in as few platform calls as the frames allow.
// ptMu is held.
func (s *Space) install(va uint64, frames []Frame, perms hal.Perms, writable []bool) error {
	for i := 0; i < len(frames); {
		j := i + 1
		for j < len(frames) && frames[j].Offset() == frames[j-1].Offset()+hal.PageSize && writable[j] == writable[i] {
			j++
		}
		p := perms
		if !writable[i] {
			p &^= hal.PermWrite
		}
		start := va + uint64(i)*hal.PageSize
		if err := s.as.Map(start, frames[i].Offset(), uint64(j-i)*hal.PageSize, p); err != nil {
			return err
		}
		for k := i; k < j; k++ {
			a := start + uint64(k-i)*hal.PageSize
			if old, ok := s.pt[a]; ok {
				old.frame.Drop()
			}
			s.pt[a] = pte{frame: frames[k].Clone(), writable: writable[k]}
		}
		i = j
	}
	return nil
}

// invalidate removes the pages of VMO indexes [start, end) that this
// mapping shows. The VMO's hierarchy lock is held.
func (m *VmMapping) invalidate(start, end uint64) {
	first := m.offset / hal.PageSize
	last := first + m.size/hal.PageSize
	start, end = max(start, first), min(end, last)
	if start >= end {
		return
	}
	va := m.base + (start-first)*hal.PageSize
	m.space.unmapPages(va, va+(end-start)*hal.PageSize)
}

// downgrade removes every page of the mapping so that the next access
// finds out anew whether it may write (after a snapshot clone shares
// its pages).
func (m *VmMapping) downgrade() { m.space.unmapPages(m.base, m.base+m.size) }

// MappedPages is the number of page-table entries (for tests and stats).
func (s *Space) MappedPages() int {
	s.ptMu.Lock()
	defer s.ptMu.Unlock()
	return len(s.pt)
}

// pagesIn lists the mapped page addresses in [start, end), sorted.
func (s *Space) pagesIn(start, end uint64) []uint64 {
	s.ptMu.Lock()
	defer s.ptMu.Unlock()
	var out []uint64
	for va := range s.pt {
		if va >= start && va < end {
			out = append(out, va)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

var _ = unix.EFAULT
