package alloc

import (
	"math/bits"
	"sync"
	"testing"
)

// checkInvariants verifies the summary and the counter against the words, so
// every test also catches bookkeeping drift, not just wrong answers.
func checkInvariants(t *testing.T, b *Bitmap) {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	var ones uint64
	for w, word := range b.words {
		ones += uint64(bits.OnesCount64(word))
		isFull := b.full[w/64]&(1<<(w%64)) != 0
		if isFull != (word == ^uint64(0)) {
			t.Fatalf("summary bit for word %d = %v, word = %#x", w, isFull, word)
		}
	}
	tail := uint64(len(b.words))*64 - b.n
	if ones-tail != b.used {
		t.Fatalf("used = %d, bits say %d", b.used, ones-tail)
	}
}

func mustPanic(t *testing.T, what string, f func()) {
	t.Helper()
	defer func() {
		if recover() == nil {
			t.Fatalf("%s did not panic", what)
		}
	}()
	f()
}

func TestExhaustionNoDuplicates(t *testing.T) {
	for _, n := range []uint64{0, 1, 63, 64, 65, 1000, 4096 + 7} {
		b := NewBitmap(n)
		if b.Len() != n {
			t.Fatalf("Len = %d, want %d", b.Len(), n)
		}
		seen := make([]bool, n)
		for k := uint64(0); k < n; k++ {
			i, ok := b.Alloc()
			if !ok {
				t.Fatalf("n=%d: Alloc failed after %d units", n, k)
			}
			if i >= n || seen[i] {
				t.Fatalf("n=%d: Alloc returned %d (out of range or duplicate)", n, i)
			}
			seen[i] = true
		}
		if i, ok := b.Alloc(); ok {
			t.Fatalf("n=%d: Alloc on full bitmap returned %d", n, i)
		}
		if b.Used() != n {
			t.Fatalf("n=%d: Used = %d", n, b.Used())
		}
		checkInvariants(t, b)
	}
}

func TestFreeThenReallocReuses(t *testing.T) {
	b := NewBitmap(1000)
	for range 1000 {
		b.Alloc()
	}
	for _, i := range []uint64{0, 63, 64, 500, 999} {
		b.Free(i)
		if b.IsAllocated(i) {
			t.Fatalf("unit %d still allocated after Free", i)
		}
		got, ok := b.Alloc()
		if !ok || got != i {
			t.Fatalf("after freeing %d, Alloc = %d, %v", i, got, ok)
		}
		if !b.IsAllocated(i) {
			t.Fatalf("unit %d not allocated after realloc", i)
		}
	}
	checkInvariants(t, b)
}

func TestUsedAccounting(t *testing.T) {
	b := NewBitmap(1000)
	if b.Used() != 0 {
		t.Fatalf("fresh Used = %d", b.Used())
	}
	var got []uint64
	for range 300 {
		i, _ := b.Alloc()
		got = append(got, i)
	}
	if b.Used() != 300 {
		t.Fatalf("Used = %d, want 300", b.Used())
	}
	for _, i := range got[:100] {
		b.Free(i)
	}
	if b.Used() != 200 {
		t.Fatalf("Used = %d, want 200", b.Used())
	}
	first, ok := b.AllocContiguous(128, 64)
	if !ok {
		t.Fatal("AllocContiguous(128, 64) failed")
	}
	if b.Used() != 328 {
		t.Fatalf("Used = %d, want 328", b.Used())
	}
	b.FreeRange(first, 128)
	if b.Used() != 200 {
		t.Fatalf("Used = %d, want 200", b.Used())
	}
	b.FreeRange(0, 0) // no-op
	checkInvariants(t, b)
}

func TestAllocContiguousAlignment(t *testing.T) {
	b := NewBitmap(1000)
	b.Alloc() // unit 0 taken, so unaligned runs start at 1
	i, ok := b.AllocContiguous(10, 0)
	if !ok || i != 1 {
		t.Fatalf("AllocContiguous(10, 0) = %d, %v; want 1", i, ok)
	}
	for _, align := range []uint64{1, 2, 8, 64, 128, 512} {
		i, ok := b.AllocContiguous(5, align)
		if !ok {
			t.Fatalf("AllocContiguous(5, %d) failed", align)
		}
		if i%align != 0 {
			t.Fatalf("AllocContiguous(5, %d) = %d, not aligned", align, i)
		}
		for k := i; k < i+5; k++ {
			if !b.IsAllocated(k) {
				t.Fatalf("unit %d of run at %d not allocated", k, i)
			}
		}
	}
	// A run crossing word boundaries.
	i, ok = b.AllocContiguous(200, 64)
	if !ok || i%64 != 0 {
		t.Fatalf("AllocContiguous(200, 64) = %d, %v", i, ok)
	}
	// The whole bitmap cannot fit any more.
	if _, ok := b.AllocContiguous(1000, 1); ok {
		t.Fatal("AllocContiguous(1000) succeeded on a non-empty bitmap")
	}
	if _, ok := b.AllocContiguous(0, 1); ok {
		t.Fatal("AllocContiguous(0) succeeded")
	}
	mustPanic(t, "AllocContiguous with align 3", func() { b.AllocContiguous(1, 3) })
	checkInvariants(t, b)

	// Exactly the whole bitmap, and a run ending at the last unit.
	whole := NewBitmap(1000)
	if i, ok := whole.AllocContiguous(1000, 8); !ok || i != 0 {
		t.Fatalf("whole AllocContiguous = %d, %v", i, ok)
	}
	whole.FreeRange(992, 8)
	if i, ok := whole.AllocContiguous(8, 8); !ok || i != 992 {
		t.Fatalf("tail AllocContiguous = %d, %v; want 992", i, ok)
	}
	checkInvariants(t, whole)
}

func TestAllocContiguousFragmented(t *testing.T) {
	b := NewBitmap(1024)
	for range 1024 {
		b.Alloc()
	}
	// Free every other unit: half the bitmap is free, yet no two are adjacent.
	for i := uint64(0); i < 1024; i += 2 {
		b.Free(i)
	}
	if _, ok := b.AllocContiguous(2, 1); ok {
		t.Fatal("AllocContiguous(2) succeeded on a checkerboard")
	}
	if i, ok := b.AllocContiguous(1, 1); !ok || i != 0 {
		t.Fatalf("AllocContiguous(1) = %d, %v; want 0", i, ok)
	}
	// Free the odd units 101..107: with the even ones already free, 100..108
	// is a 9-unit hole that straddles the 8-aligned boundary at 104, so an
	// 8-run aligned to 8 still fails while an unaligned one fits at 100.
	for i := uint64(101); i <= 107; i += 2 {
		b.Free(i)
	}
	if _, ok := b.AllocContiguous(8, 8); ok {
		t.Fatal("AllocContiguous(8, 8) succeeded with only an unaligned hole")
	}
	if i, ok := b.AllocContiguous(8, 1); !ok || i != 100 {
		t.Fatalf("AllocContiguous(8, 1) = %d, %v; want 100", i, ok)
	}
	if b.Used() != 512+1-4+8 {
		t.Fatalf("Used = %d", b.Used())
	}
	checkInvariants(t, b)
}

func TestDoubleFreePanics(t *testing.T) {
	b := NewBitmap(100)
	i, _ := b.Alloc()
	b.Free(i)
	mustPanic(t, "double Free", func() { b.Free(i) })
	mustPanic(t, "Free of never-allocated unit", func() { b.Free(50) })
	// A range with one free unit in it panics and frees nothing.
	first, _ := b.AllocContiguous(10, 1)
	b.Free(first + 5)
	mustPanic(t, "FreeRange over a hole", func() { b.FreeRange(first, 10) })
	if !b.IsAllocated(first) || b.Used() != 9 {
		t.Fatalf("failed FreeRange changed state: used %d", b.Used())
	}
	checkInvariants(t, b)
}

func TestOutOfRangePanics(t *testing.T) {
	b := NewBitmap(100)
	for range 100 {
		b.Alloc()
	}
	mustPanic(t, "Free(100)", func() { b.Free(100) })
	mustPanic(t, "Free(1<<63)", func() { b.Free(1 << 63) })
	mustPanic(t, "FreeRange past end", func() { b.FreeRange(90, 11) })
	mustPanic(t, "FreeRange overflowing", func() { b.FreeRange(50, ^uint64(0)) })
	mustPanic(t, "IsAllocated(100)", func() { b.IsAllocated(100) })
	mustPanic(t, "Free on empty bitmap", func() { NewBitmap(0).Free(0) })
	// The bitmap is still usable after the recovered panics (lock released).
	b.Free(99)
	if i, ok := b.Alloc(); !ok || i != 99 {
		t.Fatalf("Alloc after panics = %d, %v", i, ok)
	}
}

func TestConcurrentAllocFree(t *testing.T) {
	const n, workers, rounds = 1000, 8, 2000
	b := NewBitmap(n)
	owner := make([]int32, n) // -1 = free; guarded by ownerMu, checks b's exclusivity
	for i := range owner {
		owner[i] = -1
	}
	var ownerMu sync.Mutex
	var wg sync.WaitGroup
	errs := make(chan string, workers)
	for g := range workers {
		wg.Go(func() {
			var mine []uint64
			for r := range rounds {
				if r%3 != 2 || len(mine) == 0 {
					i, ok := b.Alloc()
					if !ok {
						continue // others hold everything right now
					}
					ownerMu.Lock()
					if owner[i] != -1 {
						ownerMu.Unlock()
						errs <- "duplicate allocation"
						return
					}
					owner[i] = int32(g)
					ownerMu.Unlock()
					mine = append(mine, i)
				} else {
					i := mine[len(mine)-1]
					mine = mine[:len(mine)-1]
					ownerMu.Lock()
					owner[i] = -1
					ownerMu.Unlock()
					b.Free(i)
				}
			}
			for _, i := range mine {
				ownerMu.Lock()
				owner[i] = -1
				ownerMu.Unlock()
				b.Free(i)
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Fatal(e)
	}
	if b.Used() != 0 {
		t.Fatalf("Used = %d after all frees", b.Used())
	}
	checkInvariants(t, b)
}

func BenchmarkAllocFree(b *testing.B) {
	// Half full with a scattered pattern, so the search has real work to do.
	const n = 1 << 20
	bm := NewBitmap(n)
	for range n / 2 {
		bm.Alloc()
	}
	for i := uint64(0); i < n/2; i += 3 {
		bm.Free(i)
	}
	for b.Loop() {
		i, ok := bm.Alloc()
		if !ok {
			b.Fatal("exhausted")
		}
		bm.Free(i)
	}
}

func BenchmarkAllocContiguous(b *testing.B) {
	const n = 1 << 20
	bm := NewBitmap(n)
	for range n / 2 {
		bm.Alloc()
	}
	for i := uint64(0); i < n/2; i += 3 {
		bm.Free(i)
	}
	for b.Loop() {
		i, ok := bm.AllocContiguous(16, 16)
		if !ok {
			b.Fatal("exhausted")
		}
		bm.FreeRange(i, 16)
	}
}
