package mm

import (
	"errors"
	"math/rand"
	"testing"

	"golang.org/x/sys/unix"

	"quartz/hal"
)

const areaBase = 0x10000000 // a 16-page aligned address far from everything

func TestNewLayout(t *testing.T) {
	e := newMMEnv(t)
	if got := e.mm.StackTop(); got != recLimit {
		t.Errorf("StackTop = %#x, want %#x", got, recLimit)
	}
	if e.mm.mmapBase != recLimit-stackMax-stackGap {
		t.Errorf("mmapBase = %#x", e.mm.mmapBase)
	}
	if e.mm.AddressSpace() != e.as {
		t.Errorf("AddressSpace is not the one given to New")
	}
	if e.mm.DynamicBase()&pageMask != 0 {
		t.Errorf("DynamicBase %#x unaligned", e.mm.DynamicBase())
	}
}

func TestMapHintHonouredWhenFree(t *testing.T) {
	e := newMMEnv(t)
	got, err := e.mm.Map(Mapping{Addr: areaBase, Length: 3 * pageSize, Perms: protRW})
	if err != nil || got != areaBase {
		t.Fatalf("Map with free hint = %#x, %v; want %#x", got, err, areaBase)
	}
	// An unaligned hint is rounded to its page.
	got, err = e.mm.Map(Mapping{Addr: areaBase + 8*pageSize + 123, Length: 100, Perms: protRW})
	if err != nil || got != areaBase+8*pageSize {
		t.Fatalf("Map with unaligned hint = %#x, %v; want %#x", got, err, areaBase+8*pageSize)
	}
	if v, _ := e.area(got); v.end != got+pageSize {
		t.Fatalf("length 100 gave area [%#x, %#x), want one page", v.start, v.end)
	}
	e.check()
}

func TestMapTopDownWhenHintOccupied(t *testing.T) {
	e := newMMEnv(t)
	mmapBase := e.mm.mmapBase
	a, err := e.mm.Map(Mapping{Length: 2 * pageSize, Perms: protRW})
	if err != nil || a != mmapBase-2*pageSize {
		t.Fatalf("first hintless Map = %#x, %v; want %#x", a, err, mmapBase-2*pageSize)
	}
	b, err := e.mm.Map(Mapping{Length: 5 * pageSize, Perms: protR})
	if err != nil || b != a-5*pageSize {
		t.Fatalf("second hintless Map = %#x, %v; want %#x", b, err, a-5*pageSize)
	}
	e.mapAt(areaBase, 4*pageSize, protRW)
	// The hint overlaps the area at areaBase: placed top-down instead.
	c, err := e.mm.Map(Mapping{Addr: areaBase + pageSize, Length: pageSize, Perms: protRW})
	if err != nil || c != b-pageSize {
		t.Fatalf("Map with occupied hint = %#x, %v; want %#x", c, err, b-pageSize)
	}
	// A hole between a and b is reused when it fits.
	if err := e.mm.Unmap(b+pageSize, 2*pageSize); err != nil {
		t.Fatal(err)
	}
	d, err := e.mm.Map(Mapping{Addr: c, Length: 2 * pageSize, Perms: protRW})
	if err != nil || d != b+pageSize {
		t.Fatalf("Map into hole = %#x, %v; want %#x", d, err, b+pageSize)
	}
	// A hint at or above the stack region is not honoured.
	f, err := e.mm.Map(Mapping{Addr: mmapBase + pageSize, Length: pageSize, Perms: protRW})
	if err != nil || f >= mmapBase {
		t.Fatalf("Map with hint in the stack gap = %#x, %v; want below %#x", f, err, mmapBase)
	}
	// Hints below the minimum address are not honoured either.
	g, err := e.mm.Map(Mapping{Addr: pageSize, Length: pageSize, Perms: protRW})
	if err != nil || g < minAddr {
		t.Fatalf("Map with hint below minAddr = %#x, %v", g, err)
	}
	for _, r := range e.vmaList() {
		if r[1] > mmapBase && r[0] < mmapBase {
			t.Fatalf("area [%#x, %#x) crosses mmapBase", r[0], r[1])
		}
	}
	e.check()
}

func TestMapFixedReplacesAndFreesFrames(t *testing.T) {
	e := newMMEnv(t)
	e.mapAt(areaBase, 8*pageSize, protRW)
	for i := uint64(0); i < 8; i++ {
		if !e.guestWrite(areaBase+i*pageSize, byte(i+1)) {
			t.Fatalf("write to page %d failed", i)
		}
	}
	if e.frames.Used() != 8 {
		t.Fatalf("Used = %d after touching 8 pages", e.frames.Used())
	}
	got, err := e.mm.Map(Mapping{Addr: areaBase + 2*pageSize, Length: 4 * pageSize, Perms: protR, Fixed: true})
	if err != nil || got != areaBase+2*pageSize {
		t.Fatalf("Fixed Map = %#x, %v", got, err)
	}
	if e.frames.Used() != 4 {
		t.Fatalf("Used = %d after replacing 4 of 8 pages, want 4", e.frames.Used())
	}
	want := [][2]uint64{
		{areaBase, areaBase + 2*pageSize},
		{areaBase + 2*pageSize, areaBase + 6*pageSize},
		{areaBase + 6*pageSize, areaBase + 8*pageSize},
	}
	if got := e.vmaList(); !sameRanges(got, want) {
		t.Fatalf("areas = %#x, want %#x", got, want)
	}
	for i := uint64(2); i < 6; i++ {
		if _, ok := e.as.lookup(areaBase + i*pageSize); ok {
			t.Fatalf("platform still maps replaced page %d", i)
		}
	}
	e.check()
	for i := uint64(0); i < 8; i++ {
		b, ok := e.guestRead(areaBase + i*pageSize)
		want := byte(i + 1)
		if i >= 2 && i < 6 {
			want = 0
		}
		if !ok || b != want {
			t.Fatalf("page %d reads %d, %v; want %d", i, b, ok, want)
		}
	}
	if e.guestWrite(areaBase+3*pageSize, 1) {
		t.Fatalf("write to the read-only replacement succeeded")
	}
	e.check()
}

func TestMapFixedNoReplace(t *testing.T) {
	e := newMMEnv(t)
	e.mapAt(areaBase+4*pageSize, 4*pageSize, protRW)
	for _, r := range []struct{ addr, length uint64 }{
		{areaBase, 5 * pageSize},
		{areaBase + 7*pageSize, pageSize},
		{areaBase + 5*pageSize, pageSize},
		{areaBase, 16 * pageSize},
	} {
		_, err := e.mm.Map(Mapping{Addr: r.addr, Length: r.length, Perms: protRW, Fixed: true, NoReplace: true})
		if !errors.Is(err, unix.EEXIST) {
			t.Errorf("NoReplace over [%#x, +%#x) = %v, want EEXIST", r.addr, r.length, err)
		}
	}
	if got := e.vmaList(); len(got) != 1 {
		t.Fatalf("failed NoReplace maps changed the areas: %#x", got)
	}
	// Adjacent ranges do not overlap.
	for _, addr := range []uint64{areaBase, areaBase + 8*pageSize} {
		got, err := e.mm.Map(Mapping{Addr: addr, Length: 4 * pageSize, Perms: protRW, Fixed: true, NoReplace: true})
		if err != nil || got != addr {
			t.Errorf("NoReplace adjacent at %#x = %#x, %v", addr, got, err)
		}
	}
	e.check()
}

func TestMapInvalid(t *testing.T) {
	e := newMMEnv(t)
	for _, c := range []struct {
		name string
		req  Mapping
		want error
	}{
		{"zero length", Mapping{Addr: areaBase, Length: 0, Perms: protRW}, unix.EINVAL},
		{"zero length fixed", Mapping{Addr: areaBase, Length: 0, Perms: protRW, Fixed: true}, unix.EINVAL},
		{"length overflows", Mapping{Length: ^uint64(0) - 10, Perms: protRW}, unix.EINVAL},
		{"unaligned offset", Mapping{Addr: areaBase, Length: pageSize, Offset: 100, File: &countingFile{}}, unix.EINVAL},
		{"unaligned fixed", Mapping{Addr: areaBase + 1, Length: pageSize, Fixed: true}, unix.EINVAL},
		{"fixed beyond limit", Mapping{Addr: recLimit, Length: pageSize, Fixed: true}, unix.ENOMEM},
		{"fixed crossing limit", Mapping{Addr: recLimit - pageSize, Length: 2 * pageSize, Fixed: true}, unix.ENOMEM},
		{"fixed wraps", Mapping{Addr: ^uint64(0) &^ pageMask, Length: 2 * pageSize, Fixed: true}, unix.ENOMEM},
		{"fixed below minAddr", Mapping{Addr: 0, Length: pageSize, Fixed: true}, unix.ENOMEM},
		{"too big to place", Mapping{Length: recLimit, Perms: protRW}, unix.ENOMEM},
	} {
		got, err := e.mm.Map(c.req)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: Map = %#x, %v; want %v", c.name, got, err, c.want)
		}
	}
	if got := e.vmaList(); len(got) != 0 {
		t.Fatalf("failed maps left areas: %#x", got)
	}
	// The last page below the limit is fine.
	if got, err := e.mm.Map(Mapping{Addr: recLimit - pageSize, Length: pageSize, Perms: protRW, Fixed: true}); err != nil || got != recLimit-pageSize {
		t.Fatalf("Fixed Map of the last page = %#x, %v", got, err)
	}
	e.check()
}

func TestUnmapSplits(t *testing.T) {
	e := newMMEnv(t)
	e.mapAt(areaBase, 48*pageSize, protRW)
	if err := e.mm.Unmap(areaBase+16*pageSize, 16*pageSize); err != nil {
		t.Fatal(err)
	}
	want := [][2]uint64{{areaBase, areaBase + 16*pageSize}, {areaBase + 32*pageSize, areaBase + 48*pageSize}}
	if got := e.vmaList(); !sameRanges(got, want) {
		t.Fatalf("areas = %#x, want %#x", got, want)
	}
	for _, a := range []uint64{areaBase, areaBase + 15*pageSize + 7, areaBase + 32*pageSize, areaBase + 47*pageSize + 4095} {
		if !e.guestWrite(a, 9) {
			t.Fatalf("write at %#x outside the hole failed", a)
		}
	}
	for _, a := range []uint64{areaBase + 16*pageSize, areaBase + 20*pageSize + 1, areaBase + 31*pageSize + 4095} {
		if e.mm.HandleFault(mapErrFault(a), 0) {
			t.Fatalf("HandleFault at %#x in the hole = true", a)
		}
		if _, err := e.mm.CopyIn(a, make([]byte, 1)); !errors.Is(err, unix.EFAULT) {
			t.Fatalf("CopyIn at %#x in the hole = %v", a, err)
		}
	}
	e.check()
}

func TestUnmapFreesAndUnmapsPlatform(t *testing.T) {
	e := newMMEnv(t)
	e.mapAt(areaBase, 32*pageSize, protRW)
	for a := uint64(areaBase); a < areaBase+32*pageSize; a += pageSize {
		e.guestWrite(a, 1)
	}
	if e.frames.Used() != 32 {
		t.Fatalf("Used = %d", e.frames.Used())
	}
	// Unmap a range spanning the area and empty space on both sides.
	if err := e.mm.Unmap(areaBase-4*pageSize, 20*pageSize); err != nil {
		t.Fatal(err)
	}
	if e.frames.Used() != 16 {
		t.Fatalf("Used = %d after unmapping 16 pages, want 16", e.frames.Used())
	}
	e.check()
	// Unmap of nothing succeeds and changes nothing.
	if err := e.mm.Unmap(areaBase-4*pageSize, 4*pageSize); err != nil {
		t.Fatal(err)
	}
	// An unaligned length covers its last partial page.
	if err := e.mm.Unmap(areaBase+16*pageSize, 15*pageSize+1); err != nil {
		t.Fatal(err)
	}
	if e.frames.Used() != 0 || len(e.vmaList()) != 0 {
		t.Fatalf("Used = %d, areas %#x after unmapping everything", e.frames.Used(), e.vmaList())
	}
	e.check()
}

func TestUnmapInvalid(t *testing.T) {
	e := newMMEnv(t)
	e.mapAt(areaBase, pageSize, protRW)
	for _, c := range []struct{ addr, length uint64 }{
		{areaBase + 1, pageSize},
		{areaBase, 0},
		{recLimit - pageSize, 2 * pageSize},
		{areaBase, ^uint64(0) - 10},
	} {
		if err := e.mm.Unmap(c.addr, c.length); !errors.Is(err, unix.EINVAL) {
			t.Errorf("Unmap(%#x, %#x) = %v, want EINVAL", c.addr, c.length, err)
		}
	}
	if len(e.vmaList()) != 1 {
		t.Fatalf("failed unmaps removed the area")
	}
}

func sameRanges(a, b [][2]uint64) bool {
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

// modelPage is what a guest page should be, in the property test's model.
type modelPage struct {
	perms hal.Perms
	val   byte // the byte at offset modelProbe in the page
}

const modelProbe = 123

// TestMapUnmapModel runs random maps, unmaps, protects, discards and
// accesses against a page-level model and checks, after each step, that
// the areas agree with the model and the MM agrees with the platform and
// the frame allocator.
func TestMapUnmapModel(t *testing.T) {
	seeds := []int64{1, 2, 3, 4, 5, 6, 7, 8}
	steps := 400
	if testing.Short() {
		seeds, steps = seeds[:2], 200
	}
	for _, seed := range seeds {
		e := newMMEnv(t)
		rng := rand.New(rand.NewSource(seed))
		model := map[uint64]modelPage{}
		const window = 128 // pages, from areaBase
		permsChoice := []hal.Perms{protNone, protR, protRW, protRX, protRWX}
		randRange := func() (uint64, uint64) {
			first := uint64(rng.Intn(window))
			n := uint64(1 + rng.Intn(24))
			return areaBase + first*pageSize, n * pageSize
		}
		covered := func(addr, length uint64) (all, any bool) {
			all = true
			for a := addr; a < addr+length; a += pageSize {
				_, ok := model[a]
				all = all && ok
				any = any || ok
			}
			return all, any
		}
		for step := 0; step < steps; step++ {
			addr, length := randRange()
			perms := permsChoice[rng.Intn(len(permsChoice))]
			switch op := rng.Intn(9); op {
			case 0: // fixed map
				got, err := e.mm.Map(Mapping{Addr: addr, Length: length, Perms: perms, Fixed: true})
				if err != nil || got != addr {
					t.Fatalf("seed %d step %d: Fixed Map(%#x, %#x) = %#x, %v", seed, step, addr, length, got, err)
				}
				for a := addr; a < addr+length; a += pageSize {
					model[a] = modelPage{perms: perms}
				}
			case 1: // fixed, no replace
				_, any := covered(addr, length)
				got, err := e.mm.Map(Mapping{Addr: addr, Length: length, Perms: perms, Fixed: true, NoReplace: true})
				if any {
					if !errors.Is(err, unix.EEXIST) {
						t.Fatalf("seed %d step %d: NoReplace over a mapping = %#x, %v", seed, step, got, err)
					}
					break
				}
				if err != nil || got != addr {
					t.Fatalf("seed %d step %d: NoReplace into a hole = %#x, %v", seed, step, got, err)
				}
				for a := addr; a < addr+length; a += pageSize {
					model[a] = modelPage{perms: perms}
				}
			case 2: // hint
				_, any := covered(addr, length)
				got, err := e.mm.Map(Mapping{Addr: addr, Length: length, Perms: perms})
				if err != nil {
					t.Fatalf("seed %d step %d: Map hint %#x: %v", seed, step, addr, err)
				}
				if !any && got != addr {
					t.Fatalf("seed %d step %d: free hint %#x not honoured: %#x", seed, step, addr, got)
				}
				if _, anyOld := covered(got, length); anyOld {
					t.Fatalf("seed %d step %d: Map placed [%#x, +%#x) over an existing area", seed, step, got, length)
				}
				for a := got; a < got+length; a += pageSize {
					model[a] = modelPage{perms: perms}
				}
			case 3: // unmap
				if err := e.mm.Unmap(addr, length); err != nil {
					t.Fatalf("seed %d step %d: Unmap: %v", seed, step, err)
				}
				for a := addr; a < addr+length; a += pageSize {
					delete(model, a)
				}
			case 4: // protect
				all, _ := covered(addr, length)
				err := e.mm.Protect(addr, length, perms)
				if !all {
					if !errors.Is(err, unix.ENOMEM) {
						t.Fatalf("seed %d step %d: Protect over a hole = %v", seed, step, err)
					}
					break
				}
				if err != nil {
					t.Fatalf("seed %d step %d: Protect: %v", seed, step, err)
				}
				for a := addr; a < addr+length; a += pageSize {
					p := model[a]
					p.perms = perms
					model[a] = p
				}
			case 5: // discard
				all, _ := covered(addr, length)
				err := e.mm.Discard(addr, length)
				if !all {
					if !errors.Is(err, unix.ENOMEM) {
						t.Fatalf("seed %d step %d: Discard over a hole = %v", seed, step, err)
					}
					break
				}
				if err != nil {
					t.Fatalf("seed %d step %d: Discard: %v", seed, step, err)
				}
				for a := addr; a < addr+length; a += pageSize {
					p := model[a]
					p.val = 0
					model[a] = p
				}
			case 6: // kernel write
				p, ok := model[addr]
				v := byte(rng.Intn(255) + 1)
				_, err := e.mm.CopyOut(addr+modelProbe, []byte{v})
				if ok && p.perms&hal.PermWrite != 0 {
					if err != nil {
						t.Fatalf("seed %d step %d: CopyOut to %v page: %v", seed, step, p.perms, err)
					}
					p.val = v
					model[addr] = p
				} else if !errors.Is(err, unix.EFAULT) {
					t.Fatalf("seed %d step %d: CopyOut to %v (mapped %v) = %v", seed, step, p.perms, ok, err)
				}
			case 7: // guest write
				p, ok := model[addr]
				v := byte(rng.Intn(255) + 1)
				done := e.guestWrite(addr+modelProbe, v)
				if want := ok && p.perms&hal.PermWrite != 0; done != want {
					t.Fatalf("seed %d step %d: guest write to %v (mapped %v) = %v", seed, step, p.perms, ok, done)
				}
				if done {
					p.val = v
					model[addr] = p
				}
			case 8: // guest and kernel read
				p, ok := model[addr]
				b, done := e.guestRead(addr + modelProbe)
				if want := ok && p.perms&hal.PermRead != 0; done != want {
					t.Fatalf("seed %d step %d: guest read of %v (mapped %v) = %v", seed, step, p.perms, ok, done)
				}
				if done && b != p.val {
					t.Fatalf("seed %d step %d: guest read %d, want %d", seed, step, b, p.val)
				}
				var buf [1]byte
				_, err := e.mm.CopyIn(addr+modelProbe, buf[:])
				if ok && p.perms != 0 {
					if err != nil || buf[0] != p.val {
						t.Fatalf("seed %d step %d: CopyIn = %d, %v; want %d", seed, step, buf[0], err, p.val)
					}
				} else if !errors.Is(err, unix.EFAULT) {
					t.Fatalf("seed %d step %d: CopyIn of %v (mapped %v) = %v", seed, step, p.perms, ok, err)
				}
			}
			e.check()
			// The areas cover exactly the model's pages, with its perms.
			n := 0
			for _, m := range e.mm.space.Mappings() {
				v := viewOf(m)
				for a := v.start; a < v.end; a += pageSize {
					p, ok := model[a]
					if !ok || p.perms != v.perms {
						t.Fatalf("seed %d step %d: area page %#x perms %v; model %v, %v", seed, step, a, v.perms, p.perms, ok)
					}
					n++
				}
			}
			if n != len(model) {
				t.Fatalf("seed %d step %d: areas hold %d pages, model %d", seed, step, n, len(model))
			}
		}
		e.mm.Release()
		if e.frames.Used() != 0 {
			t.Fatalf("seed %d: Used = %d after Release", seed, e.frames.Used())
		}
	}
}
