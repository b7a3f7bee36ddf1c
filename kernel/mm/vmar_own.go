package mm

import (
	"golang.org/x/sys/unix"

	"quartz/hal"
)

// The operations here act on a VMAR's own entries only, never reaching
// into a sub-region: Zircon's zx_vmar_unmap and zx_vmar_protect work that
// way, so that a region handed to other code stays that code's business.
// Errors: EBADF for a destroyed VMAR, EINVAL for a bad or foreign range
// or one that cuts a sub-region, ENOENT for a range with holes, EACCES
// for permissions beyond a mapping's bound.

// MaxPerms is the most a mapping may be given by Protect.
func (m *VmMapping) MaxPerms() hal.Perms {
	if m.bounded {
		return m.maxPerms
	}
	return m.vmar.maxPerms
}

// MaxPerms is the most a mapping in r, or a sub-region of it, may allow.
func (r *VMAR) MaxPerms() hal.Perms { return r.maxPerms }

// Dead reports whether r has been destroyed (itself or with its parent).
func (r *VMAR) Dead() bool {
	r.space.mu.Lock()
	defer r.space.mu.Unlock()
	return r.dead
}

// Space is the address space r belongs to.
func (r *VMAR) Space() *Space { return r.space }

// Parent is the VMAR r was allocated in, nil for the root.
func (r *VMAR) Parent() *VMAR { return r.parent }

// regionIn reports whether a sub-region of r intersects [start, end).
func (r *VMAR) regionIn(start, end uint64) bool {
	for i := r.index(start); i < len(r.children); i++ {
		e := r.children[i]
		s, _ := e.bounds()
		if s >= end {
			break
		}
		if e.region != nil {
			return true
		}
	}
	return false
}

// ownRange validates [addr, addr+size) for the operations below and
// rounds size up to pages.
func (r *VMAR) ownRange(addr, size uint64) (uint64, error) {
	if r.dead {
		return 0, unix.EBADF
	}
	size, ok := pageUp(size)
	if !ok || size == 0 || addr%hal.PageSize != 0 {
		return 0, unix.EINVAL
	}
	if addr < r.base || addr-r.base >= r.size || size > r.size-(addr-r.base) {
		return 0, unix.EINVAL
	}
	return size, nil
}

// UnmapOwn removes the mappings of r in [addr, addr+size), splitting
// those that straddle the ends, and destroys the sub-regions lying wholly
// inside the range. A sub-region only partly inside is EINVAL and nothing
// changes.
func (r *VMAR) UnmapOwn(addr, size uint64) error {
	s := r.space
	s.mu.Lock()
	defer s.mu.Unlock()
	size, err := r.ownRange(addr, size)
	if err != nil {
		return err
	}
	end := addr + size
	for i := r.index(addr); i < len(r.children); i++ {
		e := r.children[i]
		es, ee := e.bounds()
		if es >= end {
			break
		}
		if e.region != nil && (es < addr || ee > end) {
			return unix.EINVAL
		}
	}
	return r.unmapLocked(addr, size)
}

// ProtectOwn gives the mappings of r covering [addr, addr+size) the
// permissions perms. The range must be covered by r's own mappings,
// without holes (ENOENT) or sub-regions (EINVAL), and perms must lie
// within every mapping's bound (EACCES).
func (r *VMAR) ProtectOwn(addr, size uint64, perms hal.Perms) error {
	s := r.space
	s.mu.Lock()
	defer s.mu.Unlock()
	size, err := r.ownRange(addr, size)
	if err != nil {
		return err
	}
	end := addr + size
	ms, err := r.ownMappingsIn(addr, end, perms)
	if err != nil {
		return err
	}
	return s.protectLocked(ms, addr, end, perms, func() []*VmMapping {
		ms, _ := r.ownMappingsIn(addr, end, perms)
		return ms
	})
}

// ownMappingsIn lists r's mappings covering [start, end), checking them
// the way ProtectOwn requires, in address order.
func (r *VMAR) ownMappingsIn(start, end uint64, perms hal.Perms) ([]*VmMapping, error) {
	var out []*VmMapping
	a := start
	for i := r.index(start); i < len(r.children) && a < end; i++ {
		e := r.children[i]
		es, ee := e.bounds()
		if es >= end {
			break
		}
		if e.region != nil {
			return nil, unix.EINVAL
		}
		if es > a {
			return nil, unix.ENOENT
		}
		if perms&^e.mapping.MaxPerms() != 0 {
			return nil, unix.EACCES
		}
		out = append(out, e.mapping)
		a = ee
	}
	if a < end {
		return nil, unix.ENOENT
	}
	return out, nil
}

// Walk calls fn for every sub-region and mapping under r, depth first in
// address order, with its depth (1 for r's own entries). fn must not call
// back into the address space.
func (r *VMAR) Walk(fn func(depth int, region *VMAR, m *VmMapping)) {
	r.space.mu.Lock()
	defer r.space.mu.Unlock()
	r.walkLocked(1, fn)
}

func (r *VMAR) walkLocked(depth int, fn func(int, *VMAR, *VmMapping)) {
	for _, e := range r.children {
		if e.mapping != nil {
			fn(depth, nil, e.mapping)
			continue
		}
		fn(depth, e.region, nil)
		e.region.walkLocked(depth+1, fn)
	}
}

// CommittedPages counts the pages of the mapped part of the VMO that are
// committed, by the VMO itself or an ancestor it reads through.
func (m *VmMapping) CommittedPages() uint64 {
	v := m.vmo
	v.tree.mu.Lock()
	defer v.tree.mu.Unlock()
	var n uint64
	first := m.offset / hal.PageSize
	for i := first; i < first+m.size/hal.PageSize && i*hal.PageSize < v.size; i++ {
		if fr, owner := v.lookup(i); owner != nil && !v.frames.IsZeroPage(fr) {
			n++
		}
	}
	return n
}

// Pin returns kernel memory aliasing guest [addr, addr+n), cut at the
// page boundary, and its release function, faulting the page in as a
// guest access of that kind would: it implements vmio.Memory for a Space.
func (s *Space) Pin(addr, n uint64, write bool) ([]byte, func(), error) {
	return s.pin(addr, n, write, false)
}

// Access copies between buf and guest memory at addr (into the guest when
// write is set), page by page, stopping with EFAULT at the first page the
// access may not touch; force ignores the mappings' permissions (a
// debugger's or loader's access). It returns the bytes done.
func (s *Space) Access(addr uint64, buf []byte, write, force bool) (int, error) {
	done := 0
	for done < len(buf) {
		a := addr + uint64(done)
		if a < addr {
			return done, unix.EFAULT
		}
		ram, release, err := s.pin(a, uint64(len(buf)-done), write, force)
		if err != nil {
			return done, err
		}
		if write {
			copy(ram, buf[done:])
		} else {
			copy(buf[done:], ram)
		}
		release()
		done += len(ram)
	}
	return done, nil
}
