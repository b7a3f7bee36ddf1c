package mm

import (
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"golang.org/x/sys/unix"

	"quartz/hal"
	"quartz/lib/alloc"
)

// Page frames, after Asterinas' UniqueFrame and Frame.
//
// Allocation hands out a UniqueFrame: its holder is the only one who can
// reach the frame, so it may write the frame and its metadata without
// locks. Share turns it into a Frame, a counted reference; Clone adds a
// reference, Drop removes one and the last Drop frees the frame. A Frame
// whose count is one can become unique again (Frame.Unique), which is how
// copy-on-write avoids copying a page nobody else holds.
//
// Go has no destructors, so the ownership rules are a discipline: every
// UniqueFrame is Shared or Freed, every Frame is Dropped exactly once.

// frameMeta is the metadata of one frame.
type frameMeta struct {
	refs atomic.Int32 // 0: free or unique; n > 0: n Frame references
	// pinned marks frames that are never freed (the zero page).
	pinned bool
}

// UniqueFrame is the sole owner of a page frame.
type UniqueFrame struct {
	pool *Frames
	pfn  uint64
}

// Frame is a counted, shared reference to a page frame.
type Frame struct {
	pool *Frames
	pfn  uint64
}

// Offset is the frame's byte offset in RAM.
func (u UniqueFrame) Offset() uint64 { return u.pfn * hal.PageSize }

// Bytes is the frame's content, writable by its sole owner.
func (u UniqueFrame) Bytes() []byte { return u.pool.mem.Slice(u.Offset(), hal.PageSize) }

// Share gives up sole ownership for a reference count of one.
func (u UniqueFrame) Share() Frame {
	u.pool.meta[u.pfn].refs.Store(1)
	return Frame(u)
}

// Free returns the frame to its pool.
func (u UniqueFrame) Free() { u.pool.free(u.pfn) }

// IsZero reports whether f is the zero value (no frame).
func (f Frame) IsZero() bool { return f.pool == nil }

// Offset is the frame's byte offset in RAM.
func (f Frame) Offset() uint64 { return f.pfn * hal.PageSize }

// Bytes is the frame's content. Frames are shared: write only through a
// frame that is semantically shared memory (MAP_SHARED, page cache).
func (f Frame) Bytes() []byte { return f.pool.mem.Slice(f.Offset(), hal.PageSize) }

// Refs is the current reference count.
func (f Frame) Refs() int32 { return f.pool.meta[f.pfn].refs.Load() }

// Clone adds a reference.
func (f Frame) Clone() Frame {
	if f.pool.meta[f.pfn].refs.Add(1) <= 1 {
		panic(fmt.Sprintf("mm: clone of frame %#x with no references", f.pfn))
	}
	return f
}

// Drop removes a reference; the last one frees the frame.
func (f Frame) Drop() {
	m := &f.pool.meta[f.pfn]
	switch n := m.refs.Add(-1); {
	case n == 0 && !m.pinned:
		f.pool.free(f.pfn)
	case n < 0:
		panic(fmt.Sprintf("mm: frame %#x dropped more often than referenced", f.pfn))
	}
}

// Unique turns the only reference back into sole ownership. It fails when
// others hold references (or the frame is pinned).
func (f Frame) Unique() (UniqueFrame, bool) {
	m := &f.pool.meta[f.pfn]
	if m.pinned || !m.refs.CompareAndSwap(1, 0) {
		return UniqueFrame{}, false
	}
	return UniqueFrame(f), true
}

// frameCache is one virtual CPU's stock of free frames. Frames in a cache
// keep their host memory (they are zeroed on allocation); frames going
// back to the global pool return it to the host.
type frameCache struct {
	mu   sync.Mutex
	pfns []uint64
}

const (
	cacheHigh  = 256 // a cache holding more returns half to the pool
	cacheBatch = 64  // frames moved between a cache and the pool at once
)

// Frames allocates page frames of RAM, through per-CPU caches in front of
// a global bitmap.
type Frames struct {
	mem    *hal.PhysMem
	bits   *alloc.Bitmap
	meta   []frameMeta
	caches []frameCache
	zero   Frame
	used   atomic.Int64
}

// NewFrames manages every frame of mem, with one cache per CPU Go may
// run on.
func NewFrames(mem *hal.PhysMem) *Frames {
	cpus := runtime.GOMAXPROCS(0)
	f := &Frames{
		mem:    mem,
		bits:   alloc.NewBitmap(mem.Frames()),
		meta:   make([]frameMeta, mem.Frames()),
		caches: make([]frameCache, max(cpus, 1)),
	}
	pfn, ok := f.bits.Alloc()
	if !ok {
		panic("mm: RAM has no frame for the zero page")
	}
	f.meta[pfn].pinned = true
	f.meta[pfn].refs.Store(1)
	f.zero = Frame{f, pfn}
	return f
}

// Memory is the RAM the frames belong to.
func (f *Frames) Memory() *hal.PhysMem { return f.mem }

// ZeroPage is the shared, read-only page of zeros behind every page never
// written. It is never freed; Drop on it is harmless and Clone is cheap.
func (f *Frames) ZeroPage() Frame { return f.zero }

// IsZeroPage reports whether fr is the zero page.
func (f *Frames) IsZeroPage(fr Frame) bool { return fr.pfn == f.zero.pfn && fr.pool == f }

// Used is the number of frames in use: allocated and not yet freed. Frames
// sitting in caches are not in use.
func (f *Frames) Used() uint64 { return uint64(f.used.Load()) }

// Alloc allocates a zeroed frame, preferring the cache of virtual CPU cpu.
func (f *Frames) Alloc(cpu int) (UniqueFrame, error) {
	c := &f.caches[uint(cpu)%uint(len(f.caches))]
	c.mu.Lock()
	if len(c.pfns) == 0 {
		f.refill(c)
	}
	if len(c.pfns) == 0 {
		c.mu.Unlock()
		return UniqueFrame{}, unix.ENOMEM
	}
	pfn := c.pfns[len(c.pfns)-1]
	c.pfns = c.pfns[:len(c.pfns)-1]
	c.mu.Unlock()
	f.used.Add(1)
	u := UniqueFrame{f, pfn}
	clear(u.Bytes())
	return u, nil
}

// refill moves a batch of frames from the global pool into c, stacked so
// that they come out in ascending order: pages touched in sequence get
// consecutive frames, which the platform maps in one call.
func (f *Frames) refill(c *frameCache) {
	for len(c.pfns) < cacheBatch {
		pfn, ok := f.bits.Alloc()
		if !ok {
			break
		}
		c.pfns = append(c.pfns, pfn)
	}
	slices.Reverse(c.pfns)
}

// free puts a frame back, into the cache of the CPU chosen by its number
// (frees come from anywhere; spreading them keeps caches balanced).
func (f *Frames) free(pfn uint64) {
	f.used.Add(-1)
	c := &f.caches[pfn%uint64(len(f.caches))]
	c.mu.Lock()
	c.pfns = append(c.pfns, pfn)
	var spill []uint64
	if len(c.pfns) > cacheHigh {
		n := len(c.pfns) / 2
		spill = append(spill, c.pfns[n:]...)
		c.pfns = c.pfns[:n]
	}
	c.mu.Unlock()
	for _, p := range spill {
		f.mem.Discard(p*hal.PageSize, hal.PageSize)
		f.bits.Free(p)
	}
}

// AllocRun allocates count contiguous zeroed frames and returns the first
// one's offset, outside the reference-counted scheme: the caller frees
// them with FreeRun.
func (f *Frames) AllocRun(count uint64) (uint64, error) {
	i, ok := f.bits.AllocContiguous(count, 1)
	if !ok {
		return 0, unix.ENOMEM
	}
	f.used.Add(int64(count))
	return i * hal.PageSize, nil
}

// FreeRun frees count contiguous frames from AllocRun, returning their
// host memory.
func (f *Frames) FreeRun(frame, count uint64) {
	f.mem.Discard(frame, count*hal.PageSize)
	f.bits.FreeRange(frame/hal.PageSize, count)
	f.used.Add(-int64(count))
}
