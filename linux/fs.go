package linux

import (
	"fmt"
	"strings"

	"golang.org/x/sys/unix"

	"quartz/kernel/fs/devfs"
	"quartz/kernel/fs/hostfs"
	"quartz/kernel/fs/overlay"
	"quartz/kernel/fs/tmpfs"
	"quartz/kernel/vfs"
	"quartz/lib/vmio"
)

// Bind is a host directory mounted into the guest's tree
// (quartz run --mount HOST:GUEST[:ro]).
type Bind struct {
	Host, Guest string
	ReadOnly    bool
}

// ParseBind reads HOST:GUEST[:ro].
func ParseBind(s string) (Bind, error) {
	parts := strings.Split(s, ":")
	b := Bind{}
	switch {
	case len(parts) == 3 && parts[2] == "ro":
		b.ReadOnly = true
	case len(parts) == 3 && parts[2] == "rw":
	case len(parts) != 2:
		return b, fmt.Errorf("mount %q: want HOST:GUEST[:ro]", s)
	}
	b.Host, b.Guest = parts[0], parts[1]
	if b.Host == "" || !strings.HasPrefix(b.Guest, "/") {
		return b, fmt.Errorf("mount %q: want HOST:GUEST[:ro] with an absolute GUEST", s)
	}
	return b, nil
}

// buildNamespace makes the guest's file tree: the host directory root,
// read-only, under a tmpfs that takes every change (an overlay, so the
// guest can write anywhere and the host is never touched); devfs on
// /dev (with the host's /dev/pts, read-only), a fresh tmpfs on /dev/shm,
// procfs on /proc, and the binds.
func (k *Kernel) buildNamespace(hostRoot string, binds []Bind) error {
	lower, err := hostfs.New(hostRoot, true, k.frames)
	if err != nil {
		return err
	}
	k.hostFS = append(k.hostFS, lower)
	upper := tmpfs.New(k.frames, 0o755)
	root := overlay.New(upper.Root(), lower.Root())
	k.ns = vfs.NewNamespace(root.Root(), "overlay", "overlay")

	if err := k.mountAt("/dev", devfs.New(k.console()).Root(), "devtmpfs", "devtmpfs", false); err != nil {
		return err
	}
	if err := k.mountAt("/dev/shm", tmpfs.New(k.frames, 0o1777).Root(), "tmpfs", "tmpfs", false); err != nil {
		return err
	}
	// The guest's terminal is the host's: its /dev/pts names it (ttyname
	// finds the guest's standard descriptors there), read-only.
	if pts, err := hostfs.New("/dev/pts", true, k.frames); err == nil {
		k.hostFS = append(k.hostFS, pts)
		if err := k.mountAt("/dev/pts", pts.Root(), "devpts", "devpts", true); err != nil {
			return err
		}
	}
	if err := k.mountProc(); err != nil {
		return err
	}
	for _, b := range binds {
		fs, err := hostfs.New(b.Host, b.ReadOnly, k.frames)
		if err != nil {
			return err
		}
		k.hostFS = append(k.hostFS, fs)
		if err := k.mountAt(b.Guest, fs.Root(), "hostfs", b.Host, b.ReadOnly); err != nil {
			return fmt.Errorf("mount %s: %w", b.Guest, err)
		}
	}
	return nil
}

// mountAt mounts a file system on the guest directory dir, making the
// directory (in the overlay's upper layer) when it does not exist.
func (k *Kernel) mountAt(dir string, fsRoot vfs.Dir, fstype, source string, readOnly bool) error {
	r := k.ns.Root()
	p, err := k.ns.Walk(r, r, dir, vfs.Follow|vfs.Directory)
	if err == unix.ENOENT {
		if err = k.mkdirAll(dir); err == nil {
			p, err = k.ns.Walk(r, r, dir, vfs.Follow|vfs.Directory)
		}
	}
	if err != nil {
		return err
	}
	_, err = k.ns.Mount(p, fsRoot, fstype, source, readOnly)
	return err
}

func (k *Kernel) mkdirAll(dir string) error {
	r := k.ns.Root()
	cur := r
	for _, part := range strings.Split(strings.Trim(dir, "/"), "/") {
		if part == "" {
			continue
		}
		next, err := k.ns.Walk(r, cur, part, vfs.Follow|vfs.Directory)
		if err == unix.ENOENT {
			d, ok := cur.Inode().(vfs.Dir)
			if !ok {
				return unix.ENOTDIR
			}
			if _, err = d.Mkdir(part, 0o755); err != nil {
				return err
			}
			next, err = k.ns.Walk(r, cur, part, vfs.Follow|vfs.Directory)
		}
		if err != nil {
			return err
		}
		cur = next
	}
	return nil
}

// console is the terminal of /dev/tty: the host terminal on standard
// input, if it is one.
func (k *Kernel) console() devfs.Console {
	f := k.stdio[0]
	if f == nil {
		return nil
	}
	if _, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS); err != nil {
		return nil
	}
	fd, err := unix.FcntlInt(f.Fd(), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		return nil
	}
	return &hostConsole{newHostFile(fd)}
}

// hostConsole is the host terminal as devfs's Console.
type hostConsole struct{ *hostFile }

func (c *hostConsole) Read(dst *vmio.Writer, cancel vfs.Canceler) (uint64, error) {
	return c.hostFile.Read(dst, 0, cancel)
}

func (c *hostConsole) Write(src *vmio.Reader) (uint64, error) {
	return c.hostFile.Write(src, 0, nil)
}

// TGID and TID make a thread the vfs.Task of its walks (procfs's self).
func (t *Thread) TGID() int { return t.proc.pid }
func (t *Thread) TID() int  { return t.tid }

// startDir is where a relative path at dirfd starts: the working
// directory for AT_FDCWD, else the directory open at dirfd.
func (t *Thread) startDir(dirfd uint64) (vfs.Path, error) {
	if int32(dirfd) == unix.AT_FDCWD {
		return t.proc.workingDir(), nil
	}
	of, err := t.proc.fds.get(dirfd)
	if err != nil {
		return vfs.Path{}, err
	}
	defer of.put()
	if _, ok := of.inode.(vfs.Dir); !ok || of.path.Mount == nil {
		return vfs.Path{}, unix.ENOTDIR
	}
	return of.path, nil
}

// lookup resolves a path name relative to dirfd.
func (t *Thread) lookup(dirfd uint64, name string, flags vfs.WalkFlags) (vfs.Path, error) {
	if name == "" {
		return vfs.Path{}, unix.ENOENT
	}
	start := vfs.Path{}
	if !strings.HasPrefix(name, "/") {
		var err error
		if start, err = t.startDir(dirfd); err != nil {
			return vfs.Path{}, err
		}
	}
	ns := t.proc.k.ns
	return ns.WalkAs(t, ns.Root(), start, name, flags)
}

// lookupParent resolves all but the last component of name.
func (t *Thread) lookupParent(dirfd uint64, name string) (vfs.Path, string, error) {
	if name == "" {
		return vfs.Path{}, "", unix.ENOENT
	}
	start := vfs.Path{}
	if !strings.HasPrefix(name, "/") {
		var err error
		if start, err = t.startDir(dirfd); err != nil {
			return vfs.Path{}, "", err
		}
	}
	ns := t.proc.k.ns
	return ns.WalkParentAs(t, ns.Root(), start, name)
}

// pathAt reads a path argument and resolves it relative to dirfd.
func (t *Thread) pathAt(dirfd, addr uint64, flags vfs.WalkFlags) (vfs.Path, error) {
	name, err := t.readPath(addr)
	if err != nil {
		return vfs.Path{}, err
	}
	return t.lookup(dirfd, name, flags)
}

// pathName is the guest's absolute name of p.
func (k *Kernel) pathName(p vfs.Path) string { return k.ns.PathName(p, k.ns.Root()) }

// workingDir returns the process's working directory.
func (p *Process) workingDir() vfs.Path {
	p.cwdMu.Lock()
	defer p.cwdMu.Unlock()
	return p.cwd
}

// readOnlyMount reports a write to a read-only mount (EROFS).
func readOnlyMount(p vfs.Path) error {
	if p.Mount != nil && p.Mount.ReadOnly {
		return unix.EROFS
	}
	return nil
}
