package mm

import (
	"io"

	"golang.org/x/sys/unix"

	"quartz/hal"
)

// ChildKind selects how a child VMO relates to its parent.
type ChildKind int

const (
	// Snapshot: the child sees the parent's content at creation; later
	// writes by either are private (ZX_VMO_CHILD_SNAPSHOT, fork).
	Snapshot ChildKind = iota
	// SnapshotAtLeastOnWrite: the child sees the parent's later writes to
	// pages it has not written itself (ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
	// MAP_PRIVATE of a file).
	SnapshotAtLeastOnWrite
	// Slice: the child is a window onto the parent (ZX_VMO_CHILD_SLICE).
	Slice
)

// CreateChild makes a child VMO of size bytes whose page 0 is the
// parent's page at off (page aligned).
func (v *VMO) CreateChild(kind ChildKind, off, size uint64, resizable bool) (*VMO, error) {
	v.tree.mu.Lock()
	defer v.tree.mu.Unlock()
	if off%hal.PageSize != 0 {
		return nil, unix.EINVAL
	}
	sz, ok := pageUp(size)
	if !ok || sz > MaxVMOSize || off+sz < off {
		return nil, unix.ENOMEM
	}
	c := &VMO{
		tree: v.tree, frames: v.frames, size: sz, resizable: resizable,
		pages: make(map[uint64]Frame), contentSize: size, refs: 1, cacheable: v.cacheable,
		parentOffset: off / hal.PageSize,
	}
	// Pages past the parent's end read as zeros, not as whatever the
	// parent might later grow into.
	limit := uint64(0)
	if off < v.size {
		limit = (v.size - off) / hal.PageSize
	}
	c.parentLimit = min(limit, sz/hal.PageSize)
	switch kind {
	case Slice:
		if resizable || off+sz > v.size || v.resizable {
			return nil, unix.EINVAL
		}
		c.kind = sliceChild
		c.parent = v
		v.children = append(v.children, c)
		v.refs++ // a parent lives as long as children read through it
	case SnapshotAtLeastOnWrite:
		c.kind = onWrite
		c.parent = v
		v.children = append(v.children, c)
		v.refs++
	case Snapshot:
		if v.kind == sliceChild {
			return nil, unix.ENOTSUP
		}
		if v.pager != nil {
			// A snapshot of a paged VMO would have to freeze the pager's
			// content too; Zircon refuses it for pager-backed VMOs.
			return nil, unix.ENOTSUP
		}
		c.kind = snapshot
		v.insertHidden()
		c.parent = v.parent
		v.parent.children = append(v.parent.children, c)
	default:
		return nil, unix.EINVAL
	}
	return c, nil
}

// insertHidden moves v's pages into a new hidden node that becomes v's
// parent, so that v and a new snapshot sibling share them.
func (v *VMO) insertHidden() {
	h := &VMO{
		tree: v.tree, frames: v.frames, kind: hiddenNode, size: v.size,
		pages: v.pages, parent: v.parent, parentOffset: v.parentOffset,
		parentLimit: v.parentLimit, children: []*VMO{v},
	}
	if v.parent != nil {
		v.parent.replaceChild(v, h)
	}
	v.pages = make(map[uint64]Frame)
	v.parent, v.parentOffset, v.parentLimit = h, 0, v.size/hal.PageSize
	// The frames are the same; v's mappings stay valid (read-only
	// mappings of them break copy-on-write on the next write fault,
	// which finds the page in h, not in v).
	for _, m := range v.mappings {
		m.downgrade()
	}
}

func (v *VMO) replaceChild(old, nw *VMO) {
	for i, c := range v.children {
		if c == old {
			v.children[i] = nw
			return
		}
	}
}

func (v *VMO) removeChild(c *VMO) {
	for i, x := range v.children {
		if x == c {
			v.children = append(v.children[:i], v.children[i+1:]...)
			return
		}
	}
}

// Ref adds a holder (a handle or a mapping).
func (v *VMO) Ref() {
	v.tree.mu.Lock()
	defer v.tree.mu.Unlock()
	v.refs++
}

// Unref removes a holder; when none is left the VMO is destroyed: its
// pages are freed and its parent, if hidden and left with one child,
// collapses into that child.
func (v *VMO) Unref() {
	v.tree.mu.Lock()
	defer v.tree.unlock()
	v.refs--
	if v.refs > 0 || v.dead {
		return
	}
	v.destroy()
}

func (v *VMO) destroy() {
	v.dead = true
	v.tree.gone = append(v.tree.gone, v.onDestroy...)
	v.onDestroy = nil
	for i, f := range v.pages {
		f.Drop()
		delete(v.pages, i)
	}
	if c, ok := v.pager.(io.Closer); ok {
		c.Close()
	}
	p := v.parent
	if p == nil {
		return
	}
	p.removeChild(v)
	v.parent = nil
	switch {
	case p.kind != hiddenNode:
		if p.refs--; p.refs == 0 && !p.dead {
			p.destroy()
		}
	case len(p.children) == 1:
		c := p.children[0]
		p.collapseInto(c)
		if c.kind != hiddenNode {
			c = c.parent
		}
		if c != nil {
			c.pruneHidden()
		}
	case len(p.children) == 0:
		p.destroy()
	default:
		// v's share of p's pages is gone: drop those only v could see.
		p.pruneHidden()
	}
}

// collapseInto merges hidden node h into its only child c: c takes the
// pages of h it can see and does not have, and h's place in the tree.
func (h *VMO) collapseInto(c *VMO) {
	if c.parentOffset == 0 && c.parentLimit >= h.size/hal.PageSize && len(c.pages) <= len(h.pages) {
		// c sees every page of h: keep h's map and lay c's own pages over
		// it, which costs c's pages, not h's (a clone closed right after
		// it was made has none).
		for i, f := range c.pages {
			if old, ok := h.pages[i]; ok {
				old.Drop()
			}
			h.pages[i] = f
		}
		c.pages = h.pages
		h.pages = nil
	}
	for i, f := range h.pages {
		ci := i - c.parentOffset
		if i < c.parentOffset || ci >= c.parentLimit {
			f.Drop() // invisible to c: nobody sees it any more
			continue
		}
		if _, ok := c.pages[ci]; ok {
			f.Drop()
			continue
		}
		c.pages[ci] = f // the same frame: c's mappings stay valid
	}
	h.pages = nil
	c.parentOffset += h.parentOffset
	c.parentLimit = min(c.parentLimit, subSat(h.parentLimit, c.parentOffset-h.parentOffset))
	c.parent = h.parent
	if h.parent != nil {
		h.parent.replaceChild(h, c)
	}
	h.children = nil
	h.dead = true
}

func subSat(a, b uint64) uint64 {
	if a < b {
		return 0
	}
	return a - b
}
