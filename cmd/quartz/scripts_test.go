package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The shell-script corpus: every testdata/scripts/*.sh is run by busybox
// sh natively and inside quartz, from the same working directory with the
// same environment, and must write the same bytes to standard output and
// standard error and end with the same status. A script keeps its files
// in a directory it makes with mktemp -d under /tmp and removes, and
// prints nothing that changes from run to run (pids, times, temporary
// names).

// scriptEnv is the whole environment of both runs of a script.
var scriptEnv = []string{"PATH=/bin:/usr/bin", "HOME=/tmp", "LANG=C"}

// scriptBusybox is the shell that runs the scripts, natively and inside
// quartz.
const scriptBusybox = "/bin/busybox"

// runLimit is how long one run of a script or guest may take.
const runLimit = time.Minute

// runIn runs name with args in directory dir with exactly the environment
// env and standard input from /dev/null, and returns what it wrote and its
// status as a shell would report it (128 + signal when killed).
func runIn(t *testing.T, dir string, env []string, name string, args ...string) result {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = env
	cmd.Dir = dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
			if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
				code = 128 + int(ws.Signal())
			}
		} else if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return result{out.String(), errb.String(), code}
	case <-time.After(runLimit):
		cmd.Process.Kill()
		<-done
		t.Fatalf("%s %q did not finish in %v; output so far:\n%s\nstandard error:\n%s",
			name, args, runLimit, out.String(), errb.String())
	}
	return result{}
}

// compareRuns reports every difference between a native run and a run
// inside quartz: status, standard output, standard error.
func compareRuns(t *testing.T, what string, native, got result) {
	t.Helper()
	if native == got {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: native and quartz differ\n", what)
	if native.code != got.code {
		fmt.Fprintf(&b, "exit status: native %d, quartz %d\n", native.code, got.code)
	}
	if native.stdout != got.stdout {
		fmt.Fprintf(&b, "standard output (- native, + quartz):\n%s", lineDiff(native.stdout, got.stdout, 40))
	}
	if native.stderr != got.stderr {
		fmt.Fprintf(&b, "standard error (- native, + quartz):\n%s", lineDiff(native.stderr, got.stderr, 40))
	}
	t.Error(b.String())
}

// lineDiff is a line diff of a and b with two lines of context around
// each change, cut after limit lines.
func lineDiff(a, b string, limit int) string {
	x, y := splitLines(a), splitLines(b)
	// Longest common subsequence, from the ends, on the differing middle.
	pre := 0
	for pre < len(x) && pre < len(y) && x[pre] == y[pre] {
		pre++
	}
	suf := 0
	for suf < len(x)-pre && suf < len(y)-pre && x[len(x)-1-suf] == y[len(y)-1-suf] {
		suf++
	}
	mx, my := x[pre:len(x)-suf], y[pre:len(y)-suf]
	type op struct {
		kind byte
		line string
	}
	var ops []op
	for _, l := range x[:pre] {
		ops = append(ops, op{' ', l})
	}
	if len(mx)*len(my) > 4<<20 {
		for _, l := range mx {
			ops = append(ops, op{'-', l})
		}
		for _, l := range my {
			ops = append(ops, op{'+', l})
		}
	} else {
		lcs := make([][]int32, len(mx)+1)
		for i := range lcs {
			lcs[i] = make([]int32, len(my)+1)
		}
		for i := len(mx) - 1; i >= 0; i-- {
			for j := len(my) - 1; j >= 0; j-- {
				if mx[i] == my[j] {
					lcs[i][j] = lcs[i+1][j+1] + 1
				} else {
					lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
				}
			}
		}
		i, j := 0, 0
		for i < len(mx) || j < len(my) {
			switch {
			case i < len(mx) && j < len(my) && mx[i] == my[j]:
				ops = append(ops, op{' ', mx[i]})
				i++
				j++
			case i < len(mx) && (j == len(my) || lcs[i+1][j] >= lcs[i][j+1]):
				ops = append(ops, op{'-', mx[i]})
				i++
			default:
				ops = append(ops, op{'+', my[j]})
				j++
			}
		}
	}
	for _, l := range x[len(x)-suf:] {
		ops = append(ops, op{' ', l})
	}

	var out strings.Builder
	n, last := 0, -1
	for k, o := range ops {
		near := false
		for d := -2; d <= 2; d++ {
			if k+d >= 0 && k+d < len(ops) && ops[k+d].kind != ' ' {
				near = true
			}
		}
		if !near {
			continue
		}
		if n == limit {
			out.WriteString("  ...\n")
			break
		}
		if last >= 0 && k != last+1 {
			out.WriteString("  ~~~\n")
		}
		fmt.Fprintf(&out, "%c %q\n", o.kind, o.line)
		n, last = n+1, k
	}
	return out.String()
}

// splitLines splits s after each newline; a last line without one is
// shown as such.
func splitLines(s string) []string {
	var lines []string
	for s != "" {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			lines = append(lines, s+" (no newline at end)")
			break
		}
		lines = append(lines, s[:i])
		s = s[i+1:]
	}
	return lines
}

func TestShellScripts(t *testing.T) {
	if _, err := os.Stat(scriptBusybox); err != nil {
		t.Fatalf("busybox-static is needed at %s (the README's test command installs it): %v", scriptBusybox, err)
	}
	dir, err := filepath.Abs(filepath.Join("testdata", "scripts"))
	if err != nil {
		t.Fatal(err)
	}
	scripts, err := filepath.Glob(filepath.Join(dir, "*.sh"))
	if err != nil || len(scripts) == 0 {
		t.Fatalf("no scripts in %s: %v", dir, err)
	}
	for _, path := range scripts {
		name := filepath.Base(path)
		t.Run(strings.TrimSuffix(name, ".sh"), func(t *testing.T) {
			t.Parallel()
			native := runIn(t, dir, scriptEnv, scriptBusybox, "sh", name)
			got := runIn(t, dir, scriptEnv, quartzBin, "run", scriptBusybox, "sh", name)
			compareRuns(t, name, native, got)
		})
	}
}
