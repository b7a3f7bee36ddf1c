package linux

import (
	"strconv"
	"strings"

	"golang.org/x/sys/unix"

	"quartz/kernel/fs/tmpfs"
	"quartz/kernel/vfs"
)

func init() {
	register(unix.SYS_MOUNT, sysMount)
	register(unix.SYS_UMOUNT2, sysUmount2)
}

// sysMount mounts a new tmpfs (the only file system a guest can make);
// other types are ENODEV, and bind mounts and remounts are not supported
// (EINVAL). Like Linux, it needs privilege (EPERM for other users).
func sysMount(t *Thread, a sysArgs) (uint64, error) {
	if unix.Geteuid() != 0 {
		return 0, unix.EPERM
	}
	target, err := t.pathAt(atFDCWD, a[1], vfs.Follow|vfs.Directory)
	if err != nil {
		return 0, err
	}
	flags := a[3]
	if flags&(unix.MS_REMOUNT|unix.MS_BIND|unix.MS_MOVE|unix.MS_SHARED|unix.MS_PRIVATE|unix.MS_SLAVE|unix.MS_UNBINDABLE) != 0 {
		return 0, unix.EINVAL
	}
	fstype, err := t.readPath(a[2])
	if err != nil {
		return 0, err
	}
	if fstype != "tmpfs" {
		return 0, unix.ENODEV
	}
	source, err := t.readPath(a[0])
	if err != nil {
		source = "none"
	}
	mode := uint32(0o1777)
	if a[4] != 0 {
		opts, err := t.proc.mm.ReadString(a[4], 4096)
		if err != nil {
			return 0, unix.EFAULT
		}
		for _, opt := range strings.Split(opts, ",") {
			if v, ok := strings.CutPrefix(opt, "mode="); ok {
				m, err := strconv.ParseUint(v, 8, 32)
				if err != nil {
					return 0, unix.EINVAL
				}
				mode = uint32(m) & 0o7777
			}
		}
	}
	k := t.proc.k
	_, err = k.ns.Mount(target, tmpfs.New(k.frames, mode).Root(), "tmpfs", source, flags&unix.MS_RDONLY != 0)
	return 0, err
}

// sysUmount2 detaches a mount: EINVAL when the path is not a mount's
// root, EBUSY while a process works in it or has a file open there
// (unless MNT_DETACH).
func sysUmount2(t *Thread, a sysArgs) (uint64, error) {
	flags := a[1]
	if flags&^(unix.MNT_FORCE|unix.MNT_DETACH|unix.MNT_EXPIRE|unix.UMOUNT_NOFOLLOW) != 0 {
		return 0, unix.EINVAL
	}
	if unix.Geteuid() != 0 {
		return 0, unix.EPERM
	}
	wflags := vfs.Follow
	if flags&unix.UMOUNT_NOFOLLOW != 0 {
		wflags = 0
	}
	p, err := t.pathAt(atFDCWD, a[0], wflags)
	if err != nil {
		return 0, err
	}
	k := t.proc.k
	if p.Dentry.Parent != nil || p.Mount == k.ns.Root().Mount {
		return 0, unix.EINVAL
	}
	if flags&unix.MNT_DETACH == 0 && k.mountBusy(p.Mount) {
		return 0, unix.EBUSY
	}
	return 0, k.ns.Unmount(p)
}

// mountBusy reports whether a process has its working directory or an
// open file in m.
func (k *Kernel) mountBusy(m *vfs.Mount) bool {
	k.tree.mu.Lock()
	procs := make([]*Process, 0, len(k.tree.procs))
	for _, p := range k.tree.procs {
		procs = append(procs, p)
	}
	k.tree.mu.Unlock()
	for _, p := range procs {
		if p.workingDir().Mount == m {
			return true
		}
		tab := procProcess{p}.table()
		if tab == nil {
			continue
		}
		tab.mu.Lock()
		for _, e := range tab.files {
			if e.of != nil && e.of.path.Mount == m {
				tab.mu.Unlock()
				return true
			}
		}
		tab.mu.Unlock()
	}
	return false
}
