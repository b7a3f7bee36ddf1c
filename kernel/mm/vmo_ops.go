package mm

import (
	"golang.org/x/sys/unix"

	"quartz/hal"
	"quartz/lib/vmio"
)

// checkRange validates [off, off+n) against the VMO's size.
func (v *VMO) checkRange(off, n uint64) error {
	if off+n < off || off+n > v.size {
		return unix.ERANGE
	}
	return nil
}

// ReadAt copies the VMO's content at off into b. Reading never commits
// pages (except filling the page cache from a pager).
func (v *VMO) ReadAt(b []byte, off uint64, cpu int) error {
	v.tree.mu.Lock()
	defer v.tree.mu.Unlock()
	if err := v.checkRange(off, uint64(len(b))); err != nil {
		return err
	}
	for done := 0; done < len(b); {
		a := off + uint64(done)
		fr, err := v.readable(a/hal.PageSize, cpu)
		if err != nil {
			return err
		}
		done += copy(b[done:], fr.Bytes()[a%hal.PageSize:])
	}
	return nil
}

// WriteAt copies b into the VMO at off, committing pages as needed.
func (v *VMO) WriteAt(b []byte, off uint64, cpu int) error {
	v.tree.mu.Lock()
	defer v.tree.mu.Unlock()
	if err := v.checkRange(off, uint64(len(b))); err != nil {
		return err
	}
	for done := 0; done < len(b); {
		a := off + uint64(done)
		fr, err := v.writable(a/hal.PageSize, cpu)
		if err != nil {
			return err
		}
		done += copy(fr.Bytes()[a%hal.PageSize:], b[done:])
	}
	return nil
}

// PinPage returns a reference to the frame behind page idx, committed
// for writing when write is set, for I/O straight into or out of it. The
// caller drops the reference when done.
func (v *VMO) PinPage(idx uint64, write bool, cpu int) (Frame, error) {
	v.tree.mu.Lock()
	defer v.tree.mu.Unlock()
	if idx*hal.PageSize >= v.size {
		return Frame{}, unix.ERANGE
	}
	var fr Frame
	var err error
	if write {
		fr, err = v.writable(idx, cpu)
	} else {
		fr, err = v.readable(idx, cpu)
	}
	if err != nil {
		return Frame{}, err
	}
	return fr.Clone(), nil
}

// SetSize resizes the VMO. Shrinking frees the pages beyond the new end
// and unmaps them everywhere; growing again shows zeros there, never old
// content from a parent.
func (v *VMO) SetSize(size uint64) error {
	v.tree.mu.Lock()
	defer v.tree.mu.Unlock()
	if !v.resizable {
		return unix.EPERM
	}
	sz, ok := pageUp(size)
	if !ok || sz > MaxVMOSize {
		return unix.ENOMEM
	}
	if sz < v.size {
		first := sz / hal.PageSize
		v.invalidate(first, v.size/hal.PageSize)
		v.dropPagesFrom(first, v.size/hal.PageSize)
		if v.parent != nil {
			v.parentLimit = min(v.parentLimit, first)
			// Pages v's share of a hidden parent kept alive may now be
			// seen by nobody.
			v.parent.pruneHidden()
		}
	}
	v.size = sz
	v.contentSize = min(v.contentSize, size)
	if size > v.contentSize {
		v.contentSize = size
	}
	return nil
}

// dropPagesFrom drops v's own pages with indexes in [start, end).
func (v *VMO) dropPagesFrom(start, end uint64) {
	if uint64(len(v.pages)) < end-start {
		for i, f := range v.pages {
			if i >= start && i < end {
				f.Drop()
				delete(v.pages, i)
			}
		}
		return
	}
	for i := start; i < end; i++ {
		if f, ok := v.pages[i]; ok {
			f.Drop()
			delete(v.pages, i)
		}
	}
}

// ContentSize is the size of the data in the VMO (ZX_PROP_VMO_CONTENT_SIZE).
func (v *VMO) ContentSize() uint64 {
	v.tree.mu.Lock()
	defer v.tree.mu.Unlock()
	return v.contentSize
}

// SetContentSize sets it; it may not exceed the size.
func (v *VMO) SetContentSize(n uint64) error {
	v.tree.mu.Lock()
	defer v.tree.mu.Unlock()
	if n > v.size {
		return unix.EINVAL
	}
	v.contentSize = n
	return nil
}

// pageRange turns a byte range into whole-page indexes, requiring it to
// lie inside the VMO.
func (v *VMO) pageRange(off, n uint64) (uint64, uint64, error) {
	if err := v.checkRange(off, n); err != nil {
		return 0, 0, err
	}
	end, _ := pageUp(off + n)
	return off / hal.PageSize, end / hal.PageSize, nil
}

// Commit commits every page touching [off, off+n).
func (v *VMO) Commit(off, n uint64, cpu int) error {
	v.tree.mu.Lock()
	defer v.tree.mu.Unlock()
	start, end, err := v.pageRange(off, n)
	if err != nil {
		return err
	}
	for i := start; i < end; i++ {
		if _, err := v.writable(i, cpu); err != nil {
			return err
		}
	}
	return nil
}

// Decommit releases the pages touching [off, off+n) of a VMO without a
// parent: they read as zeros (or the pager's content) again. A slice
// decommits the pages of the VMO it is a window onto.
func (v *VMO) Decommit(off, n uint64) error {
	v.tree.mu.Lock()
	defer v.tree.mu.Unlock()
	if err := v.checkRange(off, n); err != nil {
		return err
	}
	for v.kind == sliceChild {
		off += v.parentOffset * hal.PageSize
		v = v.parent
	}
	start, end, err := v.pageRange(off, n)
	if err != nil {
		return err
	}
	if v.parent != nil {
		return unix.ENOTSUP
	}
	v.invalidate(start, end)
	v.dropPagesFrom(start, end)
	return nil
}

// Zero makes [off, off+n) read as zeros. Whole pages of a VMO without a
// parent are decommitted. Whole pages of a copy-on-write child get a zero
// marker: the shared zero page standing in as the child's own page, so
// the page reads as zeros without committing memory, and the parent's
// copy is dropped once nobody sees it. Partial pages are written.
func (v *VMO) Zero(off, n uint64, cpu int) error {
	v.tree.mu.Lock()
	defer v.tree.mu.Unlock()
	if err := v.checkRange(off, n); err != nil {
		return err
	}
	for v.kind == sliceChild {
		off += v.parentOffset * hal.PageSize
		v = v.parent
	}
	for a := off; a < off+n; {
		idx := a / hal.PageSize
		pageOff := a % hal.PageSize
		chunk := min(off+n-a, hal.PageSize-pageOff)
		var err error
		if chunk == hal.PageSize && v.pager == nil {
			v.zeroPage(idx)
		} else {
			err = v.zeroPart(idx, pageOff, chunk, cpu)
		}
		if err != nil {
			return err
		}
		a += chunk
	}
	return nil
}

// zeroPage makes the whole page idx read as zeros. The tree lock is held.
func (v *VMO) zeroPage(idx uint64) {
	if v.parent == nil {
		v.invalidate(idx, idx+1)
		v.dropPagesFrom(idx, idx+1)
		return
	}
	own, hasOwn := v.pages[idx]
	if hasOwn && v.frames.IsZeroPage(own) {
		return // already a marker
	}
	inherited := v.frames.zero
	if idx < v.parentLimit {
		inherited, _ = v.parent.lookup(idx + v.parentOffset)
		if root, _ := v.parent.pagerNode(idx + v.parentOffset); root != nil {
			inherited = Frame{} // the pager's content: not known to be zeros
		}
	}
	if !hasOwn && v.frames.IsZeroPage(inherited) {
		return // reads as zeros already, and nothing of its own to drop
	}
	v.invalidate(idx, idx+1)
	if v.frames.IsZeroPage(inherited) {
		v.dropPagesFrom(idx, idx+1)
		return
	}
	v.setPage(idx, v.frames.zero.Clone())
	v.pruneAbove(idx)
}

// zeroPart clears [pageOff, pageOff+n) of page idx. The tree lock is
// held.
func (v *VMO) zeroPart(idx, pageOff, n uint64, cpu int) error {
	fr, err := v.readable(idx, cpu)
	if err != nil || v.frames.IsZeroPage(fr) {
		return err
	}
	w, err := v.writable(idx, cpu)
	if err != nil {
		return err
	}
	clear(w.Bytes()[pageOff : pageOff+n])
	return nil
}

// discard is MADV_DONTNEED on [off, off+n) of a mapping of v: shared
// memory keeps its content; private anonymous memory reads as zeros
// again; a private file mapping reads the file again.
func (v *VMO) discard(off, n uint64, shared bool) error {
	if shared {
		return nil
	}
	v.tree.mu.Lock()
	start, end, err := v.pageRange(off, n)
	if err != nil {
		v.tree.mu.Unlock()
		return err
	}
	root := v
	for root.parent != nil {
		root = root.parent
	}
	if v.parent == nil || root.pager != nil {
		v.invalidate(start, end)
		v.dropPagesFrom(start, end)
		v.tree.mu.Unlock()
		return nil
	}
	v.tree.mu.Unlock()
	// A copy-on-write child of anonymous memory: dropping its pages would
	// reveal the parent's; write zeros instead.
	return v.Zero(off, n, 0)
}

// Read copies n bytes of the VMO's content from off into dst (at most
// what dst has room for), page by page, with no intermediate buffer. A
// fault on dst (guest memory) stops it: the bytes done are returned with
// the fault.
func (v *VMO) Read(dst *vmio.Writer, off, n uint64, cpu int) (uint64, error) {
	return v.eachPage(off, min(n, dst.Remaining()), false, cpu, dst.Write)
}

// Write copies n bytes of src (at most what it holds) into the VMO at
// off, committing pages as needed.
func (v *VMO) Write(src *vmio.Reader, off, n uint64, cpu int) (uint64, error) {
	return v.eachPage(off, min(n, src.Remaining()), true, cpu, src.Read)
}

// eachPage hands the VMO's memory for [off, off+n) to move a pinned page
// piece at a time, stopping at the first error.
func (v *VMO) eachPage(off, n uint64, write bool, cpu int, move func([]byte) (int, error)) (uint64, error) {
	if err := v.rangeOK(off, n); err != nil {
		return 0, err
	}
	var done uint64
	for done < n {
		a := off + done
		fr, err := v.PinPage(a/hal.PageSize, write, cpu)
		if err != nil {
			return done, err
		}
		piece := fr.Bytes()[a%hal.PageSize:]
		m, err := move(piece[:min(uint64(len(piece)), n-done)])
		fr.Drop()
		done += uint64(m)
		if err != nil {
			return done, err
		}
	}
	return done, nil
}

func (v *VMO) rangeOK(off, n uint64) error {
	v.tree.mu.Lock()
	defer v.tree.mu.Unlock()
	return v.checkRange(off, n)
}
