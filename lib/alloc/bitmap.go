package alloc

import (
	"fmt"
	"sync"
)

// Bitmap allocates numbered units (page frames) 0..n-1.
//
// A set bit in words means "allocated". Bits past n in the last word are set
// for good, so the search loops never need a bounds check and can never hand
// them out; used counts only real units. full is the summary level: bit w is
// set exactly when words[w] has no free bit, and its own tail bits (past the
// last word) are likewise set for good.
//
// Bitmap is safe for concurrent use. A single mutex is enough: every
// operation is short, and frame allocation is not expected to be the kernel's
// hottest lock (per-CPU caches can sit on top if it ever is).
type Bitmap struct {
	mu    sync.Mutex
	n     uint64
	used  uint64
	hint  uint64   // word index where the next single Alloc starts looking (next-fit)
	words []uint64 // one bit per unit, 1 = allocated
	full  []uint64 // one bit per word of words, 1 = that word is all ones
}

// NewBitmap returns a bitmap of n units, all free.
func NewBitmap(n uint64) *Bitmap {
	nw := (n + 63) / 64
	b := &Bitmap{
		n:     n,
		words: make([]uint64, nw),
		full:  make([]uint64, (nw+63)/64),
	}
	if r := n % 64; r != 0 {
		b.words[nw-1] = ^uint64(0) << r // units past n: permanently "allocated"
	}
	if r := nw % 64; r != 0 {
		b.full[len(b.full)-1] = ^uint64(0) << r // words past the end: permanently "full"
	}
	return b
}

// Len returns n, the number of units the bitmap manages.
func (b *Bitmap) Len() uint64 { return b.n }

// Used returns how many units are allocated now.
func (b *Bitmap) Used() uint64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.used
}

// IsAllocated reports whether unit i is allocated. It panics when i is out of
// range, since asking about a unit that does not exist is a kernel bug.
func (b *Bitmap) IsAllocated(i uint64) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.checkRange(i, 1)
	return b.words[i/64]&(1<<(i%64)) != 0
}

// checkRange panics unless [first, first+count) lies inside 0..n-1. It is
// written so that first+count cannot overflow.
func (b *Bitmap) checkRange(first, count uint64) {
	if first >= b.n || count > b.n-first {
		panic(fmt.Sprintf("alloc: range [%d, +%d) outside bitmap of %d units", first, count, b.n))
	}
}

// String is for debugging and test failures.
func (b *Bitmap) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return fmt.Sprintf("Bitmap{len %d, used %d, hint word %d}", b.n, b.used, b.hint)
}
