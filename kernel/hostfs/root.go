package hostfs

import (
	"fmt"
	"path"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// Root is a confined, read-only view of a host directory.
type Root struct {
	fd   int
	host string // host path of the top directory, without a trailing slash
}

// Open makes a Root of the host directory dir.
func Open(dir string) (*Root, error) {
	fd, err := unix.Open(dir, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("root %s: %w", dir, err)
	}
	b := make([]byte, unix.PathMax)
	n, err := unix.Readlink("/proc/self/fd/"+strconv.Itoa(fd), b)
	if err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("root %s: %w", dir, err)
	}
	return &Root{fd: fd, host: strings.TrimSuffix(string(b[:n]), "/")}, nil
}

// Close releases the root.
func (r *Root) Close() error { return unix.Close(r.fd) }

const resolve = unix.RESOLVE_IN_ROOT | unix.RESOLVE_NO_MAGICLINKS

const writeFlags = unix.O_WRONLY | unix.O_RDWR | unix.O_CREAT | unix.O_TRUNC

// OpenFile opens the guest path p (absolute, or relative to the root) with
// open(2) flags. Writing is refused with the errors Linux gives on a
// read-only mount. The descriptor is the host's and close-on-exec.
func (r *Root) OpenFile(p string, flags int) (int, error) {
	if p == "" {
		return -1, unix.ENOENT
	}
	if flags&writeFlags != 0 || flags&unix.O_TMPFILE == unix.O_TMPFILE {
		return -1, r.writeError(p, flags)
	}
	fd, err := unix.Openat2(r.fd, p, &unix.OpenHow{
		Flags:   uint64(flags&^unix.O_NOCTTY) | unix.O_CLOEXEC,
		Resolve: resolve,
	})
	if err != nil {
		return -1, err
	}
	return fd, nil
}

// writeError is the error an open for writing gets on a read-only tree:
// the file-type and existence errors come first, as in Linux's may_open.
func (r *Root) writeError(p string, flags int) error {
	pflags := unix.O_PATH
	if flags&unix.O_NOFOLLOW != 0 {
		pflags |= unix.O_NOFOLLOW
	}
	fd, err := unix.Openat2(r.fd, p, &unix.OpenHow{Flags: uint64(pflags) | unix.O_CLOEXEC, Resolve: resolve})
	if err != nil {
		if err == unix.ENOENT && flags&unix.O_CREAT != 0 {
			// Creating a name: fine as far as the parent goes, then the
			// tree refuses it.
			dir, perr := r.openPath(path.Dir(p), true)
			if perr != nil {
				return perr
			}
			unix.Close(dir)
			return unix.EROFS
		}
		return err
	}
	defer unix.Close(fd)
	if flags&(unix.O_CREAT|unix.O_EXCL) == unix.O_CREAT|unix.O_EXCL {
		return unix.EEXIST
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err == nil && st.Mode&unix.S_IFMT == unix.S_IFDIR &&
		flags&(unix.O_WRONLY|unix.O_RDWR) != 0 {
		return unix.EISDIR
	}
	return unix.EROFS
}

// Stat is stat(2) (follow=true) or lstat(2) of the guest path p.
func (r *Root) Stat(p string, follow bool, st *unix.Stat_t) error {
	fd, err := r.openPath(p, follow)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	return unix.Fstatat(fd, "", st, unix.AT_EMPTY_PATH)
}

// Readlink returns the target of the symbolic link at p.
func (r *Root) Readlink(p string) (string, error) {
	fd, err := r.openPath(p, false)
	if err != nil {
		return "", err
	}
	defer unix.Close(fd)
	buf := make([]byte, unix.PathMax)
	n, err := unix.Readlinkat(fd, "", buf)
	if err != nil {
		if err == unix.ENOENT {
			return "", unix.EINVAL // not a link
		}
		return "", err
	}
	return string(buf[:n]), nil
}

// Access checks that p exists and, for write access, refuses: the tree is
// read-only.
func (r *Root) Access(p string, mode uint32, follow bool) error {
	var st unix.Stat_t
	if err := r.Stat(p, follow, &st); err != nil {
		return err
	}
	if mode&unix.W_OK != 0 {
		return unix.EROFS
	}
	if mode&unix.X_OK != 0 && st.Mode&0o111 == 0 && st.Mode&unix.S_IFMT != unix.S_IFDIR {
		return unix.EACCES
	}
	return nil
}

// openPath opens p with O_PATH: a handle on the name itself, for stat and
// readlink.
func (r *Root) openPath(p string, follow bool) (int, error) {
	if p == "" {
		return -1, unix.ENOENT
	}
	flags := uint64(unix.O_PATH | unix.O_CLOEXEC)
	if !follow {
		flags |= unix.O_NOFOLLOW
	}
	return unix.Openat2(r.fd, p, &unix.OpenHow{Flags: flags, Resolve: resolve})
}

// GuestPath returns the guest's absolute path of an open host descriptor
// inside the root: what getcwd(2) reports for a directory.
func (r *Root) GuestPath(fd int) (string, error) {
	buf := make([]byte, unix.PathMax)
	n, err := unix.Readlink("/proc/self/fd/"+strconv.Itoa(fd), buf)
	if err != nil {
		return "", err
	}
	host := string(buf[:n])
	if r.host == "" {
		return path.Clean(host), nil
	}
	if host == r.host {
		return "/", nil
	}
	if rest, ok := strings.CutPrefix(host, r.host+"/"); ok {
		return "/" + rest, nil
	}
	return "", unix.ENOENT
}

// Statx is statx(2) of the guest path p.
func (r *Root) Statx(p string, follow bool, flags, mask int, stx *unix.Statx_t) error {
	fd, err := r.openPath(p, follow)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	return unix.Statx(fd, "", flags|unix.AT_EMPTY_PATH, mask, stx)
}
