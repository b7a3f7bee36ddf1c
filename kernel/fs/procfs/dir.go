package procfs

import (
	"slices"

	"golang.org/x/sys/unix"

	"quartz/kernel/vfs"
)

// dirKind says which directory a dir is.
type dirKind uint8

const (
	rootDir   dirKind = iota // /proc
	procDir                  // /proc/<pid>, or .../task/<tid> when tid is set
	taskDir                  // /proc/<pid>/task
	fdDir                    // fd/ of a process or thread
	fdInfoDir                // fdinfo/ of a process or thread
)

// dir is every procfs directory. It is a small comparable value naming
// what it lists, made afresh by each lookup: two lookups of one name give
// equal inodes, and a process that is gone is simply no longer found.
type dir struct {
	fs       *FS
	kind     dirKind
	pid, tid int // tid 0: the thread group's own directory
}

// process finds the directory's process, and for a thread's directory
// checks the thread is still there.
func (d dir) process() (Process, bool) {
	p, ok := d.fs.p.Process(d.pid)
	if ok && d.tid != 0 {
		_, ok = p.Thread(d.tid)
	}
	return p, ok
}

func (d dir) Stat() (vfs.Stat, error) {
	if d.kind == rootDir {
		st := d.fs.stat(inoRoot, unix.S_IFDIR|0o555, 0, 0)
		// Linux counts a link from every process directory's "..".
		st.Nlink = 2 + uint32(len(d.fs.p.PIDs()))
		return st, nil
	}
	uid, gid := d.fs.owner(d.pid)
	var st vfs.Stat
	switch d.kind {
	case procDir:
		st = d.fs.stat(entryIno(d.pid, d.tid, 0), unix.S_IFDIR|0o555, uid, gid)
		st.Nlink = 2 + uint32(subdirs(d.tid != 0))
	case taskDir:
		st = d.fs.stat(entryIno(d.pid, 0, entTask.index), entTask.mode, uid, gid)
		st.Nlink = 2
		if p, ok := d.process(); ok {
			st.Nlink += uint32(len(p.TIDs()))
		}
	case fdDir:
		st = d.fs.stat(entryIno(d.pid, d.tid, entFD.index), entFD.mode, uid, gid)
		st.Nlink = 2
		// Linux gives the number of open descriptors as the size.
		if p, ok := d.process(); ok {
			st.Size = int64(len(p.FDs()))
		}
	case fdInfoDir:
		st = d.fs.stat(entryIno(d.pid, d.tid, entFDInfo.index), entFDInfo.mode, uid, gid)
		st.Nlink = 2
	}
	return st, nil
}

func (d dir) SetAttr(a vfs.Attr) error { return setAttr(a, true) }

func (d dir) Open(flags int) (vfs.File, error) { return vfs.OpenDir(flags) }

func (d dir) Lookup(name string) (vfs.Inode, error) {
	switch d.kind {
	case rootDir:
		if e, ok := rootByName[name]; ok {
			return e.inode(d.fs), nil
		}
		if pid, ok := parseID(name); ok {
			if _, ok := d.fs.p.Process(pid); ok {
				return dir{fs: d.fs, kind: procDir, pid: pid}, nil
			}
		}
		return nil, unix.ENOENT
	}
	p, ok := d.process()
	if !ok {
		return nil, unix.ENOENT
	}
	switch d.kind {
	case procDir:
		for _, e := range procEntries {
			if e.name == name && (d.tid == 0 || !e.groupOnly) {
				return e.inode(d.fs, d.pid, d.tid), nil
			}
		}
	case taskDir:
		if tid, ok := parseID(name); ok {
			if _, ok := p.Thread(tid); ok {
				return dir{fs: d.fs, kind: procDir, pid: d.pid, tid: tid}, nil
			}
		}
	case fdDir, fdInfoDir:
		if fd, ok := parseID(name); ok {
			if _, err := p.FD(fd); err == nil {
				if d.kind == fdDir {
					return fdLink(d.fs, d.pid, d.tid, fd), nil
				}
				return fdInfoFile(d.fs, d.pid, d.tid, fd), nil
			}
		}
	}
	return nil, unix.ENOENT
}

// ReadDir lists the directory. Positions stay meaningful while processes
// and descriptors come and go: a number's position is the number plus
// one (after the fixed names, in /proc), so a listing resumed at a
// position continues after the last number it gave, as Linux's does.
func (d dir) ReadDir(pos int64) ([]vfs.Dirent, error) {
	if pos < 0 {
		return nil, unix.EINVAL
	}
	if d.kind == rootDir {
		var out []vfs.Dirent
		for i := pos; i < int64(len(rootEntries)); i++ {
			e := rootEntries[i]
			out = append(out, vfs.Dirent{Name: e.name, Ino: e.ino(), Type: vfs.Type(e.mode), Next: i + 1})
		}
		base := int64(len(rootEntries))
		return appendIDs(out, d.fs.p.PIDs(), pos-base, base, func(pid int) uint64 {
			return entryIno(pid, 0, 0)
		}, unix.S_IFDIR), nil
	}
	p, ok := d.process()
	if !ok {
		return nil, unix.ENOENT
	}
	switch d.kind {
	case procDir:
		var out []vfs.Dirent
		i := int64(0)
		for _, e := range procEntries {
			if d.tid != 0 && e.groupOnly {
				continue
			}
			if i >= pos {
				out = append(out, vfs.Dirent{Name: e.name, Ino: entryIno(d.pid, d.tid, e.index),
					Type: vfs.Type(e.mode), Next: i + 1})
			}
			i++
		}
		return out, nil
	case taskDir:
		return appendIDs(nil, p.TIDs(), pos, 0, func(tid int) uint64 {
			return entryIno(d.pid, tid, 0)
		}, unix.S_IFDIR), nil
	case fdDir:
		return appendIDs(nil, p.FDs(), pos, 0, func(fd int) uint64 {
			return fdIno(d.pid, d.tid, fd, false)
		}, unix.S_IFLNK), nil
	default: // fdInfoDir
		return appendIDs(nil, p.FDs(), pos, 0, func(fd int) uint64 {
			return fdIno(d.pid, d.tid, fd, true)
		}, unix.S_IFREG), nil
	}
}

// appendIDs lists numbered entries (ascending ids) from id from on;
// base is the position of id 0.
func appendIDs(out []vfs.Dirent, ids []int, from, base int64, inoOf func(int) uint64, typ uint32) []vfs.Dirent {
	if !slices.IsSorted(ids) {
		ids = slices.Sorted(slices.Values(ids))
	}
	for _, id := range ids {
		if id < 0 || int64(id) < from {
			continue
		}
		out = append(out, vfs.Dirent{Name: itoa(id), Ino: inoOf(id), Type: typ, Next: base + int64(id) + 1})
	}
	return out
}

func (d dir) Create(name string, mode uint32, rdev uint64) (vfs.Inode, error) {
	return nil, createErr(d, name)
}
func (d dir) Mkdir(name string, mode uint32) (vfs.Inode, error) { return nil, createErr(d, name) }
func (d dir) Symlink(name, target string) (vfs.Inode, error)    { return nil, createErr(d, name) }
func (d dir) Link(name string, target vfs.Inode) error          { return createErr(d, name) }
func (d dir) Unlink(name string) error                          { return removeErr(d, name) }
func (d dir) Rmdir(name string) error                           { return removeErr(d, name) }

func (d dir) Rename(oldName string, newDir vfs.Dir, newName string, flags uint32) error {
	nd, ok := newDir.(dir)
	switch {
	case !ok || nd.fs != d.fs:
		return unix.EXDEV
	case !exists(d, oldName) || !exists(nd, newName):
		return unix.ENOENT
	}
	return unix.EPERM
}

var (
	_ vfs.Dir    = dir{}
	_ vfs.Opener = dir{}
)
