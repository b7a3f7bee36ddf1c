package linux

import (
	"time"

	"golang.org/x/sys/unix"

	"quartz/kernel/vfs"
)

func init() {
	register(unix.SYS_STAT, sysStat)
	register(unix.SYS_LSTAT, sysLstat)
	register(unix.SYS_FSTAT, sysFstat)
	register(unix.SYS_NEWFSTATAT, sysNewfstatat)
	register(unix.SYS_STATX, sysStatx)
	register(unix.SYS_READLINK, sysReadlink)
	register(unix.SYS_READLINKAT, sysReadlinkat)
	register(unix.SYS_ACCESS, sysAccess)
	register(unix.SYS_FACCESSAT, sysFaccessat)
	register(unix.SYS_FACCESSAT2, sysFaccessat2)
	register(unix.SYS_GETCWD, sysGetcwd)
	register(unix.SYS_CHDIR, sysChdir)
	register(unix.SYS_FCHDIR, sysFchdir)
	register(unix.SYS_CHROOT, sysChroot)
	register(unix.SYS_UMASK, sysUmask)
}

const atFDCWD = uint64(0xffffff9c) // AT_FDCWD (-100) as a 32-bit argument

func sysStat(t *Thread, a sysArgs) (uint64, error) {
	return sysNewfstatat(t, sysArgs{atFDCWD, a[0], a[1], 0})
}

func sysLstat(t *Thread, a sysArgs) (uint64, error) {
	return sysNewfstatat(t, sysArgs{atFDCWD, a[0], a[1], unix.AT_SYMLINK_NOFOLLOW})
}

// statOf converts a vfs.Stat to struct stat.
func statOf(s vfs.Stat) unix.Stat_t {
	ts := func(t time.Time) unix.Timespec { return unix.NsecToTimespec(t.UnixNano()) }
	return unix.Stat_t{
		Dev: s.Dev, Ino: s.Ino, Nlink: uint64(s.Nlink), Mode: s.Mode, Uid: s.UID, Gid: s.GID,
		Rdev: s.Rdev, Size: s.Size, Blksize: int64(s.Blksize), Blocks: s.Blocks,
		Atim: ts(s.Atime), Mtim: ts(s.Mtime), Ctim: ts(s.Ctime),
	}
}

func sysFstat(t *Thread, a sysArgs) (uint64, error) {
	return withFile(t, a[0], func(of *openFile) (uint64, error) {
		s, err := of.inode.Stat()
		if err != nil {
			return 0, err
		}
		st := statOf(s)
		return 0, writeStruct(t, a[1], &st)
	})
}

// atPath resolves a (dirfd, path, flags) triple of the *at calls:
// AT_EMPTY_PATH with "" names dirfd's own file (returned as of, which
// the caller puts); AT_SYMLINK_NOFOLLOW leaves a final link alone.
func (t *Thread) atPath(dirfd, addr, flags uint64, follow bool) (vfs.Path, *openFile, error) {
	name, err := t.readPath(addr)
	if err != nil {
		return vfs.Path{}, nil, err
	}
	if name == "" {
		if flags&unix.AT_EMPTY_PATH == 0 {
			return vfs.Path{}, nil, unix.ENOENT
		}
		if int32(dirfd) == unix.AT_FDCWD {
			return t.proc.workingDir(), nil, nil
		}
		of, err := t.proc.fds.get(dirfd)
		if err != nil {
			return vfs.Path{}, nil, err
		}
		return of.path, of, nil
	}
	wflags := vfs.WalkFlags(0)
	if follow && flags&unix.AT_SYMLINK_NOFOLLOW == 0 {
		wflags = vfs.Follow
	}
	p, err := t.lookup(dirfd, name, wflags)
	return p, nil, err
}

// statAt stats what a (dirfd, path, flags) triple names.
func (t *Thread) statAt(dirfd, addr, flags uint64) (vfs.Stat, error) {
	p, of, err := t.atPath(dirfd, addr, flags, true)
	if err != nil {
		return vfs.Stat{}, err
	}
	if of != nil {
		defer of.put()
		return of.inode.Stat()
	}
	return p.Inode().Stat()
}

func sysNewfstatat(t *Thread, a sysArgs) (uint64, error) {
	if a[3]&^(unix.AT_SYMLINK_NOFOLLOW|unix.AT_EMPTY_PATH|unix.AT_NO_AUTOMOUNT) != 0 {
		return 0, unix.EINVAL
	}
	s, err := t.statAt(a[0], a[1], a[3])
	if err != nil {
		return 0, err
	}
	st := statOf(s)
	return 0, writeStruct(t, a[2], &st)
}

// The statx fields Quartz fills.
const statxBasic = unix.STATX_TYPE | unix.STATX_MODE | unix.STATX_NLINK | unix.STATX_UID | unix.STATX_GID |
	unix.STATX_ATIME | unix.STATX_MTIME | unix.STATX_CTIME | unix.STATX_INO | unix.STATX_SIZE | unix.STATX_BLOCKS

func sysStatx(t *Thread, a sysArgs) (uint64, error) {
	flags := a[2]
	if flags&^(unix.AT_SYMLINK_NOFOLLOW|unix.AT_EMPTY_PATH|unix.AT_NO_AUTOMOUNT|atStatxSyncType) != 0 ||
		flags&atStatxSyncType == atStatxSyncType || a[3]&unix.STATX__RESERVED != 0 {
		return 0, unix.EINVAL
	}
	s, err := t.statAt(a[0], a[1], flags)
	if err != nil {
		return 0, err
	}
	ts := func(t time.Time) unix.StatxTimestamp {
		return unix.StatxTimestamp{Sec: t.Unix(), Nsec: uint32(t.Nanosecond())}
	}
	stx := unix.Statx_t{
		Mask: statxBasic, Blksize: uint32(s.Blksize), Nlink: s.Nlink, Uid: s.UID, Gid: s.GID,
		Mode: uint16(s.Mode), Ino: s.Ino, Size: uint64(s.Size), Blocks: uint64(s.Blocks),
		Atime: ts(s.Atime), Ctime: ts(s.Ctime), Mtime: ts(s.Mtime),
		Rdev_major: unix.Major(s.Rdev), Rdev_minor: unix.Minor(s.Rdev),
		Dev_major: unix.Major(s.Dev), Dev_minor: unix.Minor(s.Dev),
	}
	return 0, writeStruct(t, a[4], &stx)
}

func sysReadlink(t *Thread, a sysArgs) (uint64, error) {
	return sysReadlinkat(t, sysArgs{atFDCWD, a[0], a[1], a[2]})
}

func sysReadlinkat(t *Thread, a sysArgs) (uint64, error) {
	if int64(a[3]) <= 0 {
		return 0, unix.EINVAL
	}
	p, of, err := t.atPath(a[0], a[1], unix.AT_EMPTY_PATH, false)
	if err != nil {
		return 0, err
	}
	if of != nil {
		of.put()
	}
	link, ok := p.Inode().(vfs.Symlink)
	if !ok {
		return 0, unix.EINVAL
	}
	target, err := vfs.ReadlinkAs(t, link)
	if err != nil {
		return 0, err
	}
	b := []byte(target)[:min(uint64(len(target)), a[3])]
	return uint64(len(b)), t.copyOut(a[2], b)
}

func sysAccess(t *Thread, a sysArgs) (uint64, error) {
	return sysFaccessat2(t, sysArgs{atFDCWD, a[0], a[1], 0})
}

func sysFaccessat(t *Thread, a sysArgs) (uint64, error) {
	return sysFaccessat2(t, sysArgs{a[0], a[1], a[2], 0})
}

func sysFaccessat2(t *Thread, a sysArgs) (uint64, error) {
	if a[2]&^7 != 0 || a[3]&^(unix.AT_SYMLINK_NOFOLLOW|unix.AT_EACCESS|unix.AT_EMPTY_PATH) != 0 {
		return 0, unix.EINVAL
	}
	p, of, err := t.atPath(a[0], a[1], a[3], true)
	if err != nil {
		return 0, err
	}
	if of != nil {
		of.put()
	}
	st, err := p.Inode().Stat()
	if err != nil {
		return 0, err
	}
	if a[2]&unix.W_OK != 0 {
		if err := readOnlyMount(p); err != nil && vfs.Type(st.Mode) != unix.S_IFCHR {
			return 0, err
		}
	}
	return 0, permitted(st, uint32(a[2]))
}

func sysGetcwd(t *Thread, a sysArgs) (uint64, error) {
	b := append([]byte(t.proc.k.pathName(t.proc.workingDir())), 0)
	if uint64(len(b)) > a[1] {
		return 0, unix.ERANGE
	}
	return uint64(len(b)), t.copyOut(a[0], b)
}

// chdirTo makes the directory at p the working directory.
func (t *Thread) chdirTo(p vfs.Path) error {
	if _, ok := p.Inode().(vfs.Dir); !ok {
		return unix.ENOTDIR
	}
	st, err := p.Inode().Stat()
	if err != nil {
		return err
	}
	if err := permitted(st, unix.X_OK); err != nil {
		return err
	}
	t.proc.cwdMu.Lock()
	t.proc.cwd = p
	t.proc.cwdMu.Unlock()
	return nil
}

func sysChdir(t *Thread, a sysArgs) (uint64, error) {
	p, err := t.pathAt(atFDCWD, a[0], vfs.Follow|vfs.Directory)
	if err != nil {
		return 0, err
	}
	return 0, t.chdirTo(p)
}

func sysFchdir(t *Thread, a sysArgs) (uint64, error) {
	return withFile(t, a[0], func(of *openFile) (uint64, error) {
		if of.path.Mount == nil {
			return 0, unix.ENOTDIR
		}
		return 0, t.chdirTo(of.path)
	})
}

// sysChroot is refused: every process shares the kernel's root (Linux
// gives EPERM to callers without CAP_SYS_CHROOT).
func sysChroot(t *Thread, a sysArgs) (uint64, error) {
	if _, err := t.pathAt(atFDCWD, a[0], vfs.Follow|vfs.Directory); err != nil {
		return 0, err
	}
	return 0, unix.EPERM
}

func sysUmask(t *Thread, a sysArgs) (uint64, error) {
	return uint64(t.proc.umask.Swap(uint32(a[0] & 0o777))), nil
}
