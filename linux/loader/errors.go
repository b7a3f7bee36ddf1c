package loader

import "errors"

// Sentinel errors. Every error returned by Parse wraps exactly one of the
// first four with detail (test with errors.Is); each of them means the file
// cannot be executed and the caller should report it on one line and exit
// with status 126 (execve would fail with ENOEXEC).
var (
	// ErrNotELF: the file does not start with the ELF magic (this includes
	// files shorter than four bytes, text files and scripts without "#!").
	ErrNotELF = errors.New("not an ELF file")

	// ErrWrongArch: an ELF file for another machine: not ELFCLASS64, not
	// little-endian, or e_machine is not EM_X86_64. The message says which.
	ErrWrongArch = errors.New("ELF file for the wrong architecture")

	// ErrCorrupt: the ELF headers are malformed or inconsistent with the
	// file (truncated, out-of-range, overlapping or overflowing values).
	ErrCorrupt = errors.New("corrupt ELF file")

	// ErrNotExecutable: a well-formed ELF file that is not a program
	// (ET_REL objects, ET_CORE dumps, or an unknown e_type).
	ErrNotExecutable = errors.New("ELF file is not an executable")
)

// Errors returned by BuildStack. They correspond to execve's E2BIG and
// EINVAL respectively.
var (
	// ErrStackTooBig: argv, envp and auxv do not fit in MaxStackImage bytes.
	ErrStackTooBig = errors.New("initial stack too big")

	// ErrBadStackSpec: a string contains NUL, Top is not 16-byte aligned or
	// too low, or Aux holds an entry BuildStack supplies itself.
	ErrBadStackSpec = errors.New("invalid initial stack specification")
)
