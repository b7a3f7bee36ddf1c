package devfs

import (
	"bytes"
	"io"
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

func open(t *testing.T, d vfs.Dir, name string, flags int) vfs.File {
	t.Helper()
	f, err := must(d.Lookup(name)).(vfs.Opener).Open(flags)
	if err != nil {
		t.Fatalf("open %s: %v", name, err)
	}
	t.Cleanup(func() { f.Release() })
	return f
}

func readN(t *testing.T, f vfs.File, n int, c vfs.Canceler) ([]byte, error) {
	t.Helper()
	b := bytes.Repeat([]byte{0xAA}, n)
	got, err := f.Read(vmio.NewKernelWriter(b), 0, c)
	return b[:got], err
}

func writeN(f vfs.File, data string) (uint64, error) {
	return f.Write(vmio.NewKernelReader([]byte(data)), 0, nil)
}

func TestModesAndNumbers(t *testing.T) {
	root := New(nil).Root()
	for _, c := range []struct {
		name         string
		mode         uint32
		major, minor uint32
		gid          uint32
	}{
		{"null", unix.S_IFCHR | 0o666, 1, 3, 0},
		{"zero", unix.S_IFCHR | 0o666, 1, 5, 0},
		{"full", unix.S_IFCHR | 0o666, 1, 7, 0},
		{"random", unix.S_IFCHR | 0o666, 1, 8, 0},
		{"urandom", unix.S_IFCHR | 0o666, 1, 9, 0},
		{"tty", unix.S_IFCHR | 0o666, 5, 0, 5},
		{"console", unix.S_IFCHR | 0o600, 5, 1, 0},
	} {
		st := must(must(root.Lookup(c.name)).Stat())
		if st.Mode != c.mode || unix.Major(st.Rdev) != c.major || unix.Minor(st.Rdev) != c.minor ||
			st.UID != 0 || st.GID != c.gid || st.Size != 0 || st.Nlink != 1 {
			t.Errorf("%s: %+v", c.name, st)
		}
	}
	for name, target := range map[string]string{
		"stdin": "/proc/self/fd/0", "stdout": "/proc/self/fd/1", "stderr": "/proc/self/fd/2", "fd": "/proc/self/fd",
	} {
		in := must(root.Lookup(name))
		l, ok := in.(vfs.Symlink)
		if !ok {
			t.Errorf("%s is not a link", name)
			continue
		}
		if got := must(l.Readlink()); got != target {
			t.Errorf("%s -> %q", name, got)
		}
		if st := must(in.Stat()); st.Mode != unix.S_IFLNK|0o777 || st.Size != int64(len(target)) {
			t.Errorf("%s: %+v", name, st)
		}
	}
	if st := must(root.Stat()); st.Mode != unix.S_IFDIR|0o755 || st.Nlink != 4 {
		t.Errorf("root %+v", st)
	}
	// Inode numbers are distinct.
	seen := map[uint64]string{}
	for _, e := range must(root.ReadDir(0)) {
		if other, dup := seen[e.Ino]; dup {
			t.Errorf("%s and %s share inode %d", e.Name, other, e.Ino)
		}
		seen[e.Ino] = e.Name
	}
}

func TestNull(t *testing.T) {
	f := open(t, New(nil).Root(), "null", unix.O_RDWR)
	if b, err := readN(t, f, 10, nil); len(b) != 0 || err != nil {
		t.Errorf("read: %q, %v", b, err)
	}
	if n, err := writeN(f, "gone"); n != 4 || err != nil {
		t.Errorf("write: %d, %v", n, err)
	}
	if !f.Seekable() {
		t.Error("/dev/null is seekable on Linux")
	}
}

func TestZeroAndFull(t *testing.T) {
	root := New(nil).Root()
	for _, name := range []string{"zero", "full"} {
		f := open(t, root, name, unix.O_RDWR)
		b, err := readN(t, f, 3*hal.PageSize+5, nil)
		if err != nil || len(b) != 3*hal.PageSize+5 || !bytes.Equal(b, make([]byte, len(b))) {
			t.Errorf("%s read: %d bytes, %v", name, len(b), err)
		}
		n, err := writeN(f, "data")
		switch name {
		case "zero":
			if n != 4 || err != nil {
				t.Errorf("zero write: %d, %v", n, err)
			}
		case "full":
			if n != 0 || err != unix.ENOSPC {
				t.Errorf("full write: %d, %v", n, err)
			}
		}
	}
	// /dev/zero mmap is anonymous memory, made by the caller.
	if _, ok := must(root.Lookup("zero")).(vfs.Mappable); ok {
		t.Error("zero claims a VMO")
	}
}

type cancelAll struct{ ch chan struct{} }

func (c cancelAll) Done() <-chan struct{} { return c.ch }

func TestRandom(t *testing.T) {
	root := New(nil).Root()
	for _, name := range []string{"random", "urandom"} {
		f := open(t, root, name, unix.O_RDWR)
		a := must(readN(t, f, 64, nil))
		b := must(readN(t, f, 64, nil))
		if len(a) != 64 || bytes.Equal(a, b) || bytes.Equal(a, make([]byte, 64)) {
			t.Errorf("%s: %x then %x", name, a, b)
		}
		big := must(readN(t, f, 100000, nil))
		if len(big) != 100000 || bytes.Count(big, []byte{0xAA}) > 2000 {
			t.Errorf("%s: a large read gave %d bytes", name, len(big))
		}
		if n, err := writeN(f, "entropy"); n != 7 || err != nil {
			t.Errorf("%s write: %d, %v", name, n, err)
		}
	}
	// A canceled read stops early with what it has.
	c := cancelAll{make(chan struct{})}
	close(c.ch)
	f := open(t, root, "urandom", unix.O_RDONLY)
	got, err := readN(t, f, 1<<20, c)
	if err != nil || len(got) == 0 || len(got) >= 1<<20 {
		t.Errorf("canceled read: %d bytes, %v", len(got), err)
	}
}

// fakeTerm is a terminal with scripted input that records output.
type fakeTerm struct {
	in  []byte
	out bytes.Buffer
}

func (f *fakeTerm) Read(dst *vmio.Writer, c vfs.Canceler) (uint64, error) {
	n, err := dst.Write(f.in)
	f.in = f.in[n:]
	if err == io.ErrShortWrite {
		err = nil
	}
	return uint64(n), err
}

func (f *fakeTerm) Write(src *vmio.Reader) (uint64, error) {
	n, err := io.Copy(&f.out, src)
	return uint64(n), err
}

func TestTerminal(t *testing.T) {
	for _, name := range []string{"tty", "console"} {
		if _, err := must(New(nil).Root().Lookup(name)).(vfs.Opener).Open(unix.O_RDWR); err != unix.ENXIO {
			t.Errorf("%s without a terminal: %v", name, err)
		}
		term := &fakeTerm{in: []byte("typed\n")}
		f := open(t, New(term).Root(), name, unix.O_RDWR)
		if b := must(readN(t, f, 3, nil)); string(b) != "typ" {
			t.Errorf("%s read %q", name, b)
		}
		if n, err := writeN(f, "shown"); n != 5 || err != nil || term.out.String() != "shown" {
			t.Errorf("%s write: %d, %v, %q", name, n, err, term.out.String())
		}
		if f.Seekable() {
			t.Errorf("%s is a stream", name)
		}
		if c, ok := f.(interface{ Console() Console }); !ok || c.Console() != term {
			t.Errorf("%s does not give its terminal for ioctls", name)
		}
	}
}

func TestStructureIsFixed(t *testing.T) {
	root := New(nil).Root()
	null := must(root.Lookup("null"))
	if _, err := root.Create("new", unix.S_IFREG|0o644, 0); err != unix.EROFS {
		t.Errorf("create: %v", err)
	}
	if _, err := root.Create("null", unix.S_IFCHR|0o644, 0); err != unix.EEXIST {
		t.Errorf("create over a name: %v", err)
	}
	if _, err := root.Mkdir("d", 0o755); err != unix.EROFS {
		t.Errorf("mkdir: %v", err)
	}
	if _, err := root.Symlink("l", "null"); err != unix.EROFS {
		t.Errorf("symlink: %v", err)
	}
	if err := root.Link("l", null); err != unix.EROFS {
		t.Errorf("link: %v", err)
	}
	if err := root.Unlink("null"); err != unix.EROFS {
		t.Errorf("unlink: %v", err)
	}
	if err := root.Rmdir("pts"); err != unix.EROFS {
		t.Errorf("rmdir: %v", err)
	}
	if err := root.Rename("null", root, "nil", 0); err != unix.EROFS {
		t.Errorf("rename: %v", err)
	}
	if _, err := root.Lookup("nope"); err != unix.ENOENT {
		t.Errorf("lookup: %v", err)
	}
	// Attributes change in memory; sizes do not.
	mode, uid := uint32(0o640), uint32(7)
	if err := null.SetAttr(vfs.Attr{Mode: &mode, UID: &uid}); err != nil {
		t.Fatal(err)
	}
	if st := must(null.Stat()); st.Mode != unix.S_IFCHR|0o640 || st.UID != 7 || st.Rdev != unix.Mkdev(1, 3) {
		t.Errorf("after chmod/chown %+v", st)
	}
	size := int64(0)
	if err := null.SetAttr(vfs.Attr{Size: &size}); err != unix.EINVAL {
		t.Errorf("truncate of a device: %v", err)
	}
	if err := root.SetAttr(vfs.Attr{Size: &size}); err != unix.EISDIR {
		t.Errorf("truncate of the directory: %v", err)
	}
	if err := must(root.Lookup("fd")).SetAttr(vfs.Attr{Mode: &mode}); err != unix.EOPNOTSUPP {
		t.Errorf("chmod of a link: %v", err)
	}
}

func TestReadDir(t *testing.T) {
	root := New(nil).Root()
	all := must(root.ReadDir(0))
	want := []string{"console", "fd", "full", "null", "pts", "random", "shm", "stderr", "stdin", "stdout", "tty", "urandom", "zero"}
	if len(all) != len(want) {
		t.Fatalf("listing %+v", all)
	}
	for i, e := range all {
		if e.Name != want[i] {
			t.Errorf("entry %d: %q, want %q", i, e.Name, want[i])
		}
	}
	types := map[string]uint32{}
	for _, e := range all {
		types[e.Name] = e.Type
	}
	if types["null"] != unix.S_IFCHR || types["fd"] != unix.S_IFLNK || types["pts"] != unix.S_IFDIR {
		t.Errorf("types %v", types)
	}
	rest := must(root.ReadDir(all[4].Next))
	if len(rest) != len(all)-5 || rest[0] != all[5] {
		t.Errorf("resumed %+v", rest)
	}
	if end := must(root.ReadDir(all[len(all)-1].Next)); len(end) != 0 {
		t.Errorf("past the end %+v", end)
	}
	if pts := must(must(root.Lookup("pts")).(vfs.Dir).ReadDir(0)); len(pts) != 0 {
		t.Errorf("pts lists %+v", pts)
	}
	if _, err := root.(vfs.Opener).Open(unix.O_WRONLY); err != unix.EISDIR {
		t.Errorf("open for writing: %v", err)
	}
}

// devfs mounted on /dev of a tmpfs root: the walk reaches the devices,
// and the stdio links resolve through /proc/self/fd in the guest's name
// space (here a stand-in tree), never the host's.
func TestWalk(t *testing.T) {
	mem, err := hal.NewPhysMem(4 << 20)
	if err != nil {
		t.Fatal(err)
	}
	defer mem.Close()
	tfs := tmpfs.New(mm.NewFrames(mem), 0o755)
	ns := vfs.NewNamespace(tfs.Root(), "tmpfs", "none")
	r := ns.Root()
	must(tfs.Root().Mkdir("dev", 0o755))
	must(ns.Mount(must(ns.Walk(r, r, "/dev", 0)), New(nil).Root(), "devtmpfs", "devtmpfs", false))

	null := must(ns.Walk(r, r, "/dev/null", vfs.Follow))
	if st := must(null.Inode().Stat()); st.Rdev != unix.Mkdev(1, 3) {
		t.Errorf("/dev/null %+v", st)
	}
	if _, err := ns.Walk(r, r, "/dev/stdout", vfs.Follow); err != unix.ENOENT {
		t.Errorf("/dev/stdout without /proc: %v", err)
	}
	proc := must(tfs.Root().Mkdir("proc", 0o755)).(vfs.Dir)
	fd := must(must(proc.Mkdir("self", 0o755)).(vfs.Dir).Mkdir("fd", 0o755)).(vfs.Dir)
	one := must(fd.Create("1", unix.S_IFREG|0o644, 0))
	if p := must(ns.Walk(r, r, "/dev/stdout", vfs.Follow)); p.Inode() != one {
		t.Error("/dev/stdout did not reach /proc/self/fd/1")
	}
	if p := must(ns.Walk(r, r, "/dev/fd/1", 0)); p.Inode() != one {
		t.Error("/dev/fd/1 did not reach /proc/self/fd/1")
	}
	if got := ns.PathName(must(ns.Walk(r, r, "/dev/../dev/zero", 0)), r); got != "/dev/zero" {
		t.Errorf("PathName %q", got)
	}
	if _, err := ns.Walk(r, r, "/dev/null/", 0); err != unix.ENOTDIR {
		t.Errorf("/dev/null/: %v", err)
	}
}
