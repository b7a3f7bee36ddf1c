package linux

import (
	"golang.org/x/sys/unix"
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
	register(unix.SYS_UMASK, sysUmask)
}

const atFDCWD = uint64(0xffffff9c) // AT_FDCWD (-100) as a 32-bit argument

func sysStat(t *Thread, a sysArgs) (uint64, error) {
	return sysNewfstatat(t, sysArgs{atFDCWD, a[0], a[1], 0})
}

func sysLstat(t *Thread, a sysArgs) (uint64, error) {
	return sysNewfstatat(t, sysArgs{atFDCWD, a[0], a[1], unix.AT_SYMLINK_NOFOLLOW})
}

func sysFstat(t *Thread, a sysArgs) (uint64, error) {
	return withFile(t, a[0], func(of *openFile) (uint64, error) {
		var st unix.Stat_t
		if err := of.stat(&st); err != nil {
			return 0, err
		}
		return 0, writeStruct(t, a[1], &st)
	})
}

// emptyPath reports whether the call names the descriptor itself
// (AT_EMPTY_PATH with ""), reading the path either way.
func (t *Thread) emptyPath(addr uint64, flags uint64) (bool, string, error) {
	p, err := t.readPath(addr)
	if err != nil {
		return false, "", err
	}
	if p == "" {
		if flags&unix.AT_EMPTY_PATH != 0 {
			return true, "", nil
		}
		return false, "", unix.ENOENT
	}
	return false, p, nil
}

func sysNewfstatat(t *Thread, a sysArgs) (uint64, error) {
	if a[3]&^(unix.AT_SYMLINK_NOFOLLOW|unix.AT_EMPTY_PATH|unix.AT_NO_AUTOMOUNT) != 0 {
		return 0, unix.EINVAL
	}
	empty, p, err := t.emptyPath(a[1], a[3])
	if err != nil {
		return 0, err
	}
	if empty {
		return sysFstat(t, sysArgs{a[0], a[2]})
	}
	if p, err = t.resolve(a[0], p); err != nil {
		return 0, err
	}
	var st unix.Stat_t
	if err := t.proc.k.root.Stat(p, a[3]&unix.AT_SYMLINK_NOFOLLOW == 0, &st); err != nil {
		return 0, err
	}
	return 0, writeStruct(t, a[2], &st)
}

func sysStatx(t *Thread, a sysArgs) (uint64, error) {
	flags := a[2]
	if flags&^(unix.AT_SYMLINK_NOFOLLOW|unix.AT_EMPTY_PATH|unix.AT_NO_AUTOMOUNT|atStatxSyncType) != 0 ||
		flags&atStatxSyncType == atStatxSyncType || a[3]&unix.STATX__RESERVED != 0 {
		return 0, unix.EINVAL
	}
	empty, p, err := t.emptyPath(a[1], flags)
	if err != nil {
		return 0, err
	}
	var stx unix.Statx_t
	if empty {
		_, err = withFile(t, a[0], func(of *openFile) (uint64, error) {
			h, ok := of.file.(*hostFile)
			if !ok {
				return 0, unix.EBADF
			}
			return 0, unix.Statx(h.fd, "", unix.AT_EMPTY_PATH, int(a[3]), &stx)
		})
	} else if p, err = t.resolve(a[0], p); err == nil {
		err = t.proc.k.root.Statx(p, flags&unix.AT_SYMLINK_NOFOLLOW == 0, int(flags&atStatxSyncType), int(a[3]), &stx)
	}
	if err != nil {
		return 0, err
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
	p, err := t.pathArg(a[0], a[1])
	if err != nil {
		return 0, err
	}
	target, err := t.proc.k.root.Readlink(p)
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
	p, err := t.pathArg(a[0], a[1])
	if err != nil {
		return 0, err
	}
	return 0, t.proc.k.root.Access(p, uint32(a[2]), a[3]&unix.AT_SYMLINK_NOFOLLOW == 0)
}

func sysGetcwd(t *Thread, a sysArgs) (uint64, error) {
	t.proc.cwdMu.Lock()
	cwd := t.proc.cwd
	t.proc.cwdMu.Unlock()
	b := append([]byte(cwd), 0)
	if uint64(len(b)) > a[1] {
		return 0, unix.ERANGE
	}
	return uint64(len(b)), t.copyOut(a[0], b)
}

// chdirTo makes the directory at guest path p the working directory,
// recording its resolved path.
func (t *Thread) chdirTo(p string) error {
	fd, err := t.proc.k.root.OpenFile(p, unix.O_PATH|unix.O_DIRECTORY)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	real, err := t.proc.k.root.GuestPath(fd)
	if err != nil {
		return err
	}
	t.proc.cwdMu.Lock()
	t.proc.cwd = real
	t.proc.cwdMu.Unlock()
	return nil
}

func sysChdir(t *Thread, a sysArgs) (uint64, error) {
	p, err := t.pathArg(atFDCWD, a[0])
	if err != nil {
		return 0, err
	}
	return 0, t.chdirTo(p)
}

func sysFchdir(t *Thread, a sysArgs) (uint64, error) {
	return withFile(t, a[0], func(of *openFile) (uint64, error) {
		h, ok := of.file.(*hostFile)
		if !ok || !h.dir {
			return 0, unix.ENOTDIR
		}
		return 0, t.chdirTo(h.path)
	})
}

func sysUmask(t *Thread, a sysArgs) (uint64, error) {
	return uint64(t.proc.umask.Swap(uint32(a[0] & 0o777))), nil
}
