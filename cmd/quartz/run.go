package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"

	"quartz/hal"
	"quartz/hal/ptrace"
	"quartz/linux"
)

type runOptions struct {
	root     string
	strace   bool
	platform string
	memory   uint64
	binds    []linux.Bind
}

// bindFlags collects repeated --mount flags.
type bindFlags struct{ binds *[]linux.Bind }

func (b bindFlags) String() string { return "" }

func (b bindFlags) Set(s string) error {
	bind, err := linux.ParseBind(s)
	if err != nil {
		return err
	}
	*b.binds = append(*b.binds, bind)
	return nil
}

func runCommand(args []string) int {
	opts := runOptions{root: "/", platform: "ptrace", memory: 16 << 30}
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&opts.root, "root", opts.root, "")
	fs.BoolVar(&opts.strace, "strace", false, "")
	fs.Var(bindFlags{&opts.binds}, "mount", "")
	fs.StringVar(&opts.platform, "platform", opts.platform, "")
	memory := fs.String("memory", "16G", "")
	if err := fs.Parse(args); err != nil {
		fmt.Fprintf(os.Stderr, "quartz run: %v\n%s", err, usage)
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprintf(os.Stderr, "quartz run: no program given\n%s", usage)
		return 2
	}
	size, err := parseSize(*memory)
	if err != nil {
		fmt.Fprintf(os.Stderr, "quartz run: --memory: %v\n", err)
		return 2
	}
	opts.memory = size
	return run(opts, fs.Arg(0), fs.Args())
}

func parseSize(s string) (uint64, error) {
	mult := uint64(1)
	switch {
	case strings.HasSuffix(s, "G"):
		mult, s = 1<<30, strings.TrimSuffix(s, "G")
	case strings.HasSuffix(s, "M"):
		mult, s = 1<<20, strings.TrimSuffix(s, "M")
	case strings.HasSuffix(s, "K"):
		mult, s = 1<<10, strings.TrimSuffix(s, "K")
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || n == 0 || n > (1<<46)/mult {
		return 0, fmt.Errorf("bad size %q", s)
	}
	return n * mult, nil
}

func newPlatform(name string, mem *hal.PhysMem) (hal.Platform, error) {
	switch name {
	case "ptrace":
		return ptrace.New(mem)
	}
	return nil, fmt.Errorf("unknown platform %q (available: ptrace)", name)
}

// run starts program with argv in a new kernel and returns the shell
// status of its end.
func run(opts runOptions, program string, argv []string) int {
	mem, err := hal.NewPhysMem(opts.memory)
	if err != nil {
		fmt.Fprintf(os.Stderr, "quartz: %v\n", err)
		return 1
	}
	defer mem.Close()
	platform, err := newPlatform(opts.platform, mem)
	if err != nil {
		fmt.Fprintf(os.Stderr, "quartz: %v\n", err)
		return 2
	}
	defer platform.Close()
	cfg := linux.Config{Platform: platform, Root: opts.root, Binds: opts.binds, Cwd: guestCwd(opts.root), Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}
	if opts.strace {
		cfg.Strace = os.Stderr
	}
	k, err := linux.NewKernel(cfg)
	if err != nil {
		fmt.Fprintf(os.Stderr, "quartz: %v\n", err)
		return 1
	}
	defer k.Close()

	// Signals for quartz are signals for the guest: Ctrl-C interrupts it
	// the way it would interrupt the program run natively.
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, unix.SIGINT, unix.SIGTERM, unix.SIGHUP, unix.SIGQUIT)
	defer signal.Stop(sigs)
	go func() {
		for s := range sigs {
			k.Signal(s.(unix.Signal))
		}
	}()

	status, err := k.Run(program, argv, os.Environ())
	if err != nil {
		var ee *linux.ExecError
		if errors.As(err, &ee) {
			fmt.Fprintf(os.Stderr, "quartz: %s: %v\n", ee.Path, describeExecErr(ee.Err))
			return ee.Status
		}
		fmt.Fprintf(os.Stderr, "quartz: %v\n", err)
		return 126
	}
	if msg := status.Describe(); msg != "" {
		fmt.Fprintln(os.Stderr, msg)
	}
	return status.ShellCode()
}

// describeExecErr words an exec failure as a shell would.
func describeExecErr(err error) string {
	switch err {
	case unix.ENOENT:
		return "No such file or directory"
	case unix.EACCES:
		return "Permission denied"
	}
	return err.Error()
}

// guestCwd is quartz's working directory as the guest sees it: the same
// directory when it lies inside the root, else the root itself.
func guestCwd(root string) string {
	cwd, err := os.Getwd()
	if err != nil {
		return "/"
	}
	root, err = filepath.Abs(root)
	if err != nil {
		return "/"
	}
	if root == "/" {
		return cwd
	}
	if rest, ok := strings.CutPrefix(cwd, root+"/"); ok {
		return "/" + rest
	}
	return "/"
}
