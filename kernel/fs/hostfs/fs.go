package hostfs

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync"
	"time"
	"weak"

	"golang.org/x/sys/unix"

	"quartz/kernel/mm"
	"quartz/kernel/vfs"
)

// FS is one host directory as a file system.
type FS struct {
	hostDir  string
	readOnly bool
	frames   *mm.Frames
	umask    uint32 // the host process's, undone after creating
	root     *dir

	mu     sync.Mutex
	inodes map[fileKey]cacheEntry // weak: see doc.go
	gen    uint64                 // tells cache entries apart
	closed bool

	pcMu   sync.Mutex
	caches map[fileKey]*pageCache // live page caches; dead ones go lazily
}

// fileKey identifies a host object.
type fileKey struct{ dev, ino uint64 }

// cacheEntry is an inode in the identity cache, held weakly.
type cacheEntry struct {
	get func() vfs.Inode // nil once the inode has been collected
	gen uint64
}

// New makes a file system of the host directory hostDir. frames supply
// the page cache.
func New(hostDir string, readOnly bool, frames *mm.Frames) (*FS, error) {
	fd, err := unix.Open(hostDir, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("hostfs %s: %w", hostDir, err)
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("hostfs %s: %w", hostDir, err)
	}
	fs := &FS{
		hostDir: hostDir, readOnly: readOnly, frames: frames, umask: hostUmask(),
		inodes: make(map[fileKey]cacheEntry), caches: make(map[fileKey]*pageCache),
	}
	key := fileKey{st.Dev, st.Ino}
	fs.root = &dir{node: fs.newNode(fd, key)}
	fs.mu.Lock()
	track(fs, key, fs.root, nil) // held by fs: no cleanup, Close releases it
	fs.mu.Unlock()
	return fs, nil
}

// Root is the root directory.
func (fs *FS) Root() vfs.Dir { return fs.root }

// ReadOnly reports whether the file system refuses changes.
func (fs *FS) ReadOnly() bool { return fs.readOnly }

// HostDir is the host directory the file system shows.
func (fs *FS) HostDir() string { return fs.hostDir }

// Close releases the host descriptors of every inode. No inode of the file
// system may be used afterwards; open files keep their page cache (and its
// descriptors) until released.
func (fs *FS) Close() error {
	fs.mu.Lock()
	if fs.closed {
		fs.mu.Unlock()
		return nil
	}
	fs.closed = true
	var live []vfs.Inode
	for _, e := range fs.inodes {
		if in := e.get(); in != nil {
			live = append(live, in)
		}
	}
	clear(fs.inodes)
	fs.mu.Unlock()
	for _, in := range live {
		in.(hostInode).hostNode().res.release()
	}
	return nil
}

// hostUmask reads the process's umask without changing it.
func hostUmask() uint32 {
	b, err := os.ReadFile("/proc/self/status")
	if err == nil {
		for _, line := range bytes.Split(b, []byte("\n")) {
			if v, ok := bytes.CutPrefix(line, []byte("Umask:")); ok {
				if m, err := strconv.ParseUint(string(bytes.TrimSpace(v)), 8, 32); err == nil {
					return uint32(m)
				}
			}
		}
	}
	return 0o777 // unknown: always set the mode explicitly
}

// hostRes is what an inode holds on the host. It is the argument of the
// inode's cleanup, so it must not reach the inode.
type hostRes struct {
	mu     sync.Mutex
	fd     int        // O_PATH descriptor
	pc     *pageCache // the inode's reference to its page cache, if made
	closed bool
}

// release closes the descriptor and drops the page cache reference, once.
func (r *hostRes) release() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return
	}
	r.closed = true
	unix.Close(r.fd)
	if r.pc != nil {
		r.pc.vmo.Unref()
		r.pc = nil
	}
}

// node is what every hostfs inode has. Methods using fd keep the node
// alive until the host call returns (runtime.KeepAlive): otherwise the
// cleanup could close fd under them.
type node struct {
	fs  *FS
	fd  int // res.fd, fixed for the inode's life
	key fileKey
	res *hostRes
}

func (fs *FS) newNode(fd int, key fileKey) node {
	return node{fs: fs, fd: fd, key: key, res: &hostRes{fd: fd}}
}

// hostInode is implemented by every hostfs inode.
type hostInode interface {
	vfs.Inode
	hostNode() *node
}

func (n *node) hostNode() *node { return n }

// inodeGone is the argument of an inode's cleanup.
type inodeGone struct {
	key fileKey
	gen uint64
	res *hostRes
}

// track puts p in the identity cache (fs.mu held) and, with res, arranges
// for res to be released when p is collected.
func track[T any, P interface {
	*T
	vfs.Inode
}](fs *FS, key fileKey, p P, res *hostRes) {
	fs.gen++
	w := weak.Make((*T)(p))
	fs.inodes[key] = cacheEntry{gen: fs.gen, get: func() vfs.Inode {
		if v := w.Value(); v != nil {
			return P(v)
		}
		return nil
	}}
	if res != nil {
		runtime.AddCleanup((*T)(p), fs.inodeCollected, inodeGone{key: key, gen: fs.gen, res: res})
	}
}

// inodeCollected runs after an inode was garbage collected.
func (fs *FS) inodeCollected(g inodeGone) {
	fs.mu.Lock()
	if e, ok := fs.inodes[g.key]; ok && e.gen == g.gen {
		delete(fs.inodes, g.key)
	}
	fs.mu.Unlock()
	g.res.release()
}

// inodeFor returns the inode of the host object fd (O_PATH) whose stat is
// st, taking ownership of fd: the cached inode when there is a live one
// for the same object, a new one otherwise.
func (fs *FS) inodeFor(fd int, st *unix.Stat_t) (vfs.Inode, error) {
	key := fileKey{st.Dev, st.Ino}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if fs.closed {
		unix.Close(fd)
		return nil, unix.EBADF
	}
	if e, ok := fs.inodes[key]; ok {
		if in := e.get(); in != nil && fresh(in, st) {
			unix.Close(fd)
			return in, nil
		}
	}
	n := fs.newNode(fd, key)
	switch st.Mode & unix.S_IFMT {
	case unix.S_IFDIR:
		d := &dir{node: n}
		track(fs, key, d, n.res)
		return d, nil
	case unix.S_IFREG:
		f := &file{node: n}
		track(fs, key, f, n.res)
		return f, nil
	case unix.S_IFLNK:
		l := &symlink{node: n}
		track(fs, key, l, n.res)
		return l, nil
	default:
		s := &special{node: n}
		track(fs, key, s, n.res)
		return s, nil
	}
}

// fresh reports whether a cached inode still is the host object st
// describes: not deleted (its number then belongs to a new object), and
// of the same type.
func fresh(in vfs.Inode, st *unix.Stat_t) bool {
	n := in.(hostInode).hostNode()
	if n == n.fs.root.hostNode() {
		return true
	}
	var cur unix.Stat_t
	err := n.fstat(&cur)
	return err == nil && cur.Nlink > 0 && cur.Mode&unix.S_IFMT == st.Mode&unix.S_IFMT
}

func (n *node) fstat(st *unix.Stat_t) error {
	defer runtime.KeepAlive(n)
	return unix.Fstatat(n.fd, "", st, unix.AT_EMPTY_PATH|unix.AT_SYMLINK_NOFOLLOW)
}

// procPath names a descriptor through /proc, to reach its object with
// calls that take a path (reopening, truncate, chmod, linking).
func procPath(fd int) string { return "/proc/self/fd/" + strconv.Itoa(fd) }

func (n *node) Stat() (vfs.Stat, error) {
	var st unix.Stat_t
	if err := n.fstat(&st); err != nil {
		return vfs.Stat{}, err
	}
	return toStat(&st), nil
}

func toStat(st *unix.Stat_t) vfs.Stat {
	return vfs.Stat{
		Dev: st.Dev, Ino: st.Ino, Mode: st.Mode, Nlink: uint32(st.Nlink),
		UID: st.Uid, GID: st.Gid, Rdev: st.Rdev, Size: st.Size,
		Blocks: st.Blocks, Blksize: int32(st.Blksize),
		Atime: time.Unix(st.Atim.Unix()), Mtime: time.Unix(st.Mtim.Unix()),
		Ctime: time.Unix(st.Ctim.Unix()),
	}
}

// setAttr applies mode, owner and time changes (not size: the inode types
// handle that).
func (n *node) setAttr(a vfs.Attr) error {
	defer runtime.KeepAlive(n)
	if n.fs.readOnly {
		return unix.EROFS
	}
	if a.UID != nil || a.GID != nil {
		uid, gid := -1, -1
		if a.UID != nil {
			uid = int(*a.UID)
		}
		if a.GID != nil {
			gid = int(*a.GID)
		}
		if err := unix.Fchownat(n.fd, "", uid, gid, unix.AT_EMPTY_PATH|unix.AT_SYMLINK_NOFOLLOW); err != nil {
			return err
		}
	}
	if a.Mode != nil {
		// Through /proc the call reaches the object itself, also a
		// symbolic link (which the host then refuses: EOPNOTSUPP).
		if err := unix.Fchmodat(unix.AT_FDCWD, procPath(n.fd), *a.Mode&0o7777, 0); err != nil {
			return err
		}
	}
	if a.Atime != nil || a.Mtime != nil {
		ts := []unix.Timespec{{Nsec: unix.UTIME_OMIT}, {Nsec: unix.UTIME_OMIT}}
		if a.Atime != nil {
			ts[0] = unix.NsecToTimespec(a.Atime.UnixNano())
		}
		if a.Mtime != nil {
			ts[1] = unix.NsecToTimespec(a.Mtime.UnixNano())
		}
		if err := unix.UtimesNanoAt(unix.AT_FDCWD, procPath(n.fd), ts, 0); err != nil {
			return err
		}
	}
	return nil
}

// symlink is a host symbolic link; the VFS walk resolves its target in the
// guest's name space.
type symlink struct{ node }

func (l *symlink) SetAttr(a vfs.Attr) error {
	if a.Size != nil {
		return unix.EINVAL
	}
	return l.setAttr(a)
}

func (l *symlink) Readlink() (string, error) {
	defer runtime.KeepAlive(l)
	buf := make([]byte, unix.PathMax)
	for {
		n, err := unix.Readlinkat(l.fd, "", buf)
		if err != nil {
			return "", err
		}
		if n < len(buf) {
			return string(buf[:n]), nil
		}
		buf = make([]byte, 2*len(buf)) // longer than PATH_MAX: possible on the host
	}
}

// special is a host FIFO, socket or device node: visible, not openable.
type special struct{ node }

func (s *special) SetAttr(a vfs.Attr) error {
	if a.Size != nil {
		return unix.EINVAL
	}
	return s.setAttr(a)
}

// Open is ENXIO: host FIFOs, sockets and devices are not passed through
// (devfs provides devices).
func (s *special) Open(flags int) (vfs.File, error) { return nil, unix.ENXIO }

var (
	_ vfs.Symlink = (*symlink)(nil)
	_ vfs.Opener  = (*special)(nil)
)
