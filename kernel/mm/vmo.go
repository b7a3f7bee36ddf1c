package mm

import (
	"sync"

	"golang.org/x/sys/unix"

	"quartz/hal"
)

// A VMO (virtual memory object) is a resizable run of pages, after
// Zircon's VMOs as zCore rebuilt them. Pages are committed on first
// write; reading a page never written sees the zero page, or the content
// of the object's pager (a file) or of its parent.
//
// Copy-on-write children form a tree. A snapshot clone of V moves V's
// pages into a new hidden node H and makes both V and the clone H's
// children: both read H's pages, and the first write to one of them by
// either copies the page into the writer. Neither side sees the other's
// later writes. When a hidden node is left with a single child, it is
// merged into that child (the chain collapses), so trees stay shallow.
// An at-least-on-write child (a private file mapping) reads through to
// its parent directly and so sees the parent's writes until it writes
// the page itself. A slice is a window onto its parent: no pages of its
// own.
//
// Every node of a tree shares one lock (the hierarchy lock), like Zircon.

// Pager supplies the content of pages a root VMO has not committed: the
// page cache of a file.
type Pager interface {
	// ReadPage fills dst (one page) with the content at page index idx.
	ReadPage(idx uint64, dst []byte) error
}

// vmoTree is the hierarchy lock shared by a root VMO and its descendants.
type vmoTree struct {
	mu sync.Mutex
	// gone holds the OnDestroy callbacks of VMOs destroyed under mu; they
	// run once it is released.
	gone []func()
}

// unlock releases the hierarchy lock and runs the destruction callbacks
// queued under it.
func (t *vmoTree) unlock() {
	gone := t.gone
	t.gone = nil
	t.mu.Unlock()
	for _, f := range gone {
		f()
	}
}

// childKind is how a VMO relates to its parent.
type childKind uint8

const (
	rootVMO    childKind = iota
	snapshot             // reads through a hidden node; writes copy
	onWrite              // reads through to the parent until written (private file mapping)
	sliceChild           // a window onto the parent's pages
	hiddenNode           // holds pages shared by two snapshot children
)

// VMO is a virtual memory object.
type VMO struct {
	tree   *vmoTree
	frames *Frames

	kind      childKind
	size      uint64 // bytes, page aligned
	resizable bool
	pages     map[uint64]Frame // committed pages by index
	pager     Pager

	parent       *VMO
	parentOffset uint64 // page index in parent of our page 0
	// parentLimit: pages at or beyond this index never read through to
	// the parent (they were cut off by a resize), they read as zero.
	parentLimit uint64
	children    []*VMO

	mappings []*VmMapping // where this VMO is mapped, for invalidation

	// mappingOwned VMOs exist only to back mappings (anonymous and
	// private memory of Linux processes): pages no mapping shows are freed.
	mappingOwned bool

	contentSize uint64
	cacheable   bool
	refs        int // handles and mappings holding the VMO alive
	dead        bool

	// owner is whatever the layer above hangs on the VMO (the kernel
	// object wrapping it); onDestroy runs when the VMO is destroyed.
	owner     any
	onDestroy []func()
}

// MaxVMOSize bounds a VMO's size (Zircon's limit is 2^64 minus a page;
// Quartz keeps sizes representable as page counts in RAM terms).
const MaxVMOSize = 1 << 46

// NewVMO creates a VMO of size bytes (rounded up to pages) backed by
// zeros.
func NewVMO(frames *Frames, size uint64, resizable bool) (*VMO, error) {
	return newRootVMO(frames, size, resizable, nil)
}

// NewPagedVMO creates a VMO whose uncommitted pages come from pager.
func NewPagedVMO(frames *Frames, size uint64, pager Pager) (*VMO, error) {
	return newRootVMO(frames, size, true, pager)
}

func newRootVMO(frames *Frames, size uint64, resizable bool, pager Pager) (*VMO, error) {
	sz, ok := pageUp(size)
	if !ok || sz > MaxVMOSize {
		return nil, unix.ENOMEM
	}
	return &VMO{
		tree: &vmoTree{}, frames: frames, kind: rootVMO, size: sz, resizable: resizable,
		pages: make(map[uint64]Frame), pager: pager, contentSize: size, refs: 1,
	}, nil
}

// Size is the VMO's size in bytes.
func (v *VMO) Size() uint64 {
	v.tree.mu.Lock()
	defer v.tree.mu.Unlock()
	return v.size
}

// Resizable reports whether SetSize may change the size.
func (v *VMO) Resizable() bool { return v.resizable }

// IsSlice reports whether the VMO is a slice of another.
func (v *VMO) IsSlice() bool { return v.kind == sliceChild }

// HasParent reports whether the VMO is a child of another.
func (v *VMO) HasParent() bool {
	v.tree.mu.Lock()
	defer v.tree.mu.Unlock()
	return v.parent != nil && v.kind != hiddenNode
}

// CommittedPages counts the pages the VMO holds itself (zero markers,
// which hold no memory of their own, do not count).
func (v *VMO) CommittedPages() uint64 {
	v.tree.mu.Lock()
	defer v.tree.mu.Unlock()
	return v.ownPagesLocked()
}

func (v *VMO) ownPagesLocked() uint64 {
	if v.kind == sliceChild {
		return 0
	}
	var n uint64
	for _, f := range v.pages {
		if !v.frames.IsZeroPage(f) {
			n++
		}
	}
	return n
}

// lookup finds the frame that supplies page idx of v without committing
// anything: v's own page, an ancestor's, or the zero page. owner is the
// node holding it (nil for the zero page). The tree lock is held.
func (v *VMO) lookup(idx uint64) (fr Frame, owner *VMO) {
	for n, i := v, idx; n != nil; {
		if n.kind != sliceChild {
			if f, ok := n.pages[i]; ok {
				return f, n
			}
		}
		if n.parent == nil || (n.kind != sliceChild && i >= n.parentLimit) {
			return n.frames.zero, nil
		}
		i += n.parentOffset
		n = n.parent
	}
	return v.frames.zero, nil
}

// pagerNode returns the root of v's tree if it has a pager and page idx
// of v reads through to it, with the index there.
func (v *VMO) pagerNode(idx uint64) (*VMO, uint64) {
	n, i := v, idx
	for n.parent != nil {
		if n.kind != sliceChild {
			if _, ok := n.pages[i]; ok || i >= n.parentLimit {
				return nil, 0
			}
		}
		i += n.parentOffset
		n = n.parent
	}
	if n.pager == nil {
		return nil, 0
	}
	if _, ok := n.pages[i]; ok || i*hal.PageSize >= n.size {
		return nil, 0
	}
	return n, i
}

// readable returns the frame page idx reads as, filling it from the pager
// when it comes from one. The tree lock is held.
func (v *VMO) readable(idx uint64, cpu int) (Frame, error) {
	if root, ri := v.pagerNode(idx); root != nil {
		u, err := v.frames.Alloc(cpu)
		if err != nil {
			return Frame{}, err
		}
		if err := root.pager.ReadPage(ri, u.Bytes()); err != nil {
			u.Free()
			return Frame{}, unix.EIO
		}
		root.pages[ri] = u.Share()
	}
	fr, _ := v.lookup(idx)
	return fr, nil
}

// writable returns v's own frame for page idx, committing it (a copy of
// what the page reads as) on first write. A slice writes into its
// parent. A zero marker (see Zero) is replaced by a fresh page. The tree
// lock is held.
func (v *VMO) writable(idx uint64, cpu int) (Frame, error) {
	if v.kind == sliceChild {
		return v.parent.writable(idx+v.parentOffset, cpu)
	}
	if f, ok := v.pages[idx]; ok && !v.frames.IsZeroPage(f) {
		return f, nil
	}
	src, err := v.readable(idx, cpu)
	if err != nil {
		return Frame{}, err
	}
	if f, ok := v.pages[idx]; ok && !v.frames.IsZeroPage(f) {
		return f, nil // the pager just filled v's own page: write it in place
	}
	if f, ok := v.takeSoleCopy(idx); ok {
		v.setPage(idx, f)
		v.invalidate(idx, idx+1)
		return f, nil
	}
	u, err := v.frames.Alloc(cpu)
	if err != nil {
		return Frame{}, err
	}
	if !v.frames.IsZeroPage(src) {
		copy(u.Bytes(), src.Bytes())
	}
	f := u.Share()
	v.setPage(idx, f)
	// Mappings of v (and of children reading through v) may map the
	// page it read as before: they must see the new frame now.
	v.invalidate(idx, idx+1)
	return f, nil
}

// setPage makes f v's own page idx, dropping what v held there (a zero
// marker).
func (v *VMO) setPage(idx uint64, f Frame) {
	if old, ok := v.pages[idx]; ok {
		old.Drop()
	}
	v.pages[idx] = f
}

// invalidate removes pages [start, end) (v's indexes) from every mapping
// of v and of its descendants that read them through v.
func (v *VMO) invalidate(start, end uint64) {
	for _, m := range v.mappings {
		m.invalidate(start, end)
	}
	for _, c := range v.children {
		// c's page i is v's page i + c.parentOffset.
		cs := start - min(start, c.parentOffset)
		if end <= c.parentOffset {
			continue
		}
		ce := end - c.parentOffset
		if c.kind != sliceChild {
			ce = min(ce, c.parentLimit)
		}
		if cs >= ce {
			continue
		}
		if c.kind == sliceChild || len(c.pages) == 0 {
			c.invalidate(cs, ce)
			continue
		}
		// Only the pages c does not hold itself read through.
		for i := cs; i < ce; i++ {
			if _, ok := c.pages[i]; !ok {
				c.invalidate(i, i+1)
			}
		}
	}
}
