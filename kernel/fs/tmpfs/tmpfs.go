package tmpfs

import (
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"

	"quartz/hal"
	"quartz/kernel/mm"
	"quartz/kernel/vfs"
)

// FS is one tmpfs instance.
type FS struct {
	frames *mm.Frames
	dev    uint64
	// mu guards every directory's entries: renames between directories
	// need both, and one lock keeps that simple.
	mu      sync.Mutex
	lastIno atomic.Uint64
	seq     atomic.Int64 // directory entry positions
	root    *dir
}

var lastDev atomic.Uint64

// New makes an empty tmpfs whose root has the given permission bits.
func New(frames *mm.Frames, rootMode uint32) *FS {
	fs := &FS{frames: frames, dev: 0x100 + lastDev.Add(1)} // minor numbers of anonymous devices
	fs.root = fs.newDir(rootMode&0o7777, 0, 0)
	return fs
}

// Root is the root directory.
func (fs *FS) Root() vfs.Dir { return fs.root }

// node holds what every tmpfs inode has.
type node struct {
	fs    *FS
	ino   uint64
	mu    sync.Mutex
	mode  uint32
	uid   uint32
	gid   uint32
	nlink uint32
	rdev  uint64
	atime time.Time
	mtime time.Time
	ctime time.Time
}

func (fs *FS) newNode(mode, uid, gid uint32) node {
	now := time.Now()
	return node{fs: fs, ino: fs.lastIno.Add(1), mode: mode, uid: uid, gid: gid, nlink: 1,
		atime: now, mtime: now, ctime: now}
}

func (n *node) stat(size int64) vfs.Stat {
	n.mu.Lock()
	defer n.mu.Unlock()
	return vfs.Stat{Dev: n.fs.dev, Ino: n.ino, Mode: n.mode, Nlink: n.nlink, UID: n.uid, GID: n.gid,
		Rdev: n.rdev, Size: size, Blocks: (size + 511) / 512, Blksize: hal.PageSize,
		Atime: n.atime, Mtime: n.mtime, Ctime: n.ctime}
}

// setAttr applies the attribute changes that are not about size.
func (n *node) setAttr(a vfs.Attr) {
	n.mu.Lock()
	defer n.mu.Unlock()
	now := time.Now()
	if a.Mode != nil {
		n.mode = n.mode&unix.S_IFMT | *a.Mode&0o7777
	}
	if a.UID != nil {
		n.uid = *a.UID
	}
	if a.GID != nil {
		n.gid = *a.GID
	}
	if a.Atime != nil {
		n.atime = *a.Atime
	}
	if a.Mtime != nil {
		n.mtime = *a.Mtime
	}
	n.ctime = now
}

func (n *node) touch() {
	n.mu.Lock()
	n.mtime = time.Now()
	n.ctime = n.mtime
	n.mu.Unlock()
}

// special is a FIFO, socket or device node: the VFS above gives it
// behaviour; tmpfs only keeps its attributes.
type special struct{ node }

func (s *special) Stat() (vfs.Stat, error) { return s.stat(0), nil }

func (s *special) SetAttr(a vfs.Attr) error {
	if a.Size != nil {
		return unix.EINVAL
	}
	s.setAttr(a)
	return nil
}

// symlink is a symbolic link.
type symlink struct {
	node
	target string
}

func (l *symlink) Stat() (vfs.Stat, error) { return l.stat(int64(len(l.target))), nil }

func (l *symlink) SetAttr(a vfs.Attr) error {
	if a.Size != nil {
		return unix.EINVAL
	}
	l.setAttr(a)
	return nil
}

func (l *symlink) Readlink() (string, error) { return l.target, nil }

// dirent is a name in a directory, with its listing position.
type dirent struct {
	inode vfs.Inode
	seq   int64
}

type dir struct {
	node
	entries map[string]dirent
}

func (fs *FS) newDir(mode, uid, gid uint32) *dir {
	d := &dir{node: fs.newNode(unix.S_IFDIR|mode, uid, gid), entries: map[string]dirent{}}
	d.nlink = 2
	return d
}

func (d *dir) Stat() (vfs.Stat, error) {
	d.fs.mu.Lock()
	n := int64(len(d.entries))
	d.fs.mu.Unlock()
	return d.stat((n + 2) * 20), nil
}

func (d *dir) SetAttr(a vfs.Attr) error {
	if a.Size != nil {
		return unix.EISDIR
	}
	d.setAttr(a)
	return nil
}

func (d *dir) Lookup(name string) (vfs.Inode, error) {
	d.fs.mu.Lock()
	defer d.fs.mu.Unlock()
	e, ok := d.entries[name]
	if !ok {
		return nil, unix.ENOENT
	}
	return e.inode, nil
}

// add puts a new name in; fs.mu is held.
func (d *dir) add(name string, in vfs.Inode) error {
	if _, ok := d.entries[name]; ok {
		return unix.EEXIST
	}
	d.entries[name] = dirent{inode: in, seq: d.fs.seq.Add(1)}
	d.touch()
	return nil
}

func (d *dir) Create(name string, mode uint32, rdev uint64) (vfs.Inode, error) {
	d.fs.mu.Lock()
	defer d.fs.mu.Unlock()
	if _, ok := d.entries[name]; ok {
		return nil, unix.EEXIST
	}
	var in vfs.Inode
	switch vfs.Type(mode) {
	case unix.S_IFREG, 0:
		f, err := d.fs.newFile(mode&0o7777, d.uid, d.gid)
		if err != nil {
			return nil, err
		}
		in = f
	case unix.S_IFIFO, unix.S_IFCHR, unix.S_IFBLK, unix.S_IFSOCK:
		s := &special{node: d.fs.newNode(mode, d.uid, d.gid)}
		s.rdev = rdev
		in = s
	default:
		return nil, unix.EINVAL
	}
	return in, d.add(name, in)
}

func (d *dir) Mkdir(name string, mode uint32) (vfs.Inode, error) {
	d.fs.mu.Lock()
	defer d.fs.mu.Unlock()
	if _, ok := d.entries[name]; ok {
		return nil, unix.EEXIST
	}
	sub := d.fs.newDir(mode&0o7777, d.uid, d.gid)
	d.add(name, sub)
	d.nlink++
	return sub, nil
}

func (d *dir) Symlink(name, target string) (vfs.Inode, error) {
	d.fs.mu.Lock()
	defer d.fs.mu.Unlock()
	l := &symlink{node: d.fs.newNode(unix.S_IFLNK|0o777, d.uid, d.gid), target: target}
	return l, d.add(name, l)
}

// nodeOf returns the common part of a tmpfs inode, or nil for another
// file system's.
func nodeOf(in vfs.Inode) *node {
	switch x := in.(type) {
	case *dir:
		return &x.node
	case *file:
		return &x.node
	case *symlink:
		return &x.node
	case *special:
		return &x.node
	}
	return nil
}

func (d *dir) Link(name string, target vfs.Inode) error {
	n := nodeOf(target)
	if n == nil || n.fs != d.fs {
		return unix.EXDEV
	}
	if _, isDir := target.(*dir); isDir {
		return unix.EPERM
	}
	d.fs.mu.Lock()
	defer d.fs.mu.Unlock()
	if err := d.add(name, target); err != nil {
		return err
	}
	n.mu.Lock()
	n.nlink++
	n.ctime = time.Now()
	n.mu.Unlock()
	return nil
}

func (d *dir) Unlink(name string) error {
	d.fs.mu.Lock()
	defer d.fs.mu.Unlock()
	e, ok := d.entries[name]
	if !ok {
		return unix.ENOENT
	}
	if _, isDir := e.inode.(*dir); isDir {
		return unix.EISDIR
	}
	delete(d.entries, name)
	d.touch()
	dropLink(e.inode)
	return nil
}

// dropLink removes one name of an inode; the data of a file goes when the
// last name and the last open file do.
func dropLink(in vfs.Inode) {
	n := nodeOf(in)
	n.mu.Lock()
	n.nlink--
	n.ctime = time.Now()
	gone := n.nlink == 0
	n.mu.Unlock()
	if f, ok := in.(*file); ok && gone {
		f.unlinked()
	}
}

func (d *dir) Rmdir(name string) error {
	d.fs.mu.Lock()
	defer d.fs.mu.Unlock()
	e, ok := d.entries[name]
	if !ok {
		return unix.ENOENT
	}
	sub, isDir := e.inode.(*dir)
	if !isDir {
		return unix.ENOTDIR
	}
	if len(sub.entries) != 0 {
		return unix.ENOTEMPTY
	}
	delete(d.entries, name)
	d.nlink--
	sub.nlink = 0
	d.touch()
	return nil
}

const (
	renameNoReplace = 1 // RENAME_NOREPLACE
	renameExchange  = 2 // RENAME_EXCHANGE
)

func (d *dir) Rename(oldName string, newDir vfs.Dir, newName string, flags uint32) error {
	nd, ok := newDir.(*dir)
	if !ok || nd.fs != d.fs {
		return unix.EXDEV
	}
	if flags&^(renameNoReplace|renameExchange) != 0 || flags == renameNoReplace|renameExchange {
		return unix.EINVAL
	}
	d.fs.mu.Lock()
	defer d.fs.mu.Unlock()
	src, ok := d.entries[oldName]
	if !ok {
		return unix.ENOENT
	}
	dst, exists := nd.entries[newName]
	srcDir, srcIsDir := src.inode.(*dir)
	if srcIsDir && srcDir.contains(nd) {
		return unix.EINVAL // a directory cannot move into itself
	}
	switch {
	case flags&renameExchange != 0:
		if !exists {
			return unix.ENOENT
		}
		d.entries[oldName], nd.entries[newName] = dst, src
		return nil
	case exists && flags&renameNoReplace != 0:
		return unix.EEXIST
	case exists && dst.inode == src.inode:
		return nil // both names are one inode: nothing to do
	case exists:
		dstDir, dstIsDir := dst.inode.(*dir)
		switch {
		case srcIsDir && !dstIsDir:
			return unix.ENOTDIR
		case !srcIsDir && dstIsDir:
			return unix.EISDIR
		case dstIsDir && len(dstDir.entries) != 0:
			return unix.ENOTEMPTY
		}
		if dstIsDir {
			nd.nlink--
		} else {
			dropLink(dst.inode)
		}
	}
	delete(d.entries, oldName)
	nd.entries[newName] = dirent{inode: src.inode, seq: d.fs.seq.Add(1)}
	if srcIsDir && d != nd {
		d.nlink--
		nd.nlink++
	}
	d.touch()
	nd.touch()
	return nil
}

// contains reports whether other is d or lies below it; fs.mu is held.
func (d *dir) contains(other *dir) bool {
	if d == other {
		return true
	}
	for _, e := range d.entries {
		if sub, ok := e.inode.(*dir); ok && sub.contains(other) {
			return true
		}
	}
	return false
}

func (d *dir) ReadDir(pos int64) ([]vfs.Dirent, error) {
	d.fs.mu.Lock()
	defer d.fs.mu.Unlock()
	var out []vfs.Dirent
	for name, e := range d.entries {
		if e.seq <= pos {
			continue
		}
		st, _ := typeAndIno(e.inode)
		out = append(out, vfs.Dirent{Name: name, Ino: st.ino, Type: st.typ, Next: e.seq})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Next < out[j].Next })
	return out, nil
}

type typeIno struct {
	ino uint64
	typ uint32
}

func typeAndIno(in vfs.Inode) (typeIno, bool) {
	n := nodeOf(in)
	if n == nil {
		return typeIno{}, false
	}
	return typeIno{ino: n.ino, typ: vfs.Type(n.mode)}, true
}

// Open of a directory gives a handle for getdents; its data is the
// listing.
func (d *dir) Open(flags int) (vfs.File, error) {
	return vfs.OpenDir(flags)
}
