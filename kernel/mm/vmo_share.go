package mm

// Sharing within a copy-on-write tree: who sees a page a hidden node
// holds, who is charged for it, and when nobody needs it any more.
//
// A page of a hidden node is seen by every visible VMO below it that
// reaches it without meeting a page of its own on the way (a zero marker
// counts as a page of its own). Once nobody sees it the page is dropped,
// and when exactly one VMO sees it, that VMO's first write takes the frame
// instead of copying it. Committed memory is charged the way Zircon does
// it: a shared page to the first VMO, in creation order, that sees it.

// seers counts the visible VMOs that see page idx of n through n, giving
// up once it reaches limit. The tree lock is held.
func (n *VMO) seers(idx uint64, limit int) (count int, first *VMO) {
	for _, c := range n.children {
		ci, ok := c.childIndex(idx)
		if !ok {
			continue
		}
		if _, own := c.pages[ci]; own && c.kind != sliceChild {
			continue
		}
		if c.kind != hiddenNode {
			count++
			if first == nil {
				first = c
			}
		} else {
			k, f := c.seers(ci, limit-count)
			count += k
			if first == nil {
				first = f
			}
		}
		if count >= limit {
			return count, first
		}
	}
	return count, first
}

// childIndex maps page idx of c's parent to c's own index, reporting
// whether c reads that page through its parent at all.
func (c *VMO) childIndex(idx uint64) (uint64, bool) {
	if idx < c.parentOffset {
		return 0, false
	}
	ci := idx - c.parentOffset
	if c.kind == sliceChild {
		return ci, ci*pageSize < c.size
	}
	return ci, ci < c.parentLimit
}

// takeSoleCopy moves to v the frame a hidden ancestor holds for v's page
// idx when v is the only VMO that sees it: v is about to write the page,
// and copying it would leave a frame nobody can read. The tree lock is
// held.
func (v *VMO) takeSoleCopy(idx uint64) (Frame, bool) {
	if _, own := v.pages[idx]; own {
		return Frame{}, false // a zero marker: v does not read its ancestors here
	}
	n, i := v, idx
	for n.parent != nil && n.kind != sliceChild && i < n.parentLimit {
		p, pi := n.parent, i+n.parentOffset
		if f, ok := p.pages[pi]; ok {
			if p.kind != hiddenNode || v.frames.IsZeroPage(f) {
				return Frame{}, false
			}
			if k, first := p.seers(pi, 2); k != 1 || first != v {
				return Frame{}, false
			}
			delete(p.pages, pi)
			return f, true
		}
		n, i = p, pi
	}
	return Frame{}, false
}

// pruneAbove drops the page of v's hidden ancestors that v's page idx
// used to read, if v no longer reads it and nobody else sees it. The
// tree lock is held.
func (v *VMO) pruneAbove(idx uint64) {
	n, i := v, idx
	for n.parent != nil && n.kind != sliceChild && i < n.parentLimit {
		p, pi := n.parent, i+n.parentOffset
		if p.kind != hiddenNode {
			return
		}
		if f, ok := p.pages[pi]; ok {
			if k, _ := p.seers(pi, 1); k == 0 {
				f.Drop()
				delete(p.pages, pi)
			}
			return
		}
		n, i = p, pi
	}
}

// pruneHidden drops every page of hidden node h, and of the hidden nodes
// above it, that no visible VMO sees any more (after a child went away).
// The tree lock is held.
func (h *VMO) pruneHidden() {
	for n := h; n != nil && n.kind == hiddenNode && !n.dead; n = n.parent {
		for i, f := range n.pages {
			if k, _ := n.seers(i, 1); k == 0 {
				f.Drop()
				delete(n.pages, i)
			}
		}
	}
}

// AttributedPages is the number of committed pages v is charged for: its
// own, and those of hidden ancestors that v is the first, in creation
// order, to see. Summed over a tree it counts every committed frame that
// somebody can read exactly once (Zircon's committed_bytes).
func (v *VMO) AttributedPages() uint64 {
	v.tree.mu.Lock()
	defer v.tree.mu.Unlock()
	if v.kind == sliceChild {
		return 0
	}
	total := v.ownPagesLocked()
	for n := v.parent; n != nil && n.kind == hiddenNode; n = n.parent {
		for i, f := range n.pages {
			if v.frames.IsZeroPage(f) {
				continue
			}
			if _, first := n.seers(i, 1<<30); first == v {
				total++
			}
		}
	}
	return total
}

// SetOwner records the object of the layer above that wraps v (a kernel
// object): introspection goes from a mapping's VMO to it.
func (v *VMO) SetOwner(o any) {
	v.tree.mu.Lock()
	defer v.tree.mu.Unlock()
	v.owner = o
}

// Owner is what SetOwner recorded, or nil.
func (v *VMO) Owner() any {
	v.tree.mu.Lock()
	defer v.tree.mu.Unlock()
	return v.owner
}

// OnDestroy registers f to run when v is destroyed: its last handle and
// mapping are gone, and no child reads through it. f runs without any mm
// lock held. A VMO already destroyed runs f at once.
func (v *VMO) OnDestroy(f func()) {
	v.tree.mu.Lock()
	if v.dead {
		v.tree.mu.Unlock()
		f()
		return
	}
	v.onDestroy = append(v.onDestroy, f)
	v.tree.mu.Unlock()
}

// MappingCount is the number of mappings of v.
func (v *VMO) MappingCount() int {
	v.tree.mu.Lock()
	defer v.tree.mu.Unlock()
	return len(v.mappings)
}

// ShareCount is the number of address spaces v is mapped into.
func (v *VMO) ShareCount() int {
	v.tree.mu.Lock()
	defer v.tree.mu.Unlock()
	seen := make(map[*Space]struct{}, len(v.mappings))
	for _, m := range v.mappings {
		seen[m.space] = struct{}{}
	}
	return len(seen)
}
