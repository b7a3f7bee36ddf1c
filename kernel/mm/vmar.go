package mm

import (
	"sort"
	"sync"

	"golang.org/x/sys/unix"

	"quartz/hal"
)

// A VMAR (virtual memory address region) is a range of an address space
// holding sub-regions and mappings of VMOs, after Zircon's VMARs. The root
// VMAR of a Space covers all of the guest's usable addresses.
//
// Locks: a Space's mu guards its VMAR tree; under it the VMO hierarchy
// lock may be taken; under that, the Space's page-table lock ptMu. VMOs
// reach mappings (to invalidate pages) holding only their hierarchy lock,
// so they take nothing but ptMu.

// Space is one guest address space: a VMAR tree and the page table that
// mirrors it into the platform.
type Space struct {
	mu     sync.Mutex
	as     hal.AddressSpace
	frames *Frames
	root   *VMAR

	ptMu sync.Mutex
	pt   map[uint64]pte // mapped guest pages
}

// pte is a page the platform maps: a reference on its frame, so the frame
// outlives the mapping, and whether the mapping lets the guest write.
type pte struct {
	frame    Frame
	writable bool
}

// VMAR is an address region.
type VMAR struct {
	space    *Space
	parent   *VMAR
	base     uint64
	size     uint64
	maxPerms hal.Perms
	children []vmarEntry // sorted by base, disjoint
	dead     bool
}

// vmarEntry is a sub-region or a mapping.
type vmarEntry struct {
	region  *VMAR
	mapping *VmMapping
}

func (e vmarEntry) bounds() (uint64, uint64) {
	if e.region != nil {
		return e.region.base, e.region.base + e.region.size
	}
	return e.mapping.base, e.mapping.base + e.mapping.size
}

// VmMapping maps part of a VMO into a VMAR.
type VmMapping struct {
	space  *Space
	vmar   *VMAR
	base   uint64
	size   uint64
	vmo    *VMO
	offset uint64 // byte offset in the VMO of base
	perms  hal.Perms
	// maxPerms bounds what Protect may grant, when bounded is set; the
	// VMAR's bound applies otherwise.
	maxPerms hal.Perms
	bounded  bool
	// Shared mappings write into the VMO itself (MAP_SHARED); private
	// ones were given a copy-on-write child by their creator.
	Name string // for /proc/pid/maps: "[heap]", "[stack]", a path
	// GrowsDown marks a stack that extends downwards on touch.
	GrowsDown bool
	// Shared mappings are shared with forked children (MAP_SHARED).
	Shared bool
	// Dev and Ino identify a mapped file for /proc/pid/maps.
	Dev, Ino uint64
}

// NewSpace makes an empty address space over the platform's as, with a
// root VMAR covering [base, as.Limit()).
func NewSpace(as hal.AddressSpace, frames *Frames, base uint64) *Space {
	s := &Space{as: as, frames: frames, pt: make(map[uint64]pte)}
	s.root = &VMAR{space: s, base: base, size: as.Limit() - base, maxPerms: hal.PermsRWX}
	return s
}

// Root is the VMAR covering the whole address space.
func (s *Space) Root() *VMAR { return s.root }

// Platform is the platform address space the Space drives.
func (s *Space) Platform() hal.AddressSpace { return s.as }

// Frames is the frame allocator of the Space.
func (s *Space) Frames() *Frames { return s.frames }

// Base and Size describe a VMAR's range.
func (r *VMAR) Base() uint64 { return r.base }
func (r *VMAR) Size() uint64 { return r.size }

// Base, Size, VMO, Offset and Perms describe a mapping.
func (m *VmMapping) Base() uint64     { return m.base }
func (m *VmMapping) Size() uint64     { return m.size }
func (m *VmMapping) VMO() *VMO        { return m.vmo }
func (m *VmMapping) Offset() uint64   { return m.offset }
func (m *VmMapping) Perms() hal.Perms { return m.perms }

// index returns where in the entry list addr would go.
func (r *VMAR) index(addr uint64) int {
	return sort.Search(len(r.children), func(i int) bool {
		_, end := r.children[i].bounds()
		return end > addr
	})
}

// overlaps reports whether [start, end) intersects an entry.
func (r *VMAR) overlaps(start, end uint64) bool {
	i := r.index(start)
	if i == len(r.children) {
		return false
	}
	s, _ := r.children[i].bounds()
	return s < end
}

func (r *VMAR) insert(e vmarEntry) {
	start, _ := e.bounds()
	i := sort.Search(len(r.children), func(i int) bool {
		s, _ := r.children[i].bounds()
		return s >= start
	})
	r.children = append(r.children, vmarEntry{})
	copy(r.children[i+1:], r.children[i:])
	r.children[i] = e
}

// Placement says where a new region or mapping goes.
type Placement struct {
	// Specific places it at Addr exactly; Overwrite allows replacing
	// mappings there (Zircon's SPECIFIC_OVERWRITE, Linux's MAP_FIXED).
	Specific, Overwrite bool
	Addr                uint64
	// Below, when not zero, makes a free search look for the highest
	// gap ending at or below it (Linux's top-down mmap base).
	Below uint64
	// Align is a power-of-two alignment (0: page).
	Align uint64
	// KeepRegions makes Overwrite replace mappings only: a sub-region in
	// the range is EINVAL instead of being destroyed (Zircon's rule).
	KeepRegions bool
}

// place finds room for size bytes in r.
func (r *VMAR) place(size uint64, p Placement) (uint64, error) {
	if p.Specific {
		if p.Addr%hal.PageSize != 0 {
			return 0, unix.EINVAL
		}
		if p.Addr < r.base || p.Addr+size < p.Addr || p.Addr+size > r.base+r.size {
			return 0, unix.ENOMEM
		}
		if r.overlaps(p.Addr, p.Addr+size) && !p.Overwrite {
			return 0, unix.EEXIST
		}
		return p.Addr, nil
	}
	align := max(p.Align, hal.PageSize)
	top := r.base + r.size
	if p.Below != 0 && p.Below < top {
		top = p.Below
	}
	// Top-down first fit: the highest gap that holds size.
	for i := len(r.children); i >= 0; i-- {
		lo := r.base
		if i > 0 {
			_, lo = r.children[i-1].bounds()
		}
		hi := top
		if i < len(r.children) {
			s, _ := r.children[i].bounds()
			hi = min(hi, s)
		}
		if hi > lo && hi-lo >= size {
			a := (hi - size) &^ (align - 1)
			if a >= lo {
				return a, nil
			}
		}
	}
	return 0, unix.ENOMEM
}

// Allocate creates a sub-region of size bytes.
func (r *VMAR) Allocate(size uint64, maxPerms hal.Perms, p Placement) (*VMAR, error) {
	s := r.space
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.dead {
		return nil, unix.EBADF
	}
	size, ok := pageUp(size)
	if size == 0 || !ok {
		return nil, unix.EINVAL
	}
	if maxPerms&^r.maxPerms != 0 {
		return nil, unix.EACCES
	}
	p.Overwrite = false // regions never replace anything
	addr, err := r.place(size, p)
	if err != nil {
		return nil, err
	}
	sub := &VMAR{space: s, parent: r, base: addr, size: size, maxPerms: maxPerms}
	r.insert(vmarEntry{region: sub})
	return sub, nil
}

// MapRequest describes a new mapping.
type MapRequest struct {
	Placement
	VMO    *VMO
	Offset uint64 // byte offset in the VMO, page aligned
	Size   uint64
	Perms  hal.Perms
	// With Bounded set, MaxPerms bounds the permissions Protect may later
	// give the mapping (Perms must lie within it); otherwise the VMAR's
	// bound applies.
	Bounded   bool
	MaxPerms  hal.Perms
	Name      string
	GrowsDown bool
}

// Map maps part of a VMO into r and returns the mapping. The mapping holds
// a reference on the VMO.
func (r *VMAR) Map(req MapRequest) (*VmMapping, error) {
	s := r.space
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.dead {
		return nil, unix.EBADF
	}
	size, ok := pageUp(req.Size)
	if size == 0 || !ok || req.Offset%hal.PageSize != 0 || req.Offset+size < req.Offset {
		return nil, unix.EINVAL
	}
	if req.Perms&^r.maxPerms != 0 || req.Bounded && (req.MaxPerms&^r.maxPerms != 0 || req.Perms&^req.MaxPerms != 0) {
		return nil, unix.EACCES
	}
	addr, err := r.place(size, req.Placement)
	if err != nil {
		return nil, err
	}
	if req.Specific && req.Overwrite {
		if req.KeepRegions && r.regionIn(addr, addr+size) {
			return nil, unix.EINVAL
		}
		if err := r.unmapLocked(addr, size); err != nil {
			return nil, err
		}
	}
	m := &VmMapping{space: s, vmar: r, base: addr, size: size, vmo: req.VMO, offset: req.Offset,
		perms: req.Perms, maxPerms: req.MaxPerms, bounded: req.Bounded, Name: req.Name, GrowsDown: req.GrowsDown}
	req.VMO.tree.mu.Lock()
	req.VMO.refs++
	req.VMO.mappings = append(req.VMO.mappings, m)
	req.VMO.tree.mu.Unlock()
	r.insert(vmarEntry{mapping: m})
	return m, nil
}

// Unmap removes every mapping in [addr, addr+size) of r and its
// sub-regions, splitting mappings that straddle the ends. Sub-regions
// entirely inside the range are destroyed; partly covered ones are
// entered and unmapped within.
func (r *VMAR) Unmap(addr, size uint64) error {
	s := r.space
	s.mu.Lock()
	defer s.mu.Unlock()
	if addr%hal.PageSize != 0 {
		return unix.EINVAL
	}
	size, ok := pageUp(size)
	if !ok || size == 0 || addr+size < addr {
		return unix.EINVAL
	}
	if addr < r.base || addr+size > r.base+r.size {
		return unix.EINVAL
	}
	return r.unmapLocked(addr, size)
}

func (r *VMAR) unmapLocked(addr, size uint64) error {
	end := addr + size
	r.splitAt(addr)
	r.splitAt(end)
	kept := r.children[:0]
	var removed []vmarEntry
	for _, e := range r.children {
		s, en := e.bounds()
		switch {
		case en <= addr || s >= end:
			kept = append(kept, e)
		case e.mapping != nil:
			removed = append(removed, e)
		case s >= addr && en <= end:
			removed = append(removed, e)
		default:
			e.region.unmapLocked(max(s, addr), min(en, end)-max(s, addr))
			kept = append(kept, e)
		}
	}
	clear(r.children[len(kept):])
	r.children = kept
	for _, e := range removed {
		if e.mapping != nil {
			e.mapping.destroy()
		} else {
			e.region.destroyLocked()
		}
	}
	return nil
}

// splitAt cuts the mapping containing addr in two at addr.
func (r *VMAR) splitAt(addr uint64) {
	i := r.index(addr)
	if i == len(r.children) || r.children[i].mapping == nil {
		return
	}
	m := r.children[i].mapping
	if m.base >= addr || m.base+m.size <= addr {
		return
	}
	upper := *m
	upper.base = addr
	upper.size = m.base + m.size - addr
	upper.offset = m.offset + (addr - m.base)
	m.size = addr - m.base
	m.vmo.tree.mu.Lock()
	m.vmo.refs++
	m.vmo.mappings = append(m.vmo.mappings, &upper)
	m.vmo.tree.mu.Unlock()
	r.children = append(r.children, vmarEntry{})
	copy(r.children[i+2:], r.children[i+1:])
	r.children[i+1] = vmarEntry{mapping: &upper}
}

// destroy removes a mapping that is no longer in any VMAR: its pages leave
// the page table and it lets go of its VMO. The pages of a VMO that only
// exists for its mappings (Linux's anonymous and private memory) are freed
// once no mapping shows them, as munmap frees memory.
func (m *VmMapping) destroy() {
	v := m.vmo
	v.tree.mu.Lock()
	for i, x := range v.mappings {
		if x == m {
			v.mappings = append(v.mappings[:i], v.mappings[i+1:]...)
			break
		}
	}
	m.space.unmapPages(m.base, m.base+m.size)
	if v.mappingOwned && len(v.children) == 0 {
		start := m.offset / hal.PageSize
		end := start + m.size/hal.PageSize
		for _, o := range v.mappings {
			os := o.offset / hal.PageSize
			oe := os + o.size/hal.PageSize
			if os < end && oe > start {
				// Another mapping of the same object still shows part of
				// the range: keep it all (rare: only after mremap copies).
				start, end = 0, 0
				break
			}
		}
		v.dropPagesFrom(start, end)
	}
	v.tree.mu.Unlock()
	v.Unref()
}

// Destroy unmaps everything in r and makes it unusable (zx_vmar_destroy).
func (r *VMAR) Destroy() error {
	s := r.space
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.dead {
		return unix.EBADF
	}
	if r.parent != nil {
		p := r.parent
		for i, e := range p.children {
			if e.region == r {
				p.children = append(p.children[:i], p.children[i+1:]...)
				break
			}
		}
	}
	r.destroyLocked()
	return nil
}

func (r *VMAR) destroyLocked() {
	for _, e := range r.children {
		if e.mapping != nil {
			e.mapping.destroy()
		} else {
			e.region.destroyLocked()
		}
	}
	r.children = nil
	r.dead = true
}

// Protect changes the permissions of every mapping in [addr, addr+size),
// which must be fully covered by mappings (ENOMEM otherwise), splitting
// at the ends.
func (r *VMAR) Protect(addr, size uint64, perms hal.Perms) error {
	s := r.space
	s.mu.Lock()
	defer s.mu.Unlock()
	if addr%hal.PageSize != 0 {
		return unix.EINVAL
	}
	size, ok := pageUp(size)
	if !ok || addr+size < addr {
		return unix.ENOMEM
	}
	if size == 0 {
		return nil
	}
	end := addr + size
	ms, err := r.mappingsIn(addr, end)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if perms&^m.MaxPerms() != 0 {
			return unix.EACCES
		}
	}
	return s.protectLocked(ms, addr, end, perms, func() []*VmMapping {
		ms, _ := r.mappingsIn(addr, end)
		return ms
	})
}

// protectLocked gives the mappings ms, which cover [addr, end), the
// permissions perms, splitting those that straddle the ends; refind
// lists the mappings of the range again after the split. The space lock
// is held.
func (s *Space) protectLocked(ms []*VmMapping, addr, end uint64, perms hal.Perms, refind func() []*VmMapping) error {
	for _, m := range ms {
		vm := m.vmar
		vm.splitAt(addr)
		vm.splitAt(end)
	}
	ms = refind()
	for _, m := range ms {
		m.perms = perms
	}
	for _, m := range ms {
		m.vmar.mergeAround(addr, end)
	}
	// Drop the pages; they come back with the new permissions on their
	// next touch. One rule stays simple: a page-table entry always
	// carries its mapping's permissions.
	s.ptMu.Lock()
	defer s.ptMu.Unlock()
	s.unmapPagesLocked(addr, end)
	return nil
}

// mappingsIn returns the mappings covering [start, end), descending into
// sub-regions; a hole is ENOMEM.
func (r *VMAR) mappingsIn(start, end uint64) ([]*VmMapping, error) {
	var out []*VmMapping
	for a := start; a < end; {
		m, _ := r.find(a)
		if m == nil {
			return nil, unix.ENOMEM
		}
		out = append(out, m)
		a = m.base + m.size
	}
	return out, nil
}

// find returns the mapping containing addr, searching sub-regions, and
// the innermost VMAR containing it.
func (r *VMAR) find(addr uint64) (*VmMapping, *VMAR) {
	for {
		i := r.index(addr)
		if i == len(r.children) {
			return nil, r
		}
		e := r.children[i]
		s, _ := e.bounds()
		if s > addr {
			return nil, r
		}
		if e.mapping != nil {
			return e.mapping, r
		}
		r = e.region
	}
}

// Mappings lists every mapping in address order (for /proc/pid/maps and
// fork).
func (s *Space) Mappings() []*VmMapping {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*VmMapping
	var walk func(r *VMAR)
	walk = func(r *VMAR) {
		for _, e := range r.children {
			if e.mapping != nil {
				out = append(out, e.mapping)
			} else {
				walk(e.region)
			}
		}
	}
	walk(s.root)
	return out
}

// Release unmaps everything and destroys the platform address space.
func (s *Space) Release() {
	s.mu.Lock()
	s.root.destroyLocked()
	s.mu.Unlock()
	s.as.Release()
}

// mergeAround joins mappings in and next to [start, end) that continue
// each other: the same object at consecutive offsets with the same
// permissions and flags, as Linux merges areas that mprotect made alike.
func (r *VMAR) mergeAround(start, end uint64) {
	i := r.index(start)
	if i > 0 {
		i--
	}
	for i+1 < len(r.children) {
		a, b := r.children[i].mapping, r.children[i+1].mapping
		if s, _ := r.children[i].bounds(); s > end {
			break
		}
		if a == nil || b == nil || !a.continuedBy(b) {
			i++
			continue
		}
		a.size += b.size
		r.children = append(r.children[:i+1], r.children[i+2:]...)
		v := b.vmo
		v.tree.mu.Lock()
		for j, x := range v.mappings {
			if x == b {
				v.mappings = append(v.mappings[:j], v.mappings[j+1:]...)
				break
			}
		}
		v.refs-- // a still holds the object
		v.tree.mu.Unlock()
	}
}

// continuedBy reports whether b picks up exactly where m ends.
func (m *VmMapping) continuedBy(b *VmMapping) bool {
	return m.vmo == b.vmo && m.base+m.size == b.base && m.offset+m.size == b.offset &&
		m.perms == b.perms && m.maxPerms == b.maxPerms && m.bounded == b.bounded && m.Name == b.Name && m.GrowsDown == b.GrowsDown &&
		m.Shared == b.Shared && m.Dev == b.Dev && m.Ino == b.Ino
}
