package linux

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/sys/unix"

	"quartz/hal"
	"quartz/kernel/mm"
	"quartz/kernel/vfs"
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
	exe  vfs.Path // the program file, for /proc/pid/exe
	args argRange
}

// argRange is where the arguments and environment strings are in the
// new program's memory (/proc/pid/cmdline and environ read them there).
type argRange struct{ argStart, argEnd, envStart, envEnd uint64 }

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
	p.exe = prog.exe
	p.args = prog.args
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

// TGID and TID make a process the vfs.Task of the walks its loading
// makes (execve's, before the caller is one thread).
func (p *Process) TGID() int { return p.pid }
func (p *Process) TID() int  { return p.pid }

// executable is a program file opened for execve: its page cache, which
// the loader maps, and its identity.
type executable struct {
	path     vfs.Path
	name     string // the guest's absolute name, for /proc/pid/maps
	vmo      *mm.VMO
	size     int64
	dev, ino uint64
}

// ReadAt reads the file's bytes for the ELF parser.
func (e *executable) ReadAt(b []byte, off int64) (int, error) {
	if off >= e.size {
		return 0, io.EOF
	}
	n := int(min(int64(len(b)), e.size-off))
	if err := e.vmo.ReadAt(b[:n], uint64(off), 0); err != nil {
		return 0, err
	}
	if n < len(b) {
		return n, io.EOF
	}
	return n, nil
}

// openExecutable finds path (relative to the working directory) for
// execution, with execve's errors.
func (p *Process) openExecutable(path string) (*executable, error) {
	ns := p.k.ns
	at, err := ns.WalkAs(p, ns.Root(), p.workingDir(), path, vfs.Follow)
	if err != nil {
		return nil, err
	}
	return p.k.executableAt(at)
}

// executableAt checks that at is a file execve may run.
func (k *Kernel) executableAt(at vfs.Path) (*executable, error) {
	st, err := at.Inode().Stat()
	if err != nil {
		return nil, err
	}
	if vfs.Type(st.Mode) != unix.S_IFREG {
		return nil, unix.EACCES
	}
	if err := permitted(st, unix.X_OK); err != nil {
		return nil, err
	}
	m, ok := at.Inode().(vfs.Mappable)
	if !ok {
		return nil, unix.EACCES
	}
	vmo := m.VMO()
	if vmo == nil {
		return nil, unix.EACCES
	}
	return &executable{path: at, name: k.pathName(at), vmo: vmo, size: st.Size, dev: st.Dev, ino: st.Ino}, nil
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
	im, err := loader.Parse(f, f.size)
	if err != nil {
		return nil, &ExecError{Path: path, Err: err, Status: 126}
	}
	return p.loadELF(f, im, path, argv, envv)
}

func (p *Process) loadELF(f *executable, im *loader.Image, path string, argv, envv []string) (*program, error) {
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
	if err := mapImage(m, f, im, bias); err != nil {
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
		iim, err := loader.Parse(ifile, ifile.size)
		if err != nil {
			return fail(fmt.Errorf("interpreter %s: %w", im.Interp, err))
		}
		// Reserve room for the interpreter where mmap would put it.
		base, err := m.Map(mm.Mapping{Length: iim.Span()})
		if err != nil {
			return fail(err)
		}
		ibias := iim.LoadBias(base)
		if err := mapImage(m, ifile, iim, ibias); err != nil {
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
	img, layout, err := loader.BuildStackLayout(loader.StackSpec{
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
	sp := layout.SP
	if _, err := m.CopyOut(sp, img); err != nil {
		return fail(err)
	}
	ok = true
	return &program{mm: m, regs: hal.Registers{Rip: entry, Rsp: sp}, exe: f.path,
		args: argRange{layout.ArgStart, layout.ArgEnd, layout.EnvStart, layout.EnvEnd}}, nil
}

// mapImage maps the PT_LOAD segments of an ELF file at bias, as Linux's
// elf_map and set_brk do: file pages private, the partial page after the
// file data zeroed, and anonymous zero pages up to the segment's end.
func mapImage(m *mm.MM, f *executable, im *loader.Image, bias uint64) error {
	const page = hal.PageSize
	for _, s := range im.Segments {
		perms := permsOf(uint64(s.Prot))
		start := (s.Vaddr + bias) &^ (page - 1)
		fileEnd := s.Vaddr + bias + s.Filesz
		memEnd := s.Vaddr + bias + s.Memsz
		if s.Filesz > 0 {
			if _, err := m.Map(mm.Mapping{Addr: start, Length: fileEnd - start, Perms: perms, Fixed: true,
				VMO: f.vmo, FileName: f.name, Dev: f.dev, Ino: f.ino, Offset: s.Offset &^ (page - 1)}); err != nil {
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
