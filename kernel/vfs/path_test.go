package vfs_test

import (
	"strconv"
	"testing"

	"golang.org/x/sys/unix"

	"quartz/hal"
	"quartz/kernel/fs/tmpfs"
	"quartz/kernel/mm"
	"quartz/kernel/vfs"
)

type task struct{ tgid int }

func (t task) TGID() int { return t.tgid }
func (t task) TID() int  { return t.tgid }

// selfLink is a procfs-like "self": its target is the walker's id.
type selfLink struct{ vfs.Inode }

func (selfLink) Readlink() (string, error)               { return "", unix.ENOENT }
func (selfLink) ReadlinkTask(t vfs.Task) (string, error) { return strconv.Itoa(t.TGID()), nil }

// magic leads straight to a fixed place, whatever its text says.
type magic struct {
	vfs.Inode
	to vfs.Path
}

func (m magic) Readlink() (string, error)             { return "/nowhere", nil }
func (m magic) ReadlinkTask(vfs.Task) (string, error) { return "pipe:[1]", nil }
func (m magic) Follow(vfs.Task) (vfs.Path, error)     { return m.to, nil }

// dirWith is a directory with one extra name for a link made here.
type dirWith struct {
	vfs.Dir
	name string
	link vfs.Inode
}

func (d dirWith) Lookup(name string) (vfs.Inode, error) {
	if name == d.name {
		return d.link, nil
	}
	return d.Dir.Lookup(name)
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// Links whose target depends on the walker (TaskSymlink) and links that
// lead straight to a path (MagicLink), as procfs's self and fd/N are.
func TestWalkAsTaskLinks(t *testing.T) {
	mem := must(hal.NewPhysMem(4 << 20))
	defer mem.Close()
	fs := tmpfs.New(mm.NewFrames(mem), 0o755)
	root := fs.Root()
	must(root.Mkdir("7", 0o755))
	seven := must(root.Lookup("7")).(vfs.Dir)
	must(seven.Create("stat", unix.S_IFREG|0o444, 0))
	must(root.Mkdir("elsewhere", 0o755))
	file := must(seven.Lookup("stat"))

	withSelf := dirWith{Dir: root, name: "self", link: selfLink{Inode: file}}
	ns := vfs.NewNamespace(withSelf, "tmpfs", "none")
	r := ns.Root()
	target := must(ns.Walk(r, r, "/7/stat", 0))
	withMagic := dirWith{Dir: must(root.Lookup("elsewhere")).(vfs.Dir), name: "fd", link: magic{Inode: file, to: target}}
	ns.Mount(must(ns.Walk(r, r, "/elsewhere", 0)), withMagic, "tmpfs", "none", false)

	p, err := ns.WalkAs(task{7}, r, r, "/self/stat", vfs.Follow)
	if err != nil || p.Inode() != file {
		t.Fatalf("/self/stat as task 7: %v", err)
	}
	if got := ns.PathName(p, r); got != "/7/stat" {
		t.Errorf("PathName %q", got)
	}
	if _, err := ns.WalkAs(task{8}, r, r, "/self/stat", vfs.Follow); err != unix.ENOENT {
		t.Errorf("/self/stat as task 8 (no /8): %v", err)
	}
	if _, err := ns.Walk(r, r, "/self/stat", vfs.Follow); err != unix.ENOENT {
		t.Errorf("/self without a task reads the plain link: %v", err)
	}
	if p, err := ns.WalkAs(task{7}, r, r, "/elsewhere/fd", vfs.Follow); err != nil || p.Inode() != file {
		t.Errorf("magic link: %v", err)
	}
	if _, err := ns.WalkAs(task{7}, r, r, "/elsewhere/fd/", vfs.Follow); err != unix.ENOTDIR {
		t.Errorf("magic link to a file with a trailing slash: %v", err)
	}
	if p, err := ns.WalkAs(task{7}, r, r, "/elsewhere/fd", 0); err != nil || p.Inode() == file {
		t.Errorf("a last-component link without Follow is the link itself: %v", err)
	} else if got := must(vfs.ReadlinkAs(task{7}, p.Inode().(vfs.Symlink))); got != "pipe:[1]" {
		t.Errorf("ReadlinkAs %q", got)
	}
	parent, last, err := ns.WalkParentAs(task{7}, r, r, "/self/new")
	if err != nil || last != "new" || parent.Inode() != vfs.Inode(seven) {
		t.Errorf("WalkParentAs through self: %v %q", err, last)
	}
}
