// Package alloc holds Quartz's OS-agnostic allocators of numbered units.
//
// The room exists so that the kernel's physical-memory manager (kernel/mm)
// can hand out page frames — offsets in the memfd that plays RAM — without
// knowing how free frames are tracked, and so that the tracking can be tested
// and benchmarked on its own, far from any platform. Nothing here knows what
// a frame is: a unit is just an index 0..n-1, which is why the package lives
// in lib/ and imports nothing of Quartz.
//
// Bitmap is the first allocator: one bit per unit, a next-fit hint so that
// repeated single allocations are O(1) amortised, and a one-bit-per-word
// summary so that searches skip fully used stretches 64 words at a time.
// AllocContiguous serves callers that need physically consecutive frames
// (huge pages, DMA-like buffers, page-table pages in batches).
//
// Misuse by the kernel itself — freeing a unit twice, freeing outside the
// range — panics: it is a kernel bug, never a consequence of guest input, and
// continuing would hand the same frame to two owners.
package alloc
