package linux

import (
	"golang.org/x/sys/unix"

	"quartz/hal"
	"quartz/kernel/mm"
	"quartz/kernel/vfs"
)

func init() {
	register(unix.SYS_BRK, sysBrk)
	register(unix.SYS_MMAP, sysMmap)
	register(unix.SYS_MUNMAP, sysMunmap)
	register(unix.SYS_MPROTECT, sysMprotect)
	register(unix.SYS_MADVISE, sysMadvise)
	register(unix.SYS_MREMAP, sysMremap)
	register(unix.SYS_MSYNC, sysMsync)
	register(unix.SYS_MINCORE, sysMincore)
}

func sysBrk(t *Thread, a sysArgs) (uint64, error) {
	return t.proc.mm.Brk(a[0]), nil
}

func permsOf(prot uint64) hal.Perms {
	var p hal.Perms
	if prot&unix.PROT_READ != 0 {
		p |= hal.PermRead
	}
	if prot&unix.PROT_WRITE != 0 {
		p |= hal.PermWrite | hal.PermRead // x86 cannot write without reading
	}
	if prot&unix.PROT_EXEC != 0 {
		p |= hal.PermExec | hal.PermRead
	}
	return p
}

const knownProt = unix.PROT_READ | unix.PROT_WRITE | unix.PROT_EXEC | unix.PROT_GROWSDOWN | unix.PROT_GROWSUP

func sysMmap(t *Thread, a sysArgs) (uint64, error) {
	addr, length, prot, flags, fd, off := a[0], a[1], a[2], a[3], a[4], a[5]
	if prot&^knownProt != 0 {
		return 0, unix.EINVAL
	}
	switch flags & unix.MAP_TYPE {
	case unix.MAP_SHARED, unix.MAP_PRIVATE, unix.MAP_SHARED_VALIDATE:
	default:
		return 0, unix.EINVAL
	}
	req := mm.Mapping{
		Addr:      addr,
		Length:    length,
		Perms:     permsOf(prot),
		Fixed:     flags&(unix.MAP_FIXED|unix.MAP_FIXED_NOREPLACE) != 0,
		NoReplace: flags&unix.MAP_FIXED_NOREPLACE != 0 && flags&unix.MAP_FIXED == 0,
		GrowsDown: flags&unix.MAP_GROWSDOWN != 0,
		Shared:    flags&unix.MAP_TYPE != unix.MAP_PRIVATE,
	}
	if flags&unix.MAP_ANONYMOUS == 0 && !t.isDevZero(fd) {
		if off&(hal.PageSize-1) != 0 {
			return 0, unix.EINVAL
		}
		of, err := t.proc.fds.get(fd)
		if err != nil {
			return 0, err
		}
		defer of.put()
		if isPath(of) {
			return 0, unix.EBADF
		}
		m, ok := of.inode.(vfs.Mappable)
		if !ok || of.path.Mount == nil {
			return 0, unix.ENODEV
		}
		mode := accessMode(of)
		if mode == unix.O_WRONLY ||
			(flags&unix.MAP_TYPE != unix.MAP_PRIVATE && prot&unix.PROT_WRITE != 0 && mode != unix.O_RDWR) {
			return 0, unix.EACCES
		}
		vmo := m.VMO()
		if vmo == nil {
			return 0, unix.ENODEV
		}
		st, err := of.inode.Stat()
		if err != nil {
			return 0, err
		}
		req.VMO = vmo
		req.Offset = off
		req.FileName, req.Dev, req.Ino = t.proc.k.pathName(of.path), st.Dev, st.Ino
	}
	got, err := t.proc.mm.Map(req)
	if err != nil {
		return 0, err
	}
	if flags&unix.MAP_POPULATE != 0 {
		t.proc.mm.Populate(got, length)
	}
	return got, nil
}

const (
	mremapMaymove   = 1
	mremapFixed     = 2
	mremapDontunmap = 4
)

func sysMremap(t *Thread, a sysArgs) (uint64, error) {
	old, oldLen, newLen, flags, newAddr := a[0], a[1], a[2], a[3], a[4]
	if flags&^(mremapMaymove|mremapFixed|mremapDontunmap) != 0 || flags&mremapDontunmap != 0 {
		// MREMAP_DONTUNMAP needs userfaultfd-style semantics Quartz lacks.
		return 0, unix.EINVAL
	}
	return t.proc.mm.Remap(old, oldLen, newLen, flags&mremapMaymove != 0, flags&mremapFixed != 0, newAddr)
}

func sysMsync(t *Thread, a sysArgs) (uint64, error) {
	flags := a[2]
	if flags&^(unix.MS_ASYNC|unix.MS_SYNC|unix.MS_INVALIDATE) != 0 ||
		flags&(unix.MS_ASYNC|unix.MS_SYNC) == unix.MS_ASYNC|unix.MS_SYNC {
		return 0, unix.EINVAL
	}
	if err := t.proc.mm.CheckMapped(a[0], a[1]); err != nil {
		return 0, err
	}
	// Shared mappings of memory file systems write the file itself;
	// host files mounted read-write have their cached pages written back.
	if flags&unix.MS_SYNC != 0 {
		for _, fs := range t.proc.k.hostFS {
			if !fs.ReadOnly() {
				if err := fs.Sync(); err != nil {
					return 0, unix.EIO
				}
			}
		}
	}
	return 0, nil
}

// isDevZero reports whether fd is /dev/zero, whose mappings are
// anonymous memory (shared between the processes that share the
// mapping, not between separate mmaps).
func (t *Thread) isDevZero(fd uint64) bool {
	of, err := t.proc.fds.get(fd)
	if err != nil {
		return false
	}
	defer of.put()
	st, err := of.inode.Stat()
	return err == nil && vfs.Type(st.Mode) == unix.S_IFCHR && st.Rdev == unix.Mkdev(1, 5)
}

func sysMincore(t *Thread, a sysArgs) (uint64, error) {
	res, err := t.proc.mm.Resident(a[0], a[1])
	if err != nil {
		return 0, err
	}
	vec := make([]byte, len(res))
	for i, r := range res {
		if r {
			vec[i] = 1
		}
	}
	return 0, t.copyOut(a[2], vec)
}

func sysMunmap(t *Thread, a sysArgs) (uint64, error) {
	return 0, t.proc.mm.Unmap(a[0], a[1])
}

func sysMprotect(t *Thread, a sysArgs) (uint64, error) {
	if a[2]&^knownProt != 0 {
		return 0, unix.EINVAL
	}
	return 0, t.proc.mm.Protect(a[0], a[1], permsOf(a[2]))
}

func sysMadvise(t *Thread, a sysArgs) (uint64, error) {
	if a[0]&(hal.PageSize-1) != 0 {
		return 0, unix.EINVAL
	}
	switch a[2] {
	case unix.MADV_DONTNEED:
		return 0, t.proc.mm.Discard(a[0], a[1])
	case unix.MADV_NORMAL, unix.MADV_RANDOM, unix.MADV_SEQUENTIAL, unix.MADV_WILLNEED,
		unix.MADV_FREE, unix.MADV_HUGEPAGE, unix.MADV_NOHUGEPAGE, unix.MADV_DONTFORK,
		unix.MADV_DOFORK, unix.MADV_DONTDUMP, unix.MADV_DODUMP, unix.MADV_MERGEABLE,
		unix.MADV_UNMERGEABLE, unix.MADV_COLD, unix.MADV_PAGEOUT, unix.MADV_COLLAPSE:
		// Advice about performance only: accepted, nothing to do.
		return 0, nil
	}
	return 0, unix.EINVAL
}
