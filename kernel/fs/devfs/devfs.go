// Package devfs is the /dev directory: a fixed set of device inodes
// (null, zero, full, random, urandom, tty, console), the stdin, stdout,
// stderr and fd links into /proc/self/fd, and the empty directories pts
// and shm for file systems to be mounted on. Its structure is read-only:
// names cannot be added or removed; attributes (chmod, chown, utimes) can
// change, in memory.
//
// mmap of /dev/zero is not devfs's: it is anonymous memory (shared or
// private), which the caller makes itself, so zero implements no
// vfs.Mappable (a fresh VMO per call would not be shared between the
// processes that map it).
package devfs

import (
	"sort"
	"sync"
	"time"

	"golang.org/x/sys/unix"

	"quartz/hal"
	"quartz/kernel/vfs"
	"quartz/lib/vmio"
)

// Console is the terminal behind /dev/tty and /dev/console: the host's
// terminal, or a test's.
type Console interface {
	// Read blocks until input is there or c is done.
	Read(dst *vmio.Writer, c vfs.Canceler) (uint64, error)
	Write(src *vmio.Reader) (uint64, error)
}

// Linux's device numbers.
var (
	devNull    = unix.Mkdev(1, 3)
	devZero    = unix.Mkdev(1, 5)
	devFull    = unix.Mkdev(1, 7)
	devRandom  = unix.Mkdev(1, 8)
	devURandom = unix.Mkdev(1, 9)
	devTTY     = unix.Mkdev(5, 0)
	devConsole = unix.Mkdev(5, 1)
)

// fsDev is the file system's own device number (devtmpfs is usually 0:5).
var fsDev = unix.Mkdev(0, 5)

// ttyGID is the tty group, owner of /dev/tty on Linux.
const ttyGID = 5

// FS is one devfs instance.
type FS struct {
	root *dir
}

// New makes a devfs. term is the terminal of /dev/tty and /dev/console;
// with nil, opening them is ENXIO (no controlling terminal).
func New(term Console) *FS {
	now := time.Now()
	ino := uint64(1)
	set := func(n *node, mode, gid uint32, rdev uint64) {
		ino++
		n.ino, n.mode, n.gid, n.rdev = ino, mode, gid, rdev
		n.atime, n.mtime, n.ctime = now, now, now
	}
	root := &dir{}
	root.ino, root.mode, root.nlink = 1, unix.S_IFDIR|0o755, 4
	root.atime, root.mtime, root.ctime = now, now, now
	chr := func(perm, gid uint32, rdev uint64, open func() (vfs.File, error)) *device {
		d := &device{open: open}
		set(&d.node, unix.S_IFCHR|perm, gid, rdev)
		return d
	}
	stateless := func(f vfs.File) func() (vfs.File, error) {
		return func() (vfs.File, error) { return f, nil }
	}
	terminal := func() (vfs.File, error) {
		if term == nil {
			return nil, unix.ENXIO
		}
		return &ttyFile{term: term}, nil
	}
	link := func(target string) *symlink {
		l := &symlink{target: target}
		set(&l.node, unix.S_IFLNK|0o777, 0, 0)
		return l
	}
	subdir := func() *dir {
		d := &dir{entries: map[string]vfs.Inode{}}
		set(&d.node, unix.S_IFDIR|0o755, 0, 0)
		d.nlink = 2
		return d
	}
	entries := map[string]vfs.Inode{
		"null":    chr(0o666, 0, devNull, stateless(nullFile{})),
		"zero":    chr(0o666, 0, devZero, stateless(zeroFile{})),
		"full":    chr(0o666, 0, devFull, stateless(fullFile{})),
		"random":  chr(0o666, 0, devRandom, stateless(randomFile{})),
		"urandom": chr(0o666, 0, devURandom, stateless(randomFile{})),
		"tty":     chr(0o666, ttyGID, devTTY, terminal),
		"console": chr(0o600, 0, devConsole, terminal),
		"stdin":   link("/proc/self/fd/0"),
		"stdout":  link("/proc/self/fd/1"),
		"stderr":  link("/proc/self/fd/2"),
		"fd":      link("/proc/self/fd"),
		"pts":     subdir(),
		"shm":     subdir(),
	}
	names := make([]string, 0, len(entries))
	for n := range entries {
		names = append(names, n)
	}
	sort.Strings(names)
	root.names, root.entries = names, entries
	return &FS{root: root}
}

// Root is the /dev directory.
func (fs *FS) Root() vfs.Dir { return fs.root }

// node holds what every devfs inode has; only the attributes change.
type node struct {
	ino   uint64
	rdev  uint64
	mu    sync.Mutex
	mode  uint32
	nlink uint32
	uid   uint32
	gid   uint32
	atime time.Time
	mtime time.Time
	ctime time.Time
}

func (n *node) Stat() (vfs.Stat, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	nlink := n.nlink
	if nlink == 0 {
		nlink = 1
	}
	return vfs.Stat{Dev: fsDev, Ino: n.ino, Mode: n.mode, Nlink: nlink, UID: n.uid, GID: n.gid,
		Rdev: n.rdev, Blksize: hal.PageSize, Atime: n.atime, Mtime: n.mtime, Ctime: n.ctime}, nil
}

func (n *node) SetAttr(a vfs.Attr) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	switch {
	case a.Size != nil && vfs.Type(n.mode) == unix.S_IFDIR:
		return unix.EISDIR
	case a.Size != nil:
		return unix.EINVAL // truncate(2) of a device or a link
	case a.Mode != nil && vfs.Type(n.mode) == unix.S_IFLNK:
		return unix.EOPNOTSUPP
	}
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
	n.ctime = time.Now()
	return nil
}

// device is a character device inode.
type device struct {
	node
	open func() (vfs.File, error)
}

// Open opens the device; the access mode is the caller's to check.
func (d *device) Open(flags int) (vfs.File, error) { return d.open() }

type symlink struct {
	node
	target string
}

func (l *symlink) Readlink() (string, error) { return l.target, nil }

func (l *symlink) Stat() (vfs.Stat, error) {
	st, err := l.node.Stat()
	st.Size = int64(len(l.target))
	return st, err
}

// dir is a directory whose names are fixed.
type dir struct {
	node
	names   []string // sorted: listing positions are indexes
	entries map[string]vfs.Inode
}

func (d *dir) Lookup(name string) (vfs.Inode, error) {
	if in, ok := d.entries[name]; ok {
		return in, nil
	}
	return nil, unix.ENOENT
}

// readOnly is the error for changing the structure: EEXIST for a name
// that exists, as Linux checks that first, else EROFS.
func (d *dir) readOnly(name string) error {
	if _, ok := d.entries[name]; ok {
		return unix.EEXIST
	}
	return unix.EROFS
}

func (d *dir) Create(name string, mode uint32, rdev uint64) (vfs.Inode, error) {
	return nil, d.readOnly(name)
}
func (d *dir) Mkdir(name string, mode uint32) (vfs.Inode, error) { return nil, d.readOnly(name) }
func (d *dir) Symlink(name, target string) (vfs.Inode, error)    { return nil, d.readOnly(name) }
func (d *dir) Link(name string, target vfs.Inode) error          { return d.readOnly(name) }
func (d *dir) Unlink(name string) error                          { return unix.EROFS }
func (d *dir) Rmdir(name string) error                           { return unix.EROFS }

func (d *dir) Rename(oldName string, newDir vfs.Dir, newName string, flags uint32) error {
	if _, ok := newDir.(*dir); !ok {
		return unix.EXDEV
	}
	return unix.EROFS
}

// ReadDir lists the names in order; position i is after the i-th name.
func (d *dir) ReadDir(pos int64) ([]vfs.Dirent, error) {
	if pos < 0 {
		return nil, unix.EINVAL
	}
	var out []vfs.Dirent
	for i := pos; i < int64(len(d.names)); i++ {
		name := d.names[i]
		st, _ := d.entries[name].Stat()
		out = append(out, vfs.Dirent{Name: name, Ino: st.Ino, Type: vfs.Type(st.Mode), Next: i + 1})
	}
	return out, nil
}

func (d *dir) Open(flags int) (vfs.File, error) {
	return vfs.OpenDir(flags)
}

var (
	_ vfs.Dir     = (*dir)(nil)
	_ vfs.Opener  = (*dir)(nil)
	_ vfs.Opener  = (*device)(nil)
	_ vfs.Symlink = (*symlink)(nil)
)
