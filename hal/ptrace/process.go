package ptrace

import (
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"sync"
	"syscall"

	"golang.org/x/sys/unix"

	"quartz/hal"
)

// ramFD is the descriptor number of the RAM memfd inside every stub.
const ramFD = 3

// userLimit is the end of the x86-64 user address range (4-level paging).
const userLimit = 0x7ffffffff000

// errStubGone reports that the stub process died under us.
var errStubGone = errors.New("ptrace: stub process is gone")

// forker starts every stub process from one goroutine locked to an OS
// thread that never exits. A stub's parent-death signal fires when the
// thread that created it dies, so creating all stubs from a thread that
// lives as long as Quartz makes stubs die exactly when Quartz does.
type forker struct {
	once sync.Once
	reqs chan forkRequest
}

type forkRequest struct {
	ram   int
	reply chan forkResult
}

type forkResult struct {
	pid int
	err error
}

var theForker forker

func (f *forker) start(ram int) (int, error) {
	f.once.Do(func() {
		f.reqs = make(chan forkRequest)
		go f.loop()
	})
	reply := make(chan forkResult)
	f.reqs <- forkRequest{ram: ram, reply: reply}
	r := <-reply
	return r.pid, r.err
}

func (f *forker) loop() {
	runtime.LockOSThread() // never unlocked: this thread must outlive every stub
	for req := range f.reqs {
		pid, err := startStub(req.ram)
		req.reply <- forkResult{pid, err}
	}
}

func startStub(ram int) (int, error) {
	exe, err := stubExecutable()
	if err != nil {
		return 0, err
	}
	null, err := unix.Open("/dev/null", unix.O_RDWR|unix.O_CLOEXEC, 0)
	if err != nil {
		return 0, fmt.Errorf("ptrace: open /dev/null: %w", err)
	}
	defer unix.Close(null)
	path := "/proc/self/fd/" + strconv.Itoa(exe)
	pid, err := syscall.ForkExec(path, []string{"quartz-stub"}, &syscall.ProcAttr{
		Env:   []string{},
		Files: []uintptr{uintptr(null), uintptr(null), uintptr(null), uintptr(ram)},
		Sys: &syscall.SysProcAttr{
			Pdeathsig: syscall.SIGKILL,
			// A session of its own keeps terminal signals (Ctrl-C)
			// away from stubs: they go to Quartz, which decides.
			Setsid: true,
		},
	})
	if err != nil {
		return 0, fmt.Errorf("ptrace: starting stub process: %w", err)
	}
	return pid, nil
}

// stub is one stub process: a guest address space. Its first thread is
// driven by a goroutine locked to the OS thread that traces it; requests
// to change the address space or create threads go to that goroutine.
type stub struct {
	pid  int
	reqs chan injection
	done chan struct{}
	once sync.Once
}

// injection is a system call to run inside the stub.
type injection struct {
	site  uint64
	nr    uintptr
	args  [6]uint64
	reply chan injected
}

type injected struct {
	ret uint64
	err error
}

func newStub(ram int) (*stub, error) {
	s := &stub{reqs: make(chan injection), done: make(chan struct{})}
	ready := make(chan error)
	go s.loop(ram, ready)
	if err := <-ready; err != nil {
		return nil, err
	}
	return s, nil
}

// loop owns the stub's first thread from start to reaping.
func (s *stub) loop(ram int, ready chan<- error) {
	runtime.LockOSThread() // this OS thread is the tracer; it dies with the goroutine
	pid, err := theForker.start(ram)
	if err != nil {
		ready <- err
		return
	}
	s.pid = pid
	if err := seize(pid); err != nil {
		unix.Kill(pid, unix.SIGKILL)
		wait(pid)
		ready <- fmt.Errorf("ptrace: seizing stub: %w", err)
		return
	}
	var base hal.Registers
	if err := getRegs(pid, &base); err != nil {
		unix.Kill(pid, unix.SIGKILL)
		wait(pid)
		ready <- fmt.Errorf("ptrace: reading stub registers: %w", err)
		return
	}
	// Leave nothing in the stub but its code page: the exec'd stack, the
	// vDSO and whatever else the host kernel mapped would collide with
	// guest mappings.
	for _, r := range [][2]uint64{{0, stubBase}, {stubBase + stubSize, userLimit - stubBase - stubSize}} {
		if _, err := s.inject(&base, syscallAddr, unix.SYS_MUNMAP, [6]uint64{r[0], r[1]}); err != nil {
			unix.Kill(pid, unix.SIGKILL)
			wait(pid)
			ready <- fmt.Errorf("ptrace: clearing stub address space: %w", err)
			return
		}
	}
	ready <- nil
	for {
		select {
		case req := <-s.reqs:
			ret, err := s.inject(&base, req.site, req.nr, req.args)
			req.reply <- injected{ret, err}
		case <-s.done:
			unix.Kill(pid, unix.SIGKILL)
			for {
				ws, err := wait(pid)
				if err != nil || ws.Exited() || ws.Signaled() {
					return
				}
			}
		}
	}
}

// inject runs one system call in the stub's first thread, which must be
// in a ptrace stop, and returns the raw result.
func (s *stub) inject(base *hal.Registers, site uint64, nr uintptr, args [6]uint64) (uint64, error) {
	r := *base
	r.Rip = site
	r.Rax = uint64(nr)
	r.Rdi, r.Rsi, r.Rdx, r.R10, r.R8, r.R9 = args[0], args[1], args[2], args[3], args[4], args[5]
	r.OrigRax = ^uint64(0)
	if err := setRegs(s.pid, &r); err != nil {
		return 0, errStubGone
	}
	if err := ptrace(unix.PTRACE_CONT, s.pid, 0, 0); err != nil {
		return 0, errStubGone
	}
	for {
		ws, err := wait(s.pid)
		if err != nil || ws.Exited() || ws.Signaled() {
			return 0, errStubGone
		}
		if ws.Stopped() && ws.StopSignal() == unix.SIGTRAP && ws.TrapCause() <= 0 {
			break // the int3 after the call
		}
		// A stray stop (a host signal): suppress it and go on.
		if err := ptrace(unix.PTRACE_CONT, s.pid, 0, 0); err != nil {
			return 0, errStubGone
		}
	}
	if err := getRegs(s.pid, &r); err != nil {
		return 0, errStubGone
	}
	return r.Rax, nil
}

// call asks the stub's tracer goroutine to run a system call and returns
// its result, as an errno when it failed.
func (s *stub) call(site uint64, nr uintptr, args ...uint64) (uint64, error) {
	req := injection{site: site, nr: nr, reply: make(chan injected, 1)}
	copy(req.args[:], args)
	select {
	case s.reqs <- req:
	case <-s.done:
		return 0, errStubGone
	}
	r := <-req.reply
	if r.err != nil {
		return 0, r.err
	}
	if int64(r.ret) < 0 && int64(r.ret) > -4096 {
		return 0, unix.Errno(-int64(r.ret))
	}
	return r.ret, nil
}

// newThread creates a parked stub thread and returns its host tid.
func (s *stub) newThread() (int, error) {
	const flags = unix.CLONE_VM | unix.CLONE_FS | unix.CLONE_FILES | unix.CLONE_SIGHAND |
		unix.CLONE_THREAD | unix.CLONE_SYSVSEM
	tid, err := s.call(cloneAddr, unix.SYS_CLONE, flags)
	return int(tid), err
}

// kill ends the stub process and reaps it.
func (s *stub) kill() {
	s.once.Do(func() { close(s.done) })
}
