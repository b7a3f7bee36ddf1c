package hostfs

import (
	"encoding/binary"
	"runtime"
	"strings"

	"golang.org/x/sys/unix"

	"quartz/kernel/vfs"
)

// dir is a host directory.
type dir struct{ node }

func (d *dir) SetAttr(a vfs.Attr) error {
	if a.Size != nil {
		return unix.EISDIR
	}
	return d.setAttr(a)
}

// checkName accepts one path component; ".", ".." and the walk over
// several components are the VFS's.
func checkName(name string) error {
	switch {
	case name == "" || name == "." || name == ".." || strings.ContainsAny(name, "/\x00"):
		return unix.EINVAL
	case len(name) > 255:
		return unix.ENAMETOOLONG
	}
	return nil
}

// lookupHow opens one name beneath the directory, never following a link.
var lookupHow = unix.OpenHow{
	Flags:   unix.O_PATH | unix.O_NOFOLLOW | unix.O_CLOEXEC,
	Resolve: unix.RESOLVE_BENEATH | unix.RESOLVE_NO_MAGICLINKS,
}

func (d *dir) Lookup(name string) (vfs.Inode, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	how := lookupHow
	fd, err := unix.Openat2(d.fd, name, &how)
	runtime.KeepAlive(d)
	if err != nil {
		return nil, err
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		unix.Close(fd)
		return nil, err
	}
	return d.fs.inodeFor(fd, &st)
}

// readOnlyCreate is the error creating name in a read-only tree gets:
// EEXIST when the name exists (Linux checks that first), else EROFS.
func (d *dir) readOnlyCreate(name string) error {
	defer runtime.KeepAlive(d)
	var st unix.Stat_t
	if unix.Fstatat(d.fd, name, &st, unix.AT_SYMLINK_NOFOLLOW) == nil {
		return unix.EEXIST
	}
	return unix.EROFS
}

// created looks up a name just made and gives it exactly the permission
// bits asked for, undoing the host's umask.
func (d *dir) created(name string, perm uint32) (vfs.Inode, error) {
	in, err := d.Lookup(name)
	if err != nil {
		return nil, err
	}
	if perm&d.fs.umask != 0 {
		if err := in.(hostInode).hostNode().setAttr(vfs.Attr{Mode: &perm}); err != nil {
			return nil, err
		}
	}
	return in, nil
}

func (d *dir) Create(name string, mode uint32, rdev uint64) (vfs.Inode, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	typ := vfs.Type(mode)
	switch typ {
	case 0:
		typ = unix.S_IFREG
	case unix.S_IFREG, unix.S_IFIFO, unix.S_IFCHR, unix.S_IFBLK, unix.S_IFSOCK:
	default:
		return nil, unix.EINVAL
	}
	if d.fs.readOnly {
		return nil, d.readOnlyCreate(name)
	}
	perm := mode & 0o7777
	err := unix.Mknodat(d.fd, name, typ|perm, int(rdev))
	runtime.KeepAlive(d)
	if err != nil {
		return nil, err
	}
	return d.created(name, perm)
}

func (d *dir) Mkdir(name string, mode uint32) (vfs.Inode, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	if d.fs.readOnly {
		return nil, d.readOnlyCreate(name)
	}
	perm := mode & 0o7777
	err := unix.Mkdirat(d.fd, name, perm)
	runtime.KeepAlive(d)
	if err != nil {
		return nil, err
	}
	return d.created(name, perm)
}

func (d *dir) Symlink(name, target string) (vfs.Inode, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	if d.fs.readOnly {
		return nil, d.readOnlyCreate(name)
	}
	err := unix.Symlinkat(target, d.fd, name)
	runtime.KeepAlive(d)
	if err != nil {
		return nil, err
	}
	return d.Lookup(name)
}

func (d *dir) Link(name string, target vfs.Inode) error {
	defer runtime.KeepAlive(d)
	if err := checkName(name); err != nil {
		return err
	}
	h, ok := target.(hostInode)
	if !ok || h.hostNode().fs != d.fs {
		return unix.EXDEV
	}
	if _, isDir := target.(*dir); isDir {
		return unix.EPERM
	}
	if d.fs.readOnly {
		return d.readOnlyCreate(name)
	}
	// linkat(fd, "", AT_EMPTY_PATH) needs CAP_DAC_READ_SEARCH; the /proc
	// name of the descriptor does the same unprivileged, and reaches a
	// symbolic link itself rather than its target.
	t := h.hostNode()
	err := unix.Linkat(unix.AT_FDCWD, procPath(t.fd), d.fd, name, unix.AT_SYMLINK_FOLLOW)
	runtime.KeepAlive(t)
	return err
}

func (d *dir) Unlink(name string) error {
	defer runtime.KeepAlive(d)
	if err := checkName(name); err != nil {
		return err
	}
	if d.fs.readOnly {
		return unix.EROFS
	}
	return unix.Unlinkat(d.fd, name, 0)
}

func (d *dir) Rmdir(name string) error {
	defer runtime.KeepAlive(d)
	if err := checkName(name); err != nil {
		return err
	}
	if d.fs.readOnly {
		return unix.EROFS
	}
	return unix.Unlinkat(d.fd, name, unix.AT_REMOVEDIR)
}

const renameFlags = unix.RENAME_NOREPLACE | unix.RENAME_EXCHANGE

func (d *dir) Rename(oldName string, newDir vfs.Dir, newName string, flags uint32) error {
	defer runtime.KeepAlive(d)
	nd, ok := newDir.(*dir)
	if !ok || nd.fs != d.fs {
		return unix.EXDEV
	}
	defer runtime.KeepAlive(nd)
	if err := checkName(oldName); err != nil {
		return err
	}
	if err := checkName(newName); err != nil {
		return err
	}
	if flags&^renameFlags != 0 || flags == renameFlags {
		return unix.EINVAL
	}
	if d.fs.readOnly {
		return unix.EROFS
	}
	return unix.Renameat2(d.fd, oldName, nd.fd, newName, uint(flags))
}

// direntBuf is the getdents64 buffer size.
const direntBuf = 32 << 10

// ReadDir lists the host directory from position pos (0, or the Next of
// an entry listed before), all the way to its end. Positions are the
// host's d_off cookies, which stay valid while entries come and go, as
// telldir/seekdir require.
func (d *dir) ReadDir(pos int64) ([]vfs.Dirent, error) {
	dfd, err := unix.Openat(d.fd, ".", unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	runtime.KeepAlive(d)
	if err != nil {
		return nil, err
	}
	defer unix.Close(dfd)
	if pos != 0 {
		if _, err := unix.Seek(dfd, pos, 0); err != nil {
			return nil, err
		}
	}
	buf := make([]byte, direntBuf)
	var out []vfs.Dirent
	for {
		n, err := unix.Getdents(dfd, buf)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return nil, err
		}
		if n <= 0 {
			return out, nil
		}
		for b := buf[:n]; len(b) >= 19; {
			reclen := int(binary.NativeEndian.Uint16(b[16:]))
			if reclen < 19 || reclen > len(b) {
				return nil, unix.EIO
			}
			ent := b[:reclen]
			b = b[reclen:]
			name := ent[19:]
			if i := strings.IndexByte(string(name), 0); i >= 0 {
				name = name[:i]
			}
			if string(name) == "." || string(name) == ".." {
				continue
			}
			de := vfs.Dirent{
				Name: string(name),
				Ino:  binary.NativeEndian.Uint64(ent[0:]),
				Next: int64(binary.NativeEndian.Uint64(ent[8:])),
				Type: uint32(ent[18]) << 12, // DT_x << 12 is S_IFx
			}
			if ent[18] == unix.DT_UNKNOWN {
				var st unix.Stat_t
				if unix.Fstatat(dfd, de.Name, &st, unix.AT_SYMLINK_NOFOLLOW) == nil {
					de.Type = vfs.Type(st.Mode)
				}
			}
			out = append(out, de)
		}
	}
}

// Open of a directory gives a handle for getdents; its data is the
// listing, which ReadDir gives.
func (d *dir) Open(flags int) (vfs.File, error) {
	return vfs.OpenDir(flags)
}

var (
	_ vfs.Dir    = (*dir)(nil)
	_ vfs.Opener = (*dir)(nil)
)
