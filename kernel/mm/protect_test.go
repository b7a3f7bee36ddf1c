package mm

import (
	"errors"
	"testing"

	"golang.org/x/sys/unix"
)

func TestProtectNeedsMappedRange(t *testing.T) {
	e := newMMEnv(t)
	e.mapAt(areaBase, 4*pageSize, protRW)
	e.mapAt(areaBase+5*pageSize, 4*pageSize, protRW)
	for _, c := range []struct{ addr, length uint64 }{
		{areaBase, 9 * pageSize},              // spans the hole
		{areaBase + 4*pageSize, pageSize},     // the hole itself
		{areaBase + 8*pageSize, 2 * pageSize}, // runs off the end
		{areaBase - pageSize, 2 * pageSize},   // starts before
	} {
		if err := e.mm.Protect(c.addr, c.length, protR); !errors.Is(err, unix.ENOMEM) {
			t.Errorf("Protect(%#x, %#x) = %v, want ENOMEM", c.addr, c.length, err)
		}
	}
	if len(e.vmaList()) != 2 {
		t.Fatalf("failed Protect split areas: %#x", e.vmaList())
	}
	for _, r := range e.vmaList() {
		if v, _ := e.area(r[0]); v.perms != protRW {
			t.Fatalf("failed Protect changed perms of [%#x, %#x) to %v", r[0], r[1], v.perms)
		}
	}
	if err := e.mm.Protect(areaBase+1, pageSize, protR); !errors.Is(err, unix.EINVAL) {
		t.Errorf("unaligned Protect = %v, want EINVAL", err)
	}
	if err := e.mm.Protect(areaBase+4*pageSize, 0, protR); err != nil {
		t.Errorf("Protect of length 0 = %v, want success", err)
	}
	// Adjacent areas form one fully mapped range.
	e.mapAt(areaBase+4*pageSize, pageSize, protRX)
	if err := e.mm.Protect(areaBase, 9*pageSize, protR); err != nil {
		t.Fatalf("Protect over adjacent areas: %v", err)
	}
	e.check()
}

func TestProtectSplitsAndRemaps(t *testing.T) {
	e := newMMEnv(t)
	e.mapAt(areaBase, 16*pageSize, protRW)
	for i := uint64(0); i < 16; i++ {
		if !e.guestWrite(areaBase+i*pageSize, byte(i+1)) {
			t.Fatal("write failed")
		}
	}
	frames := map[uint64]uint64{}
	for i := uint64(0); i < 16; i++ {
		frames[i] = e.frameOf(areaBase + i*pageSize)
	}
	used := e.frames.Used()
	if err := e.mm.Protect(areaBase+4*pageSize, 4*pageSize-100, protR); err != nil {
		t.Fatal(err)
	}
	want := [][2]uint64{
		{areaBase, areaBase + 4*pageSize},
		{areaBase + 4*pageSize, areaBase + 8*pageSize},
		{areaBase + 8*pageSize, areaBase + 16*pageSize},
	}
	if got := e.vmaList(); !sameRanges(got, want) {
		t.Fatalf("areas %#x, want %#x", got, want)
	}
	// The platform no longer maps the protected pages; the others keep
	// their mappings.
	if got := e.mappedPages(areaBase, areaBase+16*pageSize); !samePages(got, append(pagesFromTo(0, 4), pagesFromTo(8, 16)...)) {
		t.Fatalf("mapped pages after Protect: %v", got)
	}
	if e.frames.Used() != used {
		t.Fatalf("Protect changed Used: %d -> %d", used, e.frames.Used())
	}
	e.check()
	// The next touch maps the same frame with the new permissions.
	if b, ok := e.guestRead(areaBase + 5*pageSize); !ok || b != 6 {
		t.Fatalf("read after Protect = %d, %v", b, ok)
	}
	p, ok := e.as.lookup(areaBase + 5*pageSize)
	if !ok || p.perms != protR || p.frame != frames[5] {
		t.Fatalf("remapped page: %+v %v, want frame %#x perms %v", p, ok, frames[5], protR)
	}
	if e.guestWrite(areaBase+5*pageSize, 0) {
		t.Fatal("write to a page protected read-only succeeded")
	}
	if e.mm.HandleFault(accErrFault(areaBase+5*pageSize), 0) {
		t.Fatal("ACCERR handled")
	}
	if _, err := e.mm.CopyOut(areaBase+6*pageSize, []byte{1}); !errors.Is(err, unix.EFAULT) {
		t.Fatalf("CopyOut to a read-only page = %v", err)
	}
	if !e.guestWrite(areaBase+8*pageSize, 0x55) || !e.guestWrite(areaBase+3*pageSize, 0x55) {
		t.Fatal("write next to the protected range failed")
	}
	// Making it writable again: the same frames, content kept.
	if err := e.mm.Protect(areaBase+4*pageSize, 4*pageSize, protRW); err != nil {
		t.Fatal(err)
	}
	if !e.guestWrite(areaBase+5*pageSize+1, 0x66) {
		t.Fatal("write after making the page writable failed")
	}
	if b, _ := e.guestRead(areaBase + 5*pageSize); b != 6 {
		t.Fatalf("content lost across Protect: %d", b)
	}
	// PROT_NONE: no access at all, the kernel's included.
	if err := e.mm.Protect(areaBase, 16*pageSize, protNone); err != nil {
		t.Fatal(err)
	}
	if len(e.as.mapped()) != 0 {
		t.Fatalf("PROT_NONE left platform mappings: %#x", e.as.mapped())
	}
	if _, ok := e.guestRead(areaBase); ok {
		t.Fatal("read of a PROT_NONE page succeeded")
	}
	if _, err := e.mm.CopyIn(areaBase, make([]byte, 1)); !errors.Is(err, unix.EFAULT) {
		t.Fatalf("CopyIn of PROT_NONE = %v", err)
	}
	e.check()
}

func TestBrk(t *testing.T) {
	e := newMMEnv(t)
	const prog = 0x400000
	e.mapAt(prog, 3*pageSize, protRW) // the program's data
	start := uint64(prog + 3*pageSize - 100)
	e.mm.SetBrk(start)
	heapStart := uint64(prog + 3*pageSize)
	if got := e.mm.Brk(0); got != heapStart {
		t.Fatalf("Brk(0) = %#x, want %#x", got, heapStart)
	}
	// Grow.
	want := heapStart + 3*pageSize + 5
	if got := e.mm.Brk(want); got != want {
		t.Fatalf("Brk grow = %#x, want %#x", got, want)
	}
	v, ok := e.area(heapStart)
	if !ok || v.start != heapStart || v.end != heapStart+4*pageSize || v.name != "[heap]" || v.perms != protRW {
		t.Fatalf("heap area [%#x, %#x) %q %v", v.start, v.end, v.name, v.perms)
	}
	for a := heapStart; a < want; a += pageSize {
		if !e.guestWrite(a, 1) {
			t.Fatalf("write to the heap at %#x failed", a)
		}
	}
	if _, err := e.mm.CopyOut(want-1, []byte{2}); err != nil {
		t.Fatalf("CopyOut at the break: %v", err)
	}
	// Grow again extends the same area.
	want2 := heapStart + 20*pageSize
	if got := e.mm.Brk(want2); got != want2 {
		t.Fatalf("Brk grow again = %#x", got)
	}
	if got := e.vmaList(); len(got) != 2 || got[1] != [2]uint64{heapStart, want2} {
		t.Fatalf("areas after growing twice: %#x", got)
	}
	for a := heapStart; a < want2; a += pageSize {
		e.guestWrite(a, 3)
	}
	e.check()
	used := e.frames.Used()
	// Shrink: frames freed, platform unmapped.
	if got := e.mm.Brk(heapStart + pageSize + 1); got != heapStart+pageSize+1 {
		t.Fatalf("Brk shrink = %#x", got)
	}
	if e.frames.Used() != used-18 {
		t.Fatalf("Used = %d after shrinking 18 pages, want %d", e.frames.Used(), used-18)
	}
	if _, ok := e.as.lookup(heapStart + 2*pageSize); ok {
		t.Fatal("shrunk heap page still mapped")
	}
	if e.mm.HandleFault(mapErrFault(heapStart+2*pageSize), 0) {
		t.Fatal("fault above the shrunk break handled")
	}
	e.check()
	// Below the start: refused.
	if got := e.mm.Brk(heapStart - 1); got != heapStart+pageSize+1 {
		t.Fatalf("Brk below start = %#x", got)
	}
	if got := e.mm.Brk(prog); got != heapStart+pageSize+1 {
		t.Fatalf("Brk far below start = %#x", got)
	}
	// Collision with a mapping: refused, nothing changes.
	e.mapAt(heapStart+10*pageSize, pageSize, protR)
	if got := e.mm.Brk(heapStart + 11*pageSize); got != heapStart+pageSize+1 {
		t.Fatalf("Brk over a mapping = %#x", got)
	}
	if v, _ := e.area(heapStart); v.end != heapStart+2*pageSize {
		t.Fatalf("refused Brk changed the heap to end %#x", v.end)
	}
	if v, _ := e.area(heapStart + 10*pageSize); v.perms != protR || v.name != "" {
		t.Fatalf("refused Brk changed the mapping")
	}
	// Beyond the mmap base: refused.
	if got := e.mm.Brk(e.mm.mmapBase + pageSize); got != heapStart+pageSize+1 {
		t.Fatalf("Brk past mmapBase = %#x", got)
	}
	if got := e.mm.Brk(^uint64(0)); got != heapStart+pageSize+1 {
		t.Fatalf("Brk(max) = %#x", got)
	}
	// Shrink to the start removes the heap; growing recreates it.
	if got := e.mm.Brk(heapStart); got != heapStart {
		t.Fatalf("Brk to start = %#x", got)
	}
	if _, ok := e.area(heapStart); ok {
		t.Fatal("heap area left at an empty break")
	}
	if got := e.mm.Brk(heapStart + 5); got != heapStart+5 {
		t.Fatalf("Brk regrow = %#x", got)
	}
	if b, ok := e.guestRead(heapStart); !ok || b != 0 {
		t.Fatalf("regrown heap reads %d, %v; want fresh zeros", b, ok)
	}
	// The program's data below the heap is untouched throughout.
	if v, _ := e.area(prog); v.start != prog || v.end != heapStart || v.name != "" {
		t.Fatalf("program area changed: [%#x, %#x) %q", v.start, v.end, v.name)
	}
	e.check()
}

func TestDiscardAnonymous(t *testing.T) {
	e := newMMEnv(t)
	e.mapAt(areaBase, 16*pageSize, protRW)
	e.mapAt(areaBase+16*pageSize, 16*pageSize, protR)
	for i := uint64(0); i < 16; i++ {
		e.guestWrite(areaBase+i*pageSize+9, 0x77)
	}
	e.guestRead(areaBase + 16*pageSize) // read-only: the zero page, no frame
	if e.frames.Used() != 16 {
		t.Fatalf("Used = %d", e.frames.Used())
	}
	// Discard the middle of the first area and the start of the second.
	if err := e.mm.Discard(areaBase+8*pageSize, 12*pageSize); err != nil {
		t.Fatal(err)
	}
	if e.frames.Used() != 8 {
		t.Fatalf("Used = %d after discarding 8 written pages, want 8", e.frames.Used())
	}
	if got := e.mappedPages(areaBase, areaBase+32*pageSize); !samePages(got, append(pagesFromTo(0, 8), pagesFromTo(20, 32)...)) {
		t.Fatalf("mapped after Discard: %v", got)
	}
	// The areas stay as they were.
	if got := e.vmaList(); len(got) != 2 {
		t.Fatalf("Discard changed areas: %#x", got)
	}
	e.check()
	for i := uint64(0); i < 16; i++ {
		b, ok := e.guestRead(areaBase + i*pageSize + 9)
		want := byte(0x77)
		if i >= 8 {
			want = 0
		}
		if !ok || b != want {
			t.Fatalf("page %d reads %#x, %v; want %#x", i, b, ok, want)
		}
	}
	var buf [1]byte
	if _, err := e.mm.CopyIn(areaBase+17*pageSize+9, buf[:]); err != nil || buf[0] != 0 {
		t.Fatalf("CopyIn of a discarded read-only page = %#x, %v", buf[0], err)
	}
	e.check()
}

func TestDiscardInvalid(t *testing.T) {
	e := newMMEnv(t)
	e.mapAt(areaBase, 4*pageSize, protRW)
	e.guestWrite(areaBase, 1)
	if err := e.mm.Discard(areaBase+1, pageSize); !errors.Is(err, unix.EINVAL) {
		t.Errorf("unaligned Discard = %v, want EINVAL", err)
	}
	if err := e.mm.Discard(areaBase, 5*pageSize); !errors.Is(err, unix.ENOMEM) {
		t.Errorf("Discard past the area = %v, want ENOMEM", err)
	}
	if err := e.mm.Discard(areaBase, ^uint64(0)-10); err == nil {
		t.Errorf("Discard of an overflowing length succeeded")
	}
	if b, _ := e.guestRead(areaBase); b != 1 {
		t.Fatalf("a failed Discard dropped a page")
	}
	// madvise(addr, 0, MADV_DONTNEED) succeeds and does nothing.
	if err := e.mm.Discard(areaBase, 0); err != nil {
		t.Errorf("Discard of length 0 = %v, want success", err)
	}
	if err := e.mm.Discard(areaBase+64*pageSize, 0); err != nil {
		t.Errorf("Discard of length 0 in a hole = %v, want success", err)
	}
	e.check()
}
