package ptrace

import (
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"quartz/hal"
)

const (
	codeVA = 0x400000
	dataVA = 0x600000
)

// setup makes a platform with one address space holding code at codeVA
// (read+exec) and one data page at dataVA (read+write).
func setup(t *testing.T, code []byte) (*Platform, hal.AddressSpace) {
	t.Helper()
	mem, err := hal.NewPhysMem(1 << 20)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mem.Close() })
	p, err := New(mem)
	if err != nil {
		t.Fatal(err)
	}
	as, err := p.NewAddressSpace()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(as.Release)
	copy(mem.Slice(0, hal.PageSize), code)
	if err := as.Map(codeVA, 0, hal.PageSize, hal.PermRead|hal.PermExec); err != nil {
		t.Fatal(err)
	}
	if err := as.Map(dataVA, hal.PageSize, hal.PageSize, hal.PermRead|hal.PermWrite); err != nil {
		t.Fatal(err)
	}
	return p, as
}

func runOn(t *testing.T, p *Platform, f func(ctx hal.Context)) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		runtime.LockOSThread()
		ctx, err := p.NewContext()
		if err != nil {
			t.Error(err)
			return
		}
		defer ctx.Release()
		f(ctx)
	}()
	<-done
}

func TestSyscallTrap(t *testing.T) {
	// mov edi, 42; mov eax, 60; syscall; mov [0x600000], eax; hlt
	code := []byte{0xbf, 42, 0, 0, 0, 0xb8, 60, 0, 0, 0, 0x0f, 0x05,
		0x89, 0x04, 0x25, 0x00, 0x00, 0x60, 0x00, 0xf4}
	p, as := setup(t, code)
	runOn(t, p, func(ctx hal.Context) {
		regs := hal.Registers{Rip: codeVA}
		trap := ctx.Run(as, &regs)
		if trap.Kind != hal.TrapSyscall || regs.SyscallNumber() != 60 || regs.SyscallArgs()[0] != 42 {
			t.Fatalf("got %v nr=%d arg0=%d, want syscall 60(42)", trap.Kind, regs.OrigRax, regs.Rdi)
		}
		if regs.Rip != codeVA+12 {
			t.Errorf("rip after syscall = %#x, want %#x", regs.Rip, codeVA+12)
		}
		// The call is emulated, not run: the guest continues with our
		// result, stores it, and faults on hlt (privileged: SIGSEGV).
		regs.Rax = 0x1234
		trap = ctx.Run(as, &regs)
		if trap.Kind != hal.TrapFault || trap.Fault.Signal != int(unix.SIGSEGV) {
			t.Fatalf("after hlt: %+v", trap)
		}
		if got := *(*uint32)(p.Memory().Pointer(hal.PageSize)); got != 0x1234 {
			t.Errorf("guest stored %#x, want 0x1234", got)
		}
	})
}

func TestFaultTrap(t *testing.T) {
	// mov [0x700000], eax  (unmapped)
	code := []byte{0x89, 0x04, 0x25, 0x00, 0x00, 0x70, 0x00}
	p, as := setup(t, code)
	runOn(t, p, func(ctx hal.Context) {
		regs := hal.Registers{Rip: codeVA}
		trap := ctx.Run(as, &regs)
		if trap.Kind != hal.TrapFault || trap.Fault.Signal != int(unix.SIGSEGV) ||
			trap.Fault.Addr != 0x700000 || trap.Fault.Code != 1 /* SEGV_MAPERR */ {
			t.Fatalf("got %+v, want SIGSEGV MAPERR at 0x700000", trap)
		}
		if regs.Rip != codeVA {
			t.Errorf("rip = %#x, want faulting instruction %#x", regs.Rip, codeVA)
		}
		// Map the page and resume: the store now succeeds and the guest
		// reaches the next instruction (zero bytes: add [rax], al -> fault
		// at rax=0 as MAPERR again, but at a new rip).
		if err := as.Map(0x700000, 2*hal.PageSize, hal.PageSize, hal.PermRead|hal.PermWrite); err != nil {
			t.Fatal(err)
		}
		trap = ctx.Run(as, &regs)
		if trap.Kind != hal.TrapFault || regs.Rip != codeVA+7 {
			t.Fatalf("after mapping: %+v rip=%#x", trap, regs.Rip)
		}
	})
}

func TestWriteToReadOnlyIsAccessError(t *testing.T) {
	// mov [0x600000], eax after the data page is made read-only
	code := []byte{0x89, 0x04, 0x25, 0x00, 0x00, 0x60, 0x00}
	p, as := setup(t, code)
	if err := as.Protect(dataVA, hal.PageSize, hal.PermRead); err != nil {
		t.Fatal(err)
	}
	runOn(t, p, func(ctx hal.Context) {
		regs := hal.Registers{Rip: codeVA}
		trap := ctx.Run(as, &regs)
		if trap.Kind != hal.TrapFault || trap.Fault.Code != 2 /* SEGV_ACCERR */ || trap.Fault.Addr != dataVA {
			t.Fatalf("got %+v, want SEGV_ACCERR at %#x", trap, dataVA)
		}
	})
}

func TestInterrupt(t *testing.T) {
	code := []byte{0xeb, 0xfe} // jmp $
	p, as := setup(t, code)
	runOn(t, p, func(ctx hal.Context) {
		go func() {
			time.Sleep(50 * time.Millisecond)
			ctx.Interrupt()
		}()
		regs := hal.Registers{Rip: codeVA}
		if trap := ctx.Run(as, &regs); trap.Kind != hal.TrapInterrupt {
			t.Fatalf("got %v, want interrupt", trap.Kind)
		}
		// Interrupt before Run: reported at once.
		ctx.Interrupt()
		if trap := ctx.Run(as, &regs); trap.Kind != hal.TrapInterrupt {
			t.Fatalf("got %v, want interrupt", trap.Kind)
		}
	})
}

func TestRegistersRoundTrip(t *testing.T) {
	code := []byte{0x0f, 0x05} // syscall
	p, as := setup(t, code)
	runOn(t, p, func(ctx hal.Context) {
		regs := hal.Registers{Rip: codeVA, Rbx: 1, Rcx: 2, R15: 15, FsBase: 0x600100, Rsp: 0x600800}
		if trap := ctx.Run(as, &regs); trap.Kind != hal.TrapSyscall {
			t.Fatalf("got %v", trap.Kind)
		}
		if regs.Rbx != 1 || regs.R15 != 15 || regs.FsBase != 0x600100 || regs.Rsp != 0x600800 {
			t.Fatalf("registers not preserved: %+v", regs)
		}
		var fp hal.FPState
		if err := ctx.FPState(&fp); err != nil {
			t.Fatal(err)
		}
	})
}

func TestStubHasOnlyItsCodePage(t *testing.T) {
	_, as := setup(t, []byte{0xf4})
	maps, err := os.ReadFile("/proc/" + strconv.Itoa(as.(*addressSpace).stub.pid) + "/maps")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(maps)), "\n")
	for _, l := range lines {
		start := strings.TrimLeft(l[:strings.IndexByte(l, '-')], "0")
		if start == "400000" || start == "600000" || start == "7ffffff00000" || strings.Contains(l, "[vsyscall]") {
			continue
		}
		t.Errorf("unexpected mapping in stub: %s", l)
	}
}

func TestReleaseReapsStub(t *testing.T) {
	_, as := setup(t, []byte{0xf4})
	pid := as.(*addressSpace).stub.pid
	as.Release()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if unix.Kill(pid, 0) == unix.ESRCH {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("stub %d still exists after Release", pid)
}
