package tmpfs

import (
	"time"

	"golang.org/x/sys/unix"

	"quartz/hal"
	"quartz/kernel/mm"
	"quartz/kernel/vfs"
	"quartz/lib/vmio"
)

// maxFileSize bounds a tmpfs file, like a filesystem's s_maxbytes.
const maxFileSize = mm.MaxVMOSize

// file is a regular file: its bytes are a VMO.
type file struct {
	node
	vmo  *mm.VMO
	size int64 // guarded by node.mu
}

func (fs *FS) newFile(mode, uid, gid uint32) (*file, error) {
	v, err := mm.NewVMO(fs.frames, 0, true)
	if err != nil {
		return nil, err
	}
	return &file{node: fs.newNode(unix.S_IFREG|mode, uid, gid), vmo: v}, nil
}

// VMO is the file's page cache.
func (f *file) VMO() *mm.VMO { return f.vmo }

// unlinked is called when the last name goes: the file lets go of its
// data, which lives on while open files and mappings hold references of
// their own.
func (f *file) unlinked() { f.vmo.Unref() }

func (f *file) Stat() (vfs.Stat, error) {
	f.mu.Lock()
	size := f.size
	f.mu.Unlock()
	return f.stat(size), nil
}

func (f *file) SetAttr(a vfs.Attr) error {
	if a.Size != nil {
		if err := f.truncate(*a.Size); err != nil {
			return err
		}
	}
	f.setAttr(a)
	return nil
}

// truncate sets the size; bytes past it read as zeros if it grows again.
func (f *file) truncate(size int64) error {
	if size < 0 {
		return unix.EINVAL
	}
	if size > maxFileSize {
		return unix.EFBIG
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if size < f.size {
		// Zero the tail of the last page, then drop whole pages.
		if end := uint64(size) % hal.PageSize; end != 0 {
			f.vmo.Zero(uint64(size), min(hal.PageSize-end, uint64(f.size-size)), 0)
		}
	}
	newCap, _ := pageRound(uint64(size))
	if err := f.vmo.SetSize(newCap); err != nil {
		return err
	}
	f.size = size
	f.touchLocked()
	return nil
}

func (f *file) touchLocked() {
	f.mtime = time.Now()
	f.ctime = f.mtime
}

func pageRound(n uint64) (uint64, bool) {
	r := (n + hal.PageSize - 1) &^ (hal.PageSize - 1)
	return r, r >= n
}

func (f *file) Open(flags int) (vfs.File, error) {
	if flags&unix.O_TRUNC != 0 && flags&unix.O_ACCMODE != unix.O_RDONLY {
		if err := f.truncate(0); err != nil {
			return nil, err
		}
	}
	f.vmo.Ref()
	return &openFile{f: f}, nil
}

// openFile is an open tmpfs regular file.
type openFile struct{ f *file }

func (o *openFile) Seekable() bool { return true }

func (o *openFile) Release() error {
	o.f.vmo.Unref()
	return nil
}

func (o *openFile) Read(dst *vmio.Writer, off int64, _ vfs.Canceler) (uint64, error) {
	f := o.f
	f.mu.Lock()
	size := f.size
	f.mu.Unlock()
	if off >= size {
		return 0, nil
	}
	return f.vmo.Read(dst, uint64(off), uint64(size-off), 0)
}

func (o *openFile) Write(src *vmio.Reader, off int64, _ vfs.Canceler) (uint64, error) {
	f := o.f
	n := src.Remaining()
	if n == 0 {
		return 0, nil
	}
	if off < 0 || uint64(off)+n > maxFileSize || uint64(off)+n < uint64(off) {
		return 0, unix.EFBIG
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	end := uint64(off) + n
	if need, _ := pageRound(end); need > f.vmo.Size() {
		if err := f.vmo.SetSize(need); err != nil {
			return 0, unix.ENOSPC
		}
	}
	done, err := f.vmo.Write(src, uint64(off), n, 0)
	if done > 0 {
		if e := off + int64(done); e > f.size {
			f.size = e
		}
		f.touchLocked()
	}
	if done > 0 {
		return done, nil
	}
	return 0, err
}

var _ vfs.Mappable = (*file)(nil)
