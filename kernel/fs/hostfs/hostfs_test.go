package hostfs

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"quartz/hal"
	"quartz/kernel/fs/tmpfs"
	"quartz/kernel/mm"
	"quartz/kernel/vfs"
	"quartz/lib/vmio"
)

func newFrames(t *testing.T) *mm.Frames {
	t.Helper()
	mem, err := hal.NewPhysMem(16 << 20)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mem.Close() })
	return mm.NewFrames(mem)
}

func newFS(t *testing.T, host string, readOnly bool) (*FS, *mm.Frames) {
	t.Helper()
	frames := newFrames(t)
	fs, err := New(host, readOnly, frames)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fs.Close() })
	return fs, frames
}

// must returns v, failing the test (by panicking, which the test runner
// reports with the stack) when err is set.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func check(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func open(t *testing.T, in vfs.Inode, flags int) vfs.File {
	t.Helper()
	f, err := in.(vfs.Opener).Open(flags)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	return f
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

func writeHost(t *testing.T, name, data string) {
	t.Helper()
	check(t, os.MkdirAll(filepath.Dir(name), 0o755))
	check(t, os.WriteFile(name, []byte(data), 0o644))
}

func readHost(t *testing.T, name string) string {
	t.Helper()
	return string(must(os.ReadFile(name)))
}

// An outside tree with a secret, and a root whose symbolic links point out
// of it every way they can.
func confinedTree(t *testing.T) (outer, root string) {
	outer = t.TempDir()
	root = filepath.Join(outer, "root")
	writeHost(t, filepath.Join(outer, "secret"), "outside")
	writeHost(t, filepath.Join(root, "secret"), "inside")
	writeHost(t, filepath.Join(root, "a", "b", "file"), "file")
	links := map[string]string{
		"abs":         filepath.Join(outer, "secret"),        // absolute host path
		"absdir":      outer,                                 // absolute host directory
		"up":          "../secret",                           // one level up
		"a/b/upup":    "../../../../../../../../secret",      // far above
		"a/b/updir":   "../../..",                            // a directory above the root
		"a/rel":       "b/file",                              // plain relative
		"a/b/rootabs": "/secret",                             // absolute, guest's view
		"magic":       "/proc/self/root" + outer + "/secret", // a magic link's name
	}
	for name, target := range links {
		check(t, os.Symlink(target, filepath.Join(root, name)))
	}
	return outer, root
}

func TestWalkStaysInside(t *testing.T) {
	outer, root := confinedTree(t)
	fs, _ := newFS(t, root, true)
	ns := vfs.NewNamespace(fs.Root(), "hostfs", root)
	r := ns.Root()
	content := func(p vfs.Path) string {
		f := open(t, p.Inode(), unix.O_RDONLY)
		defer f.Release()
		return read(t, f, 0, 100)
	}
	for _, c := range []struct {
		name string
		want string // content, or "" for ENOENT
	}{
		{"/secret", "inside"},
		{"/abs", ""},
		{"/absdir/secret", ""},
		{"/up", "inside"},
		{"/a/b/upup", "inside"},
		{"/a/b/updir/secret", "inside"},
		{"/a/rel", "file"},
		{"/a/b/rootabs", "inside"},
		{"/magic", ""},
		{"/../../secret", "inside"},
		{"/a/../../secret", "inside"},
	} {
		p, err := ns.Walk(r, r, c.name, vfs.Follow)
		switch {
		case c.want == "" && err != unix.ENOENT:
			t.Errorf("walk %q: %v, want ENOENT", c.name, err)
		case c.want != "" && err != nil:
			t.Errorf("walk %q: %v", c.name, err)
		case c.want != "":
			if got := content(p); got != c.want {
				t.Errorf("walk %q reads %q, want %q", c.name, got, c.want)
			}
		}
	}
	// The guest sees the link itself with its host target text.
	p := must(ns.Walk(r, r, "/abs", 0))
	if target := must(p.Inode().(vfs.Symlink).Readlink()); target != filepath.Join(outer, "secret") {
		t.Errorf("readlink %q", target)
	}
	if st := must(p.Inode().Stat()); vfs.Type(st.Mode) != unix.S_IFLNK {
		t.Errorf("a link stats as %o", st.Mode)
	}
	// Lookup takes one plain name only.
	for _, name := range []string{"", ".", "..", "a/b", "../secret", "/secret", "x\x00y"} {
		if _, err := fs.Root().Lookup(name); err != unix.EINVAL {
			t.Errorf("Lookup(%q): %v, want EINVAL", name, err)
		}
	}
	if _, err := fs.Root().Lookup("nope"); err != unix.ENOENT {
		t.Errorf("Lookup of a missing name: %v", err)
	}
}

func TestIdentity(t *testing.T) {
	root := t.TempDir()
	writeHost(t, filepath.Join(root, "d", "f"), "x")
	check(t, os.Link(filepath.Join(root, "d", "f"), filepath.Join(root, "hard")))
	fs, frames := newFS(t, root, false)
	r := fs.Root()
	d1 := must(r.Lookup("d"))
	d2 := must(r.Lookup("d"))
	if d1 != d2 {
		t.Error("two lookups of a directory give different inodes")
	}
	f := must(d1.(vfs.Dir).Lookup("f"))
	if h := must(r.Lookup("hard")); h != f {
		t.Error("hard links are different inodes")
	}

	// A tmpfs mounted on a hostfs directory: the walk enters it through
	// a fresh lookup of the same directory, and ".." comes back.
	ns := vfs.NewNamespace(r, "hostfs", root)
	nr := ns.Root()
	mp := must(ns.Walk(nr, nr, "/d", 0))
	tfs := tmpfs.New(frames, 0o755)
	must(tfs.Root().Create("inner", unix.S_IFREG|0o644, 0))
	must(ns.Mount(mp, tfs.Root(), "tmpfs", "none", false))
	mp = vfs.Path{} // only the mount keeps the inode now
	runtime.GC()
	if _, err := ns.Walk(nr, nr, "/d/inner", 0); err != nil {
		t.Errorf("walk into a mount on a hostfs directory: %v", err)
	}
	if _, err := ns.Walk(nr, nr, "/d/f", 0); err != unix.ENOENT {
		t.Errorf("the mount does not hide the host directory: %v", err)
	}
	up := must(ns.Walk(nr, nr, "/d/../hard", 0))
	if up.Inode() != f {
		t.Error(`".." from the mount did not come back to the host tree`)
	}
	if got := ns.PathName(must(ns.Walk(nr, nr, "/d/inner", 0)), nr); got != "/d/inner" {
		t.Errorf("PathName %q", got)
	}
}

// Inodes nobody holds are collected, and their descriptors closed.
func TestInodesAreCollected(t *testing.T) {
	root := t.TempDir()
	for _, n := range []string{"a", "b", "c", "d"} {
		writeHost(t, filepath.Join(root, n), n)
	}
	fs, frames := newFS(t, root, false)
	cached := func() int {
		fs.mu.Lock()
		defer fs.mu.Unlock()
		return len(fs.inodes)
	}
	kept := must(fs.Root().Lookup("a"))
	f := open(t, kept, unix.O_RDONLY)
	if got := read(t, f, 0, 10); got != "a" {
		t.Fatalf("read %q", got)
	}
	f.Release()
	for _, n := range []string{"b", "c", "d"} {
		must(fs.Root().Lookup(n))
	}
	if cached() != 5 {
		t.Fatalf("%d inodes cached, want 5", cached())
	}
	for i := 0; i < 200 && cached() > 2; i++ {
		runtime.GC()
		time.Sleep(time.Millisecond) // cleanups run on their own goroutine
	}
	if cached() != 2 {
		t.Errorf("%d inodes cached after GC, want 2 (root and a held one)", cached())
	}
	if must(fs.Root().Lookup("a")) != kept {
		t.Error("a held inode lost its identity")
	}
	kept, f = nil, nil
	for i := 0; i < 200 && frames.Used() != 0; i++ {
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
	if frames.Used() != 0 {
		t.Errorf("%d frames of a collected inode's page cache left", frames.Used())
	}
}

func TestReadOnly(t *testing.T) {
	root := t.TempDir()
	writeHost(t, filepath.Join(root, "f"), "data")
	writeHost(t, filepath.Join(root, "d", "x"), "")
	fs, _ := newFS(t, root, true)
	r := fs.Root()
	f := must(r.Lookup("f"))
	d := must(r.Lookup("d")).(vfs.Dir)
	if _, err := r.Create("new", unix.S_IFREG|0o644, 0); err != unix.EROFS {
		t.Errorf("create: %v", err)
	}
	if _, err := r.Create("f", unix.S_IFREG|0o644, 0); err != unix.EEXIST {
		t.Errorf("create over a name: %v, want EEXIST first", err)
	}
	if _, err := r.Mkdir("nd", 0o755); err != unix.EROFS {
		t.Errorf("mkdir: %v", err)
	}
	if _, err := r.Mkdir("d", 0o755); err != unix.EEXIST {
		t.Errorf("mkdir over a name: %v", err)
	}
	if _, err := r.Symlink("l", "f"); err != unix.EROFS {
		t.Errorf("symlink: %v", err)
	}
	if err := r.Link("l", f); err != unix.EROFS {
		t.Errorf("link: %v", err)
	}
	if err := r.Unlink("f"); err != unix.EROFS {
		t.Errorf("unlink: %v", err)
	}
	if err := d.Unlink("nope"); err != unix.EROFS {
		t.Errorf("unlink of a missing name: %v (Linux checks the mount first)", err)
	}
	if err := r.Rmdir("d"); err != unix.EROFS {
		t.Errorf("rmdir: %v", err)
	}
	if err := r.Rename("f", d, "g", 0); err != unix.EROFS {
		t.Errorf("rename: %v", err)
	}
	mode, size := uint32(0o600), int64(1)
	now := time.Now()
	for _, a := range []vfs.Attr{{Mode: &mode}, {Size: &size}, {Mtime: &now}} {
		if err := f.SetAttr(a); err != unix.EROFS {
			t.Errorf("SetAttr %+v: %v", a, err)
		}
	}
	if err := d.SetAttr(vfs.Attr{Mode: &mode}); err != unix.EROFS {
		t.Errorf("chmod of a directory: %v", err)
	}
	for _, flags := range []int{unix.O_WRONLY, unix.O_RDWR, unix.O_RDONLY | unix.O_TRUNC} {
		if _, err := f.(vfs.Opener).Open(flags); err != unix.EROFS {
			t.Errorf("open %#x: %v", flags, err)
		}
	}
	if _, err := d.(vfs.Opener).Open(unix.O_WRONLY); err != unix.EISDIR {
		t.Errorf("open a directory for writing: %v", err)
	}
	of := open(t, f, unix.O_RDONLY)
	defer of.Release()
	if got := read(t, of, 0, 10); got != "data" {
		t.Errorf("read %q", got)
	}
	if _, err := of.Write(vmio.NewKernelReader([]byte("x")), 0, nil); err != unix.EBADF {
		t.Errorf("write to a read-only open: %v", err)
	}
	if got := readHost(t, filepath.Join(root, "f")); got != "data" {
		t.Errorf("host file changed: %q", got)
	}
	if _, err := os.Stat(filepath.Join(root, "new")); !os.IsNotExist(err) {
		t.Errorf("host has new: %v", err)
	}
}

func TestReadWrite(t *testing.T) {
	root := t.TempDir()
	fs, _ := newFS(t, root, false)
	r := fs.Root()
	host := func(n string) string { return filepath.Join(root, n) }

	// Create and write: on the host, with exactly the mode asked for.
	in := must(r.Create("f", unix.S_IFREG|0o666, 0))
	f := open(t, in, unix.O_RDWR)
	write(t, f, 0, "hello")
	write(t, f, 10, "world")
	if got := readHost(t, host("f")); got != "hello\x00\x00\x00\x00\x00world" {
		t.Errorf("host has %q", got)
	}
	st := must(in.Stat())
	var hst unix.Stat_t
	check(t, unix.Stat(host("f"), &hst))
	if st.Mode != unix.S_IFREG|0o666 || hst.Mode != st.Mode || st.Size != 15 || st.Ino != hst.Ino || st.Dev != hst.Dev {
		t.Errorf("stat %+v, host mode %o", st, hst.Mode)
	}
	f.Release()
	if _, err := r.Create("f", unix.S_IFREG|0o644, 0); err != unix.EEXIST {
		t.Errorf("create over a name: %v", err)
	}

	// Directories, links.
	d := must(r.Mkdir("d", 0o750)).(vfs.Dir)
	if fi, err := os.Stat(host("d")); err != nil || !fi.IsDir() || fi.Mode().Perm() != 0o750 {
		t.Errorf("host dir: %v %v", fi, err)
	}
	l := must(d.Symlink("l", "../f"))
	if target, err := os.Readlink(host("d/l")); err != nil || target != "../f" {
		t.Errorf("host link: %q %v", target, err)
	}
	if target := must(l.(vfs.Symlink).Readlink()); target != "../f" {
		t.Errorf("readlink %q", target)
	}
	check(t, d.Link("hard", in))
	if must(in.Stat()).Nlink != 2 || must(d.Lookup("hard")) != in {
		t.Error("hard link: wrong count or identity")
	}
	check(t, r.Link("l2", l)) // a hard link to the symbolic link itself
	if fi, err := os.Lstat(host("l2")); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("link of a symlink: %v %v", fi, err)
	}
	if err := r.Link("dd", d); err != unix.EPERM {
		t.Errorf("hard link to a directory: %v", err)
	}
	tfs := tmpfs.New(newFrames(t), 0o755)
	if err := r.Link("x", tfs.Root()); err != unix.EXDEV {
		t.Errorf("link across file systems: %v", err)
	}
	if err := r.Rename("f", tfs.Root(), "x", 0); err != unix.EXDEV {
		t.Errorf("rename across file systems: %v", err)
	}

	// Renames.
	check(t, r.Rename("f", d, "moved", 0))
	if _, err := os.Stat(host("f")); !os.IsNotExist(err) {
		t.Errorf("old name on the host: %v", err)
	}
	if got := readHost(t, host("d/moved")); got[:5] != "hello" {
		t.Errorf("moved file %q", got)
	}
	if must(d.Lookup("moved")) != in {
		t.Error("a renamed file changed identity")
	}
	writeHost(t, host("other"), "other")
	if err := r.Rename("other", d, "moved", unix.RENAME_NOREPLACE); err != unix.EEXIST {
		t.Errorf("NOREPLACE: %v", err)
	}
	check(t, r.Rename("other", d, "moved", unix.RENAME_EXCHANGE))
	if readHost(t, host("other"))[:5] != "hello" || readHost(t, host("d/moved")) != "other" {
		t.Error("EXCHANGE did not swap on the host")
	}
	if err := r.Rename("other", d, "x", unix.RENAME_EXCHANGE|unix.RENAME_NOREPLACE); err != unix.EINVAL {
		t.Errorf("both flags: %v", err)
	}

	// Removal.
	if err := r.Unlink("d"); err != unix.EISDIR {
		t.Errorf("unlink of a directory: %v", err)
	}
	if err := r.Rmdir("d"); err != unix.ENOTEMPTY {
		t.Errorf("rmdir of a full directory: %v", err)
	}
	if err := r.Rmdir("other"); err != unix.ENOTDIR {
		t.Errorf("rmdir of a file: %v", err)
	}
	for _, n := range []string{"l", "hard", "moved"} {
		check(t, d.Unlink(n))
	}
	check(t, r.Rmdir("d"))
	if _, err := os.Stat(host("d")); !os.IsNotExist(err) {
		t.Errorf("removed directory on the host: %v", err)
	}
	if _, err := r.Lookup("d"); err != unix.ENOENT {
		t.Errorf("lookup of a removed directory: %v", err)
	}
	// A file open after its last name went still reads.
	of := open(t, in, unix.O_RDONLY)
	check(t, r.Unlink("other"))
	if got := read(t, of, 0, 5); got != "hello" {
		t.Errorf("unlinked file reads %q", got)
	}
	if must(in.Stat()).Nlink != 0 {
		t.Error("unlinked file has links")
	}
	of.Release()

	// Attributes.
	in = must(r.Create("g", unix.S_IFREG|0o600, 0))
	mode, size := uint32(0o640), int64(3)
	mtime := time.Unix(1000000000, 5000)
	writeHost(t, host("g"), "abcdef")
	check(t, in.SetAttr(vfs.Attr{Mode: &mode, Size: &size, Mtime: &mtime}))
	check(t, unix.Stat(host("g"), &hst))
	if hst.Mode != unix.S_IFREG|0o640 || hst.Size != 3 || hst.Mtim.Sec != 1000000000 || hst.Mtim.Nsec != 5000 {
		t.Errorf("host after SetAttr: mode %o size %d mtime %v", hst.Mode, hst.Size, hst.Mtim)
	}
	uid := uint32(os.Getuid())
	check(t, in.SetAttr(vfs.Attr{UID: &uid}))
	if err := must(r.Symlink("sl", "g")).SetAttr(vfs.Attr{Mode: &mode}); err != unix.EOPNOTSUPP {
		t.Errorf("chmod of a symbolic link: %v", err)
	}
	if err := r.SetAttr(vfs.Attr{Size: &size}); err != unix.EISDIR {
		t.Errorf("truncate of a directory: %v", err)
	}

	// Other file types: visible, not openable.
	fifo := must(r.Create("fifo", unix.S_IFIFO|0o644, 0))
	if st := must(fifo.Stat()); vfs.Type(st.Mode) != unix.S_IFIFO {
		t.Errorf("fifo stats as %o", st.Mode)
	}
	if _, err := fifo.(vfs.Opener).Open(unix.O_RDONLY); err != unix.ENXIO {
		t.Errorf("open of a fifo: %v", err)
	}
	check(t, unix.Mkfifo(host("hostfifo"), 0o600))
	if st := must(must(r.Lookup("hostfifo")).Stat()); st.Mode != unix.S_IFIFO|0o600 {
		t.Errorf("host fifo stats as %o", st.Mode)
	}
}

func TestPageCache(t *testing.T) {
	root := t.TempDir()
	big := bytes.Repeat([]byte("0123456789abcdef"), 3*hal.PageSize/16+10) // 3 pages and a bit
	check(t, os.WriteFile(filepath.Join(root, "f"), big, 0o644))
	hostPath := filepath.Join(root, "f")
	fs, frames := newFS(t, root, false)
	in := must(fs.Root().Lookup("f"))
	f := open(t, in, unix.O_RDWR)
	g := open(t, in, unix.O_RDONLY)
	vmo := in.(vfs.Mappable).VMO()
	if vmo == nil {
		t.Fatal("no VMO")
	}

	// Reads come through the cache, paged in from the host.
	if got := read(t, g, hal.PageSize-2, 4); got != string(big[hal.PageSize-2:hal.PageSize+2]) {
		t.Errorf("read across a page %q", got)
	}
	if got := read(t, g, int64(len(big))-3, 100); got != string(big[len(big)-3:]) {
		t.Errorf("read at the end %q", got)
	}

	// write(2) then the VMO (a mapping) sees it, and so does the host.
	write(t, f, 5, "WRITE")
	b := make([]byte, 12)
	check(t, vmo.ReadAt(b, 0, 0))
	if string(b) != "01234WRITEab" {
		t.Errorf("VMO after write %q", b)
	}
	if got := readHost(t, hostPath)[:12]; got != "01234WRITEab" {
		t.Errorf("host after write %q", got)
	}

	// A write through the VMO (a shared mapping) is seen by read(2) at
	// once and reaches the host on Sync.
	check(t, vmo.WriteAt([]byte("MAPPED"), hal.PageSize+1, 0))
	if got := read(t, g, hal.PageSize, 8); got != "0MAPPED7" {
		t.Errorf("read after a VMO write %q", got)
	}
	if got := readHost(t, hostPath)[hal.PageSize : hal.PageSize+8]; got != string(big[hal.PageSize:hal.PageSize+8]) {
		t.Errorf("host has the mapped write before Sync: %q", got)
	}
	check(t, f.(interface{ Sync() error }).Sync())
	if got := readHost(t, hostPath)[hal.PageSize : hal.PageSize+8]; got != "0MAPPED7" {
		t.Errorf("host after Sync %q", got)
	}
	if hostSize := len(readHost(t, hostPath)); hostSize != len(big) {
		t.Errorf("Sync changed the size to %d", hostSize)
	}

	// Growing writes, with a hole: zeros, in the cache and on the host.
	end := int64(5 * hal.PageSize)
	write(t, f, end, "tail")
	if got := read(t, g, int64(len(big)), 4); got != "\x00\x00\x00\x00" {
		t.Errorf("hole reads %q", got)
	}
	if st := must(in.Stat()); st.Size != end+4 {
		t.Errorf("size %d after a growing write", st.Size)
	}
	if got := readHost(t, hostPath); int64(len(got)) != end+4 || got[end:] != "tail" || got[len(big)] != 0 {
		t.Errorf("host after a growing write: %d bytes", len(got))
	}

	// A later inode of the same host file (after this one is collected)
	// finds the same cache while anything holds it.
	if in2 := must(fs.Root().Lookup("f")); in2.(vfs.Mappable).VMO() != vmo {
		t.Error("two page caches for one file")
	}
	n := in.(hostInode).hostNode()
	if pc := must(fs.pageCacheFor(n.key, n.fd)); pc.vmo != vmo {
		t.Error("a new inode generation would get a new page cache")
	} else {
		pc.vmo.Unref()
	}

	// Truncation, through SetAttr and O_TRUNC: host and cache.
	size := int64(hal.PageSize + 3)
	check(t, in.SetAttr(vfs.Attr{Size: &size}))
	if got := read(t, g, size-3, 100); got != "0MA" {
		t.Errorf("read after truncate %q", got)
	}
	size = int64(hal.PageSize + 6)
	check(t, in.SetAttr(vfs.Attr{Size: &size}))
	if got := read(t, g, size-6, 100); got != "0MA\x00\x00\x00" {
		t.Errorf("truncated bytes come back: %q", got)
	}
	if got := readHost(t, hostPath); int64(len(got)) != size || got[size-6:] != "0MA\x00\x00\x00" {
		t.Errorf("host after truncations %q", got[size-6:])
	}
	h := open(t, in, unix.O_WRONLY|unix.O_TRUNC)
	if got := read(t, g, 0, 10); got != "" {
		t.Errorf("read after O_TRUNC %q", got)
	}
	if st, _ := os.Stat(hostPath); st.Size() != 0 {
		t.Errorf("host size %d after O_TRUNC", st.Size())
	}
	write(t, h, 0, "new")
	if got := read(t, g, 0, 10); got != "new" {
		t.Errorf("read after rewrite %q", got)
	}
	h.Release()

	// A host process appending behind our back: the next open sees the
	// new size and the new bytes in the last cached page.
	hf := must(os.OpenFile(hostPath, os.O_APPEND|os.O_WRONLY, 0))
	must(hf.WriteString("+host"))
	hf.Close()
	k := open(t, in, unix.O_RDONLY)
	if got := read(t, k, 0, 20); got != "new+host" {
		t.Errorf("after a host append %q", got)
	}
	k.Release()

	f.Release()
	g.Release()
	fs.Close() // lets go of the inodes' references
	if frames.Used() != 0 {
		t.Errorf("%d frames left after the last open file and inode went", frames.Used())
	}
}

// Syncing a file never opened for writing has nothing to do.
func TestSyncWithoutWriter(t *testing.T) {
	root := t.TempDir()
	writeHost(t, filepath.Join(root, "f"), "abc")
	fs, _ := newFS(t, root, false)
	in := must(fs.Root().Lookup("f"))
	f := open(t, in, unix.O_RDONLY)
	defer f.Release()
	check(t, f.(interface{ Sync() error }).Sync())
	check(t, in.(interface{ Sync() error }).Sync())
	if got := read(t, f, 0, 10); got != "abc" {
		t.Errorf("read %q", got)
	}
}

func TestReadDirCookies(t *testing.T) {
	root := t.TempDir()
	names := []string{"a", "b", "c", "d", "e"}
	for _, n := range names {
		writeHost(t, filepath.Join(root, n), n)
	}
	check(t, os.Mkdir(filepath.Join(root, "sub"), 0o755))
	check(t, os.Symlink("a", filepath.Join(root, "link")))
	fs, _ := newFS(t, root, false)
	r := fs.Root()
	all := must(r.ReadDir(0))
	if len(all) != 7 {
		t.Fatalf("listing %+v", all)
	}
	types := map[string]uint32{}
	for _, e := range all {
		if e.Name == "." || e.Name == ".." {
			t.Errorf("listing has %q", e.Name)
		}
		types[e.Name] = e.Type
		var st unix.Stat_t
		check(t, unix.Lstat(filepath.Join(root, e.Name), &st))
		if e.Ino != st.Ino {
			t.Errorf("%s: ino %d, host %d", e.Name, e.Ino, st.Ino)
		}
	}
	if types["a"] != unix.S_IFREG || types["sub"] != unix.S_IFDIR || types["link"] != unix.S_IFLNK {
		t.Errorf("types %v", types)
	}
	// Resuming at a cookie gives the rest, in the same order.
	rest := must(r.ReadDir(all[2].Next))
	if len(rest) != 4 {
		t.Fatalf("resumed listing %+v", rest)
	}
	for i, e := range rest {
		if e != all[3+i] {
			t.Errorf("resumed entry %d: %+v, want %+v", i, e, all[3+i])
		}
	}
	// Cookies stay good when entries go.
	check(t, r.Unlink(all[0].Name))
	check(t, r.Unlink(all[1].Name))
	again := must(r.ReadDir(all[2].Next))
	if len(again) != 4 || again[0].Name != all[3].Name {
		t.Errorf("after removals %+v", again)
	}
	if end := must(r.ReadDir(all[len(all)-1].Next)); len(end) != 0 {
		t.Errorf("past the end %+v", end)
	}
	// A directory opens for reading only.
	if _, err := r.(vfs.Opener).Open(unix.O_RDWR); err != unix.EISDIR {
		t.Errorf("open dir O_RDWR: %v", err)
	}
	df := open(t, r, unix.O_RDONLY)
	if _, err := df.Read(vmio.NewKernelWriter(make([]byte, 1)), 0, nil); err != unix.EISDIR {
		t.Errorf("read of a directory: %v", err)
	}
	df.Release()
}

func TestNewErrors(t *testing.T) {
	frames := newFrames(t)
	if _, err := New(filepath.Join(t.TempDir(), "missing"), true, frames); err == nil {
		t.Error("New of a missing directory")
	}
	f := filepath.Join(t.TempDir(), "file")
	writeHost(t, f, "")
	if _, err := New(f, true, frames); err == nil {
		t.Error("New of a file")
	}
	fs := must(New(t.TempDir(), false, frames))
	must(fs.Root().Mkdir("x", 0o755))
	check(t, fs.Close())
	check(t, fs.Close())
}

// Writers, readers, syncs and lookups of one file at once: the host ends
// up with every write, and identity holds.
func TestConcurrent(t *testing.T) {
	root := t.TempDir()
	writeHost(t, filepath.Join(root, "f"), "")
	fs, _ := newFS(t, root, false)
	in := must(fs.Root().Lookup("f"))
	const writers, rounds = 4, 50
	done := make(chan error, writers+3)
	for w := 0; w < writers; w++ {
		go func(w int) {
			f, err := in.(vfs.Opener).Open(unix.O_WRONLY)
			if err != nil {
				done <- err
				return
			}
			defer f.Release()
			chunk := bytes.Repeat([]byte{byte('A' + w)}, 1000)
			for i := 0; i < rounds; i++ {
				off := int64((i*writers + w) * len(chunk))
				if n, err := f.Write(vmio.NewKernelReader(chunk), off, nil); err != nil || n != uint64(len(chunk)) {
					done <- err
					return
				}
			}
			done <- nil
		}(w)
	}
	go func() {
		f, err := in.(vfs.Opener).Open(unix.O_RDONLY)
		if err != nil {
			done <- err
			return
		}
		defer f.Release()
		b := make([]byte, 3000)
		for i := 0; i < rounds; i++ {
			if _, err := f.Read(vmio.NewKernelWriter(b), int64(i*500), nil); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	go func() {
		for i := 0; i < rounds; i++ {
			if err := in.(interface{ Sync() error }).Sync(); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	go func() {
		for i := 0; i < rounds; i++ {
			got, err := fs.Root().Lookup("f")
			if err != nil {
				done <- err
				return
			}
			if got != in {
				t.Error("a concurrent lookup gave another inode")
			}
		}
		done <- nil
	}()
	for i := 0; i < writers+3; i++ {
		check(t, <-done)
	}
	got := readHost(t, filepath.Join(root, "f"))
	if len(got) != writers*rounds*1000 {
		t.Fatalf("host has %d bytes", len(got))
	}
	for i := 0; i < writers*rounds; i++ {
		if want := strings.Repeat(string(rune('A'+i%writers)), 1000); got[i*1000:(i+1)*1000] != want {
			t.Fatalf("chunk %d on the host is wrong", i)
		}
	}
	b := make([]byte, len(got))
	check(t, in.(vfs.Mappable).VMO().ReadAt(b, 0, 0))
	if string(b) != got {
		t.Error("the page cache and the host differ")
	}
}

// DropCaches frees the pages of a file nobody maps, which then read from
// the host again; a file whose VMO has another holder (a mapping) keeps
// its pages.
func TestDropCaches(t *testing.T) {
	root := t.TempDir()
	data := bytes.Repeat([]byte("quartz!\n"), 2*hal.PageSize/8)
	check(t, os.WriteFile(filepath.Join(root, "kept"), data, 0o644))
	check(t, os.WriteFile(filepath.Join(root, "dropped"), data, 0o644))
	fs, frames := newFS(t, root, true)
	start := frames.Used()
	kept := must(fs.Root().Lookup("kept"))
	dropped := must(fs.Root().Lookup("dropped"))
	readAll := func(in vfs.Inode, off int64, n int) string {
		f := open(t, in, unix.O_RDONLY)
		defer f.Release() // an open file holds the cache too
		return read(t, f, off, n)
	}
	if got := readAll(dropped, 0, len(data)); got != string(data) {
		t.Fatal("read before the drop")
	}
	mapped := kept.(vfs.Mappable).VMO()
	mapped.Ref() // a mapping's reference
	defer mapped.Unref()
	if got := readAll(kept, 0, len(data)); got != string(data) {
		t.Fatal("read of the kept file")
	}
	filled := frames.Used()
	if filled != start+4 {
		t.Fatalf("%d frames after reading two 2-page files, %d before", filled, start)
	}
	fs.DropCaches()
	if used := frames.Used(); used != start+2 {
		t.Errorf("%d frames after the drop, want the mapped file's 2 over %d", used, start)
	}
	if got := readAll(dropped, hal.PageSize, 8); got != "quartz!\n" {
		t.Errorf("read after the drop %q", got)
	}
}
