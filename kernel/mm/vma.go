package mm

import (
	"io"
	"sync/atomic"

	"quartz/hal"
)

// MappedFile is the content behind a file mapping.
type MappedFile interface {
	io.ReaderAt
	io.Closer
}

// fileRef shares one MappedFile among the VMAs split from one mapping,
// closing it when the last of them goes.
type fileRef struct {
	f    MappedFile
	name string
	refs atomic.Int32
}

func (r *fileRef) get() *fileRef {
	if r != nil {
		r.refs.Add(1)
	}
	return r
}

func (r *fileRef) put() {
	if r != nil && r.refs.Add(-1) == 0 {
		r.f.Close()
	}
}

// vma is a virtual memory area: [start, end) with one set of permissions
// and one backing.
type vma struct {
	start, end uint64
	perms      hal.Perms
	file       *fileRef // nil: anonymous
	offset     uint64   // file offset of start
	name       string   // "[heap]", "[stack]", or "" (file name comes from file)
	growsDown  bool
}

// split cuts v at addr (start < addr < end) and returns the upper part.
func (v *vma) split(addr uint64) *vma {
	upper := *v
	upper.start = addr
	if v.file != nil {
		upper.offset = v.offset + (addr - v.start)
		upper.file = v.file.get()
	}
	v.end = addr
	return &upper
}

func (v *vma) contains(addr uint64) bool { return v.start <= addr && addr < v.end }
