package hal

import (
	"fmt"
	"unsafe"

	"golang.org/x/sys/unix"
)

// PhysMem is the machine's RAM: a memfd mapped once, whole, into the
// kernel. Frames are offsets into it. Host memory is only consumed for
// pages that have been touched; Discard gives it back.
type PhysMem struct {
	fd   int
	mem  []byte
	size uint64
}

// NewPhysMem creates RAM of the given size (rounded up to a page).
func NewPhysMem(size uint64) (*PhysMem, error) {
	size = (size + PageSize - 1) &^ (PageSize - 1)
	if size == 0 {
		return nil, fmt.Errorf("physical memory: size must not be zero")
	}
	fd, err := unix.MemfdCreate("quartz-ram", unix.MFD_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("physical memory: memfd_create: %w", err)
	}
	if err := unix.Ftruncate(fd, int64(size)); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("physical memory: ftruncate: %w", err)
	}
	mem, err := unix.Mmap(fd, 0, int(size), unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED|unix.MAP_NORESERVE)
	if err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("physical memory: mmap: %w", err)
	}
	return &PhysMem{fd: fd, mem: mem, size: size}, nil
}

// FD is the memfd; platforms map it into guest address spaces.
func (p *PhysMem) FD() int { return p.fd }

// Size is the size of RAM in bytes.
func (p *PhysMem) Size() uint64 { return p.size }

// Frames is the number of page frames in RAM.
func (p *PhysMem) Frames() uint64 { return p.size / PageSize }

// Slice returns the kernel's view of [off, off+n). The slice aliases RAM:
// writes through it are seen by every guest that maps those frames.
func (p *PhysMem) Slice(off, n uint64) []byte {
	if off > p.size || n > p.size-off {
		panic(fmt.Sprintf("physical memory: slice [%#x, +%#x) outside RAM of %#x bytes", off, n, p.size))
	}
	return p.mem[off : off+n : off+n]
}

// Pointer returns the kernel address of RAM offset off, for atomic
// operations on guest words.
func (p *PhysMem) Pointer(off uint64) unsafe.Pointer {
	return unsafe.Pointer(&p.Slice(off, 1)[0])
}

// Discard returns the host memory behind [off, off+n) to the host; the
// range reads as zeros afterwards.
func (p *PhysMem) Discard(off, n uint64) error {
	return unix.Fallocate(p.fd, unix.FALLOC_FL_PUNCH_HOLE|unix.FALLOC_FL_KEEP_SIZE, int64(off), int64(n))
}

// Close unmaps and closes RAM.
func (p *PhysMem) Close() error {
	if p.mem == nil {
		return nil
	}
	err := unix.Munmap(p.mem)
	p.mem = nil
	if cerr := unix.Close(p.fd); err == nil {
		err = cerr
	}
	return err
}
