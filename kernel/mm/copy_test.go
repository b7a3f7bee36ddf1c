package mm

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"golang.org/x/sys/unix"
)

func TestCopyAcrossPages(t *testing.T) {
	e := newMMEnv(t)
	e.mapAt(areaBase, 4*pageSize, protRW)
	src := patternBytes(2*pageSize + 300)
	addr := uint64(areaBase + pageSize - 150)
	if n, err := e.mm.CopyOut(addr, src); err != nil || n != len(src) {
		t.Fatalf("CopyOut = %d, %v", n, err)
	}
	dst := make([]byte, len(src))
	if n, err := e.mm.CopyIn(addr, dst); err != nil || n != len(dst) {
		t.Fatalf("CopyIn = %d, %v", n, err)
	}
	if !bytes.Equal(dst, src) {
		t.Fatal("CopyIn does not read back what CopyOut wrote")
	}
	// The guest sees it at the same addresses.
	for _, off := range []uint64{0, 149, 150, pageSize + 149, pageSize + 150, uint64(len(src)) - 1} {
		if b, ok := e.guestRead(addr + off); !ok || b != src[off] {
			t.Fatalf("guest reads %#x at +%#x, want %#x", b, off, src[off])
		}
	}
	// Guest writes are seen by CopyIn.
	e.guestWrite(addr+pageSize, 0xab)
	var one [1]byte
	e.mm.CopyIn(addr+pageSize, one[:])
	if one[0] != 0xab {
		t.Fatalf("CopyIn sees %#x after a guest write", one[0])
	}
	// Empty copies succeed anywhere.
	if n, err := e.mm.CopyIn(0, nil); n != 0 || err != nil {
		t.Fatalf("empty CopyIn = %d, %v", n, err)
	}
	if n, err := e.mm.CopyOut(0, nil); n != 0 || err != nil {
		t.Fatalf("empty CopyOut = %d, %v", n, err)
	}
	// Kernel copies commit only the pages they touch, without fault-around.
	e2 := newMMEnv(t)
	e2.mapAt(areaBase, 64*pageSize, protRW)
	e2.mm.CopyOut(areaBase+10*pageSize-2, []byte{1, 2, 3, 4})
	if e2.frames.Used() != 2 {
		t.Fatalf("a 4-byte CopyOut across two pages committed %d frames", e2.frames.Used())
	}
	e.check()
	e2.check()
}

func TestCopyOutStopsAtReadOnlyPage(t *testing.T) {
	e := newMMEnv(t)
	e.mapAt(areaBase, pageSize, protRW)
	e.mapAt(areaBase+pageSize, pageSize, protR)
	src := []byte("0123456789")
	n, err := e.mm.CopyOut(areaBase+pageSize-4, src)
	if n != 4 || !errors.Is(err, unix.EFAULT) {
		t.Fatalf("CopyOut across RW|R = %d, %v; want 4, EFAULT", n, err)
	}
	got := make([]byte, 10)
	if n, err := e.mm.CopyIn(areaBase+pageSize-4, got); n != 10 || err != nil {
		t.Fatalf("CopyIn = %d, %v", n, err)
	}
	if want := append([]byte("0123"), make([]byte, 6)...); !bytes.Equal(got, want) {
		t.Fatalf("memory after partial CopyOut = %q, want %q", got, want)
	}
	// Reading past the end of the mapping stops at the boundary too.
	n, err = e.mm.CopyIn(areaBase+2*pageSize-3, make([]byte, 8))
	if n != 3 || !errors.Is(err, unix.EFAULT) {
		t.Fatalf("CopyIn past the end = %d, %v; want 3, EFAULT", n, err)
	}
	// A copy starting in a hole does nothing.
	n, err = e.mm.CopyOut(areaBase+2*pageSize, src)
	if n != 0 || !errors.Is(err, unix.EFAULT) {
		t.Fatalf("CopyOut into a hole = %d, %v", n, err)
	}
	// An address range wrapping around the top fails.
	if n, err := e.mm.CopyIn(^uint64(0)-2, make([]byte, 8)); n != 0 || !errors.Is(err, unix.EFAULT) {
		t.Fatalf("CopyIn wrapping = %d, %v", n, err)
	}
	e.check()
}

func TestPokeIgnoresPermissions(t *testing.T) {
	e := newMMEnv(t)
	e.mapAt(areaBase, pageSize, protR)
	e.mapAt(areaBase+pageSize, pageSize, protRX)
	e.mapAt(areaBase+2*pageSize, pageSize, protNone)
	if err := e.mm.Poke(areaBase+pageSize-2, []byte("abcd")); err != nil {
		t.Fatalf("Poke across R|RX: %v", err)
	}
	got := make([]byte, 4)
	e.mm.CopyIn(areaBase+pageSize-2, got)
	if string(got) != "abcd" {
		t.Fatalf("read back %q", got)
	}
	if err := e.mm.Poke(areaBase+2*pageSize, []byte{1}); err != nil {
		t.Fatalf("Poke into PROT_NONE: %v", err)
	}
	if err := e.mm.Poke(areaBase+3*pageSize, []byte{1}); !errors.Is(err, unix.EFAULT) {
		t.Fatalf("Poke into a hole = %v, want EFAULT", err)
	}
	// The guest still may not write there.
	if e.guestWrite(areaBase, 1) {
		t.Fatal("guest write to a read-only page succeeded after Poke")
	}
	if b, ok := e.guestRead(areaBase + pageSize - 1); !ok || b != 'b' {
		t.Fatalf("guest reads %q, %v", b, ok)
	}
	e.check()
}

func TestReadString(t *testing.T) {
	e := newMMEnv(t)
	e.mapAt(areaBase, 2*pageSize, protR)
	s := "hello, world"
	addr := uint64(areaBase + pageSize - 5) // crosses into the second page
	if err := e.mm.Poke(addr, append([]byte(s), 0)); err != nil {
		t.Fatal(err)
	}
	for _, max := range []int{len(s) + 1, len(s) + 2, 4096, 1 << 20} {
		got, err := e.mm.ReadString(addr, max)
		if err != nil || got != s {
			t.Fatalf("ReadString(max %d) = %q, %v", max, got, err)
		}
	}
	// No NUL within max.
	for _, max := range []int{0, 1, len(s)} {
		if got, err := e.mm.ReadString(addr, max); !errors.Is(err, unix.ENAMETOOLONG) {
			t.Fatalf("ReadString(max %d) = %q, %v; want ENAMETOOLONG", max, got, err)
		}
	}
	// The empty string.
	if got, err := e.mm.ReadString(addr+uint64(len(s)), 10); err != nil || got != "" {
		t.Fatalf("empty ReadString = %q, %v", got, err)
	}
	// Unmapped address.
	if _, err := e.mm.ReadString(areaBase+4*pageSize, 10); !errors.Is(err, unix.EFAULT) {
		t.Fatalf("ReadString of a hole = %v", err)
	}
	// A string running into a hole before its NUL.
	tail := uint64(areaBase + 2*pageSize - 3)
	e.mm.Poke(tail, []byte("xyz"))
	if _, err := e.mm.ReadString(tail, 100); !errors.Is(err, unix.EFAULT) {
		t.Fatalf("ReadString into a hole = %v, want EFAULT", err)
	}
	// A string ending at the last byte of the mapping.
	e.mm.Poke(tail, []byte("xy\x00"))
	if got, err := e.mm.ReadString(tail, 100); err != nil || got != "xy" {
		t.Fatalf("ReadString at the end of the mapping = %q, %v", got, err)
	}
	// PROT_NONE memory is not readable.
	e.mapAt(areaBase+8*pageSize, pageSize, protNone)
	e.mm.Poke(areaBase+8*pageSize, []byte("a\x00"))
	if _, err := e.mm.ReadString(areaBase+8*pageSize, 10); !errors.Is(err, unix.EFAULT) {
		t.Fatalf("ReadString of PROT_NONE = %v", err)
	}
	e.check()
}

// TestReadStringStopsAtNUL: like strncpy_from_user, ReadString does not
// touch memory past the NUL: no frames committed, no file pages read.
func TestReadStringStopsAtNUL(t *testing.T) {
	e := newMMEnv(t)
	e.mapAt(areaBase, 64*pageSize, protRW)
	e.mm.CopyOut(areaBase+pageSize-3, []byte("ab\x00"))
	used := e.frames.Used()
	if got, err := e.mm.ReadString(areaBase+pageSize-3, 32*pageSize); err != nil || got != "ab" {
		t.Fatalf("ReadString = %q, %v", got, err)
	}
	if e.frames.Used() != used {
		t.Fatalf("ReadString committed %d frames past the NUL", e.frames.Used()-used)
	}
	e.check()
}

func TestPin(t *testing.T) {
	e := newMMEnv(t)
	e.mapAt(areaBase, pageSize, protRW)
	e.mapAt(areaBase+pageSize, pageSize, protR)
	b, release, err := e.mm.Pin(areaBase+12, 100, true)
	if err != nil || len(b) != 100 {
		t.Fatalf("Pin = %d bytes, %v", len(b), err)
	}
	b[0] = 0x5a
	release()
	if v, _ := e.guestRead(areaBase + 12); v != 0x5a {
		t.Fatalf("guest does not see a write through Pin: %#x", v)
	}
	if b, release, err := e.mm.Pin(areaBase+pageSize-10, 100, false); err != nil || len(b) != 10 {
		t.Fatalf("Pin across a page boundary = %d bytes, %v; want the 10 up to the boundary", len(b), err)
	} else {
		release()
	}
	if _, _, err := e.mm.Pin(areaBase+pageSize, 4, true); !errors.Is(err, unix.EFAULT) {
		t.Fatalf("writable Pin of a read-only page = %v", err)
	}
	if _, release, err := e.mm.Pin(areaBase+pageSize, 4, false); err != nil {
		t.Fatalf("readable Pin of a read-only page = %v", err)
	} else {
		release()
	}
	if _, _, err := e.mm.Pin(areaBase+2*pageSize, 4, false); !errors.Is(err, unix.EFAULT) {
		t.Fatalf("Pin of a hole = %v", err)
	}
	// A pinned frame outlives an unmap of its page.
	b, release, _ = e.mm.Pin(areaBase, 8, true)
	used := e.frames.Used()
	if err := e.mm.Unmap(areaBase, pageSize); err != nil {
		t.Fatal(err)
	}
	if e.frames.Used() != used {
		t.Fatal("unmap freed a pinned frame")
	}
	release()
	if e.frames.Used() != used-1 {
		t.Fatal("release did not free the unmapped frame")
	}
	e.check()
}

func TestRelease(t *testing.T) {
	e := newMMEnv(t)
	start := e.frames.Used()
	e.mapAt(areaBase, 64*pageSize, protRW)
	f := &countingFile{data: patternBytes(3 * pageSize)}
	e.mm.Map(Mapping{Addr: areaBase + 100*pageSize, Length: 8 * pageSize, Perms: protR, File: f, Fixed: true})
	for a := uint64(areaBase); a < areaBase+64*pageSize; a += 3 * pageSize {
		e.guestWrite(a, 1)
	}
	e.guestRead(areaBase + 100*pageSize)
	e.mm.CopyIn(areaBase+107*pageSize, make([]byte, 1))
	e.mm.SetBrk(0x800000)
	e.mm.Brk(0x800000 + 10*pageSize)
	e.mm.CopyOut(0x800000, make([]byte, 10*pageSize))
	if e.frames.Used() <= start {
		t.Fatal("nothing committed")
	}
	e.check()
	e.mm.Release()
	if e.frames.Used() != start {
		t.Fatalf("Used = %d after Release, want %d", e.frames.Used(), start)
	}
	if e.as.released != 1 {
		t.Fatalf("AddressSpace.Release called %d times", e.as.released)
	}
	if f.closes.Load() != 1 {
		t.Fatalf("file closed %d times", f.closes.Load())
	}
}

func TestOutOfMemory(t *testing.T) {
	e := newMMEnv(t)
	// Take every frame but 5.
	var hog []uint64
	for {
		fr, err := e.frames.AllocRun(1)
		if err != nil {
			break
		}
		hog = append(hog, fr)
	}
	for _, fr := range hog[len(hog)-5:] {
		e.frames.FreeRun(fr, 1)
	}
	hog = hog[:len(hog)-5]
	e.extra = uint64(len(hog))
	e.mapAt(areaBase, 64*pageSize, protRW)
	// Fault-around is best effort: the faulting page is what matters.
	if !e.mm.HandleFault(mapErrFault(areaBase), 0) {
		t.Fatal("fault with 5 free frames not handled")
	}
	if _, ok := e.as.lookup(areaBase); !ok {
		t.Fatal("faulting page not mapped")
	}
	e.check()
	if e.frames.Used() != e.extra+5 {
		t.Fatalf("Used = %d, want every frame (%d)", e.frames.Used(), e.extra+5)
	}
	if e.mm.HandleFault(mapErrFault(areaBase+32*pageSize), 0) {
		t.Fatal("fault with no free frame handled")
	}
	if _, err := e.mm.CopyOut(areaBase+40*pageSize, []byte{1}); !errors.Is(err, unix.EFAULT) {
		t.Fatalf("CopyOut with no memory = %v", err)
	}
	e.check()
	for _, fr := range hog {
		e.frames.FreeRun(fr, 1)
	}
	e.extra = 0
	if !e.mm.HandleFault(mapErrFault(areaBase+32*pageSize), 0) {
		t.Fatal("fault after memory came back not handled")
	}
	if b, ok := e.guestRead(areaBase + 40*pageSize); !ok || b != 0 {
		t.Fatalf("read after memory came back = %d, %v", b, ok)
	}
	e.check()
}

// TestConcurrent runs guest faults, kernel copies and map changes from
// several goroutines on one MM, for the race detector.
func TestConcurrent(t *testing.T) {
	e := newMMEnv(t)
	const workers = 8
	for w := uint64(0); w < workers; w++ {
		e.mapAt(areaBase+w*0x100000, 64*pageSize, protRW)
	}
	var wg sync.WaitGroup
	errs := make(chan error, workers*2)
	for w := uint64(0); w < workers; w++ {
		area := areaBase + w*0x100000
		wg.Add(2)
		go func() {
			defer wg.Done()
			for i := range 200 {
				a := area + uint64(i%64)*pageSize + 8
				if !e.mm.HandleFault(mapErrFault(a), 0) {
					if _, ok := e.as.lookup(a); !ok {
						errs <- fmt.Errorf("fault at %#x failed", a)
						return
					}
				}
				msg := fmt.Sprintf("w%d-%d", w, i)
				if _, err := e.mm.CopyOut(a, append([]byte(msg), 0)); err != nil {
					errs <- err
					return
				}
				if got, err := e.mm.ReadString(a, 64); err != nil || got != msg {
					errs <- fmt.Errorf("ReadString = %q, %v; want %q", got, err, msg)
					return
				}
			}
		}()
		go func() {
			defer wg.Done()
			for i := range 50 {
				a, err := e.mm.Map(Mapping{Length: uint64(1+i%4) * pageSize, Perms: protRW})
				if err != nil {
					errs <- err
					return
				}
				e.mm.CopyOut(a, []byte(strings.Repeat("x", 10)))
				e.mm.Protect(a, pageSize, protR)
				e.mm.Discard(a, pageSize)
				if err := e.mm.Unmap(a, uint64(1+i%4)*pageSize); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	e.check()
	e.mm.Release()
	if e.frames.Used() != 0 {
		t.Fatalf("Used = %d after Release", e.frames.Used())
	}
}
