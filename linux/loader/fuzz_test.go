package loader

import (
	"bytes"
	"debug/elf"
	"errors"
	"strings"
	"testing"
)

func FuzzParse(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte("\x7fELF"))
	f.Add([]byte("#!/bin/sh\n"))
	// Seeds are kept small: the fuzzer's minimization of new inputs is
	// quadratic in their length.
	b := newBuilder()
	b.phdrs[0].Filesz, b.phdrs[0].Memsz = 0x120, 0x120
	b.phdrs[1].Off, b.phdrs[1].Vaddr, b.phdrs[1].Filesz = 0x120, 0x401120, 0x20
	b.size = 0x140
	if _, err := Parse(bytes.NewReader(b.bytes()), 0x140); err != nil {
		f.Fatalf("seed: %v", err)
	}
	f.Add(b.bytes())
	b.phdrs = append(b.phdrs,
		elf.Prog64{Type: uint32(elf.PT_INTERP), Off: 0x1f8, Filesz: 8, Memsz: 8},
		elf.Prog64{Type: uint32(elf.PT_GNU_STACK), Flags: uint32(elf.PF_R | elf.PF_W)},
		elf.Prog64{Type: uint32(elf.PT_PHDR), Vaddr: 0x400040, Off: 0x40},
	)
	b.phdrs[0].Filesz, b.phdrs[0].Memsz = 0x1e0, 0x1e0
	b.phdrs[1].Off, b.phdrs[1].Vaddr = 0x1e0, 0x4011e0
	b.typ = uint16(elf.ET_DYN)
	b.size = 0x200
	data := b.bytes()
	copy(data[0x1f8:], "/lib/ld\x00")
	if _, err := Parse(bytes.NewReader(data), int64(len(data))); err != nil {
		f.Fatalf("seed: %v", err)
	}
	f.Add(data)

	f.Fuzz(func(t *testing.T, data []byte) {
		im, err := Parse(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			n := 0
			for _, s := range []error{ErrNotELF, ErrWrongArch, ErrCorrupt, ErrNotExecutable} {
				if errors.Is(err, s) {
					n++
				}
			}
			if n != 1 {
				t.Fatalf("error %v wraps %d sentinels", err, n)
			}
			return
		}
		if im.Type != elf.ET_EXEC && im.Type != elf.ET_DYN {
			t.Fatalf("type %v", im.Type)
		}
		if len(im.Segments) == 0 || im.MinVaddr%PageSize != 0 || im.MaxVaddr%PageSize != 0 || im.MinVaddr >= im.MaxVaddr && im.Segments[0].Memsz > 0 {
			t.Fatalf("bad span %+v", im)
		}
		size := uint64(len(data))
		for i, s := range im.Segments {
			if s.Filesz > s.Memsz || s.Filesz > 0 && (s.Offset+s.Filesz > size || s.Offset > size) || (s.Vaddr-s.Offset)%PageSize != 0 {
				t.Fatalf("segment %d: %+v (size %d)", i, s, size)
			}
			if s.Vaddr < im.MinVaddr || s.End() > im.MaxVaddr || s.End() < s.Vaddr {
				t.Fatalf("segment %d %+v outside [%#x, %#x)", i, s, im.MinVaddr, im.MaxVaddr)
			}
			if i > 0 && s.Vaddr < im.Segments[i-1].End() {
				t.Fatalf("segment %d overlaps", i)
			}
		}
		if im.Phoff+im.Phnum*56 > size || im.Phnum == 0 || im.Phnum > MaxPhnum {
			t.Fatalf("phdrs %d at %#x (size %d)", im.Phnum, im.Phoff, size)
		}
		_ = im.LoadBias(0x7f00_0000_0000)
		_ = StandardAux(im, im.LoadBias(0x7f00_0000_0000), 0, im.Entry, 0, 0, 0, 0, 0, false)
	})
}

func FuzzParseShebang(f *testing.F) {
	f.Add([]byte("#!/bin/sh -e\n"))
	f.Add([]byte("#! /usr/bin/env  python3 \t\n"))
	f.Fuzz(func(t *testing.T, head []byte) {
		interp, arg, ok := ParseShebang(head)
		if !ok {
			return
		}
		if interp == "" || strings.ContainsAny(interp, " \t\n\x00") || strings.ContainsAny(arg, "\n\x00") ||
			strings.Trim(arg, " \t") != arg {
			t.Fatalf("ParseShebang(%q) = %q, %q", head, interp, arg)
		}
		if len(interp)+len(arg) > ShebangBufSize {
			t.Fatalf("too long: %q %q", interp, arg)
		}
	})
}
