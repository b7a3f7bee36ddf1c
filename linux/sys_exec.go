package linux

import (
	"errors"
	"strconv"

	"golang.org/x/sys/unix"

	"quartz/hal"
	"quartz/kernel/vfs"
)

func init() {
	register(unix.SYS_EXECVE, sysExecve)
	register(unix.SYS_EXECVEAT, sysExecveat)
}

// Linux's bounds on execve's arguments: one string (with its NUL) at
// most MAX_ARG_STRLEN, all strings and their pointers at most a quarter
// of RLIMIT_STACK (8 MiB).
const (
	maxArgStrlen = 32 * hal.PageSize
	maxArgBytes  = 8 << 20 / 4
)

func sysExecve(t *Thread, a sysArgs) (uint64, error) {
	return t.execve(atFDCWD, a[0], a[1], a[2], 0)
}

func sysExecveat(t *Thread, a sysArgs) (uint64, error) {
	return t.execve(a[0], a[1], a[2], a[3], a[4])
}

// execve replaces the calling process's program. Everything that can
// fail is done before the point of no return: a failed execve leaves
// the caller as it was, with the errno.
func (t *Thread) execve(dirfd, pathAddr, argvAddr, envpAddr, flags uint64) (uint64, error) {
	if flags&^(unix.AT_EMPTY_PATH|unix.AT_SYMLINK_NOFOLLOW) != 0 {
		return 0, unix.EINVAL
	}
	path, err := t.readPath(pathAddr)
	if err != nil {
		return 0, err
	}
	p := t.proc
	var at vfs.Path
	switch {
	case path == "" && flags&unix.AT_EMPTY_PATH != 0:
		of, err := t.proc.fds.get(dirfd)
		if err != nil {
			return 0, err
		}
		at = of.path
		of.put()
		if at.Mount == nil {
			return 0, unix.EACCES
		}
	case path == "":
		return 0, unix.ENOENT
	default:
		wflags := vfs.Follow
		if flags&unix.AT_SYMLINK_NOFOLLOW != 0 {
			wflags = 0
		}
		if at, err = t.lookup(dirfd, path, wflags); err != nil {
			return 0, err
		}
		if _, ok := at.Inode().(vfs.Symlink); ok {
			return 0, unix.ELOOP
		}
	}
	// Linux opens the file before it reads the arguments: its errors
	// come first.
	if _, err := p.k.executableAt(at); err != nil {
		return 0, execErrno(err)
	}
	file := p.k.pathName(at)
	budget := maxArgBytes
	argv, err := t.readStrings(argvAddr, &budget)
	if err != nil {
		return 0, err
	}
	envv, err := t.readStrings(envpAddr, &budget)
	if err != nil {
		return 0, err
	}
	prog, err := p.load(file, argv, envv, 0)
	if err != nil {
		return 0, execErrno(err)
	}
	name := commName(path)
	if path == "" {
		name = strconv.Itoa(int(int32(dirfd))) // execveat(fd, ""): Linux names it by the descriptor
	}
	if err := t.execCommit(prog, name); err != nil {
		prog.mm.Release()
		return 0, err
	}
	return 0, errRegsSet
}

// execErrno is the errno of a failed load: the underlying system error,
// or ENOEXEC for a file that is no program Quartz can run.
func execErrno(err error) error {
	var errno unix.Errno
	if errors.As(err, &errno) {
		return errno
	}
	return unix.ENOEXEC
}

// readStrings reads a NULL-terminated array of string pointers (argv,
// envp; a NULL array is empty), charging pointers and strings to budget:
// E2BIG past Linux's limits, EFAULT for memory that cannot be read.
func (t *Thread) readStrings(addr uint64, budget *int) ([]string, error) {
	if addr == 0 {
		return nil, nil
	}
	var out []string
	for i := uint64(0); ; i++ {
		ptr, err := t.readUint64(addr + 8*i)
		if err != nil {
			return nil, err
		}
		if ptr == 0 {
			return out, nil
		}
		if *budget -= 8; *budget < 0 {
			return nil, unix.E2BIG
		}
		s, err := t.proc.mm.ReadString(ptr, maxArgStrlen)
		switch {
		case err == unix.ENAMETOOLONG:
			return nil, unix.E2BIG
		case err != nil:
			return nil, unix.EFAULT
		}
		if *budget -= len(s) + 1; *budget < 0 {
			return nil, unix.E2BIG
		}
		out = append(out, s)
	}
}

// execCommit makes the loaded program the process's: the point of no
// return of execve (Linux's begin_new_exec). The other threads end, the
// caller takes the thread-group leader's tid, the old memory goes,
// close-on-exec descriptors close, caught signals return to SIG_DFL, and
// the caller starts the new program.
func (t *Thread) execCommit(prog *program, name string) error {
	if err := t.endOtherThreads(); err != nil {
		return err
	}
	// The caller's robust futexes are released as at thread exit (Linux's
	// futex_exec_release): a lock in shared memory must not stay held by
	// a program that is gone.
	t.exitRobustList()
	p := t.proc
	k := p.k
	k.tree.mu.Lock()
	p.mu.Lock()
	if t.tid != p.pid {
		if k.tree.tasks[t.tid] == t {
			delete(k.tree.tasks, t.tid)
		}
		k.tree.tasks[p.pid] = t
		delete(p.threads, t.tid)
		p.threads[p.pid] = t
		t.tid = p.pid
	}
	oldMM := p.mm
	p.mm = prog.mm
	p.exe = prog.exe
	p.args = prog.args
	oldFds := p.fds
	sharedFds := k.fdShares.shared(oldFds)
	if sharedFds {
		p.fds = oldFds.fork() // execve unshares the table before closing
	}
	// The dispositions may be shared (CLONE_SIGHAND); the new program
	// gets its own.
	p.sig = p.sig.clone()
	p.execer = nil
	p.mu.Unlock()
	p.execed = true
	k.tree.mu.Unlock()

	if sharedFds {
		k.fdShares.put(oldFds)
	}
	k.putMM(oldMM)
	p.releaseVfork()
	p.fds.closeOnExec()
	p.sig.resetForExec()
	p.execTimers()

	t.altStack = stackT{Flags: ssDisable}
	t.robustList, t.robustLen = 0, 0
	t.clearChildTID = 0
	t.restoreMask = false
	t.name = name
	t.regs = prog.regs
	return nil
}

// endOtherThreads ends every thread of the process but t, as execve does
// (Linux's de_thread), and waits until they are gone. It fails
// (errThreadExit) when the process is dying or another thread's execve
// got there first.
func (t *Thread) endOtherThreads() error {
	p := t.proc
	p.mu.Lock()
	if p.exiting || p.execer != nil && p.execer != t {
		p.mu.Unlock()
		return errThreadExit
	}
	p.execer = t
	var others []*Thread
	for _, o := range p.threads {
		if o != t {
			others = append(others, o)
		}
	}
	var wait chan struct{}
	if len(others) > 0 {
		wait = make(chan struct{})
		p.execWait = wait
	}
	p.mu.Unlock()
	for _, o := range others {
		// SIGKILL wakes the thread from any blocking call; zapped makes
		// it leave quietly instead of killing the process.
		o.zapped.Store(true)
		o.send(int(unix.SIGKILL), newSiginfo(int(unix.SIGKILL), siKernel))
	}
	if wait != nil {
		select {
		case <-wait:
		case <-p.dying:
			return errThreadExit
		}
	}
	return nil
}
