package mm

import (
	"golang.org/x/sys/unix"

	"quartz/hal"
)

// Remap is mremap(2): resize the mapping of [old, old+oldLen) to newLen,
// in place when the space after it is free, else (with mayMove) at a new
// address; with fixed, exactly at newAddr, replacing what is there. The
// range must lie within one mapping. It returns the mapping's address.
func (m *MM) Remap(old, oldLen, newLen uint64, mayMove, fixed bool, newAddr uint64) (uint64, error) {
	if old&pageMask != 0 || (fixed && (!mayMove || newAddr&pageMask != 0)) {
		return 0, unix.EINVAL
	}
	oldLen, ok1 := pageUp(oldLen)
	newLen, ok2 := pageUp(newLen)
	if !ok1 || !ok2 || newLen == 0 || oldLen == 0 || old+oldLen < old {
		return 0, unix.EINVAL
	}
	if fixed && newAddr < old+oldLen && old < newAddr+newLen {
		return 0, unix.EINVAL // the new range may not overlap the old
	}
	s := m.space
	s.mu.Lock()
	mp, r := s.root.find(old)
	if mp == nil || old+oldLen > mp.base+mp.size {
		s.mu.Unlock()
		return 0, unix.EFAULT
	}
	vmoOff := mp.offset + (old - mp.base)
	v := mp.vmo
	switch {
	case !fixed && newLen <= oldLen:
		s.mu.Unlock()
		if newLen < oldLen {
			if err := s.root.Unmap(old+newLen, oldLen-newLen); err != nil {
				return 0, err
			}
		}
		return old, nil
	case !fixed && old+oldLen == mp.base+mp.size && !r.overlaps(old+oldLen, old+newLen) &&
		old+newLen <= r.base+r.size && old+newLen > old:
		// Grow in place.
		if err := v.ensureSize(vmoOff + newLen); err != nil {
			s.mu.Unlock()
			return 0, err
		}
		mp.size += newLen - oldLen
		s.mu.Unlock()
		return old, nil
	case !mayMove:
		s.mu.Unlock()
		return 0, unix.ENOMEM
	}
	p := Placement{Below: m.mmapBase}
	if fixed {
		p = Placement{Specific: true, Overwrite: true, Addr: newAddr}
	}
	perms, name, grows, shared, dev, ino := mp.perms, mp.Name, mp.GrowsDown, mp.Shared, mp.Dev, mp.Ino
	s.mu.Unlock()
	if err := v.ensureSize(vmoOff + newLen); err != nil {
		return 0, err
	}
	nm, err := s.root.Map(MapRequest{Placement: p, VMO: v, Offset: vmoOff, Size: newLen, Perms: perms,
		Name: name, GrowsDown: grows})
	if err != nil {
		return 0, err
	}
	nm.Shared, nm.Dev, nm.Ino = shared, dev, ino
	// The pages move with the object: unmapping the old range keeps them
	// because the new mapping shows them.
	if err := s.root.Unmap(old, oldLen); err != nil {
		return 0, err
	}
	return nm.base, nil
}

// ensureSize grows a resizable VMO to at least size bytes.
func (v *VMO) ensureSize(size uint64) error {
	if v.Size() >= size {
		return nil
	}
	if !v.resizable {
		return unix.EFAULT
	}
	return v.SetSize(size)
}

// CheckMapped fails with ENOMEM unless [addr, addr+length) is entirely
// mapped (msync, mincore).
func (m *MM) CheckMapped(addr, length uint64) error {
	if addr&pageMask != 0 {
		return unix.EINVAL
	}
	length, ok := pageUp(length)
	if !ok || addr+length < addr {
		return unix.ENOMEM
	}
	s := m.space
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err := s.root.mappingsIn(addr, addr+length)
	return err
}

// Resident reports, page by page, whether [addr, addr+length) is in
// memory (mincore): mapped now, or committed in its object.
func (m *MM) Resident(addr, length uint64) ([]bool, error) {
	if err := m.CheckMapped(addr, length); err != nil {
		return nil, err
	}
	n, _ := pageUp(length)
	out := make([]bool, n/pageSize)
	s := m.space
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range out {
		va := addr + uint64(i)*pageSize
		if s.isMapped(va) {
			out[i] = true
			continue
		}
		mp, _ := s.root.find(va)
		mp.vmo.tree.mu.Lock()
		fr, owner := mp.vmo.lookup((va - mp.base + mp.offset) / pageSize)
		mp.vmo.tree.mu.Unlock()
		out[i] = owner != nil && !s.frames.IsZeroPage(fr)
	}
	return out, nil
}

// Populate faults in every page of [addr, addr+length) (MAP_POPULATE),
// for writing when the mapping is writable.
func (m *MM) Populate(addr, length uint64) error {
	for a := addr; a < addr+length; a += pageSize * faultAround {
		s := m.space
		s.mu.Lock()
		mp, _ := s.root.find(a)
		if mp == nil || mp.perms == 0 {
			s.mu.Unlock()
			return nil
		}
		err := s.populate(mp, a, mp.perms&hal.PermWrite != 0, s.cpu())
		s.mu.Unlock()
		if err != nil {
			return err
		}
	}
	return nil
}
