package overlay

import (
	"golang.org/x/sys/unix"

	"quartz/kernel/mm"
	"quartz/kernel/vfs"
	"quartz/lib/vmio"
)

func (f *file) current() vfs.Inode {
	f.fs.mu.Lock()
	defer f.fs.mu.Unlock()
	return f.currentLocked()
}

func (f *file) currentLocked() vfs.Inode {
	if f.upper != nil {
		return f.upper
	}
	return f.lower
}

func (f *file) Stat() (vfs.Stat, error) { return f.current().Stat() }

func (f *file) SetAttr(a vfs.Attr) error {
	if err := f.copyUp(); err != nil {
		return err
	}
	return f.upper.SetAttr(a)
}

// link is a symbolic link of either tree: a file that can be read as a
// link (only links are, so the VFS walk follows exactly these).
type link struct{ file }

func (l *link) Readlink() (string, error) {
	return l.current().(vfs.Symlink).Readlink()
}

func (f *file) Open(flags int) (vfs.File, error) {
	if flags&unix.O_ACCMODE != unix.O_RDONLY || flags&unix.O_TRUNC != 0 {
		if err := f.copyUp(); err != nil {
			return nil, err
		}
	}
	o, ok := f.current().(vfs.Opener)
	if !ok {
		return nil, unix.ENXIO
	}
	return o.Open(flags)
}

// VMO is the page cache of whichever file is current.
func (f *file) VMO() *mm.VMO {
	if m, ok := f.current().(vfs.Mappable); ok {
		return m.VMO()
	}
	return nil
}

// copyUp copies a lower file into the upper tree: data, permissions,
// ownership and times; symbolic links and special files are recreated.
func (f *file) copyUp() error {
	f.fs.mu.Lock()
	defer f.fs.mu.Unlock()
	if f.upper != nil {
		return nil
	}
	if err := f.parent.copyUpLocked(); err != nil {
		return err
	}
	st, err := f.lower.Stat()
	if err != nil {
		return err
	}
	up := f.parent.upper
	var in vfs.Inode
	switch vfs.Type(st.Mode) {
	case unix.S_IFLNK:
		target, err := f.lower.(vfs.Symlink).Readlink()
		if err != nil {
			return err
		}
		in, err = up.Symlink(f.name, target)
		if err != nil {
			return err
		}
	case unix.S_IFREG:
		if in, err = up.Create(f.name, st.Mode, 0); err != nil {
			return err
		}
		if err := copyData(f.lower, in); err != nil {
			up.Unlink(f.name)
			return err
		}
	default:
		if in, err = up.Create(f.name, st.Mode, st.Rdev); err != nil {
			return err
		}
	}
	uid, gid, mode := st.UID, st.GID, st.Mode&0o7777
	in.SetAttr(vfs.Attr{Mode: &mode, UID: &uid, GID: &gid, Atime: &st.Atime, Mtime: &st.Mtime})
	f.upper = in
	return nil
}

// copyData copies a file's bytes through a kernel buffer.
func copyData(from, to vfs.Inode) error {
	src, err := from.(vfs.Opener).Open(unix.O_RDONLY)
	if err != nil {
		return err
	}
	defer src.Release()
	dst, err := to.(vfs.Opener).Open(unix.O_WRONLY)
	if err != nil {
		return err
	}
	defer dst.Release()
	buf := make([]byte, 64<<10)
	for off := int64(0); ; {
		n, err := src.Read(vmio.NewKernelWriter(buf), off, nil)
		if err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		if _, err := dst.Write(vmio.NewKernelReader(buf[:n]), off, nil); err != nil {
			return err
		}
		off += int64(n)
	}
}
