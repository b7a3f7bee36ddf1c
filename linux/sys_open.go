package linux

import (
	"strings"

	"golang.org/x/sys/unix"

	"quartz/kernel/vfs"
)

func init() {
	register(unix.SYS_OPEN, sysOpen)
	register(unix.SYS_OPENAT, sysOpenat)
	register(unix.SYS_CREAT, sysCreat)
	register(unix.SYS_OPENAT2, sysOpenat2)
}

func sysOpen(t *Thread, a sysArgs) (uint64, error) {
	return sysOpenat(t, sysArgs{atFDCWD, a[0], a[1], a[2]})
}

func sysCreat(t *Thread, a sysArgs) (uint64, error) {
	return sysOpenat(t, sysArgs{atFDCWD, a[0], unix.O_CREAT | unix.O_WRONLY | unix.O_TRUNC, a[1]})
}

func sysOpenat(t *Thread, a sysArgs) (uint64, error) {
	// open(2) ignores flags it does not know; openat2 does not.
	return t.openat(a[0], a[1], int(int32(a[2]))&knownOpenFlags, uint32(a[3]), 0)
}

const knownOpenFlags = unix.O_ACCMODE | unix.O_CREAT | unix.O_EXCL | unix.O_NOCTTY | unix.O_TRUNC |
	unix.O_APPEND | unix.O_NONBLOCK | unix.O_DSYNC | unix.O_ASYNC | unix.O_DIRECT | unix.O_LARGEFILE |
	unix.O_DIRECTORY | unix.O_NOFOLLOW | unix.O_NOATIME | unix.O_CLOEXEC | unix.O_SYNC | unix.O_PATH |
	unix.O_TMPFILE

// struct open_how's resolve flags.
const (
	resolveNoXdev       = 0x01
	resolveNoMagiclinks = 0x02
	resolveNoSymlinks   = 0x04
	resolveBeneath      = 0x08
	resolveInRoot       = 0x10
	resolveCached       = 0x20
)

func sysOpenat2(t *Thread, a sysArgs) (uint64, error) {
	size := a[3]
	if size < 24 || size > 4096 {
		return 0, unix.EINVAL
	}
	raw := make([]byte, size)
	if err := t.copyIn(a[2], raw); err != nil {
		return 0, err
	}
	for _, b := range raw[24:] {
		if b != 0 {
			return 0, unix.E2BIG // a newer struct with fields Quartz does not know
		}
	}
	flags, mode, resolve := leUint64(raw), leUint64(raw[8:]), leUint64(raw[16:])
	if flags&^uint64(knownOpenFlags) != 0 || mode&^0o7777 != 0 ||
		(mode != 0 && flags&(unix.O_CREAT|unix.O_TMPFILE) == 0) {
		return 0, unix.EINVAL
	}
	if resolve&^(resolveNoXdev|resolveNoMagiclinks|resolveNoSymlinks|resolveBeneath|resolveInRoot|resolveCached) != 0 ||
		resolve&(resolveBeneath|resolveInRoot) == resolveBeneath|resolveInRoot {
		return 0, unix.EINVAL
	}
	return t.openat(a[0], a[1], int(flags), uint32(mode), resolve)
}

// openat opens a path for the guest and installs the descriptor.
func (t *Thread) openat(dirfd, pathAddr uint64, flags int, mode uint32, resolve uint64) (uint64, error) {
	name, err := t.readPath(pathAddr)
	if err != nil {
		return 0, err
	}
	if resolve&(resolveBeneath|resolveInRoot|resolveNoXdev|resolveNoSymlinks|resolveNoMagiclinks) != 0 {
		if err := t.checkResolve(dirfd, name, resolve); err != nil {
			return 0, err
		}
	}
	of, err := t.open(dirfd, name, flags, mode)
	if err != nil {
		return 0, err
	}
	fd, err := t.proc.fds.install(of, flags&unix.O_CLOEXEC != 0, 0)
	if err != nil {
		of.put()
		return 0, err
	}
	return uint64(fd), nil
}

// checkResolve applies openat2's path restrictions that Quartz supports
// by inspecting the name: no "..", no absolute path, no symbolic link
// component. It is stricter than Linux where Linux would allow a ".."
// that stays beneath the start.
func (t *Thread) checkResolve(dirfd uint64, name string, resolve uint64) error {
	if resolve&(resolveBeneath|resolveInRoot) != 0 {
		if strings.HasPrefix(name, "/") && resolve&resolveBeneath != 0 {
			return unix.EXDEV
		}
		for _, part := range strings.Split(name, "/") {
			if part == ".." {
				return unix.EXDEV
			}
		}
	}
	if resolve&(resolveNoSymlinks|resolveNoMagiclinks) != 0 {
		parts := strings.Split(strings.Trim(name, "/"), "/")
		for i := range parts {
			sub := strings.Join(parts[:i+1], "/")
			if strings.HasPrefix(name, "/") {
				sub = "/" + sub
			}
			p, err := t.lookup(dirfd, sub, 0)
			if err != nil {
				return nil // the open itself reports it
			}
			if _, ok := p.Inode().(vfs.Symlink); ok {
				return unix.ELOOP
			}
		}
	}
	return nil
}

// open resolves and opens name relative to dirfd, with open(2)'s rules.
func (t *Thread) open(dirfd uint64, name string, flags int, mode uint32) (*openFile, error) {
	if flags&unix.O_TMPFILE == unix.O_TMPFILE {
		return nil, unix.EOPNOTSUPP
	}
	if flags&unix.O_PATH != 0 {
		flags &= unix.O_PATH | unix.O_DIRECTORY | unix.O_NOFOLLOW | unix.O_CLOEXEC
	}
	acc := flags & unix.O_ACCMODE
	if acc == unix.O_ACCMODE && flags&unix.O_PATH == 0 {
		return nil, unix.EINVAL
	}
	wflags := vfs.Follow
	if flags&unix.O_NOFOLLOW != 0 {
		wflags = 0
	}
	if flags&unix.O_DIRECTORY != 0 {
		wflags |= vfs.Directory
	}
	var p vfs.Path
	var err error
	if flags&unix.O_CREAT != 0 {
		if flags&unix.O_DIRECTORY != 0 {
			return nil, unix.EINVAL
		}
		var created bool
		p, created, err = t.create(dirfd, name, flags, mode)
		if err != nil {
			return nil, err
		}
		if created {
			flags &^= unix.O_TRUNC
		}
	} else if p, err = t.lookup(dirfd, name, wflags); err != nil {
		return nil, err
	}
	in := p.Inode()
	st, err := in.Stat()
	if err != nil {
		return nil, err
	}
	typ := vfs.Type(st.Mode)
	if typ == unix.S_IFLNK {
		if flags&unix.O_PATH == 0 {
			return nil, unix.ELOOP // O_NOFOLLOW met a link
		}
	}
	if flags&unix.O_PATH != 0 {
		of := newOpenFile(pathFile{}, in, flags&^unix.O_CLOEXEC)
		of.path = p
		return of, nil
	}
	if typ == unix.S_IFDIR && (acc != unix.O_RDONLY || flags&unix.O_TRUNC != 0) {
		return nil, unix.EISDIR
	}
	if acc != unix.O_RDONLY || flags&unix.O_TRUNC != 0 {
		if err := readOnlyMount(p); err != nil && typ != unix.S_IFCHR && typ != unix.S_IFIFO && typ != unix.S_IFSOCK {
			return nil, err
		}
	}
	if err := permitted(st, accessBits(acc)); err != nil {
		return nil, err
	}
	// A FIFO in a file system opens its shared pipe; a pipe reached
	// through /proc/pid/fd (no mount) reopens that very pipe.
	switch {
	case typ == unix.S_IFIFO && p.Mount != nil:
		of, err := t.openFIFO(in, flags)
		if err != nil {
			return nil, err
		}
		of.path = p
		return of, nil
	case typ == unix.S_IFSOCK:
		return nil, unix.ENXIO
	}
	if flags&unix.O_TRUNC != 0 && typ == unix.S_IFREG && acc != unix.O_RDONLY {
		zero := int64(0)
		if err := in.SetAttr(vfs.Attr{Size: &zero}); err != nil {
			return nil, err
		}
	}
	opener, ok := in.(vfs.Opener)
	if !ok {
		return nil, unix.ENXIO
	}
	f, err := opener.Open(flags)
	if err != nil {
		return nil, err
	}
	of := newOpenFile(f, in, flags&^(unix.O_CLOEXEC|unix.O_CREAT|unix.O_EXCL|unix.O_NOCTTY|unix.O_TRUNC))
	of.path = p
	return of, nil
}

// create is open's O_CREAT: it finds or makes the file, and reports
// whether it made it.
func (t *Thread) create(dirfd uint64, name string, flags int, mode uint32) (vfs.Path, bool, error) {
	if strings.HasSuffix(name, "/") {
		return vfs.Path{}, false, unix.EISDIR
	}
	parent, last, err := t.lookupParent(dirfd, name)
	if err != nil {
		return vfs.Path{}, false, err
	}
	if last == "" || last == "." || last == ".." {
		return vfs.Path{}, false, unix.EISDIR
	}
	wflags := vfs.Follow
	if flags&(unix.O_EXCL|unix.O_NOFOLLOW) != 0 {
		wflags = 0
	}
	ns := t.proc.k.ns
	for {
		p, err := ns.WalkAs(t, ns.Root(), parent, last, wflags)
		if err == nil {
			if flags&unix.O_EXCL != 0 {
				return vfs.Path{}, false, unix.EEXIST
			}
			return p, false, nil
		}
		if err != unix.ENOENT {
			return vfs.Path{}, false, err
		}
		if err := readOnlyMount(parent); err != nil {
			return vfs.Path{}, false, err
		}
		dir := parent.Inode().(vfs.Dir)
		dst, err := dir.Stat()
		if err != nil {
			return vfs.Path{}, false, err
		}
		if err := permitted(dst, unix.W_OK|unix.X_OK); err != nil {
			return vfs.Path{}, false, err
		}
		in, err := dir.Create(last, unix.S_IFREG|mode&0o7777&^t.proc.umask.Load(), 0)
		if err == unix.EEXIST && flags&unix.O_EXCL == 0 {
			continue // someone else made it meanwhile: open theirs
		}
		if err != nil {
			return vfs.Path{}, false, err
		}
		return vfs.Path{Mount: parent.Mount, Dentry: &vfs.Dentry{Name: last, Inode: in, Parent: parent.Dentry}}, true, nil
	}
}

// accessBits is the permission an access mode needs.
func accessBits(acc int) uint32 {
	switch acc {
	case unix.O_WRONLY:
		return unix.W_OK
	case unix.O_RDWR:
		return unix.R_OK | unix.W_OK
	}
	return unix.R_OK
}

// permitted checks want (R_OK, W_OK, X_OK bits) against an inode's mode
// for the guest's identity, which is the host user's. Root may read and
// write anything, and execute what anyone may.
func permitted(st vfs.Stat, want uint32) error {
	uid, gid := uint32(unix.Geteuid()), uint32(unix.Getegid())
	if uid == 0 {
		if want&unix.X_OK != 0 && vfs.Type(st.Mode) != unix.S_IFDIR && st.Mode&0o111 == 0 {
			return unix.EACCES
		}
		return nil
	}
	perm := st.Mode & 7
	switch {
	case st.UID == uid:
		perm = st.Mode >> 6 & 7
	case st.GID == gid || inGroups(st.GID):
		perm = st.Mode >> 3 & 7
	}
	if want&^perm != 0 {
		return unix.EACCES
	}
	return nil
}

func inGroups(gid uint32) bool {
	groups, _ := unix.Getgroups()
	for _, g := range groups {
		if uint32(g) == gid {
			return true
		}
	}
	return false
}
