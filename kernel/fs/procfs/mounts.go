package procfs

import (
	"fmt"

	"quartz/kernel/vfs"
)

// fmtMounts is /proc/<pid>/mounts: Linux's show_vfsmnt lines,
// "source dir type options 0 0".
func fmtMounts(ms []MountEntry) []byte {
	var b []byte
	for _, m := range ms {
		b = mangle(b, m.Source)
		b = append(b, ' ')
		b = mangle(b, m.Dir)
		b = append(b, ' ')
		b = mangle(b, m.FSType)
		if m.ReadOnly {
			b = append(b, " ro"...)
		} else {
			b = append(b, " rw"...)
		}
		if m.Options != "" {
			b = append(b, ',')
			b = append(b, m.Options...)
		}
		b = append(b, " 0 0\n"...)
	}
	return b
}

// mangle escapes what would break a mounts line's fields (space, tab,
// newline, backslash, and '#' which starts a comment in fstab) as octal
// "\ooo", as Linux does.
func mangle(b []byte, s string) []byte {
	if s == "" {
		return append(b, "none"...)
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case ' ', '\t', '\n', '\\', '#':
			b = fmt.Appendf(b, "\\%03o", c)
		default:
			b = append(b, c)
		}
	}
	return b
}

// NamespaceMounts lists the mounts of ns as MountEntry values, parents
// first, with mount points named as seen from root (a process's "/"),
// for a Provider's Process.Mounts. Linux leaves out mounts a chroot'ed
// process cannot reach; vfs.Namespace does not say which those are, so
// they are named from the name space's root instead.
func NamespaceMounts(ns *vfs.Namespace, root vfs.Path) []MountEntry {
	var out []MountEntry
	for _, m := range ns.Mounts() {
		at := vfs.Path{Mount: m, Dentry: &vfs.Dentry{Name: "/", Inode: m.Root}}
		out = append(out, MountEntry{Source: m.Source, Dir: ns.PathName(at, root), FSType: m.FSType, ReadOnly: m.ReadOnly})
	}
	return out
}
