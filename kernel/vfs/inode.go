package vfs

import (
	"time"

	"golang.org/x/sys/unix"

	"quartz/kernel/mm"
	"quartz/lib/vmio"
)

// Stat is what stat(2) reports about an inode.
type Stat struct {
	Dev, Ino     uint64
	Mode         uint32 // S_IFMT type bits and permission bits
	Nlink        uint32
	UID, GID     uint32
	Rdev         uint64
	Size         int64
	Blocks       int64 // 512-byte units
	Blksize      int32
	Atime, Mtime time.Time
	Ctime        time.Time
}

// Type returns the S_IFMT bits of a mode.
func Type(mode uint32) uint32 { return mode & unix.S_IFMT }

// Attr is a change of attributes (chmod, chown, truncate, utimes); nil
// fields stay as they are.
type Attr struct {
	Mode         *uint32 // permission bits only
	UID, GID     *uint32
	Size         *int64
	Atime, Mtime *time.Time
}

// Inode is a file system object.
type Inode interface {
	Stat() (Stat, error)
	SetAttr(a Attr) error
}

// Dir is a directory inode.
type Dir interface {
	Inode
	// Lookup finds a name: ENOENT when absent.
	Lookup(name string) (Inode, error)
	// Create makes a regular file, FIFO, socket or device node: EEXIST
	// when the name exists.
	Create(name string, mode uint32, rdev uint64) (Inode, error)
	Mkdir(name string, mode uint32) (Inode, error)
	Symlink(name, target string) (Inode, error)
	// Link adds a name for an existing inode of the same file system.
	Link(name string, target Inode) error
	// Unlink removes a non-directory; Rmdir an empty directory.
	Unlink(name string) error
	Rmdir(name string) error
	// Rename moves a name, replacing a compatible target (Linux's rules:
	// a directory only over an empty directory; flags RENAME_NOREPLACE
	// and RENAME_EXCHANGE).
	Rename(oldName string, newDir Dir, newName string, flags uint32) error
	// ReadDir lists entries from position pos on ("." and ".." excluded:
	// the caller adds them); it returns the entries and the position after
	// them.
	ReadDir(pos int64) ([]Dirent, error)
}

// Dirent is one directory entry.
type Dirent struct {
	Name string
	Ino  uint64
	Type uint32 // S_IFMT bits
	// Next is the position after this entry (getdents' d_off).
	Next int64
}

// Symlink is a symbolic link inode.
type Symlink interface {
	Inode
	Readlink() (string, error)
}

// Task is who walks a path or reads a link, as procfs sees it: its
// "self" and "thread-self" links and the per-process links under them
// depend on the caller.
type Task interface {
	TGID() int
	TID() int
}

// TaskSymlink is a symbolic link whose target depends on who reads it.
// Its plain Readlink answers for no task in particular.
type TaskSymlink interface {
	Symlink
	ReadlinkTask(t Task) (string, error)
}

// MagicLink is a link that leads straight to what it names, not through
// its text: procfs's fd/N, cwd, exe and root. Its text (ReadlinkTask) may
// name something no walk can reach, such as "pipe:[42]".
type MagicLink interface {
	TaskSymlink
	Follow(t Task) (Path, error)
}

// ReadlinkAs reads a link as task t sees it (t may be nil).
func ReadlinkAs(t Task, l Symlink) (string, error) {
	if tl, ok := l.(TaskSymlink); ok && t != nil {
		return tl.ReadlinkTask(t)
	}
	return l.Readlink()
}

// Opener is an inode that can be opened.
type Opener interface {
	Inode
	Open(flags int) (File, error)
}

// Mappable is an inode whose content is a VMO (its page cache): mmap maps
// it, shared or as a private copy-on-write child.
type Mappable interface {
	VMO() *mm.VMO
}

// File is an open file's behaviour. Offsets are the caller's business:
// seekable files get the position to use, streams ignore it.
type File interface {
	Read(dst *vmio.Writer, off int64, c Canceler) (uint64, error)
	Write(src *vmio.Reader, off int64, c Canceler) (uint64, error)
	// Seekable files have positions (regular files, directories, block
	// devices); pread on others is ESPIPE.
	Seekable() bool
	Release() error
}

// Canceler lets a blocking file operation end early: Done is closed when
// the caller must stop waiting (a signal, the process's death). Files that
// never block ignore it.
type Canceler interface {
	Done() <-chan struct{}
}
