package linux

import (
	"golang.org/x/sys/unix"

	"quartz/kernel/vfs"
)

func init() {
	register(unix.SYS_STATFS, sysStatfs)
	register(unix.SYS_FSTATFS, sysFstatfs)
}

// The f_type magic numbers of the file systems Quartz mounts.
var fsMagic = map[string]int64{
	"tmpfs":    unix.TMPFS_MAGIC,
	"devtmpfs": unix.TMPFS_MAGIC,
	"proc":     unix.PROC_SUPER_MAGIC,
	"overlay":  unix.OVERLAYFS_SUPER_MAGIC,
	"devpts":   unix.DEVPTS_SUPER_MAGIC,
}

// statfsOf describes the file system of the mount m.
func (k *Kernel) statfsOf(m *vfs.Mount) unix.Statfs_t {
	var st unix.Statfs_t
	if m.FSType == "hostfs" {
		if unix.Statfs(m.Source, &st) == nil {
			if m.ReadOnly {
				st.Flags |= unix.ST_RDONLY
			}
			return st
		}
	}
	// Memory file systems: the kernel's RAM is their space.
	const bsize = 4096
	total := k.frames.Memory().Size() / bsize
	free := total - k.frames.Used()
	st = unix.Statfs_t{
		Type: fsMagic[m.FSType], Bsize: bsize, Frsize: bsize, Namelen: 255,
		Blocks: total, Bfree: free, Bavail: free, Files: total, Ffree: free,
		Flags: unix.ST_NOSUID | unix.ST_NODEV,
	}
	if m.ReadOnly {
		st.Flags |= unix.ST_RDONLY
	}
	return st
}

func sysStatfs(t *Thread, a sysArgs) (uint64, error) {
	p, err := t.pathAt(atFDCWD, a[0], vfs.Follow)
	if err != nil {
		return 0, err
	}
	st := t.proc.k.statfsOf(p.Mount)
	return 0, writeStruct(t, a[1], &st)
}

func sysFstatfs(t *Thread, a sysArgs) (uint64, error) {
	return withFile(t, a[0], func(of *openFile) (uint64, error) {
		m := of.path.Mount
		if m == nil {
			// Pipes and anonymous files live on Linux's pipefs and
			// anon_inodefs.
			st := unix.Statfs_t{Type: unix.PIPEFS_MAGIC, Bsize: 4096, Frsize: 4096, Namelen: 255}
			return 0, writeStruct(t, a[1], &st)
		}
		st := t.proc.k.statfsOf(m)
		return 0, writeStruct(t, a[1], &st)
	})
}
