package loader

import (
	"debug/elf"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"

	"golang.org/x/sys/unix"
)

// PageSize is the guest page size the loader plans for.
const PageSize = 4096

const (
	ehdrSize = 64 // sizeof(Elf64_Ehdr)
	phdrSize = 56 // sizeof(Elf64_Phdr)

	// MaxPhnum bounds e_phnum; real programs have a dozen or so.
	MaxPhnum = 256

	// MaxInterpLen bounds PT_INTERP's p_filesz, NUL included (Linux: PATH_MAX).
	MaxInterpLen = 4096

	// userTop is the end of the x86-64 user address space (47 bits);
	// nothing can be loaded at or above it.
	userTop = 1 << 47
)

// Segment is one PT_LOAD program header.
type Segment struct {
	// Vaddr, Memsz, Filesz and Offset are p_vaddr, p_memsz, p_filesz and
	// p_offset. Vaddr is not relocated: add Image.LoadBias. The bytes
	// [Offset, Offset+Filesz) of the file go to [Vaddr, Vaddr+Filesz);
	// [Vaddr+Filesz, Vaddr+Memsz) is zero-filled.
	Vaddr, Memsz, Filesz, Offset uint64
	// Prot is unix.PROT_READ|PROT_WRITE|PROT_EXEC from p_flags.
	Prot int
}

// End returns Vaddr+Memsz (unrelocated, not page aligned).
func (s Segment) End() uint64 { return s.Vaddr + s.Memsz }

// Image is a parsed, validated ELF executable: everything needed to map it
// and to describe it in the auxiliary vector. Parse guarantees:
//   - at least one segment; segments are sorted by Vaddr and do not
//     overlap byte-wise (adjacent segments may share a page at their
//     boundary, so page-rounded ranges can overlap by one page);
//   - for each segment Filesz <= Memsz, Offset+Filesz <= file size (when
//     Filesz > 0),
//     (Vaddr-Offset) % PageSize == 0, and Vaddr+Memsz rounded up to a page
//     does not overflow;
//   - MaxVaddr-MinVaddr <= 1<<47 and, for ET_EXEC, MaxVaddr <= 1<<47.
type Image struct {
	Type     elf.Type  // elf.ET_EXEC or elf.ET_DYN
	Entry    uint64    // e_entry, unrelocated
	Segments []Segment // PT_LOAD headers in file order

	// Program header table location (e_phoff, e_phentsize, e_phnum).
	Phoff, Phentsize, Phnum uint64
	// PhdrVaddr is the unrelocated address of the program headers in
	// memory: PT_PHDR's p_vaddr, else computed from the PT_LOAD whose file
	// range contains the table. 0 if the table is not loaded at all.
	PhdrVaddr uint64

	// Interp is the PT_INTERP path (without its NUL), "" if none.
	Interp string

	// MinVaddr and MaxVaddr span all PT_LOADs: the first segment's Vaddr
	// rounded down and the largest Vaddr+Memsz rounded up to PageSize.
	MinVaddr, MaxVaddr uint64

	// StackExec is true if PT_GNU_STACK asks for an executable stack.
	// Without PT_GNU_STACK x86-64 Linux gives a non-executable stack.
	StackExec bool
}

// LoadBias returns what to add to the image's addresses once it is loaded:
// 0 for ET_EXEC, which must be mapped where it says, and base-MinVaddr for
// ET_DYN loaded with its lowest page at base (base must be page aligned).
func (im *Image) LoadBias(base uint64) uint64 {
	if im.Type != elf.ET_DYN {
		return 0
	}
	return base - im.MinVaddr
}

// Span returns MaxVaddr-MinVaddr, the length of address space the image
// needs (for choosing a base for ET_DYN).
func (im *Image) Span() uint64 { return im.MaxVaddr - im.MinVaddr }

func corrupt(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrCorrupt}, args...)...)
}

// readFull reads len(buf) bytes at off. A short read (EOF) is reported as
// ErrCorrupt naming what was being read; other I/O errors are wrapped as is.
func readFull(r io.ReaderAt, buf []byte, off int64, what string) error {
	n, err := r.ReadAt(buf, off)
	if n == len(buf) {
		return nil
	}
	if err == nil || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return corrupt("%s truncated (read %d of %d bytes at offset %d)", what, n, len(buf), off)
	}
	return fmt.Errorf("loader: reading %s: %w", what, err)
}

// protOf converts p_flags to mmap protection bits.
func protOf(flags elf.ProgFlag) int {
	prot := 0
	if flags&elf.PF_R != 0 {
		prot |= unix.PROT_READ
	}
	if flags&elf.PF_W != 0 {
		prot |= unix.PROT_WRITE
	}
	if flags&elf.PF_X != 0 {
		prot |= unix.PROT_EXEC
	}
	return prot
}

// inFile reports whether [off, off+n) lies within a file of the given size,
// without overflowing.
func inFile(off, n, size uint64) bool {
	return off <= size && n <= size-off
}

// Parse reads and validates the ELF header and program headers of an
// x86-64 executable of the given size. It reads only the headers and the
// PT_INTERP string. Errors wrap ErrNotELF, ErrWrongArch, ErrCorrupt or
// ErrNotExecutable, or are I/O errors from r. Parse never panics.
func Parse(r io.ReaderAt, size int64) (*Image, error) {
	if size < 0 {
		size = 0
	}
	fsize := uint64(size)

	// ELF identification and header.
	var eh [ehdrSize]byte
	n := min(size, ehdrSize)
	if n < 4 {
		return nil, fmt.Errorf("%w: file is only %d bytes", ErrNotELF, size)
	}
	if err := readFull(r, eh[:n], 0, "ELF header"); err != nil {
		return nil, err
	}
	if string(eh[:4]) != elf.ELFMAG {
		return nil, fmt.Errorf("%w: bad magic %q", ErrNotELF, eh[:4])
	}
	if n <= elf.EI_DATA {
		return nil, corrupt("ELF identification truncated (file is %d bytes)", size)
	}
	switch c := elf.Class(eh[elf.EI_CLASS]); c {
	case elf.ELFCLASS64:
	case elf.ELFCLASS32:
		return nil, fmt.Errorf("%w: 32-bit (ELFCLASS32), want 64-bit (ELFCLASS64)", ErrWrongArch)
	default:
		return nil, fmt.Errorf("%w: class %v, want 64-bit (ELFCLASS64)", ErrWrongArch, c)
	}
	switch d := elf.Data(eh[elf.EI_DATA]); d {
	case elf.ELFDATA2LSB:
	case elf.ELFDATA2MSB:
		return nil, fmt.Errorf("%w: big-endian (ELFDATA2MSB), want little-endian", ErrWrongArch)
	default:
		return nil, fmt.Errorf("%w: byte order %v, want little-endian (ELFDATA2LSB)", ErrWrongArch, d)
	}
	if n < ehdrSize {
		return nil, corrupt("ELF header truncated (file is %d bytes, header is %d)", size, ehdrSize)
	}
	le := binary.LittleEndian
	etype := elf.Type(le.Uint16(eh[16:]))
	machine := elf.Machine(le.Uint16(eh[18:]))
	entry := le.Uint64(eh[24:])
	phoff := le.Uint64(eh[32:])
	phentsize := uint64(le.Uint16(eh[54:]))
	phnum := uint64(le.Uint16(eh[56:]))

	if machine != elf.EM_X86_64 {
		return nil, fmt.Errorf("%w: machine %v, want EM_X86_64", ErrWrongArch, machine)
	}
	switch etype {
	case elf.ET_EXEC, elf.ET_DYN:
	case elf.ET_REL:
		return nil, fmt.Errorf("%w: ET_REL (relocatable object file)", ErrNotExecutable)
	case elf.ET_CORE:
		return nil, fmt.Errorf("%w: ET_CORE (core dump)", ErrNotExecutable)
	default:
		return nil, fmt.Errorf("%w: e_type %#x", ErrNotExecutable, uint16(etype))
	}

	// Program header table.
	if phentsize != phdrSize {
		return nil, corrupt("e_phentsize is %d, want %d", phentsize, phdrSize)
	}
	if phnum == 0 {
		return nil, corrupt("no program headers")
	}
	if phnum > MaxPhnum {
		return nil, corrupt("e_phnum %d is absurd (max %d)", phnum, MaxPhnum)
	}
	phlen := phnum * phdrSize
	if !inFile(phoff, phlen, fsize) {
		return nil, corrupt("program headers [%#x, +%#x) lie outside the file (%d bytes)", phoff, phlen, size)
	}
	ph := make([]byte, phlen)
	if err := readFull(r, ph, int64(phoff), "program headers"); err != nil {
		return nil, err
	}

	im := &Image{
		Type:      etype,
		Entry:     entry,
		Phoff:     phoff,
		Phentsize: phentsize,
		Phnum:     phnum,
	}
	var (
		havePhdr, haveInterp  bool
		interpOff, interpSize uint64
		maxEnd                uint64
	)
	for i := uint64(0); i < phnum; i++ {
		p := ph[i*phdrSize : (i+1)*phdrSize]
		ptype := elf.ProgType(le.Uint32(p[0:]))
		flags := elf.ProgFlag(le.Uint32(p[4:]))
		off := le.Uint64(p[8:])
		vaddr := le.Uint64(p[16:])
		filesz := le.Uint64(p[32:])
		memsz := le.Uint64(p[40:])

		switch ptype {
		case elf.PT_LOAD:
			if filesz > memsz {
				return nil, corrupt("PT_LOAD %d: p_filesz %#x > p_memsz %#x", i, filesz, memsz)
			}
			if filesz > 0 && !inFile(off, filesz, fsize) {
				return nil, corrupt("PT_LOAD %d: file range [%#x, +%#x) beyond end of file (%d bytes)", i, off, filesz, size)
			}
			if memsz > math.MaxUint64-(PageSize-1) || vaddr > math.MaxUint64-(PageSize-1)-memsz {
				return nil, corrupt("PT_LOAD %d: p_vaddr %#x + p_memsz %#x overflows", i, vaddr, memsz)
			}
			if (vaddr-off)%PageSize != 0 {
				return nil, corrupt("PT_LOAD %d: p_vaddr %#x and p_offset %#x are not congruent modulo the page size", i, vaddr, off)
			}
			if k := len(im.Segments); k > 0 {
				prev := im.Segments[k-1]
				if vaddr < prev.Vaddr {
					return nil, corrupt("PT_LOAD %d: p_vaddr %#x below previous segment's %#x (unsorted)", i, vaddr, prev.Vaddr)
				}
				if vaddr < prev.End() {
					return nil, corrupt("PT_LOAD %d: [%#x, %#x) overlaps previous segment [%#x, %#x)", i, vaddr, vaddr+memsz, prev.Vaddr, prev.End())
				}
			}
			maxEnd = max(maxEnd, vaddr+memsz)
			im.Segments = append(im.Segments, Segment{
				Vaddr: vaddr, Memsz: memsz, Filesz: filesz, Offset: off,
				Prot: protOf(flags),
			})
		case elf.PT_INTERP:
			if haveInterp {
				continue // like Linux, the first PT_INTERP wins
			}
			haveInterp = true
			interpOff, interpSize = off, filesz
		case elf.PT_PHDR:
			if !havePhdr {
				havePhdr = true
				im.PhdrVaddr = vaddr
			}
		case elf.PT_GNU_STACK:
			im.StackExec = flags&elf.PF_X != 0
		}
	}

	if len(im.Segments) == 0 {
		return nil, corrupt("no PT_LOAD segments")
	}
	im.MinVaddr = im.Segments[0].Vaddr &^ (PageSize - 1)
	im.MaxVaddr = (maxEnd + PageSize - 1) &^ (PageSize - 1)
	if im.MaxVaddr-im.MinVaddr > userTop {
		return nil, corrupt("segments span %#x bytes, more than the user address space", im.MaxVaddr-im.MinVaddr)
	}
	if etype == elf.ET_EXEC && im.MaxVaddr > userTop {
		return nil, corrupt("segments end at %#x, beyond the user address space", im.MaxVaddr)
	}

	if !havePhdr {
		for _, s := range im.Segments {
			if s.Offset <= phoff && phoff-s.Offset < s.Filesz {
				im.PhdrVaddr = s.Vaddr + (phoff - s.Offset)
				break
			}
		}
	}

	if haveInterp {
		if interpSize < 2 || interpSize > MaxInterpLen {
			return nil, corrupt("PT_INTERP size %d out of range [2, %d]", interpSize, MaxInterpLen)
		}
		if !inFile(interpOff, interpSize, fsize) {
			return nil, corrupt("PT_INTERP [%#x, +%#x) beyond end of file (%d bytes)", interpOff, interpSize, size)
		}
		buf := make([]byte, interpSize)
		if err := readFull(r, buf, int64(interpOff), "PT_INTERP"); err != nil {
			return nil, err
		}
		if buf[len(buf)-1] != 0 {
			return nil, corrupt("PT_INTERP path is not NUL-terminated")
		}
		for i, c := range buf {
			if c == 0 {
				buf = buf[:i]
				break
			}
		}
		if len(buf) == 0 {
			return nil, corrupt("PT_INTERP path is empty")
		}
		im.Interp = string(buf)
	}
	return im, nil
}
