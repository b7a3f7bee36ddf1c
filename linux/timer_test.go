package linux

import (
	"encoding/binary"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// timerProcess makes a process with one thread that never runs, whose
// SIGUSR1, SIGUSR2 and SIGALRM have handlers: timers can queue signals
// to it and the test takes them.
func timerProcess(t *testing.T) (*Process, *Thread) {
	t.Helper()
	k := &Kernel{}
	k.tree.setup()
	p := k.allocProcess()
	p.pid = 100
	p.sig = &sigActions{}
	for _, sig := range []unix.Signal{unix.SIGUSR1, unix.SIGUSR2, unix.SIGALRM} {
		p.sig.actions[sig] = sigAction{Handler: 0x1000, Flags: saRestorer}
	}
	th := p.newThread(100)
	k.tree.procs[p.pid] = p
	t.Cleanup(p.stopTimers)
	return p, th
}

// waitSignal waits for a signal to be queued to th and takes it.
func waitSignal(t *testing.T, th *Thread, set uint64) (int, siginfo) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		if sig, si, ok := th.takeSignalIn(set); ok {
			return sig, si
		}
		select {
		case <-th.signalled:
		case <-deadline:
			t.Fatal("no signal")
		}
	}
}

func TestTimerSyscallErrors(t *testing.T) {
	_, th := timerProcess(t)
	for _, c := range []struct {
		name string
		f    sysFunc
		args sysArgs
		want error
	}{
		{"getitimer which 3", sysGetitimer, sysArgs{3}, unix.EINVAL},
		{"getitimer which -1", sysGetitimer, sysArgs{^uint64(0)}, unix.EINVAL},
		{"setitimer which 3, NULL value", sysSetitimer, sysArgs{3}, unix.EINVAL},
		{"setitimer NULL value", sysSetitimer, sysArgs{itimerReal}, nil},
		{"timer_settime NULL", sysTimerSettime, sysArgs{0}, unix.EINVAL},
		{"timer_gettime no timer", sysTimerGettime, sysArgs{7, 0x1000}, unix.EINVAL},
		{"timer_getoverrun no timer", sysTimerGetoverrun, sysArgs{7}, unix.EINVAL},
		{"timer_delete no timer", sysTimerDelete, sysArgs{7}, unix.EINVAL},
		{"timer_delete -1", sysTimerDelete, sysArgs{^uint64(0)}, unix.EINVAL},
	} {
		if _, err := c.f(th, c.args); err != c.want {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
}

func TestTimerClocks(t *testing.T) {
	for _, c := range []struct {
		clock       int32
		early, late error
	}{
		{unix.CLOCK_MONOTONIC, nil, nil},
		{unix.CLOCK_TAI, nil, nil},
		{unix.CLOCK_MONOTONIC_RAW, unix.EOPNOTSUPP, nil},
		{unix.CLOCK_REALTIME_ALARM, nil, unix.EOPNOTSUPP},
		{10, unix.EINVAL, nil},
		{12, unix.EINVAL, nil},
		{-5, unix.EOPNOTSUPP, nil}, // a descriptor's clock
	} {
		early, late := timerClockError(c.clock)
		if early != c.early || late != c.late {
			t.Errorf("clock %d: %v %v, want %v %v", c.clock, early, late, c.early, c.late)
		}
	}

	p, th := timerProcess(t)
	other := p.newThread(101)
	mk := func(pid int, thread bool, kind int32) int32 {
		id := int32(^uint32(pid)<<3) | kind
		if thread {
			id |= cpuClockPerThread
		}
		return id
	}
	for _, c := range []struct {
		name  string
		id    int32
		clock *cpuClock
		isCPU bool
		err   error
	}{
		{"CLOCK_PROCESS_CPUTIME_ID", unix.CLOCK_PROCESS_CPUTIME_ID, &p.timers.cpu, true, nil},
		{"CLOCK_THREAD_CPUTIME_ID", unix.CLOCK_THREAD_CPUTIME_ID, &th.cpu, true, nil},
		{"CLOCK_MONOTONIC", unix.CLOCK_MONOTONIC, nil, false, nil},
		{"own process, pid 0", mk(0, false, 2), &p.timers.cpu, true, nil},
		{"own process by pid", mk(100, false, 0), &p.timers.cpu, true, nil},
		{"own thread, tid 0", mk(0, true, 1), &th.cpu, true, nil},
		{"another thread", mk(101, true, 2), &other.cpu, true, nil},
		{"a thread as a process", mk(101, false, 2), nil, true, unix.EINVAL},
		{"no such process", mk(999, false, 2), nil, true, unix.EINVAL},
		{"no such thread", mk(999, true, 2), nil, true, unix.EINVAL},
		{"kind 3", mk(0, true, 3), nil, true, unix.EINVAL},
		{"a descriptor's clock", mk(3, false, 3), nil, false, nil},
	} {
		clock, isCPU, err := th.cpuClockOf(c.id, false)
		if clock != c.clock || isCPU != c.isCPU || err != c.err {
			t.Errorf("%s (%d): %p %v %v, want %p %v %v", c.name, c.id, clock, isCPU, err, c.clock, c.isCPU, c.err)
		}
	}
}

// TestAlarm: the old value rounds up to whole seconds, never down to 0.
func TestAlarm(t *testing.T) {
	_, th := timerProcess(t)
	for _, c := range []struct{ secs, want uint64 }{{0, 0}, {10, 0}, {5, 10}, {0, 5}, {0, 0}} {
		if got, err := sysAlarm(th, sysArgs{c.secs}); got != c.want || err != nil {
			t.Errorf("alarm(%d) = %d %v, want %d", c.secs, got, err, c.want)
		}
	}
	// Only the low 32 bits count.
	if _, err := sysAlarm(th, sysArgs{1 << 32}); err != nil {
		t.Fatal(err)
	}
	if v, _ := th.proc.getItimer(itimerReal); v != 0 {
		t.Errorf("alarm(1<<32) armed the timer: %d left", v)
	}
}

func TestPosixTimerSignal(t *testing.T) {
	p, th := timerProcess(t)
	tm := &timer{proc: p, posix: true, signo: int(unix.SIGUSR1), value: 42, id: p.reserveTimerID()}
	p.addPosixTimer(tm)
	tm.set(true, wallNow()+int64(time.Millisecond), 0)
	sig, si := waitSignal(t, th, ^uint64(0))
	le := binary.LittleEndian
	if sig != int(unix.SIGUSR1) || int32(le.Uint32(si[8:])) != siTimer || le.Uint32(si[16:]) != uint32(tm.id) ||
		si.overrun() != 0 || le.Uint64(si[24:]) != 42 {
		t.Errorf("signal %d, siginfo % x", sig, si[:32])
	}
	if left, _, armed := tm.get(); armed || left != 0 {
		t.Errorf("one-shot timer still armed after it went off: %d left", left)
	}
}

// TestPosixTimerOverrun: while the signal waits, blocked, the expiries
// count as its overrun, and timer_getoverrun reports the overrun of the
// signal last taken.
func TestPosixTimerOverrun(t *testing.T) {
	p, th := timerProcess(t)
	th.setMask(sigBit(int(unix.SIGUSR1)))
	tm := &timer{proc: p, posix: true, signo: int(unix.SIGUSR1), id: p.reserveTimerID()}
	p.addPosixTimer(tm)
	ms := int64(time.Millisecond)
	tm.set(true, wallNow()+ms, ms)
	time.Sleep(50 * time.Millisecond)
	_, si := waitSignal(t, th, sigBit(int(unix.SIGUSR1)))
	if si.overrun() < 1 || int64(si.overrun()) != tm.overrun() {
		t.Errorf("overrun %d, timer_getoverrun %d", si.overrun(), tm.overrun())
	}
	// Set again, the timer withdraws the signal it had queued.
	time.Sleep(10 * time.Millisecond)
	tm.set(false, 0, 0)
	if sig, _, ok := th.takeSignalIn(^uint64(0)); ok {
		t.Errorf("signal %d of the old setting delivered", sig)
	}
	if tm.overrun() != 0 {
		t.Errorf("overrun %d after the timer was set again", tm.overrun())
	}
}

// TestSilentTimer: a SIGEV_NONE timer runs without signals; reading it
// counts its expiries.
func TestSilentTimer(t *testing.T) {
	p, th := timerProcess(t)
	tm := &timer{proc: p, posix: true}
	ms := int64(time.Millisecond)
	tm.set(true, wallNow()+ms, 100*ms)
	time.Sleep(5 * time.Millisecond)
	left, interval, armed := tm.get()
	if !armed || left <= 0 || left > 100*ms || interval != 100*ms {
		t.Errorf("periodic: %d left, interval %d, armed %v", left, interval, armed)
	}
	tm.set(true, wallNow()-ms, 0)
	if left, _, armed := tm.get(); armed || left != 0 {
		t.Errorf("expired one-shot: %d left, armed %v", left, armed)
	}
	if th.hasDeliverable() {
		t.Error("a silent timer queued a signal")
	}
}

// TestCPUClockTimer: a timer on a CPU clock waits while no thread runs
// and fires once threads run long enough; the clock runs at the rate of
// the threads running.
func TestCPUClockTimer(t *testing.T) {
	p, th := timerProcess(t)
	c := &p.timers.cpu
	tm := &timer{proc: p, cpu: c, signo: int(unix.SIGUSR2)}
	ms := int64(time.Millisecond)
	tm.set(true, c.now()+5*ms, 0)
	time.Sleep(20 * time.Millisecond)
	if th.hasDeliverable() {
		t.Fatal("fired while no thread ran")
	}
	start := time.Now()
	c.add(2)
	sig, _ := waitSignal(t, th, ^uint64(0))
	elapsed := time.Since(start)
	c.add(-2)
	if sig != int(unix.SIGUSR2) {
		t.Errorf("signal %d", sig)
	}
	if got := c.now(); got < 5*ms || got < 2*int64(elapsed)-2*ms {
		t.Errorf("clock %v after two threads ran %v", time.Duration(got), elapsed)
	}
	before := c.now()
	time.Sleep(5 * time.Millisecond)
	if c.now() != before {
		t.Error("the clock runs with no thread running")
	}
}

// TestTimersAcrossExec: execve deletes the POSIX timers and keeps the
// interval timers and the id count; a process that is gone has none.
func TestTimersAcrossExec(t *testing.T) {
	p, _ := timerProcess(t)
	tm := &timer{proc: p, posix: true, id: p.reserveTimerID()}
	p.addPosixTimer(tm)
	tm.set(true, wallNow()+int64(time.Hour), 0)
	p.setItimer(itimerReal, int64(time.Hour), 0)
	p.execTimers()
	if p.posixTimer(tm.id) != nil {
		t.Error("POSIX timer kept across execve")
	}
	if v, _ := p.getItimer(itimerReal); v <= 0 {
		t.Error("ITIMER_REAL lost across execve")
	}
	if id := p.reserveTimerID(); id != tm.id+1 {
		t.Errorf("next id %d after %d", id, tm.id)
	}
	p.stopTimers()
	if _, _, armed := p.itimer(itimerReal).get(); armed {
		t.Error("ITIMER_REAL armed after exit")
	}
}

func TestTimevalConversions(t *testing.T) {
	if got := timevalNs(unix.Timeval{Sec: 1, Usec: 1}); got != 1e9+1e3 {
		t.Errorf("1.000001s = %d ns", got)
	}
	if got := timespecNs(unix.Timespec{Sec: 1 << 62}); got != ktimeMax {
		t.Errorf("huge time = %d, want KTIME_MAX", got)
	}
	if tv := nsTimeval(1e9 + 1999); tv.Sec != 1 || tv.Usec != 1 {
		t.Errorf("1.000001999s as timeval: %+v", tv)
	}
	for _, tv := range []unix.Timeval{{Sec: -1}, {Usec: -1}, {Usec: 1e6}} {
		if timevalValid(tv) {
			t.Errorf("%+v valid", tv)
		}
	}
	if satAdd(ktimeMax-1, 5) != ktimeMax {
		t.Error("satAdd overflows")
	}
}

// TestTimerSignalOfExitedThread: a process-directed timer signal left
// pending at a thread that exits is lost, and the timer goes on with
// another thread instead of counting overruns for good.
func TestTimerSignalOfExitedThread(t *testing.T) {
	p, main := timerProcess(t)
	p.forget(main)
	first := p.newThread(101)
	first.setMask(sigBit(int(unix.SIGUSR1)))
	tm := &timer{proc: p, posix: true, signo: int(unix.SIGUSR1), id: p.reserveTimerID()}
	p.addPosixTimer(tm)
	ms := int64(time.Millisecond)
	tm.set(true, wallNow()+ms, ms)
	deadline := time.Now().Add(10 * time.Second)
	for {
		first.pending.mu.Lock()
		queued := first.pending.set != 0
		first.pending.mu.Unlock()
		if queued {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no signal queued")
		}
		time.Sleep(time.Millisecond)
	}
	p.forget(first)
	second := p.newThread(102)
	if sig, _ := waitSignal(t, second, ^uint64(0)); sig != int(unix.SIGUSR1) {
		t.Errorf("signal %d", sig)
	}
}
