package overlay

import (
	"sync"

	"golang.org/x/sys/unix"

	"quartz/kernel/vfs"
)

// FS is an overlay of upper over lower.
type FS struct {
	mu   sync.Mutex // guards every dir's state below
	root *dir
}

// New makes an overlay; upper must be writable and empty or Quartz's own.
func New(upper, lower vfs.Dir) *FS {
	fs := &FS{}
	fs.root = &dir{fs: fs, upper: upper, lower: lower, children: map[string]vfs.Inode{}, whiteouts: map[string]bool{}}
	return fs
}

// Root is the merged root directory.
func (fs *FS) Root() vfs.Dir { return fs.root }

// dir is a merged directory: an upper part (nil until copied up), a lower
// part (nil when the directory exists only above, or is opaque).
type dir struct {
	fs        *FS
	parent    *dir
	name      string
	upper     vfs.Dir
	lower     vfs.Dir
	children  map[string]vfs.Inode // overlay nodes handed out, for stable identity
	whiteouts map[string]bool      // lower names removed
}

// file is a non-directory: lower until changed, then upper.
type file struct {
	fs     *FS
	parent *dir
	name   string
	upper  vfs.Inode
	lower  vfs.Inode
}

func (d *dir) current() vfs.Dir {
	if d.upper != nil {
		return d.upper
	}
	return d.lower
}

func (d *dir) Stat() (vfs.Stat, error) { return d.current().Stat() }

func (d *dir) SetAttr(a vfs.Attr) error {
	if err := d.copyUp(); err != nil {
		return err
	}
	return d.upper.SetAttr(a)
}

func (d *dir) Lookup(name string) (vfs.Inode, error) {
	d.fs.mu.Lock()
	defer d.fs.mu.Unlock()
	return d.lookupLocked(name)
}

func (d *dir) lookupLocked(name string) (vfs.Inode, error) {
	if in, ok := d.children[name]; ok {
		return in, nil
	}
	var up, low vfs.Inode
	if d.upper != nil {
		if in, err := d.upper.Lookup(name); err == nil {
			up = in
		} else if err != unix.ENOENT {
			return nil, err
		}
	}
	if d.lower != nil && !d.whiteouts[name] {
		if in, err := d.lower.Lookup(name); err == nil {
			low = in
		} else if err != unix.ENOENT {
			return nil, err
		}
	}
	var node vfs.Inode
	upDir, upIsDir := up.(vfs.Dir)
	lowDir, lowIsDir := low.(vfs.Dir)
	switch {
	case up == nil && low == nil:
		return nil, unix.ENOENT
	case upIsDir || (up == nil && lowIsDir):
		sub := &dir{fs: d.fs, parent: d, name: name, upper: upDir, children: map[string]vfs.Inode{}, whiteouts: map[string]bool{}}
		if lowIsDir && (up == nil || upIsDir) {
			sub.lower = lowDir
		}
		node = sub
	default:
		f := file{fs: d.fs, parent: d, name: name, upper: up}
		if up == nil {
			f.lower = low
		}
		if _, isLink := f.currentLocked().(vfs.Symlink); isLink {
			node = &link{f}
		} else {
			node = &f
		}
	}
	d.children[name] = node
	return node, nil
}

// copyUp makes sure the directory exists in the upper tree, creating its
// ancestors as needed with the lower directories' permissions.
func (d *dir) copyUp() error {
	d.fs.mu.Lock()
	defer d.fs.mu.Unlock()
	return d.copyUpLocked()
}

func (d *dir) copyUpLocked() error {
	if d.upper != nil {
		return nil
	}
	if err := d.parent.copyUpLocked(); err != nil {
		return err
	}
	st, err := d.lower.Stat()
	if err != nil {
		return err
	}
	in, err := d.parent.upper.Mkdir(d.name, st.Mode&0o7777)
	if err == unix.EEXIST {
		in, err = d.parent.upper.Lookup(d.name)
	}
	if err != nil {
		return err
	}
	up, ok := in.(vfs.Dir)
	if !ok {
		return unix.ENOTDIR
	}
	uid, gid := st.UID, st.GID
	up.SetAttr(vfs.Attr{UID: &uid, GID: &gid, Atime: &st.Atime, Mtime: &st.Mtime})
	d.upper = up
	return nil
}

// prepare copies d up and forgets a cached child that is about to change.
func (d *dir) prepare(name string) error {
	if err := d.copyUpLocked(); err != nil {
		return err
	}
	delete(d.children, name)
	return nil
}

// existsLocked reports whether name is visible in d.
func (d *dir) existsLocked(name string) bool {
	_, err := d.lookupLocked(name)
	return err == nil
}

func (d *dir) Create(name string, mode uint32, rdev uint64) (vfs.Inode, error) {
	d.fs.mu.Lock()
	defer d.fs.mu.Unlock()
	if d.existsLocked(name) {
		return nil, unix.EEXIST
	}
	if err := d.prepare(name); err != nil {
		return nil, err
	}
	if _, err := d.upper.Create(name, mode, rdev); err != nil {
		return nil, err
	}
	delete(d.whiteouts, name)
	return d.lookupLocked(name)
}

func (d *dir) Mkdir(name string, mode uint32) (vfs.Inode, error) {
	d.fs.mu.Lock()
	defer d.fs.mu.Unlock()
	if d.existsLocked(name) {
		return nil, unix.EEXIST
	}
	if err := d.prepare(name); err != nil {
		return nil, err
	}
	if _, err := d.upper.Mkdir(name, mode); err != nil {
		return nil, err
	}
	opaque := d.whiteouts[name] // a new directory over a removed one shows nothing below
	delete(d.whiteouts, name)
	in, err := d.lookupLocked(name)
	if err == nil && opaque {
		in.(*dir).lower = nil
	}
	return in, err
}

func (d *dir) Symlink(name, target string) (vfs.Inode, error) {
	d.fs.mu.Lock()
	defer d.fs.mu.Unlock()
	if d.existsLocked(name) {
		return nil, unix.EEXIST
	}
	if err := d.prepare(name); err != nil {
		return nil, err
	}
	if _, err := d.upper.Symlink(name, target); err != nil {
		return nil, err
	}
	delete(d.whiteouts, name)
	return d.lookupLocked(name)
}

func (d *dir) Link(name string, target vfs.Inode) error {
	f, ok := target.(*file)
	if l, isLink := target.(*link); isLink {
		f, ok = &l.file, true
	}
	if !ok {
		if _, isDir := target.(*dir); isDir {
			return unix.EPERM
		}
		return unix.EXDEV
	}
	if err := f.copyUp(); err != nil {
		return err
	}
	d.fs.mu.Lock()
	defer d.fs.mu.Unlock()
	if d.existsLocked(name) {
		return unix.EEXIST
	}
	if err := d.prepare(name); err != nil {
		return err
	}
	if err := d.upper.Link(name, f.upper); err != nil {
		return err
	}
	delete(d.whiteouts, name)
	return nil
}

// remove deletes a visible name: from the upper tree if there, and a
// whiteout if the lower tree has it.
func (d *dir) remove(name string, isDir bool) error {
	d.fs.mu.Lock()
	defer d.fs.mu.Unlock()
	in, err := d.lookupLocked(name)
	if err != nil {
		return err
	}
	sub, inIsDir := in.(*dir)
	switch {
	case isDir && !inIsDir:
		return unix.ENOTDIR
	case !isDir && inIsDir:
		return unix.EISDIR
	case isDir:
		if entries, err := sub.mergedLocked(); err != nil {
			return err
		} else if len(entries) != 0 {
			return unix.ENOTEMPTY
		}
	}
	if err := d.prepare(name); err != nil {
		return err
	}
	if d.upper != nil {
		var err error
		if isDir {
			err = d.upper.Rmdir(name)
		} else {
			err = d.upper.Unlink(name)
		}
		if err != nil && err != unix.ENOENT {
			return err
		}
	}
	if d.lower != nil {
		if _, err := d.lower.Lookup(name); err == nil {
			d.whiteouts[name] = true
		}
	}
	return nil
}

func (d *dir) Unlink(name string) error { return d.remove(name, false) }
func (d *dir) Rmdir(name string) error  { return d.remove(name, true) }

// Rename works within the upper tree after copying the source up.
// Renaming a directory that has lower content is EXDEV, as in overlayfs
// without redirect_dir: callers (mv) then copy.
func (d *dir) Rename(oldName string, newDir vfs.Dir, newName string, flags uint32) error {
	nd, ok := newDir.(*dir)
	if !ok || nd.fs != d.fs {
		return unix.EXDEV
	}
	in, err := d.Lookup(oldName)
	if err != nil {
		return err
	}
	switch x := in.(type) {
	case *dir:
		if x.lower != nil {
			return unix.EXDEV
		}
	case *file:
		if err := x.copyUp(); err != nil {
			return err
		}
	case *link:
		if err := x.copyUp(); err != nil {
			return err
		}
	}
	d.fs.mu.Lock()
	defer d.fs.mu.Unlock()
	if err := d.prepare(oldName); err != nil {
		return err
	}
	if err := nd.prepare(newName); err != nil {
		return err
	}
	// The new upper name hides any lower one, so a whiteout there is no
	// longer needed.
	delete(nd.whiteouts, newName)
	if err := d.upper.Rename(oldName, nd.upper, newName, flags); err != nil {
		return err
	}
	if d.lower != nil {
		if _, err := d.lower.Lookup(oldName); err == nil {
			d.whiteouts[oldName] = true
		}
	}
	return nil
}

// mergedLocked lists the directory as Linux's overlayfs does: upper names
// in the upper's order, then lower names that are neither hidden by an
// upper name nor whited out, in the lower's order.
func (d *dir) mergedLocked() ([]vfs.Dirent, error) {
	seen := map[string]bool{}
	var out []vfs.Dirent
	add := func(src vfs.Dir, skipWhiteouts bool) error {
		for pos := int64(0); ; {
			ents, err := src.ReadDir(pos)
			if err != nil {
				return err
			}
			if len(ents) == 0 {
				return nil
			}
			for _, e := range ents {
				if seen[e.Name] || (skipWhiteouts && d.whiteouts[e.Name]) {
					continue
				}
				seen[e.Name] = true
				out = append(out, e)
			}
			pos = ents[len(ents)-1].Next
		}
	}
	if d.upper != nil {
		if err := add(d.upper, false); err != nil {
			return nil, err
		}
	}
	if d.lower != nil {
		if err := add(d.lower, true); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ReadDir of a directory only the lower layer has is the lower's own
// listing, with its positions. A merged directory's positions are indexes
// in the merged listing.
func (d *dir) ReadDir(pos int64) ([]vfs.Dirent, error) {
	d.fs.mu.Lock()
	defer d.fs.mu.Unlock()
	if d.upper == nil && d.lower != nil && len(d.whiteouts) == 0 {
		return d.lower.ReadDir(pos)
	}
	all, err := d.mergedLocked()
	if err != nil {
		return nil, err
	}
	if pos < 0 || pos >= int64(len(all)) {
		return nil, nil
	}
	out := all[pos:]
	for i := range out {
		out[i].Next = pos + int64(i) + 1
	}
	return out, nil
}

func (d *dir) Open(flags int) (vfs.File, error) {
	return vfs.OpenDir(flags)
}
