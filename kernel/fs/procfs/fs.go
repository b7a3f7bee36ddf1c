package procfs

import (
	"strconv"
	"time"

	"golang.org/x/sys/unix"

	"quartz/kernel/vfs"
)

// fsDev is procfs's device number: an anonymous device, fixed so that
// st_dev of /proc files does not change between runs (0:21 is common).
var fsDev = unix.Mkdev(0, 21)

// blockSize is st_blksize of proc inodes on Linux.
const blockSize = 1024

// FS is one procfs instance.
type FS struct {
	p    Provider
	made time.Time // every inode's timestamps: Linux stamps proc inodes when it makes them
}

// New makes a procfs showing what p provides.
func New(p Provider) *FS {
	return &FS{p: p, made: time.Now()}
}

// Root is the /proc directory.
func (fs *FS) Root() vfs.Dir { return dir{fs: fs, kind: rootDir} }

// Inode numbers are stable: each names what the inode shows, so a file
// has the same number on every lookup, as long as its process lives.
// A number is a class, an id (pid or tid) and an index (an entry's
// position in its directory, or a descriptor).
const (
	inoRoot = 1
	// Static root entries take Linux's numbers for them: proc entries are
	// numbered from 0xF0000000 on.
	inoStatic = 0xF0000000
)

// Classes of numbered inodes.
const (
	classProc       = 1 + iota // a /proc/<pid> entry; index 0 is the directory
	classThread                // a task/<tid> entry; index 0 is the directory
	classFD                    // /proc/<pid>/fd/<n>
	classFDInfo                // /proc/<pid>/fdinfo/<n>
	classThreadFD              // .../task/<tid>/fd/<n>
	classThreadInfo            // .../task/<tid>/fdinfo/<n>
)

func ino(class uint64, id int, index int) uint64 {
	return class<<56 | uint64(uint32(id))<<24 | uint64(index)&(1<<24-1)
}

// stat is the Stat every proc inode starts from.
func (fs *FS) stat(ino uint64, mode uint32, uid, gid uint32) vfs.Stat {
	return vfs.Stat{Dev: fsDev, Ino: ino, Mode: mode, Nlink: 1, UID: uid, GID: gid,
		Blksize: blockSize, Atime: fs.made, Mtime: fs.made, Ctime: fs.made}
}

// owner is who owns a process's inodes: its effective ids, as for a
// dumpable process on Linux. A process that is gone leaves root.
func (fs *FS) owner(pid int) (uid, gid uint32) {
	p, ok := fs.p.Process(pid)
	if !ok {
		return 0, 0
	}
	info := p.Info()
	return info.UID[1], info.GID[1]
}

// setAttr answers attribute changes the way Linux's proc inodes do:
// chmod is refused; chown, utimes and truncate succeed but change
// nothing lasting (Linux keeps them only as long as its inode lives,
// which procfs's inodes, made per lookup, do not).
func setAttr(a vfs.Attr, isDir bool) error {
	switch {
	case a.Mode != nil:
		return unix.EPERM
	case a.Size != nil && isDir:
		return unix.EISDIR
	case a.Size != nil && *a.Size < 0:
		return unix.EINVAL
	}
	return nil
}

// parseID reads a pid, tid or descriptor as a directory name: decimal,
// no sign, no leading zero (Linux's name_to_int), so "01" is not "1".
func parseID(name string) (int, bool) {
	if name == "" || len(name) > 10 || (len(name) > 1 && name[0] == '0') {
		return 0, false
	}
	for _, c := range name {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(name)
	if err != nil || n > 1<<31-1 {
		return 0, false
	}
	return n, true
}

// Nobody adds or removes names in procfs. Linux answers creating a name
// with ENOENT (its lookups never make a negative entry to create on),
// EEXIST when the name is there, and removing one with EPERM.

func exists(d vfs.Dir, name string) bool {
	_, err := d.Lookup(name)
	return err == nil
}

func createErr(d vfs.Dir, name string) error {
	if exists(d, name) {
		return unix.EEXIST
	}
	return unix.ENOENT
}

func removeErr(d vfs.Dir, name string) error {
	if exists(d, name) {
		return unix.EPERM
	}
	return unix.ENOENT
}
