package linux

import (
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"

	"quartz/hal"
	"quartz/kernel/fs/hostfs"
	"quartz/kernel/mm"
	"quartz/kernel/vfs"
)

// Config is what a Kernel runs with.
type Config struct {
	Platform hal.Platform
	// Root is the host directory the guest sees as "/": read-only, under
	// an in-memory layer that takes the guest's changes.
	Root string
	// Binds are host directories mounted into the guest's tree.
	Binds []Bind
	// Cwd is the guest path of the first process's working directory
	// ("/" when empty).
	Cwd string
	// Stdin, Stdout and Stderr become the guest's descriptors 0, 1, 2.
	Stdin, Stdout, Stderr *os.File
	// Strace, when set, receives one line per system call.
	Strace io.Writer
}

// Kernel is one instance of the Linux personality.
type Kernel struct {
	platform hal.Platform
	frames   *mm.Frames
	ns       *vfs.Namespace
	hostFS   []*hostfs.FS // the host trees in ns, closed with the kernel
	terminal terminal
	fifos    fifoTable
	locks    lockTable
	stdio    [3]*os.File
	cwd      string
	boot     time.Time

	strace   io.Writer
	straceMu sync.Mutex

	lastPID atomic.Int32

	tree     procTree // processes, threads, their relations
	mmShares shareCounts[*mm.MM]
	fdShares shareCounts[*fdTable]
	futexes  futexTable
}

// NewKernel makes a Kernel. Close it when done.
func NewKernel(cfg Config) (*Kernel, error) {
	if cfg.Root == "" {
		cfg.Root = "/"
	}
	k := &Kernel{
		platform: cfg.Platform,
		frames:   mm.NewFrames(cfg.Platform.Memory()),
		stdio:    [3]*os.File{cfg.Stdin, cfg.Stdout, cfg.Stderr},
		cwd:      cfg.Cwd,
		boot:     time.Now(),
		strace:   cfg.Strace,
	}
	k.futexes.init()
	k.tree.setup()
	if err := k.buildNamespace(cfg.Root, cfg.Binds); err != nil {
		k.Close()
		return nil, err
	}
	return k, nil
}

// Close releases the kernel's host resources.
func (k *Kernel) Close() error {
	var first error
	for _, fs := range k.hostFS {
		if err := fs.Close(); err != nil && first == nil {
			first = err
		}
	}
	k.hostFS = nil
	return first
}

// DropCaches frees the page cache of host files that nothing maps or
// writes (echo 1 > /proc/sys/vm/drop_caches).
func (k *Kernel) DropCaches() {
	for _, fs := range k.hostFS {
		fs.DropCaches()
	}
}

// Frames is the kernel's frame allocator (tests watch its usage).
func (k *Kernel) Frames() *mm.Frames { return k.frames }

func (k *Kernel) newPID() int { return int(k.lastPID.Add(1)) }

// ExitStatus is how a guest process ended.
type ExitStatus struct {
	Code   int         // exit code, when Signal is 0
	Signal unix.Signal // the signal that killed it, or 0
	Core   bool        // the signal's default action dumps core
}

// ShellCode is the status a shell reports: the exit code, or 128 plus the
// signal number.
func (s ExitStatus) ShellCode() int {
	if s.Signal != 0 {
		return 128 + int(s.Signal)
	}
	return s.Code
}

// Describe is a shell's one-line report of a death by signal, e.g.
// "Segmentation fault (core dumped)", or "" for a normal exit.
func (s ExitStatus) Describe() string {
	// Like bash, say nothing for the deaths a user causes on purpose or
	// that end pipelines.
	if s.Signal == 0 || s.Signal == unix.SIGINT || s.Signal == unix.SIGPIPE {
		return ""
	}
	msg := signalDescription(s.Signal)
	if s.Core {
		msg += " (core dumped)"
	}
	return msg
}

func signalDescription(sig unix.Signal) string {
	switch sig {
	case unix.SIGSEGV:
		return "Segmentation fault"
	case unix.SIGKILL:
		return "Killed"
	case unix.SIGTERM:
		return "Terminated"
	case unix.SIGABRT:
		return "Aborted"
	case unix.SIGBUS:
		return "Bus error"
	case unix.SIGFPE:
		return "Floating point exception"
	case unix.SIGILL:
		return "Illegal instruction"
	case unix.SIGTRAP:
		return "Trace/breakpoint trap"
	case unix.SIGINT:
		return "Interrupt"
	case unix.SIGHUP:
		return "Hangup"
	case unix.SIGPIPE:
		return "Broken pipe"
	case unix.SIGALRM:
		return "Alarm clock"
	case unix.SIGQUIT:
		return "Quit"
	case unix.SIGUSR1:
		return "User defined signal 1"
	case unix.SIGUSR2:
		return "User defined signal 2"
	}
	return fmt.Sprintf("Signal %d", int(sig))
}

// Run starts the program at path (a guest path) with argv and envv as the
// first process, waits for it to end, and returns its status. Processes
// it leaves behind are killed and reaped before Run returns. An error
// means the program could not be started at all.
func (k *Kernel) Run(path string, argv, envv []string) (ExitStatus, error) {
	p, err := k.newProcess()
	if err != nil {
		return ExitStatus{}, err
	}
	p.pid = k.newPID()
	p.pgid, p.sid = p.pid, p.pid
	k.terminal.attach(p.sid, p.pgid)
	p.exitSignal = int(unix.SIGCHLD)
	t := p.newThread(p.pid)
	abandon := func() {
		p.forget(t)
		p.release()
	}
	if k.cwd != "" {
		r := k.ns.Root()
		dir, err := k.ns.Walk(r, r, k.cwd, vfs.Follow|vfs.Directory)
		if err == nil {
			err = t.chdirTo(dir)
		}
		if err != nil {
			abandon()
			return ExitStatus{}, fmt.Errorf("working directory %s: %w", k.cwd, err)
		}
	}
	if err := p.exec(t, path, argv, envv); err != nil {
		abandon()
		return ExitStatus{}, err
	}
	k.tree.mu.Lock()
	k.tree.procs[p.pid] = p
	k.tree.init = p
	k.tree.initPID.Store(int32(p.pid))
	k.tree.mu.Unlock()
	p.start(t)
	<-p.done
	k.shutdown(p)
	return p.status, nil
}

// Signal sends sig to the first guest process, as the host would send it
// to the program had it run natively. The signals a terminal generates
// (SIGINT, SIGQUIT) go to the terminal's foreground process group, as
// the terminal driver sends them; the others go to the first process
// alone.
func (k *Kernel) Signal(sig unix.Signal) {
	k.tree.mu.Lock()
	p := k.tree.init
	k.tree.mu.Unlock()
	if p == nil {
		return
	}
	si := newSiginfo(int(sig), siKernel)
	if sig == unix.SIGINT || sig == unix.SIGQUIT {
		k.signalGroup(k.terminal.foreground(), int(sig), si)
		return
	}
	si = newSiginfo(int(sig), siUser)
	p.sendSignal(int(sig), si)
}
