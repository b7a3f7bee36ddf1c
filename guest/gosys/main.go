// Command gosys exercises the system calls behind Go's os, os/exec,
// os/signal, path/filepath and syscall packages: starting programs and
// pipelines, pipes, signals sent to itself, files and directories in a
// temporary directory under /tmp, flock, poll/select/epoll, and the
// descriptor and *at calls, copies and file mappings underneath. Everything it prints is the
// same from run to run, so a run inside a kernel can be compared with a
// native one.
//
// gosys runs /bin/busybox and itself (as "gosys child ...") as children.
// Given section names (exec, pipe, signal, file, walk, flock, poll,
// fsx), it runs only those.
package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"syscall"
	"time"
)

const busybox = "/bin/busybox"

var failed bool

// check reports a failed expectation; the run goes on.
func check(ok bool, what string, args ...any) {
	if !ok {
		fmt.Printf("FAILED: "+what+"\n", args...)
		failed = true
	}
}

// errno names the error number inside err, or describes err without the
// path names it may hold.
func errno(err error) string {
	if err == nil {
		return "ok"
	}
	var en syscall.Errno
	if errors.As(err, &en) {
		return en.Error()
	}
	switch {
	case errors.Is(err, os.ErrDeadlineExceeded):
		return "deadline exceeded"
	case errors.Is(err, os.ErrClosed):
		return "file already closed"
	case errors.Is(err, exec.ErrNotFound):
		return "executable not found"
	case errors.Is(err, io.EOF):
		return "EOF"
	}
	return fmt.Sprintf("%T", err)
}

// status describes how a command ended.
func status(err error) string {
	if err == nil {
		return "exit 0"
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		return "error: " + errno(err)
	}
	ws := ee.Sys().(syscall.WaitStatus)
	if ws.Signaled() {
		return fmt.Sprintf("killed by %v (ExitCode %d)", ws.Signal(), ee.ExitCode())
	}
	return fmt.Sprintf("exit %d", ee.ExitCode())
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "child" {
		child(os.Args[2:])
		return
	}
	syscall.Umask(0o022)
	tmp, err := os.MkdirTemp("/tmp", "gosys-")
	if err != nil {
		fmt.Println("MkdirTemp:", errno(err))
		os.Exit(2)
	}
	sections := []struct {
		name string
		run  func()
	}{
		{"exec", func() { commands(tmp) }},
		{"pipe", pipes},
		{"signal", signals},
		{"file", func() { files(tmp) }},
		{"walk", func() { walk(tmp) }},
		{"flock", func() { flock(tmp) }},
		{"poll", polling},
		{"fsx", func() { fileCalls(tmp) }},
	}
	for _, s := range sections {
		if len(os.Args) == 1 || slices.Contains(os.Args[1:], s.name) {
			s.run()
		}
	}

	fmt.Println("== cleanup")
	check(os.RemoveAll(tmp) == nil, "RemoveAll")
	_, err = os.Stat(tmp)
	fmt.Println("temp dir gone:", errors.Is(err, fs.ErrNotExist))
	if failed {
		fmt.Println("FAILED")
		os.Exit(1)
	}
	fmt.Println("all passed")
}

// child holds what gosys does when it runs itself.
func child(args []string) {
	switch args[0] {
	case "reset":
		// Catch SIGTERM once, reset it, and die of the second one.
		ch := make(chan os.Signal, 1)
		signal.Notify(ch, syscall.SIGTERM)
		syscall.Kill(os.Getpid(), syscall.SIGTERM)
		select {
		case s := <-ch:
			fmt.Println("child caught", s)
		case <-time.After(10 * time.Second):
			fmt.Println("child: no signal")
		}
		signal.Reset(syscall.SIGTERM)
		syscall.Kill(os.Getpid(), syscall.SIGTERM)
		time.Sleep(5 * time.Second)
		fmt.Println("child survived SIGTERM")
	case "ignore":
		// An ignored signal stays ignored across exec.
		signal.Ignore(syscall.SIGTERM)
		out, err := exec.Command(busybox, "sh", "-c", "kill -TERM $$; echo sh survived").CombinedOutput()
		fmt.Printf("child: %q %s\n", out, status(err))
	case "flock":
		f, err := os.OpenFile(args[1], os.O_RDWR, 0)
		if err != nil {
			fmt.Println("child open:", errno(err))
			os.Exit(3)
		}
		fmt.Println("child LOCK_EX|LOCK_NB:", errno(syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)))
		fmt.Println("child LOCK_SH|LOCK_NB:", errno(syscall.Flock(int(f.Fd()), syscall.LOCK_SH|syscall.LOCK_NB)))
	case "exit":
		os.Exit(len(args[1]))
	}
}

func commands(tmp string) {
	fmt.Println("== os/exec")
	out, err := exec.Command(busybox, "echo", "hello", "from", "echo").Output()
	fmt.Printf("echo: %q %s\n", out, status(err))

	// seq | awk through StdoutPipe.
	seq := exec.Command(busybox, "seq", "1", "100")
	awk := exec.Command(busybox, "awk", "{ s += $1 } END { print s, NR }")
	p, err := seq.StdoutPipe()
	check(err == nil, "StdoutPipe: %v", err)
	awk.Stdin = p
	var sum bytes.Buffer
	awk.Stdout = &sum
	check(seq.Start() == nil, "start seq")
	check(awk.Start() == nil, "start awk")
	errAwk := awk.Wait()
	errSeq := seq.Wait()
	fmt.Printf("seq | awk: %q %s %s\n", sum.String(), status(errSeq), status(errAwk))

	// A longer pipeline joined with os.Pipe: seq | grep | sort -rn | tail.
	stages := []*exec.Cmd{
		exec.Command(busybox, "seq", "1", "5000"),
		exec.Command(busybox, "grep", "7"),
		exec.Command(busybox, "sort", "-rn"),
		exec.Command(busybox, "tail", "-n", "3"),
	}
	var last bytes.Buffer
	stages[len(stages)-1].Stdout = &last
	var ends []*os.File
	for i := 0; i < len(stages)-1; i++ {
		r, w, err := os.Pipe()
		check(err == nil, "os.Pipe: %v", err)
		stages[i].Stdout = w
		stages[i+1].Stdin = r
		ends = append(ends, r, w)
	}
	for _, c := range stages {
		check(c.Start() == nil, "start %s", c.Args[1])
	}
	for _, f := range ends {
		f.Close()
	}
	var sts []string
	for _, c := range stages {
		sts = append(sts, status(c.Wait()))
	}
	fmt.Printf("four stages: %q %v\n", last.String(), sts)

	// Standard input from a reader, environment, directory.
	tr := exec.Command(busybox, "tr", "a-z", "A-Z")
	tr.Stdin = strings.NewReader("shout this\n")
	out, err = tr.Output()
	fmt.Printf("tr: %q %s\n", out, status(err))
	env := exec.Command(busybox, "sh", "-c", `echo "$GOSYS_ONE $GOSYS_TWO"; env | grep -c GOSYS_`)
	env.Env = []string{"GOSYS_ONE=first", "GOSYS_TWO=second value", "PATH=/bin:/usr/bin"}
	out, err = env.Output()
	fmt.Printf("env: %q %s\n", out, status(err))
	pwd := exec.Command(busybox, "pwd")
	pwd.Dir = tmp
	out, err = pwd.Output()
	fmt.Printf("dir: %v %s\n", strings.TrimSpace(string(out)) == tmp, status(err))
	both := exec.Command(busybox, "sh", "-c", "echo out; echo err >&2; echo out2; exit 3")
	out, err = both.CombinedOutput()
	fmt.Printf("combined: %q %s\n", out, status(err))
	var stderr bytes.Buffer
	sep := exec.Command(busybox, "cat", "/no/such/file")
	sep.Stderr = &stderr
	err = sep.Run()
	fmt.Printf("stderr: %q %s\n", stderr.String(), status(err))

	// An extra descriptor: the child writes to its fd 3, a pipe to us.
	r, w, err := os.Pipe()
	check(err == nil, "os.Pipe: %v", err)
	extra := exec.Command(busybox, "sh", "-c", "echo through fd 3 >&3; ls /proc/self/fd >/dev/null")
	extra.ExtraFiles = []*os.File{w}
	check(extra.Start() == nil, "start extra")
	w.Close()
	got, err := io.ReadAll(r)
	r.Close()
	fmt.Printf("extra file: %q %s %s\n", got, errno(err), status(extra.Wait()))

	fmt.Println("== exit statuses")
	fmt.Println("false:", status(exec.Command(busybox, "false").Run()))
	fmt.Println("exit 7:", status(exec.Command(busybox, "sh", "-c", "exit 7").Run()))
	fmt.Println("exit 255:", status(exec.Command(busybox, "sh", "-c", "exit 255").Run()))
	fmt.Println("self TERM:", status(exec.Command(busybox, "sh", "-c", "kill -TERM $$").Run()))
	fmt.Println("self KILL:", status(exec.Command(busybox, "sh", "-c", "kill -KILL $$").Run()))
	fmt.Println("no such program:", status(exec.Command("/no/such/program").Run()))
	fmt.Println("not executable:", status(exec.Command("/etc/passwd").Run()))
	fmt.Println("directory:", status(exec.Command("/tmp").Run()))
	_, err = exec.LookPath("no-such-command-anywhere")
	fmt.Println("LookPath:", errno(err))
	lp, err := exec.LookPath("busybox")
	fmt.Println("LookPath busybox:", filepath.Base(lp), errno(err))

	sleep := exec.Command(busybox, "sleep", "10")
	check(sleep.Start() == nil, "start sleep")
	check(sleep.Process.Signal(syscall.SIGUSR1) == nil, "signal sleep")
	fmt.Println("signalled sleep:", status(sleep.Wait()))
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	err = exec.CommandContext(ctx, busybox, "sleep", "10").Run()
	cancel()
	fmt.Println("context deadline:", status(err))
	start := time.Now()
	err = exec.Command(busybox, "sleep", "0.2").Run()
	fmt.Println("sleep 0.2:", status(err), "took at least 200ms:", time.Since(start) >= 200*time.Millisecond)

	self, err := os.Executable()
	check(err == nil, "os.Executable: %v", err)
	out, err = exec.Command(self, "child", "exit", "four").Output()
	fmt.Printf("self child: %q %s\n", out, status(err))
}

func pipes() {
	fmt.Println("== os.Pipe")
	r, w, err := os.Pipe()
	check(err == nil, "os.Pipe: %v", err)
	fi, err := r.Stat()
	check(err == nil, "Stat pipe: %v", err)
	fmt.Println("is a pipe:", fi.Mode()&fs.ModeNamedPipe != 0)
	n, err := w.Write([]byte("abc"))
	fmt.Println("write:", n, errno(err))
	w.Close()
	got, err := io.ReadAll(r)
	fmt.Printf("read all: %q %s\n", got, errno(err))
	n, err = r.Read(make([]byte, 10))
	fmt.Println("read after writer closed:", n, errno(err))
	r.Close()
	_, err = r.Read(make([]byte, 1))
	fmt.Println("read after close:", errno(err))
	fmt.Println("second close:", errno(r.Close()))

	// Writing with the reader gone: EPIPE, and SIGPIPE does not kill us.
	r, w, _ = os.Pipe()
	r.Close()
	n, err = w.Write([]byte("nobody listens"))
	fmt.Println("write to closed reader:", n, errno(err))
	w.Close()

	// A megabyte through the pipe, in odd-sized pieces.
	r, w, _ = os.Pipe()
	data := make([]byte, 1<<20)
	for i := range data {
		data[i] = byte(i*7 + i>>11)
	}
	go func() {
		for off := 0; off < len(data); {
			end := min(off+12345, len(data))
			if _, err := w.Write(data[off:end]); err != nil {
				break
			}
			off = end
		}
		w.Close()
	}()
	h := sha256.New()
	total, err := io.CopyBuffer(h, r, make([]byte, 3000))
	want := sha256.Sum256(data)
	fmt.Println("megabyte:", total, errno(err), "digest matches:", bytes.Equal(h.Sum(nil), want[:]))
	r.Close()

	// Deadlines on an empty and on a full pipe.
	r, w, _ = os.Pipe()
	r.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	n, err = r.Read(make([]byte, 10))
	fmt.Println("read deadline:", n, errno(err))
	w.SetWriteDeadline(time.Now().Add(50 * time.Millisecond))
	n, err = w.Write(make([]byte, 1<<20))
	fmt.Println("write deadline:", n, errno(err))
	r.SetReadDeadline(time.Time{})
	w.SetWriteDeadline(time.Time{})
	buf := make([]byte, 1<<20)
	n, err = io.ReadAtLeast(r, buf, n)
	fmt.Println("drained:", n, errno(err))

	// The end of file waits for every writer, duplicates included.
	dup, err := syscall.Dup(int(w.Fd()))
	check(err == nil, "dup: %v", err)
	_, err = w.Write([]byte("x"))
	check(err == nil, "write x: %v", err)
	w.Close()
	r.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	n, err = r.Read(buf)
	fmt.Println("one byte:", n, errno(err))
	n, err = r.Read(buf)
	fmt.Println("duplicate writer open:", n, errno(err))
	syscall.Close(dup)
	r.SetReadDeadline(time.Now().Add(5 * time.Second))
	n, err = r.Read(buf)
	fmt.Println("all writers closed:", n, errno(err))
	r.Close()

	// Closing a pipe wakes its blocked reader.
	r, w, _ = os.Pipe()
	done := make(chan error)
	go func() {
		_, err := r.Read(make([]byte, 1))
		done <- err
	}()
	time.Sleep(50 * time.Millisecond)
	r.Close()
	fmt.Println("blocked read on close:", errno(<-done))
	w.Close()

	// A raw non-blocking pipe.
	var fds [2]int
	check(syscall.Pipe2(fds[:], syscall.O_NONBLOCK|syscall.O_CLOEXEC) == nil, "pipe2")
	_, err = syscall.Read(fds[0], buf[:1])
	fmt.Println("non-blocking empty read:", errno(err))
	total = 0
	for {
		n, err := syscall.Write(fds[1], buf[:4096])
		if err != nil {
			fmt.Println("non-blocking write until full:", total, errno(err))
			break
		}
		total += int64(n)
	}
	syscall.Close(fds[1])
	total = 0
	for {
		n, err := syscall.Read(fds[0], buf)
		if n <= 0 {
			fmt.Println("read back:", total, errno(err))
			break
		}
		total += int64(n)
	}
	syscall.Close(fds[0])
}

func signals() {
	fmt.Println("== os/signal")
	ch := make(chan os.Signal, 4)
	signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM, syscall.SIGUSR1)
	for _, s := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGUSR1} {
		check(syscall.Kill(os.Getpid(), s) == nil, "kill %v", s)
		select {
		case got := <-ch:
			fmt.Println("received:", got)
		case <-time.After(10 * time.Second):
			fmt.Println("not received:", s)
			failed = true
		}
	}
	// A signal sent to one thread with tgkill.
	check(syscall.Tgkill(os.Getpid(), syscall.Gettid(), syscall.SIGUSR1) == nil, "tgkill")
	select {
	case got := <-ch:
		fmt.Println("received from tgkill:", got)
	case <-time.After(10 * time.Second):
		fmt.Println("tgkill signal not received")
		failed = true
	}

	signal.Ignore(syscall.SIGUSR1)
	fmt.Println("ignored:", signal.Ignored(syscall.SIGUSR1))
	syscall.Kill(os.Getpid(), syscall.SIGUSR1)
	select {
	case got := <-ch:
		fmt.Println("ignored signal delivered:", got)
		failed = true
	case <-time.After(100 * time.Millisecond):
		fmt.Println("ignored signal not delivered")
	}
	signal.Reset(syscall.SIGINT, syscall.SIGTERM, syscall.SIGUSR1)
	signal.Stop(ch)

	chld := make(chan os.Signal, 1)
	signal.Notify(chld, syscall.SIGCHLD)
	check(exec.Command(busybox, "true").Run() == nil, "busybox true")
	select {
	case got := <-chld:
		fmt.Println("received:", got)
	case <-time.After(10 * time.Second):
		fmt.Println("no SIGCHLD")
		failed = true
	}
	signal.Reset(syscall.SIGCHLD)

	self, err := os.Executable()
	check(err == nil, "os.Executable: %v", err)
	out, err := exec.Command(self, "child", "reset").Output()
	fmt.Printf("child after Reset: %q %s\n", out, status(err))
	out, err = exec.Command(self, "child", "ignore").Output()
	fmt.Printf("child ignoring TERM: %q %s\n", out, status(err))
}

func files(tmp string) {
	fmt.Println("== files")
	name := filepath.Join(tmp, "a.txt")
	f, err := os.Create(name)
	check(err == nil, "Create: %v", err)
	n, err := f.WriteString("hello world\n")
	fmt.Println("write:", n, errno(err))
	off, err := f.Seek(6, io.SeekStart)
	fmt.Println("seek start:", off, errno(err))
	buf := make([]byte, 5)
	n, err = f.Read(buf)
	fmt.Printf("read: %d %q %s\n", n, buf[:n], errno(err))
	off, _ = f.Seek(0, io.SeekCurrent)
	fmt.Println("seek current:", off)
	off, _ = f.Seek(-3, io.SeekEnd)
	fmt.Println("seek end-3:", off)
	_, err = f.Seek(-100, io.SeekStart)
	fmt.Println("seek before start:", errno(err))
	n, err = f.WriteAt([]byte("HELLO"), 0)
	fmt.Println("write at 0:", n, errno(err))
	n, err = f.ReadAt(buf, 0)
	fmt.Printf("read at 0: %d %q %s\n", n, buf[:n], errno(err))
	n, err = f.ReadAt(buf, 10)
	fmt.Printf("read at 10: %d %q %s\n", n, buf[:n], errno(err))
	fi, _ := f.Stat()
	fmt.Println("size:", fi.Size(), "mode:", fi.Mode())
	check(f.Truncate(5) == nil, "Truncate")
	fi, _ = f.Stat()
	fmt.Println("truncated size:", fi.Size())
	f.Seek(10, io.SeekStart)
	f.Write([]byte("X"))
	check(f.Sync() == nil, "Sync")
	fi, _ = f.Stat()
	fmt.Println("size after write past end:", fi.Size())
	fmt.Println("close:", errno(f.Close()), "again:", errno(f.Close()))
	content, err := os.ReadFile(name)
	fmt.Printf("content: %q %s\n", content, errno(err))

	af, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND, 0)
	check(err == nil, "open append: %v", err)
	af.Seek(0, io.SeekStart)
	af.WriteString("+tail")
	af.Close()
	content, _ = os.ReadFile(name)
	fmt.Printf("appended: %q\n", content)
	check(os.Truncate(name, 3) == nil, "os.Truncate")
	content, _ = os.ReadFile(name)
	fmt.Printf("truncated by name: %q\n", content)

	_, err = os.OpenFile(name, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	fmt.Println("O_EXCL on existing:", errno(err))
	_, err = os.Open(filepath.Join(tmp, "missing"))
	fmt.Println("open missing:", errno(err))
	_, err = os.OpenFile(tmp, os.O_WRONLY, 0)
	fmt.Println("open dir for writing:", errno(err))
	_, err = os.ReadFile(tmp)
	fmt.Println("read a directory:", errno(err))
	_, err = os.Open(filepath.Join(name, "below-a-file"))
	fmt.Println("path through a file:", errno(err))
	err = os.WriteFile(filepath.Join(tmp, "no", "dir", "f"), nil, 0o644)
	fmt.Println("create in missing dir:", errno(err))

	fmt.Println("== permissions")
	perm := filepath.Join(tmp, "perm")
	check(os.WriteFile(perm, []byte("p"), 0o666) == nil, "WriteFile")
	fi, _ = os.Stat(perm)
	fmt.Println("created 0666 under umask 022:", fi.Mode())
	check(os.Chmod(perm, 0o600) == nil, "Chmod")
	fi, _ = os.Stat(perm)
	fmt.Println("after chmod 0600:", fi.Mode())
	check(os.Mkdir(filepath.Join(tmp, "d"), 0o777) == nil, "Mkdir")
	fi, _ = os.Stat(filepath.Join(tmp, "d"))
	fmt.Println("mkdir 0777 under umask 022:", fi.Mode())
	when := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	check(os.Chtimes(perm, when, when) == nil, "Chtimes")
	fi, _ = os.Stat(perm)
	fmt.Println("mtime:", fi.ModTime().UTC())

	fmt.Println("== rename and remove")
	b := filepath.Join(tmp, "b.txt")
	fmt.Println("rename:", errno(os.Rename(name, b)))
	_, err = os.Stat(name)
	fmt.Println("old name:", errno(err))
	content, _ = os.ReadFile(b)
	fmt.Printf("new name: %q\n", content)
	check(os.WriteFile(name, []byte("replacement"), 0o644) == nil, "WriteFile")
	fmt.Println("rename over a file:", errno(os.Rename(name, b)))
	content, _ = os.ReadFile(b)
	fmt.Printf("replaced: %q\n", content)
	check(os.MkdirAll(filepath.Join(tmp, "d", "e"), 0o755) == nil, "MkdirAll")
	fmt.Println("rename into itself:", errno(os.Rename(filepath.Join(tmp, "d"), filepath.Join(tmp, "d", "e", "f"))))
	fmt.Println("rename dir over file:", errno(os.Rename(filepath.Join(tmp, "d"), b)))
	fmt.Println("rename dir:", errno(os.Rename(filepath.Join(tmp, "d"), filepath.Join(tmp, "dd"))))
	fmt.Println("mkdir existing:", errno(os.Mkdir(filepath.Join(tmp, "dd"), 0o755)))
	fmt.Println("remove non-empty dir:", errno(os.Remove(filepath.Join(tmp, "dd"))))
	fmt.Println("remove missing:", errno(os.Remove(filepath.Join(tmp, "missing"))))
	fmt.Println("remove file:", errno(os.Remove(b)))
	fmt.Println("remove tree:", errno(os.RemoveAll(filepath.Join(tmp, "dd"))))

	fmt.Println("== links")
	target := filepath.Join(tmp, "target")
	os.WriteFile(target, []byte("target data"), 0o644)
	link := filepath.Join(tmp, "symlink")
	check(os.Symlink("target", link) == nil, "Symlink")
	dest, err := os.Readlink(link)
	fmt.Println("readlink:", dest, errno(err))
	lfi, _ := os.Lstat(link)
	sfi, _ := os.Stat(link)
	fmt.Println("lstat:", lfi.Mode().Type() == fs.ModeSymlink, "stat:", sfi.Mode().IsRegular(), sfi.Size())
	content, _ = os.ReadFile(link)
	fmt.Printf("through the link: %q\n", content)
	os.Symlink("nowhere", filepath.Join(tmp, "dangling"))
	_, err = os.Stat(filepath.Join(tmp, "dangling"))
	fmt.Println("dangling stat:", errno(err))
	_, err = os.Lstat(filepath.Join(tmp, "dangling"))
	fmt.Println("dangling lstat:", errno(err))
	_, err = os.Readlink(target)
	fmt.Println("readlink of a file:", errno(err))
	hard := filepath.Join(tmp, "hard")
	check(os.Link(target, hard) == nil, "Link")
	hfi, _ := os.Stat(hard)
	tfi, _ := os.Stat(target)
	fmt.Println("hard link same file:", os.SameFile(hfi, tfi), "links:", hfi.Sys().(*syscall.Stat_t).Nlink)
	os.Remove(target)
	content, _ = os.ReadFile(hard)
	hfi, _ = os.Stat(hard)
	fmt.Printf("after removing the first name: %q links %d\n", content, hfi.Sys().(*syscall.Stat_t).Nlink)

	fmt.Println("== unlinked but open")
	u := filepath.Join(tmp, "unlinked")
	uf, _ := os.Create(u)
	uf.WriteString("still here")
	os.Remove(u)
	uf.Seek(0, io.SeekStart)
	content, err = io.ReadAll(uf)
	fmt.Printf("read after unlink: %q %s\n", content, errno(err))
	uf.Close()

	fmt.Println("== working directory")
	old, _ := os.Getwd()
	check(os.Chdir(tmp) == nil, "Chdir")
	wd, _ := os.Getwd()
	fmt.Println("getwd is the temp dir:", wd == tmp)
	os.WriteFile("relative", []byte("rel"), 0o644)
	content, err = os.ReadFile(filepath.Join(tmp, "relative"))
	fmt.Printf("relative create: %q %s\n", content, errno(err))
	fmt.Println("chdir to a file:", errno(os.Chdir("relative")))
	os.Remove("relative")
	check(os.Chdir(old) == nil, "Chdir back")

	fmt.Println("== a large file")
	big := filepath.Join(tmp, "big")
	bf, _ := os.Create(big)
	h := sha256.New()
	chunk := make([]byte, 100000)
	for i := 0; i < 30; i++ {
		for j := range chunk {
			chunk[j] = byte(i + j*13)
		}
		bf.Write(chunk)
		h.Write(chunk)
	}
	bf.Close()
	bf, _ = os.Open(big)
	h2 := sha256.New()
	total, err := io.CopyBuffer(h2, bf, make([]byte, 7777))
	bf.Close()
	fmt.Println("big file:", total, errno(err), "digest matches:", bytes.Equal(h.Sum(nil), h2.Sum(nil)))
	os.Remove(big)

	fmt.Println("== directories")
	for _, n := range []string{"zeta", "alpha", "mid", "beta"} {
		os.WriteFile(filepath.Join(tmp, n), []byte(n), 0o644)
	}
	os.Mkdir(filepath.Join(tmp, "sub"), 0o755)
	ents, err := os.ReadDir(tmp)
	var names []string
	for _, e := range ents {
		names = append(names, e.Name()+map[bool]string{true: "/", false: ""}[e.IsDir()])
	}
	fmt.Println("ReadDir:", names, errno(err))
	df, _ := os.Open(tmp)
	var chunks []int
	var all []string
	for {
		part, err := df.Readdirnames(3)
		if err != nil {
			fmt.Println("Readdirnames end:", errno(err))
			break
		}
		chunks = append(chunks, len(part))
		all = append(all, part...)
	}
	df.Close()
	sort.Strings(all)
	fmt.Println("Readdirnames:", chunks, all)
	for _, n := range []string{"zeta", "alpha", "mid", "beta", "sub", "perm", "hard", "symlink", "dangling"} {
		check(os.Remove(filepath.Join(tmp, n)) == nil, "remove %s", n)
	}
	ents, _ = os.ReadDir(tmp)
	fmt.Println("empty again:", len(ents))
}

func walk(tmp string) {
	fmt.Println("== filepath.WalkDir")
	root := filepath.Join(tmp, "walk")
	for _, d := range []string{"a/b/c", "a/skip/deep", "f", "g/h"} {
		check(os.MkdirAll(filepath.Join(root, d), 0o755) == nil, "MkdirAll %s", d)
	}
	for i, f := range []string{"a/b/c/one.txt", "a/b/two.go", "a/three.txt", "a/skip/deep/hidden", "f/four", "top.txt"} {
		check(os.WriteFile(filepath.Join(root, f), bytes.Repeat([]byte("x"), i*10), 0o644) == nil, "WriteFile %s", f)
	}
	check(os.Symlink("a/b", filepath.Join(root, "link")) == nil, "Symlink")
	var lines []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() && d.Name() == "skip" {
			lines = append(lines, rel+" (skipped)")
			return filepath.SkipDir
		}
		kind := "file"
		switch {
		case d.IsDir():
			kind = "dir"
		case d.Type()&fs.ModeSymlink != 0:
			kind = "symlink"
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		size := ""
		if info.Mode().IsRegular() {
			size = fmt.Sprintf(" %d bytes", info.Size())
		}
		lines = append(lines, fmt.Sprintf("%s %s%s", rel, kind, size))
		return nil
	})
	sort.Strings(lines)
	for _, l := range lines {
		fmt.Println(" ", l)
	}
	fmt.Println("walk:", errno(err))
	matches, err := filepath.Glob(filepath.Join(root, "*", "*", "*.go"))
	for i := range matches {
		matches[i], _ = filepath.Rel(root, matches[i])
	}
	fmt.Println("glob:", matches, errno(err))
	var txt []string
	fs.WalkDir(os.DirFS(root), ".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(path, ".txt") {
			txt = append(txt, path)
		}
		return err
	})
	fmt.Println("DirFS .txt files:", txt)
	check(os.RemoveAll(root) == nil, "RemoveAll walk")
}

func flock(tmp string) {
	fmt.Println("== flock")
	name := filepath.Join(tmp, "lockfile")
	check(os.WriteFile(name, []byte("lock"), 0o644) == nil, "WriteFile")
	f1, err := os.OpenFile(name, os.O_RDWR, 0)
	check(err == nil, "open 1: %v", err)
	f2, err := os.OpenFile(name, os.O_RDWR, 0)
	check(err == nil, "open 2: %v", err)
	fd1, fd2 := int(f1.Fd()), int(f2.Fd())
	show := func(what string, err error) { fmt.Printf("%s: %s\n", what, errno(err)) }

	show("first LOCK_EX|LOCK_NB", syscall.Flock(fd1, syscall.LOCK_EX|syscall.LOCK_NB))
	show("second LOCK_EX|LOCK_NB", syscall.Flock(fd2, syscall.LOCK_EX|syscall.LOCK_NB))
	show("second LOCK_SH|LOCK_NB", syscall.Flock(fd2, syscall.LOCK_SH|syscall.LOCK_NB))
	show("first LOCK_EX again", syscall.Flock(fd1, syscall.LOCK_EX|syscall.LOCK_NB))
	out, err := exec.Command(mustExecutable(), "child", "flock", name).Output()
	fmt.Printf("another process: %q %s\n", out, status(err))
	show("first LOCK_UN", syscall.Flock(fd1, syscall.LOCK_UN))
	show("second LOCK_EX|LOCK_NB", syscall.Flock(fd2, syscall.LOCK_EX|syscall.LOCK_NB))
	show("second LOCK_UN", syscall.Flock(fd2, syscall.LOCK_UN))

	show("first LOCK_SH", syscall.Flock(fd1, syscall.LOCK_SH))
	show("second LOCK_SH|LOCK_NB", syscall.Flock(fd2, syscall.LOCK_SH|syscall.LOCK_NB))
	show("first upgrade to LOCK_EX|LOCK_NB", syscall.Flock(fd1, syscall.LOCK_EX|syscall.LOCK_NB))
	show("second LOCK_UN", syscall.Flock(fd2, syscall.LOCK_UN))

	// A duplicate shares the open file description, and its lock.
	dup, err := syscall.Dup(fd1)
	check(err == nil, "dup: %v", err)
	show("duplicate upgrade to LOCK_EX|LOCK_NB", syscall.Flock(dup, syscall.LOCK_EX|syscall.LOCK_NB))
	show("second LOCK_SH|LOCK_NB", syscall.Flock(fd2, syscall.LOCK_SH|syscall.LOCK_NB))
	f1.Close()
	show("second LOCK_EX|LOCK_NB with the duplicate open", syscall.Flock(fd2, syscall.LOCK_EX|syscall.LOCK_NB))

	// A blocked LOCK_EX is granted when the holder lets go.
	got := make(chan error, 1)
	go func() { got <- syscall.Flock(fd2, syscall.LOCK_EX) }()
	select {
	case err := <-got:
		fmt.Println("blocking LOCK_EX returned early:", errno(err))
		failed = true
	case <-time.After(100 * time.Millisecond):
		fmt.Println("blocking LOCK_EX waits")
	}
	syscall.Close(dup)
	select {
	case err := <-got:
		fmt.Println("blocking LOCK_EX after the last close:", errno(err))
	case <-time.After(10 * time.Second):
		fmt.Println("blocking LOCK_EX never granted")
		failed = true
	}
	f3, err := os.Open(name)
	check(err == nil, "open 3: %v", err)
	show("third LOCK_SH|LOCK_NB", syscall.Flock(int(f3.Fd()), syscall.LOCK_SH|syscall.LOCK_NB))
	show("bad operation", syscall.Flock(fd2, 0))
	show("bad descriptor", syscall.Flock(999, syscall.LOCK_SH))
	f2.Close()
	show("third LOCK_SH|LOCK_NB after second closed", syscall.Flock(int(f3.Fd()), syscall.LOCK_SH|syscall.LOCK_NB))
	f3.Close()
}

func mustExecutable() string {
	self, err := os.Executable()
	check(err == nil, "os.Executable: %v", err)
	return self
}
