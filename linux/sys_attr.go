package linux

import (
	"time"

	"golang.org/x/sys/unix"

	"quartz/kernel/vfs"
)

// The calls that change attributes and sizes, and sync.
func init() {
	register(unix.SYS_CHMOD, sysChmod)
	register(unix.SYS_FCHMOD, sysFchmod)
	register(unix.SYS_FCHMODAT, sysFchmodat)
	register(unix.SYS_CHOWN, sysChown)
	register(unix.SYS_LCHOWN, sysLchown)
	register(unix.SYS_FCHOWN, sysFchown)
	register(unix.SYS_FCHOWNAT, sysFchownat)
	register(unix.SYS_UTIMENSAT, sysUtimensat)
	register(unix.SYS_UTIMES, sysUtimes)
	register(unix.SYS_FUTIMESAT, sysFutimesat)
	register(unix.SYS_UTIME, sysUtime)
	register(unix.SYS_TRUNCATE, sysTruncate)
	register(unix.SYS_FTRUNCATE, sysFtruncate)
	register(unix.SYS_FALLOCATE, sysFallocate)
	register(unix.SYS_FSYNC, sysFsync)
	register(unix.SYS_FDATASYNC, sysFsync)
	register(unix.SYS_SYNC, sysSync)
	register(unix.SYS_SYNCFS, sysSyncfs)
	register(unix.SYS_SYNC_FILE_RANGE, sysSyncFileRange)
}

// setAttrAt applies a to what (dirfd, path, flags) names, on a writable
// mount.
func (t *Thread) setAttrAt(dirfd, addr, flags uint64, a vfs.Attr) error {
	p, of, err := t.atPath(dirfd, addr, flags, true)
	if err != nil {
		return err
	}
	in := p.Inode()
	if of != nil {
		defer of.put()
		in = of.inode
	}
	return setAttr(p, in, a)
}

func setAttr(p vfs.Path, in vfs.Inode, a vfs.Attr) error {
	if err := readOnlyMount(p); err != nil {
		return err
	}
	if unix.Geteuid() != 0 && (a.Mode != nil || a.UID != nil || a.GID != nil) {
		st, err := in.Stat()
		if err != nil {
			return err
		}
		if st.UID != uint32(unix.Geteuid()) {
			return unix.EPERM
		}
	}
	return in.SetAttr(a)
}

// withFileAttr applies a to the file open at fd.
func withFileAttr(t *Thread, fd uint64, a vfs.Attr) (uint64, error) {
	return withFile(t, fd, func(of *openFile) (uint64, error) {
		if isPath(of) {
			return 0, unix.EBADF
		}
		return 0, setAttr(of.path, of.inode, a)
	})
}

func modeAttr(mode uint64) vfs.Attr {
	m := uint32(mode) & 0o7777
	return vfs.Attr{Mode: &m}
}

func sysChmod(t *Thread, a sysArgs) (uint64, error) {
	return 0, t.setAttrAt(atFDCWD, a[0], 0, modeAttr(a[1]))
}

func sysFchmod(t *Thread, a sysArgs) (uint64, error) {
	return withFileAttr(t, a[0], modeAttr(a[1]))
}

func sysFchmodat(t *Thread, a sysArgs) (uint64, error) {
	return 0, t.setAttrAt(a[0], a[1], 0, modeAttr(a[2]))
}

// ownerAttr turns chown's (uid, gid) into an Attr: -1 leaves one alone.
func ownerAttr(uid, gid uint64) vfs.Attr {
	var a vfs.Attr
	if u := uint32(uid); u != ^uint32(0) {
		a.UID = &u
	}
	if g := uint32(gid); g != ^uint32(0) {
		a.GID = &g
	}
	return a
}

func sysChown(t *Thread, a sysArgs) (uint64, error) {
	return 0, t.setAttrAt(atFDCWD, a[0], 0, ownerAttr(a[1], a[2]))
}

func sysLchown(t *Thread, a sysArgs) (uint64, error) {
	return 0, t.setAttrAt(atFDCWD, a[0], unix.AT_SYMLINK_NOFOLLOW, ownerAttr(a[1], a[2]))
}

func sysFchown(t *Thread, a sysArgs) (uint64, error) {
	return withFileAttr(t, a[0], ownerAttr(a[1], a[2]))
}

func sysFchownat(t *Thread, a sysArgs) (uint64, error) {
	if a[4]&^(unix.AT_SYMLINK_NOFOLLOW|unix.AT_EMPTY_PATH) != 0 {
		return 0, unix.EINVAL
	}
	return 0, t.setAttrAt(a[0], a[1], a[4], ownerAttr(a[2], a[3]))
}

// utimeOmit and utimeNow are utimensat's special tv_nsec values.
const (
	utimeNow  = (1 << 30) - 1
	utimeOmit = (1 << 30) - 2
)

// timesAttr reads utimensat's pair of timespecs (NULL: both now).
func (t *Thread) timesAttr(addr uint64) (vfs.Attr, error) {
	now := time.Now()
	if addr == 0 {
		return vfs.Attr{Atime: &now, Mtime: &now}, nil
	}
	var ts [2]unix.Timespec
	if err := readStruct(t, addr, &ts); err != nil {
		return vfs.Attr{}, err
	}
	var out [2]*time.Time
	for i, x := range ts {
		switch x.Nsec {
		case utimeOmit:
		case utimeNow:
			out[i] = &now
		default:
			if x.Nsec < 0 || x.Nsec >= 1e9 {
				return vfs.Attr{}, unix.EINVAL
			}
			v := time.Unix(x.Sec, x.Nsec)
			out[i] = &v
		}
	}
	return vfs.Attr{Atime: out[0], Mtime: out[1]}, nil
}

func sysUtimensat(t *Thread, a sysArgs) (uint64, error) {
	if a[3]&^(unix.AT_SYMLINK_NOFOLLOW|unix.AT_EMPTY_PATH) != 0 {
		return 0, unix.EINVAL
	}
	attr, err := t.timesAttr(a[2])
	if err != nil {
		return 0, err
	}
	if a[1] == 0 { // futimens: the path NULL names dirfd itself
		return withFileAttr(t, a[0], attr)
	}
	return 0, t.setAttrAt(a[0], a[1], a[3], attr)
}

// timevalsAttr reads utimes' pair of timevals (NULL: both now).
func (t *Thread) timevalsAttr(addr uint64) (vfs.Attr, error) {
	now := time.Now()
	if addr == 0 {
		return vfs.Attr{Atime: &now, Mtime: &now}, nil
	}
	var tv [2]unix.Timeval
	if err := readStruct(t, addr, &tv); err != nil {
		return vfs.Attr{}, err
	}
	var out [2]time.Time
	for i, x := range tv {
		if x.Usec < 0 || x.Usec >= 1e6 {
			return vfs.Attr{}, unix.EINVAL
		}
		out[i] = time.Unix(x.Sec, x.Usec*1000)
	}
	return vfs.Attr{Atime: &out[0], Mtime: &out[1]}, nil
}

func sysUtimes(t *Thread, a sysArgs) (uint64, error) {
	return sysFutimesat(t, sysArgs{atFDCWD, a[0], a[1]})
}

func sysFutimesat(t *Thread, a sysArgs) (uint64, error) {
	attr, err := t.timevalsAttr(a[2])
	if err != nil {
		return 0, err
	}
	return 0, t.setAttrAt(a[0], a[1], 0, attr)
}

func sysUtime(t *Thread, a sysArgs) (uint64, error) {
	now := time.Now()
	attr := vfs.Attr{Atime: &now, Mtime: &now}
	if a[1] != 0 {
		var ut [2]int64 // struct utimbuf: actime, modtime
		if err := readStruct(t, a[1], &ut); err != nil {
			return 0, err
		}
		at, mt := time.Unix(ut[0], 0), time.Unix(ut[1], 0)
		attr = vfs.Attr{Atime: &at, Mtime: &mt}
	}
	return 0, t.setAttrAt(atFDCWD, a[0], 0, attr)
}

// truncateTo sets a regular file's size, with truncate's errors.
func truncateTo(p vfs.Path, in vfs.Inode, size int64) error {
	if size < 0 {
		return unix.EINVAL
	}
	st, err := in.Stat()
	if err != nil {
		return err
	}
	switch vfs.Type(st.Mode) {
	case unix.S_IFDIR:
		return unix.EISDIR
	case unix.S_IFREG:
	default:
		return unix.EINVAL
	}
	if err := readOnlyMount(p); err != nil {
		return err
	}
	return in.SetAttr(vfs.Attr{Size: &size})
}

func sysTruncate(t *Thread, a sysArgs) (uint64, error) {
	p, err := t.pathAt(atFDCWD, a[0], vfs.Follow)
	if err != nil {
		return 0, err
	}
	st, err := p.Inode().Stat()
	if err != nil {
		return 0, err
	}
	if err := permitted(st, unix.W_OK); err != nil {
		return 0, err
	}
	return 0, truncateTo(p, p.Inode(), int64(a[1]))
}

func sysFtruncate(t *Thread, a sysArgs) (uint64, error) {
	return withFile(t, a[0], func(of *openFile) (uint64, error) {
		if int64(a[1]) < 0 {
			return 0, unix.EINVAL
		}
		if writable(of) != nil || of.path.Mount == nil {
			return 0, unix.EINVAL
		}
		return 0, truncateTo(of.path, of.inode, int64(a[1]))
	})
}

// sysFallocate grows a file to cover the range (mode 0 and
// FALLOC_FL_KEEP_SIZE); memory-backed files have no blocks to reserve,
// so the other modes are EOPNOTSUPP.
func sysFallocate(t *Thread, a sysArgs) (uint64, error) {
	mode, off, length := a[1], int64(a[2]), int64(a[3])
	return withFile(t, a[0], func(of *openFile) (uint64, error) {
		if off < 0 || length <= 0 {
			return 0, unix.EINVAL
		}
		if writable(of) != nil {
			return 0, unix.EBADF
		}
		if mode&^unix.FALLOC_FL_KEEP_SIZE != 0 {
			return 0, unix.EOPNOTSUPP
		}
		st, err := of.inode.Stat()
		if err != nil {
			return 0, err
		}
		switch vfs.Type(st.Mode) {
		case unix.S_IFREG:
		case unix.S_IFDIR:
			return 0, unix.EISDIR
		case unix.S_IFIFO:
			return 0, unix.ESPIPE
		default:
			return 0, unix.ENODEV
		}
		if off+length < off {
			return 0, unix.EFBIG
		}
		if end := off + length; mode == 0 && end > st.Size {
			return 0, truncateTo(of.path, of.inode, end)
		}
		return 0, nil
	})
}

// syncInode writes back what a file system keeps in memory for the
// inode (hostfs mounted read-write; nothing for memory file systems).
func syncInode(in vfs.Inode) error {
	if s, ok := in.(syncer); ok {
		return s.Sync()
	}
	return nil
}

func sysFsync(t *Thread, a sysArgs) (uint64, error) {
	return withFile(t, a[0], func(of *openFile) (uint64, error) {
		if isPath(of) {
			return 0, unix.EBADF
		}
		if of.path.Mount == nil {
			return 0, unix.EINVAL // pipes and the like
		}
		if s, ok := of.File.(syncer); ok {
			return 0, s.Sync()
		}
		return 0, syncInode(of.inode)
	})
}

func sysSyncFileRange(t *Thread, a sysArgs) (uint64, error) {
	if int64(a[1]) < 0 || int64(a[2]) < 0 || a[3]&^7 != 0 {
		return 0, unix.EINVAL
	}
	return sysFsync(t, a)
}

// sysSync writes back every host file system Quartz has mounted
// read-write.
func sysSync(t *Thread, a sysArgs) (uint64, error) {
	for _, fs := range t.proc.k.hostFS {
		fs.Sync()
	}
	return 0, nil
}

func sysSyncfs(t *Thread, a sysArgs) (uint64, error) {
	return withFile(t, a[0], func(of *openFile) (uint64, error) { return sysSync(t, a) })
}
