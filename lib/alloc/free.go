package alloc

import "fmt"

// Free releases unit i. It panics if i is out of range or not allocated:
// either is a kernel bug, and carrying on would let two owners share a frame.
func (b *Bitmap) Free(i uint64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.checkRange(i, 1)
	// One bit in one word: handled inline because Free is as hot as Alloc.
	w, m := i/64, uint64(1)<<(i%64)
	if b.words[w]&m == 0 {
		panic(fmt.Sprintf("alloc: double free of unit %d", i))
	}
	b.words[w] &^= m
	b.full[w/64] &^= 1 << (w % 64)
	b.used--
}

// FreeRange releases units [first, first+count). The whole range is checked
// before any bit changes, so a bad call panics without leaving the bitmap
// half-freed. A count of 0 is a no-op.
//
// The next-fit hint is left where it is: moving it back to the freed units
// would make Alloc rescan crowded words, and the wrap-around finds them anyway.
func (b *Bitmap) FreeRange(first, count uint64) {
	if count == 0 {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.checkRange(first, count)
	if i, ok := b.firstFreeIn(first, first+count); ok {
		panic(fmt.Sprintf("alloc: double free of unit %d", i))
	}
	b.clearBits(first, first+count)
}
