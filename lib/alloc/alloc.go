package alloc

import (
	"fmt"
	"math/bits"
)

// Alloc allocates one unit and returns its index, or false when every unit is
// in use.
//
// It is next-fit: the search starts at the word where the previous one
// succeeded, so a run of allocations walks forward through the bitmap instead
// of rescanning the crowded low end each time, and wraps around once.
func (b *Bitmap) Alloc() (uint64, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	nw := uint64(len(b.words))
	w, ok := b.nonFullWord(b.hint, nw)
	if !ok {
		if w, ok = b.nonFullWord(0, b.hint); !ok {
			return 0, false
		}
	}
	b.hint = w
	bit := uint64(bits.TrailingZeros64(^b.words[w]))
	// One bit in one word: set it directly rather than through setBits'
	// span walk, since this is the hot path.
	b.words[w] |= 1 << bit
	if b.words[w] == ^uint64(0) {
		b.full[w/64] |= 1 << (w % 64)
	}
	b.used++
	return w*64 + bit, true
}

// AllocContiguous allocates count consecutive units whose first index is a
// multiple of align and returns that first index, or false when no such run
// is free. align must be a power of two; 0 and 1 mean no constraint. A count
// of 0 allocates nothing and returns false.
//
// It is first-fit from unit 0, unlike Alloc: contiguous runs are the scarce
// resource, and packing them low leaves the high end in large free pieces.
// Each step skips to the next free unit and past the highest used unit in the
// candidate window (Linux's bitmap_find_next_zero_area works the same way), so
// the cost grows with the number of holes before the first fit, not with n;
// full words are skipped 64 at a time through the summary.
func (b *Bitmap) AllocContiguous(count, align uint64) (uint64, bool) {
	if align == 0 {
		align = 1
	}
	if align&(align-1) != 0 {
		panic(fmt.Sprintf("alloc: alignment %d is not a power of two", align))
	}
	if count == 0 {
		return 0, false
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if count > b.n {
		return 0, false
	}
	for from := b.nextFree(0); from < b.n; {
		start, ok := alignUp(from, align)
		if !ok || start > b.n-count {
			return 0, false
		}
		used, busy := b.lastUsedIn(start, start+count)
		if !busy {
			b.setBits(start, start+count)
			return start, true
		}
		// No run can begin at or below used; resume at the next free unit.
		from = b.nextFree(used + 1)
	}
	return 0, false
}

// alignUp rounds x up to a multiple of align (a power of two), reporting
// false if that would overflow.
func alignUp(x, align uint64) (uint64, bool) {
	r := (x + align - 1) &^ (align - 1)
	return r, r >= x
}
