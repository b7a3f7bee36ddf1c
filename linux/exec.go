package linux

import (
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"strings"

	"golang.org/x/sys/unix"

	"quartz/hal"
	"quartz/kernel/mm"
	"quartz/linux/loader"
)

// ExecError is a failure to start a program, with the status a shell
// would report for it (127: not found, 126: found but not runnable).
type ExecError struct {
	Path   string
	Err    error
	Status int
}

func (e *ExecError) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *ExecError) Unwrap() error { return e.Err }

// stackInitial is the stack mapped at exec; it grows down on touch.
const stackInitial = 128 << 10

// maxShebangDepth bounds interpreter chains (#! scripts run by scripts).
const maxShebangDepth = 4

// program is a loaded image, ready to start.
type program struct {
	mm   *mm.MM
	regs hal.Registers
}

// exec gives the new process p, whose only thread t has not started,
// the program at path.
func (p *Process) exec(t *Thread, path string, argv, envv []string) error {
	prog, err := p.load(path, argv, envv, 0)
	if err != nil {
		return err
	}
	p.mu.Lock()
	old := p.mm
	p.mm = prog.mm
	p.mu.Unlock()
	if old != nil {
		p.k.putMM(old)
	}
	t.regs = prog.regs
	t.name = commName(path)
	return nil
}

// commName is the name execve gives a process: the last element of the
// path, cut to TASK_COMM_LEN-1 bytes.
func commName(path string) string {
	name := path[strings.LastIndexByte(path, '/')+1:]
	if len(name) > 15 {
		name = name[:15]
	}
	return name
}

func (p *Process) absPath(path string) string {
	if strings.HasPrefix(path, "/") {
		return path
	}
	p.cwdMu.Lock()
	defer p.cwdMu.Unlock()
	return p.cwd + "/" + path
}

// openExecutable opens path for execution, with execve's errors.
func (p *Process) openExecutable(path string) (*os.File, error) {
	fd, err := p.k.root.OpenFile(p.absPath(path), unix.O_RDONLY)
	if err != nil {
		if err == unix.EISDIR {
			err = unix.EACCES
		}
		return nil, err
	}
	f := os.NewFile(uintptr(fd), path)
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		f.Close()
		return nil, err
	}
	if st.Mode&unix.S_IFMT != unix.S_IFREG || st.Mode&0o111 == 0 {
		f.Close()
		return nil, unix.EACCES
	}
	return f, nil
}

func execFailure(path string, err error) error {
	status := 126
	if errors.Is(err, unix.ENOENT) || errors.Is(err, unix.ENOTDIR) {
		status = 127
	}
	return &ExecError{Path: path, Err: err, Status: status}
}

// load builds a new address space running the program at path.
func (p *Process) load(path string, argv, envv []string, depth int) (*program, error) {
	f, err := p.openExecutable(path)
	if err != nil {
		return nil, execFailure(path, err)
	}
	defer f.Close()
	head := make([]byte, 256)
	n, _ := f.ReadAt(head, 0)
	head = head[:n]
	if interp, arg, ok := loader.ParseShebang(head); ok {
		if depth >= maxShebangDepth {
			return nil, execFailure(path, unix.ELOOP)
		}
		nargv := []string{interp}
		if arg != "" {
			nargv = append(nargv, arg)
		}
		nargv = append(nargv, path)
		if len(argv) > 1 {
			nargv = append(nargv, argv[1:]...)
		}
		prog, err := p.load(interp, nargv, envv, depth+1)
		var ee *ExecError
		if errors.As(err, &ee) && ee.Path == interp && ee.Status == 127 {
			// A missing interpreter is reported against the script, as
			// the shell says "bad interpreter".
			return nil, &ExecError{Path: path, Err: fmt.Errorf("bad interpreter %s: %w", interp, ee.Err), Status: 126}
		}
		return prog, err
	}
	st, err := f.Stat()
	if err != nil {
		return nil, execFailure(path, err)
	}
	im, err := loader.Parse(f, st.Size())
	if err != nil {
		return nil, &ExecError{Path: path, Err: err, Status: 126}
	}
	return p.loadELF(f, im, path, argv, envv)
}

func (p *Process) loadELF(f *os.File, im *loader.Image, path string, argv, envv []string) (*program, error) {
	as, err := p.k.platform.NewAddressSpace()
	if err != nil {
		return nil, err
	}
	m := mm.New(as, p.k.frames)
	ok := false
	defer func() {
		if !ok {
			m.Release()
		}
	}()
	fail := func(err error) (*program, error) { return nil, &ExecError{Path: path, Err: err, Status: 126} }

	bias := im.LoadBias(m.DynamicBase())
	if err := mapImage(m, f, im, bias, p.k.fileIdentity(f)); err != nil {
		return fail(err)
	}
	m.SetBrk(im.MaxVaddr + bias)
	entry := im.Entry + bias
	var interpBase uint64
	if im.Interp != "" {
		ifile, err := p.openExecutable(im.Interp)
		if err != nil {
			return fail(fmt.Errorf("interpreter %s: %w", im.Interp, err))
		}
		defer ifile.Close()
		ist, err := ifile.Stat()
		if err != nil {
			return fail(err)
		}
		iim, err := loader.Parse(ifile, ist.Size())
		if err != nil {
			return fail(fmt.Errorf("interpreter %s: %w", im.Interp, err))
		}
		// Reserve room for the interpreter where mmap would put it.
		base, err := m.Map(mm.Mapping{Length: iim.Span()})
		if err != nil {
			return fail(err)
		}
		ibias := iim.LoadBias(base)
		if err := mapImage(m, ifile, iim, ibias, p.k.fileIdentity(ifile)); err != nil {
			return fail(err)
		}
		interpBase = base
		entry = iim.Entry + ibias
	}

	var random [16]byte
	rand.Read(random[:])
	if len(argv) == 0 {
		argv = []string{""} // what Linux substitutes for an empty argv
	}
	aux := loader.StandardAux(im, bias, interpBase, im.Entry,
		uint32(unix.Getuid()), uint32(unix.Geteuid()), uint32(unix.Getgid()), uint32(unix.Getegid()),
		hostHWCAP(), false)
	img, sp, err := loader.BuildStack(loader.StackSpec{
		Top: m.StackTop(), Argv: argv, Envv: envv, ExecFn: path, Random: random, Aux: aux,
	})
	if err != nil {
		return nil, &ExecError{Path: path, Err: unix.E2BIG, Status: 126}
	}
	stackLen := max(uint64(stackInitial), (uint64(len(img))+hal.PageSize-1)&^(hal.PageSize-1))
	stackPerms := hal.PermRead | hal.PermWrite
	if im.StackExec {
		stackPerms |= hal.PermExec
	}
	if _, err := m.Map(mm.Mapping{Addr: m.StackTop() - stackLen, Length: stackLen, Perms: stackPerms,
		Fixed: true, Name: "[stack]", GrowsDown: true}); err != nil {
		return fail(err)
	}
	if _, err := m.CopyOut(sp, img); err != nil {
		return fail(err)
	}
	ok = true
	return &program{mm: m, regs: hal.Registers{Rip: entry, Rsp: sp}}, nil
}

// mapImage maps the PT_LOAD segments of an ELF file at bias, as Linux's
// elf_map and set_brk do: file pages private, the partial page after the
// file data zeroed, and anonymous zero pages up to the segment's end.
func mapImage(m *mm.MM, f *os.File, im *loader.Image, bias uint64, id fileID) error {
	const page = hal.PageSize
	for _, s := range im.Segments {
		perms := permsOf(uint64(s.Prot))
		start := (s.Vaddr + bias) &^ (page - 1)
		fileEnd := s.Vaddr + bias + s.Filesz
		memEnd := s.Vaddr + bias + s.Memsz
		if s.Filesz > 0 {
			dup, err := unix.FcntlInt(f.Fd(), unix.F_DUPFD_CLOEXEC, 0)
			if err != nil {
				return err
			}
			mf := os.NewFile(uintptr(dup), id.path)
			if _, err := m.Map(mm.Mapping{Addr: start, Length: fileEnd - start, Perms: perms, Fixed: true,
				File: mf, FileName: id.path, Dev: id.dev, Ino: id.ino, Offset: s.Offset &^ (page - 1)}); err != nil {
				mf.Close()
				return err
			}
			if tail := fileEnd & (page - 1); tail != 0 && memEnd > fileEnd {
				zeros := make([]byte, page-tail)
				if err := m.Poke(fileEnd, zeros); err != nil {
					return err
				}
			}
		}
		anonStart := (fileEnd + page - 1) &^ (page - 1)
		if s.Filesz == 0 {
			anonStart = start
		}
		if memEnd > anonStart {
			if _, err := m.Map(mm.Mapping{Addr: anonStart, Length: memEnd - anonStart, Perms: perms, Fixed: true}); err != nil {
				return err
			}
		}
	}
	return nil
}

// hostHWCAP is AT_HWCAP as Linux computes it on x86: CPUID.1:EDX.
func hostHWCAP() uint64 { return cpuidEDX1() }

// fileID is how /proc/pid/maps names a mapped file.
type fileID struct {
	path     string
	dev, ino uint64
}

// fileIdentity returns the guest path (symbolic links resolved) and the
// device and inode numbers of an open host file.
func (k *Kernel) fileIdentity(f *os.File) fileID {
	id := fileID{path: f.Name()}
	if p, err := k.root.GuestPath(int(f.Fd())); err == nil {
		id.path = p
	}
	var st unix.Stat_t
	if unix.Fstat(int(f.Fd()), &st) == nil {
		id.dev, id.ino = st.Dev, st.Ino
	}
	return id
}
