package procfs

import (
	"golang.org/x/sys/unix"

	"quartz/kernel/vfs"
)

// taskLink is /proc/self ("<tgid>") or /proc/thread-self
// ("<tgid>/task/<tid>"): its text depends on who reads it.
type taskLink struct {
	fs     *FS
	thread bool
}

func (l taskLink) entry() *rootEntry {
	if l.thread {
		return rootEntries[1]
	}
	return rootEntries[0]
}

// Stat gives size 0, as Linux does for these links.
func (l taskLink) Stat() (vfs.Stat, error) {
	e := l.entry()
	return l.fs.stat(e.ino(), e.mode, 0, 0), nil
}

func (l taskLink) SetAttr(a vfs.Attr) error { return setAttr(a, false) }

// Readlink answers for no task: like a reader outside procfs's pid name
// space on Linux, it finds nothing.
func (l taskLink) Readlink() (string, error) { return "", unix.ENOENT }

func (l taskLink) ReadlinkTask(t vfs.Task) (string, error) {
	if t == nil || t.TGID() <= 0 {
		return "", unix.ENOENT
	}
	if l.thread {
		return itoa(t.TGID()) + "/task/" + itoa(t.TID()), nil
	}
	return itoa(t.TGID()), nil
}

// textLink is a fixed link (/proc/mounts -> self/mounts).
type textLink struct {
	fs    *FS
	entry *rootEntry
}

func (l textLink) Stat() (vfs.Stat, error) {
	st := l.fs.stat(l.entry.ino(), l.entry.mode, 0, 0)
	st.Size = int64(len(l.entry.target))
	return st, nil
}

func (l textLink) SetAttr(a vfs.Attr) error  { return setAttr(a, false) }
func (l textLink) Readlink() (string, error) { return l.entry.target, nil }

// magicLink is exe, cwd, root or fd/<n> of a process: following it leads
// to the Provider's Path, not to a walk of its text.
type magicLink struct {
	fs       *FS
	entry    *procEntry // exe, cwd or root; nil for fd/<n>
	pid, tid int
	fd       int
}

func fdLink(fs *FS, pid, tid, fd int) magicLink {
	return magicLink{fs: fs, pid: pid, tid: tid, fd: fd}
}

// resolve asks the Provider where the link leads. For fd/<n> it also
// gives the access mode the permission bits show.
func (l magicLink) resolve() (Link, int, error) {
	p, ok := l.fs.p.Process(l.pid)
	if !ok {
		return Link{}, 0, unix.ENOENT
	}
	if l.tid != 0 {
		if _, ok := p.Thread(l.tid); !ok {
			return Link{}, 0, unix.ENOENT
		}
	}
	if l.entry != nil {
		to, err := l.entry.link(p)
		return to, 0, err
	}
	fd, err := p.FD(l.fd)
	if err != nil {
		return Link{}, 0, unix.ENOENT
	}
	return fd.Link, fd.Flags, nil
}

// Stat gives Linux's modes: lrwxrwxrwx for exe, cwd and root; for a
// descriptor, read and write bits for its access mode (lr-x------ for
// O_RDONLY, l-wx------ for O_WRONLY, lrwx------ for O_RDWR) and size 64.
func (l magicLink) Stat() (vfs.Stat, error) {
	uid, gid := l.fs.owner(l.pid)
	if l.entry != nil {
		return l.fs.stat(entryIno(l.pid, l.tid, l.entry.index), l.entry.mode, uid, gid), nil
	}
	_, flags, err := l.resolve()
	if err != nil {
		return vfs.Stat{}, err
	}
	mode := uint32(unix.S_IFLNK)
	if flags&unix.O_PATH == 0 {
		switch flags & unix.O_ACCMODE {
		case unix.O_RDONLY:
			mode |= 0o500
		case unix.O_WRONLY:
			mode |= 0o300
		case unix.O_RDWR:
			mode |= 0o700
		}
	}
	st := l.fs.stat(fdIno(l.pid, l.tid, l.fd, false), mode, uid, gid)
	st.Size = 64
	return st, nil
}

func (l magicLink) SetAttr(a vfs.Attr) error { return setAttr(a, false) }

func (l magicLink) Readlink() (string, error) {
	to, _, err := l.resolve()
	return to.Text, err
}

// ReadlinkTask is Readlink: the text names the process's object,
// whoever reads it.
func (l magicLink) ReadlinkTask(vfs.Task) (string, error) { return l.Readlink() }

// Follow leads to the object itself. Who may follow another process's
// links (Linux asks for ptrace access) is the caller's to decide.
func (l magicLink) Follow(vfs.Task) (vfs.Path, error) {
	to, _, err := l.resolve()
	if err != nil {
		return vfs.Path{}, err
	}
	if to.Path.Dentry == nil {
		return vfs.Path{}, unix.ENXIO
	}
	return to.Path, nil
}

var (
	_ vfs.TaskSymlink = taskLink{}
	_ vfs.Symlink     = textLink{}
	_ vfs.MagicLink   = magicLink{}
)
