package loader

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// decodedStack is an initial stack read back the way a C runtime does.
type decodedStack struct {
	argc         uint64
	argv, envp   []string
	argvPtrs     []uint64
	aux          []AuxEntry
	random       [16]byte
	execFn       string
	platform     string
	argvNullSeen bool
}

// decodeStack reads an image placed at [sp, sp+len(img)).
func decodeStack(img []byte, sp uint64) (*decodedStack, error) {
	top := sp + uint64(len(img))
	word := func(addr uint64) (uint64, error) {
		if addr < sp || addr+8 > top {
			return 0, fmt.Errorf("word at %#x outside [%#x, %#x)", addr, sp, top)
		}
		return binary.LittleEndian.Uint64(img[addr-sp:]), nil
	}
	cstr := func(addr uint64) (string, error) {
		if addr < sp || addr >= top {
			return "", fmt.Errorf("string at %#x outside [%#x, %#x)", addr, sp, top)
		}
		b := img[addr-sp:]
		i := bytes.IndexByte(b, 0)
		if i < 0 {
			return "", fmt.Errorf("unterminated string at %#x", addr)
		}
		return string(b[:i]), nil
	}
	d := &decodedStack{}
	var err error
	p := sp
	if d.argc, err = word(p); err != nil {
		return nil, err
	}
	p += 8
	for i := uint64(0); i < d.argc; i++ {
		a, err := word(p)
		if err != nil {
			return nil, err
		}
		s, err := cstr(a)
		if err != nil {
			return nil, err
		}
		d.argvPtrs = append(d.argvPtrs, a)
		d.argv = append(d.argv, s)
		p += 8
	}
	if w, err := word(p); err != nil || w != 0 {
		return nil, fmt.Errorf("argv[argc] = %#x, %v; want NULL", w, err)
	}
	d.argvNullSeen = true
	p += 8
	for {
		a, err := word(p)
		if err != nil {
			return nil, err
		}
		p += 8
		if a == 0 {
			break
		}
		s, err := cstr(a)
		if err != nil {
			return nil, err
		}
		d.envp = append(d.envp, s)
	}
	for {
		typ, err := word(p)
		if err != nil {
			return nil, err
		}
		val, err := word(p + 8)
		if err != nil {
			return nil, err
		}
		p += 16
		d.aux = append(d.aux, AuxEntry{typ, val})
		switch typ {
		case AT_RANDOM:
			if val < sp || val+16 > top {
				return nil, fmt.Errorf("AT_RANDOM %#x outside the stack", val)
			}
			copy(d.random[:], img[val-sp:])
		case AT_EXECFN:
			if d.execFn, err = cstr(val); err != nil {
				return nil, err
			}
		case AT_PLATFORM:
			if d.platform, err = cstr(val); err != nil {
				return nil, err
			}
		}
		if typ == AT_NULL {
			break
		}
	}
	return d, nil
}

func auxTypes(aux []AuxEntry) []uint64 {
	var t []uint64
	for _, a := range aux {
		t = append(t, a.Type)
	}
	return t
}

func testSpec() StackSpec {
	im := &Image{Type: 3, Entry: 0x1040, Phentsize: 56, Phnum: 13, PhdrVaddr: 0x40, Interp: "/lib64/ld-linux-x86-64.so.2"}
	aux := append([]AuxEntry{{AT_SYSINFO_EHDR, 0x7fff_f7fc_1000}, {AT_MINSIGSTKSZ, 3376}},
		StandardAux(im, 0x5555_5555_4000, 0x7fff_f7fc_3000, im.Entry, 1000, 1001, 1002, 1003, 0x178bfbff, false)...)
	aux = append(aux, AuxEntry{AT_RSEQ_FEATURE_SIZE, 28}, AuxEntry{AT_RSEQ_ALIGN, 32})
	var rnd [16]byte
	for i := range rnd {
		rnd[i] = byte(0xa0 + i)
	}
	return StackSpec{
		Top:    0x7fff_ffff_f000,
		Argv:   []string{"/bin/prog", "-x", "", "hello world"},
		Envv:   []string{"PATH=/bin:/usr/bin", "HOME=/root", "A="},
		ExecFn: "/usr/local/bin/prog",
		Random: rnd,
		Aux:    aux,
	}
}

func TestBuildStackDecode(t *testing.T) {
	s := testSpec()
	img, sp, err := BuildStack(s)
	if err != nil {
		t.Fatal(err)
	}
	if sp%16 != 0 {
		t.Errorf("sp %#x not 16-byte aligned", sp)
	}
	if sp+uint64(len(img)) != s.Top {
		t.Errorf("sp %#x + %d != Top %#x", sp, len(img), s.Top)
	}
	d, err := decodeStack(img, sp)
	if err != nil {
		t.Fatal(err)
	}
	if d.argc != uint64(len(s.Argv)) || !reflect.DeepEqual(d.argv, s.Argv) {
		t.Errorf("argc %d argv %q, want %q", d.argc, d.argv, s.Argv)
	}
	if !reflect.DeepEqual(d.envp, s.Envv) {
		t.Errorf("envp %q, want %q", d.envp, s.Envv)
	}
	if d.random != s.Random {
		t.Errorf("AT_RANDOM bytes %x, want %x", d.random, s.Random)
	}
	if d.execFn != s.ExecFn || d.platform != "x86_64" {
		t.Errorf("execfn %q platform %q", d.execFn, d.platform)
	}
	// Linux's order (LD_SHOW_AUXV on a 6.x kernel).
	want := []uint64{AT_SYSINFO_EHDR, AT_MINSIGSTKSZ, AT_HWCAP, AT_PAGESZ, AT_CLKTCK,
		AT_PHDR, AT_PHENT, AT_PHNUM, AT_BASE, AT_FLAGS, AT_ENTRY, AT_UID, AT_EUID,
		AT_GID, AT_EGID, AT_SECURE, AT_RANDOM, AT_HWCAP2, AT_EXECFN, AT_PLATFORM,
		AT_RSEQ_FEATURE_SIZE, AT_RSEQ_ALIGN, AT_NULL}
	if got := auxTypes(d.aux); !reflect.DeepEqual(got, want) {
		t.Errorf("auxv types %v, want %v", got, want)
	}
	vals := map[uint64]uint64{}
	for _, a := range d.aux {
		vals[a.Type] = a.Value
	}
	for typ, v := range map[uint64]uint64{
		AT_PHDR: 0x5555_5555_4040, AT_PHENT: 56, AT_PHNUM: 13, AT_PAGESZ: 4096,
		AT_BASE: 0x7fff_f7fc_3000, AT_FLAGS: 0, AT_ENTRY: 0x5555_5555_5040,
		AT_UID: 1000, AT_EUID: 1001, AT_GID: 1002, AT_EGID: 1003, AT_SECURE: 0,
		AT_HWCAP: 0x178bfbff, AT_CLKTCK: 100, AT_HWCAP2: 0,
	} {
		if vals[typ] != v {
			t.Errorf("aux type %d = %#x, want %#x", typ, vals[typ], v)
		}
	}
	// The top of the stack: 8 zero bytes, just below them ExecFn\0, below
	// that the environment then the argument strings, contiguous.
	if !bytes.Equal(img[len(img)-8:], make([]byte, 8)) {
		t.Error("top 8 bytes are not zero")
	}
	strs := strings.Join(s.Argv, "\x00") + "\x00" + strings.Join(s.Envv, "\x00") + "\x00" + s.ExecFn + "\x00"
	if got := string(img[len(img)-8-len(strs) : len(img)-8]); got != strs {
		t.Errorf("string area %q, want %q", got, strs)
	}
	if d.argvPtrs[0] != s.Top-8-uint64(len(strs)) {
		t.Errorf("argv[0] at %#x, want %#x", d.argvPtrs[0], s.Top-8-uint64(len(strs)))
	}
	// Random bytes directly below the platform string, below the
	// 16-aligned end of the strings.
	strStart := s.Top - 8 - uint64(len(strs))
	if vals[AT_PLATFORM] != strStart&^15-7 || vals[AT_RANDOM] != strStart&^15-7-16 {
		t.Errorf("platform %#x random %#x; strings start at %#x", vals[AT_PLATFORM], vals[AT_RANDOM], strStart)
	}
}

func TestBuildStackMinimal(t *testing.T) {
	for _, s := range []StackSpec{
		{Top: 0x10000},
		{Top: 0x10000, Argv: []string{"a"}},
		{Top: 0x10000, Argv: []string{"ab"}, Envv: []string{"X=1"}, ExecFn: "ab"},
		{Top: 0x10000, Argv: []string{"abc", "d"}, Aux: []AuxEntry{{AT_PAGESZ, 4096}}},
	} {
		img, sp, err := BuildStack(s)
		if err != nil {
			t.Fatal(err)
		}
		if sp%16 != 0 || sp+uint64(len(img)) != s.Top {
			t.Errorf("%+v: sp %#x len %d", s, sp, len(img))
		}
		d, err := decodeStack(img, sp)
		if err != nil {
			t.Fatalf("%+v: %v", s, err)
		}
		if len(d.argv) != len(s.Argv) || len(d.envp) != len(s.Envv) || d.execFn != s.ExecFn {
			t.Errorf("%+v: decoded %+v", s, d)
		}
		if last := d.aux[len(d.aux)-1]; last.Type != AT_NULL {
			t.Errorf("last aux entry %+v", last)
		}
		// Without AT_SECURE, AT_RANDOM goes after the caller's entries.
		want := append(auxTypes(s.Aux), AT_RANDOM, AT_EXECFN, AT_PLATFORM, AT_NULL)
		if got := auxTypes(d.aux); !reflect.DeepEqual(got, want) {
			t.Errorf("auxv types %v, want %v", got, want)
		}
	}
}

func TestBuildStackErrors(t *testing.T) {
	big := strings.Repeat("x", 1<<20)
	for _, c := range []struct {
		name string
		s    StackSpec
		want error
	}{
		{"NUL in argv", StackSpec{Top: 0x100000, Argv: []string{"a\x00b"}}, ErrBadStackSpec},
		{"NUL in envv", StackSpec{Top: 0x100000, Envv: []string{"A=\x00"}}, ErrBadStackSpec},
		{"NUL in execfn", StackSpec{Top: 0x100000, ExecFn: "\x00"}, ErrBadStackSpec},
		{"unaligned top", StackSpec{Top: 0x100008}, ErrBadStackSpec},
		{"top too low", StackSpec{Top: 0x100, Argv: []string{strings.Repeat("y", 300)}}, ErrBadStackSpec},
		{"AT_RANDOM in aux", StackSpec{Top: 0x100000, Aux: []AuxEntry{{AT_RANDOM, 1}}}, ErrBadStackSpec},
		{"AT_NULL in aux", StackSpec{Top: 0x100000, Aux: []AuxEntry{{AT_NULL, 0}}}, ErrBadStackSpec},
		{"too big", StackSpec{Top: 0x7fff_ffff_f000, Argv: []string{big, big}}, ErrStackTooBig},
		{"too many", StackSpec{Top: 0x7fff_ffff_f000, Envv: make([]string, 300000)}, ErrStackTooBig},
		{"just too big", StackSpec{Top: 0x7fff_ffff_f000, Argv: []string{strings.Repeat("x", MaxStackImage-100)}}, ErrStackTooBig},
	} {
		if _, _, err := BuildStack(c.s); !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.want)
		}
	}
	// Right at the limit is fine.
	s := StackSpec{Top: 0x7fff_ffff_f000, Argv: []string{strings.Repeat("x", MaxStackImage-200)}}
	if img, _, err := BuildStack(s); err != nil || len(img) > MaxStackImage {
		t.Errorf("near-limit stack: len %d, err %v", len(img), err)
	}
}

const stackDumpC = `#include <stdio.h>
#include <stdint.h>
#include <string.h>
int main(int argc, char **argv) {
	uint64_t sp = (uint64_t)argv - 8, lo, hi, top = 0;
	char line[512];
	FILE *f = fopen("/proc/self/maps", "r");
	while (f && fgets(line, sizeof line, f))
		if (strstr(line, "[stack]") && sscanf(line, "%lx-%lx", &lo, &hi) == 2)
			top = hi;
	if (!top) return 1;
	fwrite(&sp, 8, 1, stdout);
	fwrite(&top, 8, 1, stdout);
	fwrite((void *)sp, 1, top - sp, stdout);
	return 0;
}
`

// TestBuildStackMatchesLinux runs a static C program on the host kernel
// without address randomization (setarch -R), dumps its initial stack, and
// checks that BuildStack, given the same inputs, produces the same bytes.
func TestBuildStackMatchesLinux(t *testing.T) {
	if v, err := os.ReadFile("/proc/version"); err != nil || !strings.HasPrefix(string(v), "Linux") || strings.Contains(string(v), "gVisor") {
		t.Skip("not running on a Linux kernel")
	}
	for _, tool := range []string{"gcc", "setarch", "env"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not available", tool)
		}
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "dump.c")
	bin := filepath.Join(dir, "dump")
	if err := os.WriteFile(src, []byte(stackDumpC), 0o644); err != nil {
		t.Fatal(err)
	}
	if msg, err := exec.Command("gcc", "-static", "-O1", "-o", bin, src).CombinedOutput(); err != nil {
		t.Skipf("gcc -static: %v\n%s", err, msg)
	}
	argv := []string{bin, "one", "", "two words", strings.Repeat("z", 37)}
	envv := []string{"A=1", "LONGER_VARIABLE=some value here", "E="}
	args := append([]string{"-R", "env", "-i"}, envv...)
	args = append(args, argv...)
	out, err := exec.Command("setarch", args...).Output()
	if err != nil {
		t.Skipf("setarch -R: %v", err)
	}
	if len(out) < 16 {
		t.Fatalf("short dump: %d bytes", len(out))
	}
	sp := binary.LittleEndian.Uint64(out)
	top := binary.LittleEndian.Uint64(out[8:])
	img := out[16:]
	if sp+uint64(len(img)) != top {
		t.Fatalf("dump: sp %#x top %#x but %d bytes", sp, top, len(img))
	}
	d, err := decodeStack(img, sp)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(d.argv, argv) || !reflect.DeepEqual(d.envp, envv) {
		t.Fatalf("host stack has argv %q envp %q", d.argv, d.envp)
	}
	spec := StackSpec{Top: top, Argv: argv, Envv: envv, ExecFn: d.execFn, Random: d.random}
	for _, a := range d.aux {
		switch a.Type {
		case AT_RANDOM, AT_EXECFN, AT_PLATFORM, AT_NULL:
		default:
			spec.Aux = append(spec.Aux, a)
		}
	}
	got, gotSP, err := BuildStack(spec)
	if err != nil {
		t.Fatal(err)
	}
	if gotSP != sp || !bytes.Equal(got, img) {
		t.Errorf("BuildStack: sp %#x, %d bytes; Linux: sp %#x, %d bytes", gotSP, len(got), sp, len(img))
		for i := 0; i < min(len(got), len(img)); i++ {
			if got[len(got)-1-i] != img[len(img)-1-i] {
				t.Errorf("first difference at Top-%d: got %#x, Linux %#x", i+1, got[len(got)-1-i], img[len(img)-1-i])
				break
			}
		}
		gd, _ := decodeStack(got, gotSP)
		if gd != nil {
			t.Logf("ours:  aux %v", gd.aux)
		}
		t.Logf("linux: aux %v", d.aux)
	}
}
