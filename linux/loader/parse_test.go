package loader

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

const helloC = `#include <stdio.h>
int main(int argc, char **argv) { printf("hello %d\n", argc); return 0; }
`

// gccBuild compiles helloC with the given flags into dir and returns the
// output path, skipping the test if gcc (or static libc) is unavailable.
func gccBuild(t *testing.T, name string, flags ...string) string {
	t.Helper()
	if _, err := exec.LookPath("gcc"); err != nil {
		t.Skip("gcc not available")
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "hello.c")
	if err := os.WriteFile(src, []byte(helloC), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, name)
	args := append(append([]string{}, flags...), "-o", out, src)
	if msg, err := exec.Command("gcc", args...).CombinedOutput(); err != nil {
		t.Skipf("gcc %v: %v\n%s", args, err, msg)
	}
	return out
}

func parseFile(t *testing.T, path string) (*Image, error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	return Parse(f, st.Size())
}

func parseBytes(b []byte) (*Image, error) {
	return Parse(bytes.NewReader(b), int64(len(b)))
}

// crossCheck compares im with what debug/elf says about the same file.
func crossCheck(t *testing.T, path string, im *Image) {
	t.Helper()
	f, err := elf.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if im.Type != f.Type || im.Entry != f.Entry {
		t.Errorf("type/entry = %v/%#x, debug/elf says %v/%#x", im.Type, im.Entry, f.Type, f.Entry)
	}
	if im.Phnum != uint64(len(f.Progs)) || im.Phentsize != 56 {
		t.Errorf("phnum/phentsize = %d/%d, want %d/56", im.Phnum, im.Phentsize, len(f.Progs))
	}
	var loads []Segment
	var phdr uint64
	interp := ""
	for _, p := range f.Progs {
		switch p.Type {
		case elf.PT_LOAD:
			loads = append(loads, Segment{Vaddr: p.Vaddr, Memsz: p.Memsz, Filesz: p.Filesz, Offset: p.Off, Prot: protOf(p.Flags)})
		case elf.PT_PHDR:
			phdr = p.Vaddr
		case elf.PT_INTERP:
			b := make([]byte, p.Filesz)
			if _, err := p.ReadAt(b, 0); err != nil {
				t.Fatal(err)
			}
			interp = string(bytes.TrimRight(b, "\x00"))
		}
	}
	if len(loads) != len(im.Segments) {
		t.Fatalf("%d segments, want %d", len(im.Segments), len(loads))
	}
	for i := range loads {
		if loads[i] != im.Segments[i] {
			t.Errorf("segment %d = %+v, want %+v", i, im.Segments[i], loads[i])
		}
	}
	if phdr != 0 && im.PhdrVaddr != phdr {
		t.Errorf("PhdrVaddr = %#x, PT_PHDR says %#x", im.PhdrVaddr, phdr)
	}
	if im.Interp != interp {
		t.Errorf("Interp = %q, want %q", im.Interp, interp)
	}
	first, last := loads[0], loads[len(loads)-1]
	if im.MinVaddr != first.Vaddr&^4095 || im.MaxVaddr != (last.Vaddr+last.Memsz+4095)&^4095 {
		t.Errorf("span [%#x, %#x), segments say [%#x, %#x)", im.MinVaddr, im.MaxVaddr, first.Vaddr, last.Vaddr+last.Memsz)
	}
	if im.MinVaddr%4096 != 0 || im.MaxVaddr%4096 != 0 {
		t.Errorf("span [%#x, %#x) not page aligned", im.MinVaddr, im.MaxVaddr)
	}
	// The program headers must be where PhdrVaddr says, in the file image.
	if im.PhdrVaddr != 0 {
		found := false
		for _, s := range im.Segments {
			if im.PhdrVaddr >= s.Vaddr && im.PhdrVaddr+im.Phnum*56 <= s.Vaddr+s.Filesz {
				found = im.PhdrVaddr-s.Vaddr+s.Offset == im.Phoff
			}
		}
		if !found {
			t.Errorf("PhdrVaddr %#x does not map to e_phoff %#x", im.PhdrVaddr, im.Phoff)
		}
	}
}

func TestParseStatic(t *testing.T) {
	path := gccBuild(t, "static", "-static")
	im, err := parseFile(t, path)
	if err != nil {
		t.Fatal(err)
	}
	crossCheck(t, path, im)
	if im.Type != elf.ET_EXEC || im.Interp != "" {
		t.Errorf("type %v interp %q, want ET_EXEC and none", im.Type, im.Interp)
	}
	if im.LoadBias(0x7f0000000000) != 0 {
		t.Errorf("ET_EXEC LoadBias = %#x, want 0", im.LoadBias(0x7f0000000000))
	}
	if im.PhdrVaddr == 0 {
		t.Error("PhdrVaddr not found")
	}
	if im.StackExec {
		t.Error("StackExec set for a default gcc build")
	}
	hasExec := false
	for _, s := range im.Segments {
		hasExec = hasExec || s.Prot&unix.PROT_EXEC != 0
	}
	if !hasExec {
		t.Error("no executable segment")
	}
}

func TestParseStaticPIE(t *testing.T) {
	path := gccBuild(t, "staticpie", "-static-pie")
	im, err := parseFile(t, path)
	if err != nil {
		t.Fatal(err)
	}
	crossCheck(t, path, im)
	if im.Type != elf.ET_DYN || im.Interp != "" {
		t.Errorf("type %v interp %q, want ET_DYN and none", im.Type, im.Interp)
	}
	if im.PhdrVaddr == 0 {
		t.Error("PhdrVaddr not computed")
	}
	const base = 0x555555554000
	bias := im.LoadBias(base)
	if bias+im.MinVaddr != base {
		t.Errorf("LoadBias(%#x) = %#x; MinVaddr %#x", uint64(base), bias, im.MinVaddr)
	}
}

func TestParseDynamic(t *testing.T) {
	path := gccBuild(t, "dyn")
	im, err := parseFile(t, path)
	if err != nil {
		t.Fatal(err)
	}
	crossCheck(t, path, im)
	if im.Type != elf.ET_DYN {
		t.Errorf("type %v, want ET_DYN", im.Type)
	}
	if im.Interp != "/lib64/ld-linux-x86-64.so.2" {
		t.Errorf("Interp = %q", im.Interp)
	}
	// And the interpreter itself.
	if _, err := os.Stat(im.Interp); err == nil {
		ld, err := parseFile(t, im.Interp)
		if err != nil {
			t.Fatalf("parsing %s: %v", im.Interp, err)
		}
		crossCheck(t, im.Interp, ld)
		if ld.Type != elf.ET_DYN || ld.Interp != "" {
			t.Errorf("ld.so: type %v interp %q", ld.Type, ld.Interp)
		}
	}
}

func TestParseExecStack(t *testing.T) {
	path := gccBuild(t, "execstack", "-static", "-z", "execstack")
	im, err := parseFile(t, path)
	if err != nil {
		t.Fatal(err)
	}
	if !im.StackExec {
		t.Error("StackExec not set with -z execstack")
	}
}

func TestParseBinTrue(t *testing.T) {
	const path = "/bin/true"
	if _, err := os.Stat(path); err != nil {
		t.Skip(err)
	}
	im, err := parseFile(t, path)
	if err != nil {
		t.Fatal(err)
	}
	crossCheck(t, path, im)
}

func TestRejectObject(t *testing.T) {
	path := gccBuild(t, "hello.o", "-c")
	_, err := parseFile(t, path)
	if !errors.Is(err, ErrNotExecutable) {
		t.Fatalf("gcc -c output: err = %v, want ErrNotExecutable", err)
	}
	if !strings.Contains(err.Error(), "ET_REL") {
		t.Errorf("message %q does not say ET_REL", err)
	}
}

func TestRejectTruncated(t *testing.T) {
	data, err := os.ReadFile("/bin/true")
	if err != nil {
		t.Skip(err)
	}
	im, err := parseBytes(data)
	if err != nil {
		t.Fatal(err)
	}
	phEnd := int(im.Phoff + im.Phnum*56)
	lastSeg := im.Segments[len(im.Segments)-1]
	cases := []struct {
		name string
		n    int
		want string
	}{
		{"first 100 bytes", 100, "program headers"},
		{"in ELF header", 40, "ELF header truncated"},
		{"in program headers", phEnd - 1, "program headers"},
		{"after program headers", phEnd, "beyond end of file"},
		{"first 1000 bytes", 1000, ""},
		{"in last segment", int(lastSeg.Offset + lastSeg.Filesz - 1), "beyond end of file"},
	}
	for _, c := range cases {
		_, err := parseBytes(data[:c.n])
		if !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s (%d bytes): err = %v, want ErrCorrupt", c.name, c.n, err)
			continue
		}
		if c.want == "" {
			if c.n >= phEnd {
				c.want = "beyond end of file"
			} else {
				c.want = "program headers"
			}
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %q does not mention %q", c.name, err, c.want)
		}
	}
}

// elfBuilder crafts small ELF files for the rejection tests.
type elfBuilder struct {
	class, data, version byte
	typ, machine         uint16
	phentsize            uint16
	phnum                int // -1: len(phdrs)
	phoff                uint64
	phdrs                []elf.Prog64
	tail                 []byte // appended after the program headers
	size                 int    // pad (or cut) the file to this size, if > 0
}

func newBuilder() *elfBuilder {
	return &elfBuilder{
		class: byte(elf.ELFCLASS64), data: byte(elf.ELFDATA2LSB), version: 1,
		typ: uint16(elf.ET_EXEC), machine: uint16(elf.EM_X86_64),
		phentsize: 56, phnum: -1, phoff: 64,
		phdrs: []elf.Prog64{
			{Type: uint32(elf.PT_LOAD), Flags: uint32(elf.PF_R | elf.PF_X), Off: 0, Vaddr: 0x400000, Filesz: 0x1000, Memsz: 0x1000, Align: 0x1000},
			{Type: uint32(elf.PT_LOAD), Flags: uint32(elf.PF_R | elf.PF_W), Off: 0x1000, Vaddr: 0x401000, Filesz: 0x100, Memsz: 0x2000, Align: 0x1000},
		},
		size: 0x1100,
	}
}

func (b *elfBuilder) bytes() []byte {
	var buf bytes.Buffer
	h := elf.Header64{
		Type: b.typ, Machine: b.machine, Version: 1, Entry: 0x400100,
		Phoff: b.phoff, Ehsize: 64, Phentsize: b.phentsize,
	}
	copy(h.Ident[:], elf.ELFMAG)
	h.Ident[elf.EI_CLASS] = b.class
	h.Ident[elf.EI_DATA] = b.data
	h.Ident[elf.EI_VERSION] = b.version
	n := b.phnum
	if n < 0 {
		n = len(b.phdrs)
	}
	h.Phnum = uint16(n)
	binary.Write(&buf, binary.LittleEndian, &h)
	for buf.Len() < int(b.phoff) {
		buf.WriteByte(0)
	}
	for _, p := range b.phdrs {
		binary.Write(&buf, binary.LittleEndian, &p)
	}
	buf.Write(b.tail)
	out := buf.Bytes()
	if b.size > 0 {
		if len(out) < b.size {
			out = append(out, make([]byte, b.size-len(out))...)
		} else {
			out = out[:b.size]
		}
	}
	return out
}

func TestCraftedValid(t *testing.T) {
	im, err := parseBytes(newBuilder().bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(im.Segments) != 2 || im.MinVaddr != 0x400000 || im.MaxVaddr != 0x403000 || im.PhdrVaddr != 0x400040 {
		t.Errorf("got %+v", im)
	}
	if im.Segments[0].Prot != unix.PROT_READ|unix.PROT_EXEC || im.Segments[1].Prot != unix.PROT_READ|unix.PROT_WRITE {
		t.Errorf("prots %d %d", im.Segments[0].Prot, im.Segments[1].Prot)
	}
	if im.StackExec {
		t.Error("StackExec without PT_GNU_STACK")
	}
}

func TestRejectNotELF(t *testing.T) {
	for name, data := range map[string]string{
		"empty":       "",
		"one byte":    "\x7f",
		"three bytes": "\x7fEL",
		"text":        "hello, world\nthis is a text file\n",
		"script":      "echo hi\n",
		"shebang":     "#!/bin/sh\necho hi\n",
		"bad magic":   "\x7fELG" + strings.Repeat("\x00", 100),
	} {
		_, err := parseBytes([]byte(data))
		if !errors.Is(err, ErrNotELF) {
			t.Errorf("%s: err = %v, want ErrNotELF", name, err)
		}
	}
}

func TestRejectWrongArch(t *testing.T) {
	// A 32-bit i386 header (52 bytes), crafted by hand.
	h32 := elf.Header32{Type: uint16(elf.ET_EXEC), Machine: uint16(elf.EM_386), Version: 1, Ehsize: 52, Phentsize: 32}
	copy(h32.Ident[:], elf.ELFMAG)
	h32.Ident[elf.EI_CLASS] = byte(elf.ELFCLASS32)
	h32.Ident[elf.EI_DATA] = byte(elf.ELFDATA2LSB)
	h32.Ident[elf.EI_VERSION] = 1
	var b32 bytes.Buffer
	binary.Write(&b32, binary.LittleEndian, &h32)

	arm := newBuilder()
	arm.machine = uint16(elf.EM_AARCH64)
	be := newBuilder()
	be.data = byte(elf.ELFDATA2MSB)

	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"32-bit", b32.Bytes(), "ELFCLASS32"},
		{"32-bit ident only", b32.Bytes()[:16], "ELFCLASS32"},
		{"aarch64", arm.bytes(), "EM_AARCH64"},
		{"big-endian", be.bytes(), "big-endian"},
	} {
		_, err := parseBytes(c.data)
		if !errors.Is(err, ErrWrongArch) {
			t.Errorf("%s: err = %v, want ErrWrongArch", c.name, err)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %q does not mention %q", c.name, err, c.want)
		}
	}
}

func TestRejectNotExecutable(t *testing.T) {
	for _, typ := range []elf.Type{elf.ET_REL, elf.ET_CORE, elf.ET_NONE, 0xfe00} {
		b := newBuilder()
		b.typ = uint16(typ)
		if _, err := parseBytes(b.bytes()); !errors.Is(err, ErrNotExecutable) {
			t.Errorf("%v: err = %v, want ErrNotExecutable", typ, err)
		}
	}
}

func TestRejectCorrupt(t *testing.T) {
	load := func(off, vaddr, filesz, memsz uint64) elf.Prog64 {
		return elf.Prog64{Type: uint32(elf.PT_LOAD), Flags: uint32(elf.PF_R), Off: off, Vaddr: vaddr, Filesz: filesz, Memsz: memsz, Align: 0x1000}
	}
	interp := func(off, size uint64) elf.Prog64 {
		return elf.Prog64{Type: uint32(elf.PT_INTERP), Flags: uint32(elf.PF_R), Off: off, Filesz: size, Memsz: size}
	}
	cases := []struct {
		name string
		mod  func(b *elfBuilder)
		want string
	}{
		{"short header", func(b *elfBuilder) { b.size = 63 }, "ELF header truncated"},
		{"only ident", func(b *elfBuilder) { b.size = 5 }, "identification truncated"},
		{"phentsize", func(b *elfBuilder) { b.phentsize = 32 }, "e_phentsize"},
		{"no phdrs", func(b *elfBuilder) { b.phnum = 0 }, "no program headers"},
		{"absurd phnum", func(b *elfBuilder) { b.phnum = 257; b.size = 0x10000 }, "absurd"},
		{"PN_XNUM", func(b *elfBuilder) { b.phnum = 0xffff }, "absurd"},
		{"phdrs past EOF", func(b *elfBuilder) { b.phoff = 0x1100 - 56 }, "outside the file"},
		{"phoff huge", func(b *elfBuilder) { b.phoff = 1<<64 - 8; b.size = 0x1100 }, "outside the file"},
		{"filesz > memsz", func(b *elfBuilder) { b.phdrs[1].Filesz = 0x3000 }, "p_filesz"},
		{"segment past EOF", func(b *elfBuilder) { b.phdrs[1].Filesz = 0x101 }, "beyond end of file"},
		{"offset huge", func(b *elfBuilder) { b.phdrs[1] = load(1<<64-0x1000, 0x401000, 0x2000, 0x2000) }, "beyond end of file"},
		{"overlap", func(b *elfBuilder) { b.phdrs[0].Memsz = 0x1001 }, "overlaps"},
		{"unsorted", func(b *elfBuilder) { b.phdrs[1].Vaddr = 0x300000 }, "unsorted"},
		{"vaddr overflow", func(b *elfBuilder) { b.phdrs[1].Vaddr = 1<<64 - 0x1000; b.phdrs[1].Memsz = 0x2000 }, "overflows"},
		{"round-up overflow", func(b *elfBuilder) { b.phdrs[1].Vaddr = 1<<64 - 0x1000; b.phdrs[1].Memsz = 0xf01 }, "overflows"},
		{"memsz huge", func(b *elfBuilder) { b.phdrs[1].Memsz = 1<<64 - 1 }, "overflows"},
		{"misaligned", func(b *elfBuilder) { b.phdrs[1].Vaddr = 0x401800 }, "congruent"},
		{"no PT_LOAD", func(b *elfBuilder) { b.phdrs = b.phdrs[:0]; b.phnum = 1; b.phoff = 0x100 }, "no PT_LOAD"},
		{"beyond user space", func(b *elfBuilder) { b.phdrs[1].Vaddr = 1 << 47; b.phdrs[1].Off = 0x1000 }, "user address space"},
		{"interp not NUL-terminated", func(b *elfBuilder) {
			b.phdrs = append(b.phdrs, interp(0x200, 5))
			b.tail = nil
			b.size = 0x1100
		}, "NUL-terminated"},
		{"interp too long", func(b *elfBuilder) { b.phdrs = append(b.phdrs, interp(0, 4097)); b.size = 0x2000 }, "PT_INTERP size"},
		{"interp empty", func(b *elfBuilder) { b.phdrs = append(b.phdrs, interp(0x400, 1)) }, "PT_INTERP size"},
		{"interp past EOF", func(b *elfBuilder) { b.phdrs = append(b.phdrs, interp(0x10ff, 10)) }, "PT_INTERP"},
	}
	for _, c := range cases {
		b := newBuilder()
		c.mod(b)
		data := b.bytes()
		if c.name == "interp not NUL-terminated" {
			copy(data[0x200:], "/abcd")
		}
		_, err := parseBytes(data)
		if !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: err = %v, want ErrCorrupt", c.name, err)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %q does not mention %q", c.name, err, c.want)
		}
	}
}

func TestInterpAndStack(t *testing.T) {
	b := newBuilder()
	b.phdrs = append(b.phdrs,
		elf.Prog64{Type: uint32(elf.PT_INTERP), Off: 0x200, Filesz: 9, Memsz: 9},
		elf.Prog64{Type: uint32(elf.PT_GNU_STACK), Flags: uint32(elf.PF_R | elf.PF_W | elf.PF_X)},
		elf.Prog64{Type: uint32(elf.PT_PHDR), Vaddr: 0x400040, Off: 0x40},
	)
	data := b.bytes()
	copy(data[0x200:], "/lib/ld\x00\x00")
	im, err := parseBytes(data)
	if err != nil {
		t.Fatal(err)
	}
	if im.Interp != "/lib/ld" || !im.StackExec || im.PhdrVaddr != 0x400040 {
		t.Errorf("got interp %q stackexec %v phdr %#x", im.Interp, im.StackExec, im.PhdrVaddr)
	}
	if im.LoadBias(0x7000_0000_0000) != 0 {
		t.Error("ET_EXEC bias")
	}
	b.typ = uint16(elf.ET_DYN)
	data = b.bytes()
	copy(data[0x200:], "/lib/ld\x00\x00")
	im, err = parseBytes(data)
	if err != nil {
		t.Fatal(err)
	}
	if got := im.LoadBias(0x7000_0000_0000); got != 0x7000_0000_0000-0x400000 {
		t.Errorf("ET_DYN LoadBias = %#x", got)
	}
}

type errReader struct{}

func (errReader) ReadAt([]byte, int64) (int, error) { return 0, os.ErrPermission }

func TestReadError(t *testing.T) {
	_, err := Parse(errReader{}, 4096)
	if err == nil || !errors.Is(err, os.ErrPermission) {
		t.Fatalf("err = %v, want the I/O error", err)
	}
	for _, s := range []error{ErrNotELF, ErrWrongArch, ErrCorrupt, ErrNotExecutable} {
		if errors.Is(err, s) {
			t.Errorf("I/O error classified as %v", s)
		}
	}
	// A reader shorter than the size claimed is a truncated file.
	if _, err := Parse(bytes.NewReader(newBuilder().bytes()[:100]), 0x1100); !errors.Is(err, ErrCorrupt) {
		t.Errorf("short reader: err = %v, want ErrCorrupt", err)
	}
}
