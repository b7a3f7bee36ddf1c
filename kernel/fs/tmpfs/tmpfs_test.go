package tmpfs

import (
	"bytes"
	"testing"

	"golang.org/x/sys/unix"

	"quartz/hal"
	"quartz/kernel/mm"
	"quartz/kernel/vfs"
	"quartz/lib/vmio"
)

func newFS(t *testing.T) (*FS, *mm.Frames) {
	t.Helper()
	mem, err := hal.NewPhysMem(16 << 20)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mem.Close() })
	frames := mm.NewFrames(mem)
	return New(frames, 0o755), frames
}

// must returns v, failing the test (by panicking, which the test runner
// reports with the stack) when err is set.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func open(t *testing.T, in vfs.Inode, flags int) vfs.File {
	t.Helper()
	return must(in.(vfs.Opener).Open(flags))
}

func write(t *testing.T, f vfs.File, off int64, data string) {
	t.Helper()
	if n, err := f.Write(vmio.NewKernelReader([]byte(data)), off, nil); err != nil || n != uint64(len(data)) {
		t.Fatalf("write %q at %d: %d, %v", data, off, n, err)
	}
}

func read(t *testing.T, f vfs.File, off int64, n int) string {
	t.Helper()
	b := make([]byte, n)
	got, err := f.Read(vmio.NewKernelWriter(b), off, nil)
	if err != nil {
		t.Fatalf("read at %d: %v", off, err)
	}
	return string(b[:got])
}

func TestFileData(t *testing.T) {
	fs, frames := newFS(t)
	in := must(fs.Root().Create("f", unix.S_IFREG|0o644, 0))
	f := open(t, in, unix.O_RDWR)
	write(t, f, 0, "hello")
	write(t, f, 10000, "far") // a hole in between reads as zeros
	if got := read(t, f, 0, 5); got != "hello" {
		t.Errorf("read %q", got)
	}
	if got := read(t, f, 4998, 4); got != "\x00\x00\x00\x00" {
		t.Errorf("hole reads %q", got)
	}
	if got := read(t, f, 10000, 100); got != "far" {
		t.Errorf("read at the end %q: a read stops at the size", got)
	}
	if got := read(t, f, 20000, 10); got != "" {
		t.Errorf("read past the end %q", got)
	}
	st := must(in.Stat())
	if st.Size != 10003 || st.Mode != unix.S_IFREG|0o644 || st.Nlink != 1 {
		t.Errorf("stat %+v", st)
	}
	// Truncating down then up shows zeros, not the old bytes.
	size := int64(2)
	if err := in.SetAttr(vfs.Attr{Size: &size}); err != nil {
		t.Fatal(err)
	}
	size = 5
	in.SetAttr(vfs.Attr{Size: &size})
	if got := read(t, f, 0, 10); got != "he\x00\x00\x00" {
		t.Errorf("after truncate: %q", got)
	}
	// write(2) and the page cache VMO are the same pages: mmap sees writes.
	write(t, f, 1, "ELL")
	b := make([]byte, 4)
	if err := in.(vfs.Mappable).VMO().ReadAt(b, 0, 0); err != nil || string(b) != "hELL" {
		t.Errorf("VMO reads %q, %v", b, err)
	}
	in.(vfs.Mappable).VMO().WriteAt([]byte("J"), 0, 0)
	if got := read(t, f, 0, 1); got != "J" {
		t.Errorf("a write through the VMO (a shared mapping) is not seen by read: %q", got)
	}
	fs.Root().Unlink("f")
	if frames.Used() == 0 {
		t.Error("data freed while the file is still open")
	}
	if got := read(t, f, 0, 2); got != "JE" {
		t.Errorf("an unlinked open file reads %q", got)
	}
	f.Release()
	if frames.Used() != 0 {
		t.Errorf("%d frames left after the last name and the last open file went", frames.Used())
	}
}

func TestDirectoryOperations(t *testing.T) {
	fs, _ := newFS(t)
	root := fs.Root()
	sub := must(root.Mkdir("d", 0o755)).(vfs.Dir)
	must(sub.Create("x", unix.S_IFREG|0o600, 0))
	if _, err := root.Mkdir("d", 0o755); err != unix.EEXIST {
		t.Errorf("mkdir over a name: %v", err)
	}
	if err := root.Rmdir("d"); err != unix.ENOTEMPTY {
		t.Errorf("rmdir of a full directory: %v", err)
	}
	if err := root.Unlink("d"); err != unix.EISDIR {
		t.Errorf("unlink of a directory: %v", err)
	}
	if err := sub.Rmdir("x"); err != unix.ENOTDIR {
		t.Errorf("rmdir of a file: %v", err)
	}
	if st := must(root.Stat()); st.Nlink != 3 {
		t.Errorf("root nlink %d, want 3 (., .., d/..)", st.Nlink)
	}
	// Hard links count.
	x := must(sub.Lookup("x"))
	if err := root.Link("y", x); err != nil {
		t.Fatal(err)
	}
	if st := must(x.Stat()); st.Nlink != 2 {
		t.Errorf("nlink after link %d", st.Nlink)
	}
	if err := root.Link("dd", sub); err != unix.EPERM {
		t.Errorf("hard link to a directory: %v", err)
	}
	// Renames.
	if err := root.Rename("d", sub, "inside", 0); err != unix.EINVAL {
		t.Errorf("moving a directory into itself: %v", err)
	}
	if err := root.Rename("y", root, "d", 0); err != unix.EISDIR {
		t.Errorf("file over a directory: %v", err)
	}
	must(root.Mkdir("e", 0o755))
	if err := root.Rename("e", root, "y", 0); err != unix.ENOTDIR {
		t.Errorf("directory over a file: %v", err)
	}
	if err := root.Rename("e", root, "d", 0); err != unix.ENOTEMPTY {
		t.Errorf("directory over a full one: %v", err)
	}
	if err := root.Rename("y", root, "e", renameNoReplace); err != unix.EEXIST {
		t.Errorf("NOREPLACE: %v", err)
	}
	if err := root.Rename("y", root, "e", renameExchange); err != nil {
		t.Fatal(err)
	}
	if _, ok := must(root.Lookup("y")).(*dir); !ok {
		t.Error("EXCHANGE did not swap")
	}
	if err := sub.Rename("x", root, "moved", 0); err != nil {
		t.Fatal(err)
	}
	if _, err := sub.Lookup("x"); err != unix.ENOENT {
		t.Errorf("old name still there: %v", err)
	}
}

func TestReadDirPositionsSurviveRemoval(t *testing.T) {
	fs, _ := newFS(t)
	root := fs.Root()
	for _, n := range []string{"a", "b", "c", "d"} {
		must(root.Create(n, unix.S_IFREG|0o644, 0))
	}
	first := must(root.ReadDir(0))
	if len(first) != 4 || first[0].Name != "a" || first[3].Name != "d" {
		t.Fatalf("listing %+v", first)
	}
	root.Unlink("a")
	root.Unlink("b")
	rest := must(root.ReadDir(first[1].Next))
	if len(rest) != 2 || rest[0].Name != "c" || rest[0].Type != unix.S_IFREG {
		t.Fatalf("continuing after removals: %+v", rest)
	}
}

func TestWalk(t *testing.T) {
	fs, _ := newFS(t)
	ns := vfs.NewNamespace(fs.Root(), "tmpfs", "none")
	root := ns.Root()
	r := fs.Root()
	a := must(r.Mkdir("a", 0o755)).(vfs.Dir)
	must(a.Create("file", unix.S_IFREG|0o644, 0))
	must(a.Symlink("rel", "file"))
	must(r.Symlink("abs", "/a/file"))
	must(r.Symlink("loop", "loop"))
	must(r.Symlink("dirlink", "a"))
	walk := func(name string, flags vfs.WalkFlags) (vfs.Path, error) { return ns.Walk(root, root, name, flags) }
	for _, c := range []struct {
		name  string
		flags vfs.WalkFlags
		want  error
	}{
		{"/a/file", 0, nil},
		{"a//./file", 0, nil},
		{"/a/rel", vfs.Follow, nil},
		{"/abs", vfs.Follow, nil},
		{"/dirlink/file", 0, nil},
		{"/../../a/file", 0, nil},
		{"/loop", vfs.Follow, unix.ELOOP},
		{"/loop", 0, nil}, // the link itself
		{"/a/file/", 0, unix.ENOTDIR},
		{"/a/file/x", 0, unix.ENOTDIR},
		{"/a/nope", 0, unix.ENOENT},
		{"", 0, unix.ENOENT},
		{"/a/file", vfs.Directory, unix.ENOTDIR},
		{"/dirlink/", 0, nil},
	} {
		_, err := walk(c.name, c.flags)
		if err != c.want {
			t.Errorf("walk %q: %v, want %v", c.name, err, c.want)
		}
	}
	p, _ := walk("/abs", vfs.Follow)
	if _, ok := p.Inode().(*file); !ok {
		t.Error("/abs did not resolve to the file")
	}
	if got := ns.PathName(must(walk("/dirlink", vfs.Follow)), root); got != "/a" {
		t.Errorf("getcwd through a link %q, want the real path /a", got)
	}

	// A second tmpfs mounted on /a/m: walks cross into it, ".." climbs out.
	fs2, _ := newFS(t)
	must(fs2.Root().Create("inner", unix.S_IFREG|0o644, 0))
	mp := must(a.Mkdir("m", 0o755))
	_ = mp
	mpath := must(walk("/a/m", 0))
	if _, err := ns.Mount(mpath, fs2.Root(), "tmpfs", "second", false); err != nil {
		t.Fatal(err)
	}
	if _, err := walk("/a/m/inner", 0); err != nil {
		t.Errorf("walk into the mount: %v", err)
	}
	up := must(walk("/a/m/..", 0))
	if up.Inode() != vfs.Inode(a) {
		t.Error(`".." from a mount root did not reach the mount point's parent`)
	}
	inner := must(walk("/a/m/inner", 0))
	if got := ns.PathName(inner, root); got != "/a/m/inner" {
		t.Errorf("PathName across a mount %q", got)
	}
	if len(ns.Mounts()) != 2 {
		t.Errorf("%d mounts", len(ns.Mounts()))
	}
	mroot := must(walk("/a/m", 0))
	if err := ns.Unmount(mroot); err != nil {
		t.Fatal(err)
	}
	if _, err := walk("/a/m/inner", 0); err != unix.ENOENT {
		t.Errorf("after umount: %v", err)
	}
	// WalkParent.
	dir, last, err := ns.WalkParent(root, root, "/a/newfile")
	if err != nil || last != "newfile" || dir.Inode() != vfs.Inode(a) {
		t.Errorf("WalkParent: %v %q", err, last)
	}
	if _, _, err := ns.WalkParent(root, root, "/a/file/x"); err != unix.ENOTDIR {
		t.Errorf("WalkParent under a file: %v", err)
	}
	var long bytes.Buffer
	for i := 0; i < 300; i++ {
		long.WriteByte('x')
	}
	if _, err := walk("/"+long.String(), 0); err != unix.ENAMETOOLONG {
		t.Errorf("256+ byte name: %v", err)
	}
}
