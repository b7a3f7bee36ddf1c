package linux

import (
	"golang.org/x/sys/unix"

	"quartz/kernel/vfs"
)

// Extended attributes: Quartz's file systems keep none. Reads find no
// attribute (ENODATA), lists are empty, and setting one is not supported
// (EOPNOTSUPP), as on a file system mounted without xattr support. The
// path is resolved first, so a missing file is ENOENT as on Linux.
func init() {
	for _, nr := range []uintptr{unix.SYS_GETXATTR, unix.SYS_LGETXATTR} {
		register(nr, xattrOnPath(nr == unix.SYS_GETXATTR, unix.ENODATA))
	}
	for _, nr := range []uintptr{unix.SYS_LISTXATTR, unix.SYS_LLISTXATTR} {
		register(nr, xattrOnPath(nr == unix.SYS_LISTXATTR, nil))
	}
	for _, nr := range []uintptr{unix.SYS_SETXATTR, unix.SYS_LSETXATTR} {
		register(nr, xattrOnPath(nr == unix.SYS_SETXATTR, unix.EOPNOTSUPP))
	}
	for _, nr := range []uintptr{unix.SYS_REMOVEXATTR, unix.SYS_LREMOVEXATTR} {
		register(nr, xattrOnPath(nr == unix.SYS_REMOVEXATTR, unix.ENODATA))
	}
	register(unix.SYS_FGETXATTR, xattrOnFD(unix.ENODATA))
	register(unix.SYS_FLISTXATTR, xattrOnFD(nil))
	register(unix.SYS_FSETXATTR, xattrOnFD(unix.EOPNOTSUPP))
	register(unix.SYS_FREMOVEXATTR, xattrOnFD(unix.ENODATA))
}

func xattrOnPath(follow bool, answer error) sysFunc {
	return func(t *Thread, a sysArgs) (uint64, error) {
		flags := vfs.WalkFlags(0)
		if follow {
			flags = vfs.Follow
		}
		if _, err := t.pathAt(atFDCWD, a[0], flags); err != nil {
			return 0, err
		}
		return 0, answer
	}
}

func xattrOnFD(answer error) sysFunc {
	return func(t *Thread, a sysArgs) (uint64, error) {
		return withFile(t, a[0], func(of *openFile) (uint64, error) { return 0, answer })
	}
}
