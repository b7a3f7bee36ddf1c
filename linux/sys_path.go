package linux

import (
	"strings"

	"golang.org/x/sys/unix"

	"quartz/kernel/vfs"
)

// The calls that make, remove and rename names.
func init() {
	register(unix.SYS_MKDIR, sysMkdir)
	register(unix.SYS_MKDIRAT, sysMkdirat)
	register(unix.SYS_RMDIR, sysRmdir)
	register(unix.SYS_UNLINK, sysUnlink)
	register(unix.SYS_UNLINKAT, sysUnlinkat)
	register(unix.SYS_RENAME, sysRename)
	register(unix.SYS_RENAMEAT, sysRenameat)
	register(unix.SYS_RENAMEAT2, sysRenameat2)
	register(unix.SYS_LINK, sysLink)
	register(unix.SYS_LINKAT, sysLinkat)
	register(unix.SYS_SYMLINK, sysSymlink)
	register(unix.SYS_SYMLINKAT, sysSymlinkat)
	register(unix.SYS_MKNOD, sysMknod)
	register(unix.SYS_MKNODAT, sysMknodat)
}

// parentAt resolves the directory a new or removed name lives in, and
// checks it may change: EROFS on a read-only mount, EACCES without write
// and search permission.
func (t *Thread) parentAt(dirfd, addr uint64) (vfs.Path, vfs.Dir, string, error) {
	name, err := t.readPath(addr)
	if err != nil {
		return vfs.Path{}, nil, "", err
	}
	parent, last, err := t.lookupParent(dirfd, name)
	if err != nil {
		return vfs.Path{}, nil, "", err
	}
	dir := parent.Inode().(vfs.Dir)
	if last == "" || last == "." || last == ".." {
		return parent, dir, last, nil // the caller decides the errno
	}
	if err := readOnlyMount(parent); err != nil {
		return vfs.Path{}, nil, "", err
	}
	st, err := dir.Stat()
	if err != nil {
		return vfs.Path{}, nil, "", err
	}
	if err := permitted(st, unix.W_OK|unix.X_OK); err != nil {
		return vfs.Path{}, nil, "", err
	}
	return parent, dir, last, nil
}

func sysMkdir(t *Thread, a sysArgs) (uint64, error) {
	return sysMkdirat(t, sysArgs{atFDCWD, a[0], a[1]})
}

func sysMkdirat(t *Thread, a sysArgs) (uint64, error) {
	_, dir, last, err := t.parentAt(a[0], a[1])
	if err != nil {
		return 0, err
	}
	if last == "" || last == "." || last == ".." {
		return 0, unix.EEXIST
	}
	_, err = dir.Mkdir(last, uint32(a[2])&0o7777&^t.proc.umask.Load())
	return 0, err
}

func sysRmdir(t *Thread, a sysArgs) (uint64, error) {
	return sysUnlinkat(t, sysArgs{atFDCWD, a[0], unix.AT_REMOVEDIR})
}

func sysUnlink(t *Thread, a sysArgs) (uint64, error) {
	return sysUnlinkat(t, sysArgs{atFDCWD, a[0], 0})
}

func sysUnlinkat(t *Thread, a sysArgs) (uint64, error) {
	if a[2]&^unix.AT_REMOVEDIR != 0 {
		return 0, unix.EINVAL
	}
	name, err := t.readPath(a[1])
	if err != nil {
		return 0, err
	}
	parent, dir, last, err := t.parentAt(a[0], a[1])
	if err != nil {
		return 0, err
	}
	if a[2]&unix.AT_REMOVEDIR == 0 {
		if last == "" || last == "." || last == ".." || strings.HasSuffix(name, "/") {
			return 0, unix.EISDIR
		}
		return 0, dir.Unlink(last)
	}
	switch last {
	case ".":
		return 0, unix.EINVAL
	case "..", "":
		return 0, unix.ENOTEMPTY
	}
	if t.isMountPoint(parent, last) {
		return 0, unix.EBUSY
	}
	return 0, dir.Rmdir(last)
}

// isMountPoint reports whether name in parent has a file system mounted
// on it (removing or renaming it is EBUSY).
func (t *Thread) isMountPoint(parent vfs.Path, name string) bool {
	ns := t.proc.k.ns
	p, err := ns.WalkAs(t, ns.Root(), parent, name, 0)
	return err == nil && p.Mount != parent.Mount
}

func sysRename(t *Thread, a sysArgs) (uint64, error) {
	return sysRenameat2(t, sysArgs{atFDCWD, a[0], atFDCWD, a[1], 0})
}

func sysRenameat(t *Thread, a sysArgs) (uint64, error) {
	return sysRenameat2(t, sysArgs{a[0], a[1], a[2], a[3], 0})
}

func sysRenameat2(t *Thread, a sysArgs) (uint64, error) {
	flags := uint32(a[4])
	if flags&^(unix.RENAME_NOREPLACE|unix.RENAME_EXCHANGE|unix.RENAME_WHITEOUT) != 0 ||
		flags&unix.RENAME_NOREPLACE != 0 && flags&unix.RENAME_EXCHANGE != 0 {
		return 0, unix.EINVAL
	}
	if flags&unix.RENAME_WHITEOUT != 0 {
		return 0, unix.EPERM // needs CAP_MKNOD, and only overlay's layers use it
	}
	oldParent, oldDir, oldName, err := t.parentAt(a[0], a[1])
	if err != nil {
		return 0, err
	}
	newParent, newDir, newName, err := t.parentAt(a[2], a[3])
	if err != nil {
		return 0, err
	}
	for _, n := range []string{oldName, newName} {
		if n == "" || n == "." || n == ".." {
			return 0, unix.EBUSY
		}
	}
	if oldParent.Mount != newParent.Mount {
		return 0, unix.EXDEV
	}
	if t.isMountPoint(oldParent, oldName) || t.isMountPoint(newParent, newName) {
		return 0, unix.EBUSY
	}
	return 0, oldDir.Rename(oldName, newDir, newName, flags)
}

func sysLink(t *Thread, a sysArgs) (uint64, error) {
	return sysLinkat(t, sysArgs{atFDCWD, a[0], atFDCWD, a[1], 0})
}

func sysLinkat(t *Thread, a sysArgs) (uint64, error) {
	if a[4]&^(unix.AT_SYMLINK_FOLLOW|unix.AT_EMPTY_PATH) != 0 {
		return 0, unix.EINVAL
	}
	follow := a[4]&unix.AT_SYMLINK_FOLLOW != 0
	flags := uint64(unix.AT_SYMLINK_NOFOLLOW)
	if follow {
		flags = 0
	}
	flags |= a[4] & unix.AT_EMPTY_PATH
	old, of, err := t.atPath(a[0], a[1], flags, true)
	if err != nil {
		return 0, err
	}
	if of != nil {
		of.put()
	}
	if _, ok := old.Inode().(vfs.Dir); ok {
		return 0, unix.EPERM
	}
	newParent, dir, last, err := t.parentAt(a[2], a[3])
	if err != nil {
		return 0, err
	}
	if last == "" || last == "." || last == ".." {
		return 0, unix.EEXIST
	}
	if old.Mount != newParent.Mount {
		return 0, unix.EXDEV
	}
	return 0, dir.Link(last, old.Inode())
}

func sysSymlink(t *Thread, a sysArgs) (uint64, error) {
	return sysSymlinkat(t, sysArgs{a[0], atFDCWD, a[1]})
}

func sysSymlinkat(t *Thread, a sysArgs) (uint64, error) {
	target, err := t.readPath(a[0])
	if err != nil {
		return 0, err
	}
	if target == "" {
		return 0, unix.ENOENT
	}
	_, dir, last, err := t.parentAt(a[1], a[2])
	if err != nil {
		return 0, err
	}
	if last == "" || last == "." || last == ".." {
		return 0, unix.EEXIST
	}
	_, err = dir.Symlink(last, target)
	return 0, err
}

func sysMknod(t *Thread, a sysArgs) (uint64, error) {
	return sysMknodat(t, sysArgs{atFDCWD, a[0], a[1], a[2]})
}

// sysMknodat makes FIFOs, sockets and regular files; device nodes need
// CAP_MKNOD, which guests do not have (EPERM).
func sysMknodat(t *Thread, a sysArgs) (uint64, error) {
	mode := uint32(a[2])
	switch vfs.Type(mode) {
	case 0:
		mode |= unix.S_IFREG
	case unix.S_IFREG, unix.S_IFIFO, unix.S_IFSOCK:
	case unix.S_IFCHR, unix.S_IFBLK:
		if unix.Geteuid() != 0 {
			return 0, unix.EPERM
		}
	case unix.S_IFDIR:
		return 0, unix.EPERM
	default:
		return 0, unix.EINVAL
	}
	_, dir, last, err := t.parentAt(a[0], a[1])
	if err != nil {
		return 0, err
	}
	if last == "" || last == "." || last == ".." {
		return 0, unix.EEXIST
	}
	perm := mode & 0o7777 &^ t.proc.umask.Load()
	_, err = dir.Create(last, vfs.Type(mode)|perm, a[3])
	return 0, err
}
