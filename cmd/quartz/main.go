// Command quartz runs guest programs inside the Quartz kernel.
//
//	quartz                      build and run the bundled demo guest
//	quartz run [flags] PROGRAM [ARGS...]
//
// The guest's exit status is quartz's; a guest killed by a signal makes
// quartz report it like a shell and exit with 128 plus the signal number.
package main

import (
	"fmt"
	"os"
)

func main() {
	os.Exit(mainStatus(os.Args[1:]))
}

// mainStatus runs the command line and returns the exit status.
func mainStatus(args []string) int {
	if len(args) == 0 {
		return runDemo()
	}
	switch args[0] {
	case "run":
		return runCommand(args[1:])
	case "help", "-h", "--help":
		fmt.Print(usage)
		return 0
	}
	fmt.Fprintf(os.Stderr, "quartz: unknown command %q\n%s", args[0], usage)
	return 2
}

const usage = `usage:
  quartz                                   build and run the demo guest (guest/hello)
  quartz run [--root DIR] [--mount HOST:GUEST[:ro]]... [--strace] [--platform NAME] [--memory SIZE] PROGRAM [ARGS...]

flags of run:
  --root DIR        host directory the guest sees as / (default /); the guest's
                    changes stay in memory, the host's files are never written
  --mount H:G[:ro]  mount host directory H on guest directory G, read-write
                    (changes reach the host) or read-only; repeatable
  --strace          print each system call, decoded, to standard error
  --platform NAME   how guest code runs: ptrace (default)
  --memory SIZE     guest RAM, e.g. 4G or 512M (default 16G; host memory is used only as touched)
`
