package linux

import (
	"golang.org/x/sys/unix"
)

func init() {
	register(unix.SYS_GETRESUID, sysGetresuid)
	register(unix.SYS_GETRESGID, sysGetresgid)
	register(unix.SYS_GETGROUPS, sysGetgroups)
	register(unix.SYS_SETUID, sysSetuid)
	register(unix.SYS_SETGID, sysSetgid)
	register(unix.SYS_SETREUID, sysSetreuid)
	register(unix.SYS_SETREGID, sysSetregid)
	register(unix.SYS_SETRESUID, sysSetresuid)
	register(unix.SYS_SETRESGID, sysSetresgid)
	register(unix.SYS_SETFSUID, sysSetfsuid)
	register(unix.SYS_SETFSGID, sysSetfsgid)
	register(unix.SYS_SETGROUPS, sysSetgroups)
}

// Quartz has one user: every process has the identity Quartz runs with
// (real, effective, saved and filesystem ids alike), and it cannot
// change. Setting an id to the one it has (or -1, "unchanged")
// succeeds; anything else is EPERM, as for a user without CAP_SETUID.

func writeIDs(t *Thread, addrs []uint64, id uint32) error {
	for _, a := range addrs {
		if err := t.writeUint32(a, id); err != nil {
			return err
		}
	}
	return nil
}

func sysGetresuid(t *Thread, a sysArgs) (uint64, error) {
	return 0, writeIDs(t, a[:3], uint32(unix.Getuid()))
}

func sysGetresgid(t *Thread, a sysArgs) (uint64, error) {
	return 0, writeIDs(t, a[:3], uint32(unix.Getgid()))
}

// sysGetgroups reports the supplementary groups Quartz runs with.
func sysGetgroups(t *Thread, a sysArgs) (uint64, error) {
	size := int(int32(a[0]))
	if size < 0 {
		return 0, unix.EINVAL
	}
	groups, err := unix.Getgroups()
	if err != nil {
		return 0, err
	}
	if size == 0 {
		return uint64(len(groups)), nil
	}
	if size < len(groups) {
		return 0, unix.EINVAL
	}
	for i, g := range groups {
		if err := t.writeUint32(a[1]+uint64(4*i), uint32(g)); err != nil {
			return 0, err
		}
	}
	return uint64(len(groups)), nil
}

// sameIDs checks that every id argument is the current id or -1.
func sameIDs(args []uint64, id int) error {
	for _, v := range args {
		if int32(v) != -1 && int(uint32(v)) != id {
			return unix.EPERM
		}
	}
	return nil
}

func sysSetuid(t *Thread, a sysArgs) (uint64, error) {
	if int32(a[0]) == -1 {
		return 0, unix.EINVAL
	}
	return 0, sameIDs(a[:1], unix.Getuid())
}

func sysSetgid(t *Thread, a sysArgs) (uint64, error) {
	if int32(a[0]) == -1 {
		return 0, unix.EINVAL
	}
	return 0, sameIDs(a[:1], unix.Getgid())
}

func sysSetreuid(t *Thread, a sysArgs) (uint64, error)  { return 0, sameIDs(a[:2], unix.Getuid()) }
func sysSetregid(t *Thread, a sysArgs) (uint64, error)  { return 0, sameIDs(a[:2], unix.Getgid()) }
func sysSetresuid(t *Thread, a sysArgs) (uint64, error) { return 0, sameIDs(a[:3], unix.Getuid()) }
func sysSetresgid(t *Thread, a sysArgs) (uint64, error) { return 0, sameIDs(a[:3], unix.Getgid()) }

// setfsuid and setfsgid return the previous id whatever happens.
func sysSetfsuid(t *Thread, a sysArgs) (uint64, error) { return uint64(unix.Getuid()), nil }
func sysSetfsgid(t *Thread, a sysArgs) (uint64, error) { return uint64(unix.Getgid()), nil }

func sysSetgroups(t *Thread, a sysArgs) (uint64, error) {
	if int32(a[0]) < 0 || a[0] > 65536 {
		return 0, unix.EINVAL
	}
	return 0, unix.EPERM
}
