package mm

import (
	"golang.org/x/sys/unix"

	"quartz/hal"
	"quartz/lib/alloc"
)

// Frames allocates page frames of RAM. A frame is its byte offset in RAM.
type Frames struct {
	mem  *hal.PhysMem
	bits *alloc.Bitmap
}

// NewFrames manages every frame of mem.
func NewFrames(mem *hal.PhysMem) *Frames {
	return &Frames{mem: mem, bits: alloc.NewBitmap(mem.Frames())}
}

// Memory is the RAM the frames belong to.
func (f *Frames) Memory() *hal.PhysMem { return f.mem }

// AllocRun allocates count contiguous frames and returns the first. Fresh
// frames read as zeros: freed frames are discarded on the way out.
func (f *Frames) AllocRun(count uint64) (uint64, error) {
	i, ok := f.bits.AllocContiguous(count, 1)
	if !ok {
		return 0, unix.ENOMEM
	}
	return i * hal.PageSize, nil
}

// FreeRun frees count contiguous frames starting at frame, returning their
// host memory.
func (f *Frames) FreeRun(frame, count uint64) {
	f.mem.Discard(frame, count*hal.PageSize)
	f.bits.FreeRange(frame/hal.PageSize, count)
}

// Used is the number of frames allocated now.
func (f *Frames) Used() uint64 { return f.bits.Used() }
