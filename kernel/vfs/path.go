package vfs

import (
	"strings"
	"sync"

	"golang.org/x/sys/unix"
)

// Dentry names an inode: a name in a parent directory, within a mount.
// Dentries are made by walks and not shared between them; what they name
// (inodes, mounts) is.
type Dentry struct {
	Name   string
	Inode  Inode
	Parent *Dentry // nil at the root of a mount
}

// Mount attaches a file system's root over a mount point.
type Mount struct {
	Root       Inode
	Source     string // what mounted, for /proc/mounts
	FSType     string
	ReadOnly   bool
	parent     *Mount
	mountpoint Path // in the parent mount
}

// Path is a dentry in a mount: a location in the name space.
type Path struct {
	Mount  *Mount
	Dentry *Dentry
}

// Inode is the inode the path names.
func (p Path) Inode() Inode { return p.Dentry.Inode }

// mountKey finds the mount on a directory of a mount.
type mountKey struct {
	parent *Mount
	dir    Inode
}

// Namespace is a tree of mounts.
type Namespace struct {
	mu     sync.RWMutex
	root   *Mount
	mounts map[mountKey][]*Mount // stacked: the last one is visible
}

// NewNamespace makes a name space whose root is the given file system
// root.
func NewNamespace(root Inode, fstype, source string) *Namespace {
	return &Namespace{
		root:   &Mount{Root: root, FSType: fstype, Source: source},
		mounts: make(map[mountKey][]*Mount),
	}
}

// Root is the path of "/".
func (ns *Namespace) Root() Path {
	return Path{Mount: ns.root, Dentry: &Dentry{Name: "/", Inode: ns.root.Root}}
}

// Mount attaches root over the directory at p.
func (ns *Namespace) Mount(p Path, root Inode, fstype, source string, readOnly bool) (*Mount, error) {
	if _, ok := p.Inode().(Dir); !ok {
		return nil, unix.ENOTDIR
	}
	m := &Mount{Root: root, FSType: fstype, Source: source, ReadOnly: readOnly, parent: p.Mount, mountpoint: p}
	ns.mu.Lock()
	defer ns.mu.Unlock()
	k := mountKey{p.Mount, p.Inode()}
	ns.mounts[k] = append(ns.mounts[k], m)
	return m, nil
}

// Unmount detaches the mount whose root p is (umount2). Busy checks are
// the caller's.
func (ns *Namespace) Unmount(p Path) error {
	if p.Dentry.Parent != nil || p.Mount.parent == nil {
		return unix.EINVAL // not a mount root, or the name space's root
	}
	ns.mu.Lock()
	defer ns.mu.Unlock()
	m := p.Mount
	k := mountKey{m.parent, m.mountpoint.Inode()}
	stack := ns.mounts[k]
	for i, x := range stack {
		if x == m {
			ns.mounts[k] = append(stack[:i:i], stack[i+1:]...)
			if len(ns.mounts[k]) == 0 {
				delete(ns.mounts, k)
			}
			return nil
		}
	}
	return unix.EINVAL
}

// Mounts lists every mount, parents before children.
func (ns *Namespace) Mounts() []*Mount {
	ns.mu.RLock()
	defer ns.mu.RUnlock()
	out := []*Mount{ns.root}
	for i := 0; i < len(out); i++ {
		for k, stack := range ns.mounts {
			if k.parent == out[i] {
				out = append(out, stack...)
			}
		}
	}
	return out
}

// crossMounts steps from a directory onto whatever is mounted on it.
func (ns *Namespace) crossMounts(p Path) Path {
	ns.mu.RLock()
	defer ns.mu.RUnlock()
	for {
		stack := ns.mounts[mountKey{p.Mount, p.Inode()}]
		if len(stack) == 0 {
			return p
		}
		m := stack[len(stack)-1]
		p = Path{Mount: m, Dentry: &Dentry{Name: p.Dentry.Name, Inode: m.Root}}
	}
}

// parent returns p's parent directory, leaving mounts upwards as needed;
// the root of the walk stays where it is.
func (ns *Namespace) parent(p, root Path) Path {
	for {
		if p.Mount == root.Mount && p.Inode() == root.Inode() {
			return p
		}
		if p.Dentry.Parent != nil {
			return Path{Mount: p.Mount, Dentry: p.Dentry.Parent}
		}
		if p.Mount.parent == nil {
			return p // the name space's root
		}
		p = p.Mount.mountpoint
	}
}

// maxSymlinks bounds symbolic links followed in one walk (Linux's 40).
const maxSymlinks = 40

// WalkFlags change a walk.
type WalkFlags int

const (
	// Follow makes a symbolic link in the last component be followed.
	Follow WalkFlags = 1 << iota
	// Directory requires the result to be a directory.
	Directory
)

// Walk resolves name, starting at cwd when it is relative, with root as
// the process's "/".
func (ns *Namespace) Walk(root, cwd Path, name string, flags WalkFlags) (Path, error) {
	return ns.WalkAs(nil, root, cwd, name, flags)
}

// WalkAs is Walk on behalf of a task: links whose target depends on the
// walker (TaskSymlink, MagicLink) are followed as that task sees them.
func (ns *Namespace) WalkAs(t Task, root, cwd Path, name string, flags WalkFlags) (Path, error) {
	links := 0
	return ns.walk(t, root, cwd, name, flags, &links)
}

func (ns *Namespace) walk(t Task, root, cwd Path, name string, flags WalkFlags, links *int) (Path, error) {
	if name == "" {
		return Path{}, unix.ENOENT
	}
	if len(name) >= unix.PathMax {
		return Path{}, unix.ENAMETOOLONG
	}
	p := cwd
	if strings.HasPrefix(name, "/") {
		p = root
	}
	trailingSlash := strings.HasSuffix(name, "/")
	parts := strings.Split(name, "/")
	for i, part := range parts {
		last := i == len(parts)-1 || (i == len(parts)-2 && parts[len(parts)-1] == "")
		switch {
		case part == "" || part == ".":
			if _, ok := p.Inode().(Dir); !ok {
				return Path{}, unix.ENOTDIR
			}
			continue
		case part == "..":
			if _, ok := p.Inode().(Dir); !ok {
				return Path{}, unix.ENOTDIR
			}
			p = ns.parent(p, root)
			continue
		case len(part) > 255:
			return Path{}, unix.ENAMETOOLONG
		}
		dir, ok := p.Inode().(Dir)
		if !ok {
			return Path{}, unix.ENOTDIR
		}
		child, err := dir.Lookup(part)
		if err != nil {
			return Path{}, err
		}
		next := ns.crossMounts(Path{Mount: p.Mount, Dentry: &Dentry{Name: part, Inode: child, Parent: p.Dentry}})
		if link, ok := next.Inode().(Symlink); ok && (!last || flags&Follow != 0 || trailingSlash) {
			*links++
			if *links > maxSymlinks {
				return Path{}, unix.ELOOP
			}
			var rest string
			if !last {
				rest = strings.Join(parts[i+1:], "/")
			} else if trailingSlash {
				rest = "."
			}
			if magic, ok := link.(MagicLink); ok && t != nil {
				to, err := magic.Follow(t)
				if err != nil {
					return Path{}, err
				}
				if rest == "" {
					p = to
					break
				}
				return ns.walk(t, root, to, rest, flags, links)
			}
			target, err := ReadlinkAs(t, link)
			if err != nil {
				return Path{}, err
			}
			if rest != "" {
				target += "/" + rest
			}
			return ns.walk(t, root, p, target, flags, links)
		}
		p = next
		if last {
			break
		}
	}
	if trailingSlash || flags&Directory != 0 {
		if _, ok := p.Inode().(Dir); !ok {
			return Path{}, unix.ENOTDIR
		}
	}
	return p, nil
}

// WalkParent resolves all but the last component of name, for calls that
// create or remove a name. It returns the parent directory and the last
// component ("" when name ends in "/." or is "/").
func (ns *Namespace) WalkParent(root, cwd Path, name string) (Path, string, error) {
	return ns.WalkParentAs(nil, root, cwd, name)
}

// WalkParentAs is WalkParent on behalf of a task (see WalkAs).
func (ns *Namespace) WalkParentAs(t Task, root, cwd Path, name string) (Path, string, error) {
	if name == "" {
		return Path{}, "", unix.ENOENT
	}
	trimmed := strings.TrimRight(name, "/")
	if trimmed == "" {
		return root, "", nil
	}
	i := strings.LastIndexByte(trimmed, '/')
	dirName, last := trimmed[:i+1], trimmed[i+1:]
	if len(last) > 255 {
		return Path{}, "", unix.ENAMETOOLONG
	}
	start := cwd
	if dirName != "" {
		var err error
		if start, err = ns.WalkAs(t, root, cwd, dirName, Follow|Directory); err != nil {
			return Path{}, "", err
		}
	}
	if _, ok := start.Inode().(Dir); !ok {
		return Path{}, "", unix.ENOTDIR
	}
	return start, last, nil
}

// PathName is the absolute name of p as seen from root (getcwd).
func (ns *Namespace) PathName(p, root Path) string {
	var parts []string
	for {
		if p.Mount == root.Mount && p.Inode() == root.Inode() {
			break
		}
		if p.Dentry.Parent == nil {
			if p.Mount.parent == nil {
				break
			}
			p = p.Mount.mountpoint
			continue
		}
		parts = append(parts, p.Dentry.Name)
		p = Path{Mount: p.Mount, Dentry: p.Dentry.Parent}
	}
	if len(parts) == 0 {
		return "/"
	}
	var b strings.Builder
	for i := len(parts) - 1; i >= 0; i-- {
		b.WriteByte('/')
		b.WriteString(parts[i])
	}
	return b.String()
}
