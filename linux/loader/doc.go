// Package loader holds the memory-independent parts of loading an x86-64
// Linux ELF program: parsing and validating the executable, planning where
// its segments go, and building the initial process stack. It touches no
// address space; the exec path in package linux maps what it describes.
//
// Files by concern:
//   - parse.go: Parse reads and validates the ELF and program headers into
//     an Image (segments, entry, interpreter, program header address);
//     Image.LoadBias relocates ET_DYN images.
//   - errors.go: the sentinel errors (ErrNotELF, ErrWrongArch, ErrCorrupt,
//     ErrNotExecutable for Parse; ErrStackTooBig, ErrBadStackSpec for
//     BuildStack).
//   - auxv.go: AT_* constants and StandardAux, the auxiliary vector entries
//     Linux gives every program.
//   - stack.go: BuildStack, the initial stack image (strings, AT_RANDOM
//     bytes, platform string, auxv, envp, argv, argc) laid out exactly as
//     Linux's create_elf_tables does.
//   - shebang.go: ParseShebang, the "#!" line rules of binfmt_script.
//
// A typical exec: Parse the file (on ErrNotELF try ParseShebang); if
// Image.Interp is set, Parse the interpreter too; choose a base for each
// ET_DYN image (Image.Span bytes) and map its Segments at Vaddr+LoadBias,
// zero-filling [Filesz, Memsz); then BuildStack with StandardAux and start
// the thread at sp with rip at the interpreter's entry (or the program's).
package loader
