package hostfs

import (
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"
)

// tree makes: top/{inside.txt, dir/, abs -> /, up -> ../../.., esc -> /inside.txt}
// next to a file outside.txt that must stay unreachable.
func tree(t *testing.T) (*Root, string) {
	t.Helper()
	base := t.TempDir()
	top := filepath.Join(base, "top")
	must(t, os.MkdirAll(filepath.Join(top, "dir"), 0o755))
	must(t, os.WriteFile(filepath.Join(base, "outside.txt"), []byte("outside"), 0o644))
	must(t, os.WriteFile(filepath.Join(top, "inside.txt"), []byte("inside"), 0o644))
	must(t, os.Symlink("/", filepath.Join(top, "abs")))
	must(t, os.Symlink("../../..", filepath.Join(top, "dir", "up")))
	must(t, os.Symlink("/inside.txt", filepath.Join(top, "esc")))
	r, err := Open(top)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r, top
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, r *Root, p string) (string, error) {
	fd, err := r.OpenFile(p, unix.O_RDONLY)
	if err != nil {
		return "", err
	}
	defer unix.Close(fd)
	b := make([]byte, 100)
	n, err := unix.Read(fd, b)
	return string(b[:n]), err
}

func TestConfinement(t *testing.T) {
	r, _ := tree(t)
	for _, p := range []string{
		"/inside.txt", "inside.txt", "/../inside.txt", "/../../../../inside.txt",
		"/abs/inside.txt", "/dir/up/inside.txt", "/esc", "/dir/../dir/../inside.txt",
	} {
		got, err := read(t, r, p)
		if err != nil || got != "inside" {
			t.Errorf("%s: got %q, %v; want the file inside the root", p, got, err)
		}
	}
	for _, p := range []string{"/../outside.txt", "/abs/../outside.txt", "/dir/up/outside.txt"} {
		if got, err := read(t, r, p); err != unix.ENOENT {
			t.Errorf("%s: got %q, %v; want ENOENT (outside stays unreachable)", p, got, err)
		}
	}
}

func TestReadOnlyErrors(t *testing.T) {
	r, _ := tree(t)
	cases := []struct {
		path  string
		flags int
		want  error
	}{
		{"/inside.txt", unix.O_WRONLY, unix.EROFS},
		{"/inside.txt", unix.O_RDWR | unix.O_TRUNC, unix.EROFS},
		{"/new.txt", unix.O_WRONLY | unix.O_CREAT, unix.EROFS},
		{"/inside.txt", unix.O_WRONLY | unix.O_CREAT | unix.O_EXCL, unix.EEXIST},
		{"/dir", unix.O_WRONLY, unix.EISDIR},
		{"/missing", unix.O_WRONLY, unix.ENOENT},
		{"/nodir/new", unix.O_WRONLY | unix.O_CREAT, unix.ENOENT},
		{"/inside.txt/x", unix.O_RDONLY, unix.ENOTDIR},
		{"", unix.O_RDONLY, unix.ENOENT},
	}
	for _, c := range cases {
		fd, err := r.OpenFile(c.path, c.flags)
		if err == nil {
			unix.Close(fd)
		}
		if err != c.want {
			t.Errorf("open(%q, %#x) = %v, want %v", c.path, c.flags, err, c.want)
		}
	}
}

func TestStatReadlinkAccess(t *testing.T) {
	r, _ := tree(t)
	var st unix.Stat_t
	must(t, r.Stat("/abs", true, &st))
	if st.Mode&unix.S_IFMT != unix.S_IFDIR {
		t.Errorf("stat /abs: mode %o, want a directory (the root itself)", st.Mode)
	}
	must(t, r.Stat("/abs", false, &st))
	if st.Mode&unix.S_IFMT != unix.S_IFLNK {
		t.Errorf("lstat /abs: mode %o, want a link", st.Mode)
	}
	if target, err := r.Readlink("/dir/up"); err != nil || target != "../../.." {
		t.Errorf("readlink = %q, %v", target, err)
	}
	if _, err := r.Readlink("/inside.txt"); err != unix.EINVAL {
		t.Errorf("readlink of a file = %v, want EINVAL", err)
	}
	if err := r.Access("/inside.txt", unix.W_OK, true); err != unix.EROFS {
		t.Errorf("access W_OK = %v, want EROFS", err)
	}
	if err := r.Access("/inside.txt", unix.X_OK, true); err != unix.EACCES {
		t.Errorf("access X_OK on 0644 = %v, want EACCES", err)
	}
	if err := r.Access("/missing", unix.R_OK, true); err != unix.ENOENT {
		t.Errorf("access missing = %v, want ENOENT", err)
	}
}

func TestGuestPath(t *testing.T) {
	r, _ := tree(t)
	fd, err := r.OpenFile("/abs/dir/up", unix.O_RDONLY|unix.O_DIRECTORY)
	must(t, err)
	defer unix.Close(fd)
	if p, err := r.GuestPath(fd); err != nil || p != "/" {
		t.Errorf("guest path of the escaped-to root = %q, %v; want /", p, err)
	}
	fd2, err := r.OpenFile("/dir", unix.O_RDONLY|unix.O_DIRECTORY)
	must(t, err)
	defer unix.Close(fd2)
	if p, err := r.GuestPath(fd2); err != nil || p != "/dir" {
		t.Errorf("guest path = %q, %v; want /dir", p, err)
	}
}
