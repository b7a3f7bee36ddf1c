package alloc

import "math/bits"

// Word-level helpers. They assume b.mu is held and that every range passed in
// has already been checked against n.

// mask returns a word with bits [lo, hi) set, for 0 <= lo < hi <= 64.
func mask(lo, hi uint64) uint64 {
	return (^uint64(0) >> (64 - (hi - lo))) << lo
}

// wordSpan yields, for the unit range [first, end), each word index touched
// with the mask of the bits the range covers in that word. Range loops
// over it keep set/clear/check code free of edge arithmetic.
func wordSpan(first, end uint64, f func(w, m uint64) bool) {
	for w := first / 64; w*64 < end; w++ {
		lo, hi := uint64(0), uint64(64)
		if w == first/64 {
			lo = first % 64
		}
		if w == (end-1)/64 {
			hi = (end-1)%64 + 1
		}
		if !f(w, mask(lo, hi)) {
			return
		}
	}
}

// setBits marks [first, end) allocated and keeps the summary in step.
func (b *Bitmap) setBits(first, end uint64) {
	wordSpan(first, end, func(w, m uint64) bool {
		b.words[w] |= m
		if b.words[w] == ^uint64(0) {
			b.full[w/64] |= 1 << (w % 64)
		}
		return true
	})
	b.used += end - first
}

// clearBits marks [first, end) free and keeps the summary in step.
func (b *Bitmap) clearBits(first, end uint64) {
	wordSpan(first, end, func(w, m uint64) bool {
		b.words[w] &^= m
		b.full[w/64] &^= 1 << (w % 64)
		return true
	})
	b.used -= end - first
}

// firstFreeIn returns the lowest free unit in [first, end), if any. Free
// uses it to refuse a double free before changing anything.
func (b *Bitmap) firstFreeIn(first, end uint64) (uint64, bool) {
	var at uint64
	found := false
	wordSpan(first, end, func(w, m uint64) bool {
		if free := ^b.words[w] & m; free != 0 {
			at, found = w*64+uint64(bits.TrailingZeros64(free)), true
			return false
		}
		return true
	})
	return at, found
}

// lastUsedIn returns the highest allocated unit in [first, end), if any.
// AllocContiguous wants the highest, not the lowest: the next candidate start
// must lie beyond it anyway, so the search never re-examines those bits.
func (b *Bitmap) lastUsedIn(first, end uint64) (uint64, bool) {
	for w := (end - 1) / 64; ; w-- {
		lo, hi := uint64(0), uint64(64)
		if w == first/64 {
			lo = first % 64
		}
		if w == (end-1)/64 {
			hi = (end-1)%64 + 1
		}
		if used := b.words[w] & mask(lo, hi); used != 0 {
			return w*64 + 63 - uint64(bits.LeadingZeros64(used)), true
		}
		if w == first/64 {
			return 0, false
		}
	}
}

// nonFullWord returns the first word index in [lo, hi) that has a free bit,
// reading the summary so that 64 full words cost one load.
func (b *Bitmap) nonFullWord(lo, hi uint64) (uint64, bool) {
	for s := lo / 64; s*64 < hi; s++ {
		notFull := ^b.full[s]
		if s == lo/64 {
			notFull &= ^uint64(0) << (lo % 64)
		}
		if notFull == 0 {
			continue
		}
		w := s*64 + uint64(bits.TrailingZeros64(notFull))
		if w >= hi {
			return 0, false
		}
		return w, true
	}
	return 0, false
}

// nextFree returns the lowest free unit at or after from, or n if none.
func (b *Bitmap) nextFree(from uint64) uint64 {
	if from >= b.n {
		return b.n
	}
	w := from / 64
	if free := ^b.words[w] & (^uint64(0) << (from % 64)); free != 0 {
		return w*64 + uint64(bits.TrailingZeros64(free)) // tail bits are set, so this is < n
	}
	w, ok := b.nonFullWord(w+1, uint64(len(b.words)))
	if !ok {
		return b.n
	}
	return w*64 + uint64(bits.TrailingZeros64(^b.words[w]))
}
