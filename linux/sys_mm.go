package linux

import (
	"os"

	"golang.org/x/sys/unix"

	"quartz/hal"
	"quartz/kernel/mm"
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
	if flags&unix.MAP_ANONYMOUS == 0 {
		if off&(hal.PageSize-1) != 0 {
			return 0, unix.EINVAL
		}
		of, err := t.proc.fds.get(fd)
		if err != nil {
			return 0, err
		}
		defer of.put()
		h, ok := of.file.(*hostFile)
		if !ok || h.dir {
			return 0, unix.ENODEV
		}
		mode := accessMode(of)
		if mode == unix.O_WRONLY ||
			(flags&unix.MAP_TYPE != unix.MAP_PRIVATE && prot&unix.PROT_WRITE != 0 && mode != unix.O_RDWR) {
			return 0, unix.EACCES
		}
		dup, err := unix.FcntlInt(uintptr(h.fd), unix.F_DUPFD_CLOEXEC, 0)
		if err != nil {
			return 0, unix.ENOMEM
		}
		req.File = os.NewFile(uintptr(dup), "")
		req.Offset = off
		id := t.proc.k.fileIdentity(req.File.(*os.File))
		req.FileName, req.Dev, req.Ino = id.path, id.dev, id.ino
	}
	got, err := t.proc.mm.Map(req)
	if err != nil {
		if req.File != nil {
			req.File.Close()
		}
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
	// Mapped files are read-only or private so far: nothing to write back.
	return 0, t.proc.mm.CheckMapped(a[0], a[1])
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
