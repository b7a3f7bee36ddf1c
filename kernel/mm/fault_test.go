package mm

import (
	"bytes"
	"testing"

	"golang.org/x/sys/unix"

	"quartz/hal"
)

// mappedPages is the platform's pages in [lo, hi) as page indexes from lo.
func (e *mmEnv) mappedPages(lo, hi uint64) []uint64 {
	var out []uint64
	for _, a := range e.as.mapped() {
		if a >= lo && a < hi {
			out = append(out, (a-lo)/pageSize)
		}
	}
	return out
}

func pagesFromTo(from, to uint64) []uint64 {
	var out []uint64
	for i := from; i < to; i++ {
		out = append(out, i)
	}
	return out
}

func samePages(a, b []uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestFaultAroundAlignedWindow(t *testing.T) {
	for _, perms := range []hal.Perms{protR, protRW, protRX, protRWX, hal.PermExec} {
		e := newMMEnv(t)
		e.mapAt(areaBase, 64*pageSize, perms)
		if !e.mm.HandleFault(mapErrFault(areaBase+20*pageSize+123), 0) {
			t.Fatalf("%v: MAPERR inside the area not handled", perms)
		}
		if got, want := e.mappedPages(areaBase, areaBase+64*pageSize), pagesFromTo(16, 32); !samePages(got, want) {
			t.Fatalf("%v: mapped pages %v, want %v", perms, got, want)
		}
		for i := uint64(16); i < 32; i++ {
			if p, _ := e.as.lookup(areaBase + i*pageSize); p.perms != perms {
				t.Fatalf("page %d mapped %v, want %v", i, p.perms, perms)
			}
		}
		// Writable memory is committed on first touch; read-only memory
		// shows the shared zero page and costs no frame.
		want := uint64(0)
		if perms&hal.PermWrite != 0 {
			want = 16
		}
		if e.frames.Used() != want {
			t.Fatalf("%v: Used = %d, want %d", perms, e.frames.Used(), want)
		}
		e.check()
	}
}

func TestFaultAroundClampedToArea(t *testing.T) {
	e := newMMEnv(t)
	// The area ends inside a window.
	e.mapAt(areaBase, 20*pageSize, protRW)
	if !e.mm.HandleFault(mapErrFault(areaBase+18*pageSize), 0) {
		t.Fatal("fault not handled")
	}
	if got, want := e.mappedPages(areaBase, areaBase+64*pageSize), pagesFromTo(16, 20); !samePages(got, want) {
		t.Fatalf("mapped pages %v, want %v", got, want)
	}
	e.check()

	// The area starts inside a window.
	lo := uint64(areaBase + 0x1000000)
	e.mapAt(lo+5*pageSize, 35*pageSize, protR)
	e.mapAt(lo, 5*pageSize, protRW) // a neighbour the window must not touch
	fault := lo + 7*pageSize
	if !e.mm.HandleFault(mapErrFault(fault), 0) {
		t.Fatal("fault not handled")
	}
	got := e.mappedPages(lo, lo+64*pageSize)
	if len(got) == 0 || len(got) > faultAround {
		t.Fatalf("mapped %d pages, want 1..%d", len(got), faultAround)
	}
	for i, p := range got {
		if i > 0 && p != got[i-1]+1 {
			t.Fatalf("mapped pages %v not contiguous", got)
		}
		if p < 5 || p >= 40 {
			t.Fatalf("mapped page %d outside the area: %v", p, got)
		}
	}
	// Every page of the aligned window inside the area is there.
	for p := uint64(5); p < 16; p++ {
		if _, ok := e.as.lookup(lo + p*pageSize); !ok {
			t.Fatalf("page %d of the faulting window not mapped: %v", p, got)
		}
	}
	e.check()
}

func TestFaultKeepsCommittedPages(t *testing.T) {
	e := newMMEnv(t)
	e.mapAt(areaBase, 16*pageSize, protRW)
	// The kernel commits pages 3 and 9 (and 10) before the guest touches them.
	if _, err := e.mm.CopyOut(areaBase+3*pageSize+10, []byte("hello")); err != nil {
		t.Fatal(err)
	}
	if _, err := e.mm.CopyOut(areaBase+10*pageSize-2, []byte("abcd")); err != nil {
		t.Fatal(err)
	}
	f3, f9 := e.frameOf(areaBase+3*pageSize), e.frameOf(areaBase+9*pageSize)
	if len(e.as.mapped()) != 0 {
		t.Fatalf("kernel access mapped pages in the platform: %#x", e.as.mapped())
	}
	e.check()
	if !e.mm.HandleFault(mapErrFault(areaBase), 0) {
		t.Fatal("fault not handled")
	}
	if got := e.mappedPages(areaBase, areaBase+16*pageSize); !samePages(got, pagesFromTo(0, 16)) {
		t.Fatalf("mapped %v", got)
	}
	if e.frameOf(areaBase+3*pageSize) != f3 || e.frameOf(areaBase+9*pageSize) != f9 {
		t.Fatal("fault-around replaced committed frames")
	}
	e.check()
	var got []byte
	for _, a := range []uint64{areaBase + 3*pageSize + 10, areaBase + 10*pageSize - 2} {
		for i := uint64(0); i < 4; i++ {
			b, ok := e.guestRead(a + i)
			if !ok {
				t.Fatal("guest read failed")
			}
			got = append(got, b)
		}
	}
	if string(got) != "hellabcd" {
		t.Fatalf("guest sees %q", got)
	}
	if e.frames.Used() != 16 {
		t.Fatalf("Used = %d, want 16", e.frames.Used())
	}
}

func TestFaultRejected(t *testing.T) {
	e := newMMEnv(t)
	e.mapAt(areaBase, 16*pageSize, protRW)
	e.mapAt(areaBase+32*pageSize, 16*pageSize, protNone)
	for _, c := range []struct {
		name string
		f    hal.FaultInfo
	}{
		{"ACCERR inside an area without write access", accErrFault(areaBase + 34*pageSize)},
		{"outside any area", mapErrFault(areaBase + 16*pageSize)},
		{"below everything", mapErrFault(0)},
		{"above everything", mapErrFault(recLimit - 1)},
		{"PROT_NONE area", mapErrFault(areaBase + 33*pageSize)},
		{"SIGBUS", hal.FaultInfo{Signal: int(unix.SIGBUS), Code: 2, Addr: areaBase}},
		{"SIGILL", hal.FaultInfo{Signal: int(unix.SIGILL), Code: 1, Addr: areaBase}},
	} {
		if e.mm.HandleFault(c.f, 0) {
			t.Errorf("%s: HandleFault = true", c.name)
		}
	}
	if e.frames.Used() != 0 || len(e.as.mapped()) != 0 {
		t.Fatalf("rejected faults committed %d frames, mapped %d pages", e.frames.Used(), len(e.as.mapped()))
	}
	// A guest write to a read-only area: the first fault maps the page
	// read-only, the second (ACCERR) is a violation.
	e.mapAt(areaBase+64*pageSize, pageSize, protR)
	if e.guestWrite(areaBase+64*pageSize, 1) {
		t.Fatal("guest write to a read-only page succeeded")
	}
	if _, ok := e.guestRead(areaBase + 64*pageSize); !ok {
		t.Fatal("guest read of a read-only page failed")
	}
	e.check()
}

// TestFaultOnMappedPage covers a fault on a page another thread's fault
// has mapped in the meantime: threads share the address space, so a
// second thread may trap on a page of the same fault-around window before
// the first thread's fault is handled. The access is valid; the fault
// must not turn into a signal.
func TestFaultOnMappedPage(t *testing.T) {
	e := newMMEnv(t)
	e.mapAt(areaBase, 16*pageSize, protRW)
	if !e.mm.HandleFault(mapErrFault(areaBase), 0) {
		t.Fatal("first fault not handled")
	}
	used := e.frames.Used()
	for _, a := range []uint64{areaBase, areaBase + 5*pageSize + 8} {
		if !e.mm.HandleFault(mapErrFault(a), 0) {
			t.Fatalf("fault at %#x on a page mapped meanwhile = false", a)
		}
	}
	if e.frames.Used() != used {
		t.Fatalf("spurious faults allocated frames: %d -> %d", used, e.frames.Used())
	}
	e.check()
	// A mapping the platform has lost is restored.
	e.as.Unmap(areaBase+2*pageSize, pageSize)
	if !e.mm.HandleFault(mapErrFault(areaBase+2*pageSize), 0) {
		t.Fatal("fault on a page the platform lost = false")
	}
	if _, ok := e.as.lookup(areaBase + 2*pageSize); !ok {
		t.Fatal("lost page not mapped again")
	}
	e.check()
}

func TestStackGrowth(t *testing.T) {
	e := newMMEnv(t)
	top := e.mm.StackTop()
	stackLen := uint64(32 * pageSize)
	if _, err := e.mm.Map(Mapping{Addr: top - stackLen, Length: stackLen, Perms: protRW, Fixed: true, Name: "[stack]", GrowsDown: true}); err != nil {
		t.Fatal(err)
	}
	// Beyond RLIMIT_STACK: no growth.
	if e.mm.HandleFault(mapErrFault(top-stackMax-pageSize), 0) {
		t.Fatal("fault 8 MiB + 1 page below the top grew the stack")
	}
	if _, err := e.mm.CopyIn(top-stackMax-1, make([]byte, 1)); err != unix.EFAULT {
		t.Fatalf("CopyIn beyond the stack limit = %v", err)
	}
	if v, _ := e.area(top - 1); v.start != top-stackLen {
		t.Fatalf("stack start %#x after refused growth", v.start)
	}
	// Within reach: grows down to the page.
	a := top - 100*pageSize - 8
	if !e.mm.HandleFault(mapErrFault(a), 0) {
		t.Fatal("fault within the stack's reach not handled")
	}
	v, ok := e.area(a)
	if !ok || v.start != pageDown(a) || v.end != top || !v.growsDown || v.name != "[stack]" {
		t.Fatalf("stack after growth: [%#x, %#x) %v %q, want start %#x", v.start, v.end, v.growsDown, v.name, pageDown(a))
	}
	if !e.guestWrite(a, 7) {
		t.Fatal("write to the grown stack failed")
	}
	// Exactly 8 MiB is still fine.
	if !e.mm.HandleFault(mapErrFault(top-stackMax), 0) {
		t.Fatal("fault at exactly 8 MiB below the top not handled")
	}
	if v, _ := e.area(top - 1); v.start != top-stackMax {
		t.Fatalf("stack start %#x, want %#x", v.start, top-stackMax)
	}
	// Kernel accesses grow the stack too.
	e2 := newMMEnv(t)
	e2.mm.Map(Mapping{Addr: top - stackLen, Length: stackLen, Perms: protRW, Fixed: true, GrowsDown: true})
	if _, err := e2.mm.CopyOut(top-stackLen-pageSize-8, make([]byte, 16)); err != nil {
		t.Fatalf("CopyOut just below the stack: %v", err)
	}
	if v, _ := e2.area(top - 1); v.start != top-stackLen-2*pageSize {
		t.Fatalf("stack start %#x after kernel access", v.start)
	}
	e.check()
	e2.check()
}

func TestStackGrowthKeepsGuardPage(t *testing.T) {
	e := newMMEnv(t)
	stack := uint64(areaBase + 64*pageSize)
	e.mapAt(areaBase, 16*pageSize, protRW) // the area below
	if _, err := e.mm.Map(Mapping{Addr: stack, Length: 16 * pageSize, Perms: protRW, Fixed: true, GrowsDown: true}); err != nil {
		t.Fatal(err)
	}
	// Directly above the lower area: refused, a guard page must stay.
	if e.mm.HandleFault(mapErrFault(areaBase+16*pageSize), 0) {
		t.Fatal("stack grew into the guard page above the area below")
	}
	if v, _ := e.area(stack); v.start != stack {
		t.Fatalf("stack start moved to %#x", v.start)
	}
	// One page higher leaves the guard page: allowed.
	if !e.mm.HandleFault(mapErrFault(areaBase+17*pageSize), 0) {
		t.Fatal("growth leaving one guard page refused")
	}
	if v, _ := e.area(stack); v.start != areaBase+17*pageSize {
		t.Fatalf("stack start %#x, want %#x", v.start, areaBase+17*pageSize)
	}
	if e.mm.HandleFault(mapErrFault(areaBase+16*pageSize), 0) {
		t.Fatal("the guard page itself faulted in")
	}
	// A stack without GrowsDown does not grow.
	e.mapAt(areaBase+0x100000, 16*pageSize, protRW)
	if e.mm.HandleFault(mapErrFault(areaBase+0x100000-pageSize), 0) {
		t.Fatal("an ordinary area grew down")
	}
	e.check()
}

// TestStackGrowthNotBelowMinAddr: a GrowsDown area low in memory must not
// grow over page zero, or a NULL dereference would silently succeed.
func TestStackGrowthNotBelowMinAddr(t *testing.T) {
	e := newMMEnv(t)
	if _, err := e.mm.Map(Mapping{Addr: 0x40000, Length: 4 * pageSize, Perms: protRW, Fixed: true, GrowsDown: true}); err != nil {
		t.Fatal(err)
	}
	for _, a := range []uint64{0, 8, minAddr - pageSize} {
		if e.mm.HandleFault(mapErrFault(a), 0) {
			t.Fatalf("fault at %#x grew a stack below minAddr", a)
		}
		if _, err := e.mm.CopyIn(a, make([]byte, 1)); err != unix.EFAULT {
			t.Fatalf("CopyIn(%#x) = %v, want EFAULT", a, err)
		}
	}
	if !e.mm.HandleFault(mapErrFault(minAddr), 0) {
		t.Fatal("growth down to minAddr refused")
	}
	e.check()
}

func TestFileMapping(t *testing.T) {
	e := newMMEnv(t)
	data := patternBytes(3*pageSize + 100) // 3 pages and a bit
	f := &countingFile{data: data, scratch: true}
	addr, err := e.mm.Map(Mapping{Addr: areaBase, Length: 4 * pageSize, Perms: protR, File: f, FileName: "/f", Offset: pageSize, Fixed: true})
	if err != nil || addr != areaBase {
		t.Fatalf("Map = %#x, %v", addr, err)
	}
	e.check()
	// The mapping shows file[pageSize:]: two full pages, a page with 100
	// bytes then zeros, and a page entirely past EOF.
	want := make([]byte, 4*pageSize)
	copy(want, data[pageSize:])
	got := make([]byte, 4*pageSize)
	if n, err := e.mm.CopyIn(areaBase, got); err != nil || n != len(got) {
		t.Fatalf("CopyIn = %d, %v", n, err)
	}
	if !bytes.Equal(got, want) {
		i := 0
		for got[i] == want[i] {
			i++
		}
		t.Fatalf("file mapping content differs at %#x: %#x, want %#x", i, got[i], want[i])
	}
	// The guest sees the same through faults.
	e2 := newMMEnv(t)
	f2 := &countingFile{data: data, scratch: true}
	e2.mm.Map(Mapping{Addr: areaBase, Length: 4 * pageSize, Perms: protRX, File: f2, Offset: pageSize, Fixed: true})
	for _, off := range []uint64{0, 1, pageSize - 1, pageSize, 2*pageSize + 99, 2*pageSize + 100, 3*pageSize + 5, 4*pageSize - 1} {
		b, ok := e2.guestRead(areaBase + off)
		if !ok || b != want[off] {
			t.Fatalf("guest read at +%#x = %#x, %v; want %#x", off, b, ok, want[off])
		}
	}
	e.check()
	e2.check()
}

func TestFileMappingCloseOnce(t *testing.T) {
	e := newMMEnv(t)
	f := &countingFile{data: patternBytes(16 * pageSize)}
	e.mm.Map(Mapping{Addr: areaBase, Length: 16 * pageSize, Perms: protRW, File: f, Fixed: true})
	// Split it in many ways: unmap the middle, protect pieces.
	if err := e.mm.Unmap(areaBase+6*pageSize, 2*pageSize); err != nil {
		t.Fatal(err)
	}
	if err := e.mm.Protect(areaBase+pageSize, pageSize, protR); err != nil {
		t.Fatal(err)
	}
	if err := e.mm.Protect(areaBase+10*pageSize, 3*pageSize, protR); err != nil {
		t.Fatal(err)
	}
	e.check()
	// The split pieces read the right part of the file.
	for _, i := range []uint64{0, 1, 5, 8, 10, 12, 15} {
		var b [1]byte
		if _, err := e.mm.CopyIn(areaBase+i*pageSize+3, b[:]); err != nil || b[0] != f.data[i*pageSize+3] {
			t.Fatalf("page %d reads %#x, %v; want %#x", i, b[0], err, f.data[i*pageSize+3])
		}
	}
	pieces := e.vmaList()
	if len(pieces) < 5 {
		t.Fatalf("expected the area split in pieces, got %#x", pieces)
	}
	for i, r := range pieces {
		if f.closes.Load() != 0 {
			t.Fatalf("file closed with %d pieces left", len(pieces)-i)
		}
		if err := e.mm.Unmap(r[0], r[1]-r[0]); err != nil {
			t.Fatal(err)
		}
		e.check()
	}
	if n := f.closes.Load(); n != 1 {
		t.Fatalf("Close called %d times, want 1", n)
	}

	// Replacing the whole mapping with MAP_FIXED closes it too.
	g := &countingFile{data: patternBytes(pageSize)}
	e.mm.Map(Mapping{Addr: areaBase, Length: 4 * pageSize, Perms: protR, File: g, Fixed: true})
	e.mm.Unmap(areaBase+pageSize, pageSize)
	e.mapAt(areaBase, 4*pageSize, protRW)
	if n := g.closes.Load(); n != 1 {
		t.Fatalf("Close after MAP_FIXED replacement called %d times, want 1", n)
	}

	// Release closes the pieces' file once.
	h := &countingFile{data: patternBytes(pageSize)}
	e.mm.Map(Mapping{Addr: areaBase + 32*pageSize, Length: 8 * pageSize, Perms: protR, File: h, Fixed: true})
	e.mm.Protect(areaBase+34*pageSize, pageSize, protRW)
	e.mm.Unmap(areaBase+36*pageSize, pageSize)
	e.mm.Release()
	if n := h.closes.Load(); n != 1 {
		t.Fatalf("Close on Release called %d times, want 1", n)
	}
}

func TestFileMappingPrivateWrites(t *testing.T) {
	e := newMMEnv(t)
	f := &countingFile{data: patternBytes(2 * pageSize)}
	e.mm.Map(Mapping{Addr: areaBase, Length: 2 * pageSize, Perms: protRW, File: f, Fixed: true})
	if !e.guestWrite(areaBase+10, 0x42) {
		t.Fatal("guest write failed")
	}
	var b [1]byte
	e.mm.CopyIn(areaBase+10, b[:])
	if b[0] != 0x42 {
		t.Fatalf("write not visible to the kernel: %#x", b[0])
	}
	if f.data[10] == 0x42 {
		t.Fatal("a private write reached the file")
	}
	// Discard brings the file's content back.
	if err := e.mm.Discard(areaBase, 2*pageSize); err != nil {
		t.Fatal(err)
	}
	if got, ok := e.guestRead(areaBase + 10); !ok || got != f.data[10] {
		t.Fatalf("after Discard reads %#x, %v; want %#x", got, ok, f.data[10])
	}
	e.check()
}
