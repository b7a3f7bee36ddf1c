package loader

import (
	"encoding/binary"
	"fmt"
	"strings"
)

// MaxStackImage bounds the initial stack image BuildStack produces.
const MaxStackImage = 2 << 20

// Platform is the AT_PLATFORM string.
const Platform = "x86_64"

// StackSpec describes a new program's initial stack.
type StackSpec struct {
	// Top is the end (exclusive) of the stack mapping; 16-byte aligned.
	Top uint64
	// Argv and Envv are the argument and environment strings, without
	// NULs. (Linux's execve substitutes {""} for an empty argv; that
	// policy is the caller's.)
	Argv, Envv []string
	// ExecFn is the path passed to execve, pointed to by AT_EXECFN.
	ExecFn string
	// Random is the 16 bytes AT_RANDOM points to.
	Random [16]byte
	// Aux holds the caller's auxv entries (StandardAux plus any
	// architecture entries) WITHOUT AT_RANDOM, AT_EXECFN, AT_PLATFORM or
	// AT_NULL, which BuildStack adds.
	Aux []AuxEntry
}

// StackLayout gives the addresses BuildStack chose, for the caller's
// bookkeeping (mm->arg_start and friends, /proc/pid/cmdline, environ).
type StackLayout struct {
	SP               uint64     // initial rsp; argc is stored here
	ArgStart, ArgEnd uint64     // argv strings
	EnvStart, EnvEnd uint64     // envp strings
	ExecFn           uint64     // AT_EXECFN string
	Platform         uint64     // AT_PLATFORM string
	Random           uint64     // AT_RANDOM bytes
	Argv, Envp, Auxv uint64     // the argv, envp and auxv arrays
	Aux              []AuxEntry // the complete auxv, AT_NULL included
	Total            uint64     // Top - SP
}

// BuildStack lays out the initial process stack exactly as Linux's execve
// (fs/exec.c and create_elf_tables in fs/binfmt_elf.c) does on x86-64, minus
// stack randomization. From Top downwards:
//
//	8 zero bytes                      (bprm->p starts at vm_end - sizeof(void *))
//	ExecFn\0                          <- AT_EXECFN
//	Envv[0]\0 ... Envv[n-1]\0         (ascending, Envv[0] lowest)
//	Argv[0]\0 ... Argv[m-1]\0
//	   align down to 16
//	"x86_64\0"                        <- AT_PLATFORM
//	16 random bytes                   <- AT_RANDOM
//	   padding so that sp is 16-aligned
//	auxv pairs ... AT_NULL, 0
//	envp[0] ... envp[n-1], NULL
//	argv[0] ... argv[m-1], NULL
//	argc                              <- sp
//
// It returns the bytes to place at [sp, Top) and sp. Errors wrap
// ErrStackTooBig or ErrBadStackSpec.
func BuildStack(s StackSpec) (image []byte, sp uint64, err error) {
	image, l, err := BuildStackLayout(s)
	if err != nil {
		return nil, 0, err
	}
	return image, l.SP, nil
}

// BuildStackLayout is BuildStack, also returning where everything went.
func BuildStackLayout(s StackSpec) ([]byte, *StackLayout, error) {
	if s.Top%16 != 0 {
		return nil, nil, fmt.Errorf("%w: Top %#x is not 16-byte aligned", ErrBadStackSpec, s.Top)
	}
	// Sizes, checked as we go so that nothing can overflow.
	var strs uint64 = 8 // the NULL word at the very top
	add := func(what string, i int, str string) error {
		if strings.IndexByte(str, 0) >= 0 {
			if i < 0 {
				return fmt.Errorf("%w: %s contains NUL", ErrBadStackSpec, what)
			}
			return fmt.Errorf("%w: %s[%d] contains NUL", ErrBadStackSpec, what, i)
		}
		strs += uint64(len(str)) + 1
		if strs > MaxStackImage {
			return fmt.Errorf("%w: strings exceed %d bytes", ErrStackTooBig, MaxStackImage)
		}
		return nil
	}
	if err := add("ExecFn", -1, s.ExecFn); err != nil {
		return nil, nil, err
	}
	for i, a := range s.Argv {
		if err := add("Argv", i, a); err != nil {
			return nil, nil, err
		}
	}
	for i, e := range s.Envv {
		if err := add("Envv", i, e); err != nil {
			return nil, nil, err
		}
	}
	for _, a := range s.Aux {
		switch a.Type {
		case AT_NULL, AT_RANDOM, AT_EXECFN, AT_PLATFORM:
			return nil, nil, fmt.Errorf("%w: Aux must not contain entry type %d (BuildStack adds it)", ErrBadStackSpec, a.Type)
		}
	}
	if len(s.Aux) > MaxStackImage/16 || len(s.Argv)+len(s.Envv) > MaxStackImage/8 {
		return nil, nil, fmt.Errorf("%w: too many entries", ErrStackTooBig)
	}
	// An upper bound of the total (alignment padding included) keeps the
	// arithmetic below from overflowing or wrapping below zero; the exact
	// size is checked once known.
	bound := strs + 16 + uint64(len(Platform)+1) + 16 + uint64(len(s.Aux)+3+1)*16 +
		uint64(len(s.Argv)+len(s.Envv)+3)*8 + 16
	if bound > MaxStackImage+64 {
		return nil, nil, fmt.Errorf("%w: about %d bytes needed, limit %d", ErrStackTooBig, bound, MaxStackImage)
	}
	if bound > s.Top {
		return nil, nil, fmt.Errorf("%w: Top %#x too low for a %d-byte stack", ErrBadStackSpec, s.Top, bound)
	}

	l := &StackLayout{}

	// fs/exec.c: copy the filename, then envp, then argv, each string
	// pushed in reverse so that the first ends up lowest.
	p := s.Top - 8
	p -= uint64(len(s.ExecFn)) + 1
	l.ExecFn = p
	envAddrs := make([]uint64, len(s.Envv))
	l.EnvEnd = p
	for i := len(s.Envv) - 1; i >= 0; i-- {
		p -= uint64(len(s.Envv[i])) + 1
		envAddrs[i] = p
	}
	l.EnvStart = p
	argAddrs := make([]uint64, len(s.Argv))
	l.ArgEnd = p
	for i := len(s.Argv) - 1; i >= 0; i-- {
		p -= uint64(len(s.Argv[i])) + 1
		argAddrs[i] = p
	}
	l.ArgStart = p

	// create_elf_tables: arch_align_stack, platform, random bytes.
	p &^= 15
	p -= uint64(len(Platform)) + 1
	l.Platform = p
	p -= uint64(len(s.Random))
	l.Random = p

	// The auxiliary vector, in Linux's order (see StandardAux).
	aux := make([]AuxEntry, 0, len(s.Aux)+4)
	at := len(s.Aux)
	for i, a := range s.Aux {
		if a.Type == AT_SECURE {
			at = i + 1
			break
		}
	}
	aux = append(aux, s.Aux[:at]...)
	aux = append(aux, AuxEntry{AT_RANDOM, l.Random})
	rest := s.Aux[at:]
	for len(rest) > 0 && (rest[0].Type == AT_HWCAP2 || rest[0].Type == AT_HWCAP3 || rest[0].Type == AT_HWCAP4) {
		aux = append(aux, rest[0])
		rest = rest[1:]
	}
	aux = append(aux,
		AuxEntry{AT_EXECFN, l.ExecFn},
		AuxEntry{AT_PLATFORM, l.Platform})
	aux = append(aux, rest...)
	aux = append(aux, AuxEntry{AT_NULL, 0})
	l.Aux = aux

	sp := p - uint64(len(aux))*16
	items := uint64(len(s.Argv)+1+len(s.Envv)+1) + 1
	sp = (sp - items*8) &^ 15
	l.SP = sp
	l.Total = s.Top - sp
	if l.Total > MaxStackImage {
		return nil, nil, fmt.Errorf("%w: %d bytes needed, limit %d", ErrStackTooBig, l.Total, MaxStackImage)
	}

	// Write it out.
	img := make([]byte, l.Total)
	at64 := func(addr uint64) []byte { return img[addr-sp:] }
	le := binary.LittleEndian
	copy(at64(l.ExecFn), s.ExecFn)
	for i, e := range s.Envv {
		copy(at64(envAddrs[i]), e)
	}
	for i, a := range s.Argv {
		copy(at64(argAddrs[i]), a)
	}
	copy(at64(l.Platform), Platform)
	copy(at64(l.Random), s.Random[:])

	w := sp
	put := func(v uint64) { le.PutUint64(at64(w), v); w += 8 }
	put(uint64(len(s.Argv)))
	l.Argv = w
	for _, a := range argAddrs {
		put(a)
	}
	put(0)
	l.Envp = w
	for _, e := range envAddrs {
		put(e)
	}
	put(0)
	l.Auxv = w
	for _, a := range aux {
		put(a.Type)
		put(a.Value)
	}
	return img, l, nil
}
