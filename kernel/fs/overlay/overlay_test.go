package overlay

import (
	"sort"
	"testing"

	"golang.org/x/sys/unix"

	"quartz/hal"
	"quartz/kernel/fs/tmpfs"
	"quartz/kernel/mm"
	"quartz/kernel/vfs"
	"quartz/lib/vmio"
)

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// setup: lower has /etc/conf ("lower"), /etc/sub/x, /bin -> usr/bin
// link target /usr/bin/tool; upper starts empty.
func setup(t *testing.T) (*FS, vfs.Dir, vfs.Dir) {
	t.Helper()
	mem, err := hal.NewPhysMem(16 << 20)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mem.Close() })
	frames := mm.NewFrames(mem)
	lower := tmpfs.New(frames, 0o755).Root()
	etc := must(lower.Mkdir("etc", 0o755)).(vfs.Dir)
	conf := must(etc.Create("conf", unix.S_IFREG|0o640, 0))
	f := must(conf.(vfs.Opener).Open(unix.O_WRONLY))
	f.Write(vmio.NewKernelReader([]byte("lower")), 0, nil)
	f.Release()
	sub := must(etc.Mkdir("sub", 0o700)).(vfs.Dir)
	must(sub.Create("x", unix.S_IFREG|0o644, 0))
	usr := must(lower.Mkdir("usr", 0o755)).(vfs.Dir)
	bin := must(usr.Mkdir("bin", 0o755)).(vfs.Dir)
	must(bin.Create("tool", unix.S_IFREG|0o755, 0))
	must(lower.Symlink("bin", "usr/bin"))
	upper := tmpfs.New(frames, 0o755).Root()
	return New(upper, lower), upper, lower
}

func names(t *testing.T, d vfs.Dir) []string {
	t.Helper()
	var out []string
	for _, e := range must(d.ReadDir(0)) {
		out = append(out, e.Name)
	}
	sort.Strings(out)
	return out
}

func readAll(t *testing.T, in vfs.Inode) string {
	t.Helper()
	f := must(in.(vfs.Opener).Open(unix.O_RDONLY))
	defer f.Release()
	b := make([]byte, 100)
	n, _ := f.Read(vmio.NewKernelWriter(b), 0, nil)
	return string(b[:n])
}

func TestCopyUpLeavesLowerAlone(t *testing.T) {
	fs, upper, lower := setup(t)
	etc := must(fs.Root().Lookup("etc")).(vfs.Dir)
	conf := must(etc.Lookup("conf"))
	if readAll(t, conf) != "lower" {
		t.Fatal("lower content not visible")
	}
	f := must(conf.(vfs.Opener).Open(unix.O_WRONLY | unix.O_TRUNC))
	f.Write(vmio.NewKernelReader([]byte("upper")), 0, nil)
	f.Release()
	if readAll(t, conf) != "upper" {
		t.Error("write not visible through the overlay")
	}
	if readAll(t, must(must(lower.Lookup("etc")).(vfs.Dir).Lookup("conf"))) != "lower" {
		t.Error("the lower file changed")
	}
	if _, err := must(upper.Lookup("etc")).(vfs.Dir).Lookup("conf"); err != nil {
		t.Errorf("no copy in the upper tree: %v", err)
	}
	if st := must(conf.Stat()); st.Mode != unix.S_IFREG|0o640 {
		t.Errorf("copy-up lost the mode: %o", st.Mode)
	}
	if must(etc.Stat()).Mode&0o777 != 0o755 {
		t.Error("copied-up directory lost its mode")
	}
}

func TestWhiteoutsAndMerge(t *testing.T) {
	fs, _, lower := setup(t)
	etc := must(fs.Root().Lookup("etc")).(vfs.Dir)
	must(etc.Create("new", unix.S_IFREG|0o644, 0))
	if got := names(t, etc); len(got) != 3 || got[0] != "conf" || got[1] != "new" || got[2] != "sub" {
		t.Fatalf("merged listing %v", got)
	}
	if err := etc.Unlink("conf"); err != nil {
		t.Fatal(err)
	}
	if _, err := etc.Lookup("conf"); err != unix.ENOENT {
		t.Errorf("removed lower file still visible: %v", err)
	}
	if got := names(t, etc); len(got) != 2 {
		t.Errorf("listing after removal %v", got)
	}
	if _, err := must(lower.Lookup("etc")).(vfs.Dir).Lookup("conf"); err != nil {
		t.Error("removal reached the lower tree")
	}
	// Re-creating the name shows the new file, not the old one.
	must(etc.Create("conf", unix.S_IFREG|0o600, 0))
	if readAll(t, must(etc.Lookup("conf"))) != "" {
		t.Error("re-created file shows the removed lower content")
	}
	// rmdir needs the merged view empty; a new directory over a removed
	// one is opaque.
	if err := etc.Rmdir("sub"); err != unix.ENOTEMPTY {
		t.Errorf("rmdir of a lower directory with content: %v", err)
	}
	sub := must(etc.Lookup("sub")).(vfs.Dir)
	if err := sub.Unlink("x"); err != nil {
		t.Fatal(err)
	}
	if err := etc.Rmdir("sub"); err != nil {
		t.Fatalf("rmdir of an emptied merged directory: %v", err)
	}
	again := must(etc.Mkdir("sub", 0o755)).(vfs.Dir)
	if got := names(t, again); len(got) != 0 {
		t.Errorf("new directory over a removed one shows %v", got)
	}
}

func TestRenameAndLinks(t *testing.T) {
	fs, _, _ := setup(t)
	root := fs.Root()
	etc := must(root.Lookup("etc")).(vfs.Dir)
	if err := etc.Rename("conf", root, "moved", 0); err != nil {
		t.Fatal(err)
	}
	if _, err := etc.Lookup("conf"); err != unix.ENOENT {
		t.Errorf("old name of a renamed lower file: %v", err)
	}
	if readAll(t, must(root.Lookup("moved"))) != "lower" {
		t.Error("renamed file lost its content")
	}
	if err := root.Rename("usr", root, "usr2", 0); err != unix.EXDEV {
		t.Errorf("renaming a lower directory: %v, want EXDEV", err)
	}
	tool := must(must(must(root.Lookup("usr")).(vfs.Dir).Lookup("bin")).(vfs.Dir).Lookup("tool"))
	if err := root.Link("toollink", tool); err != nil {
		t.Fatalf("hard link to a lower file: %v", err)
	}
	// The walk follows links of the lower tree.
	ns := vfs.NewNamespace(root, "overlay", "root")
	p, err := ns.Walk(ns.Root(), ns.Root(), "/bin/tool", vfs.Follow)
	if err != nil {
		t.Fatalf("walk through a lower symlink: %v", err)
	}
	if st := must(p.Inode().Stat()); st.Mode&unix.S_IFMT != unix.S_IFREG {
		t.Errorf("resolved to mode %o", st.Mode)
	}
	if _, ok := must(root.Lookup("bin")).(vfs.Symlink); !ok {
		t.Error("a lower link is not a link through the overlay")
	}
	if _, ok := must(root.Lookup("moved")).(vfs.Symlink); ok {
		t.Error("a regular file looks like a link")
	}
	mode := uint32(0o600)
	if err := tool.SetAttr(vfs.Attr{Mode: &mode}); err != nil || must(tool.Stat()).Mode&0o777 != 0o600 {
		t.Errorf("chmod of a lower file: %v", err)
	}
}
