package mm

import (
	"golang.org/x/sys/unix"

	"quartz/hal"
)

const (
	segvMapErr = 1 // SEGV_MAPERR: nothing mapped at the address
	segvAccErr = 2 // SEGV_ACCERR: mapped, but the access is not allowed
)

// faultAround is how many pages a fault maps at once, aligned: sequential
// touch traps once per window, not once per page.
const faultAround = 16

// HandleFault resolves a guest page fault. It returns false when the
// access is invalid and the guest must get the signal. cpu picks the
// frame cache.
func (s *Space) HandleFault(f hal.FaultInfo, cpu int) bool {
	if f.Signal != int(unix.SIGSEGV) {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	va := pageDown(f.Addr)
	m := s.findOrGrow(va)
	if m == nil || m.perms == 0 {
		return false
	}
	write := f.Access&hal.AccessWrite != 0
	if f.Code == segvAccErr {
		// The page is mapped without the access. With only read access
		// because of copy-on-write, and a writable mapping, this is a
		// write: break the sharing. Anything else is a violation.
		s.ptMu.Lock()
		p, ok := s.pt[va]
		s.ptMu.Unlock()
		if m.perms&hal.PermWrite == 0 {
			return false
		}
		if ok && p.writable {
			// Another thread broke the sharing between this thread's
			// fault and now: retry the access. (A fault that keeps
			// recurring this way is the caller's to judge a violation.)
			return true
		}
		write = true
	}
	if f.Access&hal.AccessExec != 0 && m.perms&hal.PermExec == 0 ||
		write && m.perms&hal.PermWrite == 0 {
		return false
	}
	return s.populate(m, va, write, cpu) == nil
}

// findOrGrow returns the mapping holding va, growing a stack mapping down
// to it when va is within its reach, as Linux does on touch.
func (s *Space) findOrGrow(va uint64) *VmMapping {
	m, r := s.root.find(va)
	if m != nil {
		return m
	}
	if va < s.root.base {
		return nil
	}
	i := r.index(va)
	if i == len(r.children) || r.children[i].mapping == nil {
		return nil
	}
	st := r.children[i].mapping
	if !st.GrowsDown || st.base-va > st.offset {
		return nil // the stack's VMO has no room below
	}
	if i > 0 {
		if _, end := r.children[i-1].bounds(); end+hal.PageSize > va {
			return nil // keep a guard page to the area below
		}
	}
	grow := st.base - va
	st.base -= grow
	st.offset -= grow
	st.size += grow
	return st
}

// populate maps the faulting page, and its neighbours in the same
// fault-around window, into the page table. The faulting page is made
// writable when write is set. Pages that have never been written and lie
// in a writable mapping are committed right away: the first touch of
// fresh memory is nearly always a write, and committing now saves the
// second trap a read-only zero page would cost.
func (s *Space) populate(m *VmMapping, va uint64, write bool, cpu int) error {
	winStart := max(m.base, va&^(faultAround*hal.PageSize-1))
	winEnd := min(m.base+m.size, winStart+faultAround*hal.PageSize)
	v := m.vmo
	v.tree.mu.Lock()
	defer v.tree.mu.Unlock()

	// Gather first: committing a page may invalidate page-table entries,
	// which takes ptMu itself.
	type page struct {
		va       uint64
		frame    Frame
		writable bool
	}
	var pages []page
	for a := winStart; a < winEnd; a += hal.PageSize {
		if a != va && s.isMapped(a) {
			continue
		}
		idx := (a - m.base + m.offset) / hal.PageSize
		if idx*hal.PageSize >= v.size {
			if a == va {
				return unix.EFAULT // beyond the object: Linux's SIGBUS case
			}
			continue
		}
		fr, w, err := m.pageFor(idx, a == va && write, cpu)
		if err != nil {
			if a == va {
				return err
			}
			continue
		}
		pages = append(pages, page{a, fr, w})
	}

	// Then install runs of consecutive pages.
	s.ptMu.Lock()
	defer s.ptMu.Unlock()
	for i := 0; i < len(pages); {
		j := i + 1
		for j < len(pages) && pages[j].va == pages[j-1].va+hal.PageSize {
			j++
		}
		frames := make([]Frame, 0, j-i)
		writable := make([]bool, 0, j-i)
		for _, p := range pages[i:j] {
			frames = append(frames, p.frame)
			writable = append(writable, p.writable)
		}
		if err := s.install(pages[i].va, frames, m.perms, writable); err != nil {
			return err
		}
		i = j
	}
	return nil
}

func (s *Space) isMapped(va uint64) bool {
	s.ptMu.Lock()
	defer s.ptMu.Unlock()
	_, ok := s.pt[va]
	return ok
}

// pageFor returns the frame to map for VMO page idx and whether the
// guest may write it. The hierarchy lock is held.
func (m *VmMapping) pageFor(idx uint64, write bool, cpu int) (Frame, bool, error) {
	v := m.vmo
	canWrite := m.perms&hal.PermWrite != 0
	if write {
		fr, err := v.writable(idx, cpu)
		return fr, true, err
	}
	fr, err := v.readable(idx, cpu)
	if err != nil {
		return Frame{}, false, err
	}
	if !canWrite {
		return fr, false, nil
	}
	if v.frames.IsZeroPage(fr) {
		fr, err = v.writable(idx, cpu)
		return fr, err == nil, err
	}
	// Writable only if the page is the VMO's own (or, for a slice, its
	// parent's): otherwise the first write must copy it.
	return fr, v.owns(idx, fr), nil
}

// owns reports whether fr is the frame v itself holds for page idx
// (following slices to the VMO that holds their pages).
func (v *VMO) owns(idx uint64, fr Frame) bool {
	for v.kind == sliceChild {
		idx += v.parentOffset
		v = v.parent
	}
	own, ok := v.pages[idx]
	return ok && own.pfn == fr.pfn
}

// Mapped reports whether addr lies in a mapping, accessible or not: a
// fault there is an access error (SEGV_ACCERR), elsewhere SEGV_MAPERR.
func (s *Space) Mapped(addr uint64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, _ := s.root.find(addr)
	return m != nil
}
