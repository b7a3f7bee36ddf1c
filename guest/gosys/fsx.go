package main

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// fileCalls exercises the descriptor and *at system calls directly:
// fcntl, dup3, openat and friends, renameat2, name and loop limits,
// copies through copy_file_range and splice, shared mappings of files.
func fileCalls(tmp string) {
	fmt.Println("== fcntl and dup")
	name := filepath.Join(tmp, "fcntl")
	f, err := os.Create(name)
	check(err == nil, "Create: %v", err)
	fd := int(f.Fd())
	flags, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0)
	fmt.Println("F_GETFD of an os.File:", flags&unix.FD_CLOEXEC, errno(err))
	d, err := unix.Dup(fd)
	flags, _ = unix.FcntlInt(uintptr(d), unix.F_GETFD, 0)
	fmt.Println("dup drops FD_CLOEXEC:", flags&unix.FD_CLOEXEC, errno(err))
	err = unix.Dup3(fd, 100, unix.O_CLOEXEC)
	flags, _ = unix.FcntlInt(100, unix.F_GETFD, 0)
	fmt.Println("dup3 to 100 with O_CLOEXEC:", flags&unix.FD_CLOEXEC, errno(err))
	fmt.Println("dup3 onto itself:", errno(unix.Dup3(fd, fd, 0)))
	high, err := unix.FcntlInt(uintptr(fd), unix.F_DUPFD, 50)
	fmt.Println("F_DUPFD from 50:", high >= 50, errno(err))
	fl, _ := unix.FcntlInt(uintptr(fd), unix.F_GETFL, 0)
	fmt.Println("F_GETFL access mode is O_RDWR:", fl&unix.O_ACCMODE == unix.O_RDWR, "append:", fl&unix.O_APPEND != 0)
	unix.Write(fd, []byte("0123456789"))
	_, err = unix.FcntlInt(uintptr(d), unix.F_SETFL, fl|unix.O_APPEND)
	fl, _ = unix.FcntlInt(uintptr(fd), unix.F_GETFL, 0)
	fmt.Println("F_SETFL O_APPEND on a duplicate shows on the original:", fl&unix.O_APPEND != 0, errno(err))
	unix.Seek(fd, 0, io.SeekStart)
	unix.Write(fd, []byte("END"))
	off, _ := unix.Seek(d, 0, io.SeekCurrent)
	fmt.Println("duplicates share the offset:", off)
	content, _ := os.ReadFile(name)
	fmt.Printf("append after F_SETFL: %q\n", content)
	for _, x := range []int{d, 100, high} {
		unix.Close(x)
	}
	_, err = unix.FcntlInt(uintptr(d), unix.F_GETFD, 0)
	fmt.Println("F_GETFD of a closed fd:", errno(err))
	fmt.Println("close of a closed fd:", errno(unix.Close(d)))
	f.Close()

	fmt.Println("== *at calls")
	dir, err := unix.Open(tmp, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	check(err == nil, "open dir: %v", err)
	fd, err = unix.Openat(dir, "rel", unix.O_CREAT|unix.O_WRONLY|unix.O_CLOEXEC, 0o640)
	fmt.Println("openat relative to a dir fd:", errno(err))
	unix.Write(fd, []byte("relative"))
	unix.Close(fd)
	var st unix.Stat_t
	err = unix.Fstatat(dir, "rel", &st, 0)
	fmt.Printf("fstatat: size %d mode %o %s\n", st.Size, st.Mode&0o7777, errno(err))
	fmt.Println("fchmodat:", errno(unix.Fchmodat(dir, "rel", 0o600, 0)))
	unix.Fstatat(dir, "rel", &st, 0)
	fmt.Printf("mode now %o\n", st.Mode&0o7777)
	fmt.Println("faccessat R_OK:", errno(unix.Faccessat(dir, "rel", unix.R_OK, 0)))
	fmt.Println("faccessat X_OK of a non-executable:", errno(unix.Faccessat(dir, "rel", unix.X_OK, 0)))
	fmt.Println("faccessat of a missing file:", errno(unix.Faccessat(dir, "missing", unix.F_OK, 0)))
	fmt.Println("mkdirat:", errno(unix.Mkdirat(dir, "sub", 0o755)))
	fmt.Println("linkat:", errno(unix.Linkat(dir, "rel", dir, "sub/rel-link", 0)))
	fmt.Println("symlinkat:", errno(unix.Symlinkat("../rel", dir, "sub/rel-sym")))
	buf := make([]byte, 100)
	n, err := unix.Readlinkat(dir, "sub/rel-sym", buf)
	fmt.Printf("readlinkat: %q %s\n", buf[:max(n, 0)], errno(err))
	fmt.Println("renameat:", errno(unix.Renameat(dir, "sub/rel-link", dir, "moved")))
	os.WriteFile(filepath.Join(tmp, "other"), []byte("other"), 0o644)
	fmt.Println("renameat2 NOREPLACE onto a file:", errno(unix.Renameat2(dir, "moved", dir, "other", unix.RENAME_NOREPLACE)))
	fmt.Println("renameat2 EXCHANGE:", errno(unix.Renameat2(dir, "moved", dir, "other", unix.RENAME_EXCHANGE)))
	a, _ := os.ReadFile(filepath.Join(tmp, "moved"))
	b, _ := os.ReadFile(filepath.Join(tmp, "other"))
	fmt.Printf("after exchange: moved=%q other=%q\n", a, b)
	fmt.Println("unlinkat of a dir without AT_REMOVEDIR:", errno(unix.Unlinkat(dir, "sub", 0)))
	fmt.Println("unlinkat AT_REMOVEDIR of a non-empty dir:", errno(unix.Unlinkat(dir, "sub", unix.AT_REMOVEDIR)))
	fmt.Println("unlinkat the symlink:", errno(unix.Unlinkat(dir, "sub/rel-sym", 0)))
	fmt.Println("unlinkat AT_REMOVEDIR:", errno(unix.Unlinkat(dir, "sub", unix.AT_REMOVEDIR)))
	fmt.Println("rmdir of a file:", errno(unix.Rmdir(filepath.Join(tmp, "rel"))))
	for _, n := range []string{"rel", "moved", "other"} {
		unix.Unlinkat(dir, n, 0)
	}
	fmt.Println("fsync of a directory:", errno(unix.Fsync(dir)))
	fmt.Println("fchdir:", errno(unix.Fchdir(dir)))
	wd, _ := os.Getwd()
	fmt.Println("getwd after fchdir is the temp dir:", wd == tmp)
	os.Chdir("/")
	unix.Close(dir)

	fmt.Println("== names and loops")
	long := strings.Repeat("n", 255)
	err = os.WriteFile(filepath.Join(tmp, long), nil, 0o644)
	fmt.Println("255-byte name:", errno(err))
	os.Remove(filepath.Join(tmp, long))
	err = os.WriteFile(filepath.Join(tmp, long+"n"), nil, 0o644)
	fmt.Println("256-byte name:", errno(err))
	os.Symlink("loop-b", filepath.Join(tmp, "loop-a"))
	os.Symlink("loop-a", filepath.Join(tmp, "loop-b"))
	_, err = os.Open(filepath.Join(tmp, "loop-a"))
	fmt.Println("symlink loop:", errno(err))
	_, err = unix.Open(filepath.Join(tmp, "loop-a"), unix.O_RDONLY|unix.O_NOFOLLOW, 0)
	fmt.Println("O_NOFOLLOW on a symlink:", errno(err))
	os.Remove(filepath.Join(tmp, "loop-a"))
	os.Remove(filepath.Join(tmp, "loop-b"))
	_, err = unix.Open("/etc/passwd", unix.O_RDONLY|unix.O_DIRECTORY, 0)
	fmt.Println("O_DIRECTORY on a file:", errno(err))

	fmt.Println("== a big directory")
	many := filepath.Join(tmp, "many")
	os.Mkdir(many, 0o755)
	for i := 0; i < 300; i++ {
		os.WriteFile(filepath.Join(many, "file-"+strconv.Itoa(i)), nil, 0o644)
	}
	ents, err := os.ReadDir(many)
	fmt.Println("entries:", len(ents), errno(err), "first:", ents[0].Name(), "last:", ents[len(ents)-1].Name())
	for i := 0; i < 300; i += 2 {
		os.Remove(filepath.Join(many, "file-"+strconv.Itoa(i)))
	}
	ents, _ = os.ReadDir(many)
	fmt.Println("after removing half:", len(ents))
	os.RemoveAll(many)

	fmt.Println("== copies")
	src := filepath.Join(tmp, "copy-src")
	data := make([]byte, 300000)
	for i := range data {
		data[i] = byte(i*31 + i>>9)
	}
	os.WriteFile(src, data, 0o644)
	want := sha256.Sum256(data)
	in, _ := os.Open(src)
	out, _ := os.Create(filepath.Join(tmp, "copy-dst"))
	copied, err := io.Copy(out, in) // copy_file_range, or a fallback
	in.Close()
	out.Close()
	got, _ := os.ReadFile(filepath.Join(tmp, "copy-dst"))
	fmt.Println("file to file:", copied, errno(err), sha256.Sum256(got) == want)
	pr, pw, _ := os.Pipe()
	go func() {
		pw.Write(data)
		pw.Close()
	}()
	out, _ = os.Create(filepath.Join(tmp, "copy-pipe"))
	copied, err = io.Copy(out, pr) // splice, or a fallback
	out.Close()
	pr.Close()
	got, _ = os.ReadFile(filepath.Join(tmp, "copy-pipe"))
	fmt.Println("pipe to file:", copied, errno(err), sha256.Sum256(got) == want)
	pr, pw, _ = os.Pipe()
	in, _ = os.Open(src)
	done := make(chan []byte)
	go func() {
		b, _ := io.ReadAll(pr)
		done <- b
	}()
	copied, err = io.Copy(pw, in) // sendfile or splice, or a fallback
	pw.Close()
	in.Close()
	got = <-done
	pr.Close()
	fmt.Println("file to pipe:", copied, errno(err), sha256.Sum256(got) == want)
	for _, n := range []string{"copy-src", "copy-dst", "copy-pipe"} {
		os.Remove(filepath.Join(tmp, n))
	}

	fmt.Println("== mapped files")
	mname := filepath.Join(tmp, "mapped")
	os.WriteFile(mname, bytes.Repeat([]byte("a"), 8192), 0o644)
	mf, _ := os.OpenFile(mname, os.O_RDWR, 0)
	m, err := unix.Mmap(int(mf.Fd()), 0, 8192, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
	if err != nil {
		fmt.Println("mmap shared:", errno(err))
		failed = true
		mf.Close()
		return
	}
	m[0] = 'M'
	one := make([]byte, 1)
	mf.ReadAt(one, 0)
	fmt.Printf("store through the mapping, read(): %q\n", one)
	mf.WriteAt([]byte("W"), 4097)
	fmt.Printf("write(), load through the mapping: %q\n", m[4097])
	fmt.Println("msync:", errno(unix.Msync(m, unix.MS_SYNC)))
	fmt.Println("munmap:", errno(unix.Munmap(m)))
	p, err := unix.Mmap(int(mf.Fd()), 0, 4096, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE)
	check(err == nil, "mmap private: %v", err)
	if err == nil {
		fmt.Printf("private mapping sees the file: %q\n", p[0])
		p[1] = 'P'
		mf.ReadAt(one, 1)
		fmt.Printf("private store not in the file: %q\n", one)
		unix.Munmap(p)
	}
	fmt.Println("fallocate:", errno(unix.Fallocate(int(mf.Fd()), 0, 0, 20000)))
	fi, _ := mf.Stat()
	fmt.Println("size after fallocate:", fi.Size())
	link, err := os.Readlink("/proc/self/fd/" + strconv.Itoa(int(mf.Fd())))
	fmt.Println("/proc/self/fd names the file:", link == mname, errno(err))
	mf.Close()
	content, _ = os.ReadFile(mname)
	fmt.Printf("file starts: %q\n", content[:3])
	os.Remove(mname)
}
